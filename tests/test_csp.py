"""A strict Content-Security-Policy on every page, and templates it does not break: no inline
script or style anywhere, and no stored or built HTML that is not escaped first.
The same pages in Chromium, with no violation reported: tests/browser/test_csp.py."""

import re
from pathlib import Path

import pytest

from tests import test_permissions

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
# The frame WeasyPrint prints a document in: never served to a browser (reports/rendering.py).
PDF_ONLY = {"reports/document_pdf.html"}
POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
    "base-uri": "'self'",
    "object-src": "'none'",
}

demo = test_permissions.demo  # the fixture: the permission matrix's reports and users


def policy_of(response) -> dict[str, str]:
    header = response.get("Content-Security-Policy", "")
    return dict(
        (part.strip().split(" ", 1) + [""])[:2] for part in header.split(";") if part.strip()
    )


@pytest.mark.parametrize("role", ["anonymous", "admin"])
def test_every_page_of_the_permission_matrix_carries_the_policy(client, demo, role):
    if test_permissions.ROLES[role]:
        client.login(username=test_permissions.ROLES[role], password=test_permissions.PASSWORD)
    checked = 0
    for name, method, path, _allowed, _data in test_permissions.url_table(demo):
        if method != "get":
            continue
        response = client.get(path)
        if response["Content-Type"].startswith("application/pdf"):
            # A browser shows a PDF in its own viewer, which a page's policy leaves blank.
            assert "Content-Security-Policy" not in response, name
            continue
        assert policy_of(response) == POLICY, (role, name)
        assert "unsafe-inline" not in response["Content-Security-Policy"]
        checked += 1
    assert checked > 30


def test_the_error_pages_and_the_admin_carry_it_too(client, settings):
    settings.DEBUG = False
    assert policy_of(client.get("/no-such-page/")) == POLICY
    assert policy_of(client.get("/admin/login/")) == POLICY


def template_files():
    for path in sorted(TEMPLATES.rglob("*.html")):
        name = path.relative_to(TEMPLATES).as_posix()
        if name not in PDF_ONLY:
            yield name, path.read_text()


INLINE = {
    "style attribute": re.compile(r"<[^>]*\sstyle\s*=", re.IGNORECASE),
    "event handler attribute": re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE),
    "<style> block": re.compile(r"<style[\s>]", re.IGNORECASE),
    "inline <script>": re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.IGNORECASE),
    "javascript: address": re.compile(r"javascript:", re.IGNORECASE),
    "unescaped output": re.compile(r"\|\s*safe\b|autoescape\s+off"),
}


def test_no_template_has_inline_script_or_style_or_unescaped_output():
    found = [
        f"{name}: {what}"
        for name, text in template_files()
        for what, pattern in INLINE.items()
        if pattern.search(text)
    ]
    assert found == []


def test_the_scan_finds_what_it_looks_for():
    samples = [
        '<select onchange="this.form.submit()">',
        '<svg viewBox="0 0 1 1" style="max-width: 40rem">',
        "<style>p { color: red }</style>",
        "<script>alert(1)</script>",
        "{{ html|safe }}",
    ]
    for sample in samples:
        assert any(pattern.search(sample) for pattern in INLINE.values()), sample
    assert not any(
        p.search('<script src="/static/js/site.js" defer></script>') for p in INLINE.values()
    )


def test_the_qr_code_is_built_from_escaped_parts():
    from django.utils.safestring import SafeString

    from reports.qr import qr_svg

    drawn = qr_svg('https://ita.example.org/x/"><script>alert(1)</script>')
    assert isinstance(drawn, SafeString)
    assert drawn.startswith("<svg") and "<script" not in drawn and "style=" not in drawn


def test_no_public_view_marks_a_string_safe():
    portal = Path(__file__).resolve().parents[1] / "portal"
    assert [p.name for p in portal.glob("*.py") if "mark_safe" in p.read_text()] == ["views.py"]
    # The one left: a version's page as it was stored at publication, which only the layout
    # templates above wrote, with Django's escaping (test_no_template_has_inline…).
    views = (portal / "views.py").read_text()
    assert views.count("mark_safe(") == 2 and views.count("mark_safe(article)") == 2
