"""The programmes list table."""

import django_tables2 as tables

from wirralsafe.tables import LeanTable, sortable


class ProgrammeTable(LeanTable):
    name = sortable("name", "Programme")
    theme = tables.Column(verbose_name="Theme")
    lead_partner = tables.Column(verbose_name="Lead partner")
    streams = tables.Column(verbose_name="Funding streams")
    funding = sortable("funding", "Allocated (£)")
    metrics = tables.Column(verbose_name="Metrics")
    status = sortable("status", "RAG status of its metrics")

    export_text_columns = ("funding",)

    class Meta(LeanTable.Meta):
        order_by = ("name",)
