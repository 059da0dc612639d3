"""Search across published measures, /search/ (see publication/search/)."""

from django.urls import path

from . import search_views

urlpatterns = [path("", search_views.search, name="search")]
