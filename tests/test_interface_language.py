"""One language at a time (issue 15, items 2 and 3): every page each role reaches, crawled.

In Thai the interface writes Thai digits and Buddhist-Era years, and no English sentence of ours
(an untranslated message) shows; in English it writes Arabic digits and English month names. A
document shown inside a page keeps its own digits; what people typed is shown as they typed it
(tests/interface_crawl.py leaves both out).
"""

import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client

from measures.management.commands import check_catalog
from measures.models import Report
from measures.services import measure_move
from tests.factories import demo_for_module
from tests.interface_crawl import around, crawl, visible_text
from tests.measures.importer_seeds import seed_lines

pytestmark = pytest.mark.django_db

ROLES = ["", "admin", "nong-lom-editor", "nong-lom-approver", "nong-lom-reviewer"]
# Examples that show both kinds of digits on purpose ("๙๒.๑๐ or 92.10"), and names.
ALLOWED = re.compile(
    r"https?://\S+|/[\w./?=&-]*\d[\w./?=&-]*|SHA-256|[A-Za-z]+\d+[A-Za-z]*"
    r"|\(123\)|\(๑๒๓\)|25,000\.50|๒๕,๐๐๐|92\.10|๙๒\.๑๐|1 กับ 92\.10|๓๑ มีนาคม ๒๕๖๘|“ตัวชี้วัดที่ 1 "
)
GREGORIAN = re.compile(r"(?<![\d๐-๙])20[0-9]{2}(?![\d๐-๙])")
ARABIC = re.compile(r"[0-9]+")
THAI_DIGITS = re.compile(r"[๐-๙]+")
THAI_MONTHS = re.compile(
    r"มกราคม|กุมภาพันธ์|มีนาคม|เมษายน|พฤษภาคม|มิถุนายน|กรกฎาคม|สิงหาคม|กันยายน|ตุลาคม|พฤศจิกายน|ธันวาคม"
)


def _one_change_in_a_history():
    editor = get_user_model().objects.get(username="nong-lom-editor")
    draft = Report.objects.filter(agency__slug="nong-lom", state="draft").first()
    measure_move(measure=draft.measures.first(), offset=1, user=editor)


@pytest.fixture(scope="module", autouse=True)
def demo(django_db_setup, django_db_blocker, demo_media):
    """The whole demo, once for the module, rolled back after it; one change in a history."""
    with demo_for_module(django_db_blocker, demo_media, then=_one_change_in_a_history):
        yield


@pytest.fixture(autouse=True)
def no_pdf(settings):
    settings.TASKS_INLINE = False


def pages_as(username: str, language: str) -> dict[str, str]:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    if username:
        client.force_login(get_user_model().objects.get(username=username))
    return crawl(client)


def offenders(pages: dict[str, str], pattern: re.Pattern) -> dict[str, list[str]]:
    found = {}
    for url, text in pages.items():
        text = ALLOWED.sub(" ", text)
        hits = [around(text, m, 30) for m in pattern.finditer(text)]
        if hits:
            found[url] = hits[:5]
    return found


@pytest.mark.parametrize("username", ROLES)
def test_thai_pages_write_thai_digits_and_buddhist_years(username):
    pages = pages_as(username, "th")
    assert len(pages) > 8
    assert offenders(pages, GREGORIAN) == {}
    assert offenders(pages, ARABIC) == {}


@pytest.mark.parametrize("username", ["", "admin", "nong-lom-editor"])
def test_english_pages_write_arabic_digits_and_english_months(username):
    pages = pages_as(username, "en")
    assert len(pages) > 8
    assert offenders(pages, THAI_DIGITS) == {}
    assert offenders(pages, THAI_MONTHS) == {}


@pytest.fixture(scope="module")
def english_messages() -> list[str]:
    """The English of every message of the code and templates (extracted again, as
    ``check_catalog`` does), cut at its placeholders: runs of two words or more."""
    catalogue = check_catalog.catalogue_extracted(
        settings.LOCALE_PATHS[0] / "th" / "LC_MESSAGES" / "django.po"
    )
    runs = set()
    for entry in catalogue:
        thai = " ".join([entry.msgstr, *entry.msgstr_plural.values()])
        for part in re.split(r"%\(\w+\)[sd]|%[sd]|\{\w*\}|[:;.!?()“”\"·–]", entry.msgid):
            words = part.split()
            run = " ".join(words).strip(",")
            # A name the Thai keeps as it is ("ITA Portal") is no untranslated English.
            english = all(re.fullmatch(r"[A-Za-z'’,-]+", w) for w in words)
            if len(words) >= 2 and english and run not in thai:
                runs.add(run)
    return sorted(runs)


@pytest.mark.parametrize("username", ROLES)
def test_thai_pages_show_no_english_sentence_of_ours(username, english_messages):
    pages = pages_as(username, "th")
    runs = english_messages
    assert len(runs) > 300
    found = {url: [run for run in runs if run in text] for url, text in pages.items()}
    assert {url: hits for url, hits in found.items() if hits} == {}


def _draft() -> Report:
    return Report.objects.filter(agency__slug="nong-lom", state="draft").first()


def _thai_page(url: str, data: dict | None = None) -> str:
    client = Client()
    client.force_login(get_user_model().objects.get(username="nong-lom-editor"))
    response = client.post(url, data) if data is not None else client.get(url)
    assert response.status_code == 200
    return visible_text(response.content)


def test_the_history_writes_when_in_thai():
    text = _thai_page(f"/staff/reports/{_draft().pk}/history/")
    # "1 ธ.ค. 2026 01:35" was the Gregorian year in Arabic digits.
    assert re.search(r"[๐-๙]{1,2} [ก-ฮ.]+ ๒๕[๐-๙]{2} [๐-๙]{2}:[๐-๙]{2}", text), text
    assert offenders({"history": text}, ARABIC) == {}


def test_the_import_preview_writes_thai_dates():
    pasted = "\n".join(seed_lines("nong-lom-2568"))
    text = _thai_page(f"/staff/reports/{_draft().pk}/import/", {"text": pasted})
    # "2025-10-01 – 2026-09-30" was the period of each measure, as the data format writes it.
    assert re.search(r"๑ ต\.ค\. ๒๕[๖๗][๐-๙] – ๓๐ ก\.ย\. ๒๕[๖๗][๐-๙]", text), text
    assert offenders({"preview": text}, GREGORIAN) == {}
    assert offenders({"preview": text}, ARABIC) == {}
