"""The filters of the HTML pages, read from their query strings: one form per page.

A filter that does not parse (``?year=abc``, ``?province=<script>``, ``?year=²``, a negative or
huge number) is ignored, as if it were absent: the page never fails and never shows an error for
it. Whole numbers are written in Arabic or Thai digits (``๒๕๖๘`` is 2568), nothing else.
"""

import re

from django import forms
from django.core.exceptions import ValidationError

from measures.models import Agency, Report

from .search import INT_MAX  # the largest database integer: a larger filter is no filter

THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
DIGITS = re.compile(r"[0-9]{1,12}", re.ASCII)


class NumberField(forms.IntegerField):
    """A whole number from ``min_value`` to ``max_value``, or nothing."""

    def __init__(self, *, min_value: int = 0, max_value: int = INT_MAX, **kwargs):
        super().__init__(min_value=min_value, max_value=max_value, required=False, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        digits = str(value).strip().translate(THAI_DIGITS)
        if not DIGITS.fullmatch(digits):  # not "1.0", "1e3", "+1", "²" nor other scripts' digits
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return int(digits)


class ChoiceFilter(forms.ChoiceField):
    def __init__(self, *, choices, **kwargs):
        super().__init__(choices=choices, required=False, **kwargs)


class QueryFilters(forms.Form):
    """A page's filters from ``params`` (its ``request.GET``); ``values`` are what parsed."""

    def __init__(self, params):
        super().__init__(params)

    @property
    def values(self) -> dict:
        """Each filter's value, None for one absent or not understood."""
        self.is_valid()  # the fields that do not parse are left out of cleaned_data
        values = {name: self.cleaned_data.get(name) for name in self.fields}
        return {name: None if value in ("", None) else value for name, value in values.items()}


class SearchFilters(QueryFilters):
    """The citizens' search page, /search/."""

    year = NumberField()
    province = NumberField()
    kind = ChoiceFilter(choices=Agency.Kind.choices)
    indicator = NumberField()
    page = NumberField(min_value=1)


class OverviewFilters(QueryFilters):
    """The overview page, /overview/."""

    year = NumberField()
    province = NumberField()


class ReviewFilters(QueryFilters):
    """The reviewers' queue, /staff/review/."""

    province = NumberField()
    district = NumberField()
    year = NumberField()
    kind = ChoiceFilter(choices=Agency.Kind.choices)
    state = ChoiceFilter(choices=Report.State.choices)
