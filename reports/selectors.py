"""Reads for the dashboard: headline tiles, the RAG summary and the latest quarter's returns."""

from __future__ import annotations

from collections import Counter

from metrics.selectors import STATUS_CHOICES, STATUS_SYMBOLS, assess_year, metrics_queryset
from programmes.models import FinancialYear, Partner, Period, Return
from programmes.scoping import visible_returns

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
    returns = {r.partner_id: r for r in Return.objects.filter(period=latest)}
    visible = set(visible_returns(user).filter(period=latest).values_list("pk", flat=True))
    partners = Partner.objects.filter(pk__in=returns.keys()) | Partner.objects.filter(
        metrics__isnull=False
    )
    rows = []
    for partner in partners.distinct().order_by("name"):
        ret = returns.get(partner.pk)
        if ret is None:
            status = NOT_STARTED
        elif ret.pk in visible:
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


def dashboard(user, year: FinancialYear | None, *, include_pending: bool = False) -> dict:
    metrics = list(metrics_queryset(user))
    assessed = assess_year(user, metrics, year, include_pending=include_pending)
    headlines = [assessed[m.pk] for m in metrics if m.is_headline]
    counts = Counter(a.status for a in assessed.values())
    summary = [
        {"key": key, "label": label, "symbol": STATUS_SYMBOLS[key], "count": counts[key]}
        for key, label in STATUS_CHOICES
    ]
    completeness = returns_completeness(user)
    charts = {
        "rag": {
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
            "layout": {
                "title": {"text": f"Metrics by RAG status, {year}" if year else "Metrics"},
                "yaxis": {"title": {"text": "Metrics"}, "rangemode": "tozero"},
            },
        }
    }
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
                "title": {"text": f"Returns for {completeness['period']}"},
                "yaxis": {"title": {"text": "Partners"}, "rangemode": "tozero"},
            },
        }
    return {
        "year": year,
        "headlines": headlines,
        "summary": summary,
        "metric_count": len(metrics),
        "completeness": completeness,
        "charts": charts,
    }
