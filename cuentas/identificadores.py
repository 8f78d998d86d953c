"""NIT, DUI, número patronal and NPE check digits: validation and display (DOMAIN.md, Identifiers).

NIT uses python-stdnum (`stdnum.sv.nit`); stdnum has no DUI module, so the DUI check digit of
DOMAIN.md is computed here: check = (10 − Σ dᵢ·(9−i) mod 10) mod 10 over the first 8 digits."""
import re
from operator import mul

from django.core.exceptions import ValidationError
from stdnum import exceptions as stdnum_exc
from stdnum.sv import nit as stdnum_nit

_SEPARADORES = re.compile(r"[\s\-.]")


def solo_digitos(valor: str) -> str:
    return _SEPARADORES.sub("", valor or "")


_PESOS_DUI = (9, 8, 7, 6, 5, 4, 3, 2)


def dui_digito_verificador(primeros8: str) -> str:
    # d_i * (9 - i), as map() calls rather than a generator: an import checks tens of thousands
    total = sum(map(mul, map(int, primeros8), _PESOS_DUI))
    return str((10 - total % 10) % 10)


def dui_validar(valor: str) -> str:
    """Return the DUI compacted to 9 digits or raise ValidationError in Spanish."""
    dui = solo_digitos(valor)
    if not dui.isdigit() or len(dui) != 9:
        raise ValidationError("El DUI debe tener 9 dígitos (########-#).", code="dui_formato")
    if dui_digito_verificador(dui[:8]) != dui[8]:
        raise ValidationError("El DUI no es válido: el dígito verificador no corresponde.", code="dui_verificador")
    return dui


def dui_formatear(dui: str) -> str:
    return f"{dui[:8]}-{dui[8:]}" if dui and len(dui) == 9 else (dui or "")


def nit_validar(valor: str) -> str:
    """Return the NIT compacted to 14 digits (a 9-digit DUI used as NIT is accepted as DUI by
    the caller) or raise ValidationError in Spanish."""
    try:
        return stdnum_nit.validate(valor)
    except stdnum_exc.InvalidLength:
        raise ValidationError("El NIT debe tener 14 dígitos (####-######-###-#).", code="nit_longitud")
    except stdnum_exc.InvalidChecksum:
        raise ValidationError("El NIT no es válido: el dígito verificador no corresponde.", code="nit_verificador")
    except stdnum_exc.ValidationError:
        raise ValidationError("El NIT no tiene un formato válido (####-######-###-#).", code="nit_formato")


def nit_formatear(nit: str) -> str:
    return stdnum_nit.format(nit) if nit and len(nit) == 14 else (nit or "")


def numero_patronal_validar(valor: str) -> str:
    numero = solo_digitos(valor)
    if not numero.isdigit() or not 6 <= len(numero) <= 12:
        raise ValidationError("El número patronal debe tener de 6 a 12 dígitos.", code="numero_patronal")
    return numero


def npe_digito_verificador(digitos: str) -> str:
    """DOMAIN.md mod-10 for references the system issues (convenio cuotas): double each digit in an
    odd position from the left (1st, 3rd, …), minus 9 when ≥ 10; add the others as they are;
    check = (10 − sum mod 10) mod 10."""
    total = 0
    for i, d in enumerate(digitos):
        valor = int(d) * (2 if i % 2 == 0 else 1)
        total += valor - 9 if valor >= 10 else valor
    return str((10 - total % 10) % 10)


def npe_es_valido(npe: str) -> bool:
    """True when `npe` is all digits and its last digit is the mod-10 check of the others."""
    return len(npe) >= 2 and npe.isdigit() and npe_digito_verificador(npe[:-1]) == npe[-1]
