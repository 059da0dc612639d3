"""The open-data API, /api/v1/ (see reports/api.py)."""

from django.urls import path, re_path

from . import api

urlpatterns = [
    path("", api.api_root, name="api-root"),
    path("reports/", api.report_list, name="api-reports"),
    path("reports/<slug:agency>/<int:year>/", api.report_detail, name="api-report"),
    path(
        "reports/<slug:agency>/<int:year>/v<int:number>/",
        api.report_detail,
        name="api-report-version",
    ),
    path("search/", api.search, name="api-search"),
    path("measures.csv", api.measures_csv, name="api-measures-csv"),
    path("openapi.json", api.openapi, name="api-openapi"),
    # Any other address under the API answers in JSON too (those without a final slash get
    # CommonMiddleware's redirect first, as everywhere else).
    re_path(r"^.+/$", api.not_found, name="api-not-found"),
]
