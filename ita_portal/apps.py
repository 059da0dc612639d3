from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The project's own signal receivers, connected in every process (web server and worker):
    metrics (ita_portal.metrics), the workers' heartbeat (ita_portal.health), the end of a
    request's log lines (ita_portal.log)."""

    name = "ita_portal"
    verbose_name = "ITA Portal"

    def ready(self):
        from celery import signals as celery_signals
        from django.core.signals import request_finished
        from django.db.models.signals import post_save

        from publication.models import PublishedVersion

        from . import health, log, metrics

        celery_signals.before_task_publish.connect(metrics.task_queued, weak=False)
        celery_signals.task_prerun.connect(metrics.task_started, weak=False)
        celery_signals.task_postrun.connect(metrics.task_finished, weak=False)
        celery_signals.task_failure.connect(metrics.task_failed, weak=False)
        celery_signals.task_retry.connect(metrics.task_retried, weak=False)
        celery_signals.worker_ready.connect(health.heartbeat_start, weak=False)
        celery_signals.worker_ready.connect(metrics.worker_metrics_serve, weak=False)
        post_save.connect(metrics.version_saved, sender=PublishedVersion, weak=False)
        request_finished.connect(log.request_forget, weak=False)
