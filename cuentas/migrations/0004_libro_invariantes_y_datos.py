"""Database guards of the ledger (see cuentas/models/libro.py) and the initial rules, holidays,
channels and chart of accounts (cuentas.datos_base)."""
from django.db import migrations

GUARDAS = r"""
CREATE FUNCTION cuentas_solo_insercion() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'La tabla % es de solo inserción: % no está permitido', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'restrict_violation';
END $$;

CREATE TRIGGER asiento_solo_insercion BEFORE UPDATE OR DELETE ON cuentas_asiento
    FOR EACH ROW EXECUTE FUNCTION cuentas_solo_insercion();
CREATE TRIGGER lineaasiento_solo_insercion BEFORE UPDATE OR DELETE ON cuentas_lineaasiento
    FOR EACH ROW EXECUTE FUNCTION cuentas_solo_insercion();
CREATE TRIGGER planilla_solo_insercion BEFORE UPDATE OR DELETE ON cuentas_planilla
    FOR EACH ROW EXECUTE FUNCTION cuentas_solo_insercion();
CREATE TRIGGER lineaplanilla_solo_insercion BEFORE UPDATE OR DELETE ON cuentas_lineaplanilla
    FOR EACH ROW EXECUTE FUNCTION cuentas_solo_insercion();

-- Obligations: only the cached saldo may change (and only the leg trigger changes it); never deleted.
CREATE FUNCTION cuentas_obligacion_inmutable() RETURNS trigger LANGUAGE plpgsql AS $$
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
CREATE TRIGGER obligacion_inmutable BEFORE UPDATE OR DELETE ON cuentas_obligacion
    FOR EACH ROW EXECUTE FUNCTION cuentas_obligacion_inmutable();

-- Receipts: once recorded, only their cuenta may be set (when identified); never deleted.
CREATE FUNCTION cuentas_recibo_inmutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'Los recibos no se borran (recibo %)', OLD.id USING ERRCODE = 'restrict_violation';
    END IF;
    IF (to_jsonb(NEW) - 'cuenta_id') IS DISTINCT FROM (to_jsonb(OLD) - 'cuenta_id')
       OR (OLD.cuenta_id IS NOT NULL AND NEW.cuenta_id IS DISTINCT FROM OLD.cuenta_id) THEN
        RAISE EXCEPTION 'Un recibo no se modifica (recibo %)', OLD.id USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER recibo_inmutable BEFORE UPDATE OR DELETE ON cuentas_recibo
    FOR EACH ROW EXECUTE FUNCTION cuentas_recibo_inmutable();

-- A leg on an obligation moves its cached saldo in the same transaction. The CHECK on saldo
-- (0..monto) then refuses any overpayment. Exonerations and annulments never credit contributions.
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

-- Double entry, checked at commit (deferred) so the legs can be inserted one by one.
CREATE FUNCTION cuentas_asiento_cuadra() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v_asiento bigint;
    v_debe numeric;
    v_haber numeric;
    v_lineas int;
BEGIN
    IF TG_TABLE_NAME = 'cuentas_asiento' THEN
        v_asiento := NEW.id;
    ELSE
        v_asiento := NEW.asiento_id;
    END IF;
    SELECT coalesce(sum(debe), 0), coalesce(sum(haber), 0), count(*)
      INTO v_debe, v_haber, v_lineas
      FROM cuentas_lineaasiento WHERE asiento_id = v_asiento;
    IF v_lineas < 2 THEN
        RAISE EXCEPTION 'El asiento % necesita al menos dos líneas', v_asiento USING ERRCODE = 'check_violation';
    END IF;
    IF v_debe <> v_haber THEN
        RAISE EXCEPTION 'El asiento % no cuadra: debe % y haber %', v_asiento, v_debe, v_haber
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER asiento_cuadra AFTER INSERT ON cuentas_asiento
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION cuentas_asiento_cuadra();
CREATE CONSTRAINT TRIGGER lineaasiento_cuadra AFTER INSERT ON cuentas_lineaasiento
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION cuentas_asiento_cuadra();
"""

GUARDAS_REVERSA = r"""
DROP TRIGGER IF EXISTS lineaasiento_cuadra ON cuentas_lineaasiento;
DROP TRIGGER IF EXISTS asiento_cuadra ON cuentas_asiento;
DROP FUNCTION IF EXISTS cuentas_asiento_cuadra();
DROP TRIGGER IF EXISTS lineaasiento_mueve_saldo ON cuentas_lineaasiento;
DROP FUNCTION IF EXISTS cuentas_linea_mueve_saldo();
DROP TRIGGER IF EXISTS recibo_inmutable ON cuentas_recibo;
DROP FUNCTION IF EXISTS cuentas_recibo_inmutable();
DROP TRIGGER IF EXISTS obligacion_inmutable ON cuentas_obligacion;
DROP FUNCTION IF EXISTS cuentas_obligacion_inmutable();
DROP TRIGGER IF EXISTS lineaplanilla_solo_insercion ON cuentas_lineaplanilla;
DROP TRIGGER IF EXISTS planilla_solo_insercion ON cuentas_planilla;
DROP TRIGGER IF EXISTS lineaasiento_solo_insercion ON cuentas_lineaasiento;
DROP TRIGGER IF EXISTS asiento_solo_insercion ON cuentas_asiento;
DROP FUNCTION IF EXISTS cuentas_solo_insercion();
"""

def cargar_datos(apps, schema_editor):
    from cuentas.datos_base import cargar

    cargar(apps)


class Migration(migrations.Migration):
    dependencies = [("cuentas", "0003_libro")]

    operations = [
        migrations.RunSQL(GUARDAS, GUARDAS_REVERSA),
        migrations.RunPython(cargar_datos, migrations.RunPython.noop),
    ]
