from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    # The documents app has no models; its former label now belongs to `publication`.
    label = "documents"
    verbose_name = _("Reports")
