import pytest
from django.urls import reverse

from issscobros import roles


@pytest.mark.django_db
def test_cada_rol_ve_su_inicio(cliente_de):
    for rol, nombre in roles.NOMBRES.items():
        respuesta = cliente_de(rol).get(reverse("inicio"))
        assert respuesta.status_code == 200, rol
        assert nombre in respuesta.content.decode()
