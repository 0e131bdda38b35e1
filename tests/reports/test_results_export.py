"""The full download of every result: approved only unless asked, typed, streamed, complete."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from metrics.models import Qualifier
from programmes.scoping import Role
from reports.selectors import RESULT_EXPORT_HEADER, result_export_count, result_export_rows
from tests import factories

pytestmark = pytest.mark.django_db


def _column(name):
    return RESULT_EXPORT_HEADER.index(name)


def _world():
    partner = factories.partner(name="Merseyside Police")
    approved = factories.report_return(partner=partner)
    draft = factories.report_return(
        partner=partner, period=factories.quarter_period(start_year=2019, quarter=2)
    )
    metric = factories.metric(name="ASB incidents", partner=partner, unit_label="incidents")
    counted = factories.result(
        metric=metric,
        period=approved.period,
        report_return=approved,
        value=Decimal("6029"),
        qualifier=Qualifier.OVER,
        note="=HYPERLINK(1)",
    )
    factories.result(metric=metric, period=draft.period, report_return=draft, value=Decimal(7))
    factories.approve(approved)
    factories.submit(draft)  # submitted, not approved: pending
    return counted


def test_only_approved_results_are_exported_unless_an_analyst_asks_for_pending():
    _world()
    analyst = factories.user(Role.ANALYST)
    rows = list(result_export_rows(analyst))
    assert len(rows) == result_export_count(analyst) == 1
    with_pending = list(result_export_rows(analyst, include_pending=True))
    assert len(with_pending) == 2
    assert sorted(r[_column("Pending")] for r in with_pending) == ["No", "Yes"]


def test_a_result_row_keeps_the_number_typed_and_prints_it_as_the_report_does():
    counted = _world()
    (row,) = result_export_rows(factories.user(Role.ANALYST))
    assert row[_column("Value")] == Decimal("6029")
    assert row[_column("Qualifier")] == Qualifier.OVER.label
    assert row[_column("As printed")] == "over 6,029 incidents"
    assert row[_column("Period")] == counted.period.label
    assert row[_column("Partner")] == "Merseyside Police"
    # Text a spreadsheet could run as a formula is defused.
    assert row[_column("Note")] == "'=HYPERLINK(1)"


def test_export_results_command_writes_every_row_to_a_workbook(tmp_path):
    _world()
    output = tmp_path / "results.xlsx"
    call_command("export_results", "--output", str(output), "--include-pending", verbosity=0)
    sheet = load_workbook(output, read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == RESULT_EXPORT_HEADER
    assert len(rows) == 3
    assert {r[_column("Value")] for r in rows[1:]} == {6029, 7}
