"""generate_national: a country of made-up agencies, published as publication publishes."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from measures.demo import demo_reports
from measures.models import Agency, FiscalYear
from publication.models import PublishedVersion, SearchEntry
from publication.national import SLUG_PREFIX
from publication.search import search_measures
from publication.services import content_hash
from tests.factories import DistrictFactory

pytestmark = pytest.mark.django_db

SMALL = ["--agencies", "6", "--years", "2564-2565", "--measures", "3", "--jobs", "1"]


@pytest.fixture
def country(framework):
    """Two districts to name agencies after (2564 is not in the framework: the command opens it)."""
    return [DistrictFactory(name="ดอกคำใต้"), DistrictFactory(name="บ้านแพ้ว")]


def generate(*args: str) -> str:
    out = io.StringIO()
    call_command("generate_national", *SMALL, *args, stdout=out)
    return out.getvalue()


def generated():
    return PublishedVersion.objects.filter(report__agency__slug__startswith=SLUG_PREFIX)


def fingerprint() -> list[tuple]:
    rows = generated().values_list("report__agency__slug", "report__fiscal_year__year", "data")
    return sorted((slug, year, content_hash(data)) for slug, year, data in rows)


def test_every_report_is_published_stored_and_searchable(country, client):
    generate("--pdfs", "1")

    versions = list(generated().select_related("report__agency"))
    assert len(versions) == 6 * 2
    assert FiscalYear.objects.filter(year=2564).exists()
    seeds = demo_reports()
    titles = {m["title"] for report in seeds for m in report["measures"]}
    steps = {s["text"] for report in seeds for m in report["measures"] for s in m["steps"]}
    for version in versions:
        assert version.data_sha256 == content_hash(version.data)
        assert all(version.stored(kind)[1] for kind in ("json", "csv", "xlsx", "pdf"))
        measures = version.data["measures"]
        assert len(measures) == 3
        assert {m["title"] for m in measures} <= titles  # the seeds' words, not invented ones
        assert {s["text"] for m in measures for s in m["steps"]} <= steps | {
            s["text"] for report in seeds for m in report["measures"] for s in m["sub_items"]
        }
    names = Agency.objects.filter(slug__startswith=SLUG_PREFIX).values_list("name", flat=True)
    assert all(name.startswith(("องค์การบริหารส่วน", "เทศบาล")) for name in names)

    version = versions[0]
    title = version.data["measures"][0]["title"]
    hits, total = search_measures(query=title.split()[0], year=version.report.fiscal_year.year)
    assert total >= 1
    assert version.report.agency.name in {hit.agency for hit in hits}
    assert SearchEntry.objects.filter(version__in=versions).count() == 6 * 2 * 3
    page = client.get(f"/{version.report.agency.slug}/{version.report.fiscal_year.year}/")
    assert page.status_code == 200
    assert title.split()[0] in page.content.decode()


def test_the_same_seed_publishes_the_same_reports(country):
    generate("--seed", "3", "--pdfs", "0")
    first = fingerprint()
    generate("--seed", "3", "--pdfs", "0", "--replace", "--jobs", "1", "--chunk", "4")
    assert fingerprint() == first
    generate("--seed", "4", "--pdfs", "0", "--replace")
    assert fingerprint() != first
    assert generated().count() == 12  # replaced, not added


def test_a_second_run_is_refused_and_writes_nothing(country):
    generate("--pdfs", "0")
    before = (generated().count(), SearchEntry.objects.count(), Agency.objects.count())

    with pytest.raises(CommandError, match="--replace"):
        generate("--pdfs", "0")
    assert (generated().count(), SearchEntry.objects.count(), Agency.objects.count()) == before


def test_pdfs_are_rendered_for_a_sample_and_shared_and_the_output_says_so(country):
    out = generate("--pdfs", "2")

    files = set(generated().values_list("pdf", flat=True))
    assert len(files) == 2 and "" not in files
    assert "rendered 2" in out and "the other 10 versions share those 2 files" in out
