"""Reads for the metric pages, the programme pages and the dashboard.

Every figure is fetched through programmes.scoping.reportable_results and computed with
metrics.calculations, in a fixed number of queries whatever the number of metrics or periods:
one query per kind of row (results, targets, comparators), then arithmetic in Python.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from metrics.calculations import (
    Change,
    Figure,
    Rag,
    change,
    figure_places,
    format_value,
    rag_status,
    rank_words,
    roll_up,
    shown_places,
)
from metrics.models import Comparator, Metric, Result, Target, Unit
from programmes.models import FinancialYear, Period, Return
from programmes.scoping import reportable_results, visible_metrics

# Status keys as filters, tables and the dashboard use them; Rag values plus the two cases
# where no status can be given, so that no metric silently drops out of a count.
NO_TARGET = "no_target"
NO_FIGURE = "no_figure"
STATUS_CHOICES = [
    (Rag.GREEN.value, "Green"),
    (Rag.AMBER.value, "Amber"),
    (Rag.RED.value, "Red"),
    (NO_TARGET, "No target"),
    (NO_FIGURE, "No figure"),
]
STATUS_LABELS = dict(STATUS_CHOICES)
# Text symbols beside the colour, so that colour never carries the status alone.
STATUS_SYMBOLS = {"green": "✔", "amber": "▲", "red": "✖", NO_TARGET: "○", NO_FIGURE: "◌"}


def figure_text(
    metric: Metric, value: Decimal, qualifier: str, entered_places: int | None = None
) -> str:
    """A figure in words: a stored one to the places it was entered with (`entered_places`),
    a computed one (None) to the metric's."""
    return format_value(
        value,
        metric.unit,
        places=figure_places(metric.decimal_places, entered_places),
        qualifier=qualifier,
        unit_label=metric.unit_label,
        unit_label_singular=metric.unit_label_singular,
    )


@dataclass
class Shown:
    """A figure as a page shows it: the number, its words, and what a reader must be told."""

    value: Decimal
    qualifier: str
    text: str
    period: Period
    pending: bool = False
    # Set when the figure describes an earlier period than the one asked for or its return's.
    earlier_label: str = ""
    reported_by: str = ""
    # The decimals `text` prints, for a spreadsheet cell to show the same number of them.
    places: int = 0

    @property
    def figure(self) -> Figure:
        return Figure(self.value, self.qualifier)

    @property
    def full_text(self) -> str:
        """The figure with every marker a reader needs, as tables and exports print it."""
        text = self.text
        if self.earlier_label:
            text += f" ({self.earlier_label})"
        if self.pending:
            text += " (pending)"
        return text


def _arrow(moved: Change | None) -> str:
    if moved is None or moved.absolute == 0:
        return "→"
    return "↑" if moved.rising else "↓"


def _moved_words(moved: Change | None, against: Shown | None) -> str:
    return f"{moved.words()} (against {against.period.label})" if moved else ""


def _moved_text(moved: Change | None, against: Shown | None) -> str:
    return f"{_arrow(moved)} {_moved_words(moved, against)}" if moved else ""


@dataclass
class Assessed:
    """A metric's figure for a period with its target, change on a year before, and status."""

    metric: Metric
    figure: Shown | None = None
    target: Shown | None = None
    previous: Shown | None = None
    change: Change | None = None
    rag: Rag | None = None
    comparators: list[str] = field(default_factory=list)
    rank_text: str = ""
    # The year's own quarters, Q1 first (None where not held): filled by assess_year for the
    # funding report's pivot, from the same figures as the year.
    quarters: list[Shown | None] = field(default_factory=lambda: [None] * 4)
    # Direction of travel on the quarter before, for a quarter's figure (DOMAIN: beside the
    # status, against the previous quarter and against the same period last year).
    previous_quarter: Shown | None = None
    quarter_change: Change | None = None

    @property
    def status(self) -> str:
        if self.figure is None:
            return NO_FIGURE
        if self.rag is None:
            return NO_TARGET
        return self.rag.value

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def status_symbol(self) -> str:
        return STATUS_SYMBOLS[self.status]

    # The change on the same period a year before, and on the quarter before: each as words
    # ("down 30%, better (against 2017/18)"), an arrow, and both together as lists print them.
    @property
    def change_words(self) -> str:
        return _moved_words(self.change, self.previous)

    @property
    def change_arrow(self) -> str:
        return _arrow(self.change)

    @property
    def change_text(self) -> str:
        """The change as the metrics list and the funding report print it."""
        return _moved_text(self.change, self.previous)

    @property
    def quarter_change_words(self) -> str:
        return _moved_words(self.quarter_change, self.previous_quarter)

    @property
    def quarter_change_arrow(self) -> str:
        return _arrow(self.quarter_change)

    @property
    def quarter_change_text(self) -> str:
        return _moved_text(self.quarter_change, self.previous_quarter)

    @property
    def period_note(self) -> str:
        """The figure's period when it is not the whole year asked for: an earlier period
        reported that year, a range inside it, or the latest quarter while the year is open."""
        figure = self.figure
        if figure is None:
            return ""
        if figure.earlier_label or figure.period.kind != Period.Kind.YEAR:
            return figure.period.label
        return ""


def reporter_text(result: Result) -> str:
    ret = result.report_return
    who = (
        ret.submitted_by.get_full_name() or ret.submitted_by.get_username()
        if (ret.submitted_by_id)
        else ""
    )
    return f"{ret.partner.name}" + (f" ({who})" if who else "")


def stored_places(metric: Metric, row) -> int:
    """The decimals a stored result, target or comparator value is printed with."""
    return shown_places(row.value, figure_places(metric.decimal_places, row.places))


def shown_result(result: Result) -> Shown:
    earlier = ""
    if result.describes_earlier_period:
        earlier = f"{result.period.label} figure"
    return Shown(
        value=result.value,
        qualifier=result.qualifier,
        text=figure_text(result.metric, result.value, result.qualifier, result.places),
        places=stored_places(result.metric, result),
        period=result.period,
        pending=result.report_return.status != Return.Status.APPROVED,
        earlier_label=earlier,
        reported_by=reporter_text(result),
    )


def _results(
    user,
    metrics: Iterable[Metric],
    include_pending: bool,
    periods: dict[int, Period],
    extra: Q | None = None,
) -> list[Result]:
    """The counted results of some metrics, with metric, periods and return attached.

    The result rows are fetched alone and their related objects attached from the few
    metrics, periods and returns they share: joining them in made Django build eight objects
    per result (250,000 for the dashboard at scale 1), which took seven seconds of its eight.
    """
    by_id = {m.pk: m for m in metrics}
    qs = reportable_results(user, include_pending=include_pending).filter(metric_id__in=by_id)
    if extra is not None:
        qs = qs.filter(extra)
    results = list(qs.order_by("period__start_date", "-period__end_date"))
    returns = {
        r.pk: r
        for r in Return.objects.filter(pk__in={r.report_return_id for r in results}).select_related(
            "partner", "submitted_by"
        )
    }
    for report_return in returns.values():
        report_return.period = periods[report_return.period_id]
    for r in results:
        r.metric = by_id[r.metric_id]
        r.period = periods[r.period_id]
        r.report_return = returns[r.report_return_id]
    return results


def years_with_figures(user, *, include_pending: bool = False) -> list[FinancialYear]:
    """Financial years that hold at least one counted result, latest first."""
    # One query: a year counts if a result describes it or was reported in one of its returns.
    # (Two DISTINCT scans of every result cost more than the rest of the dashboard.)
    results = reportable_results(user, include_pending=include_pending).order_by()
    return list(
        FinancialYear.objects.filter(
            Exists(results.filter(period__financial_year=OuterRef("pk")))
            | Exists(results.filter(report_return__period__financial_year=OuterRef("pk")))
        ).order_by("-start_year")
    )


def metric_ids_counted_in_year(
    user, year: FinancialYear, *, include_pending: bool = False
) -> QuerySet:
    """Ids of the metrics with a counted figure for the year, as a subquery: the rows a
    metrics list filtered by year shows, and the rows of that year's funding report.

    A figure counts for the year by its own period, or by the year's return reporting it (an
    earlier period, or a span such as a summer programme's July - August)."""
    results = reportable_results(user, include_pending=include_pending)
    return results.filter(
        Q(period__financial_year=year)
        | (Q(report_return__period__financial_year=year) & ~Q(period__kind=Period.Kind.QUARTER))
    ).values("metric_id")


def default_year(
    user,
    *,
    include_pending: bool = False,
    today: datetime.date | None = None,
    with_figures: list[FinancialYear] | None = None,
) -> FinancialYear | None:
    """The latest finished year with figures (approved, or pending when asked for).

    A year still under way is chosen only when no finished year has figures: one partner's
    first quarter must not turn every page's default to a year that is mostly empty.
    `with_figures` is years_with_figures() when the caller has already read it.
    """
    today = today or timezone.localdate()
    if with_figures is None:
        with_figures = years_with_figures(user, include_pending=include_pending)
    finished = [fy for fy in with_figures if fy.end_date < today]
    if finished or with_figures:
        return (finished or with_figures)[0]
    return FinancialYear.objects.order_by("-start_year").first()


class _MetricFigures:
    """All counted results, targets and comparators of some metrics, indexed for look-ups."""

    def __init__(self, results, targets, comparators):
        self.by_period: dict[tuple[int, int], Result] = {}
        self.by_metric: dict[int, list[Result]] = defaultdict(list)
        for r in results:
            self.by_period[(r.metric_id, r.period_id)] = r
            self.by_metric[r.metric_id].append(r)
        self.targets = {(t.metric_id, t.period_id): t for t in targets}
        self.comparators: dict[tuple[int, int], list[Comparator]] = defaultdict(list)
        for c in comparators:
            self.comparators[(c.metric_id, c.period_id)].append(c)


def comparator_rank_words(c: Comparator) -> str:
    return rank_words(
        c.rank,
        c.rank_order,
        c.group_size or c.area.group_size,
        shared=c.rank_is_shared,
        shared_with=c.shared_with,
    )


def comparator_texts(metric: Metric, comparators: list[Comparator]) -> tuple[list[str], str]:
    """Each comparator in words ('Merseyside: 14%, Wirral highest'), and every rank among them
    ('4th lowest of 15 (Home Office ...); shared lowest with Sefton (Merseyside)'): a second
    rank is as much the report's as the first, so none is left out."""
    texts, ranks = [], []
    for c in comparators:
        parts = []
        if c.value is not None:
            parts.append(figure_text(metric, c.value, c.qualifier, c.places))
        if c.rank is not None:
            words = comparator_rank_words(c)
            parts.append(f"Wirral {words}")
            ranks.append(f"{words} ({c.area.name})")
        texts.append(f"{c.area.name}: " + ", ".join(parts))
    return texts, "; ".join(ranks)


def _year_of(period: Period) -> int | None:
    return period.financial_year.start_year if period.financial_year_id else None


def _same_period_a_year_before(periods_by_key, period: Period) -> Period | None:
    if period.kind == Period.Kind.YEAR:
        return periods_by_key.get(("year", period.financial_year.start_year - 1, None))
    if period.kind == Period.Kind.QUARTER:
        key = ("quarter", period.financial_year.start_year - 1, period.quarter)
        return periods_by_key.get(key)
    return None


def _quarter_before(periods_by_key, period: Period) -> Period | None:
    if period.kind != Period.Kind.QUARTER:
        return None
    year = period.financial_year.start_year
    if period.quarter == 1:
        return periods_by_key.get(("quarter", year - 1, 4))
    return periods_by_key.get(("quarter", year, period.quarter - 1))


def _on_quarter_before(row: Assessed, figures: _MetricFigures, periods_by_key) -> None:
    """A quarter's figure against the quarter before it, where that is held."""
    figure = row.figure
    if figure is None or figure.earlier_label:
        return
    before = _quarter_before(periods_by_key, figure.period)
    result = figures.by_period.get((row.metric.pk, before.pk)) if before else None
    if result is None:
        return
    row.previous_quarter = shown_result(result)
    row.quarter_change = change(row.previous_quarter.figure, figure.figure, row.metric.direction)


def _assess(metric, figure, target_row, previous) -> Assessed:
    row = Assessed(metric=metric, figure=figure, previous=previous)
    if target_row is not None:
        row.target = Shown(
            value=target_row.value,
            qualifier=target_row.qualifier,
            text=figure_text(metric, target_row.value, target_row.qualifier, target_row.places),
            period=target_row.period,
            places=stored_places(metric, target_row),
        )
    if figure is not None and previous is not None:
        row.change = change(previous.figure, figure.figure, metric.direction)
    if figure is not None and row.target is not None:
        row.rag = rag_status(
            actual=figure.value,
            target=row.target.value,
            direction=metric.direction,
            same_period_last_year=previous.value if previous else None,
        )
    return row


def _year_figure(metric, year: FinancialYear, figures: _MetricFigures, periods) -> Shown | None:
    """The metric's figure for a year: its year result, its quarters rolled up, or a figure of
    an earlier period reported in that year (said so)."""
    year_period = periods.get(("year", year.start_year, None))
    if year_period is not None and (metric.pk, year_period.pk) in figures.by_period:
        return shown_result(figures.by_period[(metric.pk, year_period.pk)])
    quarters = []
    for q in range(1, 5):
        period = periods.get(("quarter", year.start_year, q))
        quarters.append(figures.by_period.get((metric.pk, period.pk)) if period else None)
    held = [r for r in quarters if r is not None]
    if held and year_period is not None:
        rolled = roll_up(
            [Figure(r.value, r.qualifier) if r else None for r in quarters], metric.aggregation
        )
        if rolled is not None:
            return Shown(
                value=rolled.value,
                qualifier=rolled.qualifier,
                text=figure_text(metric, rolled.value, rolled.qualifier),
                places=shown_places(rolled.value, metric.decimal_places),
                period=year_period,
                pending=any(r.report_return.status != Return.Status.APPROVED for r in held),
                reported_by="; ".join(sorted({reporter_text(r) for r in held})),
            )
    if held:
        # Not every quarter is in: show the latest quarter for what it is, not as a year.
        return shown_result(held[-1])
    for r in reversed(figures.by_metric.get(metric.pk, [])):
        reported_in = r.report_return.period
        earlier = (
            reported_in.financial_year_id == year.pk
            and r.period.end_date < year.start_date
            and r.period.kind != Period.Kind.QUARTER
        )
        # A date range inside the year, such as a summer programme's July-August: the year's
        # only figure, shown with the span it covers rather than passed off as the whole year.
        within = (
            r.period.kind == Period.Kind.RANGE
            and year.start_date <= r.period.start_date
            and r.period.end_date <= year.end_date
        )
        if earlier or within:
            shown = shown_result(r)
            shown.earlier_label = f"{r.period.label} figure"
            return shown
    return None


def _year_quarters(metric, year: FinancialYear, figures: _MetricFigures, periods) -> list:
    """The metric's four quarters of the year as shown figures, None where none is counted."""
    quarters = []
    for q in range(1, 5):
        period = periods.get(("quarter", year.start_year, q))
        result = figures.by_period.get((metric.pk, period.pk)) if period else None
        quarters.append(shown_result(result) if result else None)
    return quarters


def _all_periods() -> dict[int, Period]:
    return {p.pk: p for p in Period.objects.select_related("financial_year")}


def _periods_index(periods: dict[int, Period]) -> dict:
    return {
        (p.kind, _year_of(p), p.quarter): p for p in periods.values() if p.kind != Period.Kind.RANGE
    }


def assess_year(
    user, metrics: list[Metric], year: FinancialYear | None, *, include_pending: bool = False
) -> dict[int, Assessed]:
    """Each metric's figure for the year, with target, change on the year before, RAG status,
    comparator position and the year's quarters. The one source of a metric's year figure:
    the pages, the dashboard and the funding report all read it here. Four queries whatever
    the number of metrics."""
    if year is None:
        return {m.pk: Assessed(metric=m) for m in metrics}
    ids = [m.pk for m in metrics]
    years = [year.start_year, year.start_year - 1]
    in_years = Q(period__financial_year__start_year__in=years) | Q(
        report_return__period__financial_year__start_year__in=years
    )
    all_periods = _all_periods()
    results = _results(user, metrics, include_pending, all_periods, in_years)
    # A figure of an earlier period reported in the year (re-offending rates for 2016/17 in
    # the 2018/19 report) is compared as the report compares it: with that period's figures.
    figure_periods = Q(period_id__in={r.period_id for r in results})
    figures = _MetricFigures(
        results,
        Target.objects.filter(metric_id__in=ids, period__financial_year__start_year__in=years)
        .select_related("period__financial_year")
        .order_by(),
        Comparator.objects.filter(
            Q(period__financial_year__start_year__in=years) | figure_periods, metric_id__in=ids
        )
        .select_related("area", "period__financial_year")
        .order_by("area__name"),
    )
    periods = _periods_index(all_periods)
    previous_year = FinancialYear(start_year=year.start_year - 1)
    out = {}
    for metric in metrics:
        figure = _year_figure(metric, year, figures, periods)
        previous = target = None
        if figure is not None and not figure.earlier_label:
            before = _same_period_a_year_before(periods, figure.period)
            if before is not None:
                if before.kind == Period.Kind.YEAR:
                    previous = _year_figure(metric, previous_year, figures, periods)
                    if previous is not None and previous.period.pk != before.pk:
                        previous = None
                elif (metric.pk, before.pk) in figures.by_period:
                    previous = shown_result(figures.by_period[(metric.pk, before.pk)])
            target = figures.targets.get((metric.pk, figure.period.pk))
        row = _assess(metric, figure, target, previous)
        if figure is not None:
            row.comparators, row.rank_text = comparator_texts(
                metric, figures.comparators.get((metric.pk, figure.period.pk), [])
            )
        row.quarters = _year_quarters(metric, year, figures, periods)
        # A year not yet complete shows its latest quarter: say how it moved on the one before.
        _on_quarter_before(row, figures, periods)
        out[metric.pk] = row
    return out


@dataclass
class PeriodRow:
    """One period of a metric's history, as the metric and programme pages list it."""

    assessed: Assessed
    period: Period
    result: Result | None
    # (area name, period label, value) for each comparator with a published value.
    comparator_values: list[tuple[str, str, Decimal]] = field(default_factory=list)


def metric_history(
    user, metrics: list[Metric], *, include_pending: bool = False
) -> dict[int, list[PeriodRow]]:
    """Every period each metric holds a result, target or comparator for, oldest first, with
    the value, target, change on the same period a year before, status and comparators.
    Four queries whatever the number of metrics or periods."""
    ids = [m.pk for m in metrics]
    all_periods = _all_periods()
    figures = _MetricFigures(
        _results(user, metrics, include_pending, all_periods),
        Target.objects.filter(metric_id__in=ids).select_related("period__financial_year"),
        Comparator.objects.filter(metric_id__in=ids)
        .select_related("area", "period__financial_year")
        .order_by("area__name"),
    )
    periods = _periods_index(all_periods)
    out: dict[int, list[PeriodRow]] = {}
    for metric in metrics:
        held: dict[int, Period] = {}
        for r in figures.by_metric.get(metric.pk, []):
            held[r.period.pk] = r.period
        for (metric_id, _), t in figures.targets.items():
            if metric_id == metric.pk:
                held[t.period.pk] = t.period
        for (metric_id, _), cs in figures.comparators.items():
            if metric_id == metric.pk:
                held[cs[0].period.pk] = cs[0].period
        rows = []
        for period in sorted(held.values(), key=lambda p: (p.start_date, -p.end_date.toordinal())):
            result = figures.by_period.get((metric.pk, period.pk))
            shown = shown_result(result) if result else None
            before = _same_period_a_year_before(periods, period)
            previous = None
            if before is not None and (metric.pk, before.pk) in figures.by_period:
                previous = shown_result(figures.by_period[(metric.pk, before.pk)])
            assessed = _assess(metric, shown, figures.targets.get((metric.pk, period.pk)), previous)
            assessed.comparators, assessed.rank_text = comparator_texts(
                metric, figures.comparators.get((metric.pk, period.pk), [])
            )
            _on_quarter_before(assessed, figures, periods)
            values = [
                (c.area.name, period.label, c.value)
                for c in figures.comparators.get((metric.pk, period.pk), [])
                if c.value is not None
            ]
            rows.append(
                PeriodRow(assessed=assessed, period=period, result=result, comparator_values=values)
            )
        out[metric.pk] = rows
    return out


def metric_chart(metric: Metric, rows: list[PeriodRow]) -> dict:
    """Plotly traces for a metric's history: years and quarters, target, comparators."""
    categories = [row.period.label for row in rows]

    def trace(name, points, **style):
        xs = [x for x, _ in points]
        ys = [float(y) for _, y in points]
        return {"name": name, "x": xs, "y": ys, "type": "scatter", **style}

    years, quarters, others, targets = [], [], [], []
    comparators: dict[str, list] = defaultdict(list)
    for row in rows:
        label = row.period.label
        if row.assessed.figure is not None:
            bucket = {Period.Kind.YEAR: years, Period.Kind.QUARTER: quarters}.get(
                row.period.kind, others
            )
            bucket.append((label, row.assessed.figure.value))
        if row.assessed.target is not None:
            targets.append((label, row.assessed.target.value))
    for row in rows:
        for area, label, value in row.comparator_values:
            comparators[area].append((label, value))
    traces = []
    if years:
        traces.append(trace("Year", years, mode="lines+markers", marker={"symbol": "circle"}))
    if quarters:
        traces.append(trace("Quarter", quarters, mode="lines+markers", marker={"symbol": "square"}))
    if others:
        traces.append(trace("Other period", others, mode="markers", marker={"symbol": "diamond"}))
    if targets:
        traces.append(
            trace(
                "Target",
                targets,
                mode="lines+markers",
                line={"dash": "dash"},
                marker={"symbol": "x"},
            )
        )
    for name, points in comparators.items():
        traces.append(trace(name, points, mode="lines+markers", line={"dash": "dot"}))
    unit = metric.get_unit_display()
    yaxis = {"title": {"text": unit}, "rangemode": "tozero"}
    values = [y for t in traces for y in t["y"]]
    # Plotly ticks a short axis in halves ("0.5 young people"); whole counts get whole ticks.
    if (
        metric.unit == Unit.COUNT
        and values
        and max(values) <= 10
        and all(float(y).is_integer() for y in values)
    ):
        yaxis["dtick"] = 1
    # No plotly title: plotly does not wrap one, so a long metric name was cut off at both
    # ends. The heading beside the chart names it instead, where every reader finds it.
    return {
        "data": traces,
        "layout": {
            "xaxis": {"type": "category", "categoryorder": "array", "categoryarray": categories},
            "yaxis": yaxis,
        },
    }


def metrics_queryset(user) -> QuerySet:
    """Metrics the user may see, with what their rows print, in one query."""
    return visible_metrics(user).select_related(
        "partner", "programme__theme", "programme__lead_partner", "theme"
    )


def metric_theme_name(metric: Metric) -> str:
    theme = metric.theme or (metric.programme.theme if metric.programme_id else None)
    return theme.name if theme else ""


STATUS_ORDER = {"red": 0, "amber": 1, "green": 2, NO_TARGET: 3, NO_FIGURE: 4}


def _sort(value) -> tuple:
    return (0,) if value is None else (1, value)


def status_text(assessed: Assessed) -> str:
    return f"{assessed.status_symbol} {assessed.status_label}"


def _url_by_slug(name: str):
    """A URL pattern taking one slug, resolved once for a whole list rather than per row: a
    list of thousands of metrics spent a fifth of its time resolving the same two patterns.
    Slugs hold only letters, digits, hyphens and underscores, which reverse() leaves as they
    are, so putting one in place of the marker gives what reverse() would."""
    marker = "slug-marker"
    head, _, tail = reverse(name, args=[marker]).partition(marker)
    return lambda slug: f"{head}{slug}{tail}"


def metric_rows(
    user, metrics: QuerySet, year: FinancialYear | None, *, include_pending: bool = False
) -> list[dict]:
    """The metrics list's rows, one dict per metric (see wirralsafe.tables for the keys)."""
    metrics = list(metrics.select_related("partner", "programme__theme", "theme"))
    assessed = assess_year(user, metrics, year, include_pending=include_pending)
    metric_url = _url_by_slug("metrics:metric_detail")
    programme_url = _url_by_slug("programmes:programme_detail")
    rows = []
    for metric in metrics:
        a = assessed[metric.pk]
        figure, target = a.figure, a.target
        percent = a.change.percent_rounded() if a.change else None
        quarter_percent = a.quarter_change.percent_rounded() if a.quarter_change else None
        rows.append(
            {
                "name": metric.name,
                "name_url": metric_url(metric.slug),
                "name_sort": metric.name.lower(),
                "theme": metric_theme_name(metric),
                "programme": metric.programme.name if metric.programme_id else "Area-wide",
                "programme_url": programme_url(metric.programme.slug)
                if metric.programme_id
                else None,
                "partner": metric.partner.name,
                "unit": metric.get_unit_display(),
                "direction": metric.get_direction_display(),
                "figure": figure.value if figure else None,
                "figure_places": figure.places if figure else None,
                "figure_text": figure.full_text if figure else "no figure",
                "figure_sort": _sort(figure.value if figure else None),
                "period": figure.period.label if figure else "",
                "target": target.value if target else None,
                "target_places": target.places if target else None,
                "target_text": target.text if target else "no target",
                "target_sort": _sort(target.value if target else None),
                "change": percent,
                "change_text": a.change_text,
                "change_sort": _sort(percent),
                "quarter_change": quarter_percent,
                "quarter_change_text": a.quarter_change_text,
                "quarter_change_sort": _sort(quarter_percent),
                "status": a.status_label,
                "status_text": status_text(a),
                "status_sort": STATUS_ORDER[a.status],
                "position": a.rank_text,
                "assessed": a,
            }
        )
    return rows


def metric_page(user, slug: str, *, include_pending: bool = False) -> dict:
    """Everything the metric page shows: its history, chart and who reported each value."""
    from django.shortcuts import get_object_or_404

    metric = get_object_or_404(metrics_queryset(user), slug=slug)
    rows = metric_history(user, [metric], include_pending=include_pending)[metric.pk]
    return {"metric": metric, "rows": rows, "chart": metric_chart(metric, rows)}
