"""What a published version's PDF carries beyond its page: the archive description (PDF/A-3
metadata and embedded files, reports.pdfa) and the closing line with the version's permanent
address and the QR code of its check at /verify/. Staff previews carry neither."""

from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse

from measures.models import DocumentKind
from reports.pdfa import Archive, Embedded
from reports.qr import qr_svg

from .models import PublishedVersion


def version_address(version: PublishedVersion) -> str:
    """The version's permanent page, as a full address."""
    agency, year = version.data["agency"]["slug"], version.data["fiscal_year"]
    if version.document == DocumentKind.REPORT:
        name, kwargs = "portal:public-version", {}
    else:
        name, kwargs = "portal:document-version", {"document": version.document}
    path = reverse(
        name, kwargs={"agency": agency, "year": year, "number": version.number, **kwargs}
    )
    return settings.PUBLIC_BASE_URL.rstrip("/") + path


def version_check_address(version: PublishedVersion) -> str:
    """Where anyone checks a printed or downloaded copy of the version."""
    query = urlencode({"address": version_address(version)})
    return settings.PUBLIC_BASE_URL.rstrip("/") + reverse("portal:verify") + "?" + query


def _stored(file_field) -> bytes:
    with file_field.open("rb") as stored:
        return stored.read()


def version_archive(version: PublishedVersion) -> Archive:
    """The version's archive description; a report version embeds its stored .json and .csv
    exactly as their permanent addresses serve them (the caller stored them first)."""
    data = version.data
    files = []
    if version.document == DocumentKind.REPORT and version.json_file:
        files.append(
            Embedded(
                name=f"v{version.number}.json",
                content=_stored(version.json_file),
                relationship="Source",
                description="ข้อมูลของรายงานฉบับนี้ (JSON) ที่เอกสารนี้จัดทำขึ้นจาก",
            )
        )
    if version.document == DocumentKind.REPORT and version.csv_file:
        files.append(
            Embedded(
                name=f"v{version.number}.csv",
                content=_stored(version.csv_file),
                relationship="Data",
                description="ตารางมาตรการของรายงานฉบับนี้ (CSV)",
            )
        )
    return Archive(
        agency=data["agency"]["name"],
        agency_slug=data["agency"]["slug"],
        fiscal_year=int(data["fiscal_year"]),
        version=version.number,
        content_sha256=version.data_sha256,
        address=version_address(version),
        published_at=version.published_at,
        files=files,
    )


def version_print_extras(version: PublishedVersion) -> dict:
    """The closing line of the printed version (reports.rendering.print_html's ``published``)."""
    check = version_check_address(version)
    # The line shows the check page itself; the QR code names the version too.
    page = settings.PUBLIC_BASE_URL.rstrip("/") + reverse("portal:verify")
    return {"address": version_address(version), "check": page, "qr": qr_svg(check)}
