"""A report far longer than the seeds: 100 measures over many pages."""

import pytest

from measures import thai
from measures.demo.generated import long_report_data
from measures.models import Report
from measures.services import report_import
from reports.rendering import document_for, document_pdf
from tests.pdftools import pdf_pages
from tests.reports.test_rendering import TABLE_HEADERS
from tests.textmatch import squash

pytestmark = pytest.mark.django_db


def long_report(framework) -> Report:
    return report_import(data=long_report_data(100))


@pytest.mark.parametrize("layout", ["measures_progress", "by_indicator"])
def test_every_page_of_a_100_measure_report_repeats_the_header(framework, tmp_path, layout):
    pdf = tmp_path / "long.pdf"
    pdf.write_bytes(document_pdf(document_for(long_report(framework), layout=layout)))
    pages = pdf_pages(pdf)
    assert len(pages) > 40
    header = TABLE_HEADERS[layout]
    first = next(i for i, page in enumerate(pages) if header in squash(page))
    without_header = [
        number
        for number, page in enumerate(pages[first:], start=first + 1)
        if header not in squash(page)
    ]
    assert without_header == []
    # Every measure made it, in order.
    text = squash("".join(pages))
    titles = [squash(f"มาตรการที่ {thai.number(n)} ส่งเสริม") for n in range(1, 101)]
    positions = [text.find(title) for title in titles]
    assert -1 not in positions and positions == sorted(positions)
