import io

import pytest
from django.core.management import call_command
from django.db import transaction

from measures.models import Report
from reports.rendering import PDF_STATIC_BASE, document_for, document_html, document_pdf
from tests.textmatch import SEED_FILES


@pytest.fixture(scope="module")
def seed_documents(django_db_setup, django_db_blocker, tmp_path_factory):
    """The five seed reports rendered once per module: {key: {"pdf": Path, "html": str}}."""
    out = tmp_path_factory.mktemp("seeds")
    documents = {}
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", "--seeds-only", stdout=io.StringIO())
        for key in SEED_FILES:
            slug, year = key.rsplit("-", 1)
            report = Report.objects.get(agency__slug=slug, fiscal_year__year=year)
            document = document_for(report)
            pdf = out / f"{key}.pdf"
            pdf.write_bytes(document_pdf(document))
            documents[key] = {
                "pdf": pdf,
                "html": document_html(document, static_base=PDF_STATIC_BASE),
                "layout": report.layout,
            }
        transaction.set_rollback(True)
    return documents
