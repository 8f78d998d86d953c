"""The cyclic garbage collector paused around work that builds hundreds of thousands of objects
that live until it ends (a long document's layout boxes, a payroll file's rows): full collections
kept walking them for nothing. Counted across threads, so it resumes only when the last pause ends,
and only if it was running before the first; reference counting frees objects meanwhile, and what
was left in cycles is collected afterwards."""
import gc
import threading
from contextlib import contextmanager

_pausas = 0
_activo = True
_candado = threading.Lock()


@contextmanager
def sin_recolector():
    global _pausas, _activo
    with _candado:
        _pausas += 1
        if _pausas == 1:
            _activo = gc.isenabled()
            gc.disable()
    try:
        yield
    finally:
        with _candado:
            _pausas -= 1
            if _pausas == 0 and _activo:
                gc.enable()
