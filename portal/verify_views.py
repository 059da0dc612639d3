"""/verify/: anyone checks whether a PDF (or its SHA-256) is an untouched published version.

The file is hashed and looked up among the versions' stored PDF hashes (the sealed file's, set
at publication); its seal is checked with pyHanko against the portal's certificate. Any upload
is answered in Thai, never with a server error: a file that is too large, not a PDF, or broken.
"""

import hashlib
import re

from django import forms
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from measures import thai
from measures.models import DocumentKind
from publication.models import PublishedVersion
from publication.seal import pdf_seal_check

MAX_UPLOAD = 40 * 1024 * 1024  # larger than any published PDF (200 measures: ~2 MB)
SHA256 = re.compile(r"[0-9a-f]{64}")
VERSION_ADDRESS = re.compile(
    r"/([a-z0-9-]+)/([0-9]{4})/(?:(analysis|plan|progress)/)?v([0-9]{1,6})/?$"
)


class VerifyForm(forms.Form):
    pdf = forms.FileField(label=_("PDF file"), required=False)
    sha256 = forms.CharField(label=_("or its SHA-256"), required=False, max_length=200)

    def clean_pdf(self):
        upload = self.cleaned_data.get("pdf")
        if upload and upload.size > MAX_UPLOAD:
            raise forms.ValidationError(
                _("The file is larger than any published PDF (%(size)s MB).")
                % {"size": thai.ui_number(MAX_UPLOAD // 1024 // 1024)}
            )
        return upload

    def clean_sha256(self):
        value = "".join((self.cleaned_data.get("sha256") or "").split()).lower()
        if value and not SHA256.fullmatch(value):
            raise forms.ValidationError(_("A SHA-256 is 64 characters 0–9 and a–f."))
        return value

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("pdf") and not cleaned.get("sha256"):
            raise forms.ValidationError(_("Choose a PDF file or paste its SHA-256."))
        return cleaned


def _addresses(version: PublishedVersion) -> dict:
    agency, year = version.report.agency.slug, version.report.fiscal_year.year
    kwargs = {"agency": agency, "year": year, "number": version.number}
    if version.document == DocumentKind.REPORT:
        page = reverse("portal:public-version", kwargs=kwargs)
        pdf = reverse("portal:public-version-pdf", kwargs=kwargs)
    else:
        page = reverse("portal:document-version", kwargs={**kwargs, "document": version.document})
        pdf = reverse(
            "portal:document-version-pdf", kwargs={**kwargs, "document": version.document}
        )
    return {"page": page, "pdf": pdf}


def _answer(version: PublishedVersion) -> dict:
    """Which version it is, of whom, and whether a later one replaced it."""
    latest = (
        PublishedVersion.all_documents.filter(report=version.report, document=version.document)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    compare = None
    if latest != version.number and version.document == DocumentKind.REPORT:
        compare = (
            reverse(
                "portal:compare",
                kwargs={
                    "agency": version.report.agency.slug,
                    "year": version.report.fiscal_year.year,
                },
            )
            + f"?a={version.number}&b={latest}"
        )
    return {"version": version, "latest": latest, "compare": compare, **_addresses(version)}


def _by_address(address: str) -> PublishedVersion | None:
    """The version a printed copy's QR code names (its permanent page's address)."""
    match = VERSION_ADDRESS.search(address)
    if not match:
        return None
    slug, year, document, number = match.groups()
    return (
        PublishedVersion.all_documents.select_related("report__agency", "report__fiscal_year")
        .filter(
            report__agency__slug=slug,
            report__fiscal_year__year=int(year),
            document=document or DocumentKind.REPORT,
            number=int(number),
        )
        .first()
    )


@require_http_methods(["GET", "HEAD", "POST"])
def verify(request):
    context = {"max_mb": MAX_UPLOAD // (1024 * 1024)}
    if request.method == "POST":
        form = VerifyForm(request.POST, request.FILES)
        if form.is_valid():
            upload, digest = form.cleaned_data["pdf"], form.cleaned_data["sha256"]
            seal = None
            if upload:
                content = upload.read()
                digest = hashlib.sha256(content).hexdigest()
                seal = pdf_seal_check(content)
            version = (
                PublishedVersion.all_documents.select_related(
                    "report__agency", "report__fiscal_year"
                )
                .filter(pdf_sha256=digest)
                .first()
            )
            if version and seal is None and version.pdf:
                with version.pdf.open("rb") as stored:
                    seal = pdf_seal_check(stored.read())
            context.update(
                checked=True, digest=digest, seal=seal, found=_answer(version) if version else None
            )
    else:
        form = VerifyForm()
        address = request.GET.get("address", "")[:500]
        version = _by_address(address) if address else None
        if version:
            context["named"] = _answer(version)
    context["form"] = form
    return render(request, "portal/verify.html", context)
