"""Published files answered as WhiteNoise answers static ones: right after it, before the
session, language, CSRF, login and metrics machinery, which a stored file does not need.

Only when the cache already knows where the file is stored (publication.selectors.stored_file):
a first download, a file still to be stored, a lost one and every error go the whole way, to be
answered in the visitor's language. Security headers and the Content-Security-Policy come from
the middleware before this one, as for static files.
"""

from django.urls import Resolver404, resolve

from . import views

SUFFIXES = (".pdf", ".json", ".csv", ".xlsx")
DOWNLOADS = {views.version_pdf, views.version_json, views.version_table}


class StoredFilesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD") and request.path_info.endswith(SUFFIXES):
            try:
                match = resolve(request.path_info)
            except Resolver404:
                match = None
            if match is not None and match.func in DOWNLOADS:
                request.stored_files_only = True
                try:
                    response = match.func(request, *match.args, **match.kwargs)
                except views.NotAtHand:
                    response = None
                finally:
                    request.stored_files_only = False
                if response is not None:
                    # As CommonMiddleware gives the whole way's answer (a stream has its own).
                    if not response.streaming and not response.has_header("Content-Length"):
                        response["Content-Length"] = str(len(response.content))
                    return response
        return self.get_response(request)
