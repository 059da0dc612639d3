"""Publish made-up reports of a whole country of agencies, for benchmarks (publication.national)."""

import multiprocessing
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from publication import national
from publication.models import PublishedVersion, SearchEntry


def _years(text: str) -> list[int]:
    first, _dash, last = text.partition("-")
    refused = CommandError(f"--years takes a Buddhist-Era range such as 2564-2568, not {text!r}.")
    try:
        first_year, last_year = int(first), int(last or first)
    except ValueError:
        raise refused from None
    if not 2500 <= first_year <= last_year <= 2700:
        raise refused
    return list(range(first_year, last_year + 1))


def _chunk(arguments: dict) -> tuple[int, int]:
    """One chunk of agencies, in a worker process: (versions, measures) published."""
    pks = national.chunk_publish(**arguments)
    return len(pks), len(pks) * arguments["measures"]


class Command(BaseCommand):
    help = (
        "Publish the reports of N made-up agencies for every year given, their measures drawn "
        "from the seed reports' own words, through publication's indexing and stored files, for "
        "benchmarks. Only --pdfs versions get their own PDF; the others share those files."
    )

    def add_arguments(self, parser):
        parser.add_argument("--agencies", type=int, required=True, help="how many agencies")
        parser.add_argument("--years", default="2564-2568", help="Buddhist-Era years, a range")
        parser.add_argument("--measures", type=int, default=12, help="measures per report")
        parser.add_argument("--seed", type=int, default=0, help="the same seed, the same data")
        parser.add_argument(
            "--pdfs", type=int, default=5, help="PDFs rendered; the other versions share them"
        )
        parser.add_argument("--jobs", type=int, default=2, help="processes publishing at once")
        parser.add_argument("--chunk", type=int, default=20, help="agencies per transaction")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="delete what an earlier run generated first (else a rerun is refused)",
        )

    def handle(self, *args, agencies, years, measures, seed, pdfs, jobs, chunk, replace, **kw):
        if agencies < 1 or measures < 1 or chunk < 1 or jobs < 1 or pdfs < 0:
            raise CommandError("--agencies, --measures, --chunk and --jobs must be at least 1.")
        years = _years(years)
        existing = national.national_exists()
        if existing and not replace:
            raise CommandError(
                f"This database already holds {existing} generated agencies (their addresses "
                f"begin with {national.SLUG_PREFIX}). Nothing was written: run again with "
                "--replace to delete them and generate anew."
            )
        began = time.perf_counter()
        if existing:
            self.stdout.write(f"Deleted {national.national_delete()} generated agencies.")
        national.years_ensure(years)
        words = national.vocabulary()
        made = national.agencies_create(count=agencies, seed=seed, words=words)
        self.stdout.write(
            f"{len(made)} agencies in {len(national.places())} places; "
            f"{len(years)} years ({years[0]}–{years[-1]}), {measures} measures a report, "
            f"seed {seed}, {jobs} process(es)."
        )
        work = [
            {
                "seed": seed,
                "indices": list(range(start, min(start + chunk, agencies))),
                "years": years,
                "measures": measures,
            }  # fmt: skip
            for start in range(0, agencies, chunk)
        ]
        published = self._publish(work, jobs=jobs, total=agencies * len(years), began=began)
        elapsed = time.perf_counter() - began
        versions = PublishedVersion.objects.filter(
            report__agency__slug__startswith=national.SLUG_PREFIX
        )
        rendered_began = time.perf_counter()
        rendered, sharing = national.pdfs_share(
            version_pks=list(versions.values_list("pk", flat=True)), samples=pdfs
        )
        rendered_took = time.perf_counter() - rendered_began
        entries = SearchEntry.objects.filter(agency__slug__startswith=national.SLUG_PREFIX)
        self.stdout.write(
            f"Published {published} versions ({published * measures} measures, "
            f"{entries.count()} search entries) in {elapsed:.1f} s: "
            f"{published / elapsed:.1f} versions/s, {published * measures / elapsed:.0f} "
            "measures/s."
        )
        self.stdout.write(
            f"PDFs: rendered {rendered} in {rendered_took:.1f} s; the other {sharing} versions "
            f"share those {rendered} files (each serves a sample's PDF, not its own report)."
        )

    def _publish(self, work: list[dict], *, jobs: int, total: int, began: float) -> int:
        published = 0

        def progress(count: int) -> None:
            rate = count / (time.perf_counter() - began)
            self.stdout.write(f"  {count}/{total} versions, {rate:.1f}/s")

        if jobs == 1:  # in this process (and this transaction, under tests)
            for arguments in work:
                published += _chunk(arguments)[0]
                progress(published)
            return published
        connections.close_all()  # each forked worker opens its own connection
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            for versions, _measures in pool.imap_unordered(_chunk, work):
                published += versions
                progress(published)
        return published
