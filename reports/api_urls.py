"""The open-data API, /api/v1/ (see reports/api.py)."""

urlpatterns = []
