"""A worker renders PDFs all day: its memory must not grow with the number of documents."""

import os

from reports.rendering import PDF_STATIC_BASE, html_pdf, print_html

RENDERS = 100


def _rss_mb() -> float:
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith("VmRSS:"))
    return int(line.split()[1]) / 1024


def _growth_in_a_child() -> float:
    """Rendered in a forked child, so that nothing else in the test process moves the figure."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            html = print_html(
                "<h1>รายงานผลการดำเนินการ</h1><p>มาตรการส่งเสริมคุณธรรม ๑๒๓</p>",
                orientation="portrait",
                digits="thai",
                title="ทดสอบ",
                author="หน่วยงาน",
                static_base=PDF_STATIC_BASE,
            )
            for _ in range(20):  # warm-up: caches fill once
                html_pdf(html, identifier="memory")
            start = _rss_mb()
            for _ in range(RENDERS):
                html_pdf(html, identifier="memory")
            os.write(write, str(_rss_mb() - start).encode())
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read) as pipe:
        growth = float(pipe.read())
    os.waitpid(pid, 0)
    return growth


def test_rendering_many_pdfs_does_not_grow_the_worker():
    # Each new font configuration kept ~0.2 MB of native memory: 100 renders grew ~20 MB.
    assert _growth_in_a_child() < 6.0
