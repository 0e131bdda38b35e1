"""Figures and ranks go out as the 2018/19 report printed them: 'shared lowest in Merseyside
with Sefton' keeps 'with Sefton', 'the Merseyside average is 14%' prints 14%, not 14.0%, and the
crime rate of 79 is 79 in the workbook too, not 79.00: on the screens, in the funding report's
every sheet and in the list downloads alike."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from metrics.calculations import rank_words
from metrics.models import Comparator, Result, Unit, entered_places
from metrics.selectors import assess_year, metric_rows, metrics_queryset
from programmes.models import FinancialYear
from programmes.scoping import Role
from programmes.seed.loader import load_report
from reports import selectors
from reports.excel.funding_report import write_funding_report
from tests import factories as f
from tests.screen import csv_rows, response_bytes, rows_by_name

pytestmark = pytest.mark.django_db

LIST = reverse("metrics:metric_list")
CRIME_RATE = "Crime rate"
SOLVED = "Hate crimes solved"
PER_REOFFENDER = "Youth re-offences per re-offender"
BINARY = "Youth binary re-offending rate"
SEFTON = "shared lowest with Sefton (Merseyside)"


@pytest.fixture
def seeded():
    load_report()
    return FinancialYear.objects.get(start_year=2018)


@pytest.fixture
def commissioner():
    return f.user(Role.COMMISSIONER)


def _workbook(user, fy):
    report = selectors.funding_report(user=user, year_label=fy.label)
    buffer = io.BytesIO()
    write_funding_report(report, buffer, generated_by=user.username)
    return load_workbook(io.BytesIO(buffer.getvalue()))


def _rows(ws, header_row=1) -> dict[str, dict]:
    headers = [c.value for c in ws[header_row]]
    return {
        row[0].value: dict(zip(headers, row, strict=False))
        for row in ws.iter_rows(min_row=header_row + 1)
        if row[0].value
    }


def _screen(client, user, fy) -> dict[str, dict[str, str]]:
    client.force_login(user)
    return rows_by_name(client.get(LIST, {"year": fy.pk, "per_page": 100}).content)


# --- Who a shared rank is shared with -------------------------------------------------------


def test_rank_words_name_who_shares_the_rank():
    assert rank_words(1, "lowest", shared=True, shared_with="Sefton") == "shared lowest with Sefton"
    assert rank_words(4, "lowest", 15, shared=True, shared_with="Sefton and Wigan") == (
        "shared 4th lowest of 15 with Sefton and Wigan"
    )
    # Only a shared rank is shared with anyone.
    assert rank_words(1, "lowest", shared_with="Sefton") == "lowest"


def test_a_rank_cannot_be_shared_with_someone_unless_it_is_shared():
    comparator = f.comparator(rank=1, rank_order="lowest")
    comparator.shared_with = "Sefton"
    with pytest.raises(ValidationError, match="only for a rank that is shared"):
        comparator.full_clean()
    comparator.rank_is_shared = True
    comparator.full_clean()


def test_the_list_names_sefton_and_every_rank_of_the_crime_rate(client, seeded, commissioner):
    position = _screen(client, commissioner, seeded)[CRIME_RATE]["Position among comparators"]
    assert position == (f"4th lowest of 15 (Home Office most similar group); {SEFTON}")


def test_the_metric_page_and_the_dashboard_name_sefton(client, seeded, commissioner):
    client.force_login(commissioner)
    page = client.get(reverse("metrics:metric_detail", args=["crime-rate"])).content.decode()
    assert "Merseyside: Wirral shared lowest with Sefton" in page
    dashboard = client.get(reverse("reports:dashboard"), {"year": seeded.pk}).content.decode()
    assert SEFTON in dashboard


def test_the_funding_report_names_sefton_on_the_summary_and_the_metrics_sheet(seeded, commissioner):
    wb = _workbook(commissioner, seeded)
    for ws, header_row in ((wb["Metrics"], 1), (wb["Summary"], 3)):
        comparators = _rows(ws, header_row)[CRIME_RATE]["Comparators"].value
        assert "Merseyside: Wirral shared lowest with Sefton" in comparators, ws.title
        assert "Wirral 4th lowest of 15" in comparators, ws.title


def test_a_second_load_fills_in_what_an_older_load_left_out(seeded):
    """A database loaded before the fields existed is corrected by loading again: comparators
    are not locked by their return's approval."""
    merseyside = Comparator.objects.filter(area__slug="merseyside")
    merseyside.update(shared_with="", places=None)
    summary = load_report()
    # The crime rate's (who shares it), and the two Merseyside values' (their places).
    assert summary.changed["comparators"] == 3
    crime = merseyside.get(metric__slug="crime-rate")
    solved = merseyside.get(metric__slug="hate-crimes-solved")
    assert (crime.shared_with, solved.places) == ("Sefton", 0)
    assert load_report().total_changed == 0


# --- Precision: as entered ------------------------------------------------------------------


def test_entered_places_are_read_from_the_value_as_typed():
    assert [entered_places(v) for v in ("14", "14.0", "23.50", Decimal("5.22"), 7)] == [
        0,
        1,
        2,
        2,
        0,
    ]
    # Padded by the database to its four places: nothing can be told from it.
    assert entered_places(Decimal("14.0000")) is None
    assert entered_places(None) is None


def test_the_comparators_print_as_the_report_printed_them(client, seeded, commissioner):
    """Every comparator value in the seed, as the report words it: 14%, 40.9%, 46.1%."""
    client.force_login(commissioner)
    published = {
        "hate-crimes-solved": ["Merseyside: 14%, Wirral highest"],
        "youth-binary-reoffending-rate": ["England: 40.9%", "Merseyside: 46.1%"],
    }
    for slug, texts in published.items():
        page = client.get(reverse("metrics:metric_detail", args=[slug])).content.decode()
        for text in texts:
            assert f"<div>{text}</div>" in page, (slug, text)
    wb = _workbook(commissioner, seeded)
    rows = _rows(wb["Metrics"])
    assert rows[SOLVED]["Comparators"].value == "Merseyside: 14%, Wirral highest"
    assert rows[BINARY]["Comparators"].value == "England: 40.9%; Merseyside: 46.1%"


def test_a_stored_figure_prints_as_entered_and_a_computed_one_to_the_metrics_places(
    commissioner,
):
    metric = f.metric(unit=Unit.PERCENTAGE, decimal_places=1, aggregation="average")
    year = f.year_period(2019).financial_year
    typed = {1: "14", 2: "14.0", 3: "23.5", 4: "15"}
    for quarter, value in typed.items():
        r = f.result(metric=metric, period=f.quarter_period(2019, quarter), value=value)
        f.approve(f.submit(r.report_return))
    a = assess_year(commissioner, [metric], year)[metric.pk]
    assert [q.text for q in a.quarters] == ["14%", "14.0%", "23.5%", "15%"]
    assert [q.places for q in a.quarters] == [0, 1, 1, 0]
    # The year is computed (the average, 16.625): the metric's one place is a minimum only.
    assert (a.figure.text, a.figure.places) == ("16.625%", 3)
    stored = Result.objects.get(metric=metric, period__quarter=1)
    assert (stored.value, stored.places) == (Decimal("14.0000"), 0)


def test_a_figure_saved_again_from_the_database_keeps_its_places():
    comparator = f.comparator(value="14")
    again = Comparator.objects.get(pk=comparator.pk)
    assert again.value == Decimal("14.0000")
    again.note = "rechecked"
    again.save()
    assert Comparator.objects.get(pk=comparator.pk).places == 0
    again.value = Decimal("14.5")
    again.save()
    assert Comparator.objects.get(pk=comparator.pk).places == 1


# --- Precision: number formats --------------------------------------------------------------


def test_every_sheet_formats_a_figure_to_the_decimals_the_screen_shows(
    client, seeded, commissioner
):
    screen = _screen(client, commissioner, seeded)
    wb = _workbook(commissioner, seeded)
    metrics = _rows(wb["Metrics"])
    summary = _rows(wb["Summary"], header_row=3)
    expected = {
        CRIME_RATE: (79, "#,##0", "79 per 1,000 population"),
        SOLVED: (23.5, '0.0"%"', "23.5%"),
        PER_REOFFENDER: (5.22, "#,##0.00", "5.22 per re-offender (2016/17 figure)"),
        BINARY: (39, '0"%"', "39% (2016/17 figure)"),
    }
    for name, (value, number_format, shown) in expected.items():
        assert screen[name]["Figure"] == shown, name
        year = metrics[name]["Year"]
        assert (year.value, year.number_format) == (value, number_format), name
    crime = summary[CRIME_RATE]["Year"]
    assert (crime.value, crime.number_format) == (79, "#,##0")


def test_the_change_cell_shows_the_percent_as_the_words_do(seeded, commissioner):
    rows = _rows(_workbook(commissioner, seeded)["Metrics"])
    asb = rows["Anti-social behaviour incidents"]
    assert "down 30%" in asb["Change in words"].value
    assert (asb["Change %"].value, asb["Change %"].number_format) == (-30, '0"%"')


def test_an_allocation_in_pence_is_not_rounded_to_the_pound(commissioner):
    from programmes.models import Allocation

    act = f.activity(financial_year=f.year(2018))
    Allocation.objects.create(
        programme=act.programme,
        funding_stream=act.funding_stream,
        financial_year=act.financial_year,
        amount=Decimal("12500.50"),
    )
    report = selectors.funding_report(user=commissioner, year_label="2018/19")
    buffer = io.BytesIO()
    write_funding_report(report, buffer, generated_by="t")
    ws = load_workbook(io.BytesIO(buffer.getvalue()))[act.funding_stream.name[:31]]
    cell = _rows(ws, header_row=2)[act.programme.name]["Allocation"]
    assert (cell.value, cell.number_format) == (12500.5, "£#,##0.00")


def test_the_list_downloads_keep_the_decimals_the_list_shows(client, seeded, commissioner):
    client.force_login(commissioner)
    query = {"year": seeded.pk, "export": "xlsx"}
    data = response_bytes(client.get(LIST, query))
    ws = load_workbook(io.BytesIO(data)).active
    header = [c.value for c in ws[1]]
    figure = header.index("Figure")
    cells = {row[0].value: row[figure] for row in ws.iter_rows(min_row=2)}
    assert (cells[CRIME_RATE].value, cells[CRIME_RATE].number_format) == (79, "#,##0")
    assert (cells[SOLVED].value, cells[SOLVED].number_format) == (23.5, "#,##0.0")
    assert (cells[PER_REOFFENDER].value, cells[PER_REOFFENDER].number_format) == (
        5.22,
        "#,##0.00",
    )
    rows = csv_rows(response_bytes(client.get(LIST, {**query, "export": "csv"})))
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name[CRIME_RATE][rows[0].index("Figure")] == "79"
    assert by_name[PER_REOFFENDER][rows[0].index("Figure")] == "5.22"


def test_a_list_figure_entered_with_trailing_zeros_keeps_them_in_the_download(commissioner):
    metric = f.metric(unit=Unit.RATE_PER_1000, decimal_places=0)
    r = f.result(metric=metric, period=f.year_period(2018), value="5.20")
    f.approve(f.submit(r.report_return))
    fy = FinancialYear.objects.get(start_year=2018)
    row = metric_rows(commissioner, metrics_queryset(commissioner).filter(pk=metric.pk), fy)[0]
    assert (row["figure_text"], row["figure_places"]) == ("5.20 per 1,000 population", 2)
