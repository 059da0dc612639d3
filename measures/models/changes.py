"""The history of a report: every change staff make, with the data before and after."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .measures import Measure
from .reports import Report


class Change(models.Model):
    """One change to a report or a measure: who, when, what, with the data before and after."""

    class Action(models.TextChoices):
        CREATED = "created", _("created")
        UPDATED = "updated", _("updated")
        DELETED = "deleted", _("deleted")
        RESTORED = "restored", _("restored")
        MOVED = "moved", _("moved")
        IMPORTED = "imported", _("imported")

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="changes", verbose_name=_("report")
    )
    measure = models.ForeignKey(
        Measure,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="changes",
        verbose_name=_("measure"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("user"),
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    summary = models.CharField(_("what"), max_length=300)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    restored = models.BooleanField(_("restored"), default=False)

    class Meta:
        verbose_name = _("change")
        verbose_name_plural = _("changes")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.get_action_display()}: {self.summary}"
