"""The people of bench/load.py: readers, editors and a reviewer, as HTTP clients.

Each keeps its own cookies, opens a new connection per request (gunicorn's sync workers close
them anyway), submits forms as a browser would (CSRF token, checked boxes, chosen options) and
records each request's time under a kind; any status other than the expected one is an error.
"""

import http.client
import random
import re
import threading
import time
from collections import defaultdict
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

# What a reader asks for, by weight: pages, JSON/CSV/XLSX, stored PDFs, search, the API.
READER_MIX = {"page": 45, "data": 15, "pdf": 10, "search": 15, "api": 15}


# -- Client ---------------------------------------------------------------------------------------


class Session:
    """One person's browser: its cookies, and each request timed under a kind."""

    def __init__(self, port: int, recorder: "Recorder"):
        self.port, self.recorder, self.cookies = port, recorder, {}

    def request(self, kind, method, path, *, expect=200, fields=None):
        headers = {"Accept-Language": "th"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if fields is not None:
            body = urlencode(fields).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"http://127.0.0.1:{self.port}"
        start = time.perf_counter()
        try:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=90)
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
            connection.close()
        except (OSError, http.client.HTTPException) as error:
            self.recorder.add(kind, start, f"{method} {path}: {error!r}")
            return None, None, b""
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or "1970" in morsel["expires"]:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        status = response.status
        error = None
        if status != expect:
            error = f"{method} {path}: {status} (expected {expect}) {content[:300]!r}"
        self.recorder.add(kind, start, error)
        return status, response.headers, content


class Recorder:
    """Every client's timings, errors and acknowledgements, shared between the threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.times = defaultdict(list)
        self.errors = defaultdict(int)
        self.samples: list[str] = []
        self.acknowledged = defaultdict(int)  # saves and transitions the server confirmed

    def add(self, kind: str, start: float, error: str | None) -> None:
        elapsed = (time.perf_counter() - start) * 1000
        with self.lock:
            self.times[kind].append(elapsed)
            if error:
                self.errors[kind] += 1
                if len(self.samples) < 20:
                    self.samples.append(f"{kind}: {error}")

    def fail(self, kind: str, error: str) -> None:
        """An error found in a response whose status was right (a missing confirmation)."""
        with self.lock:
            self.errors[kind] += 1
            if len(self.samples) < 20:
                self.samples.append(f"{kind}: {error}")

    def acknowledge(self, what: str) -> None:
        with self.lock:
            self.acknowledged[what] += 1


class FormFields(HTMLParser):
    """The fields a browser would submit from the form whose id is ``form_id`` (else the first
    POST form of the page's content): checked boxes, chosen options, outside <template>s."""

    SKIPPED = ("submit", "button", "image", "reset", "file")

    def __init__(self, html: str, form_id: str | None = None):
        super().__init__(convert_charrefs=True)
        self.form_id, self.fields = form_id, []
        self.inside = self.done = False
        self.template = 0
        self.textarea = self.option = self.select = None
        self.feed(html)

    def _wanted(self, attrs: dict) -> bool:
        if self.form_id:
            return attrs.get("id") == self.form_id
        action = attrs.get("action", "")  # not the header's log-out and language forms
        return attrs.get("method", "").lower() == "post" and not re.search(r"logout|i18n", action)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and not self.done:
            self.inside = self._wanted(attrs)
        if not self.inside:
            return
        self.template += tag == "template"
        name = attrs.get("name")
        if self.template:
            return
        if tag == "input" and name:
            kind = attrs.get("type", "text").lower()
            checkable = kind in ("checkbox", "radio")
            if kind not in self.SKIPPED and ("checked" in attrs or not checkable):
                self.fields.append((name, attrs.get("value") or ("on" if checkable else "")))
        elif tag == "textarea" and name:
            self.textarea = [name, ""]
        elif tag == "select" and name:
            self.select, self.multiple, self.options = name, "multiple" in attrs, []
        elif tag == "option" and self.select:
            self.option = [attrs.get("value"), "selected" in attrs, ""]

    def handle_data(self, data):
        for open_element in (self.textarea, self.option):
            if open_element is not None:
                open_element[-1] += data

    def handle_endtag(self, tag):
        if tag == "template" and self.template:
            self.template -= 1
        elif tag == "form" and self.inside:
            self.inside, self.done = False, True
        elif tag == "textarea" and self.textarea is not None:
            name, text = self.textarea
            self.fields.append((name, text.removeprefix("\n")))  # as HTML drops it
            self.textarea = None
        elif tag == "option" and self.option is not None:
            value, selected, text = self.option
            self.options.append((text.strip() if value is None else value, selected))
            self.option = None
        elif tag == "select" and self.select:
            chosen = [value for value, selected in self.options if selected]
            if not chosen and self.options and not self.multiple:
                chosen = [self.options[0][0]]
            self.fields += [(self.select, value) for value in chosen]
            self.select = None


# -- The people -----------------------------------------------------------------------------------


def login(session: Session, username: str, password: str) -> bool:
    _, _, page = session.request("login", "GET", "/accounts/login/")
    fields = [
        (k, v) for k, v in FormFields(page.decode()).fields if k not in ("username", "password")
    ]
    fields += [("username", username), ("password", password)]
    status, _, _ = session.request("login", "POST", "/accounts/login/", expect=302, fields=fields)
    return status == 302


def reader(session: Session, urls: dict, seed: int, deadline: float) -> None:
    rng = random.Random(seed)
    kinds, weights = list(READER_MIX), list(READER_MIX.values())
    while time.monotonic() < deadline:
        kind = rng.choices(kinds, weights)[0]
        session.request(f"read {kind}", "GET", rng.choice(urls[kind]))


def editor(session: Session, person: dict, password: str, deadline: float, saved: dict) -> None:
    """Open a measure, preview it now and then, save it with a new target, see "Saved."."""
    if not login(session, person["username"], password):
        return
    report = f"/staff/reports/{person['report']}/"
    originals, n = {}, 0
    while time.monotonic() < deadline:
        measure = person["measures"][n % len(person["measures"])]
        n += 1
        form = f"{report}measures/{measure}/"
        status, _, page = session.request("edit form", "GET", form)
        if status != 200:
            continue
        fields = FormFields(page.decode(), "measure-form").fields
        original = originals.setdefault(measure, dict(fields).get("target", ""))
        marker = f"(load {person['tag']}-{n})"
        fields = [(k, f"{original} {marker}".strip() if k == "target" else v) for k, v in fields]
        if n % 3 == 0:  # the form's live preview, as it fires while typing
            session.request("edit preview", "POST", f"{form}preview/", fields=fields)
        status, headers, _ = session.request(
            "edit save", "POST", form, expect=302, fields=[*fields, ("save", "")]
        )
        if status != 302:
            continue
        saved[measure] = marker  # acknowledged: it must be in the history and in the measure
        session.recorder.acknowledge("saves")
        status, _, page = session.request("edit report", "GET", urlsplit(headers["Location"]).path)
        if status == 200 and "alert alert-success" not in page.decode():
            session.recorder.fail("edit report", f"no confirmation after saving {form}")


def reviewer(
    editor_s: Session,
    reviewer_s: Session,
    review: dict,
    password: str,
    deadline: float,
) -> None:
    """Take one report around the loop: submitted, read, approved, memo, returned; again."""
    if not (
        login(editor_s, review["editor"], password)
        and login(reviewer_s, review["reviewer"], password)
    ):
        return
    report = f"/staff/reports/{review['report']}/"

    def transition(session: Session, action: str) -> None:
        fields = {
            "csrfmiddlewaretoken": session.cookies.get("csrftoken", ""),
            "action": action,
            "reason": f"load test: {action}",
        }
        status, _, _ = session.request(
            "review transition", "POST", f"{report}transition/", expect=302, fields=fields
        )
        if status != 302:
            return
        status, _, page = session.request("review report", "GET", report)
        text = page.decode()
        if "alert alert-success" in text and "alert-danger" not in text:
            session.recorder.acknowledge("transitions")
        elif status == 200:
            refusal = re.findall(r'alert-danger"[^>]*>([^<]*)', text)
            session.recorder.fail("review transition", f"{action} refused: {refusal}")

    steps = [
        lambda: reviewer_s.request("review queue", "GET", "/staff/review/"),
        lambda: transition(editor_s, "submit"),
        lambda: reviewer_s.request("review report", "GET", report),
        lambda: reviewer_s.request("review preview", "GET", f"{report}preview/"),
        lambda: reviewer_s.request("review pdf", "GET", f"{report}preview.pdf"),
        lambda: transition(reviewer_s, "approve"),
        lambda: reviewer_s.request("review pdf", "GET", f"{report}approval-memo.pdf"),
        lambda: transition(reviewer_s, "return"),
    ]
    n = 0
    while time.monotonic() < deadline:
        steps[n % len(steps)]()
        n += 1
