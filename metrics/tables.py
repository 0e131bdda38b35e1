"""The metrics list table."""

import django_tables2 as tables

from wirralsafe.tables import LeanTable, sortable


class MetricTable(LeanTable):
    # The figure and how it stands come first, so that they are in view on a laptop's screen;
    # what the metric is filed under follows.
    name = sortable("name", "Metric")
    figure = sortable("figure", "Figure")
    period = tables.Column(verbose_name="Period")
    target = sortable("target", "Target")
    change = sortable("change", "Change on a year before (%)")
    quarter_change = sortable("quarter_change", "Change on the quarter before (%)")
    status = sortable("status", "Status")
    position = tables.Column(verbose_name="Position among comparators")
    theme = tables.Column(verbose_name="Theme")
    programme = tables.Column(verbose_name="Programme")
    partner = tables.Column(verbose_name="Reported by")
    unit = tables.Column(verbose_name="Unit")
    direction = tables.Column(verbose_name="Direction")

    export_text_columns = ("figure", "target", "change", "quarter_change")

    class Meta(LeanTable.Meta):
        order_by = ("name",)
