"""Writes of the collection work (cases, actions, referrals).

Every change of a case's state goes through `caso_transicionar` (the one state-machine step: checks
TRANSICIONES, locks the row, records who/when/why and audits). Every (re)assignment goes through
`caso_asignar`. `caso_convenio_evento` is the one door through which the convenios app moves a case."""
import hashlib
from datetime import date
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from issscobros.auditoria import auditar
from issscobros.errores import ErrorDeNegocio

from ..models import TRANSICIONES, AsignacionCaso, CambioEstadoCaso, CasoCobro, DocumentoExpediente, Gestion, PasoJudicial

E = CasoCobro.Estado


def _bloquear(caso_id: int) -> CasoCobro:
    return CasoCobro.objects.select_for_update().get(pk=caso_id)


@transaction.atomic
def caso_transicionar(*, actor, caso: CasoCobro, estado: str, motivo: str) -> CasoCobro:
    """Move a case one step along the state machine, with the reason. Raises ErrorDeNegocio for a
    transition the machine does not allow or a missing reason."""
    motivo = (motivo or "").strip()
    if not motivo:
        raise ErrorDeNegocio("Indique el motivo del cambio de estado.", campo="motivo")
    caso = _bloquear(caso.pk)
    anterior = caso.estado
    if estado not in TRANSICIONES.get(anterior, set()):
        raise ErrorDeNegocio(
            f"Un caso {E(anterior).label.lower()} no puede pasar a {E(estado).label.lower()}.", campo="estado")
    caso.estado = estado
    hoy = timezone.localdate()
    caso.cerrado_en = hoy if estado in CasoCobro.TERMINALES else None
    if estado in (E.REMITIDO_JURIDICO, *CasoCobro.TERMINALES):
        caso.propuesto_juridico_en, caso.propuesto_juridico_motivo = None, ""
    caso.actualizado_por, caso.actualizado_en = actor, timezone.now()
    caso.save(update_fields=["estado", "cerrado_en", "propuesto_juridico_en", "propuesto_juridico_motivo",
                             "actualizado_por", "actualizado_en"])
    CambioEstadoCaso.objects.create(caso=caso, estado_anterior=anterior, estado_nuevo=estado, motivo=motivo[:500],
                                    actor=actor)
    auditar(actor=actor, accion="caso.estado", objeto=caso, antes={"estado": anterior},
            despues={"estado": estado, "motivo": motivo})
    return caso


@transaction.atomic
def caso_asignar(*, actor, caso: CasoCobro, gestor, motivo: str) -> CasoCobro:
    """Assign (or reassign) a case to a gestor of its sucursal, recording the history."""
    motivo = (motivo or "").strip()
    if not motivo:
        raise ErrorDeNegocio("Indique el motivo de la reasignación.", campo="motivo")
    caso = _bloquear(caso.pk)
    if not caso.abierto:
        raise ErrorDeNegocio(f"El caso {caso.pk} está {caso.get_estado_display().lower()}: no se reasigna.")
    if caso.gestor_id == getattr(gestor, "pk", None):
        return caso
    anterior = caso.gestor_id
    caso.gestor = gestor
    caso.actualizado_por, caso.actualizado_en = actor, timezone.now()
    caso.save(update_fields=["gestor", "actualizado_por", "actualizado_en"])
    AsignacionCaso.objects.create(caso=caso, gestor_anterior_id=anterior, gestor_nuevo=gestor, motivo=motivo[:500],
                                  actor=actor)
    auditar(actor=actor, accion="caso.asignar", objeto=caso, antes={"gestor": anterior},
            despues={"gestor": getattr(gestor, "pk", None), "motivo": motivo})
    return caso


@transaction.atomic
def caso_abrir(*, actor, deudor, gestor=None, motivo: str = "Apertura manual.") -> CasoCobro:
    """Open a case for one deudor (the portfolio generation does the same for many, in SQL). The
    deudor's open case, if any, is returned unchanged."""
    existente = _caso_abierto(deudor.pk)
    if existente is not None:
        return existente
    caso = CasoCobro.objects.create(deudor=deudor, sucursal_id=deudor.sucursal_id, gestor=gestor,
                                    abierto_en=timezone.localdate(), creado_por=actor, actualizado_por=actor)
    CambioEstadoCaso.objects.create(caso=caso, estado_nuevo=E.ASIGNADO, motivo=motivo, actor=actor)
    if gestor is not None:
        AsignacionCaso.objects.create(caso=caso, gestor_nuevo=gestor, motivo=motivo, actor=actor)
    auditar(actor=actor, accion="caso.abrir", objeto=caso, despues={"deudor": deudor.pk, "gestor": getattr(gestor, "pk", None)})
    return caso


def _caso_abierto(deudor_id: int) -> CasoCobro | None:
    return (CasoCobro.objects.select_for_update().filter(deudor_id=deudor_id)
            .exclude(estado__in=CasoCobro.TERMINALES).first())


@transaction.atomic
def caso_proponer_juridico(*, actor, caso: CasoCobro, motivo: str) -> CasoCobro:
    """R14: mark a case as proposed for judicial referral (the jefe decides and refers it)."""
    caso = _bloquear(caso.pk)
    if not caso.abierto or caso.estado == E.REMITIDO_JURIDICO or caso.propuesto_juridico_en:
        return caso
    caso.propuesto_juridico_en = timezone.localdate()
    caso.propuesto_juridico_motivo = motivo[:250]
    caso.save(update_fields=["propuesto_juridico_en", "propuesto_juridico_motivo"])
    auditar(actor=actor, accion="caso.proponer_juridico", objeto=caso, despues={"motivo": motivo})
    return caso


@transaction.atomic
def caso_convenio_evento(*, actor, deudor_id: int, evento: str, motivo: str = "") -> None:
    """Move the open case of this deudor when one of its agreements changes state.

    evento: "formalizado" (→ en convenio), "incumplido" (→ back to en gestión, or proposed for judicial
    referral per R14), "cumplido" (→ cumplido). No open case: nothing to do."""
    caso = _caso_abierto(deudor_id)
    if caso is None:
        return None
    if evento == "formalizado":
        # A case already at the Unidad Jurídica stays there (a judicial settlement is followed there).
        if E.EN_CONVENIO in TRANSICIONES[caso.estado]:
            caso_transicionar(actor=actor, caso=caso, estado=E.EN_CONVENIO,
                              motivo=motivo or "Convenio de pago formalizado.")
    elif evento == "incumplido":
        if caso.estado == E.EN_CONVENIO:
            caso_transicionar(actor=actor, caso=caso, estado=E.EN_GESTION,
                              motivo=motivo or "Convenio de pago incumplido.")
        # R14: a payment commitment breached (a convenio falls after 2 consecutive unpaid cuotas)
        # exhausts administrative collection: the case is proposed for judicial referral.
        caso_proponer_juridico(actor=actor, caso=caso, motivo=motivo or "Convenio de pago incumplido (R14).")
    elif evento == "cumplido":
        if caso.estado == E.EN_CONVENIO:
            caso_transicionar(actor=actor, caso=caso, estado=E.CUMPLIDO,
                              motivo=motivo or "Convenio de pago cumplido.")
    else:
        raise ValueError(f"Evento de convenio desconocido: {evento!r}")
    return None


# --- gestiones -----------------------------------------------------------------------------------

@transaction.atomic
def gestion_registrar(*, actor, caso: CasoCobro, tipo: str, fecha: date, resultado: str, contacto: str = "",
                      comentario: str = "", promesa_fecha: date | None = None, promesa_monto: Decimal | None = None,
                      proxima_accion: date | None = None) -> Gestion:
    """Log a collection action. A promise moves the case to compromiso de pago; the first action of an
    assigned case moves it to en gestión. The case's next action date becomes this action's."""
    hoy = timezone.localdate()
    if fecha > hoy:
        raise ErrorDeNegocio("La fecha de la gestión no puede ser futura.", campo="fecha")
    if (promesa_fecha is None) != (promesa_monto is None):
        raise ErrorDeNegocio("Una promesa de pago necesita fecha y monto.",
                             campo="promesa_monto" if promesa_monto is None else "promesa_fecha")
    if promesa_monto is not None and promesa_monto <= 0:
        raise ErrorDeNegocio("El monto prometido debe ser mayor que cero.", campo="promesa_monto")
    if promesa_fecha is not None and promesa_fecha < fecha:
        raise ErrorDeNegocio("La fecha prometida no puede ser anterior a la gestión.", campo="promesa_fecha")
    if proxima_accion is not None and proxima_accion < fecha:
        raise ErrorDeNegocio("La próxima acción no puede ser anterior a la gestión.", campo="proxima_accion")
    caso = _bloquear(caso.pk)
    if caso.estado in (*CasoCobro.TERMINALES, E.REMITIDO_JURIDICO):
        raise ErrorDeNegocio(f"El caso está {caso.get_estado_display().lower()}: ya no admite gestiones de cobro administrativo.")
    if fecha < caso.abierto_en:
        raise ErrorDeNegocio(f"El caso se abrió el {caso.abierto_en:%d/%m/%Y}: la gestión no puede ser anterior.",
                             campo="fecha")
    gestion = Gestion.objects.create(
        caso=caso, tipo=tipo, fecha=fecha, resultado=resultado, contacto=contacto.strip(), comentario=comentario.strip(),
        promesa_fecha=promesa_fecha, promesa_monto=promesa_monto, proxima_accion=proxima_accion, registrado_por=actor)
    caso.ultima_gestion = max(fecha, caso.ultima_gestion or fecha)
    caso.proxima_accion = proxima_accion or promesa_fecha or caso.proxima_accion
    if promesa_fecha is not None and (caso.promesa_desde is None or fecha >= caso.promesa_desde):
        caso.promesa_desde, caso.promesa_fecha, caso.promesa_monto = fecha, promesa_fecha, promesa_monto
    caso.actualizado_por, caso.actualizado_en = actor, timezone.now()
    caso.save(update_fields=["ultima_gestion", "proxima_accion", "promesa_desde", "promesa_fecha", "promesa_monto",
                             "actualizado_por", "actualizado_en"])
    auditar(actor=actor, accion="gestion.registrar", objeto=caso, despues={
        "gestion": gestion.pk, "tipo": tipo, "resultado": resultado,
        "promesa": promesa_fecha and {"fecha": promesa_fecha.isoformat(), "monto": f"{promesa_monto:.2f}"}})
    if promesa_fecha is not None and caso.estado in (E.ASIGNADO, E.EN_GESTION):
        caso_transicionar(actor=actor, caso=caso, estado=E.COMPROMISO,
                          motivo=f"Promesa de pago de ${promesa_monto:,.2f} para el {promesa_fecha:%d/%m/%Y}.")
    elif caso.estado == E.ASIGNADO:
        caso_transicionar(actor=actor, caso=caso, estado=E.EN_GESTION,
                          motivo=f"Primera gestión: {gestion.get_tipo_display().lower()}.")
    return gestion


# --- expediente ----------------------------------------------------------------------------------

@transaction.atomic
def expediente_agregar(*, actor, caso: CasoCobro, tipo: str, descripcion: str, folios: int, archivo,
                       documento=None) -> DocumentoExpediente:
    """Add a document to the case file with the next folio numbers and the SHA-256 of its bytes.
    Nothing is removed from a file: a wrong document is corrected by adding a note."""
    if folios < 1:
        raise ErrorDeNegocio("Indique cuántos folios tiene el documento (al menos 1).", campo="folios")
    contenido = archivo.read()
    if not contenido:
        raise ErrorDeNegocio("El archivo está vacío.", campo="archivo")
    caso = _bloquear(caso.pk)  # folios are consecutive per case
    ultimo = caso.documentos.aggregate(m=Max("folio_hasta"))["m"] or 0
    nombre = getattr(archivo, "name", "documento") or "documento"
    doc = DocumentoExpediente(
        caso=caso, tipo=tipo, descripcion=descripcion.strip(), folio_desde=ultimo + 1, folio_hasta=ultimo + folios,
        nombre_original=nombre.rsplit("/", 1)[-1][:200],
        tipo_contenido=(getattr(archivo, "content_type", None) or _tipo_por_nombre(nombre))[:100],
        tamano=len(contenido), sha256=hashlib.sha256(contenido).hexdigest(), documento=documento, agregado_por=actor)
    doc.archivo.save(doc.nombre_original, ContentFile(contenido), save=False)
    doc.save()
    auditar(actor=actor, accion="expediente.agregar", objeto=caso, despues={
        "documento": doc.pk, "tipo": tipo, "folios": f"{doc.folio_desde}-{doc.folio_hasta}", "sha256": doc.sha256})
    return doc


def _tipo_por_nombre(nombre: str) -> str:
    import mimetypes

    return mimetypes.guess_type(nombre)[0] or "application/octet-stream"


# --- judicial referral ---------------------------------------------------------------------------

@transaction.atomic
def caso_remitir_juridico(*, actor, caso: CasoCobro, motivo: str, fecha: date | None = None) -> CasoCobro:
    """Close administrative collection: issue the certificación de saldos of every cuenta of the
    deudor that owes something (cuentas.documentos, the register of issued documents), file them in
    the expediente, and move the case to remitido a jurídico."""
    from cuentas.documentos import certificacion_saldos_emitir

    fecha = fecha or timezone.localdate()
    if not actor.has_perm("mora.remitir_casocobro"):
        raise ErrorDeNegocio("Su rol no puede remitir casos a cobro judicial.")
    caso = _bloquear(caso.pk)
    if E.REMITIDO_JURIDICO not in TRANSICIONES[caso.estado]:
        raise ErrorDeNegocio(f"Un caso {caso.get_estado_display().lower()} no puede remitirse a jurídico.")
    cuentas = list(caso.deudor.cuentas.filter(obligaciones__saldo__gt=0).distinct().order_by("numero"))
    if not cuentas:
        raise ErrorDeNegocio("El deudor no tiene saldo pendiente: no hay nada que certificar.")
    for cuenta in cuentas:
        documento = certificacion_saldos_emitir(actor=actor, cuenta=cuenta, fecha=fecha)
        archivo = ContentFile(bytes(documento.pdf), name=f"{documento.folio}.pdf")
        archivo.content_type = "application/pdf"
        expediente_agregar(actor=actor, caso=caso, tipo=DocumentoExpediente.Tipo.CERTIFICACION,
                           descripcion=f"Certificación de saldos {documento.folio}, cuenta {cuenta.numero}",
                           folios=1, archivo=archivo, documento=documento)
    caso = caso_transicionar(actor=actor, caso=caso, estado=E.REMITIDO_JURIDICO, motivo=motivo)
    PasoJudicial.objects.create(caso=caso, tipo=PasoJudicial.Tipo.REMITIDO, fecha=fecha, nota=motivo, registrado_por=actor)
    return caso


@transaction.atomic
def paso_judicial_registrar(*, actor, caso: CasoCobro, tipo: str, fecha: date, referencia: str = "",
                            nota: str = "") -> PasoJudicial:
    """A step reported back by the Unidad Jurídica. Pagado or incobrable ends the case (cerrado)."""
    caso = _bloquear(caso.pk)
    if caso.estado != E.REMITIDO_JURIDICO:
        raise ErrorDeNegocio("Solo un caso remitido a jurídico registra pasos judiciales.")
    if fecha > timezone.localdate():
        raise ErrorDeNegocio("La fecha no puede ser futura.", campo="fecha")
    if tipo == PasoJudicial.Tipo.REMITIDO:
        raise ErrorDeNegocio("La remisión se registra al remitir el caso.", campo="tipo")
    paso = PasoJudicial.objects.create(caso=caso, tipo=tipo, fecha=fecha, referencia=referencia.strip(),
                                       nota=nota.strip(), registrado_por=actor)
    auditar(actor=actor, accion="caso.paso_judicial", objeto=caso, despues={"tipo": tipo, "fecha": fecha.isoformat()})
    if tipo in (PasoJudicial.Tipo.PAGADO, PasoJudicial.Tipo.INCOBRABLE):
        caso_transicionar(actor=actor, caso=caso, estado=E.CERRADO,
                          motivo=f"Unidad Jurídica: {paso.get_tipo_display().lower()} ({fecha:%d/%m/%Y}).")
    return paso


# --- bulk reassignment ---------------------------------------------------------------------------

@transaction.atomic
def casos_reasignar(*, actor, casos: list[CasoCobro], gestor, motivo: str) -> int:
    """Reassign many cases at once (a jefe): each keeps its own line of history. All or nothing."""
    if not casos:
        raise ErrorDeNegocio("Seleccione al menos un caso.", campo="casos")
    if gestor.sucursal_id is None:
        raise ErrorDeNegocio("El gestor no tiene sucursal asignada.", campo="gestor")
    cambiados = 0
    for caso in sorted(casos, key=lambda c: c.pk):  # one lock order: no deadlock with another bulk run
        if caso.sucursal_id != gestor.sucursal_id:
            raise ErrorDeNegocio(f"El caso {caso.pk} es de otra sucursal que el gestor {gestor}.", campo="gestor")
        antes = caso.gestor_id
        caso_asignar(actor=actor, caso=caso, gestor=gestor, motivo=motivo)
        cambiados += antes != gestor.pk
    return cambiados
