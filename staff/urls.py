from django.urls import path

from . import cycle_views, import_views, render_views, review_views, views

app_name = "staff"

urlpatterns = [
    path("", views.home, name="home"),
    path("agencies/<slug:slug>/reports/new/", views.report_create, name="report-create"),
    path("reports/<int:pk>/", views.report_detail, name="report"),
    path("reports/<int:pk>/edit/", views.report_edit, name="report-edit"),
    path("reports/<int:pk>/history/", views.report_history, name="history"),
    path("reports/<int:pk>/import/", import_views.report_import_view, name="import"),
    path("reports/<int:pk>/import/<int:job_pk>/", import_views.import_job_view, name="import-job"),
    path(
        "reports/<int:pk>/import/<int:job_pk>/progress.json",
        import_views.import_job_progress,
        name="import-job-progress",
    ),
    path(
        "reports/<int:pk>/history/<int:change_pk>/restore/",
        views.change_restore,
        name="change-restore",
    ),
    path("reports/<int:pk>/measures/new/", views.measure_edit, name="measure-create"),
    path("reports/<int:pk>/measures/preview/", views.measure_preview, name="measure-preview-new"),
    path("reports/<int:pk>/measures/<int:measure_pk>/", views.measure_edit, name="measure-edit"),
    path(
        "reports/<int:pk>/measures/<int:measure_pk>/preview/",
        views.measure_preview,
        name="measure-preview",
    ),
    path(
        "reports/<int:pk>/measures/<int:measure_pk>/delete/",
        views.measure_delete,
        name="measure-delete",
    ),
    path(
        "reports/<int:pk>/measures/<int:measure_pk>/move/", views.measure_move, name="measure-move"
    ),
    path("reports/<int:pk>/rounds/new/", cycle_views.round_edit, name="round-create"),
    path("reports/<int:pk>/rounds/<int:number>/", cycle_views.round_edit, name="round-edit"),
    path(
        "reports/<int:pk>/rounds/<int:number>/delete/",
        cycle_views.round_delete,
        name="round-delete",
    ),
    path("reports/<int:pk>/analysis/", cycle_views.analysis, name="analysis"),
    path("reports/<int:pk>/analysis/import/", cycle_views.analysis_import, name="analysis-import"),
    path("reports/<int:pk>/analysis/issues/", cycle_views.analysis_issues, name="analysis-issues"),
    path("reports/<int:pk>/preview/", review_views.report_preview, name="preview"),
    path("reports/<int:pk>/preview.pdf", review_views.report_preview_pdf, name="preview-pdf"),
    path(
        "reports/<int:pk>/preview/pdf/<slug:token>/",
        render_views.render_job_view,
        name="render-job",
    ),
    path(
        "reports/<int:pk>/preview/pdf/<slug:token>/progress.json",
        render_views.render_job_progress,
        name="render-job-progress",
    ),
    path(
        "reports/<int:pk>/preview/pdf/<slug:token>/download.pdf",
        render_views.render_job_pdf,
        name="render-job-pdf",
    ),
    path("reports/<int:pk>/preview.docx", review_views.report_preview_docx, name="preview-docx"),
    path("reports/<int:pk>/transition/", review_views.report_transition, name="transition"),
    path(
        "reports/<int:pk>/versions/<int:version_pk>/retry-pdf/",
        render_views.version_pdf_retry_view,
        name="version-pdf-retry",
    ),
    path("reports/<int:pk>/comments/", review_views.comment_create, name="comment-create"),
    path(
        "reports/<int:pk>/comments/<int:comment_pk>/resolve/",
        review_views.comment_resolve,
        name="comment-resolve",
    ),
    path(
        "reports/<int:pk>/approval-memo.pdf",
        review_views.approval_memo_pdf,
        name="approval-memo",
    ),
    path(
        "reports/<int:pk>/approval-memo.docx",
        review_views.approval_memo_docx,
        name="approval-memo-docx",
    ),
    path("review/", review_views.review_queue, name="review-queue"),
]
