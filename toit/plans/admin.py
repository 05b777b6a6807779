"""Plans and measurements in the admin. A plan's text comes from its YAML file (manage.py
toit_plan load): the admin shows it read-only, so that the file stays the source. Manual
measurements are corrected here too, with a mandatory reason kept in their history; a
measurement is cancelled from its action page, which also asks for the reason."""

from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from toit.eviction.corrections import MIN_REASON
from toit.plans.models import (
    Action,
    Indicator,
    Measurement,
    Orientation,
    Plan,
    PlanTerritory,
    ReportLine,
    ReportSection,
    Target,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PlanTerritoryInline(admin.TabularInline):
    model = PlanTerritory
    fields = ["code", "label", "kind", "ref"]
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Plan)
class PlanAdmin(ReadOnlyAdmin):
    list_display = ["title", "code", "department_code", "starts_on", "ends_on", "loaded_at"]
    inlines = [PlanTerritoryInline]


@admin.register(Orientation)
class OrientationAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "plan"]
    list_filter = ["plan"]


@admin.register(Action)
class ActionAdmin(ReadOnlyAdmin):
    list_display = ["code", "title", "plan"]
    list_filter = ["plan"]
    search_fields = ["code", "title"]


@admin.register(Indicator)
class IndicatorAdmin(ReadOnlyAdmin):
    list_display = ["code", "label", "kind", "unit", "periodicity", "plan"]
    list_filter = ["plan", "kind", "periodicity"]
    search_fields = ["code", "label"]


class ReportLineInline(admin.TabularInline):
    model = ReportLine
    fields = ["label", "indicator", "metric_key", "metric_params", "unit", "is_total"]
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReportSection)
class ReportSectionAdmin(ReadOnlyAdmin):
    """The report's tables as the plan file declares them (section report)."""

    list_display = ["title", "kind", "tab", "plan"]
    list_filter = ["plan", "kind"]
    inlines = [ReportLineInline]


@admin.register(Target)
class TargetAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "indicator"]
    list_filter = ["indicator__plan"]


class MeasurementForm(forms.ModelForm):
    reason = forms.CharField(
        label="Motif de la correction",
        min_length=MIN_REASON,
        help_text="Obligatoire : il est gardé dans l'historique de la mesure avec les deux versions.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    class Meta:
        model = Measurement
        fields = ["value", "text_value", "base", "source", "comment"]

    def clean(self):
        """The checks of the action page's form: unit, bounds, decimals, base."""
        from django.core.exceptions import ValidationError

        from toit.metrics.enums import Unit
        from toit.plans.measurements import clean_base, clean_value

        data = super().clean()
        indicator = self.instance.indicator
        raw = data.get("text_value") if indicator.unit == Unit.TEXT else data.get("value")
        number = None
        try:
            number, _ = clean_value(indicator, raw)
        except ValidationError as exc:
            field = "text_value" if indicator.unit == Unit.TEXT else "value"
            self.add_error(field, exc.message_dict["value"])
        if "base" not in self.errors:
            try:
                clean_base(indicator, data.get("base"), number)
            except ValidationError as exc:
                self.add_error("base", exc.message_dict["base"])
        return data


@admin.register(Measurement)
class MeasurementAdmin(SimpleHistoryAdmin):
    form = MeasurementForm
    list_display = [
        "indicator",
        "period_start",
        "period_end",
        "territory",
        "value",
        "base",
        "text_value",
        "recorded_for",
    ]
    list_filter = ["indicator__plan", "periodicity", "is_synthetic"]
    search_fields = ["indicator__code", "source"]
    readonly_fields = ["indicator", "period_start", "period_end", "territory", "recorded_by", "recorded_for"]

    def has_add_permission(self, request):
        return False  # recorded from the action page, which checks the period and the unit

    def has_delete_permission(self, request, obj=None):
        return False  # cancelled from the action page, with a reason

    def save_model(self, request, obj, form, change):
        obj._change_reason = form.cleaned_data["reason"].strip()
        super().save_model(request, obj, form, change)
