"""Spaces a PDF extraction left where lines wrapped are joined; the writer's own spaces stay."""

import json

import pytest

from measures import wrapspace
from measures.demo import DEMO_DIR
from measures.wrapspace import count_wrap_spaces, join_wrap_spaces, wrap_space_changes


@pytest.mark.parametrize(
    ("extracted", "typed"),
    [
        ("การแก้ไข ปัญหาการ ทุจริต", "การแก้ไขปัญหาการทุจริต"),
        ("ปลุก จิตสำนึก", "ปลุกจิตสำนึก"),
        ("ปราบปรามการ ทุจริต ปลุก จิตสำนึกและ ส่งเสริม", "ปราบปรามการทุจริต ปลุกจิตสำนึกและ ส่งเสริม"),
        ("บุคลากรใน สังกัดทุกคน", "บุคลากรในสังกัดทุกคน"),
        ("มีผล บังคับใช้ตั้งแต่วันที่", "มีผลบังคับใช้ตั้งแต่วันที่"),
    ],
)
def test_wrap_spaces_from_the_seeds_are_joined(extracted, typed):
    assert join_wrap_spaces(extracted) == typed


# Spaces the writers of the seeds put between phrases, list items, numbers, abbreviations, Latin.
REAL_SPACES = [
    "ประกาศนโยบายให้ ผู้บริหาร พนักงาน เจ้าหน้าที่ และบุคลากร",
    "ประจำปีงบประมาณ พ.ศ. ๒๕๖๘",
    "ช่องทางต่าง ๆ อย่าง ต่อเนื่อง",
    "เผยแพร่ทางเว็บไซต์ ของ ทต.หนองหล่ม",
    "ไม่รับ ของขวัญ (No Gift Policy) โดย ดำเนินการแจ้ง",
    "เว็บไซต์หลักของหน่วยงาน ติดต่อสายตรงผู้บริหาร",
    "ความโปร่งใสภายในหน่วยงาน ประจำปีงบประมาณ",
    "การป้องกัน ปราบปรามการทุจริต ปลุกจิตสำนึก",
    "เมื่อวันที่ ๑๑ ธันวาคม ๒๕๖๗",
    "ผู้บริหาร และบุคลากรในหน่วยงาน",
]


@pytest.mark.parametrize("text", REAL_SPACES)
def test_real_spaces_stay(text):
    assert join_wrap_spaces(text) == text
    assert count_wrap_spaces(text) == 0


def test_joining_twice_changes_nothing_more():
    text = "การแก้ไข ปัญหาการ ทุจริต ปลุก จิตสำนึกและ ส่งเสริมคุณธรรม ให้บริการแก่ผู้ มาติดต่อ ขั้นตอนระยะ เวลา"
    once = join_wrap_spaces(text)
    assert once != text
    assert join_wrap_spaces(once) == once


def test_changes_show_each_join_with_its_words():
    assert wrap_space_changes("เพื่อ ปลุก จิตสำนึก") == [("ปลุก จิตสำนึก", "ปลุกจิตสำนึก")]
    assert count_wrap_spaces("การแก้ไข ปัญหาการ ทุจริต") == 2


def test_long_text_is_read_in_short_windows(monkeypatch):
    """The dictionary only ever reads a few words around a space, however long the text."""
    read = []
    original = wrapspace.word_tokenize

    def counting(text, **kwargs):
        read.append(len(text))
        return original(text, **kwargs)

    monkeypatch.setattr(wrapspace, "word_tokenize", counting)
    wrapspace._tokens.cache_clear()
    unspaced = "การแก้ไขปัญหาการทุจริต" * 5_000
    spaced = "ปลุก จิตสำนึก ผู้บริหาร พนักงาน " * 2_000
    assert join_wrap_spaces(unspaced) == unspaced
    join_wrap_spaces(spaced)
    assert read and max(read) <= 2 * wrapspace._WINDOW
    assert len(read) <= 3 * spaced.count(" ")


def _strings(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, str):
        yield value


def test_demo_data_has_no_wrap_space_left():
    left = {
        path.name: [
            change
            for text in _strings(json.loads(path.read_text(encoding="utf-8")))
            for change in wrap_space_changes(text)
        ]
        for path in sorted(DEMO_DIR.glob("*/*.json"))
    }
    assert {name: changes for name, changes in left.items() if changes} == {}
