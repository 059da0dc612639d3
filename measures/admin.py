from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Count, IntegerField, Value, When
from django.utils.translation import gettext_lazy as _

from .models import (
    Agency,
    AssessmentResult,
    District,
    EvidenceLink,
    FiscalYear,
    Indicator,
    IndicatorProgress,
    IndicatorProgressItem,
    IssueGroup,
    Measure,
    MeasureItem,
    OITItem,
    Province,
    Report,
    Responsible,
    ScoreBand,
    Subdistrict,
    Tool,
    Unit,
)
from .services import fiscal_year_confirm, fiscal_year_open

admin.site.site_header = _("ITA Portal administration")
admin.site.site_title = _("ITA Portal")
admin.site.index_title = _("Administration")

COMPACT_TEXT = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 80})}}


# -- Places and agencies ---------------------------------------------------------------------


class DistrictInline(admin.TabularInline):
    model = District
    extra = 0
    fields = ["code", "name", "name_en"]


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "slug", "district_count", "agency_count"]
    search_fields = ["name", "name_en", "slug", "code"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [DistrictInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                n_districts=Count("districts", distinct=True),
                n_agencies=Count("agencies", distinct=True),
            )
        )

    @admin.display(description=_("districts"), ordering="n_districts")
    def district_count(self, obj):
        return obj.n_districts

    @admin.display(description=_("agencies"), ordering="n_agencies")
    def agency_count(self, obj):
        return obj.n_agencies


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "province"]
    list_filter = ["province"]
    search_fields = ["name", "name_en", "code", "province__name"]


@admin.register(Subdistrict)
class SubdistrictAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "district", "postal_code"]
    list_select_related = ["district__province"]
    list_filter = ["district__province"]
    search_fields = ["name", "name_en", "code", "district__name", "postal_code"]
    autocomplete_fields = ["district"]


class UnitInline(admin.TabularInline):
    model = Unit
    extra = 1


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "district", "province", "slug", "code"]
    list_filter = ["kind", "province"]
    search_fields = ["name", "short_name", "slug", "code", "district__name", "province__name"]
    autocomplete_fields = ["district", "province", "subdistrict_area"]
    inlines = [UnitInline]


# -- Fiscal years and the framework --------------------------------------------------------------


class ToolInline(admin.TabularInline):
    model = Tool
    extra = 0


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0


class ScoreBandInline(admin.TabularInline):
    model = ScoreBand
    extra = 0


class OITItemInline(admin.TabularInline):
    model = OITItem
    extra = 0


@admin.register(FiscalYear)
class FiscalYearAdmin(admin.ModelAdmin):
    list_display = ["year", "start", "end", "oit_deadline", "provisional"]
    list_filter = ["provisional"]
    search_fields = ["year"]
    inlines = [ToolInline, IndicatorInline, ScoreBandInline, OITItemInline]
    actions = ["open_next_year", "confirm_framework"]

    @admin.action(description=_("Open the next fiscal year as a copy of the selected one"))
    def open_next_year(self, request, queryset):
        for source in queryset.order_by("year"):
            try:
                opened = fiscal_year_open(year=source.year + 1, source=source)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            else:
                self.message_user(
                    request,
                    _(
                        "Fiscal year %(year)s is open, copied from %(source)s and marked "
                        "provisional: set its OIT deadline and confirm it when the NACC's manual "
                        "is out."
                    )
                    % {"year": opened.year, "source": source.year},
                    messages.SUCCESS,
                )

    @admin.action(description=_("Confirm the framework of the selected years"))
    def confirm_framework(self, request, queryset):
        for year in queryset.filter(provisional=True):
            fiscal_year_confirm(fiscal_year=year)
        self.message_user(request, _("Confirmed."), messages.SUCCESS)

    @admin.display(description=_("start"))
    def start(self, obj):
        return obj.start

    @admin.display(description=_("end"))
    def end(self, obj):
        return obj.end


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "tool", "fiscal_year"]
    list_filter = ["fiscal_year", "tool__code"]
    search_fields = ["name"]


@admin.register(OITItem)
class OITItemAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "form", "fiscal_year", "indicator"]
    list_filter = ["fiscal_year", "form"]
    search_fields = ["code", "title"]


@admin.register(AssessmentResult)
class AssessmentResultAdmin(admin.ModelAdmin):
    list_display = [
        "agency",
        "fiscal_year",
        "overall",
        "iit",
        "eit",
        "oit",
        "published_label",
        "official_band",
    ]
    list_filter = ["fiscal_year", "agency__province"]
    search_fields = ["agency__name", "published_label"]
    autocomplete_fields = ["agency"]

    @admin.display(description=_("official band"))
    def official_band(self, obj):
        return obj.official_band or "–"


# -- Reports ---------------------------------------------------------------------------------------


class IssueGroupInline(admin.TabularInline):
    model = IssueGroup
    extra = 0


class MeasureInline(admin.TabularInline):
    model = Measure
    fields = ["position", "title", "indicator", "issue_group", "period_style", "progress"]
    show_change_link = True
    formfield_overrides = COMPACT_TEXT
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("indicator", "issue_group")


class IndicatorProgressInline(admin.TabularInline):
    model = IndicatorProgress
    fields = ["position", "indicator", "indicator_label", "responsible", "progress"]
    show_change_link = True
    extra = 0


def _packed(report) -> bool:
    # A closed year's report kept in its published version (publication.packing): staff opening
    # it write its measures' lines back from that version, over anything changed here.
    return bool(report and report.packed)


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["agency", "fiscal_year", "layout", "measure_count", "packed", "updated_at"]
    list_filter = ["fiscal_year", "layout", "agency__kind", "agency__province"]
    search_fields = ["agency__name", "title", "heading"]
    autocomplete_fields = ["agency", "cited_result"]
    inlines = [IssueGroupInline, MeasureInline, IndicatorProgressInline]
    fieldsets = [
        (None, {"fields": ["agency", "fiscal_year", "layout", "digits"]}),
        (
            _("Front matter"),
            {"fields": [f for f in Report.FRONT_MATTER_FIELDS if f not in ("layout", "digits")]},
        ),
        (_("Memo (บันทึกข้อความ)"), {"classes": ["collapse"], "fields": Report.MEMO_FIELDS}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("agency", "fiscal_year")
            .annotate(n_measures=Count("measures"))
        )

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not _packed(obj)

    @admin.display(description=_("measures"), ordering="n_measures")
    def measure_count(self, obj):
        return obj.n_measures


class MeasureItemInline(admin.TabularInline):
    model = MeasureItem
    fields = ["kind", "position", "label", "text", "new_row"]
    formfield_overrides = COMPACT_TEXT
    extra = 0

    def get_queryset(self, request):
        # In the order of the document's columns, not the alphabet's.
        kind_order = Case(
            *[When(kind=kind, then=Value(i)) for i, kind in enumerate(MeasureItem.Kind.values)],
            output_field=IntegerField(),
        )
        return super().get_queryset(request).order_by(kind_order, "position")


class ResponsibleInline(admin.TabularInline):
    model = Responsible
    fields = ["role", "position", "unit", "name"]
    extra = 0


class EvidenceLinkInline(admin.TabularInline):
    model = EvidenceLink
    extra = 0
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # as Django 6 will


@admin.register(Measure)
class MeasureAdmin(admin.ModelAdmin):
    list_display = ["title_short", "report", "position", "indicator", "issue_group", "progress"]
    list_filter = ["report__fiscal_year", "progress", "period_style", "indicator__number"]
    search_fields = ["title", "items__text", "report__agency__name"]
    list_select_related = ["report__agency", "report__fiscal_year", "indicator", "issue_group"]
    autocomplete_fields = ["report"]
    inlines = [MeasureItemInline, ResponsibleInline, EvidenceLinkInline]
    fieldsets = [
        (None, {"fields": ["report", "position", "title", "progress"]}),
        (_("Indicator or issue"), {"fields": ["indicator", "indicator_label", "issue_group"]}),
        (_("Period"), {"fields": ["period_style", "period_start", "period_end"]}),
        (
            _("Numbering"),
            {
                "classes": ["collapse"],
                "fields": [
                    "sub_items_numbering",
                    "steps_numbering",
                    "outputs_numbering",
                    "outcomes_numbering",
                    "responsible_numbering",
                ],
            },
        ),
    ]

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not _packed(obj and obj.report)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not _packed(obj and obj.report)

    @admin.display(description=_("measure"), ordering="title")
    def title_short(self, obj):
        return obj.title[:80]


class IndicatorProgressItemInline(admin.TabularInline):
    model = IndicatorProgressItem
    fields = ["kind", "position", "label", "text"]
    formfield_overrides = COMPACT_TEXT
    extra = 0


@admin.register(IndicatorProgress)
class IndicatorProgressAdmin(admin.ModelAdmin):
    list_display = ["__str__", "report", "progress"]
    list_filter = ["report__fiscal_year", "progress"]
    search_fields = ["indicator_label", "indicator__name", "report__agency__name"]
    list_select_related = ["report__agency", "report__fiscal_year", "indicator"]
    autocomplete_fields = ["report"]
    inlines = [IndicatorProgressItemInline]
