"""Models of the collection work. See each module's docstring for its invariants."""
from .casos import TRANSICIONES, AsignacionCaso, CambioEstadoCaso, CasoCobro, Gestion  # noqa: F401
from .expediente import DocumentoExpediente, PasoJudicial  # noqa: F401
from .departamento import (Correspondencia, LineaLote, LotePlanillas, MetaPlan, PropuestaPublicacion,  # noqa: F401
                           SnapshotKPI, SolicitudDepuracion)
