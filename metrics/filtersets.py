"""Filters of the metrics list, and the year / pending / status filters every figure list shares."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.functional import cached_property

from metrics.models import Direction, Metric, Unit
from metrics.selectors import (
    STATUS_CHOICES,
    assess_year,
    default_year,
    metric_ids_counted_in_year,
)
from programmes.models import FinancialYear, Partner, Theme
from programmes.scoping import sees_pending


class FigureFilterSet(django_filters.FilterSet):
    """Year, pending and RAG status: the filters that decide which figures a list shows.

    The year also chooses whose figures the columns show; with none chosen the latest year with
    approved figures is used, and the list is not narrowed by year.
    """

    year = django_filters.ModelChoiceFilter(
        queryset=FinancialYear.objects.order_by("-start_year"),
        method="filter_year",
        label="Year",
        empty_label="Latest with figures",
    )
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
        return self.chosen_year or default_year(self.user, include_pending=self.pending_included)

    def keep_all(self, queryset, name, value):
        return queryset

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

    def filter_year(self, queryset, name, value):
        return queryset.filter(pk__in=self.counted_metric_ids_in_year(value))

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
