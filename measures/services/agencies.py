"""Agencies created or updated from a CSV file (``python manage.py import_agencies``).

Every row is checked first, and one bad row writes nothing: each problem is named in Thai by its
row and column (the file is an operator's, like ``import_report``'s, so its messages are Thai).
The places are the country's (``places.country_load``), found by code or by name.
"""

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from ..models import Agency
from ..models.places import BANGKOK
from .places import PlaceIndex, free_slug, place_key, slug_from_thai


@dataclass(frozen=True)
class Column:
    name: str
    thai: str  # the header may be written in Thai instead
    required: bool = False


AGENCY_COLUMNS = (
    Column("name", "ชื่อ", required=True),
    Column("type", "ประเภท", required=True),
    Column("province", "จังหวัด", required=True),
    Column("district", "อำเภอ"),
    Column("subdistrict", "ตำบล"),
    Column("website", "เว็บไซต์"),
    Column("code", "รหัส"),
    Column("slug", "ที่อยู่"),
)
MAX_AGENCY_ROWS = 20_000  # the country has ~8,300 agencies
MAX_AGENCY_FILE_BYTES = 10_000_000
MAX_AGENCY_ERRORS = 200  # a file of another kind would name every row: the first ones tell

Kind = Agency.Kind
# The Thai names (and short forms) the NACC and the agencies write, compared without spaces/dots.
KIND_NAMES = {
    Kind.INDEPENDENT_BODY: [
        "หน่วยธุรการขององค์กรศาล องค์กรอิสระ องค์กรอัยการ และหน่วยงานในสังกัดรัฐสภา",
        "องค์กรศาล",
        "องค์กรอิสระ",
        "องค์กรอัยการ",
        "หน่วยงานในสังกัดรัฐสภา",
    ],
    Kind.GOVERNMENT_OFFICE: ["ส่วนราชการระดับกรม", "ส่วนราชการระดับกรมหรือเทียบเท่า", "ส่วนราชการ"],
    Kind.STATE_ENTERPRISE: ["รัฐวิสาหกิจ"],
    Kind.PUBLIC_ORGANIZATION: ["องค์การมหาชน"],
    Kind.FUND: ["กองทุน", "กองทุนหมุนเวียน"],
    Kind.HIGHER_EDUCATION: ["สถาบันอุดมศึกษา", "มหาวิทยาลัย"],
    Kind.PROVINCE: ["จังหวัด"],
    Kind.PROVINCIAL_ADMINISTRATION: ["องค์การบริหารส่วนจังหวัด", "อบจ."],
    Kind.CITY_MUNICIPALITY: ["เทศบาลนคร", "ทน."],
    Kind.TOWN_MUNICIPALITY: ["เทศบาลเมือง", "ทม."],
    Kind.SUBDISTRICT_MUNICIPALITY: ["เทศบาลตำบล", "ทต."],
    Kind.SUBDISTRICT_ADMINISTRATION: ["องค์การบริหารส่วนตำบล", "อบต."],
    Kind.SPECIAL_LOCAL: ["องค์กรปกครองส่วนท้องถิ่นรูปแบบพิเศษ", "กรุงเทพมหานคร", "เมืองพัทยา"],
    Kind.EDUCATION_SERVICE_AREA: ["สำนักงานเขตพื้นที่การศึกษา", "สพท.", "สพป.", "สพม."],
    Kind.EDUCATIONAL_INSTITUTION: ["สถานศึกษา", "โรงเรียน", "วิทยาลัย"],
    Kind.OTHER: ["อื่น ๆ", "หน่วยงานอื่นของรัฐ"],
}


def _plain(text: str) -> str:
    return "".join(text.split()).replace(".", "").lower()


_KIND_BY_NAME = {_plain(n): kind for kind, names in KIND_NAMES.items() for n in names} | {
    kind.value: kind for kind in Kind
}
# What a local government's name has before its place: stripped to name its address.
_NAME_PREFIXES = ("องค์การบริหารส่วนตำบล", "องค์การบริหารส่วนจังหวัด", "เทศบาลตำบล", "เทศบาลเมือง")
_NAME_PREFIXES += ("เทศบาลนคร", "อบต.", "อบจ.", "ทต.", "ทม.", "ทน.")
# Tried after a slug already taken: เทศบาลตำบลหนองหล่ม is nong-lom, then อบต.หนองหล่ม nong-lom-sao.
_KIND_SLUGS = {
    Kind.SUBDISTRICT_MUNICIPALITY: "tambon",
    Kind.TOWN_MUNICIPALITY: "mueang",
    Kind.CITY_MUNICIPALITY: "nakhon",
    Kind.SUBDISTRICT_ADMINISTRATION: "sao",
    Kind.PROVINCIAL_ADMINISTRATION: "pao",
}
# An agency's field and the column it comes from.
_FIELD_COLUMNS = {
    "name": "name",
    "kind": "type",
    "province": "province",
    "district": "district",
    "subdistrict_area": "subdistrict",
    "subdistrict": "subdistrict",
    "website": "website",
    "code": "code",
    "slug": "slug",
}
_ALL_FIELDS = list(_FIELD_COLUMNS)


@dataclass
class RowError:
    row: int  # as a spreadsheet numbers it: the header is row 1; 0 for the whole file
    column: str
    message: str

    def __str__(self):
        where = f"แถวที่ {self.row}" if self.row else ""
        if self.column:
            where += f" คอลัมน์ {self.column}"
        return f"{where.strip()}: {self.message}" if where else self.message


class AgencyImportError(Exception):
    """The file, or some of its rows, cannot be imported: nothing was written."""

    def __init__(self, errors: list[RowError]):
        super().__init__("\n".join(str(e) for e in errors[:MAX_AGENCY_ERRORS]))
        self.errors = errors


@dataclass
class AgencyChange:
    row: int
    agency: Agency
    columns: list[str] = field(default_factory=list)  # what changed; empty for a new agency

    def __str__(self):
        what = f"แถวที่ {self.row} {'ปรับปรุง' if self.columns else 'สร้าง'} "
        what += f"{self.agency.name} ({self.agency.slug})"
        return f"{what}: {', '.join(self.columns)}" if self.columns else what


@dataclass
class AgencyImport:
    created: list[AgencyChange] = field(default_factory=list)
    updated: list[AgencyChange] = field(default_factory=list)
    unchanged: int = 0
    ignored_columns: list[str] = field(default_factory=list)

    def __str__(self):
        return (
            f"สร้างใหม่ {len(self.created)} แห่ง ปรับปรุง {len(self.updated)} แห่ง "
            f"ไม่เปลี่ยน {self.unchanged} แห่ง"
        )


@transaction.atomic
def agency_import(*, content: bytes) -> AgencyImport:
    """Create or update the agencies of a CSV file: all of them, or none when a row is wrong.

    An agency is found by its code, else its slug, else its name in its province. An empty cell
    leaves an existing agency's value as it is, and an agency's slug never changes."""
    rows, ignored = agency_rows_read(content=content)
    importer = _Importer(rows)
    changes = [change for number, cells in rows if (change := importer.row(number, cells))]
    if importer.errors:
        raise AgencyImportError(importer.errors)
    result = AgencyImport(ignored_columns=ignored, unchanged=len(rows) - len(changes))
    for change in changes:
        (result.updated if change.columns else result.created).append(change)
    Agency.objects.bulk_create([c.agency for c in result.created], batch_size=500)
    # Every field of the updated rows: bulk_update writes one CASE per field, whatever changed.
    Agency.objects.bulk_update([c.agency for c in result.updated], _ALL_FIELDS, batch_size=500)
    return result


class _Importer:
    """The rows checked one by one against the places and the agencies already there."""

    def __init__(self, rows: list[tuple[int, dict]]):
        self.places = PlaceIndex()
        agencies = list(Agency.objects.all())
        self.by_code = {a.code: a for a in agencies if a.code}
        self.by_slug = {a.slug: a for a in agencies}
        self.by_name: dict[tuple, list[Agency]] = {}
        for agency in agencies:
            self.by_name.setdefault((agency.name, agency.province_id), []).append(agency)
        # Slugs the file gives are kept for their rows before any is made up for another.
        self.slugs = set(self.by_slug) | {cells["slug"] for _n, cells in rows if cells.get("slug")}
        self.seen: dict[tuple, int] = {}  # a key of a row (code, slug, name) -> its row number
        self.errors: list[RowError] = []

    def row(self, number: int, cells: dict) -> AgencyChange | None:
        errors = []

        def error(column: str, message: str) -> None:
            errors.append(RowError(number, column, message))

        values = self._values(cells, error)
        if values is not None:
            agency = self._match(number, cells, values, error)
        if errors:
            self.errors += errors
            return None
        if agency is None:
            slug = cells.get("slug") or self._new_slug(values)
            change = AgencyChange(number, Agency(slug=slug, **values))
        else:
            columns = self._update(agency, values)
            if not columns:
                return None
            change = AgencyChange(number, agency, columns)
        try:
            # The places came from the database: checking each again would cost three queries
            # a row. Unique values are checked above, against every agency at once.
            change.agency.full_clean(
                exclude=["province", "district", "subdistrict_area"],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as invalid:
            for name, messages in invalid.message_dict.items():
                for message in messages:
                    error(_FIELD_COLUMNS.get(name, ""), message)
            self.errors += errors
            return None
        return change

    def _values(self, cells: dict, error) -> dict | None:
        """What the row says of the agency, its places found; None when one is not found."""
        name = " ".join(cells.get("name", "").split())
        if not name:
            error("name", "ต้องมีชื่อหน่วยงาน")
        kind_text = cells.get("type", "")
        kind = _KIND_BY_NAME.get(_plain(kind_text))
        if kind is None:
            error(
                "type", f"ไม่รู้จักประเภทหน่วยงาน “{kind_text}” (เช่น เทศบาลตำบล อบต. ส่วนราชการระดับกรม)"
            )
        province_text = cells.get("province", "")
        province = self.places.province(province_text)
        if province is None:
            error("province", f"ไม่พบจังหวัด “{province_text}”" if province_text else "ต้องระบุจังหวัด")
            return None
        values = {"name": name, "kind": kind, "province": province}
        district_text, subdistrict_text = cells.get("district", ""), cells.get("subdistrict", "")
        district = None
        if district_text:
            district = self.places.district(province, district_text)
            if district is None:
                error("district", f"ไม่พบอำเภอ “{district_text}” ใน{_in_province(province)}")
                return None
            values["district"] = district
        if subdistrict_text:
            subdistrict = self.places.subdistrict(district, subdistrict_text)
            if subdistrict is None or subdistrict.district.province_id != province.pk:
                where = (
                    _in_district(district)
                    if district
                    else f"{_in_province(province)} (ระบุอำเภอด้วย)"
                )
                error("subdistrict", f"ไม่พบตำบล “{subdistrict_text}” ใน{where}")
                return None
            values["district"] = subdistrict.district
            values["subdistrict_area"], values["subdistrict"] = subdistrict, subdistrict.name
        website = cells.get("website", "")
        if website and not website.lower().startswith(("http://", "https://")):
            error("website", f"“{website}” ต้องขึ้นต้นด้วย http:// หรือ https://")
        elif website:
            values["website"] = website
        if cells.get("code"):
            values["code"] = cells["code"]
        return values

    def _match(self, number: int, cells: dict, values: dict, error) -> Agency | None:
        """The agency the row is about, if it exists; and no two rows about the same one."""
        code, slug, province = cells.get("code", ""), cells.get("slug", ""), values["province"]
        keys = [("code", code, f"รหัส “{code}”"), ("slug", slug, f"ที่อยู่ “{slug}”")]
        district = values.get("district")
        if not code and not slug:  # two อบต.บ้านใหม่ of one province are told by their districts
            name_key = (values["name"], province.pk, district.pk if district else None)
            keys.append(("name", name_key, f"“{values['name']}”"))
        for column, key, label in keys:
            if key and (column, key) in self.seen:
                error(column, f"{label} ซ้ำกับแถวที่ {self.seen[(column, key)]}")
            elif key:
                self.seen[(column, key)] = number
        agency = self.by_code.get(code) if code else None
        if agency is None and slug:
            agency = self.by_slug.get(slug)
        if agency is None:
            same = self.by_name.get((values["name"], province.pk), [])
            same = [a for a in same if not (code and a.code and a.code != code)]
            if district:
                same = [a for a in same if a.district_id in (None, district.pk)]
            if len(same) > 1:
                error("name", f"มีหน่วยงานชื่อนี้ใน{_in_province(province)}หลายแห่ง: ระบุ code หรือ slug")
            agency = same[0] if len(same) == 1 else None
        if agency is not None and slug and agency.slug != slug:
            error("slug", f"หน่วยงานนี้มีที่อยู่ “{agency.slug}” อยู่แล้ว: ที่อยู่ที่เผยแพร่แล้วเปลี่ยนไม่ได้")
        if agency is not None and ("agency", agency.pk) in self.seen:
            error("", f"เป็นหน่วยงานเดียวกับแถวที่ {self.seen[('agency', agency.pk)]}")
        elif agency is not None:
            self.seen[("agency", agency.pk)] = number
        return agency

    def _update(self, agency: Agency, values: dict) -> list[str]:
        """Set what differs on the agency; the columns that changed."""
        district_id = values["district"].pk if "district" in values else agency.district_id
        # A move to another province leaves the district behind, unless the row names it; and a
        # move to another district leaves the subdistrict behind.
        moved = district_id and "district" not in values
        if moved and self.places.districts_by_pk[district_id].province_id != values["province"].pk:
            values["district"], district_id = None, None
        sub_id = agency.subdistrict_area_id if "subdistrict_area" not in values else None
        if sub_id and self.places.subdistrict_district(sub_id) != district_id:
            values["subdistrict_area"], values["subdistrict"] = None, ""
        columns = []
        for name, value in values.items():
            attname = Agency._meta.get_field(name).attname
            new = value.pk if hasattr(value, "pk") else value
            if getattr(agency, attname) != new:
                setattr(agency, name, value)
                columns.append(_FIELD_COLUMNS[name])
        return list(dict.fromkeys(columns))

    def _new_slug(self, values: dict) -> str:
        """From the English name of the place the agency is named after, else romanised."""
        name, province = values["name"], values["province"]
        district, subdistrict = values.get("district"), values.get("subdistrict_area")
        rest = next((name[len(p) :] for p in _NAME_PREFIXES if name.startswith(p)), name)
        key = place_key(rest)
        english = ""
        if subdistrict and key == place_key(subdistrict.name):
            english = subdistrict.name_en
        elif district and key == place_key(district.name):
            english = district.name_en
        elif district and (named := self.places.subdistrict(district, rest)):
            english = named.name_en
        elif key == place_key(province.name):
            english = province.name_en
        base = (slugify(english) or slug_from_thai(rest) or "agency")[:80]
        kind = _KIND_SLUGS.get(values["kind"], values["kind"].replace("_", "-"))
        candidates = [base, f"{base}-{kind}", f"{base}-{province.slug}"]
        return free_slug(candidates, self.slugs, fallback=f"{base}-{kind}-{province.slug}")


def _in_province(province) -> str:
    return province.name if province.code == BANGKOK else f"จังหวัด{province.name}"


def _in_district(district) -> str:
    return district.name if district.name.startswith("เขต") else f"อำเภอ{district.name}"


def agency_rows_read(*, content: bytes) -> tuple[list[tuple[int, dict]], list[str]]:
    """The rows, numbered as a spreadsheet numbers them, and the columns not used;
    ``AgencyImportError`` for a file that is no table of agencies."""
    reader = csv.reader(io.StringIO(_decode(content), newline=""), strict=True)
    header, rows, ignored = None, [], []
    try:
        for number, cells in enumerate(reader, start=1):
            if not any(cell.strip() for cell in cells):
                continue
            if header is None:
                header, ignored = _header(cells)
                continue
            if len(rows) >= MAX_AGENCY_ROWS:
                message = f"ไฟล์มีเกิน {MAX_AGENCY_ROWS:,} แถว: แบ่งเป็นหลายไฟล์แล้วนำเข้าทีละไฟล์"
                raise AgencyImportError([RowError(0, "", message)])
            rows.append((number, {n: cells[i].strip() for i, n in header if i < len(cells)}))
    except csv.Error as error:
        message = f'อ่านไม่ได้ ({error}): ตรวจเครื่องหมายคำพูด (") ในแถวนี้'
        raise AgencyImportError([RowError(reader.line_num, "", message)]) from error
    if header is None:
        raise AgencyImportError([RowError(0, "", "ไฟล์ว่าง: ไม่มีหัวตารางและไม่มีหน่วยงาน")])
    return rows, ignored


def _decode(content: bytes) -> str:
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode text"
        try:
            return content.decode("utf-16")
        except UnicodeDecodeError:
            pass
    elif b"\x00" not in content:
        # UTF-8 (with or without Excel's BOM), else the Thai Windows encoding of older Excel.
        for encoding in ("utf-8-sig", "cp874"):
            try:
                return content.decode(encoding)
            except UnicodeDecodeError:
                continue
    message = "ไม่ใช่ไฟล์ CSV ที่อ่านได้: บันทึกจาก Excel เป็น CSV UTF-8 แล้วลองอีกครั้ง"
    raise AgencyImportError([RowError(0, "", message)])


def _header(cells: list[str]) -> tuple[list[tuple[int, str]], list[str]]:
    names = {c.name: c.name for c in AGENCY_COLUMNS} | {c.thai: c.name for c in AGENCY_COLUMNS}
    header, ignored, errors = [], [], []
    for i, cell in enumerate(cells):
        label = cell.strip().lstrip("\ufeff").strip()
        name = names.get(label.lower())
        if name is None and label:
            ignored.append(label)
        elif name and any(name == n for _i, n in header):
            errors.append(RowError(1, label, f"มีคอลัมน์ {name} สองครั้ง"))
        elif name:
            header.append((i, name))
    found = {n for _i, n in header}
    missing = [c.name for c in AGENCY_COLUMNS if c.required and c.name not in found]
    if missing:
        required = ", ".join(c.name for c in AGENCY_COLUMNS if c.required)
        message = f"ไม่มีคอลัมน์ {', '.join(missing)} (หัวตารางต้องมี {required}: ดู README)"
        errors.append(RowError(1, "", message))
    if errors:
        raise AgencyImportError(errors)
    return header, ignored
