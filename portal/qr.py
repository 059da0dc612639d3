import qrcode
import qrcode.image.svg


def qr_svg(text: str) -> str:
    """A QR code as inline SVG, for the page's printed copies."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=6, border=2)
    return image.to_string(encoding="unicode")
