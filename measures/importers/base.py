"""What every importer module shares: the result, the error and the limits on the input."""

from dataclasses import dataclass, field

MAX_CELL_CHARS = 30_000
MAX_TEXT_CHARS = 5_000_000
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_ROWS = 20_000
# Zip containers (.docx, .xlsx) are checked before any library opens them: a few hundred
# kilobytes can expand to gigabytes.
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
MAX_ZIP_MEMBERS = 2_000


class ReportImportError(Exception):
    """The input cannot be read at all. The message is for the user (Thai)."""


@dataclass
class ImportResult:
    measures: list[dict] = field(default_factory=list)
    indicator_progress: list[dict] = field(default_factory=list)
    issue_groups: list[dict] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    # Each period moved into the report's fiscal year (importers.years), for the preview to list.
    moves: list[str] = field(default_factory=list)
