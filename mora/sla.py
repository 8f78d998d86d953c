"""The nightly review of case SLAs (DOMAIN R14, parameters mora_sla_*): an open case with no
payment from the deudor in `mora_sla_dias_sin_pago` days since it opened (or since the last payment),
or with `mora_sla_promesas_incumplidas` broken promises, is proposed for judicial referral. The
jefe decides the referral (mora.services.caso_remitir_juridico). "No action in 30 days" is not
stored: the lists compute it (mora.selectors.casos_anotados), so it is never stale.

Set-based (one UPDATE) and idempotent: a case already proposed keeps its first date."""
from datetime import date, timedelta

from django.db import connection, transaction
from django.utils import timezone

from cuentas.reglas import Reglas
from issscobros.auditoria import auditar

from .models import CasoCobro


@transaction.atomic
def casos_revisar_sla(*, actor=None, fecha: date | None = None) -> int:
    fecha = fecha or timezone.localdate()
    reglas = Reglas.cargar()
    dias_sin_pago = int(reglas.valor("mora_sla_dias_sin_pago", fecha))
    promesas = int(reglas.valor("mora_sla_promesas_incumplidas", fecha))
    limite = fecha - timedelta(days=dias_sin_pago)
    with connection.cursor() as cursor:
        cursor.execute("""
            WITH rotas AS (
                SELECT x.caso_id, COUNT(*) AS n FROM mora_gestion x JOIN mora_casocobro k ON k.id = x.caso_id
                WHERE x.promesa_fecha < %(fecha)s AND x.promesa_monto > COALESCE((
                    SELECT SUM(r.monto) FROM cuentas_recibo r JOIN cuentas_cuenta c ON c.id = r.cuenta_id
                    WHERE c.deudor_id = k.deudor_id AND r.fecha_pago BETWEEN x.fecha AND x.promesa_fecha), 0)
                GROUP BY 1
            ), candidatos AS (
                SELECT k.id,
                       CASE WHEN COALESCE(rotas.n, 0) >= %(promesas)s
                            THEN COALESCE(rotas.n, 0) || ' promesas de pago incumplidas (R14)'
                            ELSE 'Sin pagos en ' || %(dias)s || ' días de cobro administrativo (R14)' END AS motivo
                FROM mora_casocobro k LEFT JOIN rotas ON rotas.caso_id = k.id
                WHERE k.estado <> ALL(%(fuera)s) AND k.propuesto_juridico_en IS NULL
                  AND (COALESCE(rotas.n, 0) >= %(promesas)s
                       OR (k.abierto_en <= %(limite)s AND NOT EXISTS (
                            SELECT 1 FROM cuentas_recibo r JOIN cuentas_cuenta c ON c.id = r.cuenta_id
                            WHERE c.deudor_id = k.deudor_id AND r.fecha_pago > %(limite)s AND r.fecha_pago <= %(fecha)s)))
            )
            UPDATE mora_casocobro k SET propuesto_juridico_en = %(fecha)s, propuesto_juridico_motivo = candidatos.motivo
            FROM candidatos WHERE candidatos.id = k.id""", {
            "fecha": fecha, "limite": limite, "dias": dias_sin_pago, "promesas": promesas,
            "fuera": [*CasoCobro.TERMINALES, CasoCobro.Estado.REMITIDO_JURIDICO]})
        propuestos = cursor.rowcount
    auditar(actor=actor, accion="casos.revisar_sla", despues={"fecha": fecha.isoformat(), "propuestos": propuestos})
    return propuestos
