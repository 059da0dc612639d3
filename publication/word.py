"""A published version as a Word file, built from the version's own frozen data.

The Word file is made on the first request and kept in the cache under the version's content
hash, not stored at publication: nothing in it is a record (the PDF is), and a version
published before Word files existed gets one too. The version's data is loaded into a scratch
copy of its report inside a transaction that is rolled back, so that the same document code
(reports.documents, reports.cycle) draws it as it draws the live report; nothing is kept.
"""

import uuid

from django.core.cache import cache
from django.db import transaction

from measures.models import DocumentKind
from measures.services import report_import
from reports.rendering import document_for
from reports.word import document_docx

from .models import PublishedVersion

CACHE_SECONDS = 7 * 24 * 3600  # a version never changes: the cache only bounds the memory


def _cache_key(version: PublishedVersion) -> str:
    return f"version-docx:{version.document}:{version.data_sha256}"


def _rendered(version: PublishedVersion) -> bytes:
    data = version.data
    scratch = {**data, "agency": {**data["agency"], "slug": f"docx-{uuid.uuid4().hex}"}}
    with transaction.atomic():
        report = report_import(data=scratch)
        document = document_for(report, kind=version.document or DocumentKind.REPORT)
        content = document_docx(document)
        transaction.set_rollback(True)  # the scratch copy was only read
    return content


def version_docx(version: PublishedVersion) -> bytes:
    """The version as a .docx, the same bytes for the same data."""
    key = _cache_key(version)
    content = cache.get(key)
    if content is None:
        content = _rendered(version)
        cache.set(key, content, CACHE_SECONDS)
    return content
