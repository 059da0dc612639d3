"""deploy/nginx.conf at work, where an nginx binary exists (NGINX=/path/to/nginx, or on PATH):
before two stand-in web servers on loopback it spreads requests over both, keeps answering
when one is stopped (a rolling upgrade), sets the X-Forwarded-* headers the portal trusts,
sends plain http to https, hides /metrics, and lets an import of the portal's largest size in."""

import http.client
import http.server
import socket
import ssl
import subprocess
import threading
import time

import pytest

from measures.importers.base import MAX_UPLOAD_BYTES
from tests.deploy.test_deploy_files import nginx_binary, nginx_here

NGINX = nginx_binary()
pytestmark = pytest.mark.skipif(
    not NGINX, reason="nginx is not installed here (NGINX=/path/to/nginx to run these)"
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Web(http.server.BaseHTTPRequestHandler):
    """A web server that says who it is and remembers what the proxy sent it."""

    protocol_version = "HTTP/1.1"
    seen: list = []

    def answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        remaining = length
        while remaining:
            remaining -= len(self.rfile.read(min(remaining, 1 << 20)))
        Web.seen.append((self.server.name, self.command, self.path, dict(self.headers), length))
        body = self.server.name.encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = answer

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def proxy(tmp_path_factory):
    servers = []
    for name in ("web1", "web2"):
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Web)
        server.name = name
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
    folder = tmp_path_factory.mktemp("nginx")
    http_port, https_port = free_port(), free_port()
    conf = nginx_here(
        folder,
        web=tuple(s.server_port for s in servers),
        http=http_port,
        https=https_port,
    )
    process = subprocess.Popen(
        [NGINX, "-p", str(folder), "-c", str(conf)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    for _ in range(100):
        with socket.socket() as attempt:
            if attempt.connect_ex(("127.0.0.1", https_port)) == 0:
                break
        time.sleep(0.1)
    try:
        yield {"http": http_port, "https": https_port, "servers": servers}
    finally:
        process.terminate()
        process.wait(timeout=30)
        for server in servers:
            server.shutdown()
            server.server_close()


def request(port, method="GET", path="/", body=None, tls=True):
    context = ssl._create_unverified_context()  # the test's own certificate
    connection = (
        http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=60)
        if tls
        else http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    )
    connection.request(method, path, body=body, headers={"Host": "ita.example.go.th"})
    response = connection.getresponse()
    result = response.status, response.getheader("Location"), response.read().decode()
    connection.close()
    return result


def test_requests_go_to_both_web_servers_with_the_headers_the_portal_trusts(proxy):
    Web.seen.clear()
    answers = [request(proxy["https"], path=f"/page/{n}/") for n in range(6)]
    assert {body for _status, _location, body in answers} == {"web1", "web2"}
    _name, _method, path, headers, _length = Web.seen[0]
    assert path == "/page/0/" and headers["Host"] == "ita.example.go.th"
    assert headers["X-Forwarded-Proto"] == "https"
    assert headers["X-Forwarded-For"] == "127.0.0.1"  # the client, one hop: PROXY_COUNT=1
    assert len(headers["X-Request-ID"]) == 32  # carried into the portal's log lines


def test_a_stopped_web_server_costs_no_request(proxy):
    web1, _web2 = proxy["servers"]
    web1.shutdown()  # now refuses connections, as gunicorn stopped for an upgrade
    web1.server_close()
    Web.seen.clear()
    answers = [request(proxy["https"], path=f"/during-upgrade/{n}/") for n in range(6)]
    assert [status for status, _location, _body in answers] == [200] * 6
    assert {body for _status, _location, body in answers} == {"web2"}


def test_plain_http_goes_to_https_and_metrics_are_not_public(proxy):
    status, location, _body = request(proxy["http"], path="/agency/x/?q=1", tls=False)
    assert status == 301 and location == "https://ita.example.go.th/agency/x/?q=1"
    assert request(proxy["https"], path="/metrics")[0] == 404


def test_an_import_of_the_largest_size_reaches_the_portal_and_a_larger_one_does_not(proxy):
    Web.seen.clear()
    status, _location, _body = request(proxy["https"], "POST", "/import/", b"x" * MAX_UPLOAD_BYTES)
    assert status == 200 and Web.seen[-1][-1] == MAX_UPLOAD_BYTES
    too_large = b"x" * (30 * 1024 * 1024)
    assert request(proxy["https"], "POST", "/import/", too_large)[0] == 413


def test_the_full_health_is_answered_on_the_inside(proxy):
    # Loopback is inside; any other address is refused by nginx (its allow/deny list).
    assert request(proxy["https"], path="/health/")[0] == 200
