"""Filters of the metrics list, and the year / pending / status filters every figure list shares."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.functional import cached_property

from metrics.models import Direction, Metric, Unit
from metrics.selectors import (
    NO_FIGURE,
    STATUS_CHOICES,
    assess_year,
    default_year,
    metric_ids_counted_in_year,
    years_with_figures,
)
from programmes.models import FinancialYear, Partner, Theme
from programmes.scoping import sees_pending
from wirralsafe.forms import YearChoiceField, later_year_under_way


class YearFilter(django_filters.Filter):
    """A year chosen by its label (wirralsafe.forms.YearChoiceField)."""

    field_class = YearChoiceField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", "Year")
        super().__init__(*args, **kwargs)


class FigureFilterSet(django_filters.FilterSet):
    """Year, pending and RAG status: the filters that decide which figures a list shows.

    The year also chooses whose figures the columns show; with none chosen the latest complete
    year with figures is used (metrics.selectors.default_year), and the list is not narrowed by
    year. A chosen year narrows the list to the rows of that year (narrow_to_year), except under
    RAG status "No figure": what has no figure that year is what that status is for, so it
    lists every row without one, as the dashboard counts them.
    """

    year = YearFilter(method="filter_year")
    include_pending = django_filters.BooleanFilter(
        method="keep_all",
        label="Include submitted figures (marked pending)",
        widget=forms.CheckboxInput,
    )
    status = django_filters.ChoiceFilter(
        choices=STATUS_CHOICES,
        method="filter_status",
        label="RAG status",
        empty_label="Any",
    )
    q = django_filters.CharFilter(method="filter_text", label="Search")

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        self.user = request.user
        if not sees_pending(self.user):
            del self.filters["include_pending"]

    def _cleaned(self, name):
        self.form.is_valid()
        return getattr(self.form, "cleaned_data", {}).get(name)

    @cached_property
    def pending_included(self) -> bool:
        return bool(self._cleaned("include_pending")) and sees_pending(self.user)

    @cached_property
    def chosen_year(self) -> FinancialYear | None:
        return self._cleaned("year")

    @cached_property
    def figures_year(self) -> FinancialYear | None:
        """The year whose figures the list shows."""
        if self.chosen_year is not None:
            return self.chosen_year
        return default_year(
            self.user, include_pending=self.pending_included, with_figures=self._years_with_figures
        )

    @cached_property
    def _years_with_figures(self) -> list[FinancialYear]:
        # Read once for the default year and for a later year under way.
        return years_with_figures(self.user, include_pending=self.pending_included)

    @cached_property
    def year_under_way(self) -> FinancialYear | None:
        """A year under way with figures, later than the default year shown: the default passes
        it over until it is complete, so the page must say that it exists. Asked only when no
        year was chosen, from the years the default was chosen from (no query of its own)."""
        if self.chosen_year is not None or self.figures_year is None:
            return None
        return later_year_under_way(self._years_with_figures, self.figures_year)

    def keep_all(self, queryset, name, value):
        return queryset

    def filter_year(self, queryset, name, value):
        if self._cleaned("status") == NO_FIGURE:
            return queryset
        return self.narrow_to_year(queryset, value)

    def narrow_to_year(self, queryset, year: FinancialYear):
        raise NotImplementedError

    def counted_metric_ids_in_year(self, year: FinancialYear):
        return metric_ids_counted_in_year(self.user, year, include_pending=self.pending_included)

    def statuses(self, metrics) -> dict:
        """Each metric's assessment for the figures year."""
        return assess_year(
            self.user, list(metrics), self.figures_year, include_pending=self.pending_included
        )


class MetricFilterSet(FigureFilterSet):
    theme = django_filters.ModelChoiceFilter(
        queryset=Theme.objects.all(), method="filter_theme", label="Theme", empty_label="Any"
    )
    partner = django_filters.ModelChoiceFilter(
        queryset=Partner.objects.all(), label="Reporting partner", empty_label="Any"
    )
    unit = django_filters.ChoiceFilter(choices=Unit.choices, empty_label="Any")
    direction = django_filters.ChoiceFilter(choices=Direction.choices, empty_label="Any")
    headline = django_filters.BooleanFilter(
        method="filter_headline", label="Headline metrics only", widget=forms.CheckboxInput
    )

    class Meta:
        model = Metric
        fields = ["year", "theme", "partner", "unit", "direction", "status", "headline", "q"]

    def narrow_to_year(self, queryset, year):
        """Metrics with a counted figure for the year: the rows of its funding report."""
        return queryset.filter(pk__in=self.counted_metric_ids_in_year(year))

    def filter_theme(self, queryset, name, value):
        return queryset.filter(Q(theme=value) | Q(programme__theme=value))

    def filter_headline(self, queryset, name, value):
        return queryset.filter(is_headline=True) if value else queryset

    def filter_text(self, queryset, name, value):
        words = value.split()
        for word in words:
            queryset = queryset.filter(
                Q(name__icontains=word)
                | Q(description__icontains=word)
                | Q(programme__name__icontains=word)
                | Q(partner__name__icontains=word)
            )
        return queryset

    def filter_status(self, queryset, name, value):
        assessed = self.statuses(queryset.select_related("programme__theme", "theme"))
        return queryset.filter(pk__in=[pk for pk, a in assessed.items() if a.status == value])
