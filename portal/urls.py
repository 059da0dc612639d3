from django.urls import path, register_converter

from . import pdf_status_views, verify_views, views


class CycleDocumentConverter:
    """The cycle's documents other than the report: /<agency>/<year>/plan/ and the like."""

    regex = "analysis|plan|progress"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(CycleDocumentConverter, "cycle")

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("api/", views.api_docs, name="api-docs"),
    path("browse/", views.browse, name="browse"),
    path("overview/", views.overview, name="overview"),
    path("browse/<slug:province>/", views.browse_province, name="browse-province"),
    path("verify/", verify_views.verify, name="verify"),
    # Public addresses, pasted into ITAS: they must never break.
    path("<slug:agency>/", views.agency_page, name="agency"),
    path("<slug:agency>/<int:year>/", views.version_page, name="public-latest"),
    path("<slug:agency>/<int:year>.pdf", views.version_pdf, name="public-latest-pdf"),
    path("<slug:agency>/<int:year>.json", views.version_json, name="public-latest-json"),
    path("<slug:agency>/<int:year>.docx", views.version_docx, name="public-latest-docx"),
    path(
        "<slug:agency>/<int:year>.csv",
        views.version_table,
        {"kind": "csv"},
        name="public-latest-csv",
    ),
    path(
        "<slug:agency>/<int:year>.xlsx",
        views.version_table,
        {"kind": "xlsx"},
        name="public-latest-xlsx",
    ),
    path(
        "<slug:agency>/<int:year>/v<int:number>.csv",
        views.version_table,
        {"kind": "csv"},
        name="public-version-csv",
    ),
    path(
        "<slug:agency>/<int:year>/v<int:number>.xlsx",
        views.version_table,
        {"kind": "xlsx"},
        name="public-version-xlsx",
    ),
    path("<slug:agency>/<int:year>/v<int:number>/", views.version_page, name="public-version"),
    path(
        "<slug:agency>/<int:year>/v<int:number>/pdf-status.json",
        pdf_status_views.version_pdf_status,
        name="public-version-pdf-status",
    ),
    path(
        "<slug:agency>/<int:year>/<cycle:document>/v<int:number>/pdf-status.json",
        pdf_status_views.version_pdf_status,
        name="document-version-pdf-status",
    ),
    path("<slug:agency>/<int:year>/compare/", views.versions_compare, name="compare"),
    # The year's other documents, each at its own address for good.
    path("<slug:agency>/<int:year>/<cycle:document>/", views.document_page, name="document-latest"),
    path(
        "<slug:agency>/<int:year>/<cycle:document>.pdf",
        views.version_pdf,
        name="document-latest-pdf",
    ),
    path(
        "<slug:agency>/<int:year>/<cycle:document>/v<int:number>/",
        views.document_page,
        name="document-version",
    ),
    path(
        "<slug:agency>/<int:year>/<cycle:document>/v<int:number>.pdf",
        views.version_pdf,
        name="document-version-pdf",
    ),
    path(
        "<slug:agency>/<int:year>/v<int:number>.pdf",
        views.version_pdf,
        name="public-version-pdf",
    ),
    path(
        "<slug:agency>/<int:year>/v<int:number>.json",
        views.version_json,
        name="public-version-json",
    ),
    path(
        "<slug:agency>/<int:year>/v<int:number>.docx",
        views.version_docx,
        name="public-version-docx",
    ),
    path(
        "<slug:agency>/<int:year>/<cycle:document>.docx",
        views.version_docx,
        name="document-latest-docx",
    ),
    path(
        "<slug:agency>/<int:year>/<cycle:document>/v<int:number>.docx",
        views.version_docx,
        name="document-version-docx",
    ),
]
