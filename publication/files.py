"""The open-data files of a published version, as they are stored at publication.

Each is written from the version alone (its data, number, date and report), the same bytes
whenever it is written; services.version_store_files stores them once, and the permanent
addresses serve what was stored.
"""

import datetime
import io
import json
import zipfile

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder

from .models import PublishedVersion
from .tables import CSV_COLUMNS, csv_lines, safe_rows


def _absolute(path: str) -> str:
    # The portal's public address, not the address of whoever first asked for the file.
    return settings.PUBLIC_BASE_URL.rstrip("/") + path


def version_json(version: PublishedVersion) -> bytes:
    """The version as the .json address gives it: number, date, content hash and data."""
    document = {
        "version": version.number,
        "published_at": version.published_at.isoformat(),
        "sha256": version.data_sha256,
        "report": version.data,
    }
    return json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False).encode()


def version_csv(version: PublishedVersion) -> bytes:
    """The version's measures as CSV (a BOM, the columns, a row per measure)."""
    return "".join(csv_lines([version], absolute_url=_absolute)).encode()


def version_xlsx(version: PublishedVersion) -> bytes:
    """The version's measures as an Excel workbook, dated at publication to the byte.

    openpyxl stamps the workbook and every zip entry with the time of writing; here both are
    the version's publication time, so writing it again gives the same file.
    """
    from openpyxl import Workbook
    from openpyxl.writer.excel import ExcelWriter

    when = version.published_at.astimezone(datetime.UTC).replace(tzinfo=None, microsecond=0)
    book = Workbook(write_only=True)
    book.properties.created = book.properties.modified = when
    sheet = book.create_sheet("measures")
    sheet.append(CSV_COLUMNS)
    for row in safe_rows([version], absolute_url=_absolute):
        sheet.append(row)
    written = io.BytesIO()
    # ExcelWriter, not book.save(), which would set "modified" to now.
    ExcelWriter(book, zipfile.ZipFile(written, "w", zipfile.ZIP_DEFLATED)).save()

    fixed = io.BytesIO()
    with (
        zipfile.ZipFile(written) as source,
        zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            stamped = zipfile.ZipInfo(entry.filename, date_time=when.timetuple()[:6])
            stamped.compress_type = zipfile.ZIP_DEFLATED
            stamped.external_attr = 0o644 << 16
            target.writestr(stamped, source.read(entry))
    return fixed.getvalue()


BUILDERS = {"json": version_json, "csv": version_csv, "xlsx": version_xlsx}
