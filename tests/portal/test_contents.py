"""A measure's anchor on its page comes from its number in the data, never from the page's HTML."""

import html

import pytest
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.core.management import call_command

from measures import thai
from publication.files import page_compress
from publication.models import PublishedVersion, SearchEntry
from publication.selectors import version_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(capsys):
    # The five seeds, in their five layouts, published as version 1.
    call_command("load_demo", "--seeds-only")
    cache.clear()  # the pages' contents are cached per version


def links(contents) -> list[str]:
    return [m["anchor"] for group in contents for m in group["measures"]]


def test_every_layout_writes_the_anchors_the_data_gives(published):
    layouts = set()
    for version in PublishedVersion.objects.all():
        layouts.add(version.data["layout"])
        measures = version.data["measures"]
        for number, measure in enumerate(measures, start=1):
            page = version_article(version)
            assert page.count(f'id="measure-{number}"') == 1, (version, number)
            # The anchor is on this measure, whatever order the layout draws them in.
            segment = page.split(f'id="measure-{number}"', 1)[1].split('id="measure-', 1)[0]
            title = html.escape(thai.to_digits(measure["title"], version.data["digits"]), False)
            assert title.split()[0] in segment, (version, number)
        assert f'id="measure-{len(measures) + 1}"' not in version_article(version)
    assert len(layouts) == 5


def test_the_contents_and_the_search_link_by_number_without_reading_the_page(client, published):
    for version in PublishedVersion.objects.select_related("report__agency", "report__fiscal_year"):
        count = len(version.data["measures"])
        expected = [f"measure-{n}" for n in range(1, count + 1)]
        # The stored page is blanked (as no code path can): the contents do not need it.
        with default_storage.open(version.html_file.name, "wb") as stored:
            stored.write(page_compress(""))
        report = version.report
        page = client.get(f"/{report.agency.slug}/{report.fiscal_year.year}/v{version.number}/")
        assert page.status_code == 200
        assert links(page.context["contents"]) == expected, version
        for anchor in expected:
            assert f'href="#{anchor}"' in page.content.decode()
        entries = SearchEntry.objects.filter(version=version).order_by("number")
        assert list(entries.values_list("anchor", flat=True)) == expected


def test_migration_0002_still_indexes_old_versions_from_their_data():
    from publication.search import version_entries

    data = {"fiscal_year": 2567, "measures": [{"title": "มาตรการแรก"}, {"title": "มาตรการสอง"}]}
    # As migration 0002 calls it, with the page it no longer reads.
    entries = version_entries(data=data, html='<tr id="measure-917">', postgresql=False)
    assert [(e["number"], e["anchor"]) for e in entries] == [(1, "measure-1"), (2, "measure-2")]
