"""Publishing a long report: the time until the staff's response, and until its PDF is stored.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/SCRATCH \\
        .venv/bin/python bench/publish_background.py [--measures 200] [--runs 3]

Migrates the database it is given (use a scratch one: each run adds an agency and its report),
imports a report of N measures (measures.demo.generated), approves it, and publishes it through
the staff's own form (the test client, in this process, as in the embedded default). It prints,
for each run, the seconds until the response, until the PDF is stored, what the public PDF
address answered meanwhile, and the PDF's pages.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ita_portal.settings")
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="ita-bench-media-"))
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def one_run(measures: int, admin) -> dict:
    import json

    from django.test import Client

    from measures.demo.generated import long_report_data
    from measures.models import FiscalYear, Report
    from measures.services import framework_load, report_import
    from publication.models import PublishedVersion

    if not FiscalYear.objects.filter(year=2568).exists():
        framework = ROOT / "measures" / "demo" / "framework.json"
        framework_load(data=json.loads(framework.read_text()))
    slug = f"bench-{uuid.uuid4().hex[:8]}"
    report = report_import(data=long_report_data(measures, slug=slug))
    Report.objects.filter(pk=report.pk).update(state=Report.State.APPROVED)
    client = Client()
    client.force_login(admin)

    start = time.perf_counter()
    response = client.post(f"/staff/reports/{report.pk}/transition/", {"action": "publish"})
    answered = time.perf_counter() - start
    assert response.status_code == 302, response.status_code
    version = PublishedVersion.objects.get(report=report)
    meanwhile = client.get(f"/{slug}/2568/v1.pdf")
    while not PublishedVersion.objects.filter(pk=version.pk).exclude(pdf="").exists():
        time.sleep(0.1)
    stored = time.perf_counter() - start
    version.refresh_from_db()
    pdf = version.pdf.read()
    return {
        "response_s": answered,
        "pdf_stored_s": stored,
        "pdf_address_meanwhile": f"{meanwhile.status_code} Retry-After "
        f"{meanwhile.get('Retry-After', '-')}",
        "pages": _pages(pdf),
    }


def _pages(pdf: bytes) -> int:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf)
        file.flush()
        info = subprocess.run(["pdfinfo", file.name], capture_output=True, text=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--measures", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    setup_django()
    from django.contrib.auth import get_user_model

    admin, _created = get_user_model().objects.get_or_create(
        username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    runs = []
    for number in range(1, args.runs + 1):
        result = one_run(args.measures, admin)
        runs.append(result)
        print(
            f"run {number}: "
            + ", ".join(
                f"{k} {v:.2f}" if isinstance(v, float) else f"{k} {v}" for k, v in result.items()
            ),
            flush=True,
        )
    for key in ("response_s", "pdf_stored_s"):
        values = [run[key] for run in runs]
        print(
            f"{key}: median {statistics.median(values):.2f} (min {min(values):.2f}, "
            f"max {max(values):.2f})"
        )


if __name__ == "__main__":
    main()
