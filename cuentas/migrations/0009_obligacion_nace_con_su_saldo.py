"""An obligation may be inserted after the legs that charge it, born with their net as its saldo,
verified by the database (issue #3: a payroll file's 8,000 obligations were each written twice —
inserted at 0, then moved to their monto by the leg trigger — and the second write is not HOT,
since `saldo` is in the predicate of the partial index obligacion_abierta_venc).

- The legs' statement trigger moves the saldo of the obligations that exist; a leg naming an
  obligation not inserted yet is left to that obligation's insertion (its foreign key, checked at
  commit, makes sure it is inserted in the same transaction).
- A new statement trigger on the obligations checks, set-wise, every new obligation against the
  legs already written for it: same cuenta, no exoneration or annulment crediting a contribution,
  and `saldo` = Σ(debe − haber). An obligation with no legs must be born with saldo 0, which was
  not enforced before (an INSERT could set any saldo in range).

So `saldo` = Σ legs holds after every statement, whatever the order: legs written after their
obligation move it (as before), legs written before it are counted by the check."""
from django.db import migrations

COTIZACIONES = "'cotizacion_laboral', 'cotizacion_patronal', 'insaforp'"

LINEAS = r"""
CREATE OR REPLACE FUNCTION cuentas_lineas_insertadas() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    r record;
BEGIN
    SELECT n.asiento_id INTO r FROM lineas_nuevas n LEFT JOIN cuentas_asiento a ON a.id = n.asiento_id
     WHERE a.transaccion IS DISTINCT FROM txid_current() LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'El asiento % no es de esta transacción: un asiento registrado no admite más líneas', r.asiento_id
            USING ERRCODE = 'restrict_violation';
    END IF;
    -- {pendiente}
    SELECT n.obligacion_id, n.cuenta_id INTO r FROM lineas_nuevas n {union} cuentas_obligacion o ON o.id = n.obligacion_id
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

OBLIGACIONES = r"""
CREATE FUNCTION cuentas_obligaciones_insertadas() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    r record;
BEGIN
    -- The legs written before their obligation: the checks the leg trigger could not make, and
    -- the saldo it could not move. LATERAL: an index probe per new obligation (a join would have
    -- the planner scan every leg); the asiento is read only for a credit on a contribution.
    SELECT n.id, n.saldo, s.neto, s.otra_cuenta, s.ajuste INTO r
      FROM obligaciones_nuevas n CROSS JOIN LATERAL (
           SELECT coalesce(sum(l.debe) - sum(l.haber), 0) AS neto,
                  min(l.cuenta_id) FILTER (WHERE l.cuenta_id IS DISTINCT FROM n.cuenta_id) AS otra_cuenta,
                  min(CASE WHEN l.haber > 0 AND n.concepto IN ({cotizaciones}) THEN
                      (SELECT a.tipo FROM cuentas_asiento a
                        WHERE a.id = l.asiento_id AND a.tipo IN ('exoneracion', 'anulacion')) END) AS ajuste
             FROM cuentas_lineaasiento l WHERE l.obligacion_id = n.id) s
     WHERE n.saldo <> s.neto OR s.otra_cuenta IS NOT NULL OR s.ajuste IS NOT NULL
     LIMIT 1;
    IF NOT FOUND THEN
        RETURN NULL;
    ELSIF r.otra_cuenta IS NOT NULL THEN
        RAISE EXCEPTION 'La obligación % no pertenece a la cuenta %', r.id, r.otra_cuenta
            USING ERRCODE = 'check_violation';
    ELSIF r.ajuste IS NOT NULL THEN
        RAISE EXCEPTION 'Una % no puede reducir cotizaciones (obligación %)', r.ajuste, r.id
            USING ERRCODE = 'check_violation';
    END IF;
    RAISE EXCEPTION 'La obligación % nace con saldo % y sus líneas suman %', r.id, r.saldo, r.neto
        USING ERRCODE = 'check_violation';
END $$;
CREATE TRIGGER obligacion_insertadas AFTER INSERT ON cuentas_obligacion
    REFERENCING NEW TABLE AS obligaciones_nuevas FOR EACH STATEMENT EXECUTE FUNCTION cuentas_obligaciones_insertadas();
"""

GUARDAS = (LINEAS.format(cotizaciones=COTIZACIONES, union="JOIN", pendiente=(
    "A leg may name an obligation inserted later (same transaction): cuentas_obligaciones_insertadas checks it."))
    + OBLIGACIONES.format(cotizaciones=COTIZACIONES))

GUARDAS_REVERSA = """
DROP TRIGGER IF EXISTS obligacion_insertadas ON cuentas_obligacion;
DROP FUNCTION IF EXISTS cuentas_obligaciones_insertadas();
""" + LINEAS.format(cotizaciones=COTIZACIONES, union="LEFT JOIN", pendiente="The obligation must exist.")


class Migration(migrations.Migration):
    dependencies = [("cuentas", "0008_libro_guardas_por_sentencia")]

    operations = [migrations.RunSQL(GUARDAS, GUARDAS_REVERSA)]
