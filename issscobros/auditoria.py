"""The one function that writes the audit log; every service that changes state calls it."""
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.forms.models import model_to_dict
import json

from .models import RegistroAuditoria


def instantanea(obj, campos=None) -> dict:
    """JSON-safe dict of a model instance's fields (dates and Decimals as strings)."""
    datos = model_to_dict(obj, fields=campos)
    return json.loads(json.dumps(datos, cls=DjangoJSONEncoder, default=str))


def auditar(*, actor, accion: str, objeto=None, antes: dict | None = None, despues: dict | None = None):
    return RegistroAuditoria.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        accion=accion,
        tipo_objeto=ContentType.objects.get_for_model(objeto) if objeto is not None else None,
        objeto_id=str(objeto.pk) if objeto is not None else "",
        objeto_repr=str(objeto)[:250] if objeto is not None else "",
        antes=antes,
        despues=despues,
    )
