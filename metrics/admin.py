"""Admin pages for metrics and their results, targets and comparators.

A value is shown with its unit and qualifier ("over 400 young people"), as calculations
formats it, and its form field is labelled with the metric's unit once the metric is known.
"""

from django.contrib import admin

from metrics.calculations import figure_places, format_value, rank_words
from metrics.models import Comparator, ComparatorArea, Metric, Result, Target, Unit
from programmes.admin_base import KeepsCurrentReturnForm, ScopedModelAdmin, ScopedTabularInline
from programmes.forms import ReturnRowAdminMixin, ReturnRowFormMixin, ReturnRowInlineMixin

UNIT_WORDS = {
    Unit.COUNT: "a count",
    Unit.PERCENTAGE: "a percentage, 0 to 100",
    Unit.RATE_PER_1000: "a rate per 1,000 population",
    Unit.RATE_PER_REOFFENDER: "a rate per re-offender",
    Unit.TONNES: "tonnes",
    Unit.HOURS: "hours",
    Unit.GBP: "pounds (£)",
}


class ValueForm(KeepsCurrentReturnForm):
    """Labels the value with the metric's unit, so a partner types the figure in the right unit."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("value")
        metric = getattr(self.instance, "metric", None) if self.instance.metric_id else None
        if field is not None and metric is not None:
            field.label = f"Value ({UNIT_WORDS.get(metric.unit, metric.get_unit_display())})"
        elif field is not None:
            field.help_text = (
                f"{field.help_text} In the metric's unit: a count, a percentage (0 to 100), "
                "a rate, tonnes, hours or pounds."
            ).strip()


class ResultForm(ReturnRowFormMixin, ValueForm):
    """A result's form: unit-labelled, and refusing locked or stale edits in words."""


def figure(obj) -> str:
    metric = obj.metric
    return format_value(
        obj.value,
        obj.unit or metric.unit,
        places=figure_places(metric.decimal_places, obj.places),
        qualifier=obj.qualifier,
        unit_label=metric.unit_label,
        unit_label_singular=metric.unit_label_singular,
    )


class ValueAdminMixin:
    form = ValueForm

    @admin.display(description="value", ordering="value")
    def shown_value(self, obj):
        return figure(obj)


class TargetInline(ValueAdminMixin, ScopedTabularInline):
    model = Target
    form = ValueForm
    fields = ["period", "value", "qualifier", "note"]
    autocomplete_fields = ["period"]


class ResultInline(ReturnRowInlineMixin, ValueAdminMixin, ScopedTabularInline):
    model = Result
    form = ResultForm
    fields = ["period", "value", "qualifier", "report_return", "source", "note"]
    autocomplete_fields = ["period"]


class ComparatorInline(ScopedTabularInline):
    model = Comparator
    fields = [
        "period",
        "area",
        "value",
        "qualifier",
        "rank",
        "rank_order",
        "rank_is_shared",
        "shared_with",
        "group_size",
    ]
    autocomplete_fields = ["period", "area"]


@admin.register(Metric)
class MetricAdmin(ScopedModelAdmin):
    list_display = ["name", "unit", "direction", "partner", "programme", "is_headline"]
    list_filter = ["unit", "direction", "is_headline", "partner", "theme"]
    list_select_related = ["partner", "programme"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["partner", "programme", "theme", "expected_outcomes"]
    inlines = [TargetInline, ResultInline, ComparatorInline]


@admin.register(Result)
class ResultAdmin(ReturnRowAdminMixin, ValueAdminMixin, ScopedModelAdmin):
    form = ResultForm
    list_display = ["metric", "period", "shown_value", "partner", "status"]
    list_filter = ["report_return__status", "metric__partner", "period", "qualifier"]
    list_select_related = [
        "metric",
        "period__financial_year",
        "report_return__partner",
    ]
    search_fields = ["metric__name", "source", "note"]
    autocomplete_fields = ["metric", "period"]
    fields = ["metric", "period", "value", "qualifier", "report_return", "source", "note"]
    help_texts = {
        "metric": "The figure you are reporting; start typing its name.",
        "note": "Anything a reader should know about this figure, such as a change of method.",
    }

    @admin.display(description="partner", ordering="report_return__partner__name")
    def partner(self, obj):
        return obj.report_return.partner

    @admin.display(description="return status", ordering="report_return__status")
    def status(self, obj):
        return obj.report_return.get_status_display()


@admin.register(Target)
class TargetAdmin(ValueAdminMixin, ScopedModelAdmin):
    list_display = ["metric", "period", "shown_value"]
    list_filter = ["metric__partner", "period"]
    list_select_related = ["metric", "period__financial_year"]
    search_fields = ["metric__name", "note"]
    autocomplete_fields = ["metric", "period"]
    fields = ["metric", "period", "value", "qualifier", "note"]
    help_texts = {"metric": "The metric the target is for; start typing its name."}


@admin.register(ComparatorArea)
class ComparatorAreaAdmin(ScopedModelAdmin):
    list_display = ["name", "group_size"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Comparator)
class ComparatorAdmin(ScopedModelAdmin):
    form = ValueForm
    list_display = ["metric", "area", "period", "shown_value", "rank_text"]
    list_filter = ["area", "period", "metric__partner"]
    list_select_related = ["metric", "area", "period__financial_year"]
    search_fields = ["metric__name", "area__name"]
    autocomplete_fields = ["metric", "period", "area"]
    help_texts = {"metric": "The metric compared; start typing its name."}

    @admin.display(description="value", ordering="value")
    def shown_value(self, obj):
        return figure(obj) if obj.value is not None else "—"

    @admin.display(description="rank")
    def rank_text(self, obj):
        if obj.rank is None:
            return "—"
        return rank_words(
            obj.rank,
            obj.rank_order,
            obj.group_size,
            shared=obj.rank_is_shared,
            shared_with=obj.shared_with,
        )
