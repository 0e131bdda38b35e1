"""The funding report prints, for every metric of the real 2018/19 report, what the metrics list
shows the same user for the same year and pending choice: figure, period, target, change,
status and comparators."""

import io
from dataclasses import dataclass

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from metrics import selectors as metric_selectors
from metrics.models import Result
from programmes.models import FinancialYear, Return
from programmes.scoping import Role
from programmes.seed.loader import load_report
from programmes.services import reopen_return
from reports import selectors
from reports.excel.funding_report import write_funding_report
from tests import factories as f
from tests.screen import rows_by_name, table_rows
from wirralsafe.spreadsheets import escape_formula

pytestmark = pytest.mark.django_db

LIST = reverse("metrics:metric_list")
FIT_AND_FED = "Young people in Fit and Fed"
REOFFENDING = ["Youth re-offences per re-offender", "Youth binary re-offending rate"]
# In the police return (crime rate, hate crimes: comparators and changes); Fit and Fed and the
# re-offending figures are in other returns, which stay approved.
SUBMITTED_METRIC = "Hate crimes going through the criminal justice system"
DRAFT_METRIC = "Victims supported with safety planning"


def _return_of(metric_name: str) -> Return:
    result = Result.objects.select_related("report_return").get(
        metric__name=metric_name, period__financial_year__start_year=2018, period__kind="year"
    )
    return result.report_return


@pytest.fixture
def report_2018_19():
    """The loaded report, with one return submitted again (pending) and one back in draft, so
    that the commissioner's and the analyst's views differ."""
    load_report()
    approver = f.user(Role.APPROVER)
    submitted, draft = _return_of(SUBMITTED_METRIC), _return_of(DRAFT_METRIC)
    assert submitted.pk != draft.pk
    reopen_return(report_return=submitted, user=approver, reason="Recheck the count")
    f.submit(submitted)
    reopen_return(report_return=draft, user=approver, reason="Recheck the rate")
    return FinancialYear.objects.get(start_year=2018)


def _screen(client, user, fy) -> dict[str, dict[str, str]]:
    client.force_login(user)
    response = client.get(LIST, {"year": fy.pk, "per_page": 100, "include_pending": "on"})
    names = [row[0] for row in table_rows(response.content)]
    assert len(names) == len(set(names)), "metric names must be unique to compare by name"
    return rows_by_name(response.content)


def _workbook_rows(report, user) -> dict[str, dict]:
    buffer = io.BytesIO()
    write_funding_report(report, buffer, generated_by=user.username)
    ws = load_workbook(io.BytesIO(buffer.getvalue()), read_only=True)["Metrics"]
    rows = ws.iter_rows(values_only=True)
    header = next(rows)
    return {row[0]: dict(zip(header, row, strict=True)) for row in rows if row[0]}


def _blank(value) -> str:
    return "" if value is None else value


@dataclass
class Compared:
    role: Role
    screen: dict[str, dict[str, str]]  # metric name -> the list's row, {heading: text}
    report: selectors.FundingReport
    workbook: dict[str, dict]  # metric name (as the sheet holds it) -> Metrics sheet row
    page_rows: dict[str, dict]  # metric name -> the list's own selector row


@pytest.fixture(params=[Role.COMMISSIONER, Role.ANALYST])
def compared(request, client, report_2018_19) -> Compared:
    user = f.user(request.param)
    fy = report_2018_19
    # Both ask for pending figures: the commissioner must get approved ones only on both.
    report = selectors.funding_report(user=user, year_label=fy.label, include_pending=True)
    page_rows = {
        r["name"]: r
        for r in metric_selectors.metric_rows(
            user, metric_selectors.metrics_queryset(user), fy, include_pending=True
        )
    }
    return Compared(
        role=request.param,
        screen=_screen(client, user, fy),
        report=report,
        workbook=_workbook_rows(report, user),
        page_rows=page_rows,
    )


def test_the_report_has_the_same_metrics_as_the_list(compared):
    screen = compared.screen
    assert len(screen) > 20
    assert sorted(r.metric.name for r in compared.report.metric_rows) == sorted(screen)
    assert set(compared.workbook) == {escape_formula(name) for name in screen}


def test_every_metric_has_the_figure_change_status_and_comparators_of_the_list(compared):
    for row in compared.report.metric_rows:
        name = row.metric.name
        shown = compared.screen[name]
        figure, period, target = shown["Figure"], shown["Period"], shown["Target"]
        change, status = shown["Change on a year before (%)"], shown["Status"]
        position = shown["Position among comparators"]
        cells = compared.workbook[escape_formula(name)]
        on_page = compared.page_rows[name]["assessed"]
        assert (_blank(cells["Year as printed"]) or "no figure") == figure, name
        assert (row.year_as_shown or "no figure") == figure, name
        assert (row.year.period.label if row.year else "") == period, name
        assert (cells["Period of the figure, if not the year"] or period) == period, name
        assert (row.assessed.target.text if row.target is not None else "no target") == target, name
        assert _blank(cells["Change in words"]) == change, name
        assert status.endswith(f" {cells['RAG status']}"), name
        assert cells["Pending"] == ("pending" if "(pending)" in figure else None), name
        assert row.assessed.rank_text == position, name
        assert _blank(cells["Comparators"]) == "; ".join(on_page.comparators), name
        assert row.previous_text == (on_page.previous.text if on_page.previous else ""), name


def test_a_span_inside_the_year_is_the_years_figure_with_its_span(compared):
    shown = compared.screen[FIT_AND_FED]["Figure"]
    cells = compared.workbook[FIT_AND_FED]
    assert shown.startswith("over 500 young people (July - August 2018")
    assert shown.endswith(" figure)")
    assert cells["Year as printed"] == shown
    assert cells["Year"] == 500
    assert cells["Period of the figure, if not the year"].startswith("July - August 2018")


@pytest.mark.parametrize("name", REOFFENDING)
def test_an_earlier_years_figure_is_shown_as_such_and_not_compared(compared, name):
    shown = compared.screen[name]["Figure"]
    cells = compared.workbook[name]
    assert shown.endswith(" (2016/17 figure)")
    assert cells["Year as printed"] == shown
    assert cells["Period of the figure, if not the year"] == "2016/17"
    assert cells["Previous year"] is None
    assert cells["Change in words"] is None


def test_pending_figures_are_the_analysts_only_and_drafts_nobodys(compared):
    screen, workbook = compared.screen, compared.workbook
    if compared.role == Role.ANALYST:
        assert screen[SUBMITTED_METRIC]["Figure"] == "408 hate crimes (pending)"
        assert workbook[SUBMITTED_METRIC]["Year as printed"] == "408 hate crimes (pending)"
        assert workbook[SUBMITTED_METRIC]["Pending"] == "pending"
    else:
        assert SUBMITTED_METRIC not in screen
        assert SUBMITTED_METRIC not in workbook
    assert DRAFT_METRIC not in screen
    assert DRAFT_METRIC not in workbook
