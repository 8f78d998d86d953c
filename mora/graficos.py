"""Server-side SVG charts (no JavaScript, no CDN): each bar or point is a link to the list behind it.
Every text is escaped by format_html; the result is safe markup for the template."""
from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from issscobros.money import formato_dinero


def _escala(valores) -> Decimal:
    maximo = max((Decimal(v) for v in valores), default=Decimal(0))
    return maximo if maximo > 0 else Decimal(1)


def barras(*, id_: str, titulo: str, puntos: list[tuple[str, Decimal, str]], alto: int = 220, ancho: int = 640,
           color: str = "#1b5e9e") -> str:
    """Vertical bars. puntos: (label, value, href)."""
    if not puntos:
        return format_html('<p class="text-muted" id="{}">Sin datos.</p>', id_)
    escala = _escala(v for _, v, _ in puntos)
    margen_inf, margen_sup = 40, 24
    util = alto - margen_inf - margen_sup
    paso = ancho / len(puntos)
    barra = max(paso * 0.7, 2)
    partes = []
    for i, (etiqueta, valor, href) in enumerate(puntos):
        h = float(Decimal(valor) / escala) * util
        x = i * paso + (paso - barra) / 2
        y = margen_sup + util - h
        partes.append(format_html(
            '<a href="{}" class="barra" data-etiqueta="{}"><title>{}: {}</title>'
            '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"></rect>'
            '<text x="{}" y="{}" text-anchor="middle" font-size="11">{}</text></a>'
            '<text x="{}" y="{}" text-anchor="middle" font-size="11" fill="#444">{}</text>',
            href, etiqueta, etiqueta, formato_dinero(valor), _n(x), _n(y), _n(barra), _n(max(h, 0.5)), color,
            _n(x + barra / 2), _n(y - 4), _corto(valor) if len(puntos) <= 12 else "",
            _n(x + barra / 2), alto - margen_inf + 16, etiqueta if len(puntos) <= 12 or (len(puntos) - 1 - i) % 3 == 0 else ""))
    return format_html('<svg id="{}" role="img" aria-label="{}" viewBox="0 0 {} {}" class="grafico w-100">{}'
                       '<line x1="0" y1="{}" x2="{}" y2="{}" stroke="#999"></line></svg>',
                       id_, titulo, ancho, alto, mark_safe("".join(partes)), alto - margen_inf, ancho, alto - margen_inf)


def horizontales(*, id_: str, titulo: str, puntos: list[tuple[str, int | Decimal, str, str]], ancho: int = 420) -> str:
    """Horizontal bars with their value. puntos: (label, value, href, color)."""
    if not puntos:
        return format_html('<p class="text-muted" id="{}">Sin datos.</p>', id_)
    escala = _escala(v for _, v, _, _ in puntos)
    fila, etiqueta_ancho = 28, 110
    util = ancho - etiqueta_ancho - 60
    partes = format_html_join("", (
        '<a href="{}" data-etiqueta="{}"><title>{}: {}</title><text x="0" y="{}" font-size="12">{}</text>'
        '<rect x="{}" y="{}" width="{}" height="18" fill="{}"></rect>'
        '<text x="{}" y="{}" font-size="12">{}</text></a>'), (
        (href, etiqueta, etiqueta, valor, i * fila + 14, etiqueta, etiqueta_ancho, i * fila + 1,
         _n(max(float(Decimal(valor) / escala) * util, 1)), color,
         _n(etiqueta_ancho + max(float(Decimal(valor) / escala) * util, 1) + 6), i * fila + 14, valor)
        for i, (etiqueta, valor, href, color) in enumerate(puntos)))
    return format_html('<svg id="{}" role="img" aria-label="{}" viewBox="0 0 {} {}" class="grafico w-100">{}</svg>',
                       id_, titulo, ancho, len(puntos) * fila, partes)


def _n(x: float) -> str:
    """A coordinate as text (format_html escapes its arguments to strings before formatting)."""
    return f"{x:.1f}"


def _corto(valor) -> str:
    v = Decimal(valor)
    if v >= 1_000_000:
        return f"${v / 1_000_000:.1f} M"
    if v >= 1_000:
        return f"${v / 1_000:.1f} k"
    return f"${v:.0f}"
