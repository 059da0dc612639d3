"""Taking the demo's publications back down (`load_demo --no-publish` on a database where the demo
had published them). Only for the demo: a real version's addresses are pasted into ITAS and must
never break, so nothing else in the portal removes a published version."""

from django.db import transaction

from measures.models import Report

from .dashboards import dashboards_forget
from .models import DocumentState, PublishedVersion, Transition, versions_published


@transaction.atomic
def demo_reports_unpublish(*, reports: list[Report]) -> int:
    """Make ``reports`` and their year's other documents drafts again, as if never submitted:
    their versions, stored files, search entries and review trail go. Returns the number of
    versions removed."""
    pks = [report.pk for report in reports]
    locked = list(Report.objects.select_for_update().filter(pk__in=pks))
    versions = list(PublishedVersion.all_documents.filter(report__in=pks))
    files = [
        getattr(version, field)
        for version in versions
        for field in ("html_file", *(f for f, _digest in PublishedVersion.FILES.values()))
        if getattr(version, field)
    ]
    # Search entries go with their versions (on_delete=CASCADE).
    PublishedVersion.all_documents.filter(pk__in=[v.pk for v in versions]).delete()
    Transition.objects.filter(report__in=pks).delete()
    DocumentState.objects.filter(report__in=pks).delete()
    Report.objects.filter(pk__in=pks).update(state=Report.State.DRAFT)

    # The files only once the database has let go of them: a rollback keeps both.
    def forget():
        for stored in files:
            stored.storage.delete(stored.name)
        versions_published({(r.agency.slug, r.fiscal_year.year) for r in locked})
        for report in locked:
            dashboards_forget(report=report)

    transaction.on_commit(forget)
    return len(versions)
