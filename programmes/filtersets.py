"""Filters of the programmes list."""

from __future__ import annotations

import django_filters
from django.db.models import Q

from metrics.filtersets import FigureFilterSet
from metrics.models import Metric
from programmes.models import Allocation, FundingStream, Partner, Programme, Theme


class ProgrammeFilterSet(FigureFilterSet):
    funding_stream = django_filters.ModelChoiceFilter(
        queryset=FundingStream.objects.all(),
        method="filter_stream",
        label="Funding stream",
        empty_label="Any",
    )
    theme = django_filters.ModelChoiceFilter(queryset=Theme.objects.all(), empty_label="Any")
    lead_partner = django_filters.ModelChoiceFilter(
        queryset=Partner.objects.all(), label="Lead partner", empty_label="Any"
    )

    class Meta:
        model = Programme
        fields = ["year", "funding_stream", "theme", "lead_partner", "status", "q"]

    def narrow_to_year(self, queryset, year):
        """Programmes funded, delivering or reporting in the year."""
        active = (
            Q(allocations__financial_year=year)
            | Q(activities__financial_year=year)
            | Q(metrics__in=self.counted_metric_ids_in_year(year))
        )
        return queryset.filter(pk__in=Programme.objects.filter(active).values("pk"))

    def filter_stream(self, queryset, name, value):
        allocations = Allocation.objects.filter(funding_stream=value)
        if self.chosen_year is not None:
            allocations = allocations.filter(financial_year=self.chosen_year)
        funded = Q(pk__in=allocations.values("programme_id"))
        delivered = Q(activities__funding_stream=value)
        if self.chosen_year is not None:
            delivered &= Q(activities__financial_year=self.chosen_year)
        return queryset.filter(pk__in=Programme.objects.filter(funded | delivered).values("pk"))

    def filter_text(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(
                Q(name__icontains=word)
                | Q(description__icontains=word)
                | Q(theme__name__icontains=word)
                | Q(lead_partner__name__icontains=word)
            )
        return queryset

    def filter_status(self, queryset, name, value):
        """Programmes with at least one metric in that status for the year."""
        metrics = Metric.objects.filter(programme__in=queryset.values("pk"))
        assessed = self.statuses(metrics)
        ids = {a.metric.programme_id for a in assessed.values() if a.status == value}
        return queryset.filter(pk__in=ids)
