from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "publication"
    # These models lived in `reports` until the apps were split by audience; the label keeps
    # their tables (reports_*), migration history and content types as they were.
    label = "reports"
    verbose_name = _("Review and publication")
