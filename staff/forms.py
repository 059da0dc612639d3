"""Staff forms: starting a report, its front matter, a measure's evidence, an import.

Forms only read and check what was typed; they hand the services a measure in the report data
format (docs/report-format.md), so that typing, importing and loading all write the same way.
The whole-measure form, with its ordered lists, is in ``measure_form``.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from measures import thai
from measures.models import FiscalYear, Report
from measures.validators import validate_evidence_url

from .fields import PlainTextField, ThaiDateField, explain_length


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
        # How the document writes its year, each with an example in the document's Thai.
        self.fields["year_style"].widget.attrs["data-as-written"] = ""
        agency = self.instance.agency.name  # every result listed is the agency's own
        self.fields["cited_result"].label_from_instance = lambda r: (
            f"{agency} {thai.ui_digits(r.fiscal_year.year)}: {thai.ui_number(r.overall)}"
        )
        for field in self.fields.values():
            if isinstance(field, forms.CharField):
                explain_length(field)

    def changed_values(self) -> dict:
        return {field: self.cleaned_data[field] for field in self.Meta.fields}


class EvidenceURLField(forms.URLField):
    """A web address as the report data format takes it (one message, not Django's as well)."""

    default_validators = [validate_evidence_url]

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        explain_length(self)


class EvidenceForm(forms.Form):
    title = PlainTextField(label=_("title"), max_length=300, required=False)
    url = EvidenceURLField(
        label=_("address"), max_length=1000, required=False, assume_scheme="https"
    )

    def clean(self):
        data = super().clean()
        if data.get("url") and not data.get("title"):
            data["title"] = data["url"]
        missing = not data.get("url") and "url" not in self.errors  # not one typed but refused
        if data.get("title") and missing and not data.get("DELETE"):
            self.add_error("url", _("Give the address of the evidence."))
        return data


EvidenceFormSet = formset_factory(EvidenceForm, extra=1, can_delete=True, max_num=50)


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
