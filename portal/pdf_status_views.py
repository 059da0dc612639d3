"""Whether a published version's PDF is ready: it is rendered after publication, in the
background (publication.tasks), and the pages that link it ask here until it is
(static/js/pdf-status.js), so that they show the link without a reload."""

from django.db import transaction
from django.http import Http404, JsonResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from measures.models import DocumentKind
from publication.selectors import stored_file
from publication.services import version_pdf_ensure


@never_cache
@require_safe
@transaction.non_atomic_requests
def version_pdf_status(
    request, agency: str, year: int, number: int, document: str = DocumentKind.REPORT
):
    """``{"state": "ready", "url": …}`` once the PDF is stored, ``{"state": "preparing"}`` until
    then; a render that was lost (a worker restarted) is queued again, as its download does."""
    found = stored_file(agency=agency, year=year, number=number, kind="pdf", document=document)
    if found is None:
        raise Http404
    if not found.name:
        version_pdf_ensure(version_pk=found.version)
        return JsonResponse({"state": "preparing"})
    if document == DocumentKind.REPORT:
        url = reverse("portal:public-version-pdf", args=[agency, year, number])
    else:
        url = reverse("portal:document-version-pdf", args=[agency, year, document, number])
    return JsonResponse({"state": "ready", "url": url})
