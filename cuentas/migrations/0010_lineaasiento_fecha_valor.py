"""Each leg carries its asiento's value date (issue #8: the reconciliation's totals by GL account and
month, and every other total by date, joined 14 M legs with 4.5 M asientos to learn it).

The legs' statement trigger already joins every new leg with its asiento (only an asiento of the
inserting transaction takes legs); it now also refuses a leg whose date is not its asiento's. A leg
never changes afterwards (append-only) and neither does an asiento, so the copy cannot drift.

Existing legs get their asiento's date. The append-only guard is disabled for that one UPDATE, in
this migration's transaction only."""
from django.db import migrations, models

COTIZACIONES = "'cotizacion_laboral', 'cotizacion_patronal', 'insaforp'"

COPIAR_FECHAS = """
ALTER TABLE cuentas_lineaasiento DISABLE TRIGGER lineaasiento_solo_insercion;
UPDATE cuentas_lineaasiento l SET fecha_valor = a.fecha_valor FROM cuentas_asiento a WHERE a.id = l.asiento_id;
ALTER TABLE cuentas_lineaasiento ENABLE TRIGGER lineaasiento_solo_insercion;
"""

LINEAS = r"""
CREATE OR REPLACE FUNCTION cuentas_lineas_insertadas() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    r record;
BEGIN
    SELECT n.asiento_id, n.fecha_valor, a.fecha_valor AS del_asiento, a.transaccion IS DISTINCT FROM txid_current() AS ajeno
      INTO r FROM lineas_nuevas n LEFT JOIN cuentas_asiento a ON a.id = n.asiento_id
     WHERE a.transaccion IS DISTINCT FROM txid_current() {fecha} LIMIT 1;
    IF FOUND AND r.ajeno THEN
        RAISE EXCEPTION 'El asiento % no es de esta transacción: un asiento registrado no admite más líneas', r.asiento_id
            USING ERRCODE = 'restrict_violation';
    ELSIF FOUND THEN
        RAISE EXCEPTION 'Una línea del asiento % lleva la fecha valor %, no la del asiento (%)', r.asiento_id,
            r.fecha_valor, r.del_asiento USING ERRCODE = 'check_violation';
    END IF;
    -- A leg may name an obligation inserted later (same transaction): cuentas_obligaciones_insertadas checks it.
    SELECT n.obligacion_id, n.cuenta_id INTO r FROM lineas_nuevas n JOIN cuentas_obligacion o ON o.id = n.obligacion_id
     WHERE n.obligacion_id IS NOT NULL AND o.cuenta_id IS DISTINCT FROM n.cuenta_id LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'La obligación % no pertenece a la cuenta %', r.obligacion_id, r.cuenta_id
            USING ERRCODE = 'check_violation';
    END IF;
    SELECT a.tipo, n.obligacion_id INTO r
      FROM lineas_nuevas n JOIN cuentas_obligacion o ON o.id = n.obligacion_id JOIN cuentas_asiento a ON a.id = n.asiento_id
     WHERE n.haber > 0 AND o.concepto IN ({cotizaciones})
       AND a.tipo IN ('exoneracion', 'anulacion') LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'Una % no puede reducir cotizaciones (obligación %)', r.tipo, r.obligacion_id
            USING ERRCODE = 'check_violation';
    END IF;
    -- The net of the statement per obligation: legs netting to zero (a surcharge raised and paid
    -- in one asiento) need no order among themselves.
    UPDATE cuentas_obligacion o SET saldo = o.saldo + m.neto
      FROM (SELECT obligacion_id, sum(debe) - sum(haber) AS neto FROM lineas_nuevas
             WHERE obligacion_id IS NOT NULL GROUP BY obligacion_id) m
     WHERE o.id = m.obligacion_id AND m.neto <> 0;
    RETURN NULL;
END $$;
"""


class Migration(migrations.Migration):
    dependencies = [("cuentas", "0009_obligacion_nace_con_su_saldo")]

    operations = [
        migrations.AddField(model_name="lineaasiento", name="fecha_valor",
                            field=models.DateField(editable=False, null=True, verbose_name="fecha valor")),
        migrations.RunSQL(COPIAR_FECHAS, migrations.RunSQL.noop),
        migrations.AlterField(model_name="lineaasiento", name="fecha_valor",
                              field=models.DateField(editable=False, verbose_name="fecha valor")),
        migrations.RunSQL(
            LINEAS.format(cotizaciones=COTIZACIONES, fecha="OR a.fecha_valor IS DISTINCT FROM n.fecha_valor"),
            LINEAS.format(cotizaciones=COTIZACIONES, fecha="")),
    ]
