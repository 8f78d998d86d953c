"""Writes of the solvencias app: issue (solvency, electronic solvency, constancia de no inscrito),
annul, and the logs of public verifications and API queries.

Every issue runs in one transaction that first takes the row locks the posting service takes on the
cuentas of the NIT (cuentas_bloquear), then evaluates, then numbers and renders the document: a charge
posted meanwhile waits for the commit, and one posted before is seen. The snapshot certified is kept on
the Solvencia and in the document register."""
import calendar
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cuentas.identificadores import nit_validar
from cuentas.models import Cuenta, Deudor
from cuentas.reglas import Reglas
from cuentas.services.libro import cuentas_bloquear
from issscobros.auditoria import auditar
from issscobros.documentos import documento_emitir
from issscobros.errores import ErrorDeNegocio
from issscobros.models import Documento

from .documentos import url_base as _url_base
from .elegibilidad import PARAM_VIGENCIA, Evaluacion, evaluar
from .models import ConsultaApi, Solvencia, Verificacion


class NoSolvente(ErrorDeNegocio):
    """The NIT owes something overdue; `evaluacion.motivos` says what."""

    def __init__(self, evaluacion: Evaluacion):
        n = len(evaluacion.motivos)
        super().__init__(f"No se puede emitir: el NIT registra {n} obligaci{'ón' if n == 1 else 'ones'} vencida{'' if n == 1 else 's'}.")
        self.evaluacion = evaluacion


def _ultimo_dia(dia: date) -> date:
    return dia.replace(day=calendar.monthrange(dia.year, dia.month)[1])


def _mes_siguiente(dia: date) -> date:
    return date(dia.year + (dia.month == 12), dia.month % 12 + 1, 1)


def valida_hasta(emision: date, reglas: Reglas) -> date:
    """R11: N days counted from the day after issue — issued on the 1st, 30 days: valid through the 31st."""
    return emision + timedelta(days=int(reglas.valor(PARAM_VIGENCIA, emision)))


def _bloquear(deudor: Deudor) -> Deudor:
    # The deudor row first (it exists even without cuentas, so two issues for one NIT always queue),
    # then its cuentas in id order, as every posting does.
    deudor = Deudor.objects.select_for_update().get(pk=deudor.pk)
    cuentas_bloquear(Cuenta.objects.filter(deudor=deudor).values_list("pk", flat=True))
    return deudor


def _emitir(*, actor, tipo: str, evaluacion: Evaluacion, nit: str, nombre: str, hasta: date, url_base: str | None,
            mes: date | None = None) -> Solvencia:
    datos = evaluacion.foto()
    documento = documento_emitir(
        actor=actor, tipo=Documento.Tipo.NO_INSCRITO if tipo == Solvencia.Tipo.NO_INSCRITO else Documento.Tipo.SOLVENCIA,
        plantilla="impresos/constancia_no_inscrito.html" if tipo == Solvencia.Tipo.NO_INSCRITO else "impresos/solvencia.html",
        contexto={"tipo": tipo, "ev": evaluacion, "nit": nit, "nombre": nombre, "valida_hasta": hasta, "mes": mes,
                  "url_base": url_base or _url_base()},
        datos={**datos, "tipo": tipo, "nombre": nombre, "valida_hasta": hasta.isoformat(),
               "mes_cubierto": mes and f"{mes:%Y-%m}"},
        referencia=nit)
    solvencia = Solvencia.objects.create(
        tipo=tipo, deudor=evaluacion.deudor, nit=nit, nombre=nombre, numeros_patronales=evaluacion.numeros_patronales,
        mes_cubierto=mes, emitida_en=documento.emitido_en, valida_hasta=hasta, codigo=documento.codigo,
        documento=documento, emitida_por=actor, datos=datos)
    auditar(actor=actor, accion=f"solvencia.emitir.{tipo}", objeto=solvencia,
            despues={"folio": documento.folio, "nit": nit, "valida_hasta": hasta.isoformat(),
                     "mes_cubierto": mes and f"{mes:%Y-%m}"})
    return solvencia


@transaction.atomic
def solvencia_emitir(*, actor, deudor: Deudor, url_base: str | None = None) -> Solvencia:
    """The solvency of a NIT at the window: every cuenta checked as of now (R11)."""
    deudor = _bloquear(deudor)
    ev = evaluar(deudor=deudor)
    if not ev.inscrito:
        raise ErrorDeNegocio("El NIT no tiene número patronal: corresponde una constancia de no inscrito (R13).")
    if not ev.solvente:
        raise NoSolvente(ev)
    reglas = Reglas.cargar()
    return _emitir(actor=actor, tipo=Solvencia.Tipo.SOLVENCIA, evaluacion=ev, nit=ev.nit, nombre=deudor.razon_social,
                   hasta=valida_hasta(ev.fecha, reglas), url_base=url_base)


@transaction.atomic
def constancia_no_inscrito_emitir(*, actor, nit: str, nombre: str = "", url_base: str | None = None) -> Solvencia:
    """R13: a NIT with no número patronal. If the NIT is a deudor for other receivables (a supplier, a
    tenant), those are checked too: the constancia is not issued while something is overdue."""
    try:
        nit = nit_validar(nit)
    except ValidationError as exc:
        raise ErrorDeNegocio(exc.messages[0], campo="nit") from exc
    deudor = Deudor.objects.filter(nit=nit).first()
    if deudor is not None:
        deudor = _bloquear(deudor)
        nombre = deudor.razon_social
    elif not nombre.strip():
        raise ErrorDeNegocio("Indique el nombre o la razón social de quien solicita la constancia.", campo="nombre")
    ev = evaluar(deudor=deudor, nit=nit)
    if ev.inscrito:
        raise ErrorDeNegocio("Ese NIT está inscrito como patrono: corresponde una solvencia, no una constancia.", campo="nit")
    if not ev.solvente:
        raise NoSolvente(ev)
    return _emitir(actor=actor, tipo=Solvencia.Tipo.NO_INSCRITO, evaluacion=ev, nit=nit, nombre=nombre.strip(),
                   hasta=valida_hasta(ev.fecha, Reglas.cargar()), url_base=url_base)


def mes_anterior(hoy: date | None = None) -> date:
    hoy = hoy or timezone.localdate()
    return (hoy.replace(day=1) - timedelta(days=1)).replace(day=1)


@transaction.atomic
def solvencia_electronica_emitir(*, actor, deudor_id: int, mes: date, url_base: str | None = None) -> Solvencia:
    """R12, Zona Franca / DPA: solvent for `mes` means nothing that fell due by the last day of that
    month is still unpaid now (what fell due later does not count). Valid the usual N days, but never
    past the end of the following month, when customs will ask for that month instead.
    Idempotent per (deudor, mes): a second call returns the first certificate (not annulled)."""
    mes = mes.replace(day=1)
    hoy = timezone.localdate()
    if mes >= hoy.replace(day=1):
        raise ErrorDeNegocio(f"El mes {mes:%m/%Y} aún no ha terminado: solo se certifican meses cerrados.", campo="mes")
    deudor = _bloquear(Deudor.objects.get(pk=deudor_id))
    existente = Solvencia.objects.filter(tipo=Solvencia.Tipo.ELECTRONICA, deudor=deudor, mes_cubierto=mes,
                                         anulada_en__isnull=True).first()
    if existente is not None:
        return existente
    if not deudor.zona_franca_dpa:
        raise ErrorDeNegocio(f"{deudor.razon_social} no es usuario de Zona Franca ni de DPA.")
    ev = evaluar(deudor=deudor, corte=_mes_siguiente(mes))
    if not ev.inscrito:
        raise ErrorDeNegocio("El NIT no tiene número patronal: no corresponde solvencia electrónica.")
    if not ev.solvente:
        raise NoSolvente(ev)
    hasta = min(valida_hasta(hoy, Reglas.cargar()), _ultimo_dia(_mes_siguiente(mes)))
    return _emitir(actor=actor, tipo=Solvencia.Tipo.ELECTRONICA, evaluacion=ev, nit=ev.nit, nombre=deudor.razon_social,
                   hasta=hasta, url_base=url_base, mes=mes)


@transaction.atomic
def solvencia_anular(*, actor, solvencia: Solvencia, motivo: str) -> Solvencia:
    """A certificate issued in error stops verifying as valid; it is never deleted."""
    if not actor.has_perm("solvencias.anular_solvencia"):
        raise ErrorDeNegocio("Su rol no puede anular solvencias.")
    if not motivo.strip():
        raise ErrorDeNegocio("Indique el motivo de la anulación.", campo="motivo")
    solvencia = Solvencia.objects.select_for_update().get(pk=solvencia.pk)
    if solvencia.anulada_en is not None:
        raise ErrorDeNegocio(f"La solvencia {solvencia.folio} ya está anulada.")
    solvencia.anulada_en, solvencia.anulada_por, solvencia.motivo_anulacion = timezone.now(), actor, motivo.strip()
    solvencia.save(update_fields=["anulada_en", "anulada_por", "motivo_anulacion"])
    auditar(actor=actor, accion="solvencia.anular", objeto=solvencia, despues={"motivo": solvencia.motivo_anulacion})
    return solvencia


def verificacion_registrar(*, ip: str | None, codigo: str, nit: str, resultado: str,
                           solvencia: Solvencia | None) -> Verificacion:
    return Verificacion.objects.create(ip=ip or None, codigo=codigo[:64], nit=nit[:20], resultado=resultado,
                                       solvencia=solvencia)


def consulta_api_registrar(*, usuario, nit: str, estado_http: int, respuesta: dict) -> ConsultaApi:
    return ConsultaApi.objects.create(usuario=usuario, nit=nit[:20], estado_http=estado_http,
                                      solvente=respuesta.get("solvente"), respuesta=respuesta)
