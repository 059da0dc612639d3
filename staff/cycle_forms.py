"""The forms of the year's cycle around the measures: a progress round with every measure's state
in it on one page, last year's scores, and the issues found in them."""

import datetime

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from measures import fiscal, thai
from measures.models import IssueGroup, Progress, Report

from .fields import PercentField, PlainTextField, ScoreField, ThaiDateField

NOTE_LIMIT = 5000
ROUND_NAMES = ("รอบ ๖ เดือน", "รอบ ๑๒ เดือน")


class RoundForm(forms.Form):
    label = PlainTextField(
        label=_("name of the round"),
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": "รอบ ๖ เดือน"}),
    )
    as_of = ThaiDateField(
        label=_("as of (ข้อมูล ณ วันที่)"),
        help_text=_("The day the round reports up to, in the Buddhist Era: ๓๑ มีนาคม ๒๕๖๘."),
    )


def round_initial(report: Report) -> dict:
    """The name and date of the report's next round: six months, then twelve."""
    count = len(report.rounds.all())
    start = fiscal.fiscal_year_bounds(report.fiscal_year.year)[0]
    if count == 0:
        return {"label": ROUND_NAMES[0], "as_of": datetime.date(start.year + 1, 3, 31)}
    if count == 1:
        return {"label": ROUND_NAMES[1], "as_of": datetime.date(start.year + 1, 9, 30)}
    return {}


class MeasureRoundForm(forms.Form):
    """One measure's row of a round."""

    measure = forms.IntegerField(widget=forms.HiddenInput)
    progress = forms.ChoiceField(
        label=_("progress"), choices=[("", _("not stated"))] + Progress.choices, required=False
    )
    percent = PercentField(label=_("percent done"), required=False)
    note = PlainTextField(
        label=_("note"),
        max_length=NOTE_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 1}),
    )

    def clean(self):
        data = super().clean()
        progress, percent = data.get("progress"), data.get("percent")
        if progress == Progress.DONE:
            if percent is None:
                data["percent"] = 100
            elif percent != 100:
                self.add_error("percent", _("A measure carried out stands at 100 percent."))
        elif progress == Progress.NOT_STARTED:
            if percent is None:
                data["percent"] = 0
            elif percent != 0:
                self.add_error("percent", _("A measure not started stands at 0 percent."))
        elif progress == Progress.IN_PROGRESS and percent == 100:
            self.add_error("percent", _("At 100 % the measure is carried out: choose that."))
        return data


MeasureRoundFormSet = formset_factory(
    MeasureRoundForm, extra=0, max_num=1000, validate_max=True, absolute_max=1000
)


def round_entries_initial(measures, entries: dict) -> list[dict]:
    """A row per measure: its state in ``entries`` (measure id → MeasureRound), else as the
    measure's own progress says."""
    rows = []
    for measure in measures:
        entry = entries.get(measure.pk)
        if entry is not None:
            rows.append(
                {
                    "measure": measure.pk,
                    "progress": entry.progress,
                    "percent": entry.percent,
                    "note": entry.note,
                }
            )
        else:
            rows.append({"measure": measure.pk, "progress": measure.progress})
    return rows


# -- The analysis of last year's result -----------------------------------------------------------


class ResultForm(forms.Form):
    """Last year's scores: overall, per tool and per indicator of that year's framework."""

    overall = ScoreField(label=_("overall score"))
    iit = ScoreField(label=_("IIT score"), required=False)
    eit = ScoreField(label=_("EIT score"), required=False)
    oit = ScoreField(label=_("OIT score"), required=False)
    label = PlainTextField(label=_("level as published"), max_length=100, required=False)

    def __init__(self, *args, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = list(indicators)
        for indicator in self.indicators:
            self.fields[f"indicator_{indicator.number}"] = ScoreField(
                label=f"{thai.ui_digits(indicator.number)}. {indicator.name}", required=False
            )

    def tool_rows(self) -> list[tuple]:
        """(tool, its score's field, [its indicators' fields]) in the framework's order."""
        rows: dict = {}
        for indicator in self.indicators:
            rows.setdefault(indicator.tool, []).append(self[f"indicator_{indicator.number}"])
        return [
            (tool, self[tool.code.lower()] if tool.code.lower() in self.fields else None, fields)
            for tool, fields in rows.items()
        ]

    def result_data(self, fiscal_year: int) -> dict:
        data = self.cleaned_data
        score = {name: None if data.get(name) is None else str(data[name]) for name in data}
        return {
            "fiscal_year": fiscal_year,
            "overall": score["overall"],
            "iit": score["iit"],
            "eit": score["eit"],
            "oit": score["oit"],
            "label": data.get("label", "").strip(),
            "indicators": [
                {"number": i.number, "score": score[f"indicator_{i.number}"]}
                for i in self.indicators
                if score[f"indicator_{i.number}"] is not None
            ],
        }


def result_initial(result) -> dict:
    if result is None:
        return {}
    initial = {
        "overall": result.overall,
        "iit": result.iit,
        "eit": result.eit,
        "oit": result.oit,
        "label": result.published_label,
    }
    for score in result.indicator_scores.select_related("indicator"):
        initial[f"indicator_{score.indicator.number}"] = score.score
    return initial


class ScoresFileForm(forms.Form):
    file = forms.FileField(
        label=_("a file of scores as ITAS gives them (.csv, .xlsx)"),
        help_text=_(
            "Two columns: the indicator and its score, such as “ตัวชี้วัดที่ 1 การปฏิบัติหน้าที่” "
            "and 92.10, or 1 and 92.10; rows for IIT, EIT, OIT and the overall score too."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )


class IssueForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    title = PlainTextField(
        label=_("issue"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    kind = forms.ChoiceField(
        label=_("kind of issue"),
        choices=[("", _("not said"))] + IssueGroup.Kind.choices,
        required=False,
    )

    def clean(self):
        data = super().clean()
        if data.get("DELETE") or data.get("title"):
            return data
        if data.get("id"):
            self.add_error("title", _("Type the issue, or tick “delete” to remove it."))
        elif data.get("kind"):
            self.add_error("title", _("Type the issue, or leave its kind empty."))
        return data


IssueFormSet = formset_factory(
    IssueForm, extra=2, can_order=True, can_delete=True, max_num=50, validate_max=True
)


def issues_data(formset) -> list[dict]:
    """The issues typed, in their order; a new row left empty is no issue."""
    kept = [
        f
        for f in formset.ordered_forms
        if not f.cleaned_data.get("DELETE") and (f.cleaned_data.get("title") or "").strip()
    ]
    kept += [
        f
        for f in formset.forms
        if f not in kept
        and f.cleaned_data
        and not f.cleaned_data.get("DELETE")
        and (f.cleaned_data.get("title") or "").strip()
    ]
    return [
        {
            "id": f.cleaned_data.get("id"),
            "title": f.cleaned_data["title"].strip(),
            "kind": f.cleaned_data.get("kind", ""),
        }
        for f in kept
    ]


def issues_initial(report: Report) -> list[dict]:
    return [
        {"id": g.pk, "title": g.title, "kind": g.kind, "ORDER": g.number}
        for g in report.issue_groups.all()
    ]
