"""The console log's format: one line for a refused request, the traceback only for a 5xx."""

import logging


class ConsoleFormatter(logging.Formatter):
    """Django logs every 4xx it answers from an exception (403, 404, 400) with that exception;
    its traceback says nothing about the portal, only that someone was refused."""

    def format(self, record: logging.LogRecord) -> str:
        if record.exc_info and getattr(record, "status_code", 500) < 500:
            # A copy: other handlers (a test's capture, an error tracker) keep the exception.
            record = logging.makeLogRecord({**record.__dict__, "exc_info": None, "exc_text": None})
        return super().format(record)
