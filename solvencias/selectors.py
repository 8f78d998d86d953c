"""Reads of the solvencias app, scoped by the user's permissions, and the public verification lookup."""
import re
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from cuentas.identificadores import nit_validar, solo_digitos
from cuentas.models import Cuenta, Deudor
from cuentas.selectors import deudores_para_usuario

from .models import ConsultaApi, Solvencia, Verificacion


@dataclass
class Identificacion:
    """What the technician typed, resolved: the deudor (None if the NIT is not registered) and the
    NIT (or DUI) it stands for. `error` says why it could not be read."""

    texto: str
    deudor: Deudor | None = None
    nit: str = ""
    error: str = ""


def identificar(*, user, texto: str) -> Identificacion:
    """A NIT (14 digits), a DUI used as NIT (9) or a número patronal, with or without dashes."""
    digitos = solo_digitos(texto)
    res = Identificacion(texto=texto)
    if not digitos.isdigit():
        res.error = "Escriba un NIT (####-######-###-#), un DUI o un número patronal."
        return res
    deudores = deudores_para_usuario(user=user)
    if len(digitos) == 14:
        try:
            res.nit = nit_validar(digitos)
        except ValidationError as exc:
            res.error = exc.messages[0]
            return res
        res.deudor = deudores.filter(nit=res.nit).first()
        return res
    if len(digitos) == 9:
        res.deudor = deudores.filter(dui=digitos).first()
        if res.deudor:
            res.nit = res.deudor.nit or digitos
            return res
    cuenta = Cuenta.objects.filter(numero=digitos, deudor__in=deudores).select_related("deudor").first()
    if cuenta is not None:
        res.deudor, res.nit = cuenta.deudor, cuenta.deudor.nit or cuenta.deudor.dui
        return res
    res.error = "No se encontró ese NIT, DUI ni número patronal." if len(digitos) != 14 else ""
    return res


def solvencias_buscar(*, user, texto: str = "", tipo: str = "", dia: date | None = None,
                      emitida_por_id=None, estado: str = "") -> QuerySet[Solvencia]:
    if not user.has_perm("solvencias.view_solvencia"):
        return Solvencia.objects.none()
    qs = Solvencia.objects.select_related("documento", "emitida_por").defer("documento__pdf", "documento__datos", "datos")
    texto = texto.strip()
    if texto:
        digitos, codigo = solo_digitos(texto), codigo_normalizar(texto)
        filtro = Q(codigo=codigo)
        folio = re.fullmatch(r"(SV|NI)-(\d{4})-(\d{1,9})", texto.upper())
        if folio:
            filtro |= Q(documento__tipo="solvencia" if folio[1] == "SV" else "no_inscrito",
                        documento__anio=int(folio[2]), documento__numero=int(folio[3]))
        if digitos.isdigit():
            filtro |= Q(nit=digitos) | Q(numeros_patronales__contains=[digitos])
        qs = qs.filter(filtro)
    if tipo:
        qs = qs.filter(tipo=tipo)
    if dia:
        qs = qs.filter(emitida_en__date=dia)
    if emitida_por_id:
        qs = qs.filter(emitida_por_id=emitida_por_id)
    hoy = timezone.localdate()
    if estado == Solvencia.Estado.ANULADA:
        qs = qs.filter(anulada_en__isnull=False)
    elif estado == Solvencia.Estado.VIGENTE:
        qs = qs.filter(anulada_en__isnull=True, valida_hasta__gte=hoy)
    elif estado == Solvencia.Estado.VENCIDA:
        qs = qs.filter(anulada_en__isnull=True, valida_hasta__lt=hoy)
    return qs.order_by("-emitida_en", "-id")


def solvencias_resumen(qs: QuerySet[Solvencia]) -> list[dict]:
    """How many of the listed certificates each user issued, by type (one GROUP BY)."""
    return list(qs.order_by().values("emitida_por__username", "emitida_por__first_name", "emitida_por__last_name", "tipo")
                .annotate(n=Count("id")).order_by("emitida_por__username", "tipo"))


def solvencia_detalle(*, user, pk: int) -> Solvencia:
    return solvencias_buscar(user=user).select_related("anulada_por", "deudor").get(pk=pk)


def verificaciones_para_usuario(*, user, texto: str = "", resultado: str = "") -> QuerySet[Verificacion]:
    if not user.has_perm("solvencias.view_verificacion"):
        return Verificacion.objects.none()
    qs = Verificacion.objects.select_related("solvencia__documento").defer("solvencia__documento__pdf")
    if texto:
        qs = qs.filter(Q(ip=texto) if _es_ip(texto) else Q(codigo__startswith=codigo_normalizar(texto)))
    if resultado:
        qs = qs.filter(resultado=resultado)
    return qs.order_by("-momento", "-id")


def consultas_api_para_usuario(*, user, nit: str = "") -> QuerySet[ConsultaApi]:
    if not user.has_perm("solvencias.view_consultaapi"):
        return ConsultaApi.objects.none()
    qs = ConsultaApi.objects.select_related("usuario")
    if nit:
        qs = qs.filter(nit=solo_digitos(nit))
    return qs.order_by("-momento", "-id")


def _es_ip(texto: str) -> bool:
    import ipaddress
    try:
        ipaddress.ip_address(texto.strip())
        return True
    except ValueError:
        return False


# --- public verification ---------------------------------------------------------------------------------

def codigo_normalizar(texto: str) -> str:
    """Codes are printed in groups (ABCDE-FGHJK-…) and typed by hand: drop separators, upper-case."""
    return re.sub(r"[\s\-.]", "", texto or "").upper()[:64]


def verificar(*, codigo: str, nit: str = "", hoy: date | None = None) -> tuple[str, Solvencia | None]:
    """(resultado, solvencia). A NIT given that is not the certificate's answers no encontrada, as an
    unknown code does: the page never confirms that a code exists for someone else."""
    codigo = codigo_normalizar(codigo)
    solvencia = (Solvencia.objects.select_related("documento").defer("documento__pdf", "documento__datos", "datos")
                 .filter(codigo=codigo).first()) if codigo else None
    if solvencia is None or (nit and solo_digitos(nit) not in {solvencia.nit}):
        return Verificacion.Resultado.NO_ENCONTRADA, None
    return solvencia.estado_al(hoy), solvencia


# --- the monthly electronic batch --------------------------------------------------------------------------

def deudores_para_lote_electronico() -> list[int]:
    """Ids of the active Zona Franca / DPA employers (with a número patronal) a monthly batch covers.
    The service is idempotent per (deudor, month), so a re-run simply finds what is already issued."""
    return list(Deudor.objects.filter(zona_franca_dpa=True, activo=True, cuentas__tipo=Cuenta.Tipo.PATRONAL)
                .distinct().order_by("pk").values_list("pk", flat=True))


def solvencia_vigente(*, nit: str, hoy: date | None = None) -> Solvencia | None:
    """The latest certificate of this NIT that is valid today (for the API)."""
    hoy = hoy or timezone.localdate()
    return (Solvencia.objects.filter(nit=nit, anulada_en__isnull=True, valida_hasta__gte=hoy)
            .exclude(tipo=Solvencia.Tipo.NO_INSCRITO).order_by("-emitida_en").first())
