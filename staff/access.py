"""The report a staff view works on: who may see or change it (accounts.permissions), with its
measures' lines in place. A closed year's report may be kept in its published version only
(publication.packing); whoever opens it gets it written back first, once."""

from accounts import permissions
from measures.models import Report
from publication.packing import report_unpacked


def report_for_viewing(user, pk: int) -> Report:
    return report_unpacked(permissions.report_for_viewing(user, pk))


def report_for_editing(user, pk: int) -> Report:
    return report_unpacked(permissions.report_for_editing(user, pk))
