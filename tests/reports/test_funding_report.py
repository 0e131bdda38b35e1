"""The commissioners' funding report workbook: contents, scoping, finish and streaming."""

import io
import tracemalloc
import zipfile
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook, load_workbook

from metrics.models import Direction, Unit
from metrics.models import Metric as MetricModel
from metrics.selectors import Assessed, Shown
from programmes.models import FinancialYear, Partner, Period, Return
from reports import selectors
from reports.excel.funding_report import METRIC_COLUMNS, write_funding_report, write_metrics_sheet
from reports.selectors import MetricRow
from tests import factories as f

pytestmark = pytest.mark.django_db


def build(user, **kw):
    report = selectors.funding_report(user=user, year_label="2018/19", **kw)
    buffer = io.BytesIO()
    write_funding_report(report, buffer, generated_by=user.username)
    return buffer.getvalue()


def sheet_rows(ws, header_row=1):
    headers = [c.value for c in ws[header_row]]
    return {
        row[0].value: dict(zip(headers, row, strict=False))
        for row in ws.iter_rows(min_row=header_row + 1)
        if row[0].value
    }


def test_summary_has_headlines_with_sentences_from_the_data(report_data, commissioner):
    ws = load_workbook(io.BytesIO(build(commissioner)))["Summary"]
    rows = sheet_rows(ws, header_row=3)
    assert set(rows) == {"Anti-social behaviour incidents", "Hate crimes solved"}
    asb = rows["Anti-social behaviour incidents"]
    assert (asb["Previous year"].value, asb["Year"].value) == (8617, 6029)
    assert asb["In words"].value == (
        "Anti-social behaviour incidents fell by 30%, from 8,617 to 6,029."
    )
    # The comparator as the metric's page words it, for the figure's own period.
    assert asb["Comparators"].value == "Most similar group: Wirral 4th lowest of 15"
    assert rows["Hate crimes solved"]["In words"].value == (
        "Hate crimes solved rose by 3.5 percentage points, from 20.0% to 23.5%."
    )


def test_metrics_sheet_pivots_one_row_per_metric_with_numbers_as_numbers(report_data, commissioner):
    ws = load_workbook(io.BytesIO(build(commissioner)))["Metrics"]
    assert [c.value for c in ws[1]] == [t for t, _ in METRIC_COLUMNS]
    rows = sheet_rows(ws)
    young = rows["Young people reached"]
    assert [young[q].value for q in ("Q1", "Q2", "Q3", "Q4")] == [100, 110, 120, 130]
    assert young["Year"].value == 460
    assert young["Year"].data_type == "n"
    assert young["Qualifier"].value == "Over (a lower bound); Q4 over (a lower bound)"
    assert young["Year as printed"].value == "over 460 young people"
    assert young["Year"].number_format == "#,##0"
    solved = rows["Hate crimes solved"]
    assert solved["Year"].value == 23.5
    assert solved["Year"].number_format == '0.0"%"'
    assert (solved["Target"].value, solved["RAG status"].value) == (25, "Green")
    assert solved["Change %"].value == 17.5
    reoffending = rows["Re-offences per re-offender"]
    assert reoffending["Year"].value == 5.22
    assert reoffending["Year"].number_format == "#,##0.00"
    assert reoffending["Period of the figure, if not the year"].value == "April 2016 - March 2017"
    assert reoffending["Year as printed"].value == (
        "5.22 per re-offender (April 2016 - March 2017 figure)"
    )


def test_commissioners_get_approved_figures_only_even_if_they_ask_for_pending(
    report_data, commissioner
):
    ws = load_workbook(io.BytesIO(build(commissioner, include_pending=True)))["Metrics"]
    # Like the metrics list for the year, the report holds the metrics with a counted figure.
    assert "Referrals awaiting approval" not in sheet_rows(ws)
    notes = load_workbook(io.BytesIO(build(commissioner)))["Notes"]
    included = {r[0].value: r[1].value for r in notes.iter_rows()}["Figures included"]
    assert included.startswith("Approved figures and narratives only")


def test_analysts_may_include_pending_figures_marked_as_such(report_data, analyst):
    wb = load_workbook(io.BytesIO(build(analyst, include_pending=True)))
    pending = sheet_rows(wb["Metrics"])["Referrals awaiting approval"]
    assert pending["Year"].value == 77
    assert pending["Pending"].value == "pending"
    assert pending["Year"].font.i is True
    included = {r[0].value: r[1].value for r in wb["Notes"].iter_rows()}["Figures included"]
    assert "submitted but not yet approved" in included


def test_stream_sheet_has_the_report_layout_with_wrapped_tall_rows(report_data, commissioner):
    ws = load_workbook(io.BytesIO(build(commissioner, stream_slug="pcc")))["PCC Funded Programmes"]
    assert [c.value for c in ws[2]][3:6] == ["Activity", "Expected outcomes", "Outcomes"]
    row = sheet_rows(ws, header_row=2)["Target Hardening"]
    assert row["Activity"].value == "Fit locks and alarms at the homes of repeat victims."
    assert row["Expected outcomes"].value == "• Fewer repeat burglaries."
    assert "120 homes made safer" in row["Outcomes"].value
    assert "Hate crimes solved: 23.5%" in row["Key figures"].value
    assert "Young people reached: over 460 young people" in row["Key figures"].value
    assert row["Activity"].alignment.wrap_text is True
    assert ws.row_dimensions[row["Activity"].row].height >= 30


def test_the_activity_column_holds_the_activity_not_the_programme_name_again(
    report_data, commissioner
):
    # The fixture's activity is titled like its programme: the row says that once, in the
    # Programme column. A title that says more heads the description.
    f.activity(
        programme=report_data.programme,
        funding_stream=report_data.stream,
        title="Sanctuary scheme",
        description="Safe rooms for victims who choose to stay at home.",
        order=1,
    )
    ws = load_workbook(io.BytesIO(build(commissioner)))["PCC Funded Programmes"]
    activities = [r[3].value for r in ws.iter_rows(min_row=3)]
    assert activities == [
        "Fit locks and alarms at the homes of repeat victims.",
        "Sanctuary scheme\nSafe rooms for victims who choose to stay at home.",
    ]


def test_an_unpublished_allocation_is_not_mistaken_for_none_recorded(report_data, commissioner):
    from programmes.models import Allocation

    year = FinancialYear.objects.get(start_year=2018)
    Allocation.objects.create(
        programme=report_data.programme, funding_stream=report_data.stream, financial_year=year
    )
    funded = f.programme(name="Funded", lead_partner=report_data.partner)
    Allocation.objects.create(
        programme=funded,
        funding_stream=report_data.stream,
        financial_year=year,
        amount=Decimal("12500.50"),
    )
    f.activity(programme=funded, funding_stream=report_data.stream, financial_year=year)
    unfunded = f.programme(name="Unfunded", lead_partner=report_data.partner)
    f.activity(programme=unfunded, funding_stream=report_data.stream, financial_year=year)
    wb = load_workbook(io.BytesIO(build(commissioner)))
    rows = sheet_rows(wb["PCC Funded Programmes"], header_row=2)
    assert rows["Target Hardening"]["Allocation"].value == "not published"
    assert rows["Unfunded"]["Allocation"].value == "no allocation recorded"
    assert rows["Funded"]["Allocation"].value == 12500.5
    assert rows["Funded"]["Allocation"].data_type == "n"
    notes = {r[0].value: r[1].value for r in wb["Notes"].iter_rows()}
    assert "'not published' when an allocation is recorded" in notes["Allocation"]


def _summary_charts(data: bytes) -> list[dict]:
    """Each chart of the Summary: its title, axis titles, and the rows its series read."""
    import re

    charts = []
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in sorted(n for n in z.namelist() if n.startswith("xl/charts/chart")):
            xml = z.read(name).decode()
            refs = re.findall(r"<(?:c:)?f>'?Summary'?!\$[A-Z]+\$(\d+)(?::\$[A-Z]+\$(\d+))?<", xml)
            rows = {n for top, bottom in refs for n in range(int(top), int(bottom or top) + 1)}
            titles = re.findall(r"<a:t>([^<]*)</a:t>", xml)
            charts.append({"titles": titles, "rows": rows})
    return charts


def test_no_summary_chart_puts_two_units_on_one_axis(report_data, commissioner):
    # A headline figure for an earlier period (2016/17 re-offending) is in the table but not
    # charted: the chart's bars are labelled with this year and last.
    MetricModel.objects.filter(slug="reoffences").update(is_headline=True)
    data = build(commissioner)
    ws = load_workbook(io.BytesIO(data))["Summary"]
    unit_of_row = {c.row: ws.cell(c.row, 2).value for c in ws["A"][3:] if c.value}
    assert len(unit_of_row) == 3
    charts = _summary_charts(data)
    assert [{unit_of_row[n] for n in chart["rows"]} for chart in charts] == [
        {"Count"},
        {"Percentage"},
    ]
    assert charts[0]["titles"] == ["Headline counts: 2017/18 and 2018/19", "Count"]
    assert charts[1]["titles"] == ["Headline percentages: 2017/18 and 2018/19", "Percentage"]
    names = {ws.cell(n, 1).value for chart in charts for n in chart["rows"]}
    assert names == {"Anti-social behaviour incidents", "Hate crimes solved"}


def test_one_stream_report_holds_only_that_stream(report_data, commissioner):
    f.activity(funding_stream=f.stream(name="CSP Funding Element", slug="csp"))
    names = load_workbook(io.BytesIO(build(commissioner, stream_slug="pcc"))).sheetnames
    assert names == ["Summary", "PCC Funded Programmes", "Metrics", "Notes"]
    everything = load_workbook(io.BytesIO(build(commissioner))).sheetnames
    assert "CSP Funding Element" in everything


def test_no_text_from_users_becomes_a_formula(report_data, commissioner):
    f.activity(
        programme=report_data.programme,
        funding_stream=report_data.stream,
        title='=HYPERLINK("http://evil")',
        description="x",
    )
    # Another partner's: the police returns are approved and locked. With an approved figure,
    # as the report holds only metrics with a counted figure for the year.
    at_sum = f.metric(name="@SUM(1+1)", slug="at-sum", partner=f.partner())
    f.approve(f.result(metric=at_sum, period=f.year_period(2018)).report_return)
    wb = load_workbook(io.BytesIO(build(commissioner)))
    metric_names = [c.value for c in wb["Metrics"]["A"]]
    assert "'@SUM(1+1)" in metric_names
    activities = [c for c in wb["PCC Funded Programmes"]["D"] if c.value]
    assert any(c.value.startswith("'=HYPERLINK") for c in activities)
    for ws in wb:
        for row in ws.iter_rows():
            assert all(c.data_type != "f" for c in row)


def test_the_workbook_is_finished_for_print_and_filtering(report_data, commissioner):
    data = build(commissioner)
    wb = load_workbook(io.BytesIO(data))
    ws = wb["Metrics"]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:T{ws.max_row}"
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.fitToWidth == 1
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert ws.print_title_rows == "$1:$1"
    assert ws.column_dimensions["A"].width == 40
    assert wb["Summary"].freeze_panes == "A4"
    assert wb.properties.title == "Funding report 2018/19"
    assert wb.properties.creator == commissioner.username
    assert wb.properties.created is not None
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        chart = z.read("xl/charts/chart1.xml").decode()
    assert "barChart" in chart and "Summary" in chart


def test_the_report_reads_a_fixed_number_of_queries(report_data, analyst):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            selectors.funding_report(user=analyst, year_label="2018/19", include_pending=True)
        return len(ctx.captured_queries)

    count()  # the first call also reads the user's roles, which are then cached
    small = count()
    for n in range(5):
        # Another partner's figures: the police returns are approved and locked.
        m = f.metric(programme=report_data.programme, partner=f.partner(), is_headline=True)
        for q in range(1, 5):
            f.result(metric=m, period=f.quarter_period(2018, q), value=n + q)
        f.activity(programme=report_data.programme, funding_stream=report_data.stream)
    assert count() == small


def _fake_rows(n):
    partner = Partner(name="Police", slug="police")
    year = Period(kind=Period.Kind.YEAR, financial_year=FinancialYear(start_year=2018))
    for i in range(n):
        metric = MetricModel(
            name=f"Metric {i % 50}", slug=f"m{i % 50}", unit=Unit.COUNT, direction=Direction.NEITHER
        )
        metric.partner = partner
        figure = Shown(value=Decimal(i), qualifier="exact", text=str(i), period=year)
        yield MetricRow(
            assessed=Assessed(
                metric=metric,
                figure=figure,
                quarters=[figure] * 4,
                comparators=["England: 12"],
            )
        )


def _peak(n, path):
    wb = Workbook(write_only=True)
    tracemalloc.start()
    write_metrics_sheet(wb, _fake_rows(n))
    # To a file, as the views and the command do: a BytesIO would itself grow with the rows.
    wb.save(path)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def test_memory_does_not_grow_with_the_number_of_rows(tmp_path):
    """Rows stream to disk. openpyxl keeps one shared-strings table of the distinct texts,
    so the rows here repeat 50 names: what is measured is the cost per row, not per text."""
    small, large = _peak(500, tmp_path / "small.xlsx"), _peak(5000, tmp_path / "large.xlsx")
    # Ten times the rows; a workbook held in memory would need several times the memory.
    assert large < small * 1.5, (small, large)


def test_the_command_writes_the_report(report_data, tmp_path, capsys):
    out = tmp_path / "report.xlsx"
    call_command("export_report", year="2018/19", output=str(out))
    assert "metrics" in capsys.readouterr().out
    assert load_workbook(out).sheetnames[0] == "Summary"


def test_the_command_refuses_an_unknown_year(report_data, tmp_path):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="There is no financial year 2030/31"):
        call_command("export_report", year="2030/31", output=str(tmp_path / "x.xlsx"))


def test_a_submitted_return_is_not_in_the_default_report(report_data, analyst):
    from programmes.scoping import Role
    from programmes.services import reopen_return

    approver = f.user(Role.APPROVER)
    for ret in Return.objects.filter(partner=report_data.partner):
        reopen_return(report_return=ret, user=approver, reason="Recheck")
        f.submit(ret)
    rows = {
        r.metric.slug: r
        for r in selectors.funding_report(user=analyst, year_label="2018/19").metric_rows
    }
    assert "asb" not in rows
    analyst_rows = selectors.funding_report(
        user=analyst, year_label="2018/19", include_pending=True
    ).metric_rows
    assert [r.year_as_shown for r in analyst_rows if r.metric.slug == "asb"] == ["6,029 (pending)"]
