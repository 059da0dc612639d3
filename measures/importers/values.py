"""Values inside cells: issue groups, indicators, progress and the names of responsible units."""

import re
from decimal import Decimal, InvalidOperation

from pythainlp.util import thai_digit_to_arabic_digit

from .cells import _plain, _split_items

ISSUE_GROUP = re.compile(r"^ประเด็น(?:ที่)?\s*([0-9๐-๙]{1,2})\s*[.:)]?\s*(.*)$")
INDICATOR = re.compile(
    r"^(?P<word>ตัวชี้วัด(?:ที่)?\s*)?(?P<number>[0-9๐-๙]{1,2})?\s*[.):]?\s*(?P<name>.*)$", re.S
)
STATUS = re.compile(
    r"^(ยังไม่ได้ดำเนินการ|ยังไม่ดำเนินการ|อยู่ระหว่าง(?:การ)?ดำเนินการ|กำลังดำเนินการ"
    r"|ดำเนินการแล้วเสร็จ|ดำเนินการเสร็จ(?:สิ้น|แล้ว)?|ดำเนินการแล้ว|ดำเนินการ|เสร็จสิ้น|แล้วเสร็จ)"
)
MAIN_MARK = re.compile(r"(?:หน่วยงาน|ผู้)\s*รับผิดชอบ\s*หลัก\s*[:：]?")
SUPPORT_MARK = re.compile(r"(?:หน่วยงาน|ผู้)\s*(?:ให้การ)?\s*สนับสนุน\s*[:：]?")
# Words that begin the name of a position or unit: a cell of several such names separated by
# spaces names several responsible ("นิติกร หัวหน้าสำนักปลัด ปลัด").
POSITION_HEADS = (
    "ปลัด",
    "รองปลัด",
    "นายก",
    "รองนายก",
    "เลขานุการ",
    "หัวหน้า",
    "ผู้อำนวยการ",
    "ผอ.",
    "ผู้ช่วย",
    "นิติกร",
    "นัก",
    "เจ้าพนักงาน",
    "เจ้าหน้าที่",
    "พนักงาน",
    "ครู",
    "ทุก",
    "งาน",
    "ฝ่าย",
    "กอง",
    "สำนัก",
    "ศูนย์",
)
# Positions typed without a space between them ("หัวหน้าสำนักผู้อำนวยการกองทุกกอง") are cut
# before these words when what comes before is itself a whole position.
GLUED_HEADS = ("ผู้อำนวยการ", "หัวหน้า", "ทุกกอง", "ทุกส่วน", "ทุกฝ่าย", "ทุกงาน")
UNIT_HEADS = ("กอง", "สำนัก")
SUB_UNIT_HEADS = ("งาน", "ฝ่าย")


def _status(label: str) -> str:
    label = re.sub(r"\s+", "", label)
    if label.startswith("ยังไม่"):
        return "not_started"
    if label.startswith(("อยู่ระหว่าง", "กำลัง")):
        return "in_progress"
    if "ดำเนินการ" in label or "เสร็จ" in label:
        return "done"
    return ""


def _is_position(token: str, exact_ok: bool = True) -> bool:
    for head in POSITION_HEADS:
        if token.startswith(head) and (exact_ok or len(token) > len(head)):
            return True
    return False


def _unglue(token: str) -> list[str]:
    cuts = sorted(
        {
            match.start()
            for head in GLUED_HEADS
            for match in re.finditer(re.escape(head), token)
            if match.start() > 0
        }
    )
    parts, start = [], 0
    for cut in cuts:
        if _is_position(token[start:cut], exact_ok=False):
            parts.append(token[start:cut])
            start = cut
    parts.append(token[start:])
    return parts if all(_is_position(part) for part in parts) else [token]


def _position_names(text: str) -> list[str]:
    """One name, or several when the cell is clearly a list of positions or units."""
    tokens = [token for token in re.split(r"\s*[,/]\s*|\s+", text) if token]
    if not tokens:
        return []
    if len(tokens) == 1:
        return _unglue(tokens[0])
    if not all(_is_position(token) for token in tokens):
        return [text]
    names = []
    for token in tokens:
        # "งานธุรการ สำนักปลัด" is one unit: a section, then the division it belongs to.
        if names and token.startswith(UNIT_HEADS) and names[-1].startswith(SUB_UNIT_HEADS):
            names[-1] += " " + token
        else:
            names.extend(_unglue(token))
    return names


def _names(text: str) -> tuple[list[str], str]:
    """Names in a responsible cell (or part of one) and how they were listed."""
    split = _split_items(text)
    if split.kind in ("numbered", "bullets"):
        names = [_plain(split.preamble)] if split.preamble else []
        return names + [item["text"] for item in split.items], split.kind
    if split.kind == "paragraphs":
        return [item["text"] for item in split.items], "paragraphs"
    plain = _plain(text)
    return (_position_names(plain) if plain else []), "single"


NO_BUDGET = re.compile(r"ไม่\s*(?:ได้)?\s*ใช้\s*งบ(?:ประมาณ)?|ไม่มีงบ(?:ประมาณ)?")
AMOUNT = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?|\d+(?:\.\d{1,2})?")
MAX_BAHT = Decimal("999999999999.99")


def _amount(text: str) -> tuple[Decimal | None, bool]:
    """(baht, no budget) from a budget cell: "๒๕,๐๐๐ บาท", "25,000.50", "ไม่ใช้งบประมาณ"."""
    plain = thai_digit_to_arabic_digit(_plain(text))
    if NO_BUDGET.search(plain):
        return None, True
    match = AMOUNT.search(plain.replace(" ", ""))
    if match is None:
        return None, False
    try:
        value = Decimal(match[0].replace(",", ""))
    except InvalidOperation:
        return None, False
    return (value if value <= MAX_BAHT else None), False
