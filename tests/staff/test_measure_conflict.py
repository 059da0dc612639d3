"""Two editors on one measure: after a refused save, their changes are merged field by field."""

from html.parser import HTMLParser

import pytest
from django.test import Client

from accounts.models import Membership
from measures.models import Measure, MeasureItem
from tests.factories import MeasureFactory, MeasureItemFactory, ReportFactory, UserFactory

pytestmark = pytest.mark.django_db

OLD_OBJECTIVE, OLD_TARGET = "วัตถุประสงค์เดิม", "เป้าหมายเดิม"


class _FormFields(HTMLParser):
    """What a browser sends for the measure form of a page, as the page draws it."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self.radios: dict[str, list[str]] = {}
        self._inside = False
        self._textarea = self._select = None
        self._text = ""

    def _add(self, name, value):
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._inside = attrs.get("id") == "measure-form"
        if not self._inside:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind == "radio":
                self.radios.setdefault(name, []).append(attrs.get("value"))
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self._add(name, attrs.get("value", "on"))
            elif kind != "submit":
                self._add(name, attrs.get("value") or "")
        elif tag == "textarea" and name:
            self._textarea, self._text = name, ""
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self._select:
            value = attrs.get("value", "")
            if "selected" in attrs:
                self._add(self._select, value)

    def handle_data(self, data):
        if self._textarea:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._inside = False
        elif tag == "textarea" and self._textarea:
            self._add(self._textarea, self._text.removeprefix("\n"))
            self._textarea = None
        elif tag == "select":
            self._select = None


def form_of(response) -> tuple[dict, dict]:
    parser = _FormFields()
    parser.feed(response.content.decode())
    return parser.data, parser.radios


@pytest.fixture
def setup():
    report = ReportFactory()
    measure = MeasureFactory(report=report, objective=OLD_OBJECTIVE, target=OLD_TARGET)
    MeasureItemFactory(measure=measure, position=1, text="ขั้นตอนเดิม")
    editors = []
    for name in ("editor-a", "editor-b"):
        user = UserFactory(username=name)
        Membership.objects.create(user=user, agency=report.agency, role=Membership.Role.EDITOR)
        client = Client()
        client.force_login(user)
        editors.append(client)
    url = f"/staff/reports/{report.pk}/measures/{measure.pk}/"
    return measure, url, editors


def test_each_editor_keeps_the_field_they_changed(setup):
    measure, url, (a, b) = setup
    a_typed, _ = form_of(a.get(url))
    b_typed, _ = form_of(b.get(url))  # both open the measure as it is

    a_typed["objective"] = ["วัตถุประสงค์ที่ ก แก้"]
    assert a.post(url, a_typed).status_code == 302
    b_typed["target"] = ["เป้าหมายที่ ข แก้"]
    refused = b.post(url, b_typed)

    assert refused.status_code == 409
    resolved, radios = form_of(refused)
    assert b.post(url, resolved).status_code == 302  # B saves the form the conflict shows
    measure.refresh_from_db()
    assert measure.objective == "วัตถุประสงค์ที่ ก แก้"  # A's change survives B's save
    assert measure.target == "เป้าหมายที่ ข แก้"
    assert [i.text for i in measure.items.filter(kind=MeasureItem.Kind.STEP)] == ["ขั้นตอนเดิม"]

    # The conflict said which parts differ and what happens to each: theirs kept, mine saved;
    # nothing for B to choose, since neither changed what the other changed.
    page = refused.content.decode()
    table = page[
        page.index('id="differences"') : page.index("</fieldset>", page.index('id="differences"'))
    ]
    assert "วัตถุประสงค์เดิม" in table and "วัตถุประสงค์ที่ ก แก้" in table
    assert "เป้าหมายเดิม" in table and "เป้าหมายที่ ข แก้" in table
    assert radios == {}
    assert resolved["objective"] == ["วัตถุประสงค์ที่ ก แก้"]  # A's change, in B's form


@pytest.mark.parametrize(("choice", "kept"), [("theirs", "ของ ก"), ("mine", "ของ ข")])
def test_a_field_both_changed_shows_both_and_the_second_chooses(setup, choice, kept):
    measure, url, (a, b) = setup
    a_typed, _ = form_of(a.get(url))
    b_typed, _ = form_of(b.get(url))
    a_typed["objective"] = ["วัตถุประสงค์ของ ก"]
    a_typed["title"] = ["ชื่อมาตรการของ ก"]
    assert a.post(url, a_typed).status_code == 302
    b_typed["objective"] = ["วัตถุประสงค์ของ ข"]
    b_typed["target"] = ["เป้าหมายของ ข"]

    refused = b.post(url, b_typed)
    assert refused.status_code == 409
    page = refused.content.decode()
    table = page[page.index('id="differences"') :]
    assert "วัตถุประสงค์ของ ก" in table and "วัตถุประสงค์ของ ข" in table
    resolved, radios = form_of(refused)
    assert list(radios) == ["resolve_objective"]  # the one field both changed
    assert sorted(radios["resolve_objective"]) == ["mine", "theirs"]

    # Not choosing is not saving: the form asks, keeping what was typed.
    unchosen = b.post(url, resolved)
    assert unchosen.status_code == 200
    assert "resolve_objective" in unchosen.context["form"].errors
    assert Measure.objects.get(pk=measure.pk).target == OLD_TARGET

    again, _ = form_of(unchosen)
    again["resolve_objective"] = [choice]
    assert b.post(url, again).status_code == 302
    measure.refresh_from_db()
    assert measure.objective == f"วัตถุประสงค์{kept}"
    assert measure.title == "ชื่อมาตรการของ ก"  # only A changed it
    assert measure.target == "เป้าหมายของ ข"  # only B changed it


def test_a_page_without_its_base_asks_about_every_difference(setup):
    """An old page (or one whose hidden base was tampered with) cannot tell who changed what:
    nothing of the other editor's is overwritten unasked."""
    measure, url, (a, b) = setup
    a_typed, _ = form_of(a.get(url))
    b_typed, _ = form_of(b.get(url))
    a_typed["objective"] = ["วัตถุประสงค์ของ ก"]
    assert a.post(url, a_typed).status_code == 302
    b_typed["target"] = ["เป้าหมายของ ข"]
    b_typed["base"] = ["ปลอม"]

    refused = b.post(url, b_typed)

    assert refused.status_code == 409
    _, radios = form_of(refused)
    assert sorted(radios) == ["resolve_objective", "resolve_target"]
