"""Sarabun inside the Word file, so that it reads the same on a machine without it.

Word and LibreOffice read TrueType fonts embedded as ECMA-376 "obfuscated" parts: the font's
first 32 bytes XORed with a key taken from a GUID that the font table names (Part 1, 17.8.1).
The GUID is fixed per face, so that the same document gives the same bytes.
"""

import uuid

from django.contrib.staticfiles import finders
from docx.opc.packuri import PackURI
from docx.opc.part import Part

FONT_RELATION = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/font"
OBFUSCATED = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
FACES = {  # the font table's element: the file, as the PDFs' @font-face rules name them
    "w:embedRegular": "fonts/sarabun/Sarabun-Regular.ttf",
    "w:embedBold": "fonts/sarabun/Sarabun-Bold.ttf",
    "w:embedItalic": "fonts/sarabun/Sarabun-Italic.ttf",
    "w:embedBoldItalic": "fonts/sarabun/Sarabun-BoldItalic.ttf",
}


def _obfuscated(font: bytes, key: str) -> bytes:
    digits = key.strip("{}").replace("-", "")
    xor = bytes(int(digits[i : i + 2], 16) for i in range(30, -1, -2))  # last byte first
    head = bytes(font[i] ^ xor[i % 16] for i in range(32))
    return head + font[32:]


def embedded_faces(font_table: Part, package) -> list[tuple[str, str, str]]:
    """Add Sarabun's four faces as parts of ``font_table``: (element, relation id, key) each."""
    faces = []
    for number, (element, name) in enumerate(FACES.items(), start=1):
        path = finders.find(name)
        key = "{" + str(uuid.uuid5(uuid.NAMESPACE_URL, name)).upper() + "}"
        with open(path, "rb") as file:
            blob = _obfuscated(file.read(), key)
        part = Part(PackURI(f"/word/fonts/font{number}.odttf"), OBFUSCATED, blob, package)
        faces.append((element, font_table.relate_to(part, FONT_RELATION), key))
    return faces
