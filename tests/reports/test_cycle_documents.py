"""The analysis, the plan and the progress, rendered to PDF and read back as citizens' tools do."""

import copy
import re

import pytest
from django.core.management import call_command

from measures.demo import demo_reports
from measures.demo.generated import long_report_data
from measures.models import DOCUMENT_TITLES, DocumentKind, Measure, Report
from measures.selectors import report_document
from measures.services import report_import
from reports.cycle import PlanDocument
from reports.rendering import PDF_STATIC_BASE, document_for, document_html, document_pdf
from tests.pdftools import pdf_fonts, pdf_pages, pdf_text
from tests.textmatch import html_text, squash

pytestmark = pytest.mark.django_db

THAI_DIGIT = re.compile("[๐-๙]")
URGENT = "๑) ประเด็นที่เป็นข้อบกพร่องหรือจุดอ่อนที่จะต้องแก้ไขโดยเร่งด่วน"
DEVELOP = "๒) ประเด็นที่จะต้องพัฒนาให้ดีขึ้น"
PLAN_HEADER = "ลำดับมาตรการ/โครงการ/กิจกรรมวัตถุประสงค์ขั้นตอนการดำเนินการงบประมาณ(บาท)"
ROUND_HEADER = "ลำดับมาตรการผลการดำเนินงานสถานะร้อยละความก้าวหน้า"
SCORES = ["92.10", "88.75", "90.00", "95.20", "86.40", "83.10", "80.25", "87.00", "78.50", "91.30"]


def cycle_data(digits: str = "thai") -> dict:
    """nong-lom 2568 (one measure per indicator) with the year's whole cycle: last year's result
    per tool and indicator, issues of both kinds (and one without), a plan, two rounds."""
    data = copy.deepcopy(demo_reports()[2])
    assert data["agency"]["slug"] == "nong-lom"
    data["digits"] = digits
    data["rounds"] = [
        {"number": 1, "label": "รอบ ๖ เดือน", "as_of": "2025-03-31"},
        {"number": 2, "label": "รอบ ๑๒ เดือน", "as_of": "2025-09-30"},
    ]
    data["cited_result"] = {
        "fiscal_year": 2567,
        "overall": "88.40",
        "iit": "92.30",
        "eit": "84.10",
        "oit": "86.00",
        "label": "ผ่าน (ระดับ A)",
        "indicators": [{"number": n, "score": s} for n, s in enumerate(SCORES, start=1)],
    }
    data["analysis"] = (
        "ผลการประเมินปี ๒๕๖๗ ผ่านเกณฑ์ภาพรวม แต่ตัวชี้วัดที่ ๖ ๗ และ ๙ ได้คะแนนต่ำกว่า ๘๕\n\n"
        "หน่วยงานจึงกำหนดมาตรการเพื่อแก้ไขและพัฒนาในปีงบประมาณ ๒๕๖๘"
    )
    data["issue_groups"] = [
        {"number": 1, "title": "การเปิดเผยข้อมูลบนเว็บไซต์ยังไม่ครบถ้วน", "kind": "urgent"},
        {"number": 2, "title": "คุณภาพการให้บริการประชาชน", "kind": "develop"},
        {"number": 3, "title": "การรับฟังความคิดเห็นของผู้มีส่วนได้ส่วนเสีย", "kind": ""},
    ]
    first, second, third, _, fifth, sixth, seventh = data["measures"]
    first.update(
        objective="ให้บุคลากรรู้เรื่องผลประโยชน์ทับซ้อน",
        target="บุคลากรร้อยละ ๘๐ ผ่านการอบรม",
        budget_planned=25000,
        rounds=[
            {"round": 1, "progress": "in_progress", "percent": 40, "note": "อบรมรุ่นแรกแล้ว"},
            {"round": 2, "progress": "done", "percent": 100, "note": "อบรมครบทุกรุ่น"},
        ],
    )
    second.update(budget_none=True, rounds=[{"round": 1, "progress": "done", "percent": 100}])
    third.update(budget_planned=1234567.5, rounds=[{"round": 2, "percent": 50}])
    fifth.update(rounds=[{"round": 2, "progress": "in_progress", "note": "จัดเวทีรับฟังแล้ว"}])
    for measure, issue in ((seventh, 1), (sixth, 2), (fifth, 3)):
        measure.update(indicator=None, issue_group=issue)
    data["obstacles"] = "งบประมาณไม่เพียงพอ"
    return data


@pytest.fixture
def cycle_report(framework) -> Report:
    return report_document(pk=report_import(data=cycle_data()).pk)


def render(report: Report, kind: str, tmp_path, **options):
    document = document_for(report, kind=kind, **options)
    path = tmp_path / f"{kind}-{document.digits}.pdf"
    path.write_bytes(document_pdf(document))
    return document, path


def assert_sarabun_only(path):
    assert pdf_fonts(path) == ["Sarabun", "Sarabun-Bold"]


def test_the_analysis_reads_the_result_per_tool_and_indicator_and_lists_the_issues(
    cycle_report, tmp_path
):
    document, pdf = render(cycle_report, DocumentKind.ANALYSIS, tmp_path)
    text = pdf_text(pdf)
    flat = squash(text)
    assert squash(DOCUMENT_TITLES[DocumentKind.ANALYSIS]) in flat
    assert "ปีงบประมาณ ๒๕๖๗" in text and "เทศบาลตำบลหนองหล่ม" in text
    # Per tool, with the band of the year's rule (EIT under 85: ผ่าน) and the label as published.
    for score in ("๙๒.๓๐", "๘๔.๑๐", "๘๖.๐๐", "๘๘.๔๐"):
        assert score in text
    assert squash("ระดับผลการประเมินตามเกณฑ์ของปี ผ่าน") in flat
    assert "ผ่าน (ระดับ A)" in text
    # Per indicator: a row each, the weak ones marked, in the table's order.
    assert squash("๙\tการเปิดเผยข้อมูล\t๗๘.๕๐\tต่ำกว่า ๘๕") in flat
    assert "๑\tการปฏิบัติหน้าที่\t๙๒.๑๐\t\n" in text
    # Indicators 6, 7 and 9, the EIT; and the analysis's own words.
    assert flat.count("ต่ำกว่า๘๕") == 3 + 1 + 1
    # The chart is drawn (bars and the 85 line) without breaking the text around it.
    html = document_html(document, static_base=PDF_STATIC_BASE)
    assert html.count("<rect") == 10 and 'stroke-dasharray="6 4"' in html
    assert "แผนภูมิคะแนนรายตัวชี้วัด" in text
    assert "ดำเนินการ" in text and "ดาเนินการ" not in text
    # The analysis, then the issues in the form's two parts with the measures that answer them.
    assert "หน่วยงานจึงกำหนดมาตรการเพื่อแก้ไขและพัฒนา" in text
    parts = [
        URGENT,
        "ประเด็นที่ ๑ การเปิดเผยข้อมูลบนเว็บไซต์ยังไม่ครบถ้วน",
        "สร้างความเข้าใจเกี่ยวกับองค์ประกอบ",
        DEVELOP,
        "ประเด็นที่ ๒ คุณภาพการให้บริการประชาชน",
        "เพิ่มกลไกการปรับปรุงคุณภาพ",
        "ประเด็นที่พบจากการวิเคราะห์ผลการประเมิน",
        "ประเด็นที่ ๓ การรับฟังความคิดเห็น",
    ]
    positions = [flat.find(squash(part)) for part in parts]
    assert -1 not in positions and positions == sorted(positions), positions
    assert_sarabun_only(pdf)


def test_the_plan_gives_each_measure_its_budget_and_totals_it(cycle_report, tmp_path):
    document, pdf = render(cycle_report, DocumentKind.PLAN, tmp_path)
    text = pdf_text(pdf)
    flat = squash(text)
    assert squash(DOCUMENT_TITLES[DocumentKind.PLAN]) in flat
    # Grouped per indicator (in the indicators' order), then per issue.
    headings = [group.heading for group in document.groups]
    assert headings[:4] == [
        "ตัวชี้วัดที่ ๑ การปฏิบัติหน้าที่",
        "ตัวชี้วัดที่ ๒ การใช้งบประมาณ",
        "ตัวชี้วัดที่ ๔ การใช้ทรัพย์สินของราชการ",
        "ตัวชี้วัดที่ ๕ การแก้ไขปัญหาการทุจริต",
    ]
    assert headings[4].startswith("ประเด็นที่ ๑") and headings[6].startswith("ประเด็นที่ ๓")
    # Numbered in the plan's order; anchored as in the report (the first here is its third).
    first = document.groups[0].measures[0]
    assert (first.number, first.anchor) == ("๑", "measure-3")
    for heading in headings:
        assert squash(heading) in flat
    # A row: its number, title, objective, steps, budget, period, who and target, in order.
    row = [
        "๔",
        "เสริมสร้างความรู้ ความเข้าใจด้าน การป้องกัน",
        "ให้บุคลากรรู้เรื่องผลประโยชน์ทับซ้อน",
        "๒๕,๐๐๐",
        "ม.ค.-มี.ค. ๒๕๖๘",
        "สำนักปลัดเทศบาล",
        "บุคลากรร้อยละ ๘๐ ผ่านการอบรม",
    ]
    start = flat.find(squash(row[1])) - len(row[0])
    positions = [flat.find(squash(cell), start) for cell in row]
    assert positions == sorted(positions) and -1 not in positions, positions
    assert "ไม่ใช้งบประมาณ" in text
    assert "๑,๒๓๔,๕๖๗.๕๐" in text
    assert squash("รวมงบประมาณทั้งสิ้น ๑,๒๕๙,๕๖๗.๕๐ บาท") in flat
    assert squash("ไม่ใช้งบประมาณ ๑ มาตรการ ยังไม่ระบุงบประมาณ ๔ มาตรการ") in flat
    for page in pdf_pages(pdf)[1:]:  # after the cover, every page is the table's
        assert PLAN_HEADER in squash(page)
    assert_sarabun_only(pdf)


def test_the_plan_groups_per_issue_or_in_one_table_when_measures_have_no_indicator(framework):
    data = cycle_data()
    for measure in data["measures"]:
        measure.update(indicator=None, issue_group=1)
    report = report_document(pk=report_import(data=data).pk)
    groups = document_for(report, kind=DocumentKind.PLAN).groups
    assert [g.heading for g in groups] == ["ประเด็นที่ ๑ การเปิดเผยข้อมูลบนเว็บไซต์ยังไม่ครบถ้วน"]
    assert groups[0].subtotal == ""  # one group: only the grand total
    Measure.objects.filter(report=report).update(issue_group=None)
    plan = document_for(report_document(pk=report.pk), kind=DocumentKind.PLAN)
    assert isinstance(plan, PlanDocument)
    assert [(g.heading, len(g.measures)) for g in plan.groups] == [("", 7)]
    assert [m.number for m in plan.groups[0].measures] == list("๑๒๓๔๕๖๗")


def test_the_progress_gives_each_round_its_table_and_roll_up(cycle_report, tmp_path):
    document, pdf = render(cycle_report, DocumentKind.PROGRESS, tmp_path)
    text = pdf_text(pdf)
    flat = squash(text)
    assert squash(DOCUMENT_TITLES[DocumentKind.PROGRESS]) in flat
    first, second = (squash(h) for h in ("รอบ ๖ เดือน (ณ วันที่ ๓๑ มีนาคม ๒๕๖๘)", "รอบ ๑๒ เดือน"))
    assert first in flat and second in flat and flat.find(first) < flat.find(second)
    round_one = flat[flat.find(first) : flat.find(second)]
    # A row: number, measure, what was done, the state, the percent.
    assert squash("๑\tเสริมสร้างความรู้") in round_one
    assert squash("อบรมรุ่นแรกแล้ว\tอยู่ระหว่างดำเนินการ\t๔๐") in round_one
    assert squash("ดำเนินการแล้ว\t๑๐๐") in round_one
    assert squash("ยังไม่ได้ดำเนินการ\t๐") in round_one
    # The roll-up: the mean over all seven measures (40 + 100) / 7 = 20, and per indicator.
    assert squash("ภาพรวมทุกมาตรการ (ดำเนินการแล้ว ๑ จาก ๗ มาตรการ)\t๒๐") in round_one
    assert squash("ตัวชี้วัดที่ ๕ การแก้ไขปัญหาการทุจริต\t๔๐") in round_one
    assert squash("ปัญหา อุปสรรค งบประมาณไม่เพียงพอ ข้อเสนอแนะ ไม่มี") in flat
    html = document_html(document, static_base=PDF_STATIC_BASE)
    # Every row's percent but one not given, every indicator's and the whole's: a bar each.
    assert html.count('class="meter"') == 2 * 7 - 1 + 2 * (4 + 1)
    for page in pdf_pages(pdf):
        if "ผลการดำเนินงาน" in page or "ยังไม่ได้ดำเนินการ" in page:
            assert ROUND_HEADER in squash(page)
    assert_sarabun_only(pdf)


@pytest.mark.parametrize("kind", [DocumentKind.ANALYSIS, DocumentKind.PLAN, DocumentKind.PROGRESS])
def test_a_report_in_arabic_digits_shows_no_thai_digit(framework, tmp_path, kind):
    report = report_document(pk=report_import(data=cycle_data(digits="arabic")).pk)
    document, pdf = render(report, kind, tmp_path)
    text = pdf_text(pdf)
    assert not THAI_DIGIT.findall(text)
    assert not THAI_DIGIT.findall(html_text(document_html(document, static_base="static/")))
    expected = {
        DocumentKind.ANALYSIS: ["78.50", "ต่ำกว่า 85", "1) ประเด็นที่เป็นข้อบกพร่อง"],
        DocumentKind.PLAN: ["25,000", "1,234,567.50"],
        DocumentKind.PROGRESS: ["รอบ 6 เดือน (ณ วันที่ 31 มีนาคม 2568)"],
    }[kind]
    for word in expected:
        assert word in text


def test_the_report_is_still_the_default_document(cycle_report):
    document = document_for(cycle_report)
    assert document.layout.key == cycle_report.layout
    assert document_for(cycle_report, kind=DocumentKind.REPORT).layout.key == cycle_report.layout
    with pytest.raises(ValueError, match="analysis"):
        document_for(cycle_report, kind="memo")


def test_long_plan_and_progress_repeat_their_header_on_every_page(framework, tmp_path):
    data = long_report_data(30)
    data["rounds"] = [{"number": 1, "label": "รอบ ๖ เดือน", "as_of": "2025-03-31"}]
    for n, measure in enumerate(data["measures"], start=1):
        measure["budget_planned"] = n * 1000
        measure["rounds"] = [{"round": 1, "percent": n * 3, "note": "ดำเนินการตามแผน\n" * (n % 4)}]
    report = report_document(pk=report_import(data=data).pk)
    for kind, header in ((DocumentKind.PLAN, PLAN_HEADER), (DocumentKind.PROGRESS, ROUND_HEADER)):
        _, pdf = render(report, kind, tmp_path)
        pages = pdf_pages(pdf)
        with_rows = [i for i, page in enumerate(pages, 1) if "มาตรการที่" in page]
        assert len(with_rows) > 2, kind
        assert [i for i in with_rows if header not in squash(pages[i - 1])] == [], kind


def test_export_reports_writes_the_chosen_document(cycle_report, tmp_path, capsys):
    call_command(
        "export_reports",
        "--format",
        "pdf",
        "--document",
        "plan",
        "--output-dir",
        str(tmp_path),
        "--agency",
        "nong-lom",
    )
    path = tmp_path / "nong-lom-2568-plan.pdf"
    assert "๒๕,๐๐๐" in pdf_text(path)
    call_command(
        "export_reports",
        "--format",
        "html",
        "--document",
        "analysis",
        "--output-dir",
        str(tmp_path),
    )
    html = (tmp_path / "nong-lom-2568-analysis.html").read_text()
    assert "ประเด็นที่จะต้องพัฒนาให้ดีขึ้น" in html


def test_the_report_gains_budget_spent_obstacles_and_suggestions(framework, tmp_path):
    """What the newer forms ask of the report; "ไม่มี" where there is nothing to say."""
    from measures.demo import demo_cycle_reports
    from measures.services import fiscal_year_open, report_import
    from reports.rendering import document_for, document_pdf

    fiscal_year_open(year=2570, source=framework[2569])
    data = demo_cycle_reports()[2]
    data["measures"][0]["budget_spent"] = 24350.5
    data["obstacles"] = "งบประมาณไม่เพียงพอ"
    report = report_import(data=data)
    path = tmp_path / "report.pdf"
    path.write_bytes(document_pdf(document_for(report)))
    text = " ".join(pdf_text(path).split())
    assert "งบประมาณที่ใช้: ๒๔,๓๕๐.๕๐ บาท" in text
    assert "ปัญหา อุปสรรค งบประมาณไม่เพียงพอ" in text and "ข้อเสนอแนะ ไม่มี" in text
