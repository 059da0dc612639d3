"""Search across published measures, /search/ (see reports/search.py)."""

urlpatterns = []
