from celery import shared_task

from .models import PublishedVersion
from .services import version_render_pdf


@shared_task(bind=True, max_retries=3, default_retry_delay=30)
def render_version_pdf(self, version_pk: int) -> None:
    version = PublishedVersion.objects.select_related("report").get(pk=version_pk)
    version_render_pdf(version=version)
