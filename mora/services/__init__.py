"""Writes of the collection work: cases (casos) and the department's instruments (departamento).
`caso_convenio_evento` is the one door through which the convenios app moves a case."""
from .casos import (caso_abrir, caso_asignar, caso_convenio_evento, caso_proponer_juridico,  # noqa: F401
                    caso_remitir_juridico, caso_transicionar, casos_reasignar, expediente_agregar,
                    gestion_registrar, paso_judicial_registrar)
from .departamento import (correspondencia_registrar, correspondencia_responder, depuracion_responder,  # noqa: F401
                           depuracion_solicitar, lote_registrar, plan_guardar, publicacion_proponer,
                           publicacion_resolver)
