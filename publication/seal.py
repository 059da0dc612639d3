"""The portal's seal on each published PDF (PAdES, pyHanko), and checking it.

The seal is added as an incremental update: the PDF/A-3 file WeasyPrint wrote stays byte for
byte at the start of the sealed file, and the signature dictionary covers all of it. The
certificate and key are PEM files named by the settings SEAL_CERTIFICATE and SEAL_KEY; when
they are empty, the demo's self-signed pair that ``load_demo`` makes (``seal_demo_make``) in
the folder "private/seal" beside MEDIA_ROOT (never under MEDIA_ROOT, which DEBUG serves).
Without a certificate a PDF is published unsealed, and a warning is logged.
"""

import asyncio
import datetime
import io
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

log = logging.getLogger(__name__)

FIELD = "PortalSeal"
DEMO_NAME = "ITA Portal (demo seal)"


def _paths() -> tuple[Path, Path]:
    if settings.SEAL_CERTIFICATE and settings.SEAL_KEY:
        return Path(settings.SEAL_CERTIFICATE), Path(settings.SEAL_KEY)
    folder = Path(settings.MEDIA_ROOT).parent / "private" / "seal"
    return folder / "certificate.pem", folder / "key.pem"


def seal_certificate():
    """The portal's certificate (asn1crypto), or None when there is none."""
    from pyhanko.keys import load_cert_from_pemder

    certificate, _key = _paths()
    return load_cert_from_pemder(str(certificate)) if certificate.exists() else None


def seal_demo_make(*, replace: bool = False) -> Path:
    """Make the demo's self-signed certificate and key where the settings point, once."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    certificate_path, key_path = _paths()
    if certificate_path.exists() and key_path.exists() and not replace:
        return certificate_path
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "TH"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "ITA Portal"),
            x509.NameAttribute(NameOID.COMMON_NAME, DEMO_NAME),
        ]
    )
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False
        )
        .sign(key, hashes.SHA256())
    )
    certificate_path.parent.mkdir(parents=True, exist_ok=True)
    key_path.parent.mkdir(parents=True, exist_ok=True)
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    key_path.chmod(0o600)
    certificate_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return certificate_path


def _outside_event_loop(function, *args, **kwargs):
    """pyHanko's synchronous calls run their own asyncio loop, which fails in a thread that
    already runs one (an ASGI server, Playwright's sync API in a test): run them beside it."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args, **kwargs).result()


def pdf_seal(pdf: bytes, *, reason: str) -> bytes:
    """``pdf`` with the portal's seal added as an incremental update; unchanged without one."""
    from pyhanko.sign import signers
    from pyhanko.sign.fields import SigSeedSubFilter

    certificate, key = _paths()
    if not (certificate.exists() and key.exists()):
        log.warning("No seal certificate (SEAL_CERTIFICATE/SEAL_KEY): PDF published unsealed")
        return pdf
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    class KeepMetadata(IncrementalPdfFileWriter):
        # pyHanko rewrites the XMP by default (its Producer, a new date, and URLs turned into
        # resources, which breaks the PDF/A extension schema's Text values): keep WeasyPrint's.
        def _update_meta(self):
            pass

    signer = signers.SimpleSigner.load(str(key), str(certificate))
    writer = KeepMetadata(io.BytesIO(pdf))
    metadata = signers.PdfSignatureMetadata(
        field_name=FIELD,
        reason=reason,
        location="Thailand",
        subfilter=SigSeedSubFilter.PADES,
        md_algorithm="sha256",
    )
    out = _outside_event_loop(signers.sign_pdf, writer, metadata, signer=signer)
    return out.getvalue()


@dataclass(frozen=True)
class SealCheck:
    sealed: bool  # the file carries a signature at all
    valid: bool  # intact, covering the whole file, by the portal's certificate
    signer: str = ""
    when: datetime.datetime | None = None


def pdf_seal_check(pdf: bytes) -> SealCheck:
    """Whether ``pdf`` carries the portal's seal, intact over the whole file. Any file: a
    broken or foreign one is answered "not sealed" or "not valid", never an error."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        signatures = PdfFileReader(io.BytesIO(pdf), strict=False).embedded_signatures
    except Exception:  # not a PDF, or one pyHanko cannot read: it carries no seal we know
        return SealCheck(sealed=False, valid=False)
    if not signatures:
        return SealCheck(sealed=False, valid=False)
    ours = seal_certificate()
    try:
        context = ValidationContext(trust_roots=[ours] if ours else [], allow_fetching=False)
        status = _outside_event_loop(validate_pdf_signature, signatures[-1], context)
    except Exception:
        log.info("A seal could not be validated", exc_info=True)
        return SealCheck(sealed=True, valid=False)
    valid = bool(
        ours is not None
        and status.bottom_line
        and status.coverage == SignatureCoverageLevel.ENTIRE_FILE
        and status.signing_cert.dump() == ours.dump()
    )
    return SealCheck(
        sealed=True,
        valid=valid,
        signer=status.signing_cert.subject.human_friendly,
        when=status.signer_reported_dt,
    )
