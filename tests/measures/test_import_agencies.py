"""`python manage.py import_agencies FILE.csv`: agencies created or updated from a CSV."""

import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from measures.management.commands import import_agencies
from measures.models import Agency, Subdistrict
from measures.services import agencies
from measures.services.places import country_load

pytestmark = pytest.mark.django_db

README = Path(__file__).resolve().parents[2] / "README.md"

HEADER = "name,type,province,district,subdistrict,website,code\n"
NONG_LOM = "เทศบาลตำบลหนองหล่ม,เทศบาลตำบล,พะเยา,ดอกคำใต้,หนองหล่ม,https://nonglom.go.th,6560508\n"
CHUN = "องค์การบริหารส่วนตำบลจุน,อบต.,จังหวัดพะเยา,อำเภอจุน,ตำบลจุน,,6560202\n"


@pytest.fixture(autouse=True)
def country(db):
    country_load()


def run(tmp_path, content, *args):
    """The command's output, its errors, and whether it refused the file."""
    path = tmp_path / "agencies.csv"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_agencies", str(path), *args, stdout=out, stderr=err)
    except CommandError as error:
        return out.getvalue(), err.getvalue() + str(error), True
    return out.getvalue(), err.getvalue(), False


def test_agencies_are_created_in_their_places(tmp_path):
    out, _err, refused = run(tmp_path, HEADER + NONG_LOM + CHUN)

    assert not refused
    assert "สร้างใหม่ 2 แห่ง ปรับปรุง 0 แห่ง ไม่เปลี่ยน 0 แห่ง" in out
    nong_lom = Agency.objects.get(code="6560508")
    assert nong_lom.name == "เทศบาลตำบลหนองหล่ม"
    assert nong_lom.kind == Agency.Kind.SUBDISTRICT_MUNICIPALITY
    assert (nong_lom.province.code, nong_lom.district.code) == ("56", "5605")
    assert (nong_lom.subdistrict_area.code, nong_lom.subdistrict) == ("560508", "หนองหล่ม")
    assert nong_lom.website == "https://nonglom.go.th"
    # Its public address comes from the subdistrict's English name.
    assert nong_lom.slug == "nong-lom"
    chun = Agency.objects.get(code="6560202")
    assert (chun.kind, chun.district.code) == (Agency.Kind.SUBDISTRICT_ADMINISTRATION, "5602")
    assert f"แถวที่ 2 สร้าง {nong_lom.name} (nong-lom)" in out


def test_a_second_agency_named_after_the_same_place_gets_an_address_of_its_own(tmp_path):
    sao = "องค์การบริหารส่วนตำบลหนองหล่ม,อบต.,พะเยา,ดอกคำใต้,หนองหล่ม,,\n"

    run(tmp_path, HEADER + NONG_LOM + sao)

    assert Agency.objects.get(kind=Agency.Kind.SUBDISTRICT_ADMINISTRATION).slug == "nong-lom-sao"


def test_the_queries_do_not_grow_with_the_rows(tmp_path, django_assert_max_num_queries):
    rows = [
        f"อบต.{s.name},อบต.,พะเยา,{s.district.name},{s.name},,\n"
        for s in Subdistrict.objects.filter(district__province__code="56")[:40]
    ]

    with django_assert_max_num_queries(16):  # three transactions, six reads, one insert
        _out, _err, refused = run(tmp_path, HEADER + "".join(rows))

    assert not refused
    assert Agency.objects.count() == 40


def test_a_second_import_of_the_same_file_changes_nothing(tmp_path):
    run(tmp_path, HEADER + NONG_LOM + CHUN)

    out, _err, refused = run(tmp_path, HEADER + NONG_LOM + CHUN)

    assert not refused
    assert "สร้างใหม่ 0 แห่ง ปรับปรุง 0 แห่ง ไม่เปลี่ยน 2 แห่ง" in out
    assert Agency.objects.count() == 2


def test_what_an_update_changed_is_reported(tmp_path):
    run(tmp_path, HEADER + NONG_LOM + CHUN)
    changed = NONG_LOM.replace("https://nonglom.go.th", "https://www.nonglom.go.th")

    out, _err, _refused = run(tmp_path, HEADER + changed + CHUN)

    assert "สร้างใหม่ 0 แห่ง ปรับปรุง 1 แห่ง ไม่เปลี่ยน 1 แห่ง" in out
    assert "แถวที่ 2 ปรับปรุง เทศบาลตำบลหนองหล่ม (nong-lom): website" in out
    assert Agency.objects.get(slug="nong-lom").website == "https://www.nonglom.go.th"


def test_an_agency_without_a_code_is_found_by_its_name_and_province(tmp_path):
    header = "name,type,province,district,website\n"
    run(tmp_path, header + "เทศบาลตำบลหนองหล่ม,ทต.,พะเยา,ดอกคำใต้,\n")

    out, _err, _refused = run(tmp_path, header + "เทศบาลตำบลหนองหล่ม,ทต.,56,5605,https://a.go.th\n")

    assert "ปรับปรุง 1 แห่ง" in out
    assert Agency.objects.get().website == "https://a.go.th"


def test_an_existing_agency_keeps_its_address(tmp_path):
    run(tmp_path, HEADER + NONG_LOM)
    Agency.objects.filter(code="6560508").update(slug="nonglom-town")

    out, _err, refused = run(tmp_path, HEADER + NONG_LOM.replace("เทศบาลตำบลหนองหล่ม", "ทต.หนองหล่ม"))

    assert not refused
    assert Agency.objects.get(code="6560508").slug == "nonglom-town"
    assert "(nonglom-town): name" in out


def test_bad_rows_are_named_in_thai_and_nothing_is_written(tmp_path):
    rows = [
        NONG_LOM,
        ",ทต.,พะเยา,,,,\n",  # row 3: no name
        "เทศบาลตำบลก,สหกรณ์,พะเยา,,,,\n",  # row 4: no such type
        "เทศบาลตำบลข,ทต.,แอตแลนติส,,,,\n",  # row 5: no such province
        "เทศบาลตำบลค,ทต.,พะเยา,บางรัก,,,\n",  # row 6: a district of Bangkok
        "เทศบาลตำบลง,ทต.,พะเยา,จุน,หนองหล่ม,,\n",  # row 7: a subdistrict of another district
        "เทศบาลตำบลจ,ทต.,พะเยา,,,nonglom.go.th,\n",  # row 8: no http(s)://
        "เทศบาลตำบลฉ,ทต.,พะเยา,,,,6560508\n",  # row 9: the code of row 2 again
    ]

    _out, err, refused = run(tmp_path, HEADER + "".join(rows))

    assert refused
    assert Agency.objects.count() == 0
    assert "แถวที่ 3 คอลัมน์ name: ต้องมีชื่อหน่วยงาน" in err
    assert "แถวที่ 4 คอลัมน์ type: ไม่รู้จักประเภทหน่วยงาน “สหกรณ์”" in err
    assert "แถวที่ 5 คอลัมน์ province: ไม่พบจังหวัด “แอตแลนติส”" in err
    assert "แถวที่ 6 คอลัมน์ district: ไม่พบอำเภอ “บางรัก” ในจังหวัดพะเยา" in err
    assert "แถวที่ 7 คอลัมน์ subdistrict: ไม่พบตำบล “หนองหล่ม” ในอำเภอจุน" in err
    assert "แถวที่ 8 คอลัมน์ website: " in err
    assert "แถวที่ 9 คอลัมน์ code: รหัส “6560508” ซ้ำกับแถวที่ 2" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "ไฟล์ว่าง"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10", "ไม่ใช่ไฟล์ CSV"),
        ("ชื่อ,เว็บไซต์\nก,\n".encode(), "ไม่มีคอลัมน์ type, province"),
        ('name,type,province\n"ไม่ปิด,ทต.,พะเยา\n'.encode(), "แถวที่ 2"),
    ],
)
def test_a_file_that_is_not_a_table_of_agencies_is_refused_with_a_message(
    tmp_path, content, message
):
    _out, err, refused = run(tmp_path, content)

    assert refused
    assert message in err
    assert Agency.objects.count() == 0


def test_thai_excel_encodings_and_a_bom_are_read(tmp_path):
    text = "ชื่อ,ประเภท,จังหวัด,อำเภอ\r\nเทศบาลตำบลหนองหล่ม,ทต.,พะเยา,ดอกคำใต้\r\n"

    _out, _err, refused = run(tmp_path, "\ufeff".encode() + text.encode())
    assert not refused
    Agency.objects.all().delete()

    _out, _err, refused = run(tmp_path, text.encode("cp874"))
    assert not refused
    assert Agency.objects.get().district.code == "5605"


def test_a_file_beyond_the_row_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(agencies, "MAX_AGENCY_ROWS", 2)

    _out, err, refused = run(tmp_path, HEADER + NONG_LOM + CHUN + NONG_LOM)

    assert refused
    assert "เกิน 2 แถว" in err
    assert Agency.objects.count() == 0


def test_a_file_beyond_the_size_limit_is_refused_unread(tmp_path, monkeypatch):
    monkeypatch.setattr(import_agencies, "MAX_AGENCY_FILE_BYTES", 100)

    _out, err, refused = run(tmp_path, HEADER + NONG_LOM + CHUN)

    assert refused
    assert "ไฟล์ใหญ่เกิน" in err
    assert Agency.objects.count() == 0


def test_dry_run_reports_without_writing(tmp_path):
    out, _err, refused = run(tmp_path, HEADER + NONG_LOM, "--dry-run")

    assert not refused
    assert "สร้างใหม่ 1 แห่ง" in out
    assert Agency.objects.count() == 0


def test_the_readme_lists_the_commands_columns():
    text = README.read_text()
    section = text.split("## Agencies from a CSV", 1)[1].split("\n## ", 1)[0]
    documented = re.findall(r"^\| `([a-z_]+)` \|", section, flags=re.MULTILINE)

    assert documented == [column.name for column in agencies.AGENCY_COLUMNS]
