"""The citizens' search page, /search/: every published measure, by words and filters."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from publication.filters import SearchFilters
from publication.search import CAP, search_choices, search_measures

PER_PAGE = 20


@require_safe
def search(request):
    query = request.GET.get("q", "")[:1000].replace("\x00", "")
    form = SearchFilters(request.GET)
    filters = form.values
    page = filters.pop("page") or 1
    hits, total = search_measures(
        query=query, **filters, limit=PER_PAGE, offset=(page - 1) * PER_PAGE
    )
    # A count past the cap means "more than CAP": only the first CAP are ranked and paged.
    last = max((min(total, CAP) + PER_PAGE - 1) // PER_PAGE, 1)
    if page > last:  # past the end (an old link): show the last page
        page = last
        hits, total = search_measures(
            query=query, **filters, limit=PER_PAGE, offset=(page - 1) * PER_PAGE
        )
    # The pages' links keep the search and the filters.
    kept = request.GET.copy()
    kept.pop("page", None)
    searched = bool(query.strip()) or any(value is not None for value in filters.values())
    return render(
        request,
        "portal/search.html",
        {
            "query": query,
            "filters": filters,
            "problems": form.problems,
            "choices": search_choices(),
            "hits": hits,
            "total": total,
            "cap": CAP,
            "capped": total > CAP,
            "searched": searched,
            "page": page,
            "last": last,
            "first_number": (page - 1) * PER_PAGE + 1,
            "previous": page - 1 if page > 1 else None,
            "next": page + 1 if page < last else None,
            "kept": kept.urlencode(),
        },
    )
