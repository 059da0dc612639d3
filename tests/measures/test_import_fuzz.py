"""Every importer, fed arbitrary bytes and the seed files mutated: a result or its own error.

The importers are every public reader of what a user uploads or pastes: ``parse_file`` under
each name it accepts (.xlsx, .csv, .docx, .txt), ``parse_table_text``, and the scores reader
(``result_scores_read``, .csv and .xlsx). Each example runs in a forked child with a capped
address space (tests.measures.test_import_bounds): the only outcomes allowed are a result or
ReportImportError, never another exception, a dead child, or memory grown past the bound.
"""

import functools
import io
import sys
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from measures.importers import parse_file, parse_table_text
from measures.services import result_scores_read
from tests.measures.importer_seeds import INDICATORS, seed_csv, seed_docx, seed_lines, seed_xlsx
from tests.measures.test_import_bounds import MEMORY_BOUND_MB, run_in_a_child

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="measures memory through /proc"
)

FUZZ = settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
NAMES = ["report.xlsx", "report.csv", "report.docx", "report.txt", "scores.csv", "scores.xlsx"]
SEEDS = ["nong-lom-2568", "sai-khao-2567"]
# What a hostile or broken file puts where the seeds have well-formed tables.
SNIPPETS = [
    b"<",
    b">",
    b"/>",
    b"</w:tc>",
    b"</w:tr>",
    b"<w:tc>",
    b'<w:gridSpan w:val="2147483648"/>',
    b'<w:gridBefore w:val="99999999"/>',
    b'<w:gridSpan w:val="-3"/>',
    b'<w:vMerge w:val="restart"/>',
    b"<w:numPr/>",
    b'<w:br w:type="page"/>',
    b'<dimension ref="A1:XFD1048576"/>',
    b'<c r="XFD1" t="inlineStr"><is><t>x</t></is></c>',
    b'<c r="A1" t="s"><v>99999999</v></c>',
    b'<c t="s"><v>-1</v></c>',
    b'<c t="d"><v>not a date</v></c>',
    b'<c s="1"><v>1e308</v></c>',
    b'<c t="b"><v>2</v></c>',
    b'<row r="1048576">',
    b'r="ZZZZ0"',
    b'numFmtId="14"',
    b'<xf numFmtId="22"/>',
    b'date1904="1"',
    b'<!DOCTYPE x [<!ENTITY a "aaaaaaaa">]>',
    b"&a;",
    b"&#0;",
    b"&#x1F600;",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    b'"',
    b'""',
    b"\t",
    b"\r\n",
    b",",
    b";",
    b"\x00",
    "มาตรการ\tขั้นตอน\tระยะเวลา".encode(),
    "๑. ".encode(),
    "ไตรมาสที่ ๕".encode(),
    "ประเด็นที่ ๙๙".encode(),
]


@functools.cache
def seed_file(kind: str, key: str) -> bytes:
    """A seed's tables as the tests already import them: Word, Excel, CSV or pasted text."""
    if kind == "docx":
        return seed_docx(key)
    if kind == "xlsx":
        return seed_xlsx(key)
    if kind == "csv":
        return seed_csv(key)
    return "\n".join(seed_lines(key)).encode()


@st.composite
def mutated(draw, content: bytes) -> bytes:
    """``content`` with a few slices replaced, inserted, deleted or repeated."""
    for _ in range(draw(st.integers(1, 4))):
        start = draw(st.integers(0, len(content)))
        end = draw(st.integers(start, min(len(content), start + 200)))
        piece = draw(st.sampled_from(SNIPPETS) | st.binary(max_size=12))
        how = draw(st.sampled_from(["replace", "insert", "delete", "repeat"]))
        if how == "replace":
            content = content[:start] + piece + content[end:]
        elif how == "insert":
            content = content[:start] + piece + content[start:]
        elif how == "delete":
            content = content[:start] + content[end:]
        else:
            content = content[:end] + content[start:end] * draw(st.integers(2, 60)) + content[end:]
    return content


@st.composite
def mutated_seed(draw) -> tuple[str, bytes]:
    """(file name, bytes): a seed file, mutated inside one of its zipped XML parts or whole."""
    kind = draw(st.sampled_from(["docx", "xlsx", "csv", "txt"]))
    data = seed_file(kind, draw(st.sampled_from(SEEDS)))
    name = draw(st.sampled_from(["report", "scores"])) if kind in ("csv", "xlsx") else "report"
    if kind in ("docx", "xlsx") and draw(st.integers(0, 9)):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = {info.filename: archive.read(info) for info in archive.infolist()}
        part = draw(st.sampled_from(sorted(n for n in members if n.endswith((".xml", ".rels")))))
        members[part] = draw(mutated(members[part]))
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for member, content in members.items():
                archive.writestr(member, content)
        data = buffer.getvalue()
    else:
        data = draw(mutated(data))
    return f"{name}.{kind}", data


def read_upload(filename: str, data: bytes):
    """The reader each page uses for the upload, by its name: a callable for the child."""
    if filename.startswith("scores"):

        def read():
            found = result_scores_read(file=data, filename=filename, indicators=INDICATORS[2567])
            return {"scores": len(found["indicators"])}
    else:

        def read():
            return {"measures": len(parse_file(data, filename, 2568, INDICATORS[2568]).measures)}

    return read


def assert_allowed(outcome: dict) -> None:
    assert outcome["outcome"] in ("read", "refused"), outcome.get("message", outcome)
    assert outcome["grew_mb"] < MEMORY_BOUND_MB, outcome


@FUZZ
@given(filename=st.sampled_from(NAMES), data=st.binary(max_size=4000))
def test_arbitrary_bytes_under_every_name(filename, data):
    assert_allowed(run_in_a_child(read_upload(filename, data)))


@FUZZ
@given(filename=st.sampled_from(["report.docx", "report.xlsx", "scores.xlsx"]), data=st.data())
def test_arbitrary_bytes_in_a_zip_that_claims_to_be_office(filename, data):
    # Past the zip checks, into the XML readers: every part the readers look for, any bytes.
    names = ["[Content_Types].xml", "_rels/.rels", "word/document.xml", "xl/workbook.xml"]
    names += ["xl/_rels/workbook.xml.rels", "xl/worksheets/sheet1.xml", "xl/sharedStrings.xml"]
    names += ["xl/styles.xml"]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in names:
            archive.writestr(name, data.draw(st.binary(max_size=300), label=name))
    assert_allowed(run_in_a_child(read_upload(filename, buffer.getvalue())))


@FUZZ
@given(
    text=st.lists(
        st.sampled_from(["\t", "\n", "\r", '"', " ", "๑.", "- ", "<b>", "</p>", "☑", "ต่อ"])
        | st.text(st.characters(exclude_categories=["Cs"]), max_size=8),
        max_size=120,
    ).map(lambda parts: "มาตรการ\tขั้นตอน\tระยะเวลา\tผู้รับผิดชอบ\tตัวชี้วัด\n" + "".join(parts))
)
def test_arbitrary_pasted_text(text):
    def read():
        return {"measures": len(parse_table_text(text, 2568, INDICATORS[2568]).measures)}

    assert_allowed(run_in_a_child(read))


@settings(FUZZ, max_examples=250)
@given(upload=mutated_seed())
def test_mutated_seed_files(upload):
    assert_allowed(run_in_a_child(read_upload(*upload)))
