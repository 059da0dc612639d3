"""Background tasks: Celery on Redis when REDIS_URL is set, run inline otherwise."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ita_portal.settings")

app = Celery("ita_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
