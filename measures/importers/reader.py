"""Rows of cells, from any source, into measures, progress rows and issue groups.

Every source (pasted text, Word, Excel, CSV) feeds its rows to one ``_TableReader``, which keeps
the current header and issue group between rows and builds drafts that become the result.
"""

import difflib
import re
from dataclasses import dataclass, field

from pythainlp.util import thai_digit_to_arabic_digit

from .. import thai
from ..periods import parse_period
from ..report_format import baht
from ..wrapspace import imported_join
from .base import (
    MAX_CELL_CHARS,
    MAX_ROWS,
    MAX_TEXT_CHARS,
    ImportResult,
    ReportImportError,
    _within_columns,
    too_many_rows,
    too_much_text,
)
from .cells import (
    BOLD_OFF,
    BOLD_ON,
    CHECKED,
    LEADING_NUMBER,
    UNCHECKED,
    _cell_text,
    _Items,
    _numbering,
    _plain,
    _split_items,
)
from .headers import _header_columns
from .values import (
    INDICATOR,
    ISSUE_GROUP,
    MAIN_MARK,
    STATUS,
    SUPPORT_MARK,
    _amount,
    _names,
    _status,
)
from .years import periods_to_year

PROGRESS_KEYS = ("not_started", "in_progress", "done")  # measures.models.Progress, as stored


@dataclass
class _ListDraft:
    items: list[dict] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)

    def add(self, split: _Items, new_row: bool = False) -> None:
        items = list(split.items)
        if split.preamble:
            items.insert(0, {"label": "", "text": split.preamble})
        if not items:
            return
        if new_row and self.items:
            items[0] = {**items[0], "new_row": True}
        self.items.extend(items)
        self.kinds.append(split.kind)

    @property
    def numbering(self) -> str:
        return _numbering(self.kinds, len(self.items))


@dataclass
class _MeasureDraft:
    title: str
    indicator: dict | None = None
    issue_group: int | None = None
    period: dict | None = None
    main: list[str] = field(default_factory=list)
    supporting: list[str] = field(default_factory=list)
    responsible_numbering: str = "plain"
    progress: str = ""
    lists: dict = field(
        default_factory=lambda: {
            key: _ListDraft() for key in ("sub_items", "steps", "outputs", "outcomes")
        }
    )
    # The plan's columns, when the table has them (objective, target, budget).
    plan: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "title": self.title,
            "indicator": self.indicator,
            "issue_group": self.issue_group,
            **{key: draft.items for key, draft in self.lists.items()},
            "numbering": {
                **{key: draft.numbering for key, draft in self.lists.items()},
                "responsible": self.responsible_numbering,
            },
            "period": self.period,
            "responsible": {"main": self.main, "supporting": self.supporting},
            "progress": self.progress,
            "evidence": [],
            **self.plan,
        }


@dataclass
class _ProgressDraft:
    indicator: dict | None
    responsible: str = ""
    period: dict | None = None
    progress: str = ""
    guidelines: _ListDraft = field(default_factory=_ListDraft)
    notes: _ListDraft = field(default_factory=_ListDraft)

    def as_dict(self) -> dict:
        return {
            "indicator": self.indicator,
            "guidelines": self.guidelines.items,
            "responsible": self.responsible,
            "period": self.period,
            "progress": self.progress,
            "notes": self.notes.items,
            "numbering": {"guidelines": self.guidelines.numbering, "notes": self.notes.numbering},
        }


class _TableReader:
    """Turns rows of cells, from any source, into measures, progress rows and issue groups."""

    def __init__(self, fiscal_year: int, indicators: dict[int, str] | None):
        self.fiscal_year = fiscal_year
        self.indicators = indicators or {}
        self.columns: dict[str, int] | None = None
        self.seen_header = False
        self.group: int | None = None
        self.groups: dict[int, str] = {}
        self.measures: list[_MeasureDraft] = []
        self.progress_rows: list[_ProgressDraft] = []
        self.problems: list[str] = []
        # Rows that hold text, and characters read: an import over either cap is refused.
        self.rows = 0
        self.characters = 0

    # The reader's state between rows: the current header and issue group.

    def new_table(self) -> None:
        self.columns = None

    def feed(self, cells: list[str], where: str) -> None:
        cells = _within_columns(cells)
        filled = [cell for cell in cells if cell and cell.strip()]
        if not filled:
            return
        self.rows += 1
        self.characters += sum(map(len, filled))
        if self.rows > MAX_ROWS:
            raise too_many_rows()
        if self.characters > MAX_TEXT_CHARS:
            raise too_much_text()
        if len(filled) == 1 and self._issue_group(filled[0]):
            return
        if len(cells) < 2:
            return  # a line of text outside any table: a title, an introduction
        too_long = [cell for cell in cells if len(cell) > MAX_CELL_CHARS]
        if too_long:
            self.problems.append(
                f"{where}: มีช่องที่ยาวเกิน {thai.to_digits(f'{MAX_CELL_CHARS:,}')} ตัวอักษร "
                "จึงไม่ได้นำเข้าแถวนี้"
            )
            return
        columns = _header_columns(cells)
        if columns is not None:
            # A new table, or its header repeated on the next page: rows carry all they need.
            self.columns, self.seen_header = columns, True
            return
        if self.columns is None:
            return  # rows before the first header: the document's own title block
        values = {
            column: _cell_text(cells[index]) if index < len(cells) else ""
            for column, index in self.columns.items()
        }
        if "guidelines" in self.columns or (
            "progress" in self.columns and "title" not in self.columns
        ):
            self._progress_row(values, where)
        else:
            self._measure_row(values, where)

    def result(self) -> ImportResult:
        if not self.seen_header:
            raise ReportImportError(
                "ไม่พบหัวตาราง: แถวแรกของตารางต้องมีชื่อคอลัมน์ เช่น "
                "“มาตรการ”, “ขั้นตอนหรือวิธีการปฏิบัติ”, “ระยะเวลาดำเนินการ”, "
                "“ผู้รับผิดชอบ”, “สรุปผล” และ “ผลลัพธ์”"
            )
        problems = list(self.problems)
        if not self.measures and not self.progress_rows:
            problems.append("ไม่พบมาตรการในตาราง")
        measures = [draft.as_dict() for draft in self.measures]
        progress_rows = [draft.as_dict() for draft in self.progress_rows]
        moves, far = periods_to_year(measures, progress_rows, self.fiscal_year)
        read = {
            "measures": measures,
            "issue_groups": [
                {"number": number, "title": title} for number, title in self.groups.items()
            ],
            "indicator_progress": progress_rows,
        }
        joined, count, examples = imported_join(read)
        for row in joined["measures"] + joined["indicator_progress"]:
            indicator = row.get("indicator")
            # Joined, the agency's wording may now be the framework's name: then it is no label.
            if indicator and indicator.get("label") == self.indicators.get(indicator.get("number")):
                indicator["label"] = ""
        return ImportResult(
            measures=joined["measures"],
            indicator_progress=joined["indicator_progress"],
            moves=moves,
            issue_groups=joined["issue_groups"],
            problems=problems + far,
            wrap_spaces=count,
            wrap_examples=examples,
            unjoined=read if count else None,
        )

    # Parts of rows.

    def _issue_group(self, cell: str) -> bool:
        match = ISSUE_GROUP.match(_plain(_cell_text(cell)))
        if not match:
            return False
        number = int(thai_digit_to_arabic_digit(match[1]))
        if number < 1:
            return False
        self.group = number
        self.groups[number] = match[2].strip()
        return True

    def _period(self, text: str, where: str) -> dict | None:
        plain = _plain(text)
        if not plain:
            return None
        period = parse_period(plain, self.fiscal_year)
        if period is None:
            self.problems.append(f"{where}: อ่านระยะเวลา “{plain}” ไม่ได้")
            return None
        style, start, end = period
        return {"style": style, "start": start.isoformat(), "end": end.isoformat()}

    def _indicator(self, text: str, where: str) -> dict | None:
        plain = _plain(text)
        if not plain:
            return None
        match = INDICATOR.match(plain)
        name = match["name"].strip(" .:-")
        number = int(thai_digit_to_arabic_digit(match["number"])) if match["number"] else None
        # "ตัวชี้วัดที่ ๓", or a bare number (the open data's indicator column), names it.
        explicit = number if match["word"] or not name else None
        if not self.indicators:
            if number is None:
                self.problems.append(f"{where}: อ่านตัวชี้วัด “{plain}” ไม่ได้")
                return None
            return {"number": number, "label": name}
        found = self._indicator_number(name, explicit)
        if found is None:
            self.problems.append(
                f"{where}: ตัวชี้วัด “{plain}” ไม่ตรงกับตัวชี้วัดของปีงบประมาณ {thai.number(self.fiscal_year)}"
            )
            return None
        return {"number": found, "label": "" if name in ("", self.indicators[found]) else name}

    def _indicator_number(self, name: str, explicit: int | None) -> int | None:
        key = re.sub(r"\s+", "", name)
        by_key = {re.sub(r"\s+", "", official): n for n, official in self.indicators.items()}
        if key in by_key:
            return by_key[key]
        if explicit in self.indicators:
            return explicit
        if not key or len(key) > 300:
            return None  # no indicator is named at such length: not worth a slow comparison
        # The agency's own wording ("การใช้ทรัพย์สิน ของทางราชการ"): the closest name.
        scores = {
            n: difflib.SequenceMatcher(None, key, official).ratio()
            for official, n in by_key.items()
        }
        best = max(scores, key=scores.get)
        return best if scores[best] >= 0.75 else None

    def _responsible(self, text: str) -> tuple[list[str], list[str], str]:
        plain = text.replace(BOLD_ON, "").replace(BOLD_OFF, "")
        main_mark, support_mark = MAIN_MARK.search(plain), SUPPORT_MARK.search(plain)
        if main_mark or support_mark:
            main_end = support_mark.start() if support_mark else len(plain)
            main_text = plain[main_mark.end() : main_end] if main_mark else ""
            if not main_mark:
                main_text = plain[: support_mark.start()]
            support_text = plain[support_mark.end() :] if support_mark else ""
            main, _ = _names(main_text)
            supporting, _ = _names(support_text)
            return main, supporting, "plain"
        main, kind = _names(text)
        return main, [], _numbering([kind], len(main)) if kind == "numbered" else "plain"

    def _progress_cell(self, text: str, where: str) -> tuple[str, _Items]:
        """The ticked box of a progress cell, and the notes ("- …") after the boxes."""
        text = text.replace(BOLD_ON, "").replace(BOLD_OFF, "")
        if text.strip() in PROGRESS_KEYS:  # the open data's progress column
            return text.strip(), _Items()
        marks = [
            (match.start(), match[0] in CHECKED)
            for match in re.finditer(f"[{CHECKED}{UNCHECKED}]", text)
        ]
        if not marks:
            status = STATUS.match(text.strip())
            if status:
                return _status(status[0]), _split_items(text.strip()[status.end() :].strip())
            return "", _split_items(text)
        checked = []
        for index, (position, ticked) in enumerate(marks):
            end = marks[index + 1][0] if index + 1 < len(marks) else len(text)
            label = text[position + 1 : end].strip()
            if index + 1 == len(marks):
                status = STATUS.match(label)
                cut = status.end() if status else len(re.split(r"\s[-–•]\s|\n", label)[0])
                notes = label[cut:].strip()
                label = label[:cut]
            if ticked:
                checked.append(_status(label))
        if len(checked) > 1:
            self.problems.append(f"{where}: เลือกความก้าวหน้าไว้มากกว่าหนึ่งช่อง ใช้ช่องสุดท้าย")
        return (checked[-1] if checked else ""), _split_items(notes)

    def _measure_row(self, values: dict, where: str) -> None:
        raw_title = values.get("title", "")
        title_split = _split_items(LEADING_NUMBER.sub("", raw_title, count=1))
        if title_split.kind == "numbered":
            # The first paragraph names the measure; the numbered ones after it are sub-items.
            title, sub_items = title_split.preamble, _Items("", title_split.items, "numbered")
        else:
            title, sub_items = _plain(raw_title.replace("\n", " ")), _Items()
        # What the ลำดับ left in the cell: ". การสร้างความโปร่งใส…" (seed 004).
        title = re.sub(r"^[\s.)\-–:]+", "", title).strip()
        continued = not title or re.search(r"\(\s*ต่อ\s*\)$", title)
        content = any(values.get(key) for key in values if key not in ("number", "title"))
        if continued and not self.measures:
            if content or sub_items.items:
                self.problems.append(f"{where}: แถวนี้ไม่มีชื่อมาตรการ และไม่มีมาตรการก่อนหน้า")
            return
        if continued and not content and not sub_items.items:
            return  # only a ลำดับ number
        if continued:
            draft = self.measures[-1]
        else:
            draft = _MeasureDraft(title=title)
            self.measures.append(draft)
        new_row = bool(continued)

        indicator_text = values.get("indicator", "")
        if indicator_text and not continued:
            draft.indicator = self._indicator(indicator_text, where)
        elif "indicator" in values and not continued and len(self.measures) > 1:
            # A merged indicator cell: the measure is under the indicator of the one above.
            draft.indicator = self.measures[-2].indicator
        if draft.indicator is None and self.group is not None:
            draft.issue_group = self.group

        draft.lists["sub_items"].add(sub_items, new_row)
        for key in ("steps", "outputs", "outcomes"):
            if values.get(key):
                draft.lists[key].add(_split_items(values[key]), new_row)
        if values.get("period") and (not continued or draft.period is None):
            draft.period = self._period(values["period"], where)
        if values.get("responsible") and (not continued or not (draft.main or draft.supporting)):
            draft.main, draft.supporting, draft.responsible_numbering = self._responsible(
                values["responsible"]
            )
        if values.get("supporting") and not continued:  # the open data's own column
            draft.supporting, _ = _names(values["supporting"])
        if values.get("issue_group") and not continued:
            self._open_data_group(draft, values)
        if values.get("progress"):
            progress, notes = self._progress_cell(values["progress"], where)
            draft.progress = progress or draft.progress
            draft.lists["outputs"].add(notes, new_row)
        self._plan(draft, values, where)

    def _open_data_group(self, draft: _MeasureDraft, values: dict) -> None:
        """The open data's issue_group (a number) and issue_group_title columns."""
        number = thai_digit_to_arabic_digit(_plain(values["issue_group"]))
        if number.isdecimal() and 0 < int(number) < 100:
            draft.issue_group = int(number)
            title = _plain(values.get("issue_group_title", ""))
            self.groups.setdefault(draft.issue_group, title)

    def _plan(self, draft: _MeasureDraft, values: dict, where: str) -> None:
        for key in ("objective", "target"):
            if values.get(key):
                text = _plain(_cell_text(values[key]))
                draft.plan[key] = f"{draft.plan[key]}\n{text}" if draft.plan.get(key) else text
        amounts = (("budget", "budget_planned"), ("budget_spent", "budget_spent"))
        # The open data's budget_none column holds "ไม่ใช้งบประมาณ" or nothing.
        for column, name in (*amounts, ("budget_none", "budget_planned")):
            if not values.get(column) or not _plain(values[column]).strip(" -–"):
                continue
            amount, no_budget = _amount(values[column])
            if no_budget:
                draft.plan.update(budget_none=True, budget_planned=None, budget_spent=None)
            elif amount is not None and not draft.plan.get("budget_none"):
                draft.plan[name] = baht(amount)
            elif amount is None:
                self.problems.append(f"{where}: อ่านงบประมาณ “{_plain(values[column])}” ไม่ได้")

    def _progress_row(self, values: dict, where: str) -> None:
        indicator_text = values.get("indicator", "")
        if not _plain(indicator_text) and self.progress_rows:
            draft = self.progress_rows[-1]
        elif not _plain(indicator_text):
            self.problems.append(f"{where}: แถวนี้ไม่มีตัวชี้วัด")
            return
        else:
            draft = _ProgressDraft(indicator=self._indicator(indicator_text, where))
            self.progress_rows.append(draft)
        if values.get("guidelines"):
            draft.guidelines.add(_split_items(values["guidelines"]))
        if values.get("responsible") and not draft.responsible:
            draft.responsible = _plain(values["responsible"])
        if values.get("period") and draft.period is None:
            draft.period = self._period(values["period"], where)
        if values.get("progress"):
            progress, notes = self._progress_cell(values["progress"], where)
            draft.progress = progress or draft.progress
            draft.notes.add(notes)
