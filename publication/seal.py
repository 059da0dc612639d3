"""The portal's seal on each published PDF (PAdES, pyHanko), and checking it.

The seal is added as an incremental update: the PDF/A-3 file WeasyPrint wrote stays byte for
byte at the start of the sealed file, and the signature dictionary covers all of it. The
certificate and key are named by the settings SEAL_CERTIFICATE and SEAL_KEY, each a PEM file's
path or the PEM itself (a secret the deployment passes to every server and worker alike); when
they are empty, the demo's self-signed pair that ``load_demo`` makes (``seal_demo_make``) in
the private storage: "seal/" of the object store's "private/" prefix when the site's files are
there (settings.STORAGES["private"]), which every server reads, otherwise the folder
"private/seal" beside MEDIA_ROOT (never under MEDIA_ROOT, which DEBUG serves).
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
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage, storages

log = logging.getLogger(__name__)

FIELD = "PortalSeal"
DEMO_NAME = "ITA Portal (demo seal)"
# The demo pair's names in the private storage.
CERTIFICATE_NAME, KEY_NAME = "seal/certificate.pem", "seal/key.pem"


def _private_storage() -> Storage:
    if "private" in settings.STORAGES:  # the object store (ita_portal/settings.py)
        return storages["private"]
    # Made here, not in STORAGES, so that it follows MEDIA_ROOT when a test moves it.
    return FileSystemStorage(location=Path(settings.MEDIA_ROOT).parent / "private")


def _is_pem(value: str) -> bool:
    return value.lstrip().startswith("-----BEGIN")


def _configured(value: str) -> bytes | None:
    """A SEAL_ setting's PEM: the setting itself, or the file it names (None if missing)."""
    if _is_pem(value):
        return value.strip().encode() + b"\n"
    try:
        return Path(value).read_bytes()
    except FileNotFoundError:
        return None


def _pem(*, key: bool = False) -> bytes | None:
    """The certificate's PEM (the key's if ``key``), or None when there is none."""
    if settings.SEAL_CERTIFICATE and settings.SEAL_KEY:
        return _configured(settings.SEAL_KEY if key else settings.SEAL_CERTIFICATE)
    try:
        with _private_storage().open(KEY_NAME if key else CERTIFICATE_NAME, "rb") as stored:
            return stored.read()
    except FileNotFoundError:
        return None


def _pem_pair() -> tuple[bytes, bytes] | None:
    """The certificate's and the key's PEM, or None when there is no seal."""
    certificate, key = _pem(), _pem(key=True)
    return (certificate, key) if certificate and key else None


def seal_certificate():
    """The portal's certificate (asn1crypto), or None when there is none."""
    from pyhanko.keys import load_certs_from_pemder_data

    certificate = _pem()  # not the key: /verify/ reads this on every check
    return next(iter(load_certs_from_pemder_data(certificate))) if certificate else None


def _demo_write(certificate: bytes, key: bytes) -> str:
    """Keep the demo pair where _pem_pair finds it; where that is."""
    if settings.SEAL_CERTIFICATE and settings.SEAL_KEY:
        certificate_path, key_path = Path(settings.SEAL_CERTIFICATE), Path(settings.SEAL_KEY)
        certificate_path.parent.mkdir(parents=True, exist_ok=True)
        key_path.parent.mkdir(parents=True, exist_ok=True)
        key_path.write_bytes(key)
        key_path.chmod(0o600)
        certificate_path.write_bytes(certificate)
        return str(certificate_path)
    storage = _private_storage()
    for name, content in ((KEY_NAME, key), (CERTIFICATE_NAME, certificate)):
        storage.delete(name)  # replaced under the same name, never beside it
        storage.save(name, ContentFile(content))
    if isinstance(storage, FileSystemStorage):
        Path(storage.path(KEY_NAME)).chmod(0o600)
    return CERTIFICATE_NAME


def seal_demo_make(*, replace: bool = False) -> str:
    """Make the demo's self-signed certificate and key where the settings point, once; where
    the certificate is (a path, or its name in the private storage)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    configured = [settings.SEAL_CERTIFICATE, settings.SEAL_KEY]
    if any(_is_pem(value) for value in configured):
        return "SEAL_CERTIFICATE"  # the deployment's own pair, never replaced by a demo's
    if _pem_pair() is not None and not replace:
        return CERTIFICATE_NAME if not all(configured) else settings.SEAL_CERTIFICATE
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
    return _demo_write(
        certificate.public_bytes(serialization.Encoding.PEM),
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
    )


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
    from pyhanko.keys import load_certs_from_pemder_data, load_private_key_from_pemder_data
    from pyhanko.sign import signers
    from pyhanko.sign.fields import SigSeedSubFilter
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    pair = _pem_pair()
    if pair is None:
        log.warning("No seal certificate (SEAL_CERTIFICATE/SEAL_KEY): PDF published unsealed")
        return pdf
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    class KeepMetadata(IncrementalPdfFileWriter):
        # pyHanko rewrites the XMP by default (its Producer, a new date, and URLs turned into
        # resources, which breaks the PDF/A extension schema's Text values): keep WeasyPrint's.
        def _update_meta(self):
            pass

    # From the PEM itself (read from a setting, a file or the object store), not from a path.
    signer = signers.SimpleSigner(
        signing_cert=next(iter(load_certs_from_pemder_data(pair[0]))),
        signing_key=load_private_key_from_pemder_data(pair[1], passphrase=None),
        cert_registry=SimpleCertificateStore(),
    )
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
