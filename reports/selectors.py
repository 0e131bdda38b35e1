"""Reads for the reports app: the dashboard, and the commissioners' funding report.

Dashboard: headline tiles, the RAG summary and the latest quarter's returns.
Funding report: one pivoted row per metric, and the activities by stream. A metric's figures
(year, previous year, target, change, status, comparators, quarters) are read by
metrics.selectors.assess_year, the same reading the metrics pages use, so the report prints what
the screen shows. Every figure comes through programmes/scoping.py (approved only, or submitted
too for an analyst who asks). The number of queries is fixed, whatever the number of metrics,
results or activities.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, F, OuterRef, Prefetch, Q

from metrics import calculations
from metrics.calculations import Change
from metrics.models import Metric, Qualifier, Result, Target, Unit
from metrics.selectors import (
    STATUS_CHOICES,
    STATUS_SYMBOLS,
    Assessed,
    Shown,
    assess_year,
    metric_ids_counted_in_year,
    metrics_queryset,
)
from programmes import scoping
from programmes.locks import closed_message
from programmes.models import (
    Activity,
    Allocation,
    ExpectedOutcome,
    FinancialYear,
    FundingStream,
    Period,
    Return,
)
from programmes.scoping import visible_returns
from programmes.selectors import reporting_partners
from wirralsafe.spreadsheets import escape_formula

NOT_STARTED = "Not started"
NOT_YET_APPROVED = "Not yet approved"


def returns_completeness(user) -> dict | None:
    """Each reporting partner's return for the latest quarter that has any, by status.

    Someone who may not see unapproved returns is told only that a return is not yet approved.
    """
    latest = (
        Period.objects.filter(kind=Period.Kind.QUARTER, returns__isnull=False)
        .select_related("financial_year")
        .order_by("-start_date")
        .first()
    )
    if latest is None:
        return None
    # Each return with whether this user may see its status, in one query.
    returns = {
        r.partner_id: r
        for r in Return.objects.filter(period=latest).annotate(
            visible=Exists(visible_returns(user).filter(pk=OuterRef("pk")))
        )
    }
    # The same partners as the returns page's rows, so the two count alike.
    rows = []
    for partner in reporting_partners():
        ret = returns.get(partner.pk)
        if ret is None:
            status = NOT_STARTED
        elif ret.visible:
            status = ret.get_status_display()
        else:
            status = NOT_YET_APPROVED
        rows.append({"partner": partner.name, "status": status})
    counts = Counter(row["status"] for row in rows)
    order = [s.label for s in reversed(Return.Status)] + [NOT_YET_APPROVED, NOT_STARTED]
    return {
        "period": latest,
        "rows": rows,
        "counts": [(label, counts[label]) for label in order if counts[label]],
        "approved": counts[Return.Status.APPROVED.label],
        "total": len(rows),
    }


def dashboard_figures(user, year: FinancialYear | None, *, include_pending: bool = False) -> dict:
    """The dashboard's headline tiles and RAG summary: every metric assessed for the year.

    The same for every user whose figures_scope is the same (reports/fragments.py caches it so).
    """
    metrics = list(metrics_queryset(user))
    assessed = assess_year(user, metrics, year, include_pending=include_pending)
    headlines = [assessed[m.pk] for m in metrics if m.is_headline]
    counts = Counter(a.status for a in assessed.values())
    summary = [
        {"key": key, "label": label, "symbol": STATUS_SYMBOLS[key], "count": counts[key]}
        for key, label in STATUS_CHOICES
    ]
    rag_chart = {
        "data": [
            {
                "type": "bar",
                "x": [s["label"] for s in summary],
                "y": [s["count"] for s in summary],
                "text": [f"{s['symbol']} {s['count']}" for s in summary],
                "textposition": "auto",
                "marker": {"color": ["#198754", "#cc8a00", "#b02a37", "#6c757d", "#adb5bd"]},
                "name": "Metrics",
            }
        ],
        # Untitled, like every chart: the section's heading names it (templates/reports).
        "layout": {
            "yaxis": {"title": {"text": "Metrics"}, "rangemode": "tozero"},
        },
    }
    return {
        "year": year,
        "headlines": headlines,
        "summary": summary,
        "metric_count": len(metrics),
        "charts": {"rag": rag_chart},
    }


def dashboard_returns(user) -> dict:
    """The dashboard's returns panel: the latest quarter's returns, as this user may see them."""
    completeness = returns_completeness(user)
    charts = {}
    if completeness:
        charts["returns"] = {
            "data": [
                {
                    "type": "bar",
                    "x": [label for label, _ in completeness["counts"]],
                    "y": [n for _, n in completeness["counts"]],
                    "name": "Returns",
                }
            ],
            "layout": {
                "yaxis": {"title": {"text": "Partners"}, "rangemode": "tozero"},
            },
        }
    return {"completeness": completeness, "charts": charts}


@dataclass
class MetricRow:
    """One metric of the report, pivoted: its quarters, year, previous year and target.

    Everything comes from the metric's Assessed, so that the report prints the figure, change,
    status and comparators the metrics list shows for the same user, year and choice."""

    assessed: Assessed

    @property
    def metric(self) -> Metric:
        return self.assessed.metric

    @property
    def quarters(self) -> list[Shown | None]:
        return self.assessed.quarters

    @property
    def year(self) -> Shown | None:
        return self.assessed.figure

    @property
    def previous(self) -> Shown | None:
        return self.assessed.previous

    @property
    def target(self) -> Decimal | None:
        return self.assessed.target.value if self.assessed.target else None

    @property
    def change(self) -> Change | None:
        return self.assessed.change

    @property
    def comparators(self) -> list[str]:
        return self.assessed.comparators

    @property
    def pending(self) -> bool:
        return any(f is not None and f.pending for f in [*self.quarters, self.year])

    @property
    def year_text(self) -> str:
        """The figure alone ("over 500 young people"), for sentences."""
        return self.year.text if self.year else ""

    @property
    def year_as_shown(self) -> str:
        """The figure with every marker, exactly as the metrics list prints it."""
        return self.year.full_text if self.year else ""

    @property
    def previous_text(self) -> str:
        return self.previous.text if self.previous else ""

    @property
    def period_note(self) -> str:
        """The figure's period when it is not the whole year (earlier, a range, a quarter)."""
        return self.assessed.period_note


@dataclass
class ActivityRow:
    activity: Activity
    expected_outcomes: list[str]
    outcomes: list[str]
    pending: bool
    key_figures: list[str]
    # The programme's allocation from the activity's stream that year; None when none is
    # recorded. Its amount is None when the allocation is recorded but not published.
    allocation: Allocation | None


@dataclass
class StreamSection:
    stream: FundingStream
    rows: list[ActivityRow]


@dataclass
class FundingReport:
    """Everything the funding report workbook prints, read once."""

    year: FinancialYear
    previous_year_label: str
    stream: FundingStream | None
    include_pending: bool
    metric_rows: list[MetricRow]
    sections: list[StreamSection]

    @property
    def headline_rows(self) -> list[MetricRow]:
        return [row for row in self.metric_rows if row.metric.is_headline]


def parse_year(label: str) -> int:
    """'2018/19' -> 2018. Raises ValueError for anything else."""
    start, sep, end = label.strip().partition("/")
    if not sep or not start.isdigit() or not end.isdigit() or len(start) != 4:
        raise ValueError(f"'{label}' is not a financial year such as 2018/19.")
    if (int(start) + 1) % 100 != int(end) % 100:
        raise ValueError(f"'{label}' is not a financial year: the years must be consecutive.")
    if not 1990 <= int(start) <= 2100:
        # The same bounds as FinancialYear's check constraint.
        raise ValueError(f"'{label}' is not a financial year between 1990/91 and 2100/01.")
    return int(start)


def metric_rows(
    *,
    user,
    fy: FinancialYear,
    stream: FundingStream | None = None,
    include_pending: bool = False,
) -> list[MetricRow]:
    """One row per metric with a counted figure for the year, pivoted by period: the rows and
    figures of the metrics list for that year, read by the same selectors. Five queries,
    whatever the size."""
    counted = metric_ids_counted_in_year(user, fy, include_pending=include_pending)
    # Area-wide metrics first, as in the report's overview; the same order on every database.
    metrics = (
        metrics_queryset(user)
        .filter(pk__in=counted)
        .order_by(F("programme__name").asc(nulls_first=True), "name")
    )
    if stream is not None:
        metrics = metrics.filter(
            programme__activities__funding_stream=stream,
            programme__activities__financial_year=fy,
        ).distinct()
    metrics = list(metrics)
    assessed = assess_year(user, metrics, fy, include_pending=include_pending)
    return [MetricRow(assessed=assessed[m.pk]) for m in metrics]


def stream_sections(
    *,
    user,
    fy: FinancialYear,
    rows_by_programme: dict[int, list[MetricRow]],
    stream: FundingStream | None = None,
    include_pending: bool = False,
) -> list[StreamSection]:
    """The report's Activity | Expected outcomes | Outcomes table, one section per stream."""
    statements = (
        scoping.reportable_statements(user, include_pending=include_pending)
        .filter(
            Q(report_return__period__financial_year=fy)
            | Q(
                report_return__period__start_date__gte=fy.start_date,
                report_return__period__end_date__lte=fy.end_date,
            )
        )
        .select_related("report_return", "report_return__period")
        .order_by("report_return__period__start_date")
    )
    activities = (
        Activity.objects.filter(financial_year=fy)
        .select_related("programme", "programme__lead_partner", "funding_stream")
        .prefetch_related(
            Prefetch("expected_outcomes", queryset=ExpectedOutcome.objects.order_by("order", "pk")),
            Prefetch("outcome_statements", queryset=statements, to_attr="report_statements"),
        )
        .order_by("funding_stream__order", "funding_stream__name", "order", "title")
    )
    if stream is not None:
        activities = activities.filter(funding_stream=stream)
    allocations = {
        (a.programme_id, a.funding_stream_id): a
        for a in Allocation.objects.filter(financial_year=fy)
    }
    sections: dict[int, StreamSection] = {}
    for act in activities:
        section = sections.setdefault(
            act.funding_stream_id, StreamSection(stream=act.funding_stream, rows=[])
        )
        outcomes = []
        pending = False
        for s in act.report_statements:
            is_pending = s.report_return.status != Return.Status.APPROVED
            pending = pending or is_pending
            prefix = f"[{s.report_return.period.label}{', pending' if is_pending else ''}] "
            outcomes.append(prefix + s.text)
        key_figures = [
            f"{row.metric.name}: {row.year_as_shown}"
            for row in rows_by_programme.get(act.programme_id, [])
            if row.year is not None
        ]
        section.rows.append(
            ActivityRow(
                activity=act,
                expected_outcomes=[e.text for e in act.expected_outcomes.all()],
                outcomes=outcomes,
                pending=pending,
                key_figures=key_figures,
                allocation=allocations.get((act.programme_id, act.funding_stream_id)),
            )
        )
    return list(sections.values())


def funding_report(
    *,
    user,
    year_label: str,
    stream_slug: str | None = None,
    include_pending: bool = False,
) -> FundingReport:
    """The whole report for a year (and optionally one stream). Raises LookupError when the
    year or stream does not exist, ValueError when the year is not written like 2018/19."""
    start_year = parse_year(year_label)
    fy = FinancialYear.objects.filter(start_year=start_year).first()
    if fy is None:
        raise LookupError(f"There is no financial year {year_label}.")
    stream = None
    if stream_slug:
        stream = FundingStream.objects.filter(slug=stream_slug).first()
        if stream is None:
            raise LookupError(f"There is no funding stream '{stream_slug}'.")
    include_pending = include_pending and scoping.sees_pending(user)
    rows = metric_rows(user=user, fy=fy, stream=stream, include_pending=include_pending)
    by_programme: dict[int, list[MetricRow]] = defaultdict(list)
    for row in rows:
        if row.metric.programme_id:
            by_programme[row.metric.programme_id].append(row)
    sections = stream_sections(
        user=user,
        fy=fy,
        rows_by_programme=by_programme,
        stream=stream,
        include_pending=include_pending,
    )
    return FundingReport(
        year=fy,
        previous_year_label=FinancialYear(start_year=start_year - 1).label,
        stream=stream,
        include_pending=include_pending,
        metric_rows=rows,
        sections=sections,
    )


# --- The partners' quarterly return workbook ----------------------------------------------


def parse_quarter(label: str) -> tuple[int, int]:
    """'2019/20 Q1' -> (2019, 1). Raises ValueError for anything else."""
    year_part, _, quarter_part = label.strip().partition(" ")
    quarter_part = quarter_part.strip().upper()
    if len(quarter_part) != 2 or quarter_part[0] != "Q" or quarter_part[1] not in "1234":
        raise ValueError(f"'{label}' is not a quarter such as 2019/20 Q1.")
    return parse_year(year_part), int(quarter_part[1])


def quarter_label(start_year: int, quarter: int) -> str:
    return f"{FinancialYear(start_year=start_year).label} Q{quarter}"


@dataclass
class TemplateMetric:
    metric: Metric
    last_quarter: Result | None
    same_quarter_last_year: Result | None
    target: Target | None
    current: Result | None


@dataclass
class TemplateActivity:
    activity: Activity
    expected_outcomes: list[str]
    current: object | None  # the OutcomeStatement already in this return, if any


@dataclass
class ReturnTemplate:
    """What the partner's quarterly workbook is pre-filled with."""

    partner: object
    start_year: int
    quarter: int
    return_status: str
    metrics: list[TemplateMetric]
    activities: list[TemplateActivity]
    # Why the user cannot upload into this quarter's return now (submitted or approved), or ''.
    closed_note: str = ""

    @property
    def label(self) -> str:
        return quarter_label(self.start_year, self.quarter)

    @property
    def last_quarter_label(self) -> str:
        return quarter_label(*previous_quarter(self.start_year, self.quarter))

    @property
    def same_quarter_last_year_label(self) -> str:
        return quarter_label(self.start_year - 1, self.quarter)


def previous_quarter(start_year: int, quarter: int) -> tuple[int, int]:
    return (start_year, quarter - 1) if quarter > 1 else (start_year - 1, 4)


def return_template(*, user, partner, start_year: int, quarter: int) -> ReturnTemplate:
    """The metrics a partner reports and the activities it leads, with the figures beside them.

    A fixed number of queries: the metrics, one query for results of the three quarters, one
    for targets, the activities with their outcomes, and this return's narratives.
    """
    from programmes.models import OutcomeStatement

    metrics = list(
        Metric.objects.filter(partner=partner).select_related("programme").order_by("name")
    )
    wanted = [
        (start_year, quarter),
        previous_quarter(start_year, quarter),
        (start_year - 1, quarter),
    ]
    quarter_q = Q()
    for y, q in wanted:
        quarter_q |= Q(period__financial_year__start_year=y, period__quarter=q)
    quarter_q &= Q(period__kind=Period.Kind.QUARTER)
    results = scoping.visible_results(
        user,
        Result.objects.filter(quarter_q, metric__partner=partner).select_related(
            "period__financial_year", "report_return"
        ),
    )
    by_key = {
        (r.metric_id, r.period.financial_year.start_year, r.period.quarter): r for r in results
    }
    targets = {
        t.metric_id: t
        for t in Target.objects.filter(
            metric__partner=partner,
            period__kind=Period.Kind.QUARTER,
            period__financial_year__start_year=start_year,
            period__quarter=quarter,
        )
    }
    rows = [
        TemplateMetric(
            metric=m,
            current=by_key.get((m.pk, *wanted[0])),
            last_quarter=by_key.get((m.pk, *wanted[1])),
            same_quarter_last_year=by_key.get((m.pk, *wanted[2])),
            target=targets.get(m.pk),
        )
        for m in metrics
    ]
    activities = list(
        Activity.objects.filter(
            programme__lead_partner=partner, financial_year__start_year=start_year
        )
        .select_related("programme")
        .prefetch_related(
            Prefetch("expected_outcomes", queryset=ExpectedOutcome.objects.order_by("order", "pk"))
        )
        .order_by("programme__name", "order", "title")
    )
    current_return = (
        Return.objects.filter(
            partner=partner,
            period__kind=Period.Kind.QUARTER,
            period__financial_year__start_year=start_year,
            period__quarter=quarter,
        )
        .select_related("partner", "period__financial_year", "submitted_by", "approved_by")
        .first()
    )
    statements = {}
    if current_return is not None:
        statements = {
            s.activity_id: s
            for s in scoping.visible_statements(
                user, OutcomeStatement.objects.filter(report_return=current_return)
            )
        }
    return ReturnTemplate(
        partner=partner,
        start_year=start_year,
        quarter=quarter,
        # Words for the Instructions sheet: no return yet is "not started", not a draft.
        return_status=(
            current_return.get_status_display().lower() if current_return else "not started"
        ),
        metrics=rows,
        closed_note=(
            closed_message(current_return)
            if current_return is not None and not scoping.can_edit_return(user, current_return)
            else ""
        ),
        activities=[
            TemplateActivity(
                activity=a,
                expected_outcomes=[e.text for e in a.expected_outcomes.all()],
                current=statements.get(a.pk),
            )
            for a in activities
        ],
    )


# Every result of every year, for the full download (manage.py export_results).

RESULT_EXPORT_HEADER = [
    "Financial year",
    "Period",
    "Period start",
    "Period end",
    "Partner",
    "Programme",
    "Metric code",
    "Metric",
    "Unit",
    "Value",
    "Qualifier",
    "As printed",
    "Reported in the return for",
    "Describes an earlier period",
    "Return status",
    "Pending",
    "Note",
    "Source",
]


def result_export_count(user, *, include_pending: bool = False) -> int:
    return scoping.reportable_results(user, include_pending=include_pending).count()


def result_export_rows(user, *, include_pending: bool = False, chunk_size: int = 2000):
    """Every result the user may report, one list of typed cells per result, streamed.

    The few hundred periods and returns and the metrics are read once into dictionaries; the
    results themselves are streamed as plain tuples (a server-side cursor on PostgreSQL), so
    memory stays flat however many results there are, and the number of queries is fixed.
    Approved figures only, unless an analyst asks for submitted ones, marked "Yes" in Pending.
    """
    periods = {p.pk: p for p in Period.objects.select_related("financial_year")}
    metrics = {
        m.pk: m
        for m in Metric.objects.select_related("partner", "programme").only(
            "slug",
            "name",
            "unit",
            "unit_label",
            "unit_label_singular",
            "decimal_places",
            "partner__name",
            "programme__name",
        )
    }
    returns = {r.pk: r for r in Return.objects.only("pk", "status", "period_id", "partner_id")}
    unit_labels = dict(Unit.choices)
    qualifier_labels = dict(Qualifier.choices)
    status_labels = dict(Return.Status.choices)
    results = (
        scoping.reportable_results(user, include_pending=include_pending)
        .order_by("period__financial_year__start_year", "metric_id", "period__start_date", "pk")
        .values_list(
            "metric_id",
            "period_id",
            "report_return_id",
            "value",
            "places",
            "qualifier",
            "note",
            "source",
        )
    )
    for metric_id, period_id, return_id, value, places, qualifier, note, source in results.iterator(
        chunk_size=chunk_size
    ):
        metric = metrics[metric_id]
        period = periods[period_id]
        report_return = returns[return_id]
        return_period = periods[report_return.period_id]
        yield [
            period.financial_year.label,
            period.label,
            period.start_date,
            period.end_date,
            escape_formula(metric.partner.name),
            escape_formula(metric.programme.name) if metric.programme_id else "Area-wide",
            metric.slug,
            escape_formula(metric.name),
            unit_labels.get(metric.unit, metric.unit)
            + (f": {metric.unit_label}" if metric.unit_label else ""),
            value,
            qualifier_labels.get(qualifier, qualifier),
            calculations.format_value(
                value,
                metric.unit,
                places=calculations.figure_places(metric.decimal_places, places),
                qualifier=qualifier,
                unit_label=metric.unit_label,
                unit_label_singular=metric.unit_label_singular,
            ),
            return_period.label,
            "Yes" if period.end_date < return_period.start_date else "No",
            status_labels.get(report_return.status, report_return.status),
            "No" if report_return.status == Return.Status.APPROVED else "Yes",
            escape_formula(note),
            escape_formula(source),
        ]
