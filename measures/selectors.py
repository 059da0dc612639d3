"""Reads: reports with everything a document needs (their data: report_format.report_to_data)."""

from datetime import timedelta

from django.core.cache import cache
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from pythainlp.util import collate

from .models import (
    Agency,
    ImportJob,
    IndicatorProgress,
    IndicatorProgressItem,
    IndicatorScore,
    Measure,
    MeasureItem,
    MeasureRound,
    Report,
    Responsible,
)


def thai_sorted(items, key=lambda item: item.name):
    """In Thai dictionary order (pythainlp's collation), not by code point."""
    order = {name: i for i, name in enumerate(collate([key(item) for item in items]))}
    return sorted(items, key=lambda item: order[key(item)])


def report_list(*, agency_slug: str | None = None, year: int | None = None) -> QuerySet[Report]:
    reports = Report.objects.select_related("agency__province", "fiscal_year")
    if agency_slug:
        reports = reports.filter(agency__slug=agency_slug)
    if year:
        reports = reports.filter(fiscal_year__year=year)
    return reports.order_by("agency__slug", "fiscal_year__year")


def report_documents(reports: QuerySet[Report]) -> QuerySet[Report]:
    """The reports with all their parts fetched in a fixed number of queries."""
    return reports.select_related(
        "agency__district",
        "agency__province",
        "fiscal_year",
        "cited_result__fiscal_year",
    ).prefetch_related(
        "agency__units",
        "issue_groups",
        "rounds",
        Prefetch(
            "cited_result__indicator_scores",
            queryset=IndicatorScore.objects.select_related("indicator").order_by(
                "indicator__number"
            ),
        ),
        Prefetch(
            "measures",
            queryset=Measure.objects.select_related(
                "indicator__tool", "issue_group", "report__fiscal_year"
            ).prefetch_related(
                Prefetch("items", queryset=MeasureItem.objects.order_by("kind", "position")),
                Prefetch("responsibles", queryset=Responsible.objects.order_by("role", "position")),
                "evidence",
                Prefetch("rounds", queryset=MeasureRound.objects.select_related("round")),
            ),
        ),
        Prefetch(
            "indicator_progress",
            queryset=IndicatorProgress.objects.select_related(
                "indicator__tool", "report__fiscal_year"
            ).prefetch_related(
                Prefetch(
                    "items", queryset=IndicatorProgressItem.objects.order_by("kind", "position")
                )
            ),
        ),
    )


def report_document(*, pk: int) -> Report:
    return report_documents(Report.objects.filter(pk=pk)).get()


def report_before(*, agency: Agency, year: int) -> Report | None:
    """The agency's latest report of a year before ``year``: the one a new report rolls forward."""
    earlier = Report.objects.filter(agency=agency, fiscal_year__year__lt=year)
    return earlier.order_by("-fiscal_year__year").first()


# -- The staff's own views ------------------------------------------------------------------------


def measure_gaps(measure: Measure) -> list[str]:
    """What a measure still lacks for the OIT evaluators (the parts staff must fill in)."""
    kinds = {item.kind for item in measure.items.all()}
    gaps = []
    if MeasureItem.Kind.STEP not in kinds:
        gaps.append(_("steps"))
    if not measure.period_style:
        gaps.append(_("period"))
    if not any(r.role == Responsible.Role.MAIN for r in measure.responsibles.all()):
        gaps.append(_("responsible unit"))
    if MeasureItem.Kind.OUTPUT not in kinds:
        gaps.append(_("outputs"))
    if MeasureItem.Kind.OUTCOME not in kinds:
        gaps.append(_("outcomes"))
    return gaps


def staff_reports(*, agencies) -> QuerySet[Report]:
    """The reports of ``agencies`` with all their measures' parts, for the staff home."""
    return report_documents(
        Report.objects.filter(agency__in=agencies).order_by("agency__name", "-fiscal_year__year")
    )


# -- Progress during the year -------------------------------------------------------------------


def _mean(values: list[int]) -> int | None:
    return round(sum(values) / len(values)) if values else None


def _round_percent(measures: list[dict], key) -> int | None:
    """How far the measures are in one round: the mean of their percentages, a measure not
    reported in the round counting as 0 % (nothing shows it has begun). ``measures``: for each
    measure, its percent per round key."""
    return _mean([entries.get(key) or 0 for entries in measures])


def progress_rollup(report: Report) -> list[dict]:
    """Per round, how far the report's measures are (``_round_percent``), overall and per
    indicator. Works on `report_documents()`' prefetched parts, without more queries."""
    measures = list(report.measures.all())
    percents = [{e.round_id: e.percent for e in m.rounds.all()} for m in measures]
    rollup = []
    for progress_round in report.rounds.all():
        by_indicator = {}
        for measure, entries in zip(measures, percents, strict=True):
            if measure.indicator_id:
                by_indicator.setdefault(measure.indicator, []).append(entries)
        rollup.append(
            {
                "round": progress_round,
                "percent": _round_percent(percents, progress_round.pk),
                "done": sum(
                    1
                    for m in measures
                    for e in m.rounds.all()
                    if e.round_id == progress_round.pk and e.progress == "done"
                ),
                "measures": len(measures),
                "by_indicator": [
                    {"indicator": indicator, "percent": _round_percent(values, progress_round.pk)}
                    for indicator, values in sorted(by_indicator.items(), key=lambda i: i[0].number)
                ],
            }
        )
    return rollup


def rounds_progress(data: dict) -> list[dict]:
    """``progress_rollup``'s overall percent per round, from a published version's own data
    (the report data format, measures.report_format)."""
    percents = [
        {entry["round"]: entry.get("percent") for entry in measure.get("rounds", [])}
        for measure in data.get("measures", [])
    ]
    return [
        {"label": r["label"], "percent": _round_percent(percents, r["number"]) or 0}
        for r in data.get("rounds", [])
    ]


# -- Large imports (services.imports) --------------------------------------------------------------


def import_jobs(*, report: Report) -> QuerySet[ImportJob]:
    """The report's import jobs, without the table each keeps until it ends (megabytes)."""
    return ImportJob.objects.filter(report=report).defer("payload")


def import_job_latest(*, report: Report, ended_within=timedelta(days=1)) -> ImportJob | None:
    """The report's latest confirmed import, while it runs and for a day after it ended."""
    recent = Q(finished_at__gte=timezone.now() - ended_within)
    return (
        import_jobs(report=report)
        .filter(Q(state__in=ImportJob.ACTIVE_STATES) | recent)
        .select_related("user")
        .first()
    )


def import_job_status(job: ImportJob) -> dict:
    """Where the job stands: while it runs, the count its task keeps in the cache."""
    done = job.done
    if job.state == ImportJob.State.RUNNING:
        done = cache.get(job.progress_key, job.done)
    return {
        "state": job.state,
        "label": job.get_state_display(),
        "done": done,
        "total": job.total,
        "error": job.error,
    }
