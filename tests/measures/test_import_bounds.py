"""Every importer is bounded by the cells a file holds, never by the sizes it declares.

Each hostile file is read in a forked child whose address space is capped (so today's code fails
fast, not by taking the machine), and the growth of its resident memory during the read is
measured: a file the upload limit admits is read, or
refused with the importer's own message, in less than 200 MB.
"""

import io
import multiprocessing
import random
import resource
import sys
import traceback
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from accounts.models import Membership
from measures import thai
from measures.importers import (
    MAX_COLUMNS,
    MAX_ROWS,
    MAX_TEXT_CHARS,
    MAX_UPLOAD_BYTES,
    ReportImportError,
    parse_file,
)
from measures.services import result_scores_read
from tests.factories import ReportFactory, UserFactory

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="measures memory through /proc"
)

MEMORY_BOUND_MB = 200
# The child may grow this much before allocations fail, so today's code fails fast and small.
ADDRESS_SPACE_MB = 400

# -- Files built by hand: the XML a hostile file holds, zipped --------------------------------

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
HEADER = ("มาตรการ", "ขั้นตอนการดำเนินการ")


def zipped(members: dict[str, str | bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def xlsx(
    sheet_data: str, *, dimension: str = "", shared: list[str] = (), styles: str = ""
) -> bytes:
    types = "".join(
        f'<Override PartName="/xl/{part}" ContentType="application/'
        f'vnd.openxmlformats-officedocument.spreadsheetml.{kind}+xml"/>'
        for part, kind in (
            ("workbook.xml", "sheet.main"),
            ("worksheets/sheet1.xml", "worksheet"),
            ("sharedStrings.xml", "sharedStrings"),
            ("styles.xml", "styles"),
        )
    )
    relationships = "".join(
        f'<Relationship Id="rId{n}" Type="{DOC_RELS}/{kind}" Target="{target}"/>'
        for n, (kind, target) in enumerate(
            (
                ("worksheet", "worksheets/sheet1.xml"),
                ("sharedStrings", "sharedStrings.xml"),
                ("styles", "styles.xml"),
            ),
            start=1,
        )
    )
    strings = "".join(f"<si><t>{text}</t></si>" for text in shared)
    return zipped(
        {
            "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
            f'ContentType="application/xml"/>{types}</Types>',
            "_rels/.rels": f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" '
            f'Type="{DOC_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
            "xl/workbook.xml": f'<workbook xmlns="{MAIN}" xmlns:r="{DOC_RELS}"><sheets>'
            '<sheet name="แผ่น1" sheetId="1" r:id="rId1"/></sheets></workbook>',
            "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{RELS}">{relationships}'
            "</Relationships>",
            "xl/sharedStrings.xml": f'<sst xmlns="{MAIN}">{strings}</sst>',
            "xl/styles.xml": f'<styleSheet xmlns="{MAIN}">{styles}</styleSheet>',
            "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{MAIN}">{dimension}'
            f"<sheetData>{sheet_data}</sheetData></worksheet>",
        }
    )


def xlsx_cell(reference: str, text: str) -> str:
    return f'<c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c>'


def xlsx_table(rows: int = 1, first: int = 2) -> str:
    """A header and ``rows`` measures from row ``first`` on, in columns A and B."""
    lines = [f'<row r="1">{xlsx_cell("A1", HEADER[0])}{xlsx_cell("B1", HEADER[1])}</row>']
    for number in range(first, first + rows):
        cells = xlsx_cell(f"A{number}", f"มาตรการที่ {number}") + xlsx_cell(f"B{number}", "ขั้น")
        lines.append(f'<row r="{number}">{cells}</row>')
    return "".join(lines)


def docx(body: str) -> bytes:
    return zipped(
        {
            "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
            'ContentType="application/xml"/><Override PartName="/word/document.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.'
            'document.main+xml"/></Types>',
            "_rels/.rels": f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" '
            f'Type="{DOC_RELS}/officeDocument" Target="word/document.xml"/></Relationships>',
            "word/document.xml": f'<w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>',
        }
    )


def docx_cell(text: str, properties: str = "") -> str:
    return f"<w:tc>{properties}<w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>"


def docx_table(measure_row: str) -> str:
    header = "".join(docx_cell(text) for text in HEADER)
    return f"<w:tbl><w:tr>{header}</w:tr><w:tr>{measure_row}</w:tr></w:tbl>"


def noise(count: int, template: str) -> str:
    """``count`` copies of ``template`` with random hex in them, so they do not compress away."""
    rng = random.Random(count)
    return "".join(template.format(rng.getrandbits(32)) for _ in range(count))


# The files the issue found, and the other shapes the same idea takes in each format.
HOSTILE = {
    # A 4.7 KB .xlsx that said it had 16,384 columns and 20,001 rows: 2 GB, a worker killed.
    "xlsx declaring A1:XFD20001": (
        "report.xlsx",
        lambda: xlsx(xlsx_table(first=20_001), dimension='<dimension ref="A1:XFD20001"/>'),
        "read",
    ),
    "xlsx with a value in column XFD of 20,000 rows": (
        "report.xlsx",
        lambda: xlsx(
            xlsx_table()
            + "".join(f'<row r="{n}">{xlsx_cell(f"XFD{n}", "x")}</row>' for n in range(3, 20_003))
        ),
        "columns",
    ),
    "xlsx with 400,000 cells in one row": (
        "report.xlsx",
        lambda: xlsx(xlsx_table() + '<row r="3">' + noise(400_000, '<c s="{}"/>') + "</row>"),
        "complex",
    ),
    "xlsx cell of 1,000,000 attributes": (
        "report.xlsx",
        lambda: xlsx(
            xlsx_table()
            + '<row r="3"><c '
            + " ".join(f'a{n:x}=""' for n in range(10**6))
            + "/></row>"
        ),
        "complex",
    ),
    "xlsx with 1,000,000 shared strings": (
        "report.xlsx",
        lambda: xlsx(xlsx_table(), shared=[f"{n:x}" for n in range(1_000_000)]),
        "complex",
    ),
    "xlsx with 300,000 cell styles": (
        "report.xlsx",
        lambda: xlsx(
            xlsx_table(),
            styles="<cellXfs>" + noise(300_000, '<xf numFmtId="14" fontId="{}"/>') + "</cellXfs>",
        ),
        "complex",
    ),
    # A .docx cell spanning 50,000,000 grid columns: 981 MB and 10 s.
    "docx cell spanning 50,000,000 columns": (
        "report.docx",
        lambda: docx(
            docx_table(
                docx_cell("มาตรการที่ ๑")
                + docx_cell("๑. ประชุม", '<w:tcPr><w:gridSpan w:val="50000000"/></w:tcPr>')
            )
        ),
        "read",
    ),
    "docx row starting 50,000,000 columns in": (
        "report.docx",
        lambda: docx(
            docx_table(
                '<w:trPr><w:gridBefore w:val="50000000"/></w:trPr>'
                + docx_cell("มาตรการ ก")
                + docx_cell("ขั้น")
            )
        ),
        "columns",
    ),
    "docx cell of 400,000 paragraphs": (
        "report.docx",
        lambda: docx(
            docx_table(
                docx_cell("มาตรการ ก") + "<w:tc>" + noise(400_000, '<w:p w:rsidR="{}"/>')
            ).replace("</w:tr></w:tbl>", "</w:tc></w:tr></w:tbl>")
        ),
        "complex",
    ),
    "csv of one row of 4,000,000 cells": (
        "report.csv",
        lambda: ",".join(HEADER).encode() + b"\n" + b"," * 4_000_000 + b"x",
        "columns",
    ),
    "csv with a field of 15,000,000 characters": (
        "report.csv",
        lambda: ",".join(HEADER).encode() + b'\nx,"' + b"y" * 15_000_000 + b'"\n',
        "refused",
    ),
    "csv of 15,000,000 empty lines": (
        "report.csv",
        lambda: ",".join(HEADER).encode() + b"\n" * 15_000_000,
        "text",
    ),
    "text of 4,000,000 tabs": (
        "report.txt",
        lambda: "\t".join(HEADER).encode() + b"\n" + b"\t" * 4_000_000 + b"x",
        "columns",
    ),
    "scores xlsx declaring A1:XFD1048576": (
        "scores.xlsx",
        lambda: xlsx(
            f'<row r="1">{xlsx_cell("A1", "ตัวชี้วัดที่ 1")}<c r="B1"><v>92.5</v></c></row>'
            '<row r="1048576"><c r="A1048576"/></row>',
            dimension='<dimension ref="A1:XFD1048576"/>',
        ),
        "read",
    ),
    "scores csv of one row of 4,000,000 cells": (
        "scores.csv",
        lambda: b"1,92.5\n" + b"," * 4_000_000 + b"x",
        "columns",
    ),
}


def _status(key: str) -> int:
    """A line of /proc/self/status, in kB."""
    with open("/proc/self/status") as lines:
        return next(int(line.split()[1]) for line in lines if line.startswith(key + ":"))


def _run(read, connection) -> None:
    """In the child: run ``read``, and tell how it went and how far memory grew meanwhile."""
    translation.activate("en")
    limit = _status("VmSize") * 1024 + ADDRESS_SPACE_MB * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")  # the peak (VmHWM) starts again from here, not the parent's
    except OSError:
        connection.send({"outcome": "no peak"})
        return
    before = _status("VmRSS")
    try:
        outcome = {"outcome": "read", **read()}
    except ReportImportError as error:
        outcome = {"outcome": "refused", "message": str(error)}
    except MemoryError:
        outcome = {"outcome": "MemoryError"}
    except Exception as error:
        outcome = {"outcome": type(error).__name__, "message": traceback.format_exc()[-3000:]}
    outcome["grew_mb"] = (_status("VmHWM") - before) / 1024
    connection.send(outcome)


def run_in_a_child(read) -> dict:
    """How ``read()`` went, run in a forked child whose address space is capped: "read" with
    what it returned, "refused" with the importer's message, or the exception it raised."""
    context = multiprocessing.get_context("fork")
    receiving, sending = context.Pipe(duplex=False)
    child = context.Process(target=_run, args=(read, sending))
    child.start()
    sending.close()
    try:
        outcome = receiving.recv() if receiving.poll(300) else {"outcome": "timed out"}
    except EOFError:
        outcome = {"outcome": "died"}
    child.join(30)
    if child.is_alive():
        child.kill()
    assert outcome["outcome"] not in ("died", "timed out"), (outcome, child.exitcode)
    if outcome["outcome"] == "no peak":
        pytest.skip("the peak memory of a process cannot be reset here")
    return outcome


def read_in_a_child(filename: str, data: bytes) -> dict:
    """An upload read as the import page reads it (files named scores.* as the scores page)."""
    if filename.startswith("scores"):

        def read():
            found = result_scores_read(file=data, filename=filename, indicators={1: "ก"})
            return {"scores": len(found["indicators"])}
    else:

        def read():
            return {"measures": len(parse_file(data, filename, 2568).measures)}

    return run_in_a_child(read)


# What the user is told, in words a test can hold to (English, as the child activates it).
MESSAGES = {
    "columns": f"at most {MAX_COLUMNS:,} columns",
    "complex": "too complex",
    "text": f"more than {MAX_TEXT_CHARS:,} characters",
}


@pytest.mark.parametrize("case", HOSTILE)
def test_a_hostile_file_is_read_or_refused_within_the_memory_bound(case):
    filename, build, expected = HOSTILE[case]
    data = build()
    assert len(data) <= MAX_UPLOAD_BYTES  # the upload limit admits it
    outcome = read_in_a_child(filename, data)
    assert outcome["grew_mb"] < MEMORY_BOUND_MB, outcome
    if expected == "read":
        # Only the cells that exist were read: the one measure (or score) it holds.
        assert outcome["outcome"] == "read", outcome
        assert outcome.get("measures", outcome.get("scores")) == 1, outcome
    else:
        assert outcome["outcome"] == "refused", outcome
        assert MESSAGES.get(expected, "") in outcome["message"], outcome


def test_the_largest_table_the_caps_admit_is_read_within_the_memory_bound():
    outcome = read_in_a_child("report.xlsx", xlsx(xlsx_table(MAX_ROWS - 1)))
    assert outcome == {"outcome": "read", "measures": MAX_ROWS - 1, "grew_mb": outcome["grew_mb"]}
    assert outcome["grew_mb"] < MEMORY_BOUND_MB


# -- The caps, each at its edge, with the message beside the upload field --------------------


def tab_table(rows: list[list[str]]) -> bytes:
    return "\n".join("\t".join(row) for row in [list(HEADER), *rows]).encode()


def refusal(filename: str, data: bytes) -> str:
    with translation.override("en"), pytest.raises(ReportImportError) as error:
        parse_file(data, filename, 2568)
    return str(error.value)


def test_text_in_the_last_column_allowed_is_read_and_one_further_is_refused():
    row = ["มาตรการ ก", "ขั้น"] + [""] * (MAX_COLUMNS - 3)
    assert len(parse_file(tab_table([[*row, "หมายเหตุ"]]), "r.txt", 2568).measures) == 1
    message = refusal("r.txt", tab_table([[*row, "", "หมายเหตุ"]]))
    assert f"column {MAX_COLUMNS + 1:,}" in message
    assert MESSAGES["columns"] in message


def test_empty_cells_beyond_the_last_column_allowed_are_not_counted():
    row = ["มาตรการ ก", "ขั้น"] + [""] * (MAX_COLUMNS * 3)
    assert len(parse_file(tab_table([row]), "r.txt", 2568).measures) == 1


def test_rows_beyond_the_cap_are_refused_whole():
    rows = [[f"มาตรการ {n}", "ขั้น"] for n in range(MAX_ROWS)]
    assert len(parse_file(tab_table(rows[:-1]), "r.txt", 2568).measures) == MAX_ROWS - 1
    message = refusal("r.txt", tab_table(rows))
    assert f"more than {MAX_ROWS:,} rows" in message


def test_an_xlsx_column_beyond_the_cap_is_refused_with_its_letter_and_number():
    far = xlsx_table() + f'<row r="3">{xlsx_cell("CV3", "มาตรการ")}{xlsx_cell("XFD3", "x")}</row>'
    message = refusal("r.xlsx", xlsx(far))
    assert "column 16,384" in message
    assert MESSAGES["columns"] in message


def test_the_scores_reader_refuses_a_value_beyond_the_column_cap():
    sheet = f'<row r="1">{xlsx_cell("A1", "ตัวชี้วัดที่ 1")}{xlsx_cell("XFD1", "92.5")}</row>'
    with translation.override("en"), pytest.raises(ReportImportError, match="columns"):
        result_scores_read(file=xlsx(sheet), filename="s.xlsx", indicators={1: "ก"})


@pytest.mark.django_db
def test_the_import_page_shows_the_cap_beside_the_upload_field(client):
    report = ReportFactory()
    user = UserFactory()
    Membership.objects.create(user=user, agency=report.agency, role=Membership.Role.EDITOR)
    assert client.login(username=user.username, password="secret-pass-1")
    filename, build, _expected = HOSTILE["xlsx with a value in column XFD of 20,000 rows"]
    response = client.post(
        f"/staff/reports/{report.pk}/import/", {"file": SimpleUploadedFile(filename, build())}
    )
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["file"])
    # The page is in Thai: the column and the cap in Thai digits, whatever the catalog holds.
    assert thai.to_digits("16,384") in errors
    assert thai.to_digits(f"{MAX_COLUMNS:,}") in errors
    assert report.measures.count() == 0
