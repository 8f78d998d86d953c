"""The debtor registry: Deudor (who owes) and Cuenta (a receivable account of a deudor).

Invariants and where they are enforced:
- A deudor is identified by a NIT (14 digits) or a DUI (9 digits), at least one: CHECK constraint
  `deudor_nit_o_dui`; format and check digits validated in forms/services (cuentas.identificadores).
- A NIT belongs to one deudor; a número patronal (Cuenta.numero) to exactly one cuenta, hence one
  NIT: UNIQUE constraints.
- Nothing is hard-deleted: `activo` / `estado` (deactivate instead), and PROTECT on foreign keys.
- Writes go through cuentas.services, which audit them.
"""
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models import Q

from issscobros.models import Sucursal

from ..identificadores import dui_formatear, nit_formatear


class Deudor(models.Model):
    class Tipo(models.TextChoices):
        PATRONO = "patrono", "Patrono"
        PROVEEDOR = "proveedor", "Proveedor"
        ARRENDATARIO = "arrendatario", "Arrendatario"
        ASEGURADORA = "aseguradora", "Aseguradora"
        EMPLEADO = "empleado", "Empleado o ex empleado"
        ESTADO = "estado", "Estado"

    tipo = models.CharField("tipo de deudor", max_length=20, choices=Tipo.choices, default=Tipo.PATRONO)
    nit = models.CharField("NIT", max_length=14, null=True, blank=True, unique=True)
    dui = models.CharField("DUI", max_length=9, null=True, blank=True, unique=True)
    razon_social = models.CharField("nombre o razón social", max_length=200)
    nombre_comercial = models.CharField("nombre comercial", max_length=200, blank=True)
    direccion = models.CharField("dirección", max_length=300, blank=True)
    municipio = models.CharField("municipio", max_length=80, blank=True)
    telefono = models.CharField("teléfono", max_length=30, blank=True)
    correo = models.EmailField("correo electrónico", blank=True)
    representante_legal = models.CharField("representante legal", max_length=200, blank=True)
    sucursal = models.ForeignKey(
        Sucursal, verbose_name="sucursal", on_delete=models.PROTECT, related_name="deudores"
    )
    zona_franca_dpa = models.BooleanField("usuario de Zona Franca o DPA", default=False)
    regimen_especial = models.BooleanField(
        "régimen especial del sector público", default=False,
        help_text="LSS Art. 99: solo atención médica, tasas 6.68 % y 2.67 %.",
    )
    activo = models.BooleanField("activo", default=True)
    creado_en = models.DateTimeField("creado en", auto_now_add=True)
    actualizado_en = models.DateTimeField("actualizado en", auto_now=True)
    # Accent-folded, lower-case name and trade name, kept by the service; PostgreSQL derives the
    # search vector from it (no unaccent/pg_trgm needed: the embedded server ships neither).
    nombre_normalizado = models.TextField(editable=False, default="")
    busqueda = models.GeneratedField(
        expression=SearchVector("nombre_normalizado", config="simple"),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    class Meta:
        ordering = ["razon_social", "id"]
        verbose_name = "deudor"
        verbose_name_plural = "deudores"
        constraints = [
            models.CheckConstraint(
                condition=Q(nit__isnull=False) | Q(dui__isnull=False),
                name="deudor_nit_o_dui",
                violation_error_message="Indique el NIT o el DUI.",
            ),
            models.CheckConstraint(condition=~Q(razon_social=""), name="deudor_nombre_no_vacio"),
        ]
        indexes = [
            GinIndex(fields=["busqueda"], name="deudor_busqueda_gin"),
            models.Index(fields=["razon_social", "id"], name="deudor_orden_nombre"),  # the list's order
            # Prefix search (LIKE 'x%') on identifiers under a non-C collation needs pattern ops.
            models.Index(OpClass("nit", name="varchar_pattern_ops"), name="deudor_nit_prefijo"),
            models.Index(OpClass("dui", name="varchar_pattern_ops"), name="deudor_dui_prefijo"),
        ]

    def __str__(self):
        return self.razon_social

    @property
    def nit_formateado(self):
        return nit_formatear(self.nit)

    @property
    def dui_formateado(self):
        return dui_formatear(self.dui)

    @property
    def identificacion(self):
        return self.nit_formateado or self.dui_formateado


class Cuenta(models.Model):
    """A receivable account: for an employer one per número patronal; for other deudores one per
    contract or reference. Balances live per cuenta (ledger issue)."""

    class Tipo(models.TextChoices):
        PATRONAL = "patronal", "Número patronal"
        CONTRATO_PROVEEDOR = "contrato_proveedor", "Contrato de proveedor"
        ARRENDAMIENTO = "arrendamiento", "Arrendamiento"
        SEGURO = "seguro", "Recuperación de seguro"
        SERVICIOS_MEDICOS = "servicios_medicos", "Servicios médicos a beneficiarios"
        APORTE_ESTADO = "aporte_estado", "Aporte del Estado"
        OTROS = "otros", "Otros"

    class Estado(models.TextChoices):
        ACTIVA = "activa", "Activa"
        INACTIVA = "inactiva", "Inactiva"

    deudor = models.ForeignKey(Deudor, verbose_name="deudor", on_delete=models.PROTECT, related_name="cuentas")
    tipo = models.CharField("tipo de cuenta", max_length=30, choices=Tipo.choices, default=Tipo.PATRONAL)
    numero = models.CharField(
        "número patronal o referencia", max_length=30, unique=True,
        error_messages={"unique": "Ese número ya pertenece a otra cuenta."},
    )
    descripcion = models.CharField("descripción", max_length=200, blank=True)
    estado = models.CharField("estado", max_length=10, choices=Estado.choices, default=Estado.ACTIVA)
    fecha_apertura = models.DateField("fecha de apertura")
    creado_en = models.DateTimeField("creado en", auto_now_add=True)

    class Meta:
        ordering = ["numero"]
        verbose_name = "cuenta"
        verbose_name_plural = "cuentas"
        indexes = [models.Index(OpClass("numero", name="varchar_pattern_ops"), name="cuenta_numero_prefijo")]
        constraints = [models.CheckConstraint(condition=~Q(numero=""), name="cuenta_numero_no_vacio")]

    def __str__(self):
        return f"{self.numero} — {self.deudor.razon_social}" if "deudor" in self._state.fields_cache else self.numero
