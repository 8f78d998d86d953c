"""Reads of the collection work, scoped by user (`casos_para_usuario` is the one scope of this app):
cases and Mi cartera (casos), the department's instruments (departamento)."""
from .casos import (ORDENES, PROMESA_CUMPLIDA, PROMESA_INCUMPLIDA, PROMESA_PENDIENTE, VEN_TODO,  # noqa: F401
                    caso_detalle, cartera_buscar, casos_anotados, casos_cumplidos, casos_para_usuario,
                    deudores_en_tramo, gestiones_con_promesa, gestiones_de_caso, gestores_asignables)
from .departamento import (FALLIDAS, CeldaPlan, CriteriosPublicacion, Tablero, correspondencia_para_usuario,  # noqa: F401
                           lotes_para_usuario, plan_anual, propuestas_publicacion, publicacion_candidatos,
                           publicacion_criterios, snapshot_vigente, sucursales_en_alcance, sucursales_para_usuario,
                           tablero)
