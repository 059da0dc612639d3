"""Search across published measures, /search/ (see reports/search.py)."""

from django.urls import path

from . import search_views

urlpatterns = [path("", search_views.search, name="search")]
