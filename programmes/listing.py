"""Reads for the programme pages: the list's rows and everything one programme page shows."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from metrics.calculations import number_text
from metrics.models import Metric
from metrics.selectors import (
    NO_FIGURE,
    STATUS_CHOICES,
    STATUS_ORDER,
    STATUS_SYMBOLS,
    assess_year,
    metric_chart,
    metric_history,
)
from programmes.models import Activity, Allocation, FinancialYear, Return
from programmes.scoping import reportable_statements, visible_programmes


def programmes_queryset(user) -> QuerySet:
    return visible_programmes(user).select_related("theme", "lead_partner")


def pounds(amount: Decimal) -> str:
    return "£" + number_text(amount, 0 if amount == amount.to_integral_value() else 2)


def status_summary(statuses: Counter) -> str:
    """'✖ 1 red, ✔ 2 green, ○ 1 no target': counts in words, worst first."""
    labels = dict(STATUS_CHOICES)
    parts = [
        f"{STATUS_SYMBOLS[key]} {statuses[key]} {labels[key].lower()}"
        for key, _ in sorted(STATUS_CHOICES, key=lambda c: STATUS_ORDER[c[0]])
        if statuses[key]
    ]
    return ", ".join(parts) if parts else "no metrics"


def programme_rows(
    user, programmes: QuerySet, year: FinancialYear | None, *, include_pending: bool = False
) -> list[dict]:
    """The programmes list's rows for a year: funding, metrics and their RAG statuses."""
    programmes = list(programmes.select_related("theme", "lead_partner"))
    ids = [p.pk for p in programmes]
    allocations = defaultdict(list)
    if year is not None:
        for a in Allocation.objects.filter(
            programme_id__in=ids, financial_year=year
        ).select_related("funding_stream"):
            allocations[a.programme_id].append(a)
    metrics = list(Metric.objects.filter(programme_id__in=ids).select_related("partner"))
    assessed = assess_year(user, metrics, year, include_pending=include_pending)
    statuses: dict[int, Counter] = defaultdict(Counter)
    pending: set[int] = set()
    for m in metrics:
        a = assessed[m.pk]
        statuses[m.programme_id][a.status] += 1
        if a.figure is not None and a.figure.pending:
            pending.add(m.programme_id)
    rows = []
    for p in programmes:
        own = allocations[p.pk]
        known = [a.amount for a in own if a.amount is not None]
        total = sum(known, Decimal(0)) if known else None
        if not own:
            funding_text = "none"
        elif total is None:
            funding_text = "not published"
        else:
            funding_text = pounds(total)
            if len(known) < len(own):
                funding_text += " (some not published)"
        counts = statuses[p.pk]
        worst = min((STATUS_ORDER[k] for k in counts), default=STATUS_ORDER[NO_FIGURE] + 1)
        rows.append(
            {
                "name": p.name,
                "name_url": p.get_absolute_url(),
                "name_sort": p.name.lower(),
                "theme": p.theme.name,
                "lead_partner": p.lead_partner.name,
                "streams": ", ".join(sorted({a.funding_stream.name for a in own})),
                "funding": total,
                "funding_text": funding_text,
                "funding_sort": (0,) if total is None else (1, total),
                "metrics": sum(counts.values()),
                "status": status_summary(counts)
                + (" (includes pending figures)" if p.pk in pending else ""),
                "status_sort": (worst, -counts["red"], -counts["amber"]),
            }
        )
    return rows


@dataclass
class ActivityView:
    activity: Activity
    statements: list


def programme_page(user, slug: str, *, include_pending: bool = False) -> dict:
    """Everything the programme page shows, in a fixed number of queries."""
    programme = get_object_or_404(
        programmes_queryset(user).prefetch_related("delivery_partners"), slug=slug
    )
    allocations = list(
        programme.allocations.select_related("funding_stream", "financial_year").order_by(
            "-financial_year__start_year", "funding_stream__order", "funding_stream__name"
        )
    )
    statements = (
        reportable_statements(user, include_pending=include_pending)
        .filter(activity__programme=programme)
        .select_related("report_return__period__financial_year")
    )
    by_activity = defaultdict(list)
    for s in statements:
        s.pending = s.report_return.status != Return.Status.APPROVED
        by_activity[s.activity_id].append(s)
    activities = [
        ActivityView(activity=a, statements=by_activity[a.pk])
        for a in programme.activities.select_related("financial_year", "funding_stream")
        .prefetch_related("expected_outcomes")
        .order_by("-financial_year__start_year", "funding_stream__order", "order", "title")
    ]
    metrics = list(programme.metrics.select_related("partner", "theme", "programme__theme"))
    history = metric_history(user, metrics, include_pending=include_pending)
    metric_views = [
        {"metric": m, "rows": history[m.pk], "chart": metric_chart(m, history[m.pk])}
        for m in metrics
    ]
    return {
        "programme": programme,
        "allocations": [
            {
                "allocation": a,
                "amount_text": pounds(a.amount) if a.amount is not None else "not published",
            }
            for a in allocations
        ],
        "activities": activities,
        "metrics": metric_views,
    }
