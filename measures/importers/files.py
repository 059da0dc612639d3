"""Reading uploaded files safely: their size, their text encoding, and zip containers."""

import io
import os
import zipfile

from .. import thai
from .base import (
    MAX_COMPRESSION_RATIO,
    MAX_UNCOMPRESSED_BYTES,
    MAX_UPLOAD_BYTES,
    MAX_ZIP_MEMBERS,
    ReportImportError,
)


def _read_bytes(file) -> bytes:
    """The content of a path, bytes or an open (uploaded) file, refusing what is too large."""
    if isinstance(file, bytes | bytearray):
        data = bytes(file)
    elif isinstance(file, str | os.PathLike):
        try:
            with open(file, "rb") as handle:
                data = handle.read(MAX_UPLOAD_BYTES + 1)
        except OSError as error:
            raise ReportImportError("เปิดไฟล์ไม่ได้") from error
    else:
        if hasattr(file, "seek"):
            file.seek(0)
        data = file.read(MAX_UPLOAD_BYTES + 1)
        if isinstance(data, str):
            data = data.encode("utf-8")
    if len(data) > MAX_UPLOAD_BYTES:
        raise ReportImportError(
            f"ไฟล์ใหญ่เกิน {thai.number(MAX_UPLOAD_BYTES // (1024 * 1024))} เมกะไบต์"
        )
    if not data.strip():
        raise ReportImportError("ไฟล์ว่างเปล่า")
    return data


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM (Excel's "Unicode text"), else TIS-620."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp874")  # Windows' superset of TIS-620
    except UnicodeDecodeError as error:
        raise ReportImportError("อ่านข้อความในไฟล์ไม่ได้: บันทึกไฟล์เป็น UTF-8 แล้วลองใหม่") from error


def _check_zip(data: bytes, required_member: str, kind: str) -> None:
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        # An OLE2 file: the old .doc/.xls format, or an Office file protected by a password.
        raise ReportImportError(
            f"ไฟล์นี้ไม่ใช่ไฟล์ {kind}: อาจเป็นไฟล์รุ่นเก่า (.doc/.xls) หรือไฟล์ที่ตั้งรหัสผ่านไว้ "
            "กรุณาบันทึกเป็นไฟล์ใหม่โดยไม่ใส่รหัสผ่าน"
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except Exception as error:  # zipfile raises BadZipFile, NotImplementedError, struct.error…
        raise ReportImportError(f"ไฟล์นี้ไม่ใช่ไฟล์ {kind} หรือไฟล์เสียหาย") from error
    if len(members) > MAX_ZIP_MEMBERS:
        raise ReportImportError(f"ไฟล์ {kind} นี้มีส่วนประกอบมากผิดปกติ จึงไม่นำเข้า")
    total = sum(member.file_size for member in members)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise ReportImportError(
            f"ไฟล์ {kind} นี้เมื่อขยายแล้วใหญ่เกิน "
            f"{thai.number(MAX_UNCOMPRESSED_BYTES // (1024 * 1024))} เมกะไบต์ จึงไม่นำเข้า"
        )
    for member in members:
        if member.flag_bits & 0x1:
            raise ReportImportError(f"ไฟล์ {kind} นี้ถูกเข้ารหัสไว้: กรุณาเอารหัสผ่านออกก่อน")
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > 1024 * 1024 and ratio > MAX_COMPRESSION_RATIO:
            raise ReportImportError(f"ไฟล์ {kind} นี้ถูกบีบอัดผิดปกติ จึงไม่นำเข้า")
    if required_member not in {member.filename for member in members}:
        raise ReportImportError(f"ไฟล์นี้ไม่ใช่ไฟล์ {kind}")
