"""The metrics list table."""

import django_tables2 as tables

from wirralsafe.tables import LeanTable, sortable


class MetricTable(LeanTable):
    name = sortable("name", "Metric")
    theme = tables.Column(verbose_name="Theme")
    programme = tables.Column(verbose_name="Programme")
    partner = tables.Column(verbose_name="Reported by")
    unit = tables.Column(verbose_name="Unit")
    direction = tables.Column(verbose_name="Direction")
    figure = sortable("figure", "Figure")
    period = tables.Column(verbose_name="Period")
    target = sortable("target", "Target")
    change = sortable("change", "Change on a year before (%)")
    quarter_change = sortable("quarter_change", "Change on the quarter before (%)")
    status = sortable("status", "Status")
    position = tables.Column(verbose_name="Position among comparators")

    export_text_columns = ("figure", "target", "change", "quarter_change")

    class Meta(LeanTable.Meta):
        order_by = ("name",)
