"""The review of a report and its publication as fixed, citable versions."""

import uuid

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from measures.models import Agency, DocumentKind, Measure, Province, Report

from .fields import WordIds


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


def catalogue_key(*, year: int, agency: str) -> str:
    """The catalogue's order in one indexed column: the newest fiscal year first, then the
    agency's slug ("7432.nong-lom" for 2568; a Buddhist-Era year has four digits)."""
    return f"{10000 - year:04d}.{agency}"


CATALOGUE_STAMP = "publication:stamp:catalogue"


def _stamp(key: str) -> str:
    stamp = cache.get(key)
    if stamp is None:  # never set, or forgotten by the cache: a new one, which nothing is under
        cache.add(key, uuid.uuid4().hex, timeout=None)
        stamp = cache.get(key)
    return stamp


def report_stamp(*, agency: str, year: int) -> str:
    """What a report's public answers are cached under until its next publication (of any
    document of the year): a token that ``versions_published`` changes."""
    return _stamp(f"publication:stamp:{agency}:{year}")


def catalogue_stamp() -> str:
    """The same for what is cached of the whole catalogue (its counts)."""
    return _stamp(CATALOGUE_STAMP)


def versions_published(pairs) -> None:
    """New versions of the reports ``pairs`` ((agency slug, year), …): what was cached of them
    (their latest files, their pages) and the catalogue's counts are stale."""
    stamps = {f"publication:stamp:{agency}:{year}": uuid.uuid4().hex for agency, year in pairs}
    stamps[CATALOGUE_STAMP] = uuid.uuid4().hex
    cache.set_many(stamps, timeout=None)


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

    def fill_missing(self) -> int:
        """Fill what versions restored from an archive older than migration 0005 lack (their
        count and catalogue order); how many were filled."""
        versions = list(
            self.filter(catalogue_key="").select_related("report__agency", "report__fiscal_year")
        )
        for version in versions:
            version.fill()
        self.model.all_documents.bulk_update(versions, ["measure_count", "catalogue_key"], 500)
        return len(versions)

    def bulk_create(self, objs, *args, **kwargs):
        # Versions made many at once (publication.national) get what save() gives one.
        objs = list(objs)
        for version in objs:
            version.fill()
        created = super().bulk_create(objs, *args, **kwargs)
        PublishedVersion.on_publication(objs)
        return created


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
    # The page as frozen at publication, gzipped in the storage beside the PDF (not a database
    # column: some 10 KB a version, a third of a national database); read by
    # publication.selectors.version_article, cached.
    html_file = models.FileField(_("page"), upload_to=_version_path, blank=True)
    pdf = models.FileField(_("PDF"), upload_to=_version_path, blank=True)
    pdf_sha256 = models.CharField(_("PDF hash"), max_length=64, blank=True, db_index=True)
    # Why its PDF could not be rendered, after every retry (publication.tasks): shown to the
    # agency's staff with a button to try again; emptied when a render succeeds.
    pdf_error = models.TextField(_("PDF rendering error"), blank=True)
    pdf_failed_at = models.DateTimeField(_("PDF rendering failed at"), null=True, blank=True)
    # The report's open data, stored at publication beside the PDF and served as stored, so that
    # its permanent addresses give the same bytes for ever (publication.files writes them).
    json_file = models.FileField(_("JSON"), upload_to=_version_path, blank=True)
    json_sha256 = models.CharField(_("JSON hash"), max_length=64, blank=True)
    csv_file = models.FileField(_("CSV"), upload_to=_version_path, blank=True)
    csv_sha256 = models.CharField(_("CSV hash"), max_length=64, blank=True)
    xlsx_file = models.FileField(_("XLSX"), upload_to=_version_path, blank=True)
    xlsx_sha256 = models.CharField(_("XLSX hash"), max_length=64, blank=True)
    # Copied at creation (fill) so that the catalogue reads, sorts and pages this table alone,
    # through an index, instead of joining every row and measuring its JSON (migration 0005).
    measure_count = models.PositiveIntegerField(_("number of measures"), default=0)
    catalogue_key = models.CharField(_("catalogue order"), max_length=110, default="")

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
        indexes = [
            # The catalogue's pages, and a public address's version without a join.
            models.Index(fields=["catalogue_key", "document", "-number"], name="version_catalogue"),
            models.Index(fields=["-published_at"], name="version_published_at"),
        ]

    def __str__(self):
        if self.document == DocumentKind.REPORT:
            return f"{self.report} v{self.number}"
        return f"{self.report} {self.get_document_display()} v{self.number}"

    def save(self, *args, **kwargs):
        # A version is written once, then only its files are added, each once (the PDF by the
        # background task).
        if self._state.adding:
            self.fill()
            self.on_publication([self])
        elif self.pk:
            hashes = [digest for _field, digest in self.FILES.values()]
            stored = PublishedVersion.all_documents.filter(pk=self.pk).values(
                "data_sha256", "html_file", *hashes
            )[0]
            if stored["data_sha256"] != self.data_sha256 or stored["html_file"] != self.html_file:
                raise ValidationError(_("A published version cannot change."))
            if any(stored[h] and stored[h] != getattr(self, h) for h in hashes):
                raise ValidationError(_("A published version cannot change."))
        super().save(*args, **kwargs)

    def fill(self) -> None:
        """What a new version copies from its report and data (see catalogue_key)."""
        report = self.report
        self.measure_count = len(self.data.get("measures") or [])
        self.catalogue_key = catalogue_key(year=report.fiscal_year.year, agency=report.agency.slug)

    @staticmethod
    def on_publication(versions) -> None:
        """Forget what was cached of the reports of ``versions``."""
        pairs = {(v.report.agency.slug, v.report.fiscal_year.year) for v in versions}
        versions_published(pairs)  # now, and again once committed: what was drawn meanwhile
        transaction.on_commit(lambda: versions_published(pairs))

    def stored(self, kind: str):
        """The stored file of ``kind`` (a key of FILES) and its SHA-256: empty if not yet stored."""
        field, digest = self.FILES[kind]
        return getattr(self, field), getattr(self, digest)


class SearchWord(models.Model):
    """A folded word of the search entries, once: the dictionary their word ids point into.

    Only grows (publication adds the new words of a version; nothing removes them): an id once
    stored in an entry always means the same word. On PostgreSQL a pg_trgm GIN index on
    ``word`` (migration 0011) finds the words holding a query word, whatever the entries.
    """

    # 32-bit ids: an entry's array of them is half the size of 64-bit ones.
    id = models.AutoField(primary_key=True)
    word = models.TextField(_("word"))

    class Meta:
        verbose_name = _("search word")
        verbose_name_plural = _("search words")
        # A constraint, not unique=True: no second (text_pattern_ops) index on PostgreSQL.
        constraints = [models.UniqueConstraint(fields=["word"], name="reports_searchword_unique")]

    def __str__(self):
        return self.word


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
    # No copy of the measure's text: its words are here, and a hit's snippet is cut from the
    # version's data (publication.search.querying), which holds it already.
    # The ids (SearchWord) of the distinct folded words, and of the title's; on PostgreSQL each
    # has a GIN index (migration 0011), which finds the entries holding any of some words.
    words = WordIds(_("words"), default=list)
    title_words = WordIds(_("ids of the title's words"), default=list, blank=True)
    # The title's folded words, in order, one space between them: the phrase rank reads them.
    title_tokens = models.TextField(_("words of the title"), blank=True)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        ordering = ["-fiscal_year", "agency__name", "number"]
        indexes = [models.Index(fields=["fiscal_year", "province", "agency_kind", "indicator"])]

    def __str__(self):
        return f"{self.version} #{self.number}"
