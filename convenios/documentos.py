"""The printed documents of the app: the agreement (parties, obligations, schedule with each cuota's
NPE, conditions, signatures) and the anteproyecto de acuerdo for the Consejo Directivo, both issued
through issscobros.documentos.documento_emitir (numbered, hashed, reprinted byte for byte); and the
simulator's options, an unnumbered handout (it binds no one)."""
from issscobros.documentos import documento_emitir, hoy
from issscobros.letras import monto_en_letras
from issscobros.models import Documento
from issscobros.pdf import pdf_renderizar

from .models import Convenio, Transaccion

CONVENIO = Documento.Tipo.CONVENIO
ANTEPROYECTO = Documento.Tipo.ANTEPROYECTO


def _d(valor) -> str:
    return f"{valor:.2f}"


def convenio_emitir(*, actor, convenio: Convenio):
    """The agreement's PDF, issued once: a reprint returns the same document."""
    if convenio.documento_id:
        return convenio.documento
    inclusiones = list(convenio.inclusiones.select_related("obligacion"))
    cuotas = list(convenio.cuotas.order_by("numero"))
    documento = documento_emitir(
        actor=actor, tipo=CONVENIO, plantilla="impresos/convenio.html",
        contexto={"c": convenio, "deudor": convenio.deudor, "inclusiones": inclusiones, "cuotas": cuotas,
                  "total_letras": monto_en_letras(convenio.total)},
        datos={"convenio": convenio.numero, "cuenta": convenio.cuenta.numero, "deuda": _d(convenio.deuda),
               "prima": _d(convenio.prima), "total": _d(convenio.total), "fecha_firma": convenio.fecha_firma.isoformat(),
               "obligaciones": [{"id": i.obligacion_id, "saldo": _d(i.saldo_al_firmar), "recargo": _d(i.recargo_al_firmar)}
                                for i in inclusiones],
               "cuotas": [{"numero": c.numero, "vencimiento": c.vencimiento.isoformat(), "monto": _d(c.monto), "npe": c.npe}
                          for c in cuotas]},
        referencia=convenio.cuenta.numero)
    Convenio.objects.filter(pk=convenio.pk).update(documento=documento)
    return documento


def anteproyecto_emitir(*, actor, transaccion: Transaccion, expediente: dict):
    if transaccion.anteproyecto_id:
        return transaccion.anteproyecto
    documento = documento_emitir(
        actor=actor, tipo=ANTEPROYECTO, plantilla="impresos/anteproyecto_acuerdo.html",
        contexto={"t": transaccion, "deudor": transaccion.deudor, "cuenta": transaccion.cuenta, "x": expediente,
                  "convenio": transaccion.convenio},
        datos={"transaccion": transaccion.pk, "cuenta": transaccion.cuenta.numero,
               "fecha_corte": transaccion.fecha_corte.isoformat(), "recargos": _d(transaccion.monto_recargos),
               "multas": _d(transaccion.monto_multas), "cotizaciones": _d(expediente["cotizaciones"]),
               "porcentaje_recargos": _d(transaccion.porcentaje_recargos), "incluye_multas": transaccion.incluye_multas},
        referencia=transaccion.cuenta.numero)
    Transaccion.objects.filter(pk=transaccion.pk).update(anteproyecto=documento)
    return documento


def opciones_pdf(*, cuenta, opciones: list, fecha=None) -> bytes:
    return pdf_renderizar("impresos/convenio_opciones.html",
                          {"cuenta": cuenta, "deudor": cuenta.deudor, "opciones": opciones, "fecha": fecha or hoy()})
