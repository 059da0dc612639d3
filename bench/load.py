"""Mixed load on gunicorn and PostgreSQL: readers, editors and a reviewer, for a bounded time.

    make bench-load   (or: .venv/bin/python bench/load.py [--seconds 120] [--readers 10]
                       [--editors 4] [--workers 2] [--database-url postgres://…/ita_bench_load])

Drops and recreates its own PostgreSQL database, migrates, runs `load_demo`, collects the
static files into a temporary folder, and starts `gunicorn ita_portal.wsgi` with DEBUG=false on
a free loopback port (plain HTTP, so the HTTPS-only settings are switched off explicitly; no
REDIS_URL, so tasks run inline in the worker). Then, for --seconds, closed-loop client threads
(no think time) use the portal as people do, over new connections and with their own cookies:

- readers fetch public pages, stored PDFs, JSON/CSV/XLSX, search and the API (URLs from the API);
- editors log in once through the login form, open a measure of their agency's draft report,
  preview it now and then, and save it with a changed target (one editor per measure);
- the reviewer takes one report around the review loop: its editor submits, the reviewer reads
  the queue, the report and its preview, approves, fetches the approval memo, returns it.

Every status other than the expected one is an error. At the end it checks in the database that
each acknowledged save (302) left exactly one history row and that each measure holds the last
value saved, and that each acknowledged transition left one Transition row. Prints a Markdown
table and a JSON summary; exits 1 on any error. Uses only the standard library, psycopg2 and the
project's own code; the client threads share one process, on the same machine as the server.
"""

import argparse
import http.client
import json
import math
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from load_clients import Recorder, Session, editor, reader, reviewer

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/ita_bench_load"
# Production settings meant for a TLS proxy, opted out explicitly for plain HTTP on loopback.
LOOPBACK_HTTP = {
    "PROXY_COUNT": "0",  # the clients connect directly
    "SECURE_SSL_REDIRECT": "false",
    "SECURE_HSTS_SECONDS": "0",
    "SESSION_COOKIE_SECURE": "false",
    "CSRF_COOKIE_SECURE": "false",
}
SEARCH_WORDS = ["ทุจริต", "เปิดเผยข้อมูล", "จัดซื้อจัดจ้าง", "ร้องเรียน", "คุณธรรม", "ประชาชน", "xyzzy"]


# -- Server ---------------------------------------------------------------------------------------


def server_env(database_url: str, workdir: Path) -> dict:
    # STATIC_ROOT is not read from the environment: a one-line overlay keeps collectstatic out of
    # the project folder; everything else is ita_portal.settings as deployed.
    (workdir / "bench_load_settings.py").write_text(
        "import os\nfrom pathlib import Path\n\n"
        "from ita_portal.settings import *  # noqa: F403\n\n"
        "STATIC_ROOT = Path(os.environ['BENCH_STATIC_ROOT'])\n"
    )
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="bench_load_settings",
        PYTHONPATH=f"{workdir}{os.pathsep}{ROOT}",
        BENCH_STATIC_ROOT=str(workdir / "static"),
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=database_url,
        MEDIA_ROOT=str(workdir / "media"),
        REDIS_URL="",  # empty, not absent, so that a .env cannot set it: tasks run inline
        LOG_LEVEL="WARNING",
        **LOOPBACK_HTTP,
    )
    return env


def database_recreate(database_url: str) -> None:
    import psycopg2

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    connection = psycopg2.connect(database_url.replace(parts.path, "/postgres", 1))
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


def manage(env: dict, *args: str) -> None:
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True
    )
    if done.returncode:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{done.stderr.decode()[-3000:]}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def workers_of(master: int) -> list[int]:
    pids = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            if f"\nPPid:\t{master}\n" in status.read_text():
                pids.append(int(status.parent.name))
        except OSError:
            pass
    return sorted(pids)


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def memory(master: int) -> dict:
    return {pid: rss_mb(pid) for pid in workers_of(master)}


# -- The plan, from the demo data -----------------------------------------------------------------


def reader_urls(session: Session) -> dict:
    """Every public address of the demo, as the API lists them."""

    def path(url: str) -> str:
        return urlsplit(url).path

    reports = json.loads(session.request("warm-up", "GET", "/api/v1/reports/")[2])["results"]
    documents = json.loads(session.request("warm-up", "GET", "/api/v1/documents/")[2])["results"]
    urls = {
        "page": ["/", "/browse/", "/overview/", "/api/"],
        "data": [],
        "pdf": [path(d["pdf"]) for d in documents],
        "search": [f"/search/?{urlencode({'q': word})}" for word in SEARCH_WORDS],
        "api": ["/api/v1/reports/", "/api/v1/documents/"]
        + [f"/api/v1/search/?{urlencode({'q': word})}" for word in SEARCH_WORDS],
    }
    urls["page"] += [path(d["html"]) for d in documents]
    for report in reports:
        agency, year = report["agency"]["slug"], report["fiscal_year"]
        urls["page"] += [
            f"/browse/{report['agency']['province']['slug']}/",
            f"/{agency}/",
            path(report["html"]),
            f"/{agency}/{year}/compare/",
        ]
        urls["data"] += [path(report["json"]), f"/{agency}/{year}.csv", f"/{agency}/{year}.xlsx"]
        urls["pdf"].append(path(report["pdf"]))
        urls["api"] += [path(report["api"]), f"/api/v1/measures.csv?year={year}"]
        for version in report["versions"]:
            urls["page"].append(path(version["html"]))
            urls["pdf"].append(path(version["pdf"]))
            urls["api"].append(path(version["api"]))
            n = version["number"]
            urls["data"] += [
                path(version["json"]),
                f"/{agency}/{year}/v{n}.csv",
                f"/{agency}/{year}/v{n}.xlsx",
            ]
    return {kind: sorted(set(paths)) for kind, paths in urls.items()}


def people(editors: int) -> tuple[list, dict]:
    """One editor thread per measure set of the agencies' draft reports; the last agency's
    draft goes round the review loop with its editor and a reviewer of its province."""
    from accounts.models import Membership
    from accounts.permissions import reviewers_of
    from measures.models import Report

    drafts = list(
        Report.objects.filter(state=Report.State.DRAFT, measures__isnull=False)
        .distinct()
        .select_related("agency")
        .order_by("agency__slug")
    )
    last = drafts.pop()

    def editor_of(report):
        return (
            Membership.objects.filter(agency=report.agency, role=Membership.Role.EDITOR)
            .first()
            .user.username
        )

    review = {
        "report": last.pk,
        "editor": editor_of(last),
        "reviewer": reviewers_of(last.agency).filter(is_superuser=False).first().username,
    }
    threads = []
    for report in drafts:
        sharing = len(range(drafts.index(report), editors, len(drafts)))
        measures = list(report.measures.order_by("position").values_list("pk", flat=True))
        for k in range(sharing):
            if measures[k::sharing]:
                threads.append(
                    {
                        "username": editor_of(report),
                        "report": report.pk,
                        "measures": measures[k::sharing],
                    }
                )
    for tag, person in enumerate(threads, 1):
        person["tag"] = tag
    return threads, review


# -- The run --------------------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return round(ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)], 1)


def summary(recorder: Recorder, elapsed: float) -> dict:
    kinds = {}
    for kind in sorted(recorder.times):
        times = recorder.times[kind]
        kinds[kind] = {
            "requests": len(times),
            "rps": round(len(times) / elapsed, 2),
            "p50_ms": percentile(times, 50),
            "p95_ms": percentile(times, 95),
            "p99_ms": percentile(times, 99),
            "errors": recorder.errors[kind],
        }
    every = [t for times in recorder.times.values() for t in times]
    kinds["all"] = {
        "requests": len(every),
        "rps": round(len(every) / elapsed, 2),
        "p50_ms": percentile(every, 50),
        "p95_ms": percentile(every, 95),
        "p99_ms": percentile(every, 99),
        "errors": sum(recorder.errors.values()),
    }
    return kinds


def gunicorn_start(env: dict, workdir: Path, port: int, workers: int) -> subprocess.Popen:
    log = open(workdir / "gunicorn.log", "wb")  # noqa: SIM115 (open for the server's life)
    command = [VENV_BIN / "gunicorn", "ita_portal.wsgi", "--workers", str(workers)]
    # No control socket: its default path is one per user, shared with any other gunicorn.
    command += ["--bind", f"127.0.0.1:{port}", "--no-control-socket"]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    status = None
    for _ in range(300):
        time.sleep(0.2)
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            connection.request("GET", "/")
            status = connection.getresponse().status
        except OSError:
            continue
        if status == 200:
            return server
    server.terminate()
    raise SystemExit(f"gunicorn answered {status} to /; see {workdir / 'gunicorn.log'}")


def prepare(args) -> tuple[dict, Path]:
    workdir = Path(tempfile.mkdtemp(prefix="ita-bench-load-"))
    env = server_env(args.database_url, workdir)
    print(f"Preparing {args.database_url} and {workdir} …", file=sys.stderr)
    database_recreate(args.database_url)
    manage(env, "migrate")
    manage(env, "load_demo")
    manage(env, "collectstatic", "--no-input")
    os.environ.update(env)
    sys.path[:0] = [str(workdir), str(ROOT)]
    import django

    django.setup()
    return env, workdir


def clients(args, port: int, urls: dict, editors: list, review: dict, saved: list) -> tuple:
    """Every client thread, and the sampler of the workers' memory, until the deadline."""
    from publication.management.commands.load_demo import DEMO_PASSWORD

    recorder, deadline = Recorder(), time.monotonic() + args.seconds
    threads = [
        threading.Thread(target=reader, args=(Session(port, recorder), urls, n, deadline))
        for n in range(args.readers)
    ]
    threads += [
        threading.Thread(
            target=editor, args=(Session(port, recorder), person, DEMO_PASSWORD, deadline, box)
        )
        for person, box in zip(editors, saved, strict=True)
    ]
    sessions = (Session(port, recorder), Session(port, recorder))
    threads.append(
        threading.Thread(target=reviewer, args=(*sessions, review, DEMO_PASSWORD, deadline))
    )
    print(f"Running {len(threads)} clients for {args.seconds:g} s on :{port} …", file=sys.stderr)
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    return recorder, began, threads


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--readers", type=int, default=10)
    parser.add_argument("--editors", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--database-url", default=DEFAULT_DB, help="dropped and recreated")
    args = parser.parse_args()
    env, workdir = prepare(args)
    from django.db import connections

    from measures.models import Change, Measure
    from publication.models import Transition

    editors, review = people(args.editors)
    usernames = {person["username"] for person in editors}
    updates = Change.objects.filter(action=Change.Action.UPDATED, user__username__in=usernames)
    transitions = Transition.objects.filter(report_id=review["report"])
    updates_before, transitions_before = updates.count(), transitions.count()
    connections.close_all()

    port = free_port()
    server = gunicorn_start(env, workdir, port, args.workers)
    rss = {"boot": memory(server.pid)}
    warm, alone = Recorder(), Recorder()
    urls = reader_urls(Session(port, warm))
    for recorder, label in ((warm, "warm-up"), (alone, "read {}")):
        # Every address once to warm up, then once more alone: the time without a queue.
        for kind, paths in urls.items():
            for path in paths:
                Session(port, recorder).request(label.format(kind), "GET", path)
    rss["start"] = memory(server.pid)
    load_start = os.getloadavg()[0]
    saved = [{} for _ in editors]
    recorder, began, threads = clients(args, port, urls, editors, review, saved)
    rss["during"] = []
    for quarter in (1, 2, 3):
        time.sleep(max(0, began + quarter * args.seconds / 4 - time.perf_counter()))
        rss["during"].append(memory(server.pid))
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    rss["end"] = memory(server.pid)
    load_end = os.getloadavg()[0]
    server.terminate()
    server.wait(timeout=60)

    saves, acknowledged = recorder.acknowledged["saves"], recorder.acknowledged["transitions"]
    lost = [
        measure
        for box in saved
        for measure, marker in box.items()
        if not Measure.objects.get(pk=measure).target.endswith(marker)
    ]
    log = (workdir / "gunicorn.log").read_text(errors="replace")
    kinds = summary(recorder, elapsed)
    for kind, row in kinds.items():
        row["alone_p50_ms"] = percentile(alone.times[kind], 50) if alone.times[kind] else None
    result = {
        "seconds": round(elapsed, 1),
        "clients": {"readers": args.readers, "editors": len(editors), "reviewers": 1},
        "gunicorn_workers": args.workers,
        "reader_addresses": {kind: len(paths) for kind, paths in urls.items()},
        "cpus": os.cpu_count(),
        "load_average_1min": {"start": load_start, "end": load_end},
        "kinds": kinds,
        "saves_acknowledged": saves,
        "history_rows": updates.count() - updates_before,
        "measures_missing_their_last_save": lost,
        "transitions_acknowledged": acknowledged,
        "transition_rows": transitions.count() - transitions_before,
        "worker_rss_mb": rss,
        "workers_replaced": sorted(rss["start"]) != sorted(rss["end"]),
        "log": {
            "tracebacks": log.count("Traceback"),
            "error_lines": len(re.findall(r"^ERROR |\[ERROR\]", log, re.MULTILINE)),
            "worker_timeouts": log.count("WORKER TIMEOUT"),
        },
        "warm_up_errors": warm.samples + alone.samples,
        "error_samples": recorder.samples,
    }
    print(report_markdown(result))
    print("\n```json\n" + json.dumps(result, indent=1, ensure_ascii=False) + "\n```")
    failed = (
        kinds["all"]["errors"]
        or result["warm_up_errors"]
        or saves != result["history_rows"]
        or lost
        or acknowledged != result["transition_rows"]
        or result["workers_replaced"]
        or result["log"]["tracebacks"]
        or result["log"]["error_lines"]
    )
    if failed:
        print(f"FAILED; the server's log is {workdir / 'gunicorn.log'}", file=sys.stderr)
        sys.exit(1)
    shutil.rmtree(workdir)  # the database stays, for a look; the next run drops it


def report_markdown(result: dict) -> str:
    lines = [
        "| kind | requests | req/s | p50 ms | p95 ms | p99 ms | errors | alone, p50 ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for kind, row in result["kinds"].items():
        name = f"**{kind}**" if kind == "all" else kind
        alone = "–" if row["alone_p50_ms"] is None else f"{row['alone_p50_ms']:.0f}"
        lines.append(
            f"| {name} | {row['requests']} | {row['rps']} | {row['p50_ms']:.0f} | "
            f"{row['p95_ms']:.0f} | {row['p99_ms']:.0f} | {row['errors']} | {alone} |"
        )
    rss = result["worker_rss_mb"]
    lines += [
        "",
        f"- saves acknowledged (302): {result['saves_acknowledged']}; history rows written: "
        f"{result['history_rows']}; measures missing their last save: "
        f"{len(result['measures_missing_their_last_save'])}",
        f"- transitions acknowledged: {result['transitions_acknowledged']}; Transition rows "
        f"written: {result['transition_rows']}",
    ]
    for n, pid in enumerate(rss["start"], 1):
        during = " → ".join(str(sample.get(pid, "gone")) for sample in rss["during"])
        lines.append(
            f"- worker {n} RSS MB: boot {rss['boot'].get(pid, '–')}, start {rss['start'][pid]}, "
            f"at ¼ ½ ¾ of the run {during}, end {rss['end'].get(pid, 'gone')}"
        )
    lines.append(
        f"- the server's log: {result['log']['tracebacks']} tracebacks, "
        f"{result['log']['error_lines']} ERROR lines; worker timeouts: "
        f"{result['log']['worker_timeouts']}; workers replaced: {result['workers_replaced']}"
    )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
