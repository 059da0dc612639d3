"""The demo data: the ITA framework of the years the notes record, the five seed reports, and this
year's cycle of each demo agency, in the report data format (docs/report-format.md). `load_demo`
loads them."""

import json
from pathlib import Path

DEMO_DIR = Path(__file__).resolve().parent


def demo_framework() -> dict:
    return json.loads((DEMO_DIR / "framework.json").read_text(encoding="utf-8"))


def demo_reports() -> list[dict]:
    return [
        json.loads(path.read_text(encoding="utf-8"))
        for path in sorted((DEMO_DIR / "reports").glob("*.json"))
    ]


def demo_cycle_reports() -> list[dict]:
    """This year's cycle for each demo agency (cycle/*.json): each file says what is invented."""
    return [
        json.loads(path.read_text(encoding="utf-8"))["report"]
        for path in sorted((DEMO_DIR / "cycle").glob("*.json"))
    ]
