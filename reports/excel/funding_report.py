"""The commissioners' funding report as an Excel workbook, written in openpyxl's write-only mode.

Write-only mode streams each row to a temporary file as it is appended, so memory does not grow
with the number of rows; the price is that every sheet is written top to bottom, once, and its
layout (widths, frozen panes, print set-up) is fixed before the first row.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from datetime import UTC, datetime

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference, Series
from openpyxl.chart.data_source import AxDataSource, StrRef
from openpyxl.chart.label import DataLabelList
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from metrics import calculations
from metrics.calculations import Change
from metrics.models import Direction, Qualifier, Unit
from metrics.selectors import Shown
from reports.excel import styles
from reports.selectors import ActivityRow, FundingReport, MetricRow

METRIC_COLUMNS = [
    ("Metric", 40),
    ("Programme", 30),
    ("Partner", 24),
    ("Unit", 16),
    ("Direction", 16),
    ("Previous year", 14),
    ("Target", 12),
    ("Q1", 11),
    ("Q2", 11),
    ("Q3", 11),
    ("Q4", 11),
    ("Year", 12),
    ("Qualifier", 14),
    ("Year as printed", 26),
    ("Period of the figure, if not the year", 24),
    ("Change %", 11),
    ("Change in words", 22),
    ("RAG status", 11),
    ("Comparators", 50),
    ("Pending", 12),
]
SUMMARY_COLUMNS = [
    ("Headline metric", 40),
    ("Unit", 16),
    ("Previous year", 14),
    ("Year", 14),
    ("Qualifier", 14),
    ("Change %", 11),
    ("Comparators", 45),
    ("In words", 70),
]
STREAM_COLUMNS = [
    ("Programme", 24),
    ("Lead partner", 20),
    ("Allocation", 12),
    ("Activity", 45),
    ("Expected outcomes", 45),
    ("Outcomes", 60),
    ("Key figures", 40),
]


# The words the programme's page uses for an allocation recorded without an amount.
NOT_PUBLISHED = "not published"
NO_ALLOCATION = "no allocation recorded"
UNIT_ORDER = {unit: index for index, unit in enumerate(Unit.values)}
# The height of a row of default height, to stack charts below each other without overlap.
ROW_CM = 0.53
CHART_WORDS = {
    Unit.COUNT: "counts",
    Unit.PERCENTAGE: "percentages",
    Unit.RATE_PER_1000: "rates per 1,000 population",
    Unit.RATE_PER_REOFFENDER: "rates per re-offender",
    Unit.TONNES: "figures in tonnes",
    Unit.HOURS: "figures in hours",
    Unit.GBP: "figures in pounds",
}


def _setup_sheet(ws, columns, *, header_rows: int = 1) -> None:
    for index, (_, width) in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = f"A{header_rows + 1}"
    ws.print_title_rows = f"{header_rows}:{header_rows}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)


def _autofilter(ws, columns, last_row: int, *, header_row: int = 1) -> None:
    last_column = get_column_letter(len(columns))
    ws.auto_filter.ref = f"A{header_row}:{last_column}{max(last_row, header_row)}"


def sheet_title(name: str, taken: set[str]) -> str:
    """A valid, unique sheet name: at most 31 characters, none of []:*?/\\."""
    base = re.sub(r"[\[\]:*?/\\]", " ", name).strip()[:31] or "Stream"
    title, n = base, 2
    while title.lower() in taken:
        suffix = f" ({n})"
        title = base[: 31 - len(suffix)] + suffix
        n += 1
    taken.add(title.lower())
    return title


def _unit_label(row: MetricRow) -> str:
    m = row.metric
    label = Unit(m.unit).label
    return f"{label}: {m.unit_label}" if m.unit == Unit.COUNT and m.unit_label else label


def sentence(row: MetricRow) -> str:
    """'Anti-social behaviour incidents fell by 30%, from 8,617 to 6,029.'"""
    m = row.metric
    if row.year is None:
        return f"{m.name}: no approved figure for the year yet."
    note = f" ({row.period_note} figure)" if row.period_note else ""
    if row.previous is None or row.change is None:
        return f"{m.name}: {row.year_text}{note}."
    c = row.change
    frm, to = row.previous_text, row.year_text
    if c.absolute == 0:
        text = f"{m.name} stayed at {to}"
    elif m.unit == Unit.PERCENTAGE:
        points = calculations.number_text(abs(c.absolute), max(m.decimal_places, 1))
        verb = "rose" if c.rising else "fell"
        text = f"{m.name} {verb} by {points} percentage points, from {frm} to {to}"
    elif c.percent is None:
        text = f"{m.name} {'rose' if c.rising else 'fell'} from {frm} to {to}"
    else:
        pct = abs(c.percent_rounded(0 if abs(c.percent) >= 10 else 1)).normalize()
        about = "about " if c.approximate else ""
        text = f"{m.name} {'rose' if c.rising else 'fell'} by {about}{pct:f}%, from {frm} to {to}"
    return f"{text}{note}."


def _qualifier_text(row: MetricRow, year_qualifier: str) -> str:
    """The year's qualifier, and any quarter's that is not exact, so none is lost when the
    numbers stand alone in their cells."""
    parts = [Qualifier(year_qualifier).label] if row.year else []
    parts += [
        f"Q{i} {Qualifier(q.figure.qualifier).label.lower()}"
        for i, q in enumerate(row.quarters, start=1)
        if q is not None and q.figure.qualifier != Qualifier.EXACT
    ]
    return "; ".join(parts)


def figure_cell(ws, unit: str, figure: Shown | None, *, font=None):
    """A figure's cell: the number as stored, formatted to the decimals its text on the pages
    has (its own as entered, or the metric's for a computed one)."""
    if figure is None:
        return styles.number_cell(ws, None, styles.figure_format(unit), font=font)
    return styles.number_cell(
        ws, figure.value, styles.figure_format(unit, figure.places), font=font
    )


def change_cell(ws, change: Change | None):
    """The change in per cent, rounded to one place and shown as the pages word it: 30, 82.5."""
    pct = change.percent_rounded(1) if change else None
    places = calculations.shown_places(pct) if pct is not None else 0
    return styles.number_cell(ws, pct, styles.figure_format(Unit.PERCENTAGE, places))


def _metric_row_cells(ws, row: MetricRow) -> list:
    m = row.metric
    font = styles.PENDING_FONT if row.pending else None

    def num(figure):
        return figure_cell(ws, m.unit, figure, font=font)

    qualifier = row.year.figure.qualifier if row.year else Qualifier.EXACT
    return [
        styles.text_cell(ws, m.name, wrap=True, font=font),
        styles.text_cell(ws, m.programme.name if m.programme else "Area-wide", wrap=True),
        styles.text_cell(ws, m.partner.name, wrap=True),
        styles.text_cell(ws, _unit_label(row)),
        styles.text_cell(ws, Direction(m.direction).label),
        num(row.previous),
        figure_cell(ws, m.unit, row.assessed.target),
        *[num(q) for q in row.quarters],
        num(row.year),
        styles.text_cell(ws, _qualifier_text(row, qualifier)),
        styles.text_cell(ws, row.year_as_shown),
        styles.text_cell(ws, row.period_note),
        change_cell(ws, row.change),
        styles.text_cell(ws, row.assessed.change_text),
        styles.text_cell(ws, row.assessed.status_label),
        styles.text_cell(ws, "; ".join(row.comparators), wrap=True),
        styles.text_cell(ws, "pending" if row.pending else ""),
    ]


def write_metrics_sheet(wb: Workbook, rows: Iterable[MetricRow], *, progress=None) -> int:
    """The pivot: one row per metric. Rows may be any iterable, consumed once."""
    ws = wb.create_sheet("Metrics")
    _setup_sheet(ws, METRIC_COLUMNS)
    ws.append(styles.header_cells(ws, [t for t, _ in METRIC_COLUMNS]))
    count = 0
    for row in rows:
        ws.append(_metric_row_cells(ws, row))
        count += 1
        if progress is not None:
            progress(1)
    _autofilter(ws, METRIC_COLUMNS, count + 1)
    return count


def _write_summary(wb: Workbook, report: FundingReport) -> None:
    ws = wb.create_sheet("Summary")
    _setup_sheet(ws, SUMMARY_COLUMNS, header_rows=3)
    title = f"Funding report {report.year.label}"
    if report.stream:
        title += f": {report.stream.name}"
    title_cell = styles.text_cell(ws, title)
    title_cell.font = styles.TITLE_FONT
    ws.append([title_cell])
    included = (
        "Approved and submitted (pending, in italics) figures"
        if report.include_pending
        else "Approved figures only"
    )
    ws.append([styles.text_cell(ws, f"{included}. Previous year: {report.previous_year_label}.")])
    ws.append(styles.header_cells(ws, [t for t, _ in SUMMARY_COLUMNS]))
    # Grouped by unit, the charted rows of each unit first, so that every chart reads one
    # unbroken block of rows.
    headlines = sorted(
        report.headline_rows,
        key=lambda row: (UNIT_ORDER[row.metric.unit], not _charted(row)),
    )
    next_row = 3  # write-only sheets do not count their rows; heights need the row number
    for row in headlines:
        m = row.metric
        words = sentence(row)
        next_row += 1
        ws.row_dimensions[next_row].height = styles.row_height(
            [(words, SUMMARY_COLUMNS[7][1]), ("; ".join(row.comparators), SUMMARY_COLUMNS[6][1])]
        )
        font = styles.PENDING_FONT if row.pending else None
        ws.append(
            [
                styles.text_cell(ws, m.name, wrap=True, font=font),
                styles.text_cell(ws, _unit_label(row)),
                figure_cell(ws, m.unit, row.previous),
                figure_cell(ws, m.unit, row.year, font=font),
                styles.text_cell(
                    ws, Qualifier(row.year.figure.qualifier).label if row.year else ""
                ),
                change_cell(ws, row.change),
                styles.text_cell(ws, "; ".join(row.comparators), wrap=True),
                styles.text_cell(ws, words, wrap=True),
            ]
        )
    last = 3 + len(headlines)
    _autofilter(ws, SUMMARY_COLUMNS, last, header_row=3)
    _add_unit_charts(ws, report, headlines, first_row=4, below=last + 3)


def _axis_title(unit: str, rows: list[MetricRow]) -> str:
    """The unit the chart's axis is in: 'Percentage', or 'Count: young people' when every
    count on it counts the same thing."""
    title = Unit(unit).label
    nouns = {row.metric.unit_label for row in rows}
    if unit == Unit.COUNT and len(nouns) == 1 and "" not in nouns:
        title += f": {nouns.pop()}"
    return title


def _charted(row: MetricRow) -> bool:
    """Whether the Summary's charts show the row. Its bars are labelled with the two years, so
    a figure for another period (an earlier one, a span inside the year, the latest quarter)
    stays in the table, where its period is said, and out of the charts."""
    if row.year is None:
        return row.previous is not None
    return not row.period_note


def _add_unit_charts(ws, report: FundingReport, rows: list[MetricRow], *, first_row, below):
    """One bar chart of the previous year against the year per unit: a rate, a percentage and
    a count on one axis would put numbers side by side that cannot be compared."""
    groups: dict[str, list[int]] = {}
    for offset, row in enumerate(rows):
        if _charted(row):
            groups.setdefault(row.metric.unit, []).append(first_row + offset)
    for unit, row_numbers in groups.items():
        top, bottom = row_numbers[0], row_numbers[-1]
        axis = _axis_title(unit, [rows[n - first_row] for n in row_numbers])
        chart = BarChart()
        # Bars run across, so that long metric names sit level beside them, not slanted.
        chart.type = "bar"
        # In the table's order from the top, with the value axis kept along the bottom.
        chart.x_axis.scaling.orientation = "maxMin"
        chart.y_axis.crosses = "max"
        chart.title = (
            f"Headline {CHART_WORDS[unit]}: {report.previous_year_label} and {report.year.label}"
        )
        chart.y_axis.title = axis
        chart.y_axis.number_format = styles.figure_format(unit)
        # The number beside each bar: a figure of 19 is no visible bar beside one of 30,665.
        chart.dataLabels = DataLabelList(
            showVal=True,
            showCatName=False,
            showSerName=False,
            showLegendKey=False,
            showPercent=False,
        )
        # openpyxl hides both axes unless told otherwise, and the axis is where the unit is.
        chart.x_axis.delete = chart.y_axis.delete = False
        for column, label in [(3, report.previous_year_label), (4, report.year.label)]:
            values = Reference(ws, min_col=column, min_row=top, max_row=bottom)
            chart.series.append(Series(values, title=label))
        # The metric names as text (openpyxl's set_categories would declare them numbers).
        names = Reference(ws, min_col=1, min_row=top, max_row=bottom)
        for series in chart.series:
            series.cat = AxDataSource(strRef=StrRef(f=str(names)))
        # Tall enough for every metric's pair of bars and name: 1.2 cm each, 5 cm for the rest.
        chart.width, chart.height = 24, 5 + 1.2 * (bottom - top + 1)
        ws.add_chart(chart, f"A{below}")
        below += math.ceil(chart.height / ROW_CM) + 2


def _allocation_text(row: ActivityRow) -> str:
    """Words for an allocation with no amount to print, so that a blank never stands for
    two things: recorded without a published amount, or not recorded at all."""
    if row.allocation is None:
        return NO_ALLOCATION
    if row.allocation.amount is None:
        return NOT_PUBLISHED
    return ""


def _same_words(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def activity_text(activity) -> str:
    """The activity as the report's Activity column words it, under its short title only
    when the title says something more: most titles are the programme's name, which the
    row's first column already gives."""
    title, description = activity.title.strip(), activity.description.strip()
    if not title or any(_same_words(title, t) for t in (activity.programme.name, description)):
        return description
    return f"{title}\n{description}"


def _write_stream_sheets(wb: Workbook, report: FundingReport, taken: set[str]) -> None:
    for section in report.sections:
        ws = wb.create_sheet(sheet_title(section.stream.name, taken))
        _setup_sheet(ws, STREAM_COLUMNS, header_rows=2)
        heading = styles.text_cell(ws, f"{section.stream.name} {report.year.label}")
        heading.font = styles.TITLE_FONT
        ws.append([heading])
        ws.append(styles.header_cells(ws, [t for t, _ in STREAM_COLUMNS]))
        next_row = 2
        for row in section.rows:
            act = row.activity
            texts = [
                act.programme.name,
                act.programme.lead_partner.name,
                _allocation_text(row),
                activity_text(act),
                "\n".join(f"• {t}" for t in row.expected_outcomes),
                "\n\n".join(row.outcomes),
                "\n".join(row.key_figures),
            ]
            next_row += 1
            ws.row_dimensions[next_row].height = styles.row_height(
                [(t, w) for t, (_, w) in zip(texts, STREAM_COLUMNS, strict=True)]
            )
            cells = [styles.text_cell(ws, t, wrap=True) for t in texts]
            if row.allocation is not None and row.allocation.amount is not None:
                cells[2] = styles.number_cell(
                    ws, row.allocation.amount, styles.pounds_format(row.allocation.amount)
                )
            if row.pending:
                cells[5].font = styles.PENDING_FONT
            ws.append(cells)
        _autofilter(ws, STREAM_COLUMNS, 2 + len(section.rows), header_row=2)


def _write_notes(wb: Workbook, report: FundingReport, *, generated_by: str, now) -> None:
    ws = wb.create_sheet("Notes")
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 100
    included = (
        "Approved figures and figures submitted but not yet approved. Pending figures and "
        "narratives are in italics and marked 'pending'; they may still change."
        if report.include_pending
        else "Approved figures and narratives only. Figures awaiting approval are left out."
    )
    notes = [
        ("Report", f"Funding report {report.year.label}"),
        ("Funding stream", report.stream.name if report.stream else "All streams"),
        ("Figures included", included),
        ("Generated", now.strftime("%d %B %Y %H:%M UTC")),
        ("Generated by", generated_by),
        (
            "Year",
            "The same figure the metrics list shows for this year: the stored year figure "
            "when a partner reported one; otherwise the four quarters rolled up by the metric's "
            "rule (sum, average or latest); otherwise, while quarters are missing, the latest "
            "quarter held, shown as that quarter rather than as an understated year.",
        ),
        (
            "Period of the figure",
            "When the figure is not for the whole year, its own period is in the column "
            "'Period of the figure, if not the year' and in 'Year as printed': a figure for an "
            "earlier period printed in this year's return (re-offending rates lag, '2016/17 "
            "figure'), a span inside the year (a summer programme's July - August), or the "
            "latest quarter. Such a figure is not compared with the previous year.",
        ),
        (
            "Qualifier",
            "'Over' and 'at least' mean the true figure is higher than the number; "
            "'approximately' means an estimate. The number stays a number; the qualifier is in its "
            "own column, and 'Year as printed' shows them together ('over 400').",
        ),
        (
            "Percentages",
            "Percentages are stored and shown as the number on screen: 23.5 means "
            "23.5%. The cell holds 23.5, formatted with a % sign; it is not divided by 100.",
        ),
        (
            "Decimal places",
            "Each number is shown to the decimals the app's pages print it with: a figure as "
            "it was entered (79 as 79, 14 as 14, 23.5 as 23.5, 5.22 as 5.22), a figure computed "
            "from quarters to the metric's decimal places. The cell holds the number unrounded.",
        ),
        (
            "Change %",
            "The year against the previous year, as a percentage of the previous "
            "year. For percentage metrics the sentence on the Summary gives percentage points.",
        ),
        (
            "RAG status",
            "Green: target met or within 10% of it. Amber: more than 10% off target "
            "but better than last year. Red: more than 10% off and not better. 'Better' follows "
            "the metric's direction. 'No target' when there is no target for the figure's "
            "period or the metric has no direction; 'No figure' when there is no figure.",
        ),
        (
            "Comparators",
            "The same metric for another area or group in the figure's period, with Wirral's "
            "rank in it ('Wirral 4th lowest of 15'), and who shares a shared rank ('Wirral "
            "shared lowest with Sefton'), as on the metric's page.",
        ),
        (
            "Summary charts",
            "One chart per unit (counts, percentages, rates...), each setting the previous "
            "year beside this year for the headline metrics in that unit, with the unit on its "
            "axis: figures in different units never share an axis. A figure for another "
            "period than the year (an earlier period, a span inside the year, the latest "
            "quarter) is in the table with its period, not in the charts. The Summary's rows "
            "are grouped by unit to match, the charted ones first.",
        ),
        (
            "Allocation",
            "The programme's allocation from the sheet's funding stream for the year, in "
            f"pounds. '{NOT_PUBLISHED}' when an allocation is recorded but its amount has not "
            f"been published; '{NO_ALLOCATION}' when none has been entered for the programme "
            "from that stream.",
        ),
        (
            "Activity",
            "What is delivered, as the report's Activity column words it, under the "
            "activity's short title when that differs from the programme's name. Where the "
            "published report's Activity column gives only the programme's name, so does "
            "this one.",
        ),
    ]
    for row_number, (label, text) in enumerate(notes, start=1):
        ws.row_dimensions[row_number].height = styles.row_height([(text, 100)])
        label_cell = styles.text_cell(ws, label)
        label_cell.font = styles.BOLD
        ws.append([label_cell, styles.text_cell(ws, text, wrap=True)])


def write_funding_report(
    report: FundingReport,
    destination,
    *,
    generated_by: str,
    progress=None,
    now: datetime | None = None,
) -> None:
    """Write the workbook to a path or a binary file object."""
    now = now or datetime.now(UTC)
    wb = Workbook(write_only=True)
    wb.properties.title = f"Funding report {report.year.label}"
    wb.properties.subject = report.stream.name if report.stream else "All funding streams"
    wb.properties.creator = generated_by
    wb.properties.created = now.replace(tzinfo=None)
    wb.properties.description = "Generated by wirralsafe."
    _write_summary(wb, report)
    taken = {"summary", "metrics", "notes"}
    _write_stream_sheets(wb, report, taken)
    write_metrics_sheet(wb, report.metric_rows, progress=progress)
    _write_notes(wb, report, generated_by=generated_by, now=now)
    wb.save(destination)
