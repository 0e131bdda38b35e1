"""Admin pages for partners, programmes and what they deliver (every model but Return).

Which rows and choices each user gets is decided in programmes/scoping.py and applied by
ScopedModelAdmin; the classes here only say what each page shows.
"""

from django.contrib import admin

from programmes.admin_base import (
    KeepsCurrentReturnForm,
    ScopedModelAdmin,
    ScopedStackedInline,
    ScopedTabularInline,
)
from programmes.forms import ReturnRowAdminMixin, ReturnRowFormMixin, ReturnRowInlineMixin
from programmes.models import (
    Activity,
    Allocation,
    ExpectedOutcome,
    FinancialYear,
    FundingStream,
    OutcomeStatement,
    Partner,
    Period,
    Programme,
    Theme,
)


@admin.register(Partner)
class PartnerAdmin(ScopedModelAdmin):
    list_display = ["name", "slug", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["members"]


@admin.register(Theme)
class ThemeAdmin(ScopedModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(FundingStream)
class FundingStreamAdmin(ScopedModelAdmin):
    list_display = ["name", "funder", "order"]
    search_fields = ["name", "funder"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(FinancialYear)
class FinancialYearAdmin(ScopedModelAdmin):
    list_display = ["label", "start_year"]
    search_fields = ["start_year"]

    @admin.display(description="financial year", ordering="start_year")
    def label(self, obj):
        return obj.label


@admin.register(Period)
class PeriodAdmin(ScopedModelAdmin):
    list_display = ["label", "kind", "start_date", "end_date"]
    list_filter = ["kind", "financial_year"]
    list_select_related = ["financial_year"]
    search_fields = ["label_text", "financial_year__start_year"]
    autocomplete_fields = ["financial_year"]
    help_texts = {
        "start_date": "Set for you for a year or a quarter; type it for a date range.",
        "end_date": "Set for you for a year or a quarter; type it for a date range.",
    }

    @admin.display(description="period", ordering="start_date")
    def label(self, obj):
        return obj.label


class AllocationInline(ScopedTabularInline):
    model = Allocation
    fields = ["funding_stream", "financial_year", "amount", "note"]
    autocomplete_fields = ["funding_stream", "financial_year"]


class ActivityInline(ScopedStackedInline):
    model = Activity
    fields = [("title", "financial_year", "funding_stream", "order"), "description"]
    autocomplete_fields = ["financial_year", "funding_stream"]


@admin.register(Programme)
class ProgrammeAdmin(ScopedModelAdmin):
    list_display = ["name", "theme", "lead_partner"]
    list_filter = ["theme", "lead_partner"]
    list_select_related = ["theme", "lead_partner"]
    search_fields = ["name", "slug", "lead_partner__name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["theme", "lead_partner", "delivery_partners"]
    inlines = [ActivityInline, AllocationInline]


@admin.register(Allocation)
class AllocationAdmin(ScopedModelAdmin):
    list_display = ["programme", "funding_stream", "financial_year", "amount"]
    list_filter = ["funding_stream", "financial_year"]
    list_select_related = ["programme", "funding_stream", "financial_year"]
    search_fields = ["programme__name", "funding_stream__name"]
    autocomplete_fields = ["programme", "funding_stream", "financial_year"]
    help_texts = {"note": "Conditions or remarks about the money, for example match funding."}


class ExpectedOutcomeInline(ScopedTabularInline):
    model = ExpectedOutcome
    fields = ["text", "order"]


class OutcomeStatementForm(ReturnRowFormMixin, KeepsCurrentReturnForm):
    """A narrative's form, refusing locked or stale edits in words."""


class OutcomeStatementInline(ReturnRowInlineMixin, ScopedStackedInline):
    model = OutcomeStatement
    form = OutcomeStatementForm
    fields = ["report_return", "text", "note"]


@admin.register(Activity)
class ActivityAdmin(ScopedModelAdmin):
    list_display = ["title", "programme", "financial_year", "funding_stream"]
    list_filter = ["financial_year", "funding_stream", "programme__theme"]
    list_select_related = ["programme", "financial_year", "funding_stream"]
    search_fields = ["title", "description", "programme__name"]
    autocomplete_fields = ["programme", "financial_year", "funding_stream"]
    inlines = [ExpectedOutcomeInline, OutcomeStatementInline]
    help_texts = {"order": "Where the row comes in the report's table; lower comes first."}


@admin.register(ExpectedOutcome)
class ExpectedOutcomeAdmin(ScopedModelAdmin):
    list_display = ["__str__", "activity", "order"]
    list_filter = ["activity__financial_year", "activity__programme"]
    list_select_related = ["activity__financial_year"]
    search_fields = ["text", "activity__title"]
    autocomplete_fields = ["activity"]
    help_texts = {"activity": "The activity this outcome belongs to."}


@admin.register(OutcomeStatement)
class OutcomeStatementAdmin(ReturnRowAdminMixin, ScopedModelAdmin):
    form = OutcomeStatementForm
    list_display = ["activity", "programme", "period", "partner", "status"]
    list_filter = ["report_return__status", "report_return__partner", "report_return__period"]
    list_select_related = [
        "activity__programme",
        "activity__financial_year",
        "report_return__partner",
        "report_return__period__financial_year",
    ]
    search_fields = ["text", "activity__title", "activity__programme__name"]
    autocomplete_fields = ["activity"]
    help_texts = {
        "activity": "The activity the narrative describes; start typing its title.",
    }

    @admin.display(description="programme", ordering="activity__programme__name")
    def programme(self, obj):
        return obj.activity.programme

    @admin.display(description="period", ordering="report_return__period__start_date")
    def period(self, obj):
        return obj.report_return.period

    @admin.display(description="partner", ordering="report_return__partner__name")
    def partner(self, obj):
        return obj.report_return.partner

    @admin.display(description="status", ordering="report_return__status")
    def status(self, obj):
        return obj.report_return.get_status_display()
