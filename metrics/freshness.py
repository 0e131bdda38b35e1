"""Which computed figures are still current: one counter, raised by every change beneath them.

The dashboard assesses every metric of a year (results, targets, comparators, returns' status).
That is seconds of work at scale, and its answer changes only when one of those rows changes, so
its rendered figures are cached under the counter's number and recomputed once it moves.

The counter is raised inside the writing transaction, so a reader never sees new rows with the
old number. Every save and delete of a watched model raises it through signals (a result only
when its return is one whose figures anybody counts: saving a draft changes nobody's figures).
Writes that send no signal (QuerySet.update, bulk_create, bulk_update) raise it in
programmes/locks.py for results and narratives, and in the services that write in bulk
(imports, the synthetic data). Raw SQL does not: cached entries also expire after
FIGURES_CACHE_SECONDS as a last resort.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import router
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save

from metrics.models import FiguresVersion

ROW_ID = 1


def current() -> str:
    """The counter now, as a key part: its number and stamp (one query)."""
    row = FiguresVersion.objects.filter(pk=ROW_ID).values_list("number", "stamp").first()
    if row is None:
        FiguresVersion.objects.get_or_create(pk=ROW_ID)
        row = (0, "")
    return f"{row[0]}-{row[1]}"


_batch = threading.local()


@contextmanager
def raised_once() -> Iterator[None]:
    """Inside, saves and deletes do not raise the version one by one: it is raised once, on
    leaving. For services that write thousands of rows in one transaction (an import, the
    synthetic data), where a raise per row would be thousands of updates of one row."""
    depth = getattr(_batch, "depth", 0)
    _batch.depth = depth + 1
    if depth == 0:
        _batch.pending = set()
    try:
        yield
    finally:
        _batch.depth = depth
        if depth == 0:
            pending, _batch.pending = _batch.pending, set()
            for using in pending:
                raise_version(using=using)


def raise_version(*, using: str | None = None) -> None:
    """Mark every cached figure out of date (from the writing transaction's commit on)."""
    using = using or router.db_for_write(FiguresVersion)
    if getattr(_batch, "depth", 0):
        _batch.pending.add(using)
        return
    updated = (
        FiguresVersion.objects.using(using)
        .filter(pk=ROW_ID)
        .update(number=F("number") + 1, stamp=uuid.uuid4().hex)
    )
    if not updated:
        FiguresVersion.objects.using(using).get_or_create(
            pk=ROW_ID, defaults={"number": 1, "stamp": uuid.uuid4().hex}
        )


def watched_models() -> list:
    """Models whose rows a dashboard figure, headline or status is computed from."""
    from metrics.models import Comparator, ComparatorArea, Metric, Result, Target
    from programmes.models import FinancialYear, Partner, Period, Programme, Return, Theme

    return [
        Metric,
        Result,
        Target,
        Comparator,
        ComparatorArea,
        Return,
        Period,
        FinancialYear,
        Partner,
        Programme,
        Theme,
    ]


def _on_change(sender, using=None, raw=False, **kwargs) -> None:
    if raw:
        # loaddata: fixtures load outside the app's own writes, into a database being set up.
        return
    raise_version(using=using)


def _on_result_change(sender, instance, using=None, raw=False, **kwargs) -> None:
    """A result counts only in an approved or submitted return: editors saving drafts all
    day must not make every viewer of the dashboard wait for it to be computed again."""
    if raw:
        return
    from programmes.models import Return
    from programmes.scoping import COUNTABLE_STATUSES

    returns = {instance.report_return_id, getattr(instance, "_stored_return_id", None)} - {None}
    counted = Return.objects.using(using).filter(pk__in=returns, status__in=COUNTABLE_STATUSES)
    if counted.exists():
        raise_version(using=using)


def _on_m2m_change(sender, action, using=None, **kwargs) -> None:
    if action.startswith("post_"):
        raise_version(using=using)


def connect() -> None:
    from metrics.models import Result

    for model in watched_models():
        uid = f"figures_version_{model._meta.label_lower}"
        handler = _on_result_change if model is Result else _on_change
        post_save.connect(handler, sender=model, dispatch_uid=f"{uid}_save")
        post_delete.connect(handler, sender=model, dispatch_uid=f"{uid}_delete")
        for m2m in model._meta.many_to_many:
            m2m_changed.connect(
                _on_m2m_change,
                sender=m2m.remote_field.through,
                dispatch_uid=f"{uid}_{m2m.name}",
            )
