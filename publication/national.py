"""Reports of every agency of the country, made up from the seeds' own words, for benchmarks.

``generate_national`` publishes them; ``bench/national.py`` measures the portal on them. The
text is never invented: every measure title, step, output, outcome and unit is one the five seed
reports hold (``measures.demo``), drawn at random, so that searches, pages and files have the
sizes and the words of real reports. What is drawn depends only on the seed, the agency's number
and the year, never on the order of the work, so two runs with the same seed publish the same
data whatever ``--jobs``.

Agencies are named by their kind as the NACC lists them (องค์การบริหารส่วนตำบล…, เทศบาลตำบล…)
after the places in the database (the subdistricts when they are loaded, else the districts and
provinces present, numbered where places run out). Their slugs begin with ``SLUG_PREFIX``: that
is how a rerun recognises what an earlier run made, and ``national_delete`` removes it.

Writing goes through publication: the reports' rows are inserted in bulk, then
``services.versions_create_many`` freezes them as versions the way ``version_create`` does (the
report data format, the page, search indexing, the stored JSON/CSV/XLSX). PDFs are rendered for
a sample only; the other versions point at the sample's files (see ``pdfs_share``).
"""

import calendar
import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from django.apps import apps
from django.db import OperationalError, transaction

from measures import thai
from measures.demo import demo_reports
from measures.models import (
    Agency,
    District,
    FiscalYear,
    Indicator,
    Measure,
    MeasureItem,
    Province,
    Report,
    Responsible,
    Unit,
)
from measures.report_format import MEASURE_LISTS
from measures.services import fiscal_year_open

from .models import PublishedVersion, SearchEntry, Transition
from .services import version_render_pdf, versions_create_many

SLUG_PREFIX = "nat-"
REASON = "ข้อมูลจำลองระดับประเทศสำหรับวัดความเร็ว (generate_national)"
# Local government as the NACC lists it, with roughly the country's proportions (about 5,300
# อบต., 2,200 เทศบาลตำบล, 195 เทศบาลเมือง, 30 เทศบาลนคร; an อบจ. a province).
KINDS = [
    (Agency.Kind.SUBDISTRICT_ADMINISTRATION, "องค์การบริหารส่วนตำบล", "อบต.", 680),
    (Agency.Kind.SUBDISTRICT_MUNICIPALITY, "เทศบาลตำบล", "ทต.", 285),
    (Agency.Kind.TOWN_MUNICIPALITY, "เทศบาลเมือง", "ทม.", 25),
    (Agency.Kind.CITY_MUNICIPALITY, "เทศบาลนคร", "ทน.", 4),
    (Agency.Kind.PROVINCIAL_ADMINISTRATION, "องค์การบริหารส่วนจังหวัด", "อบจ.", 0),  # a province's
]
# The seeds' layouts that need nothing beyond measures (no memo, no issue groups).
LAYOUTS = [(Report.Layout.BY_INDICATOR, 5), (Report.Layout.MEASURES_PROGRESS, 2)]
LAYOUTS += [(Report.Layout.NARRATIVE, 3)]
PROGRESS = ["done", "done", "done", "in_progress", ""]


@dataclass(frozen=True)
class Vocabulary:
    titles: list[str]
    report_titles: list[str]
    steps: list[dict]
    outputs: list[dict]
    outcomes: list[dict]
    units: list[str]


def vocabulary() -> Vocabulary:
    """Every title, step, output, outcome and unit of the seed reports, in a fixed order."""
    seeds = demo_reports()
    measures = [measure for report in seeds for measure in report["measures"]]

    def items(key: str) -> list[dict]:
        found = {(i.get("label", ""), i["text"]) for m in measures for i in m.get(key) or []}
        return [{"label": label, "text": text} for label, text in sorted(found)]

    return Vocabulary(
        titles=sorted({m["title"] for m in measures}),
        report_titles=sorted({r["title"] for r in seeds if r.get("title")}),
        steps=items("steps") + items("sub_items"),
        outputs=items("outputs"),
        outcomes=items("outcomes"),
        units=sorted({u for r in seeds for u in r["agency"]["units"]}),
    )


# -- Agencies ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    province: int
    district: int | None
    name: str
    subdistrict: int | None = None


def places() -> list[Place]:
    """Where agencies can be: every subdistrict when the country is loaded, else the districts
    there are (a demo database has five); and every province, for its อบจ."""
    try:
        subdistricts = apps.get_model("measures", "Subdistrict")
    except LookupError:
        subdistricts = None
    if subdistricts is not None and subdistricts.objects.exists():
        rows = subdistricts.objects.order_by("pk").values_list(
            "district__province_id", "district_id", "name", "pk"
        )
        found = [Place(*row) for row in rows]
    else:
        districts = District.objects.order_by("pk").only("name", "province_id")
        found = [Place(d.province_id, d.pk, d.name) for d in districts]
    return found + [Place(p.pk, None, p.name) for p in Province.objects.order_by("pk")]


def agency_slug(index: int) -> str:
    return f"{SLUG_PREFIX}{index + 1:05d}"


def agencies_plan(*, count: int, seed: int) -> list[Agency]:
    """``count`` unsaved agencies, one a place: a province's is its อบจ., a subdistrict's (or a
    district's) one of the local governments by their share of the country. Once places run
    out, they come round again, the name numbered in Thai digits."""
    where = places()
    random.Random(f"{seed}:places").shuffle(where)
    local = [kind for kind in KINDS if kind[0] != Agency.Kind.PROVINCIAL_ADMINISTRATION]
    weights = [weight for *_rest, weight in local]
    # The place an agency's name names, when the country's subdistricts are there to point at.
    linked = any(f.name == "subdistrict_area" for f in Agency._meta.get_fields())
    agencies = []
    for index in range(count):
        place = where[index % len(where)]
        rng = random.Random(f"{seed}:agency:{index}")
        if place.district is None:
            kind, prefix, short, _weight = KINDS[-1]
        else:
            kind, prefix, short, _weight = rng.choices(local, weights)[0]
        name = place.name
        if index >= len(where):  # more agencies than places: a second one of the same name
            name += " " + thai.to_digits(str(index // len(where) + 1), thai.THAI)
        agencies.append(
            Agency(
                slug=agency_slug(index),
                name=f"{prefix}{name}",
                short_name=f"{short}{name}",
                kind=kind,
                subdistrict=place.name if place.district else "",
                district_id=place.district,
                province_id=place.province,
                **({"subdistrict_area_id": place.subdistrict} if linked else {}),
            )
        )
    return agencies


def agency_units(index: int, *, seed: int, words: Vocabulary) -> list[str]:
    return random.Random(f"{seed}:units:{index}").sample(words.units, k=min(4, len(words.units)))


# -- Reports -------------------------------------------------------------------------------------


def fiscal_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    """1 October to 30 September of Buddhist-Era fiscal year ``year``."""
    return datetime.date(year - 544, 10, 1), datetime.date(year - 543, 9, 30)


def _months(rng: random.Random, year: int) -> dict:
    first, last = sorted(rng.sample(range(12), 2))
    start, _end = fiscal_bounds(year)

    def month(offset: int) -> tuple[int, int]:
        return start.year + (start.month - 1 + offset) // 12, (start.month - 1 + offset) % 12 + 1

    (y1, m1), (y2, m2) = month(first), month(last)
    end = datetime.date(y2, m2, calendar.monthrange(y2, m2)[1])
    return {"style": "months", "start": datetime.date(y1, m1, 1), "end": end}


def measure_plan(rng: random.Random, *, words: Vocabulary, year: int, indicators: list[int],
                 units: list[str], layout: str) -> dict:  # fmt: skip
    """One measure in the report data format, from the seeds' words."""
    by_indicator = layout == Report.Layout.BY_INDICATOR or rng.random() < 0.5
    return {
        "title": rng.choice(words.titles),
        "indicator": {"number": rng.choice(indicators)} if by_indicator and indicators else None,
        "steps": rng.sample(words.steps, k=rng.randint(1, 4)),
        "outputs": rng.sample(words.outputs, k=rng.randint(1, 3)),
        "outcomes": rng.sample(words.outcomes, k=rng.randint(1, 3)),
        "period": _months(rng, year),
        "responsible": {
            "main": [rng.choice(units)],
            "supporting": [rng.choice(units)] if rng.random() < 0.4 else [],
        },
        "progress": rng.choice(PROGRESS),
        "budget_planned": None if rng.random() < 0.4 else Decimal(rng.randint(1, 50) * 1000),
    }


def report_plan(*, seed: int, index: int, year: int, measures: int, words: Vocabulary,
                indicators: list[int], units: list[str]) -> dict:  # fmt: skip
    """Agency ``index``'s report of ``year``: the same for the same seed, whatever the order."""
    rng = random.Random(f"{seed}:report:{index}:{year}")
    layouts, weights = zip(*LAYOUTS, strict=True)
    layout = rng.choices(layouts, weights)[0]
    return {
        "fiscal_year": year,
        "layout": layout,
        "digits": rng.choices([Report.Digits.THAI, Report.Digits.ARABIC], [4, 1])[0],
        "title": rng.choice(words.report_titles),
        "year_style": rng.choice(Report.YearStyle.values),
        "prepared_by": units[0],
        "measures": [
            measure_plan(
                rng, words=words, year=year, indicators=indicators, units=units, layout=layout
            )
            for _ in range(measures)
        ],
    }


def _numbering(name: str) -> str:
    return Measure._meta.get_field(f"{name}_numbering").default


def reports_insert(*, plans: list[tuple[Agency, dict]], indicators: dict) -> list[Report]:
    """The planned reports as rows, inserted in bulk, approved and published as the workflow
    would record it (three ``Transition`` rows each)."""
    years = {
        fy.year: fy
        for fy in FiscalYear.objects.filter(year__in={p["fiscal_year"] for _a, p in plans})
    }
    units = {
        (u.agency_id, u.name): u
        for u in Unit.objects.filter(agency__in={agency.pk for agency, _plan in plans})
    }
    reports = Report.objects.bulk_create(
        Report(
            agency=agency,
            fiscal_year=years[plan["fiscal_year"]],
            title=plan["title"],
            year_style=plan["year_style"],
            prepared_by=plan["prepared_by"],
            layout=plan["layout"],
            digits=plan["digits"],
            state=Report.State.PUBLISHED,
        )
        for agency, plan in plans
    )
    rows = []
    for report, (_agency, plan) in zip(reports, plans, strict=True):
        for position, data in enumerate(plan["measures"], start=1):
            indicator = data["indicator"]
            rows.append(
                Measure(
                    report=report,
                    position=position,
                    title=data["title"],
                    indicator=indicators[plan["fiscal_year"], indicator["number"]]
                    if indicator
                    else None,
                    progress=data["progress"],
                    period_style=data["period"]["style"],
                    period_start=data["period"]["start"],
                    period_end=data["period"]["end"],
                    budget_planned=data["budget_planned"],
                    **{
                        f"{name}_numbering": _numbering(name)
                        for name in ("sub_items", "steps", "outputs", "outcomes", "responsible")
                    },
                )
            )
    measures = Measure.objects.bulk_create(rows)
    datas = [data for _agency, plan in plans for data in plan["measures"]]
    items, responsibles = [], []
    for measure, data in zip(measures, datas, strict=True):
        for key, kind in MEASURE_LISTS.items():
            for position, item in enumerate(data.get(key) or [], start=1):
                items.append(
                    MeasureItem(
                        measure=measure,
                        kind=kind,
                        position=position,
                        label=item["label"],
                        text=item["text"],
                    )
                )
        agency_id = measure.report.agency_id
        for role, names in data["responsible"].items():
            for position, name in enumerate(names, start=1):
                responsibles.append(
                    Responsible(
                        measure=measure,
                        role=role,
                        position=position,
                        name=name,
                        unit=units.get((agency_id, name)),
                    )
                )
    MeasureItem.objects.bulk_create(items)
    Responsible.objects.bulk_create(responsibles)
    moves = [("draft", "submitted"), ("submitted", "approved"), ("approved", "published")]
    Transition.objects.bulk_create(
        Transition(report=report, from_state=before, to_state=after, reason=REASON)
        for report in reports
        for before, after in moves
    )
    return reports


# -- The whole country ---------------------------------------------------------------------------


def years_ensure(years: list[int]) -> list[FiscalYear]:
    """Each year's framework: those missing are opened as a copy of the nearest one there is."""
    opened = []
    for year in years:
        found = FiscalYear.objects.filter(year=year).first()
        if found is None:
            nearest = min(FiscalYear.objects.all(), key=lambda fy: abs(fy.year - year))
            found = fiscal_year_open(year=year, source=nearest)
        opened.append(found)
    return opened


def national_exists() -> int:
    return Agency.objects.filter(slug__startswith=SLUG_PREFIX).count()


@transaction.atomic
def national_delete() -> int:
    """Remove what an earlier run made: its agencies and everything of theirs."""
    agencies = Agency.objects.filter(slug__startswith=SLUG_PREFIX)
    reports = Report.objects.filter(agency__in=agencies)
    SearchEntry.objects.filter(report__in=reports).delete()
    PublishedVersion.all_documents.filter(report__in=reports).delete()
    reports.delete()
    return agencies.delete()[1].get("measures.Agency", 0)


@transaction.atomic
def agencies_create(*, count: int, seed: int, words: Vocabulary) -> list[Agency]:
    agencies = Agency.objects.bulk_create(agencies_plan(count=count, seed=seed))
    Unit.objects.bulk_create(
        Unit(agency=agency, name=name, position=position)
        for index, agency in enumerate(agencies)
        for position, name in enumerate(agency_units(index, seed=seed, words=words), start=1)
    )
    return agencies


def indicator_map(years: list[int]) -> tuple[dict, dict]:
    """(year, number) → Indicator, and each year's indicator numbers."""
    found = Indicator.objects.filter(fiscal_year__year__in=years).select_related("fiscal_year")
    by_key = {(i.fiscal_year.year, i.number): i for i in found}
    numbers = {year: sorted(n for y, n in by_key if y == year) for year in years}
    return by_key, numbers


# Chunks publishing at once may deadlock on the search dictionary: each adds its versions' new
# words one version at a time, so two chunks can each hold a word the other waits for. The
# database then fails one of them; it is run again (the same seed, the same rows).
DEADLOCK_TRIES = 3


def chunk_publish(*, seed: int, indices: list[int], years: list[int], measures: int) -> list[int]:
    """Agencies ``indices`` (their numbers in the plan), every year: rows, then versions."""
    arguments = {"seed": seed, "indices": indices, "years": years, "measures": measures}
    for _attempt in range(DEADLOCK_TRIES - 1):
        try:
            return _chunk_publish(**arguments)
        except OperationalError as error:
            if getattr(error.__cause__, "sqlstate", None) != "40P01":  # not a deadlock
                raise
    return _chunk_publish(**arguments)


@transaction.atomic
def _chunk_publish(*, seed: int, indices: list[int], years: list[int], measures: int) -> list[int]:
    words = vocabulary()
    slugs = {index: agency_slug(index) for index in indices}
    agencies = {a.slug: a for a in Agency.objects.filter(slug__in=slugs.values())}
    by_key, numbers = indicator_map(years)
    plans = []
    for index in indices:
        agency = agencies[slugs[index]]
        units = agency_units(index, seed=seed, words=words)
        for year in years:
            plan = report_plan(
                seed=seed,
                index=index,
                year=year,
                measures=measures,
                words=words,
                indicators=numbers[year],
                units=units,
            )
            plans.append((agency, plan))
    reports = reports_insert(plans=plans, indicators=by_key)
    return [version.pk for version in versions_create_many(reports=reports, user=None)]


def pdfs_share(*, version_pks: list[int], samples: int) -> tuple[int, int]:
    """Render the PDF of the first ``samples`` versions; the others get those files, in turn.

    Rendering every PDF of the country would take hours; a benchmark needs PDFs of the real size
    served the real way, not each agency's own. Returns (rendered, sharing)."""
    ordered = sorted(version_pks)
    rendered = []
    for pk in ordered[:samples]:
        version = PublishedVersion.all_documents.select_related("report__agency").get(pk=pk)
        rendered.append(version_render_pdf(version=version))
    if not rendered:
        return 0, 0
    rest = ordered[samples:]
    for turn, sample in enumerate(rendered):
        mine = rest[turn :: len(rendered)]
        for start in range(0, len(mine), 5000):
            PublishedVersion.all_documents.filter(pk__in=mine[start : start + 5000]).update(
                pdf=sample.pdf.name, pdf_sha256=sample.pdf_sha256
            )
    return len(rendered), len(rest)
