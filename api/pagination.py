"""The API's results a page at a time: page numbers for searches and document lists, and the
catalogue's own index-ordered pages (after/before a report), the same cost for the last page as
for the first; and the errors they answer."""

from collections.abc import Callable

from ninja.pagination import PaginationBase

from publication.models import PublishedVersion
from publication.search import SearchHit, search_measures

from . import params

PAGE_SIZE = 50


class ApiError(Exception):
    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message, self.status = message, status


# -- Pages -----------------------------------------------------------------------------------------


def _page_url(request, number: int | None) -> str | None:
    if number is None:
        return None
    query = request.GET.copy()
    query["page"] = number
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


class PageNumberPagination(PaginationBase):
    """Page N of PAGE_SIZE results, {"count", "next", "previous", "results"}, the filters kept.

    The items are sliced first, then counted: a search counts its hits as it finds a page.
    """

    Input = params.PageQuery
    Output = None  # each operation declares its page of results (Catalogue, SearchResults)

    def paginate_queryset(self, queryset, pagination: params.PageQuery, request, **kw) -> dict:
        number, size = pagination.page or 1, PAGE_SIZE
        offset = (number - 1) * size
        results = list(queryset[offset : offset + size])
        count = queryset.count()
        if number > 1 and offset >= count:
            raise ApiError(f"There is no page {number}.", 404)
        return {
            "count": count,
            "next": _page_url(request, number + 1 if offset + size < count else None),
            "previous": _page_url(request, number - 1 if number > 1 else None),
            "results": results,
        }


def _cursor_url(request, **cursor) -> str:
    query = request.GET.copy()
    for name in ("page", "after", "before"):
        query.pop(name, None)
    query.update(cursor)
    return request.build_absolute_uri(
        f"{request.path}?{query.urlencode()}" if query else request.path
    )


def _place(version: PublishedVersion) -> str:
    """A version's place in the catalogue as its links give it: "2568.nong-lom"."""
    return f"{version.report.fiscal_year.year}.{version.report.agency.slug}"


def _key(place: str) -> str:
    year, _dot, agency = place.partition(".")
    return f"{10000 - int(year):04d}.{agency}"


class CataloguePagination(PaginationBase):
    """The catalogue a page at a time, the same time for the last page as for the first: each
    page begins after (or ends before) a report, found by the catalogue's index; its ``next``
    and ``previous`` links say which. ``?page=N`` (the links it gave before) still answers."""

    Input = params.CataloguePage
    Output = None

    def paginate_queryset(self, queryset, pagination: params.CataloguePage, request, **kw):
        items, size = queryset.items, PAGE_SIZE
        after = _key(pagination.after) if pagination.after else None
        if pagination.before:
            back = list(
                items.filter(catalogue_key__lt=_key(pagination.before)).reverse()[: size + 1]
            )
            earlier, later = len(back) > size, True
            rows = back[:size][::-1]
            if not earlier:  # less than a page before it: the first page
                rows = list(items[: size + 1])
                later, rows = len(rows) > size, rows[:size]
        else:
            if after is None and (pagination.page or 1) > 1:  # the old page numbers
                skipped = (pagination.page - 1) * size
                keys = items.prefetch_related(None).values_list("catalogue_key", flat=True)
                ends = keys[skipped - 1 : skipped]
                if not ends:
                    raise ApiError(f"There is no page {pagination.page}.", 404)
                after = ends[0]
            rows = list(
                (items if after is None else items.filter(catalogue_key__gt=after))[: size + 1]
            )
            earlier, later, rows = after is not None, len(rows) > size, rows[:size]
        previous = None
        if earlier:
            previous = _cursor_url(request, before=_place(rows[0]) if rows else pagination.after)
        return {
            "count": queryset.count(),
            "next": _cursor_url(request, after=_place(rows[-1])) if later else None,
            "previous": previous,
            "results": [queryset.show(row) for row in rows],
        }


class Shown:
    """``items`` (sliced and counted like a queryset), each shown as ``show`` shows it; counted
    by ``count`` when given."""

    def __init__(self, items, show: Callable, count: Callable[[], int] | None = None):
        self.items, self.show, self._count = items, show, count

    def __getitem__(self, window: slice) -> list:
        return [self.show(item) for item in self.items[window]]

    def count(self) -> int:
        return self._count() if self._count else self.items.count()


class Hits:
    """The hits of a search, a page at a time; the search counts them as it finds the page."""

    def __init__(self, **criteria):
        self.criteria, self.total = criteria, 0

    def __getitem__(self, window: slice) -> list[SearchHit]:
        hits, self.total = search_measures(
            **self.criteria, limit=window.stop - window.start, offset=window.start
        )
        return hits

    def count(self) -> int:
        return self.total
