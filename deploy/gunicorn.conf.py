"""gunicorn's settings in the image (the Dockerfile's command); options on the command line win.

The worker count is gunicorn's own WEB_CONCURRENCY (the Dockerfile sets 2). /metrics adds up
every worker's counters (ita_portal/metrics.py) through prometheus_client's multiprocess mode:
its folder is emptied when gunicorn starts and a worker's live gauges go with the worker.
"""

import os
import shutil
from pathlib import Path

bind = "0.0.0.0:8000"
# The workers' heartbeat files on memory: a container's disk may be slow, or read-only.
worker_tmp_dir = "/dev/shm"
timeout = 60
# On SIGTERM (a rolling upgrade, docs/deploy.md) requests under way get this long to finish.
graceful_timeout = 30
# A worker is replaced after about 1,000 requests: the native memory WeasyPrint keeps after
# live PDFs (docs/benchmarks.md) cannot grow without bound.
max_requests = 1000
max_requests_jitter = 100
# Only the proxy reaches the port (compose.yaml): the X-Forwarded-* headers come from it, and
# Django's PROXY_COUNT says which hop of X-Forwarded-For is the client.
forwarded_allow_ips = "*"
control_socket_disable = True

# Set here, not in the image, so that only gunicorn's processes (not Celery's) use the folder.
os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", "/tmp/ita-portal-prometheus")


def on_starting(server):
    folder = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])
    shutil.rmtree(folder, ignore_errors=True)  # the counts of a previous run, if any
    folder.mkdir(parents=True)


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
