"""The container's health probe (the Dockerfile's HEALTHCHECK): GET /health/web/ from this
container's gunicorn the way the proxy asks for it. The image has no curl.

Django answers only for a name in ALLOWED_HOSTS and, behind the proxy (PROXY_COUNT), redirects
plain http to https unless X-Forwarded-Proto says https: the probe sends both, as nginx does.
Healthy is a 200 and nothing else (a redirect or a 503 is not).

    python deploy/healthcheck.py [PORT]      (8000 by default: the image's gunicorn)
"""

import http.client
import os
import sys


def probe_host() -> str:
    """The first concrete name in ALLOWED_HOSTS (".example.org" also allows example.org)."""
    for name in os.environ.get("ALLOWED_HOSTS", "").split(","):
        name = name.strip().lstrip(".")
        if name and "*" not in name:
            return name
    return "localhost"


def main(argv: list[str]) -> int:
    port = int(argv[1]) if len(argv) > 1 else 8000
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request(
            "GET", "/health/web/", headers={"Host": probe_host(), "X-Forwarded-Proto": "https"}
        )
        status = connection.getresponse().status
    except OSError as error:
        print(f"unhealthy: {error}", file=sys.stderr)
        return 1
    finally:
        connection.close()
    if status != 200:
        print(f"unhealthy: /health/web/ answered {status}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
