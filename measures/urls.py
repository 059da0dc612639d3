from django.urls import path

from . import views

app_name = "measures"

urlpatterns = [
    path("", views.home, name="home"),
    path("agencies/<slug:slug>/reports/new/", views.report_create, name="report-create"),
    path("reports/<int:pk>/", views.report_detail, name="report"),
    path("reports/<int:pk>/edit/", views.report_edit, name="report-edit"),
    path("reports/<int:pk>/history/", views.report_history, name="history"),
    path("reports/<int:pk>/import/", views.report_import_view, name="import"),
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
]
