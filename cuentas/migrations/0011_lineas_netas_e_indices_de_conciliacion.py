"""Each leg's net in cents (debe − haber, a stored column PostgreSQL computes) and covering indexes
for the reconciliation (issue #8): each check reads one index, not the 14 M-leg table, and adds up
integers instead of numerics; one more holds the obligations' legs by date, for balances as of a
date (aging). The foreign keys' own indexes go first (each covering index also serves its key's
lookups; the one on `cuenta` repeated `linea_cuenta_contable`), so the column is added, which
rewrites the table, with fewer indexes to rebuild."""

import django.db.models.deletion
import django.db.models.expressions
import django.db.models.functions.comparison
from django.conf import settings
from django.db import migrations, models

_INDICES = {  # as Django named them in 0003_libro
    "cuentas_lineaasiento_asiento_id_cb515b4f": "(asiento_id)",
    "cuentas_lineaasiento_cuenta_id_38e41e71": "(cuenta_id)",
    "cuentas_lineaasiento_cuenta_contable_codigo_2e18e1c0": "(cuenta_contable_codigo)",
    "cuentas_lineaasiento_cuenta_contable_codigo_2e18e1c0_like": "(cuenta_contable_codigo varchar_pattern_ops)",
    "cuentas_lineaasiento_obligacion_id_033d5319": "(obligacion_id)",
    "cuentas_lineaasiento_recibo_id_5e503913": "(recibo_id)",
}
SIN_INDICES_DE_CLAVES = [f"DROP INDEX {nombre}" for nombre in _INDICES]
CON_INDICES_DE_CLAVES = [f"CREATE INDEX {nombre} ON cuentas_lineaasiento {columnas}" for nombre, columnas in _INDICES.items()]


class Migration(migrations.Migration):

    dependencies = [
        ('cuentas', '0010_lineaasiento_fecha_valor'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # Django would drop and re-add each foreign key (validating 14 M legs five times) to drop its
        # index: drop only the indexes.
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunSQL(SIN_INDICES_DE_CLAVES, CON_INDICES_DE_CLAVES)],
            state_operations=[
                migrations.AlterField(
                    model_name='lineaasiento',
                    name='asiento',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='lineas', to='cuentas.asiento'),
                ),
                migrations.AlterField(
                    model_name='lineaasiento',
                    name='cuenta',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='lineas', to='cuentas.cuenta'),
                ),
                migrations.AlterField(
                    model_name='lineaasiento',
                    name='cuenta_contable',
                    field=models.ForeignKey(db_column='cuenta_contable_codigo', db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='lineas', to='cuentas.cuentacontable', to_field='codigo'),
                ),
                migrations.AlterField(
                    model_name='lineaasiento',
                    name='obligacion',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='lineas', to='cuentas.obligacion'),
                ),
                migrations.AlterField(
                    model_name='lineaasiento',
                    name='recibo',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='lineas', to='cuentas.recibo'),
                ),
            ],
        ),
        migrations.AddField(
            model_name='lineaasiento',
            name='neto_centavos',
            field=models.GeneratedField(db_persist=True, expression=django.db.models.functions.comparison.Cast(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(models.F('debe'), '-', models.F('haber')), '*', models.Value(100)), models.BigIntegerField()), output_field=models.BigIntegerField(), verbose_name='neto en centavos'),
        ),
        migrations.AddIndex(
            model_name='asiento',
            index=models.Index(condition=models.Q(('tipo', 'aplicacion')), fields=['id'], name='asiento_aplicaciones'),
        ),
        migrations.AddIndex(
            model_name='asiento',
            index=models.Index(condition=models.Q(('tipo', 'reversa')), fields=['reversa_de'], name='asiento_reversiones'),
        ),
        migrations.AddIndex(
            model_name='lineaasiento',
            index=models.Index(fields=['asiento'], include=('fecha_valor', 'neto_centavos'), name='linea_por_asiento'),
        ),
        migrations.AddIndex(
            model_name='lineaasiento',
            index=models.Index(condition=models.Q(('obligacion__isnull', False)), fields=['obligacion'], include=('cuenta', 'neto_centavos'), name='linea_por_obligacion'),
        ),
        migrations.AddIndex(
            model_name='lineaasiento',
            index=models.Index(condition=models.Q(('recibo__isnull', False)), fields=['recibo'], include=('cuenta_contable', 'asiento', 'fecha_valor', 'neto_centavos'), name='linea_por_recibo'),
        ),
        migrations.AddIndex(
            model_name='lineaasiento',
            index=models.Index(fields=['cuenta_contable', 'fecha_valor'], include=('neto_centavos',), name='linea_por_cuenta_y_dia'),
        ),
        migrations.AddIndex(
            model_name='lineaasiento',
            index=models.Index(condition=models.Q(('obligacion__isnull', False)), fields=['fecha_valor'], include=('obligacion', 'neto_centavos'), name='linea_por_dia_obligacion'),
        ),
    ]
