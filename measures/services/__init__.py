"""Writes: loading the ITA framework, importing reports, and staff's edits with their history.

Each service is ``<thing>_<verb>(*, ...)`` and runs in a transaction. The modules, each importing
only those before it:

- ``base``: validated saves, upserts by natural key, recording a Change, and the report's row
  lock with the check of its state that every write to a report's content takes first;
- ``framework``: ``framework_load``, opening a fiscal year from the one before;
- ``reports``: agencies, assessment results and reports from the report data format (an upsert:
  importing the same document twice leaves the database as it was), and creating and editing a
  report, rolled forward from the year before or blank;
- ``editing``: staff's edits of measures, each recorded, and ``EditConflict``;
- ``imports``: measures read from an agency's own file (``measures.importers``) into a report,
  a large file as a background job (``ImportJob``, its task in ``measures.tasks``);
- ``rounds``: progress rounds, every measure's state in one round saved at once;
- ``analysis``: last year's result as a report cites it (scores per tool and indicator, read
  from a file as ITAS gives them) and the issues found in it.

Import from ``measures.services``.
"""

from .analysis import analysis_result_save, issue_groups_save, result_scores_read
from .base import report_check_editable
from .editing import (
    EditConflict,
    measure_create,
    measure_delete,
    measure_move,
    measure_restore,
    measure_update,
)
from .framework import (
    fiscal_year_confirm,
    fiscal_year_ensure_current,
    fiscal_year_open,
    framework_load,
)
from .imports import (
    import_in_background,
    import_job_prepare,
    import_job_run,
    import_job_start,
    measures_import,
)
from .reports import (
    REPORT_FIELDS,
    agency_upsert,
    assessment_result_upsert,
    report_create,
    report_import,
    report_update,
)
from .rounds import round_delete, round_save

__all__ = [
    "REPORT_FIELDS",
    "EditConflict",
    "agency_upsert",
    "analysis_result_save",
    "assessment_result_upsert",
    "fiscal_year_confirm",
    "fiscal_year_ensure_current",
    "fiscal_year_open",
    "framework_load",
    "import_in_background",
    "import_job_prepare",
    "import_job_run",
    "import_job_start",
    "issue_groups_save",
    "measure_create",
    "measure_delete",
    "measure_move",
    "measure_restore",
    "measure_update",
    "measures_import",
    "report_check_editable",
    "report_create",
    "report_import",
    "report_update",
    "result_scores_read",
    "round_delete",
    "round_save",
]
