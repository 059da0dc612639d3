"""Background tasks of measures, found by Celery's autodiscovery (ita_portal/celery.py)."""

from celery import shared_task

from .services.imports import import_job_run


@shared_task
def import_job_run_task(job_pk: int) -> None:
    """Write a large import; how it ended is in its ImportJob, never in the task's result."""
    import_job_run(job_pk=job_pk)
