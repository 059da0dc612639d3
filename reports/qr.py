import qrcode
from django.utils.html import format_html
from django.utils.safestring import SafeString

MODULE = 6  # px per module as drawn; the page's CSS sets the printed size (.qr svg)
BORDER = 2  # modules of quiet zone


def qr_svg(text: str) -> SafeString:
    """A QR code as inline SVG, for the page's printed copies: one path of the dark modules,
    written with format_html from numbers only (the page's policy allows no unescaped markup)."""
    code = qrcode.QRCode(border=BORDER)
    code.add_data(text)
    code.make(fit=True)
    matrix = code.get_matrix()  # quiet zone included
    path = "".join(
        f"M{x} {y}h1v1h-1z" for y, row in enumerate(matrix) for x, dark in enumerate(row) if dark
    )
    size = len(matrix)
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" width="{}" height="{}" '
        'shape-rendering="crispEdges"><path d="{}" fill="#000"/></svg>',
        size,
        size,
        size * MODULE,
        size * MODULE,
        path,
    )
