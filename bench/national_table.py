"""bench/national.py's table: the median of the runs with their spread, at each scale, in its
own section of docs/benchmarks.md (the other scales' columns and the notes written by hand are
kept)."""

import json
import re
import statistics
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SECTION = "## National scale: every public answer at 1/100, 1/10 and full scale"
SCALE_NAMES = {100: "1/100", 10: "1/10", 1: "full"}
NOTES = "<!-- national-notes: written by hand, kept when the table is written again -->"


# -- The table ------------------------------------------------------------------------------------

ROWS = [
    ("search “ร้องเรียน” (page), p50 / p95 ms", "search"),
    ("API search, p50 / p95 ms", "api_search"),
    ("catalogue first page (API), p50 / p95 ms", "catalogue_first"),
    ("catalogue last page (API), p50 / p95 ms", "catalogue_last"),
    (
        "catalogue pages asked for the first time (API, following next), p50 / p95 ms",
        "catalogue_new",
    ),  # fmt: skip
    ("home, p50 / p95 ms", "home"),
    ("browse, p50 / p95 ms", "browse"),
    ("report page, 200 measures, p50 / p95 ms", "report_200"),
]


def _spread(values: list[float], digits: int = 0) -> str:
    middle = statistics.median(values)
    fmt = f"{{:,.{digits}f}}"
    if len(values) == 1:
        return fmt.format(middle)
    return f"{fmt.format(middle)} ({fmt.format(min(values))}–{fmt.format(max(values))})"


def column(runs: list[dict]) -> dict:
    """Each row's median of the runs, with their spread."""
    cells = {}
    for _label, key in ROWS:
        p50 = _spread([run[key]["p50"] for run in runs])
        p95 = _spread([run[key]["p95"] for run in runs])
        cells[key] = f"{p50} / {p95}"
    csv = [run["csv_year"] for run in runs]
    cells["csv_year"] = (
        f"{_spread([c['total_ms'] for c in csv])} ms ({csv[0]['mb']} MB), first byte "
        f"{_spread([c['first_byte_ms'] for c in csv])} ms"
    )
    cells["pdf_vs_static"] = _spread([r["pdf_vs_static"]["ratio"] for r in runs], 2) + "×"
    cells["page_vs_trivial"] = _spread([r["page_vs_trivial"]["ratio"] for r in runs], 2) + "×"
    published = [r["publish_200"] for r in runs]
    cells["publish_200"] = (
        _spread([p["publish_s"] for p in published], 1)
        + " s; PDF stored after "
        + _spread([p.get("pdf_s", p["publish_s"]) for p in published], 1)
        + " s"
    )
    return cells


TABLE_ROWS = ROWS + [
    ("measures CSV of 2568 (API): total (size), first byte", "csv_year"),
    ("published PDF ÷ static file of the same size, throughput", "pdf_vs_static"),
    ("cached report page ÷ trivial view, throughput", "page_vs_trivial"),
    ("publishing a 200-measure report: submit, approve, publish (no Redis)", "publish_200"),
]


def table(results: dict) -> str:
    scales = [s for s in (100, 10, 1) if str(s) in results]
    lines = [
        "| what | " + " | ".join(SCALE_NAMES[s] for s in scales) + " |",
        "| --- | " + " | ".join("---:" for _ in scales) + " |",
    ]
    for label, key in TABLE_ROWS:
        cells = [results[str(s)]["cells"].get(key, "—") for s in scales]  # a row added since
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    data = "{agencies:,} / {versions:,} / {search_entries:,} / {database_mb:,} MB"
    made = [data.format(**results[str(s)]["sizes"]) for s in scales]
    lines.append(
        "| data: agencies / versions / search entries / database | " + " | ".join(made) + " |"
    )
    took = [results[str(s)].get("generate", "—") for s in scales]
    lines.append(
        "| generating it (`generate_national --jobs 2`), versions/s; packing | "
        + " | ".join(took)
        + " |"
    )
    return "\n".join(lines)


def section(results: dict) -> str:
    """The docs' section: how it was measured, at each scale, then the table."""
    lines = [
        "Every public answer at three sizes of the country, each agency with a report of 12",
        "measures for each fiscal year 2564–2568 (`generate_national`: the seeds' own words; 5",
        "PDFs rendered, the other versions sharing them). gunicorn with 2 sync workers and",
        "PostgreSQL on loopback, on the 2-core machine the project is built on; --requests",
        "sequential requests per row on new connections, each cell the median of the runs",
        "(spread min–max in brackets). Throughput: 2 client threads for 5 s on each address,",
        "one after the other. Publishing runs in the benchmark's own process without Redis, as",
        "`make run` does; the time until its PDF is stored is measured too. Those years are all",
        "closed by 2570: their reports are packed as the nightly task packs them",
        "(`pack_closed_reports`: the measures' lines kept only in the published version), and",
        "the database compacted once (VACUUM FULL) before its size is read.",
        "",
    ]
    for scale in (100, 10, 1):
        result = results.get(str(scale))
        if result:
            load = result.get("load", ["?", "?"])
            lines.append(
                f"- {SCALE_NAMES[scale]}: `{result['command']}` on {result.get('date', '?')}, "
                f"{result.get('runs_count', 3)} runs × {result.get('requests', '?')} requests; "
                f"1-minute load average {load[0]} before, {load[1]} after (other work shared "
                "the machine)."
            )
    return "\n".join(lines) + "\n\n" + table(results) + "\n"


def docs_write(results: dict, section_text: str) -> None:
    path = ROOT / "docs" / "benchmarks.md"
    text = path.read_text()
    block = f"{SECTION}\n\n{section_text}\n<!-- national-results {json.dumps(results)} -->\n"
    if SECTION in text:
        start = text.index(SECTION)
        after = re.search(r"^## ", text[start + len(SECTION) :], re.MULTILINE)
        end = start + len(SECTION) + after.start() if after else len(text)
        notes = text[start:end].find(NOTES)  # what people wrote under the table stays
        if notes != -1:
            block += "\n" + text[start + notes : end].rstrip("\n") + "\n"
        text = text[:start] + block + ("\n" if after else "") + text[end:]
    else:
        text = text.rstrip("\n") + "\n\n" + block
    path.write_text(text)


def docs_results() -> dict:
    text = (ROOT / "docs" / "benchmarks.md").read_text()
    found = re.search(r"<!-- national-results (.*) -->", text)
    return json.loads(found.group(1)) if found else {}
