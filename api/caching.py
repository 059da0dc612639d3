"""Answers kept until the next publication: the catalogue's pages change only when a version is
published, so each page (of each filter, host and scheme: its links are absolute) is computed
once per publication, whatever the size of the catalogue."""

import functools
import hashlib

from django.core.cache import cache
from django.http import HttpResponse

from publication.models import catalogue_stamp

KEPT_SECONDS = 24 * 3600


def kept_until_publication(view):
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method != "GET":
            return view(request, *args, **kwargs)
        address = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
        key = f"api:kept:{catalogue_stamp()}:{address}"
        kept = cache.get(key)
        if kept is not None:
            content_type, content = kept
            return HttpResponse(content, content_type=content_type)
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming:
            cache.set(key, (response["Content-Type"], response.content), KEPT_SECONDS)
        return response

    return wrapped
