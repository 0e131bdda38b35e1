"""Load a transcribed report into the database, idempotently.

Every row is found by its natural key (a slug, a unique constraint's fields) and written only
when it is missing or differs, after full_clean(), so that the models' own rules apply and a
second run writes nothing. Approved returns are therefore never touched again unless the
transcription itself changes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TextIO

from django.core.exceptions import ValidationError
from django.db import models, transaction

from metrics import freshness
from metrics.models import Comparator, ComparatorArea, Metric, Result, entered_places
from programmes.models import (
    Activity,
    Allocation,
    ExpectedOutcome,
    FinancialYear,
    FundingStream,
    OutcomeStatement,
    Partner,
    Period,
    Programme,
    Return,
    Theme,
)
from programmes.services import approve_published_return

from .records import ReportRecord


@dataclass
class LoadSummary:
    """What a load did, counted per model."""

    created: Counter = field(default_factory=Counter)
    changed: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)

    @property
    def total_created(self) -> int:
        return sum(self.created.values())

    @property
    def total_changed(self) -> int:
        return sum(self.changed.values())

    def lines(self) -> list[str]:
        names = sorted(set(self.created) | set(self.changed) | set(self.unchanged))
        rows = [
            f"{name}: {self.created[name]} created, {self.changed[name]} changed, "
            f"{self.unchanged[name]} unchanged"
            for name in names
        ]
        rows.append(f"Total: {self.total_created} created, {self.total_changed} changed")
        return rows


class _Writer:
    """Finds or creates rows by natural key and updates only what differs."""

    def __init__(self) -> None:
        self.summary = LoadSummary()
        # A row created in this run and then completed (a return approved after its figures are
        # in) counts once, as created.
        self._created: set[tuple[type, int]] = set()

    def upsert(
        self,
        model: type[models.Model],
        *,
        lookup: dict[str, Any],
        values: dict[str, Any],
        links: dict[str, list[models.Model]] | None = None,
    ) -> models.Model:
        """Find by `lookup`; create, or set the `values` and many-to-many `links` that differ."""
        name = model._meta.verbose_name_plural
        links = links or {}
        obj = model.objects.filter(**lookup).first()
        if obj is None:
            obj = model(**lookup, **values)
            self._save(obj, lookup)
            for attr, targets in links.items():
                getattr(obj, attr).set(targets)
            self._created.add((model, obj.pk))
            self.summary.created[name] += 1
            return obj
        differing = {k: v for k, v in values.items() if not _same(getattr(obj, k), v)}
        if differing:
            for key, value in differing.items():
                setattr(obj, key, value)
            self._save(obj, lookup)
        relinked = False
        for attr, targets in links.items():
            manager = getattr(obj, attr)
            if set(manager.values_list("pk", flat=True)) != {t.pk for t in targets}:
                manager.set(targets)
                relinked = True
        if (model, obj.pk) in self._created:
            return obj
        if differing or relinked:
            self.summary.changed[name] += 1
        else:
            self.summary.unchanged[name] += 1
        return obj

    @staticmethod
    def _save(obj: models.Model, lookup: dict[str, Any]) -> None:
        if isinstance(obj, Result | Comparator):
            # The unit is copied from the metric on save; full_clean needs it first.
            obj.unit = obj.metric.unit
        try:
            obj.full_clean()
        except ValidationError as error:
            # Name the record, so that a mistake in the transcription can be found.
            where = ", ".join(f"{key}={value}" for key, value in lookup.items())
            raise ValidationError(
                f"{obj._meta.verbose_name} ({where}): {' '.join(error.messages)}"
            ) from error
        obj.save()


def _same(current: Any, wanted: Any) -> bool:
    if isinstance(wanted, Decimal) and current is not None:
        return Decimal(current) == wanted
    if isinstance(wanted, models.Model) or isinstance(current, models.Model):
        return getattr(current, "pk", None) == getattr(wanted, "pk", None)
    return current == wanted


def _decimal(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


@transaction.atomic
@freshness.raised_once()
def load_report(*, data: ReportRecord | None = None, stdout: TextIO | None = None) -> LoadSummary:
    """Load a transcribed report (by default the 2018/19 Wirral overview) and say what changed.

    Returns are created as drafts, filled, then approved as the report published them.
    """
    if data is None:
        from .wirral_2018_19 import REPORT

        data = REPORT
    w = _Writer()

    partners = {
        p.slug: w.upsert(Partner, lookup={"slug": p.slug}, values={"name": p.name, "kind": p.kind})
        for p in data.partners
    }
    themes = {
        t.slug: w.upsert(Theme, lookup={"slug": t.slug}, values={"name": t.name})
        for t in data.themes
    }
    streams = {
        s.slug: w.upsert(
            FundingStream,
            lookup={"slug": s.slug},
            values={"name": s.name, "funder": s.funder, "order": s.order},
        )
        for s in data.streams
    }

    years: dict[int, FinancialYear] = {}
    periods: dict[str, Period] = {}
    for start_year in data.years:
        fy = w.upsert(FinancialYear, lookup={"start_year": start_year}, values={})
        years[start_year] = fy
        periods[fy.label] = w.upsert(
            Period,
            lookup={"kind": Period.Kind.YEAR, "financial_year": fy},
            values={"start_date": fy.start_date, "end_date": fy.end_date},
        )
    for r in data.ranges:
        periods[r.key] = w.upsert(
            Period,
            lookup={"kind": Period.Kind.RANGE, "start_date": r.start, "end_date": r.end},
            values={"label_text": r.label},
        )
    report_year = years[data.start_year]
    report_period = periods[report_year.label]

    areas = {
        a.slug: w.upsert(
            ComparatorArea,
            lookup={"slug": a.slug},
            values={"name": a.name, "description": a.description, "group_size": a.group_size},
        )
        for a in data.areas
    }

    programmes: dict[str, Programme] = {}
    for p in data.programmes:
        programme = w.upsert(
            Programme,
            lookup={"slug": p.slug},
            values={
                "name": p.name,
                "theme": themes[p.theme],
                "lead_partner": partners[p.lead],
                "description": p.description,
            },
            links={"delivery_partners": [partners[s] for s in p.delivery]},
        )
        programmes[p.slug] = programme

    returns: dict[str, Return] = {}

    def return_for(partner: Partner) -> Return:
        if partner.slug not in returns:
            # Only created as a draft; an existing (approved) return is left as it is.
            existing = Return.objects.filter(partner=partner, period=report_period).first()
            returns[partner.slug] = existing or w.upsert(
                Return,
                lookup={"partner": partner, "period": report_period},
                values={"status": Return.Status.DRAFT},
            )
        return returns[partner.slug]

    expected: dict[str, list[ExpectedOutcome]] = {}
    for a in data.activities:
        programme = programmes[a.programme]
        stream = streams[a.stream]
        w.upsert(
            Allocation,
            lookup={
                "programme": programme,
                "funding_stream": stream,
                "financial_year": report_year,
            },
            values={"amount": None, "note": data.allocation_note},
        )
        activity = w.upsert(
            Activity,
            lookup={
                "programme": programme,
                "financial_year": report_year,
                "funding_stream": stream,
                "title": a.title,
            },
            values={"description": a.description, "order": a.order},
        )
        expected[a.programme] = [
            w.upsert(
                ExpectedOutcome,
                lookup={"activity": activity, "order": number},
                values={"text": text},
            )
            for number, text in enumerate(a.expected_outcomes, start=1)
        ]
        w.upsert(
            OutcomeStatement,
            lookup={"activity": activity, "report_return": return_for(programme.lead_partner)},
            values={"text": a.outcome, "note": a.outcome_note},
        )

    for m in data.metrics:
        metric = w.upsert(
            Metric,
            lookup={"slug": m.slug},
            values={
                "name": m.name,
                "description": m.description,
                "unit": m.unit,
                "unit_label": m.unit_label,
                "unit_label_singular": m.unit_label_singular,
                "direction": m.direction,
                "aggregation": m.aggregation,
                "decimal_places": m.decimal_places,
                "partner": partners[m.partner],
                "programme": programmes[m.programme] if m.programme else None,
                "theme": themes[m.theme] if m.theme else None,
                "is_headline": m.is_headline,
            },
            links={
                "expected_outcomes": [expected[m.programme][n - 1] for n in m.evidences]
                if m.programme
                else []
            },
        )
        report_return = return_for(metric.partner)
        for r in m.results:
            w.upsert(
                Result,
                lookup={"metric": metric, "period": periods[r.period]},
                values={
                    "report_return": report_return,
                    "value": Decimal(r.value),
                    "qualifier": r.qualifier,
                    "source": r.source,
                    "note": r.note,
                },
            )
        for c in m.comparators:
            w.upsert(
                Comparator,
                lookup={"metric": metric, "period": periods[c.period], "area": areas[c.area]},
                values={
                    "value": _decimal(c.value),
                    # Set here, not only on save: a value read back from the database has lost
                    # the places it was typed with, and a re-run must still correct them.
                    "places": entered_places(c.value),
                    "qualifier": c.qualifier,
                    "rank": c.rank,
                    "rank_order": c.rank_order,
                    "rank_is_shared": c.rank_is_shared,
                    "shared_with": c.shared_with,
                    "group_size": c.group_size,
                    "note": c.note,
                },
            )

    # Approval goes through the return service, which is the only way a status may change.
    for report_return in returns.values():
        report_return.refresh_from_db()
        if report_return.status == Return.Status.DRAFT:
            approve_published_return(
                report_return=report_return,
                note=data.approval_note,
                approved_at=data.approved_at,
            )
        elif (Return, report_return.pk) not in w._created:
            w.summary.unchanged[Return._meta.verbose_name_plural] += 1

    if stdout is not None:
        for line in w.summary.lines():
            stdout.write(line + "\n")
    return w.summary
