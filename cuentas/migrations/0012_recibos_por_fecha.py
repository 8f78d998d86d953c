"""The payments list, newest first, reads this index instead of sorting every receipt."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cuentas', '0011_lineas_netas_e_indices_de_conciliacion'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='recibo',
            index=models.Index(fields=['-fecha_pago', '-id'], name='recibo_por_fecha'),
        ),
    ]
