"""A large import of measures, run as a background task (measures.services.imports)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .reports import Report


class ImportJob(models.Model):
    """Measures read from a file, waiting for confirmation, then written in one transaction.

    The parsed table (not the file) is kept in ``payload`` from the preview until the job ends,
    so that confirming posts only the job's number.
    """

    class State(models.TextChoices):
        PREVIEWED = "previewed", _("waiting for confirmation")
        QUEUED = "queued", _("waiting to start")
        RUNNING = "running", _("importing")
        DONE = "done", _("import finished")
        FAILED = "failed", _("failed: nothing was imported")

    ACTIVE_STATES = (State.QUEUED, State.RUNNING)
    ENDED_STATES = (State.DONE, State.FAILED)

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="import_jobs", verbose_name=_("report")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("user"),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PREVIEWED
    )
    replace = models.BooleanField(_("replace the report's measures"), default=False)
    total = models.PositiveIntegerField(_("measures to import"), default=0)
    done = models.PositiveIntegerField(_("measures imported"), default=0)
    error = models.TextField(_("why it failed"), blank=True)
    payload = models.JSONField(_("the table read"), null=True, blank=True)
    created_at = models.DateTimeField(_("read at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.report} – {self.get_state_display()} ({self.done}/{self.total})"

    @property
    def progress_key(self) -> str:
        """The cache key of the count written so far (see services.imports.import_job_run)."""
        return f"measures:import-job:{self.pk}:done"
