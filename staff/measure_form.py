"""The whole-measure form: a measure with its ordered lists (steps, outputs, …) and evidence.

It reads and checks what was typed and hands the services a measure in the report data format
(docs/report-format.md). After a refused save (someone saved the measure since the form was
opened) it is shown again with the other person's changes merged in (``measure_merge``).
"""

import datetime
from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.forms import BaseFormSet, formset_factory
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from measures import fiscal, thai
from measures.models import (
    WHOLE_YEAR_STYLES,
    Indicator,
    Measure,
    Numbering,
    PeriodStyle,
    Progress,
    Report,
    Responsible,
)
from measures.report_format import measure_to_data

from .fields import BahtField, PlainTextField, ThaiDateField
from .forms import EvidenceForm, EvidenceFormSet
from .measure_merge import (
    MINE,
    PARTS_BY_NAME,
    THEIRS,
    Merge,
    Names,
    base_read,
    base_token,
    measure_merge,
    merge_resolve,
    pending,
)

TEXT_LIMIT = 5000
ui_digits_lazy = lazy(thai.ui_digits, str)  # choices made once, written in each page's digits
TITLE_LIMIT = 2000
MONTH_STYLES = {PeriodStyle.MONTHS, PeriodStyle.MONTHS_YEARS, PeriodStyle.MONTHS_SHORT_YEARS}


class ItemForm(forms.Form):
    label = PlainTextField(label=_("bold label"), max_length=300, required=False)
    text = PlainTextField(
        label=_("text"),
        max_length=TEXT_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    new_row = forms.BooleanField(label=_("new row (ต่อ)"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("label") and not data.get("text") and not data.get("DELETE"):
            self.add_error("text", _("Type the text that follows the bold label."))
        return data


# The lines of one list of a measure (steps, outputs, …). The form says so beside the list before
# Django's own limit on a request's fields (DATA_UPLOAD_MAX_NUMBER_FIELDS) is reached: a form at
# every limit sends MEASURE_FORM_MAX_FIELDS fields, and settings allow well over that, so that
# lines typed beyond the limit come back in the form to be cut, never a bare 400.
LINES_LIMIT = 200


class LinesFormSet(BaseFormSet):
    default_error_messages = {
        "too_many_forms": _(
            "A list holds at most %(num)d lines: remove some, or join short ones into one line."
        ),
    }


ItemFormSet = formset_factory(
    ItemForm,
    formset=LinesFormSet,
    extra=2,
    can_order=True,
    can_delete=True,
    max_num=LINES_LIMIT,
    validate_max=True,
    # Every line typed is read back into the form, however many (each sends three fields at
    # least): none is dropped unseen.
    absolute_max=(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS or 30_000) // 3,
)


LISTS = ("sub_items", "steps", "outputs", "outcomes")


def quarter_field(label) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=[("", "–")] + [(q, ui_digits_lazy(q)) for q in range(1, 5)],
        coerce=int,
        empty_value=None,
        required=False,
    )


class MeasureForm(forms.Form):
    title = PlainTextField(
        label=_("measure"), max_length=TITLE_LIMIT, widget=forms.Textarea(attrs={"rows": 3})
    )
    indicator = forms.ModelChoiceField(
        label=_("indicator"), queryset=Indicator.objects.none(), required=False
    )
    indicator_label = PlainTextField(
        label=_("indicator as written"), max_length=300, required=False
    )
    issue_group = forms.ModelChoiceField(
        label=_("issue group"), queryset=Indicator.objects.none(), required=False
    )
    period_style = forms.ChoiceField(
        label=_("how the period is written"),
        choices=[("", _("no period"))] + PeriodStyle.choices,
        required=False,
        # Each style with an example as the document writes it, in the document's Thai.
        widget=forms.Select(attrs={"data-as-written": ""}),
    )
    period_start = ThaiDateField(label=_("start"), required=False)
    period_end = ThaiDateField(label=_("end"), required=False)
    quarter_from = quarter_field(_("from quarter"))
    quarter_to = quarter_field(_("to quarter"))
    main_units = forms.MultipleChoiceField(
        label=_("responsible units"), required=False, widget=forms.CheckboxSelectMultiple
    )
    main_other = PlainTextField(
        label=_("other responsible units or positions, one per line"),
        max_length=TEXT_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    supporting_units = forms.MultipleChoiceField(
        label=_("supporting units"), required=False, widget=forms.CheckboxSelectMultiple
    )
    supporting_other = PlainTextField(
        label=_("other supporting units, one per line"),
        max_length=TEXT_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    progress = forms.ChoiceField(
        label=_("progress"), choices=[("", _("not stated"))] + Progress.choices, required=False
    )
    objective = PlainTextField(
        label=_("objective (วัตถุประสงค์)"),
        max_length=TEXT_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    target = PlainTextField(
        label=_("target or measure of success (เป้าหมาย / ตัวชี้วัดความสำเร็จ)"),
        max_length=TEXT_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    budget_planned = BahtField(label=_("budget planned (baht)"), required=False)
    budget_spent = BahtField(label=_("budget spent (baht)"), required=False)
    budget_none = forms.BooleanField(label=_("no budget (ไม่ใช้งบประมาณ)"), required=False)
    sub_items_numbering = forms.ChoiceField(
        label=_("numbering of sub-items"), choices=Numbering.choices, initial=Numbering.AUTO
    )
    steps_numbering = forms.ChoiceField(
        label=_("numbering of steps"), choices=Numbering.choices, initial=Numbering.AUTO
    )
    outputs_numbering = forms.ChoiceField(
        label=_("numbering of outputs"), choices=Numbering.choices, initial=Numbering.AUTO
    )
    outcomes_numbering = forms.ChoiceField(
        label=_("numbering of outcomes"), choices=Numbering.choices, initial=Numbering.AUTO
    )
    responsible_numbering = forms.ChoiceField(
        label=_("numbering of responsible units"),
        choices=Numbering.choices,
        initial=Numbering.PLAIN,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # The measure as the form opened it, signed (measure_merge): what a conflict is merged from.
    base = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, report: Report, measure: Measure | None = None, merge=None, **kwargs):
        """``measure``: the saved measure being edited; ``merge``: the Merge of a refused save,
        when the form is shown again with what the other person saved merged in."""
        super().__init__(*args, **kwargs)
        self.report = report
        self.merge: Merge | None = merge
        self.base_data, self.conflicts = None, merge.conflicts if merge else []
        if self.is_bound and measure is not None:
            self.base_data, self.conflicts = base_read(self.data.get("base"), measure_pk=measure.pk)
        for name in self.conflicts:
            self.fields[f"resolve_{name}"] = forms.ChoiceField(
                label=PARTS_BY_NAME[name].label,
                choices=[(THEIRS, _("keep the saved version")), (MINE, _("keep mine"))],
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose which version to keep.")},
            )
        self.fields["indicator"].queryset = Indicator.objects.filter(
            fiscal_year=report.fiscal_year
        ).select_related("tool")
        self.fields["indicator"].label_from_instance = lambda i: (
            f"{thai.ui_digits(i.number)}. {i.name}"
        )
        self.fields["issue_group"].queryset = report.issue_groups.all()
        self.fields["issue_group"].label_from_instance = lambda g: thai.ui_digits(
            f"{_('Issue %(number)s') % {'number': g.number}} {g.title}"
        )
        units = [(u.name, u.name) for u in report.agency.units.all()]
        self.fields["main_units"].choices = units
        self.fields["supporting_units"].choices = units
        self.prefix_lists = {
            name: ItemFormSet(*args, prefix=name, initial=kwargs.get("initial", {}).get(name))
            for name in LISTS
        }
        self.evidence = EvidenceFormSet(
            *args, prefix="evidence", initial=kwargs.get("initial", {}).get("evidence")
        )

    # -- reading and checking ---------------------------------------------------------------

    def is_valid(self):
        valid = super().is_valid()
        valid &= all(formset.is_valid() for formset in self.prefix_lists.values())
        return self.evidence.is_valid() and valid

    @property
    def has_errors(self) -> bool:
        formsets = [*self.prefix_lists.values(), self.evidence]
        return bool(self.errors) or any(
            formset.total_error_count() for formset in formsets if formset.is_bound
        )

    def clean(self):
        data = super().clean()
        if data.get("indicator") and data.get("issue_group"):
            self.add_error(
                "issue_group", _("Tie the measure to an indicator or to an issue, not both.")
            )
        self._clean_period(data)
        if data.get("budget_none") and (
            data.get("budget_planned") is not None or data.get("budget_spent") is not None
        ):
            self.add_error(
                "budget_none",
                _("A measure without a budget has no amount: clear the amount or untick this."),
            )
        return data

    def _clean_period(self, data) -> None:
        style = data.get("period_style")
        year = self.report.fiscal_year
        start, end = data.get("period_start"), data.get("period_end")
        if not style:
            data["period_start"] = data["period_end"] = None
            return
        if style in WHOLE_YEAR_STYLES:
            start, end = year.start, year.end
        elif style == PeriodStyle.QUARTERS:
            first, last = (
                data.get("quarter_from"),
                data.get("quarter_to") or data.get("quarter_from"),
            )
            if not first:
                self.add_error("quarter_from", _("Choose the first quarter."))
                return
            if last < first:
                self.add_error("quarter_to", _("The last quarter comes before the first."))
                return
            start, end = fiscal.quarters_span(year.year, first, last)
        elif style == PeriodStyle.DAY and start:
            end = start
        elif style in MONTH_STYLES and start and end:
            # A month period covers whole months, whatever day was typed.
            start, end = start.replace(day=1), fiscal.month_end(end)
        data["period_start"], data["period_end"] = start, end
        probe = Measure(report=self.report, period_style=style, period_start=start, period_end=end)
        try:
            probe.clean_period()
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                target = "period_style" if field == "period_style" else field
                if style == PeriodStyle.QUARTERS and target != "period_style":
                    target = "quarter_from"
                for message in messages:
                    self.add_error(target, message)

    # -- what the services take ---------------------------------------------------------------

    def _items(self, name: str) -> list[dict]:
        forms_ = [
            f
            for f in self.prefix_lists[name].ordered_forms
            if f.cleaned_data.get("text") and not f.cleaned_data.get("DELETE")
        ]
        unordered = [
            f
            for f in self.prefix_lists[name].forms
            if f not in forms_ and f.cleaned_data.get("text") and not f.cleaned_data.get("DELETE")
        ]
        return [
            {
                "label": f.cleaned_data["label"].strip(),
                "text": f.cleaned_data["text"].strip(),
                **({"new_row": True} if f.cleaned_data.get("new_row") else {}),
            }
            for f in forms_ + unordered
        ]

    def names(self) -> Names:
        return Names(
            units=[value for value, _label in self.fields["main_units"].choices],
            indicators={i.number: i.name for i in self.fields["indicator"].queryset},
            groups={g.number: g.title for g in self.fields["issue_group"].queryset},
            year=self.report.fiscal_year.year,
        )

    def differences(self) -> list[dict]:
        """What differs from the saved version (from the merge, or the parts still to settle
        when the form comes back with a mistake), each with its choice when both changed it."""
        if self.merge is not None:
            differences = self.merge.differences
        elif self.conflicts and self.base_data is not None:
            differences = pending(
                theirs=self.base_data, conflicts=self.conflicts, names=self.names()
            )
        else:
            return []
        return [
            {
                **vars(difference),
                "choice": self[f"resolve_{difference.part.name}"]
                if difference.part.name in self.conflicts
                else None,
            }
            for difference in differences
        ]

    def merged_with(self, measure: Measure, saved: dict) -> "MeasureForm":
        """The form to show after a refused save: ``saved`` (the measure as someone else saved
        it since) merged with what was typed here, part by part, to be checked and saved."""
        merge = measure_merge(
            base=self.base_data, mine=self.measure_data(), theirs=saved, names=self.names()
        )
        initial = measure_initial(measure, merge.data)
        initial["base"] = base_token(measure_pk=measure.pk, data=saved, conflicts=merge.conflicts)
        return MeasureForm(report=self.report, measure=measure, initial=initial, merge=merge)

    def measure_data(self) -> dict:
        data = self._typed_data()
        if not self.conflicts or self.base_data is None:
            return data
        chosen = {name: self.cleaned_data.get(f"resolve_{name}") for name in self.conflicts}
        return merge_resolve(data, theirs=self.base_data, chosen=chosen)

    def _typed_data(self) -> dict:
        data = self.cleaned_data
        indicator = data.get("indicator")
        main = list(data.get("main_units") or []) + _lines(data.get("main_other"))
        supporting = list(data.get("supporting_units") or []) + _lines(data.get("supporting_other"))
        period = None
        if data.get("period_style"):
            period = {
                "style": data["period_style"],
                "start": data["period_start"].isoformat(),
                "end": data["period_end"].isoformat(),
            }
        return {
            "title": data["title"].strip(),
            "indicator": {"number": indicator.number, "label": data.get("indicator_label", "")}
            if indicator
            else None,
            "issue_group": data["issue_group"].number if data.get("issue_group") else None,
            **{name: self._items(name) for name in LISTS},
            "numbering": {
                name: data[f"{name}_numbering"]
                for name in ("sub_items", "steps", "outputs", "outcomes", "responsible")
            },
            "period": period,
            "responsible": {Responsible.Role.MAIN: main, Responsible.Role.SUPPORTING: supporting},
            "progress": data.get("progress", ""),
            "objective": data.get("objective", "").strip(),
            "target": data.get("target", "").strip(),
            **{
                name: None if data.get(name) is None else str(data[name])
                for name in ("budget_planned", "budget_spent")
            },
            "budget_none": bool(data.get("budget_none")),
            "evidence": [
                {"title": f.cleaned_data["title"], "url": f.cleaned_data["url"]}
                for f in self.evidence.forms
                if f.cleaned_data.get("url") and not f.cleaned_data.get("DELETE")
            ],
        }


# The most fields a measure form at every limit sends: its own fields (a unit ticked is one field
# each: an agency has a few dozen at most), every list full with all of a line's inputs, the
# evidence, the management fields. settings.DATA_UPLOAD_MAX_NUMBER_FIELDS stays well above it.
MEASURE_FORM_MAX_FIELDS = (
    len(MeasureForm.base_fields)
    + len(PARTS_BY_NAME)  # a choice per part to settle after a conflict
    + 2 * 100
    + len(LISTS) * (4 + LINES_LIMIT * (len(ItemForm.base_fields) + 2))  # + order and remove
    + 4
    + EvidenceFormSet.max_num * (len(EvidenceForm.base_fields) + 1)
)


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def measure_initial(measure: Measure | None, data: dict | None = None) -> dict:
    """The form's initial values for a saved measure, or for a measure in the data format."""
    if measure is None and data is None:
        return {"period_style": "", "progress": ""}
    data = data or measure_to_data(measure=measure)
    unit_names = set()
    if measure is not None:
        unit_names = set(measure.report.agency.units.values_list("name", flat=True))
    period = data.get("period") or {}
    responsible = data.get("responsible") or {}
    initial = {
        "title": data["title"],
        "indicator": None,
        "indicator_label": (data.get("indicator") or {}).get("label", ""),
        "period_style": period.get("style", ""),
        "period_start": _date(period.get("start")),
        "period_end": _date(period.get("end")),
        "progress": data.get("progress", ""),
        "main_units": [n for n in responsible.get("main", []) if n in unit_names],
        "main_other": "\n".join(n for n in responsible.get("main", []) if n not in unit_names),
        "supporting_units": [n for n in responsible.get("supporting", []) if n in unit_names],
        "supporting_other": "\n".join(
            n for n in responsible.get("supporting", []) if n not in unit_names
        ),
        "evidence": data.get("evidence", []),
        "objective": data.get("objective", ""),
        "target": data.get("target", ""),
        "budget_planned": _amount(data.get("budget_planned")),
        "budget_spent": _amount(data.get("budget_spent")),
        "budget_none": bool(data.get("budget_none")),
        **{name: [dict(item, ORDER=i) for i, item in enumerate(data[name], 1)] for name in LISTS},
        **{f"{name}_numbering": value for name, value in (data.get("numbering") or {}).items()},
    }
    if measure is not None:
        report = measure.report
        indicator = (data.get("indicator") or {}).get("number")
        initial["indicator"] = (
            report.fiscal_year.indicators.filter(number=indicator).values_list("pk", flat=True)
        ).first()
        group = data.get("issue_group")
        initial["issue_group"] = (
            report.issue_groups.filter(number=group).values_list("pk", flat=True)
        ).first()
        initial["version"] = measure.version
        initial["base"] = base_token(measure_pk=measure.pk, data=data)
        if period.get("style") == PeriodStyle.QUARTERS and period.get("start"):
            initial["quarter_from"] = fiscal.quarter_of(_date(period["start"]))
            initial["quarter_to"] = fiscal.quarter_of(_date(period["end"]))
    return initial


def _date(value):
    return datetime.date.fromisoformat(value) if value else None


def _amount(value) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))
