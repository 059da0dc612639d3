"""A published version's PDF as an archive copy: PDF/A-3, tagged, carrying its own data.

- PDF/A-3u (WeasyPrint's variant): fonts embedded, sRGB output intent, XMP metadata, and every
  glyph mapped to Unicode (which reports.pdftext makes true for Thai). -3u rather than -3b
  because the text layer is the point; the Thai /ActualText step runs inside the drawing and is
  the same under every variant (tests/reports/test_pdfa.py).
- Tagged (``pdf_tags``): headings, lists, tables with their header cells, in the document's
  order, language ``th`` and a title. Not declared PDF/A-3a nor PDF/UA-1: see docs/pdf-text.md.
- The version's files embedded as associated files (/AF): its public .json, byte for byte, as
  /Source (the document is drawn from it) and the measures CSV as /Data (the table's values).
- XMP naming the agency, fiscal year, version and content hash in a namespace of our own,
  declared by a PDF/A extension schema as PDF/A requires of any property not in the standard.
"""

import datetime
from dataclasses import dataclass, field
from xml.etree import ElementTree

VARIANT = "pdf/a-3u"
NAMESPACE = "https://ns.ita-portal.invalid/version/1.0/"
PREFIX = "itav"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
PDFA_EXTENSION = "http://www.aiim.org/pdfa/ns/extension/"
PDFA_SCHEMA = "http://www.aiim.org/pdfa/ns/schema#"
PDFA_PROPERTY = "http://www.aiim.org/pdfa/ns/property#"
PROPERTIES = {
    "agency": "The agency that published the report",
    "agencySlug": "The agency's address on the portal",
    "fiscalYear": "The fiscal year (Buddhist Era)",
    "version": "The published version's number",
    "contentSha256": "SHA-256 of the version's data (the content hash of its .json)",
    "address": "The version's permanent address",
}
for _prefix, _uri in [
    (PREFIX, NAMESPACE),
    ("pdfaExtension", PDFA_EXTENSION),
    ("pdfaSchema", PDFA_SCHEMA),
    ("pdfaProperty", PDFA_PROPERTY),
]:
    ElementTree.register_namespace(_prefix, _uri)


@dataclass(frozen=True)
class Embedded:
    name: str
    content: bytes
    relationship: str  # AFRelationship: Source, Data, Alternative, Supplement
    description: str


@dataclass(frozen=True)
class Archive:
    """What makes a rendered PDF the archive copy of a published version."""

    agency: str
    agency_slug: str
    fiscal_year: int
    version: int
    content_sha256: str
    address: str
    published_at: datetime.datetime
    files: list[Embedded] = field(default_factory=list)

    def properties(self) -> dict[str, str]:
        return {
            "agency": self.agency,
            "agencySlug": self.agency_slug,
            "fiscalYear": str(self.fiscal_year),
            "version": str(self.version),
            "contentSha256": self.content_sha256,
            "address": self.address,
        }


def _description(parent):
    element = ElementTree.SubElement(parent, f"{{{RDF}}}Description")
    element.set(f"{{{RDF}}}about", "")
    return element


def _extension_schema(rdf) -> None:
    """The PDF/A extension schema declaring our properties (ISO 19005-1 §6.7.8)."""
    schemas = ElementTree.SubElement(_description(rdf), f"{{{PDFA_EXTENSION}}}schemas")
    bag = ElementTree.SubElement(schemas, f"{{{RDF}}}Bag")
    schema = ElementTree.SubElement(bag, f"{{{RDF}}}li")
    schema.set(f"{{{RDF}}}parseType", "Resource")
    for name, text in [
        ("schema", "ITA Portal published version"),
        ("namespaceURI", NAMESPACE),
        ("prefix", PREFIX),
    ]:
        ElementTree.SubElement(schema, f"{{{PDFA_SCHEMA}}}{name}").text = text
    seq = ElementTree.SubElement(
        ElementTree.SubElement(schema, f"{{{PDFA_SCHEMA}}}property"), f"{{{RDF}}}Seq"
    )
    for name, description in PROPERTIES.items():
        item = ElementTree.SubElement(seq, f"{{{RDF}}}li")
        item.set(f"{{{RDF}}}parseType", "Resource")
        for key, text in [
            ("name", name),
            ("valueType", "Text"),
            ("category", "external"),
            ("description", description),
        ]:
            ElementTree.SubElement(item, f"{{{PDFA_PROPERTY}}}{key}").text = text


def _metadata_class(archive: Archive):
    from weasyprint.pdf.metadata import DocumentMetadata

    class ArchiveMetadata(DocumentMetadata):
        def generate_rdf_metadata(self, variant, version, conformance):
            rdf = ElementTree.fromstring(
                super().generate_rdf_metadata(variant, version, conformance)
            )
            _extension_schema(rdf)
            ours = _description(rdf)
            for name, value in archive.properties().items():
                ElementTree.SubElement(ours, f"{{{NAMESPACE}}}{name}").text = value
            return ElementTree.tostring(rdf, encoding="utf-8")

    return ArchiveMetadata


def _dedupe_associated_files(document, pdf) -> None:
    # WeasyPrint 70 lists each embedded file twice in the catalogue's /AF (once from the name
    # tree, once from its file specification): once is what the standard means.
    if "AF" in pdf.catalog:
        import pydyf

        pdf.catalog["AF"] = pydyf.Array(dict.fromkeys(pdf.catalog["AF"]))


def write_options(document, archive: Archive) -> dict:
    """write_pdf's options for ``archive``; sets the rendered ``document``'s metadata."""
    import weasyprint

    document.metadata.__class__ = _metadata_class(archive)
    document.metadata.description = (
        f"{archive.agency} ปีงบประมาณ {archive.fiscal_year} ฉบับที่ {archive.version} "
        f"SHA-256 {archive.content_sha256}"
    )
    when = archive.published_at
    attachments = [
        weasyprint.Attachment(
            string=item.content,
            name=item.name,
            description=item.description,
            created=when,
            modified=when,
            relationship=item.relationship,
        )
        for item in archive.files
    ]
    return {
        "pdf_variant": VARIANT,
        "pdf_tags": True,
        "attachments": attachments,
        "finisher": _dedupe_associated_files,
    }
