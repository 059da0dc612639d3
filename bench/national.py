"""Every public page and API answer at 1/100, 1/10 and full national scale, on gunicorn.

    make bench-national SCALE=100      (or: .venv/bin/python bench/national.py --scale 100
                                        [--runs 3] [--requests 20] [--reuse] [--write-docs])

SCALE is the divisor of the country: 100 is 83 agencies, 10 is 830, 1 is all 8,306, each with a
report of 12 measures for each fiscal year 2564–2568. Unless --reuse finds them there already,
it drops and recreates its own database (ita_nat_<SCALE>, or --database-url), migrates, loads
the demo and runs `generate_national` (5 PDFs rendered, the rest sharing them), timing it. Then
it starts `gunicorn ita_portal.wsgi` with 2 workers, DEBUG=false, on loopback (bench/load.py's
settings, plus one trivial view `/bench-trivial/` that answers "ok" through the whole middleware
stack, since the portal has none), and measures, --runs times:

- the p50 and p95 of --requests sequential requests to: search "ร้องเรียน" (page and API), the
  catalogue's first and last page (API), home, browse, the page of a 200-measure report, the
  measures CSV of a year (time to first byte and total, 3 requests);
- throughput side by side, 2 client threads for 5 s each: a published PDF against a static file
  of the same size (whitenoise), and a cached report page against the trivial view;
- publishing a 200-measure report (imported, then submitted, approved and published, without
  Redis as `make run` does), in this process, and the time until its PDF is stored.

Prints the median of the runs with their spread (min–max) and, with --write-docs, puts the table
into docs/benchmarks.md (its own section; the other scales' columns are kept).
"""

import argparse
import http.client
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote

from load import database_recreate, free_port, gunicorn_start, percentile, server_env
from national_table import SCALE_NAMES, column, docs_results, docs_write, section, table

ROOT = Path(__file__).resolve().parents[1]
COUNTRY = 8306  # agencies that publish an ITA report (the NACC's count)
YEARS = "2564-2568"
WORD = "ร้องเรียน"


# -- Preparing the data ---------------------------------------------------------------------------


def manage(env: dict, *args: str) -> str:
    done = subprocess.run(
        ["nice", "-n", "10", sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def prepare(args, env: dict) -> dict:
    """The database at this scale, made unless --reuse finds it; what generating it took."""
    agencies = COUNTRY // args.scale
    record = Path(env["MEDIA_ROOT"] + ".generated.json")  # what generating it took, kept
    if args.reuse:
        return {"agencies": agencies, **(json.loads(record.read_text()) if record.exists() else {})}
    database_recreate(args.database_url)
    shutil.rmtree(env["MEDIA_ROOT"], ignore_errors=True)
    manage(env, "migrate")
    manage(env, "load_demo")
    began = time.perf_counter()
    out = manage(
        env,
        "generate_national",
        *("--agencies", str(agencies), "--years", YEARS, "--measures", "12"),
        *("--pdfs", "5", "--jobs", "2", "--chunk", "10"),
    )
    took = time.perf_counter() - began
    print(out, file=sys.stderr)
    made = {"generate_s": round(took, 1), "output": out.strip(), **pack(args, env)}
    record.write_text(json.dumps(made))
    return {"agencies": agencies, **made}


def pack(args, env: dict) -> dict:
    """The closed years packed, as the nightly task leaves them (2564–2568 are all closed by
    2570), then VACUUM FULL: the size measured is the data's, not the space of the deleted
    lines, which new years' rows take up again in a database that keeps running."""
    import psycopg2

    began = time.perf_counter()
    out = manage(env, "pack_closed_reports").strip()
    packed = time.perf_counter() - began
    connection = psycopg2.connect(args.database_url)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (FULL, ANALYZE)")
    connection.close()
    print(out, file=sys.stderr)
    return {"pack_s": round(packed, 1), "pack_output": out}


def bench_env(args, workdir: Path) -> dict:
    env = server_env(args.database_url, workdir)
    (workdir / "bench_national_urls.py").write_text(
        "from django.http import HttpResponse\nfrom django.urls import include, path\n\n\n"
        "def trivial(request):\n    return HttpResponse('ok', content_type='text/plain')\n\n\n"
        "urlpatterns = [path('bench-trivial/', trivial), path('', include('ita_portal.urls'))]\n"
    )
    (workdir / "bench_national_settings.py").write_text(
        "from bench_load_settings import *  # noqa: F403\n\nROOT_URLCONF = 'bench_national_urls'\n"
    )
    env.update(
        DJANGO_SETTINGS_MODULE="bench_national_settings",
        MEDIA_ROOT=args.media_root or f"/tmp/nat_media_{args.database_url.rsplit('/', 1)[1]}",
    )
    return env


def sizes(args) -> dict:
    """The data's size: rows, search entries, the database on disk."""
    import psycopg2

    with psycopg2.connect(args.database_url) as connection, connection.cursor() as cursor:
        found = {}
        for name, table in (
            ("versions", "reports_publishedversion"),
            ("search_entries", "reports_searchentry"),
        ):
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 (our own names)
            found[name] = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM measures_agency WHERE slug LIKE 'nat-%'")
        found["agencies"] = cursor.fetchone()[0]
        cursor.execute("SELECT pg_database_size(current_database())")
        found["database_mb"] = round(cursor.fetchone()[0] / 2**20)
    return found


# -- Requests -------------------------------------------------------------------------------------


def get(port: int, path: str, *, expect: int = 200) -> tuple[float, float, int]:
    """(ms to the first byte, ms in all, bytes) of one GET on a new connection."""
    began = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    connection.request("GET", path)
    response = connection.getresponse()
    first = time.perf_counter()
    size = 0
    while chunk := response.read(65536):
        size += len(chunk)
    end = time.perf_counter()
    connection.close()
    if response.status != expect:
        raise SystemExit(f"GET {path}: {response.status}, not {expect}")
    return (first - began) * 1000, (end - began) * 1000, size


def timed(port: int, path: str, count: int) -> dict:
    get(port, path)  # warm: the first request of a worker pays for imports and caches
    totals = [get(port, path)[1] for _ in range(count)]
    return {"p50": percentile(totals, 50), "p95": percentile(totals, 95)}


def crawled(port: int, path: str, count: int) -> dict:
    """The catalogue's pages as a client crawls them, following ``next`` from ``path``: each
    page asked for the first time, so computed, not served from what a publication keeps."""
    totals = []
    for _ in range(count):
        began = time.perf_counter()
        page = json.loads(http_body(port, path))
        totals.append((time.perf_counter() - began) * 1000)
        if not page.get("next"):
            break
        path = "/" + page["next"].split("/", 3)[3]
    return {"p50": percentile(totals, 50), "p95": percentile(totals, 95)}


def first_byte(port: int, path: str, count: int = 3) -> dict:
    runs = [get(port, path) for _ in range(count)]
    return {
        "first_byte_ms": round(statistics.median(r[0] for r in runs), 1),
        "total_ms": round(statistics.median(r[1] for r in runs), 1),
        "mb": round(runs[0][2] / 2**20, 1),
    }


def throughput(port: int, path: str, seconds: float = 5.0, threads: int = 2) -> float:
    """Requests a second that ``threads`` closed-loop clients get for ``path``."""
    done, deadline = [0] * threads, time.monotonic() + seconds

    def client(n: int) -> None:
        while time.monotonic() < deadline:
            get(port, path)
            done[n] += 1

    workers = [threading.Thread(target=client, args=(n,)) for n in range(threads)]
    began = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return sum(done) / (time.perf_counter() - began)


# -- The 200-measure report -----------------------------------------------------------------------


def big_report_publish(run: int) -> dict:
    """Import a 200-measure report (the generator's words) and take it through review to a
    published version, PDF included, as the portal does without Redis; how long it took."""
    from django.conf import settings
    from django.contrib.auth import get_user_model

    from measures.models import Agency
    from measures.services import report_import
    from publication import national
    from publication.services import (
        report_approve,
        report_open_revision,
        report_publish,
        report_submit,
    )

    settings.TASKS_INLINE = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # no one to tell
    admin = get_user_model().objects.get(username="admin")
    agency = Agency.objects.get(slug=national.agency_slug(0))
    words = national.vocabulary()
    units = list(agency.units.values_list("name", flat=True))
    _by_key, numbers = national.indicator_map([2568])
    plan = national.report_plan(
        seed=1000 + run, index=0, year=2568, measures=200, words=words,
        indicators=numbers[2568], units=units,
    )  # fmt: skip
    plan["layout"] = "by_indicator"
    plan["agency"] = {
        "slug": agency.slug,
        "name": agency.name,
        "short_name": agency.short_name,
        "kind": agency.kind,
        "subdistrict": agency.subdistrict,
        "district": agency.district.name if agency.district else "",
        "province": agency.province.name,
        "units": units,
    }
    plan["measures"] = [
        {**m, "period": {**m["period"], "start": str(m["period"]["start"]),
                         "end": str(m["period"]["end"])},
         "budget_planned": None if m["budget_planned"] is None else int(m["budget_planned"])}
        for m in plan["measures"]
    ]  # fmt: skip
    plan["format"] = "ita-portal/report@1"
    report = agency.reports.get(fiscal_year__year=2568)
    if report.state == report.State.PUBLISHED:
        report_open_revision(report=report, user=admin)
    began = time.perf_counter()
    report = report_import(data=plan)
    imported = time.perf_counter()
    report_submit(report=report, user=admin, reason="bench")
    report_approve(report=report, user=admin, reason="bench")
    version = report_publish(report=report, user=admin)
    end = time.perf_counter()
    # Where the PDF renders after the answer (a background task), wait for it to be stored.
    while not version.pdf and time.perf_counter() - end < 600:
        time.sleep(0.5)
        version.refresh_from_db(fields=["pdf"])
    return {
        "import_s": round(imported - began, 2),
        "publish_s": round(end - imported, 2),
        "pdf_s": round(time.perf_counter() - imported, 2),
        "path": f"/{agency.slug}/2568/",
        "version": version.number,
    }


# -- One run --------------------------------------------------------------------------------------


def measure(port: int, args, static_path: str, pdf_path: str, page_path: str) -> dict:
    word = quote(WORD)
    catalogue = json.loads(
        http_body(port, "/api/v1/reports/?page=1")
    )  # the count gives the last page
    last = max(1, -(-catalogue["count"] // 50))
    count = args.requests
    found = {
        "search": timed(port, f"/search/?q={word}", count),
        "api_search": timed(port, f"/api/v1/search/?q={word}", count),
        "catalogue_first": timed(port, "/api/v1/reports/?page=1", count),
        "catalogue_last": timed(port, f"/api/v1/reports/?page={last}", count),
        # Pages no one asked for since the last publication (a year of its own each run).
        "catalogue_new": crawled(port, f"/api/v1/reports/?year={2566 - args.run}", count),
        "home": timed(port, "/", count),
        "browse": timed(port, "/browse/", count),
    }
    published = big_report_publish(args.run)
    found["publish_200"] = published
    found["report_200"] = timed(port, published["path"], count)
    found["csv_year"] = first_byte(port, "/api/v1/measures.csv?year=2568")
    pdf, static = throughput(port, pdf_path), throughput(port, static_path)
    page, trivial = throughput(port, page_path), throughput(port, "/bench-trivial/")
    found["pdf_vs_static"] = {"pdf_rps": round(pdf, 1), "static_rps": round(static, 1),
                              "ratio": round(pdf / static, 3)}  # fmt: skip
    found["page_vs_trivial"] = {"page_rps": round(page, 1), "trivial_rps": round(trivial, 1),
                                "ratio": round(page / trivial, 3)}  # fmt: skip
    return found


def http_body(port: int, path: str) -> str:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    connection.request("GET", path)
    body = connection.getresponse().read().decode()
    connection.close()
    return body


# -- Main -----------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, choices=(100, 10, 1), default=100)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--media-root", default=None)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--reuse", action="store_true", help="keep the database as it is")
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args()
    args.database_url = args.database_url or (
        f"postgres://postgres@127.0.0.1:5432/ita_nat_{'full' if args.scale == 1 else args.scale}"
    )
    command = f"make bench-national SCALE={args.scale}"
    options = f"--runs {args.runs} --requests {args.requests} --write-docs"
    if args.reuse:  # the data was generated by an earlier run of the same command
        options = "--reuse " + options
    command += f' NATIONAL_ARGS="{options}"'
    workdir = Path(tempfile.mkdtemp(prefix="ita-bench-national-"))
    env = bench_env(args, workdir)
    made = prepare(args, env)
    manage(env, "collectstatic", "--no-input")
    os.environ.update(env)
    sys.path[:0] = [str(workdir), str(ROOT)]
    import django

    django.setup()
    from publication.models import PublishedVersion

    sample = (
        PublishedVersion.objects.exclude(pdf="")
        .filter(report__agency__slug__startswith="nat-")
        .select_related("report__agency", "report__fiscal_year")
        .order_by("pk")[0]
    )
    (Path(env["BENCH_STATIC_ROOT"]) / "same-size.pdf").write_bytes(sample.pdf.read())
    slug, year = sample.report.agency.slug, sample.report.fiscal_year.year
    pdf_path, page_path = f"/{slug}/{year}/v1.pdf", f"/{slug}/{year}/v1/"

    port = free_port()
    server = gunicorn_start(env, workdir, port, args.workers)
    runs, load_before = [], round(os.getloadavg()[0], 1)
    try:
        for run in range(args.runs):
            args.run = run
            print(f"Run {run + 1}/{args.runs} at {SCALE_NAMES[args.scale]} …", file=sys.stderr)
            runs.append(measure(port, args, "/static/same-size.pdf", pdf_path, page_path))
    finally:
        server.terminate()
        try:
            server.wait(60)
        except subprocess.TimeoutExpired:  # a loaded machine: its workers had not finished
            server.kill()
            server.wait()
    found = sizes(args)
    result = {
        "cells": column(runs),
        "sizes": found,
        "runs": runs,
        "command": command,
        "date": time.strftime("%Y-%m-%d", time.gmtime()),
        "load": [load_before, round(os.getloadavg()[0], 1)],
        "runs_count": args.runs,
        "requests": args.requests,
        "generate": (
            f"{made['generate_s']:,.0f} s ({found['agencies'] * 5 / made['generate_s']:.1f}/s)"
            + (f"; packing the closed years {made['pack_s']:,.0f} s" if "pack_s" in made else "")
            if "generate_s" in made
            else "(reused)"
        ),
    }
    print(json.dumps(result, ensure_ascii=False, indent=1))
    if args.write_docs:
        results = docs_results()
        results[str(args.scale)] = result
        docs_write(results, section(results))
    print(table({str(args.scale): result}))


if __name__ == "__main__":
    main()
