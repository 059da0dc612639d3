from django.urls import path

from . import public_views, views

app_name = "reports"

urlpatterns = [
    path("", views.home, name="home"),
    path("staff/reports/<int:pk>/preview/", views.report_preview, name="preview"),
    path("staff/reports/<int:pk>/preview.pdf", views.report_preview_pdf, name="preview-pdf"),
    path("staff/reports/<int:pk>/transition/", views.report_transition, name="transition"),
    path("staff/reports/<int:pk>/comments/", views.comment_create, name="comment-create"),
    path(
        "staff/reports/<int:pk>/comments/<int:comment_pk>/resolve/",
        views.comment_resolve,
        name="comment-resolve",
    ),
    path("staff/reports/<int:pk>/approval-memo.pdf", views.approval_memo_pdf, name="approval-memo"),
    path("staff/review/", views.review_queue, name="review-queue"),
    path("api/", public_views.api_docs, name="api-docs"),
    path("browse/", public_views.browse, name="browse"),
    path("overview/", public_views.overview, name="overview"),
    path("browse/<slug:province>/", public_views.browse_province, name="browse-province"),
    # Public addresses, pasted into ITAS: they must never break.
    path("<slug:agency>/", public_views.agency_page, name="agency"),
    path("<slug:agency>/<int:year>/", public_views.version_page, name="public-latest"),
    path("<slug:agency>/<int:year>.pdf", public_views.version_pdf, name="public-latest-pdf"),
    path("<slug:agency>/<int:year>.json", public_views.version_json, name="public-latest-json"),
    path(
        "<slug:agency>/<int:year>.csv",
        public_views.version_table,
        {"kind": "csv"},
        name="public-latest-csv",
    ),
    path(
        "<slug:agency>/<int:year>.xlsx",
        public_views.version_table,
        {"kind": "xlsx"},
        name="public-latest-xlsx",
    ),
    path(
        "<slug:agency>/<int:year>/v<int:number>.csv",
        public_views.version_table,
        {"kind": "csv"},
        name="public-version-csv",
    ),
    path(
        "<slug:agency>/<int:year>/v<int:number>.xlsx",
        public_views.version_table,
        {"kind": "xlsx"},
        name="public-version-xlsx",
    ),
    path(
        "<slug:agency>/<int:year>/v<int:number>/", public_views.version_page, name="public-version"
    ),
    path("<slug:agency>/<int:year>/compare/", public_views.versions_compare, name="compare"),
    path(
        "<slug:agency>/<int:year>/v<int:number>.pdf",
        public_views.version_pdf,
        name="public-version-pdf",
    ),
    path(
        "<slug:agency>/<int:year>/v<int:number>.json",
        public_views.version_json,
        name="public-version-json",
    ),
]
