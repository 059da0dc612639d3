"""The open-data API, /api/v1/ (see api/api.py): ninja's operations, each address open to all."""

from django.urls import path, re_path
from ninja.openapi.views import default_home

from . import api
from .caching import kept_until_publication

# The lists of published versions: computed once a publication (api.caching).
KEPT = {"api-reports", "api-documents"}

urlpatterns = [
    path(
        str(route.pattern),
        api.open_to_all(
            kept_until_publication(route.callback) if route.name in KEPT else route.callback
        ),
        name=route.name,
    )
    for route in api.api.urls[0]
    # ninja's own index, which only answers 404, gives way to the API's (api_root).
    if getattr(route.callback, "func", None) is not default_home
]
urlpatterns += [
    # Any other address under the API answers in JSON too (those without a final slash get
    # CommonMiddleware's redirect first, as everywhere else).
    re_path(r"^.+/$", api.open_to_all(api.not_found), name="api-not-found"),
]
