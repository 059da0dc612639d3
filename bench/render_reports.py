"""Warm rendering speed and memory of the five seed reports, with Chromium as the peer.

    make bench            (or: .venv/bin/python bench/render_reports.py [--runs 5])

Loads the demo data into a throw-away SQLite database, renders every seed report once to warm
up, then N more times in the same process and reports the median; then prints the very same
HTML to PDF with Chromium (`chromium --headless --print-to-pdf`, one process per run, as a
server would call it). Results go to stdout as a Markdown table for docs/benchmarks.md.
"""

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def setup_django(workdir: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ita_portal.settings")
    os.environ.setdefault("DEBUG", "true")
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as quiet:
        call_command("load_demo", stdout=quiet)


def page_count(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    return int(info.split("Pages:")[1].split()[0])


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def chromium_binary() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def chromium_print(html: Path, pdf: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        [
            chromium_binary(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={pdf.parent / 'chromium-profile'}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            html.as_uri(),
        ],
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="ita-bench-"))
    setup_django(workdir)

    from django.core.management import call_command

    from measures.demo.generated import long_report_data
    from measures.models import Report
    from measures.selectors import report_documents
    from measures.services import report_import
    from reports.rendering import document_for, document_pdf

    report_import(data=long_report_data(100, slug="generated-100-measures"))
    reports = list(report_documents(Report.objects.order_by("agency__slug")))
    with open(os.devnull, "w") as quiet:
        call_command("export_reports", "--format", "html", "--output-dir", workdir, stdout=quiet)

    rss_before = peak_rss_mb()
    rows = []
    for report in reports:
        document = document_for(report)
        document_pdf(document)  # warm-up: imports, fonts, templates
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            pdf = document_pdf(document)
            times.append(time.perf_counter() - start)
        name = f"{report.agency.slug}-{report.fiscal_year.year}"
        ours = workdir / f"{name}.weasyprint.pdf"
        ours.write_bytes(pdf)
        pages = page_count(ours)
        chromium = None
        if chromium_binary():
            runs = [chromium_print(workdir / f"{name}.html", workdir / f"{name}.chromium.pdf")]
            runs += [
                chromium_print(workdir / f"{name}.html", workdir / f"{name}.chromium.pdf")
                for _ in range(max(1, args.runs // 2))
            ]
            chromium = (statistics.median(runs[1:]), page_count(workdir / f"{name}.chromium.pdf"))
        rows.append((name, report.layout, pages, statistics.median(times), chromium))

    print(f"WeasyPrint warm, median of {args.runs} runs after one warm-up; peak RSS of the")
    print(f"process {peak_rss_mb():.0f} MB ({rss_before:.0f} MB before rendering).")
    print("Chromium: a fresh `chromium --headless --print-to-pdf` per run (median), same HTML.\n")
    columns = ["report", "layout", "pages", "WeasyPrint s", "ms/page"]
    columns += ["Chromium s (pages)", "ms/page", "ratio"]
    print("| " + " | ".join(columns) + " |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, layout, pages, seconds, chromium in rows:
        peer = "–", "–", "–"
        if chromium:
            c_seconds, c_pages = chromium
            peer = (
                f"{c_seconds:.2f} ({c_pages})",
                f"{1000 * c_seconds / c_pages:.0f}",
                f"{seconds / c_seconds:.2f}×",
            )
        print(
            f"| {name} | {layout} | {pages} | {seconds:.2f} | {1000 * seconds / pages:.0f} "
            f"| {peer[0]} | {peer[1]} | {peer[2]} |"
        )
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
