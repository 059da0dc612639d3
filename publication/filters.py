"""The filters of the HTML pages, read from their query strings: one form per page.

A filter that does not parse (``?year=abc``, ``?province=<script>``, ``?year=²``, a negative or
huge number) is not applied: the page never fails, shows what the other filters give, and says
which filter it did not understand (``problems``, drawn by publication/_filter_problems.html).
Whole numbers are read by measures.numbers, as everywhere: Arabic or Thai digits, nothing else.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from measures.models import Agency, DocumentKind, Report
from measures.numbers import INT_MAX, NotANumber, whole_number

SHOWN_CHARS = 40  # of a value not understood, quoted back in the message


class NumberField(forms.IntegerField):
    """A whole number from ``min_value`` to ``max_value``, or nothing."""

    def __init__(self, *, min_value: int = 0, max_value: int = INT_MAX, **kwargs):
        super().__init__(min_value=min_value, max_value=max_value, required=False, **kwargs)

    def to_python(self, value):
        if value in self.empty_values or not str(value).strip():
            return None
        try:
            return whole_number(value, low=self.min_value, high=self.max_value)
        except NotANumber:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class ChoiceFilter(forms.ChoiceField):
    def __init__(self, *, choices, **kwargs):
        super().__init__(choices=choices, required=False, **kwargs)


def problem(label, value) -> str:
    """The sentence a page shows for a filter whose ``value`` it did not apply (not a number,
    out of range, or a number the page has nothing for)."""
    shown = "".join(c for c in str(value) if c.isprintable())
    if len(shown) > SHOWN_CHARS:
        shown = shown[: SHOWN_CHARS - 1] + "…"
    return gettext("%(filter)s “%(value)s” is not one of the choices, so it is not applied.") % {
        "filter": label,
        "value": shown,
    }


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

    @property
    def problems(self) -> list[str]:
        """A sentence for each filter given but not understood, in the form's order."""
        self.is_valid()
        return [
            problem(field.label, self.data.get(name))
            for name, field in self.fields.items()
            if name in self.errors
        ]


class SearchFilters(QueryFilters):
    """The citizens' search page, /search/."""

    year = NumberField(label=_("Fiscal year"))
    province = NumberField(label=_("Province"))
    kind = ChoiceFilter(label=_("Agency type"), choices=Agency.Kind.choices)
    indicator = NumberField(label=_("ITA indicator"))
    page = NumberField(label=_("Page"), min_value=1)


class OverviewFilters(QueryFilters):
    """The overview page, /overview/: ``state`` is whether ``document`` is published."""

    year = NumberField(label=_("Fiscal year"))
    province = NumberField(label=_("Province"))
    kind = ChoiceFilter(label=_("Agency type"), choices=Agency.Kind.choices)
    document = ChoiceFilter(label=_("Document"), choices=DocumentKind.choices)
    state = ChoiceFilter(
        label=_("State"),
        choices=[
            ("published", _("published")),
            ("late", _("late")),
            ("unpublished", _("not published yet")),
        ],
    )
    page = NumberField(label=_("Page"), min_value=1)


class ReviewFilters(QueryFilters):
    """The reviewers' queue, /staff/review/."""

    province = NumberField(label=_("Province"))
    district = NumberField(label=_("District"))
    year = NumberField(label=_("Fiscal year"))
    kind = ChoiceFilter(label=_("Agency type"), choices=Agency.Kind.choices)
    document = ChoiceFilter(label=_("Document"), choices=DocumentKind.choices)
    state = ChoiceFilter(
        label=_("State"),
        choices=[("not_started", _("no report")), *Report.State.choices, ("late", _("late"))],
    )
    page = NumberField(label=_("Page"), min_value=1)


class CompareFilters(QueryFilters):
    """The versions compared on /<agency>/<year>/compare/: ``a`` before, ``b`` after."""

    a = NumberField(label=_("from version"), min_value=1)
    b = NumberField(label=_("to version"), min_value=1)
