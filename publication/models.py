"""The review of a report and its publication as fixed, citable versions."""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from measures.models import Agency, DocumentKind, Measure, Province, Report


class Transition(models.Model):
    """One move of a report's state: the audit trail of its review."""

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("report")
    )
    from_state = models.CharField(_("from"), max_length=12, choices=Report.State.choices)
    to_state = models.CharField(_("to"), max_length=12, choices=Report.State.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        verbose_name=_("by"),
    )
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)
    document = models.CharField(
        _("document"), max_length=10, choices=DocumentKind.choices, default=DocumentKind.REPORT
    )

    class Meta:
        verbose_name = _("state change")
        verbose_name_plural = _("state changes")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.report}: {self.from_state} → {self.to_state}"


class Comment(models.Model):
    """A reviewer's comment on a report or one of its measures, which the editors resolve."""

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="comments", verbose_name=_("report")
    )
    measure = models.ForeignKey(
        Measure,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name=_("measure"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("author"),
    )
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("when"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.text[:60]


class DocumentState(models.Model):
    """Where one of the cycle's other documents (analysis, plan, progress) stands in review.

    The report's own state is ``Report.state``; each other document of the year goes through the
    same workflow (publication.workflow) on the same measures, on its own.
    """

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="document_states", verbose_name=_("report")
    )
    document = models.CharField(_("document"), max_length=10, choices=DocumentKind.choices)
    state = models.CharField(
        _("state"), max_length=12, choices=Report.State.choices, default=Report.State.DRAFT
    )

    class Meta:
        verbose_name = _("document state")
        verbose_name_plural = _("document states")
        constraints = [
            models.UniqueConstraint(fields=["report", "document"], name="document_state_unique"),
            models.CheckConstraint(
                condition=~models.Q(document=DocumentKind.REPORT),
                name="document_state_not_the_report",
            ),
        ]

    def __str__(self):
        return f"{self.report} {self.get_document_display()}: {self.get_state_display()}"


def _version_path(version, filename):
    folder = f"published/{version.report.agency.slug}/{version.report.fiscal_year.year}"
    if version.document != DocumentKind.REPORT:
        folder += f"/{version.document}"
    return f"{folder}/{filename}"


class PublishedVersionQuerySet(models.QuerySet):
    def latest_per_report(self) -> "PublishedVersionQuerySet":
        """The latest version of each report: those with no later version of the same report.

        "Later" looks at all the report's versions, whatever this queryset is filtered on. A
        report with no version was never published, so it is not there at all.
        """
        later = self.model.all_documents.filter(
            report=models.OuterRef("report"),
            document=models.OuterRef("document"),
            number__gt=models.OuterRef("number"),
        )
        return self.filter(~models.Exists(later))


class ReportVersions(models.Manager.from_queryset(PublishedVersionQuerySet)):
    """The versions of the report itself, the document every page, search and the catalogue
    mean by "versions" (and so ``report.versions``); the cycle's other documents are reached
    through ``PublishedVersion.all_documents``."""

    def get_queryset(self):
        return super().get_queryset().filter(document=DocumentKind.REPORT)


class PublishedVersion(models.Model):
    """A published version of a report: its data, page and PDF, fixed once written."""

    report = models.ForeignKey(
        Report, on_delete=models.PROTECT, related_name="versions", verbose_name=_("report")
    )
    document = models.CharField(
        _("document"), max_length=10, choices=DocumentKind.choices, default=DocumentKind.REPORT
    )
    number = models.PositiveIntegerField(_("version"))
    published_at = models.DateTimeField(_("published"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    data = models.JSONField(_("data"))
    data_sha256 = models.CharField(_("content hash"), max_length=64)
    html = models.TextField(_("page"))
    pdf = models.FileField(_("PDF"), upload_to=_version_path, blank=True)
    pdf_sha256 = models.CharField(_("PDF hash"), max_length=64, blank=True)
    # The report's open data, stored at publication beside the PDF and served as stored, so that
    # its permanent addresses give the same bytes for ever (publication.files writes them).
    json_file = models.FileField(_("JSON"), upload_to=_version_path, blank=True)
    json_sha256 = models.CharField(_("JSON hash"), max_length=64, blank=True)
    csv_file = models.FileField(_("CSV"), upload_to=_version_path, blank=True)
    csv_sha256 = models.CharField(_("CSV hash"), max_length=64, blank=True)
    xlsx_file = models.FileField(_("XLSX"), upload_to=_version_path, blank=True)
    xlsx_sha256 = models.CharField(_("XLSX hash"), max_length=64, blank=True)

    # Each stored file of a version, by the extension of its address: (file field, hash field).
    FILES = {
        "pdf": ("pdf", "pdf_sha256"),
        "json": ("json_file", "json_sha256"),
        "csv": ("csv_file", "csv_sha256"),
        "xlsx": ("xlsx_file", "xlsx_sha256"),
    }

    objects = ReportVersions()
    all_documents = PublishedVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("published version")
        verbose_name_plural = _("published versions")
        ordering = ["report", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "document", "number"], name="version_unique_number"
            )
        ]

    def __str__(self):
        if self.document == DocumentKind.REPORT:
            return f"{self.report} v{self.number}"
        return f"{self.report} {self.get_document_display()} v{self.number}"

    def save(self, *args, **kwargs):
        # A version is written once, then only its files are added, each once (the PDF by the
        # background task).
        if self.pk:
            hashes = [digest for _field, digest in self.FILES.values()]
            stored = PublishedVersion.all_documents.filter(pk=self.pk).values(
                "data_sha256", "html", *hashes
            )[0]
            if stored["data_sha256"] != self.data_sha256 or stored["html"] != self.html:
                raise ValidationError(_("A published version cannot change."))
            if any(stored[h] and stored[h] != getattr(self, h) for h in hashes):
                raise ValidationError(_("A published version cannot change."))
        super().save(*args, **kwargs)

    def stored(self, kind: str):
        """The stored file of ``kind`` (a key of FILES) and its SHA-256: empty if not yet stored."""
        field, digest = self.FILES[kind]
        return getattr(self, field), getattr(self, digest)


class SearchEntry(models.Model):
    """One measure of a report's latest published version, as citizens search it.

    Written only at publication (publication.search.index_version); the next version replaces them.
    """

    version = models.ForeignKey(
        PublishedVersion,
        on_delete=models.CASCADE,
        related_name="search_entries",
        verbose_name=_("published version"),
    )
    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="+", verbose_name=_("report")
    )
    # Copied from the report and its agency at publication, so that filters need no joins.
    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="+", verbose_name=_("agency")
    )
    province = models.ForeignKey(
        Province, on_delete=models.CASCADE, related_name="+", verbose_name=_("province")
    )
    agency_kind = models.CharField(_("type"), max_length=40)  # an Agency.Kind
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (B.E.)"))
    number = models.PositiveIntegerField(_("measure number"))
    indicator = models.PositiveSmallIntegerField(_("indicator"), null=True, blank=True)
    issue_group = models.PositiveSmallIntegerField(_("issue"), null=True, blank=True)
    anchor = models.CharField(_("anchor on the page"), max_length=40, blank=True)
    title = models.TextField(_("title"))
    text = models.TextField(_("text"))
    tokens = models.TextField(_("words"))
    # PostgreSQL only (a plain, unused column elsewhere): every suffix of every word, so that the
    # GIN index (migration 0002) finds words inside longer words. Filled by index_version.
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        ordering = ["-fiscal_year", "agency__name", "number"]
        indexes = [models.Index(fields=["fiscal_year", "province", "agency_kind", "indicator"])]

    def __str__(self):
        return f"{self.version} #{self.number}"
