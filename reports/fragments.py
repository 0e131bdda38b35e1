"""Rendered parts of pages that are the same for many users, cached until their figures change.

The dashboard's headline tiles and RAG summary assess every metric of a year: seconds of work
at 4,000 metrics, and the same answer for every user with the same figures_scope until a
result, target, return or metric changes. They are rendered once per (figures version, scope,
year) and cached in Django's cache; metrics/freshness.py raises the version on every change, so
a cached part is never served after its figures changed. The cache is each process's own (see
CACHES in settings): every gunicorn worker renders once per change, and none can serve another's
stale copy, since the version they compare is read from the database.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from metrics import freshness
from programmes.models import FinancialYear
from programmes.scoping import figures_scope
from reports.selectors import dashboard_figures

HEADLINES_TEMPLATE = "reports/_dashboard_headlines.html"
RAG_TEMPLATE = "reports/_dashboard_rag.html"


def dashboard_figures_key(user, year: FinancialYear | None, *, include_pending: bool) -> str:
    # The version is read first: figures computed after it can only be as new or newer.
    return ":".join(
        [
            "dashboard-figures",
            freshness.current(),
            figures_scope(user, include_pending=include_pending),
            str(year.pk) if year else "no-year",
        ]
    )


def dashboard_figures_html(user, year: FinancialYear | None, *, include_pending: bool) -> dict:
    """{"headlines": html, "rag": html} for the dashboard, from the cache when still current."""
    key = dashboard_figures_key(user, year, include_pending=include_pending)
    parts = cache.get(key)
    if parts is None:
        context = dashboard_figures(user, year, include_pending=include_pending)
        parts = {
            "headlines": str(render_to_string(HEADLINES_TEMPLATE, context)),
            "rag": str(render_to_string(RAG_TEMPLATE, context)),
        }
        cache.set(key, parts, settings.FIGURES_CACHE_SECONDS)
    # Rendered by our own templates, with autoescaping, from the user's own scope.
    return {name: mark_safe(html) for name, html in parts.items()}
