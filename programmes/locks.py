"""Approval locks and stale-edit checks for the rows that belong to a return.

A result or outcome narrative belongs to a partner's return; once the return is approved, the
row may not be added, changed, moved or deleted until the approver reopens the return. The rule
is enforced at every layer a write can come through, so that no single forgotten path opens it:

- model ``save()`` and ``delete()`` (admin forms, admin actions, list editing and imports all
  end there), plus a ``pre_delete`` signal for rows deleted by a cascade;
- ``QuerySet.update()``, ``delete()`` and ``bulk_create()`` (one query decides for all rows);
- on PostgreSQL, a trigger refuses raw SQL too (see the ``*_returns_locks`` migrations).

A submitted return is not locked here: it is frozen for partner editors only (administrators
may still correct it), a rule about users that programmes.scoping.can_edit_return holds and
every write path asks; closed_message() below words both refusals.

Rows also carry a ``version`` that every save increments: a save from an instance loaded at an
older version is refused, so a second editor cannot overwrite the first one's change unseen.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone


class LockedError(ValidationError):
    """A write touched a row whose return is approved."""


class StaleEditError(ValidationError):
    """A save would overwrite a change made after the editor loaded the row."""


def lock_message(report_return) -> str:
    """Why a row is locked, in the approver's and the editor's words."""
    when = ""
    if report_return.approved_at:
        when = f" on {timezone.localtime(report_return.approved_at):%-d %B %Y}"
    who = f" by {report_return.approved_by.get_username()}" if report_return.approved_by else ""
    return (
        f"{report_return.partner}'s return for {report_return.period} was approved{when}{who}; "
        "ask the approver to reopen it before changing its figures or narratives."
    )


def _stamp(at, by) -> str:
    when = f" on {timezone.localtime(at):%-d %B %Y}" if at else ""
    who = f" by {by.get_username()}" if by else ""
    return f"{when}{who}"


def closed_message(report_return) -> str:
    """Why a partner's editor may not write into this return now, and what to do; '' for a draft.

    A submitted return is frozen for its partner's editors (programmes.scoping.can_edit_return)
    until the approver sends it back; an approved one is locked for everybody until reopened.
    """
    Status = type(report_return).Status
    what = f"The {report_return.period} return of {report_return.partner}"
    if report_return.status == Status.SUBMITTED:
        stamp = _stamp(report_return.submitted_at, report_return.submitted_by)
        return (
            f"{what} was submitted{stamp} and is waiting for approval; ask the CSP manager to "
            "send it back if a figure must change."
        )
    if report_return.status == Status.APPROVED:
        stamp = _stamp(report_return.approved_at, report_return.approved_by)
        return (
            f"{what} was approved{stamp} and is locked; ask the CSP manager to reopen it if a "
            "figure must change."
        )
    return ""


def stale_message(instance, noun: str) -> str:
    who = instance.updated_by.get_username() if instance.updated_by_id else "someone else"
    when = f" at {timezone.localtime(instance.updated_at):%H:%M}" if instance.updated_at else ""
    return (
        f"This {noun} was changed by {who}{when} after you opened it; "
        "reload the page to see their change, then make yours again."
    )


def _approved_returns():
    from programmes.models import Return

    return Return.objects.select_related("partner", "period__financial_year", "approved_by").filter(
        status=Return.Status.APPROVED
    )


def _refuse(approved_return) -> None:
    if approved_return is not None:
        raise LockedError(lock_message(approved_return))


def _figures_changed(using: str) -> None:
    """Bulk writes send no save signal: tell cached figures themselves (metrics/freshness.py)."""
    from metrics.freshness import raise_version

    raise_version(using=using)


class LockedQuerySet(models.QuerySet):
    """Bulk writes that refuse rows of approved returns, deciding with one query."""

    def _refuse_locked_rows(self, moving_to=None) -> None:
        ids = self.values("report_return_id")
        targets = [moving_to] if moving_to is not None else []
        _refuse(
            _approved_returns()
            .filter(models.Q(pk__in=ids) | models.Q(pk__in=[getattr(t, "pk", t) for t in targets]))
            .first()
        )

    def update(self, **kwargs):
        with transaction.atomic(using=self.db):
            self._refuse_locked_rows(moving_to=kwargs.get("report_return"))
            # A bulk change is a change like any other: editors holding an older copy must not
            # overwrite it.
            kwargs.setdefault("version", models.F("version") + 1)
            _figures_changed(self.db)
            return super().update(**kwargs)

    update.alters_data = True

    def delete(self):
        with transaction.atomic(using=self.db):
            self._refuse_locked_rows()
            _figures_changed(self.db)
            return super().delete()

    delete.alters_data = True

    def bulk_update(self, objs, fields, *args, **kwargs):
        # Checked before Django's own transaction starts, so a refusal leaves the caller's
        # transaction usable.
        objs = list(objs)
        condition = models.Q(
            pk__in=self.model._base_manager.filter(pk__in=[obj.pk for obj in objs]).values(
                "report_return_id"
            )
        )
        if "report_return" in fields or "report_return_id" in fields:
            condition |= models.Q(pk__in={obj.report_return_id for obj in objs})
        _refuse(_approved_returns().filter(condition).first())
        with transaction.atomic(using=self.db):
            _figures_changed(self.db)
            return super().bulk_update(objs, fields, *args, **kwargs)

    bulk_update.alters_data = True

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        return_ids = {obj.report_return_id for obj in objs}
        _refuse(_approved_returns().filter(pk__in=return_ids).first())
        with transaction.atomic(using=self.db):
            _figures_changed(self.db)
            return super().bulk_create(objs, *args, **kwargs)


class LockedRow(models.Model):
    """A row that belongs to a return: locked by its approval, versioned against stale edits.

    Subclasses declare ``report_return`` and set ``stale_noun`` ("result", "outcome").
    """

    stale_noun = "row"

    version = models.PositiveIntegerField(
        verbose_name="version",
        default=1,
        editable=False,
        help_text="Counts the saves, so that a save from an out-of-date copy can be refused.",
    )
    updated_at = models.DateTimeField(
        verbose_name="last changed at",
        auto_now=True,
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="last changed by",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    objects = LockedQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        with transaction.atomic():
            self.refuse_if_locked()
            if self.pk is not None and not self._state.adding:
                stored = (
                    type(self)
                    ._base_manager.select_for_update(of=("self",))
                    .select_related("updated_by")
                    .filter(pk=self.pk)
                    .first()
                )
                # The return it was in, for readers of post_save (metrics/freshness.py): a row
                # moved out of a counted return changes that return's figures too.
                self._stored_return_id = stored.report_return_id if stored else None
                if stored is not None and stored.version != self.version:
                    raise StaleEditError(stale_message(stored, self.stale_noun))
                if stored is not None:
                    self.version += 1
                    update_fields = kwargs.get("update_fields")
                    if update_fields is not None:
                        kwargs["update_fields"] = {*update_fields, "version", "updated_at"}
            super().save(*args, **kwargs)

    save.alters_data = True

    def delete(self, *args, **kwargs):
        with transaction.atomic():
            self.refuse_if_locked()
            return super().delete(*args, **kwargs)

    delete.alters_data = True

    def refuse_if_locked(self) -> None:
        """Refuse when the row's stored return or its new return is approved (one query)."""
        condition = models.Q(pk=self.report_return_id)
        if self.pk is not None:
            stored = type(self)._base_manager.filter(pk=self.pk).values("report_return_id")
            condition |= models.Q(pk__in=stored)
        _refuse(_approved_returns().filter(condition).first())


def refuse_cascaded_delete(sender, instance, **kwargs) -> None:
    """pre_delete receiver: a cascade (deleting a metric or an activity) is a write path too."""
    if isinstance(instance, LockedRow):
        _refuse(_approved_returns().filter(pk=instance.report_return_id).first())
