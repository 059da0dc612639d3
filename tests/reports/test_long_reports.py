"""A report far longer than the seeds: 100 measures over many pages."""

import pytest

from measures import thai
from measures.models import Report
from measures.services import report_import
from reports.rendering import document_for, document_pdf
from tests.pdftools import pdf_pages
from tests.reports.test_rendering import TABLE_HEADERS
from tests.textmatch import squash

pytestmark = pytest.mark.django_db

STEP = "ประชาสัมพันธ์ข้อมูลสถิติเรื่องการร้องเรียนการทุจริตที่ยังไม่ได้รับการแก้ไขให้บุคลากรทราบ"
OUTPUT = "จัดทำประกาศนโยบายไม่รับของขวัญ (No Gift Policy) และแจ้งให้ผู้บริหารและบุคลากรทุกคนถือปฏิบัติ"


def long_report(framework, measures: int = 100) -> Report:
    return report_import(
        data={
            "agency": {
                "slug": "long",
                "name": "เทศบาลตำบลยาวมาก",
                "kind": "subdistrict_municipality",
                "district": "เมือง",
                "province": "ทดสอบ",
            },
            "fiscal_year": 2568,
            "title": "รายงานผลการดำเนินการเพื่อส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน",
            "measures": [
                {
                    "title": f"มาตรการที่ {n} ส่งเสริมความโปร่งใสในการปฏิบัติงาน",
                    "indicator": {"number": n % 10 + 1, "label": ""},
                    # Every seventh measure is taller than a page, so rows split over pages.
                    "steps": [
                        {"text": f"{STEP} ครั้งที่ {i}"}
                        for i in range(1, 1 + (24 if n % 7 == 0 else n % 5))
                    ],
                    "outputs": [{"text": f"{OUTPUT} ข้อ {i}"} for i in range(1, 1 + n % 4)],
                    "outcomes": [{"text": "บุคลากรปฏิบัติตามนโยบายเพิ่มขึ้น"}],
                    "period": {"style": "fiscal_year", "start": "2024-10-01", "end": "2025-09-30"},
                    "responsible": {"main": ["สำนักปลัดเทศบาล"], "supporting": ["กองคลัง"]},
                }
                for n in range(1, measures + 1)
            ],
        }
    )


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
