"""The log's formats: on the console, one line for a refused request and the traceback only
for a 5xx; in JSON (LOG_FORMAT=json), one object a line carrying its request's id."""

import contextvars
import json
import logging
import re
import time
import uuid
from datetime import UTC, datetime


class ConsoleFormatter(logging.Formatter):
    """Django logs every 4xx it answers from an exception (403, 404, 400) with that exception;
    its traceback says nothing about the portal, only that someone was refused."""

    def format(self, record: logging.LogRecord) -> str:
        if record.exc_info and getattr(record, "status_code", 500) < 500:
            # A copy: other handlers (a test's capture, an error tracker) keep the exception.
            record = logging.makeLogRecord({**record.__dict__, "exc_info": None, "exc_text": None})
        return super().format(record)


# Structured logs (LOG_FORMAT=json): one JSON object a line, each carrying the request it was
# written for, so that an operator follows one request across the web servers' merged logs.
# The request being answered in this thread (or task): its id and path, or None.
current_request: contextvars.ContextVar[tuple[str, str] | None] = contextvars.ContextVar(
    "ita_current_request", default=None
)
# An id from the proxy or the caller is kept only if it is short and plain: it is written into
# every log line and sent back in a header.
REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
# What a request's line adds to the common fields (RequestLogMiddleware's `extra`).
REQUEST_FIELDS = ("method", "status", "duration_ms")


def request_id_from(header: str | None) -> str:
    """The caller's X-Request-ID if it is a plain token of at most 128 characters, else a new
    one."""
    if header and REQUEST_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, request_id and path (null outside
    a request), a request line's method, status and duration, the traceback of a 5xx."""

    def format(self, record: logging.LogRecord) -> str:
        request = current_request.get()
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": request[0] if request else None,
            "path": request[1] if request else None,
        }
        entry.update({key: getattr(record, key) for key in REQUEST_FIELDS if hasattr(record, key)})
        if "status" not in entry and hasattr(record, "status_code"):
            entry["status"] = record.status_code  # Django's own lines of a refused request
        # As on the console: a refused request (4xx) is one line, without its traceback.
        if record.exc_info and getattr(record, "status_code", 500) >= 500:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class RequestLogMiddleware:
    """Gives each request an id (the caller's X-Request-ID, or a new one) that every log line
    written while answering it carries, sends it back in X-Request-ID, and logs one line for
    the request: method, path, status and duration (at INFO, on "ita_portal.request")."""

    log = logging.getLogger("ita_portal.request")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_id_from(request.headers.get("X-Request-ID"))
        request.request_id = request_id
        # Kept until the response is closed (request_forget), not only through the middleware:
        # Django logs a refused request's line after the middleware has returned.
        current_request.set((request_id, request.path))
        started = time.perf_counter()
        response = self.get_response(request)
        response["X-Request-ID"] = request_id
        self.log.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "method": request.method,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            },
        )
        return response


def request_forget(**_signal) -> None:
    """Django's request_finished: the lines written after it belong to no request."""
    current_request.set(None)
