"""The ledger guards of 0004, checked per statement and per asiento instead of per leg (issue #3: a
payroll file brings tens of thousands of legs; the per-leg triggers were most of its import time).

- Double entry: still a deferred constraint trigger, but only on cuentas_asiento (once per asiento,
  at commit). That suffices because a leg may only join an asiento of the transaction inserting it:
  every asiento records the top-level transaction that created it (`transaccion`, set by a BEFORE
  INSERT trigger, so it cannot be forged; txid_current() is the top-level id even inside a savepoint),
  and a statement trigger on the legs refuses any other. An asiento of an earlier transaction is
  therefore closed: its balance was checked at its own commit and nothing can change it since.
- The cached saldo: one statement-level trigger (transition table) moves the saldo of every obligation
  the statement's legs touch, set-wise, with the same checks as before (the obligation belongs to the
  leg's cuenta; an exoneration or annulment never credits a contribution); the CHECK 0 <= saldo <= monto
  then refuses any overpayment. Statement triggers fire for COPY too.
- The obligation guard compares rows directly instead of through two jsonb conversions.
- A partial index of the legs of "recibos por aplicar" (2130101) carrying their amounts: a cuenta's
  saldo a favor is read from the index alone, without visiting every receipt leg in the heap (a
  payroll file asks it for thousands of cuentas). Planilla charges never enter it.

ADD COLUMN without a default does not rewrite cuentas_asiento; older asientos keep NULL, which matches
no transaction, so they are closed as well."""
from django.db import migrations

GUARDAS = r"""
ALTER TABLE cuentas_asiento ADD COLUMN transaccion bigint;
COMMENT ON COLUMN cuentas_asiento.transaccion IS
    'txid_current() of the transaction that created the asiento (only it may add legs); set by trigger';

CREATE FUNCTION cuentas_asiento_transaccion() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.transaccion := txid_current();
    RETURN NEW;
END $$;
CREATE TRIGGER asiento_transaccion BEFORE INSERT ON cuentas_asiento
    FOR EACH ROW EXECUTE FUNCTION cuentas_asiento_transaccion();

DROP TRIGGER lineaasiento_cuadra ON cuentas_lineaasiento;
DROP TRIGGER lineaasiento_mueve_saldo ON cuentas_lineaasiento;
DROP FUNCTION cuentas_linea_mueve_saldo();

CREATE FUNCTION cuentas_lineas_insertadas() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    r record;
BEGIN
    SELECT n.asiento_id INTO r FROM lineas_nuevas n LEFT JOIN cuentas_asiento a ON a.id = n.asiento_id
     WHERE a.transaccion IS DISTINCT FROM txid_current() LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'El asiento % no es de esta transacción: un asiento registrado no admite más líneas', r.asiento_id
            USING ERRCODE = 'restrict_violation';
    END IF;
    SELECT n.obligacion_id, n.cuenta_id INTO r FROM lineas_nuevas n LEFT JOIN cuentas_obligacion o ON o.id = n.obligacion_id
     WHERE n.obligacion_id IS NOT NULL AND o.cuenta_id IS DISTINCT FROM n.cuenta_id LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'La obligación % no pertenece a la cuenta %', r.obligacion_id, r.cuenta_id
            USING ERRCODE = 'check_violation';
    END IF;
    SELECT a.tipo, n.obligacion_id INTO r
      FROM lineas_nuevas n JOIN cuentas_obligacion o ON o.id = n.obligacion_id JOIN cuentas_asiento a ON a.id = n.asiento_id
     WHERE n.haber > 0 AND o.concepto IN ('cotizacion_laboral', 'cotizacion_patronal', 'insaforp')
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
CREATE TRIGGER lineaasiento_insertadas AFTER INSERT ON cuentas_lineaasiento
    REFERENCING NEW TABLE AS lineas_nuevas FOR EACH STATEMENT EXECUTE FUNCTION cuentas_lineas_insertadas();

CREATE INDEX lineaasiento_por_aplicar ON cuentas_lineaasiento (cuenta_id) INCLUDE (debe, haber)
    WHERE cuenta_contable_codigo = '2130101';

CREATE OR REPLACE FUNCTION cuentas_obligacion_inmutable() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v_saldo numeric;
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'Las obligaciones no se borran (obligación %)', OLD.id USING ERRCODE = 'restrict_violation';
    END IF;
    v_saldo := NEW.saldo;
    NEW.saldo := OLD.saldo;
    IF NEW IS DISTINCT FROM OLD THEN
        RAISE EXCEPTION 'Una obligación no se modifica; registre un asiento (obligación %)', OLD.id
            USING ERRCODE = 'restrict_violation';
    END IF;
    NEW.saldo := v_saldo;
    RETURN NEW;
END $$;
"""

GUARDAS_REVERSA = r"""
DROP INDEX IF EXISTS lineaasiento_por_aplicar;

CREATE OR REPLACE FUNCTION cuentas_obligacion_inmutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'Las obligaciones no se borran (obligación %)', OLD.id USING ERRCODE = 'restrict_violation';
    END IF;
    IF (to_jsonb(NEW) - 'saldo') IS DISTINCT FROM (to_jsonb(OLD) - 'saldo') THEN
        RAISE EXCEPTION 'Una obligación no se modifica; registre un asiento (obligación %)', OLD.id
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END $$;

DROP TRIGGER IF EXISTS lineaasiento_insertadas ON cuentas_lineaasiento;
DROP FUNCTION IF EXISTS cuentas_lineas_insertadas();
CREATE FUNCTION cuentas_linea_mueve_saldo() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v_concepto text;
    v_cuenta bigint;
    v_tipo text;
BEGIN
    IF NEW.obligacion_id IS NULL THEN
        RETURN NEW;
    END IF;
    SELECT concepto, cuenta_id INTO v_concepto, v_cuenta FROM cuentas_obligacion WHERE id = NEW.obligacion_id;
    IF v_cuenta IS DISTINCT FROM NEW.cuenta_id THEN
        RAISE EXCEPTION 'La obligación % no pertenece a la cuenta %', NEW.obligacion_id, NEW.cuenta_id
            USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.haber > 0 AND v_concepto IN ('cotizacion_laboral', 'cotizacion_patronal', 'insaforp') THEN
        SELECT tipo INTO v_tipo FROM cuentas_asiento WHERE id = NEW.asiento_id;
        IF v_tipo IN ('exoneracion', 'anulacion') THEN
            RAISE EXCEPTION 'Una % no puede reducir cotizaciones (obligación %)', v_tipo, NEW.obligacion_id
                USING ERRCODE = 'check_violation';
        END IF;
    END IF;
    UPDATE cuentas_obligacion SET saldo = saldo + NEW.debe - NEW.haber WHERE id = NEW.obligacion_id;
    RETURN NEW;
END $$;
CREATE TRIGGER lineaasiento_mueve_saldo AFTER INSERT ON cuentas_lineaasiento
    FOR EACH ROW EXECUTE FUNCTION cuentas_linea_mueve_saldo();
CREATE CONSTRAINT TRIGGER lineaasiento_cuadra AFTER INSERT ON cuentas_lineaasiento
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION cuentas_asiento_cuadra();

DROP TRIGGER IF EXISTS asiento_transaccion ON cuentas_asiento;
DROP FUNCTION IF EXISTS cuentas_asiento_transaccion();
ALTER TABLE cuentas_asiento DROP COLUMN IF EXISTS transaccion;
"""


class Migration(migrations.Migration):
    dependencies = [("cuentas", "0007_claves_de_parametros")]

    operations = [migrations.RunSQL(GUARDAS, GUARDAS_REVERSA)]
