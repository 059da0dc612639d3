"""Staff forms: a report's front matter, and a whole measure with its ordered lists.

Forms only read and check what was typed; they hand the services a measure in the report data
format (docs/report-format.md), so that typing, importing and loading all write the same way.
"""

import datetime
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from measures import fiscal
from measures.models import (
    WHOLE_YEAR_STYLES,
    FiscalYear,
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

TEXT_LIMIT = 5000
TITLE_LIMIT = 2000
MONTH_STYLES = {PeriodStyle.MONTHS, PeriodStyle.MONTHS_YEARS, PeriodStyle.MONTHS_SHORT_YEARS}


class ReportCreateForm(forms.Form):
    START_BLANK, START_ROLL_FORWARD, START_FILE = "blank", "roll_forward", "file"
    fiscal_year = forms.ModelChoiceField(
        label=_("Fiscal year"), queryset=FiscalYear.objects.all(), empty_label=None
    )
    start = forms.ChoiceField(
        label=_("Start from"),
        choices=[
            (START_ROLL_FORWARD, _("last year's report: measures, steps and units copied")),
            (START_BLANK, _("a blank report")),
            (START_FILE, _("a file: a Word, Excel or CSV table, previewed before it is saved")),
        ],
        initial=START_ROLL_FORWARD,
        widget=forms.RadioSelect,
    )


class ReportForm(forms.ModelForm):
    memo_date = ThaiDateField(label=_("memo: date (วันที่)"), required=False)

    class Meta:
        model = Report
        fields = list(Report.EDITABLE_FIELDS)
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "heading": forms.Textarea(attrs={"rows": 2}),
            "intro": forms.Textarea(attrs={"rows": 5}),
            "progress_heading": forms.Textarea(attrs={"rows": 2}),
            "analysis": forms.Textarea(attrs={"rows": 4}),
            "obstacles": forms.Textarea(attrs={"rows": 3}),
            "suggestions": forms.Textarea(attrs={"rows": 3}),
            "memo_subject": forms.Textarea(attrs={"rows": 2}),
            "memo_background": forms.Textarea(attrs={"rows": 3}),
            "memo_facts": forms.Textarea(attrs={"rows": 4}),
            "memo_considerations": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cited_result"].queryset = self.instance.agency.results.select_related(
            "fiscal_year"
        ).filter(fiscal_year__year__lte=self.instance.fiscal_year.year)

    def changed_values(self) -> dict:
        return {field: self.cleaned_data[field] for field in self.Meta.fields}


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


ItemFormSet = formset_factory(
    ItemForm, extra=2, can_order=True, can_delete=True, max_num=200, validate_max=True
)


class EvidenceForm(forms.Form):
    title = PlainTextField(label=_("title"), max_length=300, required=False)
    url = forms.URLField(label=_("address"), max_length=1000, required=False, assume_scheme="https")

    def clean(self):
        data = super().clean()
        if data.get("url") and not data.get("title"):
            data["title"] = data["url"]
        if data.get("title") and not data.get("url") and not data.get("DELETE"):
            self.add_error("url", _("Give the address of the evidence."))
        return data


EvidenceFormSet = formset_factory(EvidenceForm, extra=1, can_delete=True, max_num=50)

LISTS = ("sub_items", "steps", "outputs", "outcomes")


def quarter_field(label) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=[("", "–")] + [(q, str(q)) for q in range(1, 5)],
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

    def __init__(self, *args, report: Report, **kwargs):
        super().__init__(*args, **kwargs)
        self.report = report
        self.fields["indicator"].queryset = Indicator.objects.filter(
            fiscal_year=report.fiscal_year
        ).select_related("tool")
        self.fields["indicator"].label_from_instance = lambda i: f"{i.number}. {i.name}"
        self.fields["issue_group"].queryset = report.issue_groups.all()
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

    def measure_data(self) -> dict:
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
        initial["indicator"] = measure.indicator_id
        initial["issue_group"] = measure.issue_group_id
        initial["version"] = measure.version
        if period.get("style") == PeriodStyle.QUARTERS and measure.period_start:
            initial["quarter_from"] = fiscal.quarter_of(measure.period_start)
            initial["quarter_to"] = fiscal.quarter_of(measure.period_end)
    return initial


def _date(value):
    return datetime.date.fromisoformat(value) if value else None


def _amount(value) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


class ImportForm(forms.Form):
    text = forms.CharField(
        label=_("Paste the table copied from Word or Excel"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    file = forms.FileField(
        label=_("or upload the report (.docx, .xlsx, .csv)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".docx,.xlsx,.csv,.txt"}),
    )
    replace = forms.BooleanField(
        label=_("Replace the report's measures (otherwise they are added after them)"),
        required=False,
    )

    def clean(self):
        data = super().clean()
        if not data.get("text", "").strip() and not data.get("file"):
            raise ValidationError(_("Paste a table or choose a file."))
        return data
