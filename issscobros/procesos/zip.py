"""The ZIP of the documents a run issued: one file per document, named by folio and reference, in
the order of the run's items. Stored under MEDIA_ROOT/procesos/ (written to a temporary name and
renamed, so a worker killed while writing never leaves a half ZIP under the final name)."""
import os
import re
import zipfile
from pathlib import Path

from django.conf import settings

from issscobros.models import Documento, ProcesoItem

CARPETA = "procesos"


def ruta(relativa: str) -> Path:
    return Path(settings.MEDIA_ROOT) / relativa


def documentos_zip(proceso) -> dict:
    relativa = f"{CARPETA}/proceso-{proceso.pk}.zip"
    destino = ruta(relativa)
    destino.parent.mkdir(parents=True, exist_ok=True)
    temporal = destino.with_suffix(f".{os.getpid()}.tmp")
    orden = {item: i for i, item in enumerate(proceso.items)}
    ids = sorted(ProcesoItem.objects.filter(proceso=proceso, documento__isnull=False).values_list("item", "documento_id"),
                 key=lambda par: orden.get(par[0], 0))
    n = 0
    # PDFs are already compressed: stored, not deflated (faster, the same size).
    with zipfile.ZipFile(temporal, "w", compression=zipfile.ZIP_STORED) as archivo:
        for _, documento_id in ids:
            d = Documento.objects.only("tipo", "anio", "numero", "referencia", "pdf").get(pk=documento_id)
            referencia = re.sub(r"[^0-9A-Za-z-]+", "_", d.referencia)
            archivo.writestr(f"{d.folio}_{referencia}.pdf", bytes(d.pdf))
            n += 1
    os.replace(temporal, destino)
    return {"archivo": relativa, "documentos": n}
