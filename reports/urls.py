from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.home, name="home"),
    path("staff/reports/<int:pk>/preview/", views.report_preview, name="preview"),
    path("staff/reports/<int:pk>/preview.pdf", views.report_preview_pdf, name="preview-pdf"),
]
