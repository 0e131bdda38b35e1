"""Partners, themes, funding, financial years and periods, programmes and what they deliver."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from programmes.locks import LockedError, LockedRow


class Partner(models.Model):
    """An organisation of the partnership: it leads or delivers programmes and reports metrics."""

    class Kind(models.TextChoices):
        POLICE = "police", "Police"
        COUNCIL = "council", "Council"
        FIRE = "fire", "Fire and rescue"
        PROBATION = "probation", "Probation and rehabilitation"
        HEALTH = "health", "Health"
        VOLUNTARY = "voluntary", "Voluntary and community"
        ACADEMIC = "academic", "Academic"
        PARTNERSHIP = "partnership", "Partnership"
        OTHER = "other", "Other"

    name = models.CharField(
        verbose_name="name",
        max_length=200,
        unique=True,
    )
    slug = models.SlugField(
        verbose_name="short code",
        max_length=60,
        unique=True,
        help_text="Used in file names and commands, for example 'fsu'.",
    )
    kind = models.CharField(
        verbose_name="kind of organisation",
        max_length=20,
        choices=Kind.choices,
        default=Kind.OTHER,
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name="members",
        blank=True,
        related_name="partners",
        help_text="People who enter and submit this partner's figures.",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = "partner agency"
        verbose_name_plural = "partner agencies"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("admin:programmes_partner_change", args=[self.pk])


class Theme(models.Model):
    """A priority the partnership works under, such as hate crime or domestic abuse."""

    name = models.CharField(
        verbose_name="name",
        max_length=100,
        unique=True,
    )
    slug = models.SlugField(
        verbose_name="short code",
        max_length=60,
        unique=True,
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class FundingStream(models.Model):
    """Where money comes from: PCC Funded Programmes, CSP Funding Element and others."""

    name = models.CharField(
        verbose_name="name",
        max_length=100,
        unique=True,
    )
    slug = models.SlugField(
        verbose_name="short code",
        max_length=60,
        unique=True,
    )
    funder = models.CharField(
        verbose_name="funder",
        max_length=200,
        blank=True,
        help_text="Who provides the money, for example the Police and Crime Commissioner.",
    )
    order = models.PositiveSmallIntegerField(
        verbose_name="order in reports",
        default=0,
    )

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class FinancialYear(models.Model):
    """A financial year, 1 April to 31 March, written 2018/19."""

    start_year = models.PositiveSmallIntegerField(
        verbose_name="starting year",
        unique=True,
        help_text="The calendar year in which the financial year begins: 2018 for 2018/19.",
    )

    class Meta:
        ordering = ["start_year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_year__gte=1990) & Q(start_year__lte=2100),
                name="financialyear_start_year_plausible",
                violation_error_message="A financial year must start between 1990 and 2100.",
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return f"{self.start_year}/{(self.start_year + 1) % 100:02d}"

    @property
    def start_date(self) -> datetime.date:
        return datetime.date(self.start_year, 4, 1)

    @property
    def end_date(self) -> datetime.date:
        return datetime.date(self.start_year + 1, 3, 31)


def quarter_dates(start_year: int, quarter: int) -> tuple[datetime.date, datetime.date]:
    """First and last day of a financial-year quarter: Q1 Apr-Jun ... Q4 Jan-Mar."""
    first_month = 4 + (quarter - 1) * 3
    year = start_year + (first_month - 1) // 12
    first_month = (first_month - 1) % 12 + 1
    start = datetime.date(year, first_month, 1)
    next_start = (
        datetime.date(year + 1, 1, 1)
        if first_month == 10
        else datetime.date(year, first_month + 3, 1)
    )
    return start, next_start - datetime.timedelta(days=1)


class Period(models.Model):
    """A span that a figure describes: a financial year, one of its quarters, or a date range.

    Dates are stored for every kind so that periods sort and compare in the database; for a year
    or a quarter they are set from the financial year and never typed.
    """

    class Kind(models.TextChoices):
        YEAR = "year", "Financial year"
        QUARTER = "quarter", "Quarter"
        RANGE = "range", "Date range"

    kind = models.CharField(
        verbose_name="kind",
        max_length=10,
        choices=Kind.choices,
    )
    financial_year = models.ForeignKey(
        FinancialYear,
        verbose_name="financial year",
        on_delete=models.PROTECT,
        related_name="periods",
        null=True,
        blank=True,
        help_text="The year, or the year the quarter belongs to. Empty for a date range.",
    )
    quarter = models.PositiveSmallIntegerField(
        verbose_name="quarter",
        null=True,
        blank=True,
        help_text="1 (April-June) to 4 (January-March).",
    )
    start_date = models.DateField(
        verbose_name="first day",
    )
    end_date = models.DateField(
        verbose_name="last day",
    )
    label_text = models.CharField(
        verbose_name="label",
        max_length=100,
        blank=True,
        help_text="For a date range only, for example 'April 2016 - March 2017'.",
    )

    class Meta:
        ordering = ["start_date", "-end_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quarter__isnull=True) | (Q(quarter__gte=1) & Q(quarter__lte=4)),
                name="period_quarter_1_to_4",
                violation_error_message="A quarter must be 1, 2, 3 or 4.",
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind="year", financial_year__isnull=False, quarter__isnull=True)
                    | Q(kind="quarter", financial_year__isnull=False, quarter__isnull=False)
                    | Q(kind="range", financial_year__isnull=True, quarter__isnull=True)
                ),
                name="period_kind_matches_fields",
                violation_error_message=(
                    "A year needs a financial year and no quarter; a quarter needs both; "
                    "a date range needs neither."
                ),
            ),
            models.CheckConstraint(
                condition=Q(start_date__lte=models.F("end_date")),
                name="period_starts_before_it_ends",
                violation_error_message="A period's first day must not be after its last day.",
            ),
            models.UniqueConstraint(
                fields=["financial_year"],
                condition=Q(kind="year"),
                name="period_unique_year",
                violation_error_message="This financial year already exists as a period.",
            ),
            models.UniqueConstraint(
                fields=["financial_year", "quarter"],
                condition=Q(kind="quarter"),
                name="period_unique_quarter",
                violation_error_message="This quarter already exists as a period.",
            ),
            models.UniqueConstraint(
                fields=["start_date", "end_date"],
                condition=Q(kind="range"),
                name="period_unique_range",
                violation_error_message="A date range with these days already exists.",
            ),
        ]

    def __str__(self):
        return self.label

    def save(self, *args, **kwargs):
        if self.kind in (self.Kind.YEAR, self.Kind.QUARTER):
            self.start_date, self.end_date = self.computed_dates()
        super().save(*args, **kwargs)

    @property
    def label(self) -> str:
        if self.kind == self.Kind.YEAR:
            return self.financial_year.label
        if self.kind == self.Kind.QUARTER:
            return f"{self.financial_year.label} Q{self.quarter}"
        if self.label_text:
            return self.label_text
        return f"{self.start_date:%-d %B %Y} - {self.end_date:%-d %B %Y}"

    def clean(self):
        if self.kind in (self.Kind.YEAR, self.Kind.QUARTER) and self.financial_year_id:
            self.start_date, self.end_date = self.computed_dates()
        if (
            self.kind == self.Kind.RANGE
            and self.start_date
            and self.end_date
            and self.start_date > self.end_date
        ):
            raise ValidationError({"end_date": "The last day must not be before the first."})

    def computed_dates(self) -> tuple[datetime.date, datetime.date]:
        fy = self.financial_year
        if self.kind == self.Kind.YEAR:
            return fy.start_date, fy.end_date
        return quarter_dates(fy.start_year, self.quarter)

    def contains(self, other: "Period") -> bool:
        return self.start_date <= other.start_date and other.end_date <= self.end_date


class Programme(models.Model):
    """A funded line of work, led by one partner and delivered with others, under a theme."""

    name = models.CharField(
        verbose_name="name",
        max_length=200,
        unique=True,
    )
    slug = models.SlugField(
        verbose_name="short code",
        max_length=80,
        unique=True,
    )
    theme = models.ForeignKey(
        Theme,
        verbose_name="theme",
        on_delete=models.PROTECT,
        related_name="programmes",
    )
    lead_partner = models.ForeignKey(
        Partner,
        verbose_name="lead partner",
        on_delete=models.PROTECT,
        related_name="led_programmes",
        help_text="The partner accountable for the programme and its figures.",
    )
    delivery_partners = models.ManyToManyField(
        Partner,
        verbose_name="delivery partners",
        blank=True,
        related_name="delivered_programmes",
        help_text="Other partners who deliver part of the work.",
    )
    description = models.TextField(
        verbose_name="description",
        blank=True,
    )

    # Who changed what and when, with old and new values, shown in the admin's history.
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("programmes:programme_detail", args=[self.slug])


class Allocation(models.Model):
    """The money one funding stream gives a programme in one financial year."""

    programme = models.ForeignKey(
        Programme,
        verbose_name="programme",
        on_delete=models.CASCADE,
        related_name="allocations",
    )
    funding_stream = models.ForeignKey(
        FundingStream,
        verbose_name="funding stream",
        on_delete=models.PROTECT,
        related_name="allocations",
    )
    financial_year = models.ForeignKey(
        FinancialYear,
        verbose_name="financial year",
        on_delete=models.PROTECT,
        related_name="allocations",
    )
    amount = models.DecimalField(
        verbose_name="amount (£)",
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="In pounds. Leave empty when the amount has not been published.",
    )
    note = models.TextField(
        verbose_name="note",
        blank=True,
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["financial_year", "funding_stream", "programme"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "funding_stream", "financial_year"],
                name="allocation_unique_per_programme_stream_year",
                violation_error_message=(
                    "This programme already has an allocation from this stream for this year."
                ),
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
                name="allocation_amount_not_negative",
                violation_error_message="An allocation cannot be a negative amount.",
            ),
        ]

    def __str__(self):
        return f"{self.programme} - {self.funding_stream} {self.financial_year}"


class Activity(models.Model):
    """What a programme delivers in one year: a row of the report's Activity column."""

    programme = models.ForeignKey(
        Programme,
        verbose_name="programme",
        on_delete=models.CASCADE,
        related_name="activities",
    )
    financial_year = models.ForeignKey(
        FinancialYear,
        verbose_name="financial year",
        on_delete=models.PROTECT,
        related_name="activities",
    )
    funding_stream = models.ForeignKey(
        FundingStream,
        verbose_name="funding stream",
        on_delete=models.PROTECT,
        related_name="activities",
        help_text="The stream that pays for this activity; the report groups rows by it.",
    )
    title = models.CharField(
        verbose_name="title",
        max_length=200,
        help_text="A short name, for example 'Target Hardening'.",
    )
    description = models.TextField(
        verbose_name="activity",
        help_text="What is delivered, as the report's Activity column says it.",
    )
    order = models.PositiveSmallIntegerField(
        verbose_name="order in the report",
        default=0,
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["financial_year", "funding_stream", "order", "title"]
        verbose_name_plural = "activities"
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "financial_year", "funding_stream", "title"],
                name="activity_unique_title_per_programme_year_stream",
                violation_error_message=(
                    "This programme already has an activity with this title for this year "
                    "and stream."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.financial_year})"


class ExpectedOutcome(models.Model):
    """What an activity should achieve: one entry of the report's Expected Outcomes column."""

    activity = models.ForeignKey(
        Activity,
        verbose_name="activity",
        on_delete=models.CASCADE,
        related_name="expected_outcomes",
    )
    text = models.TextField(
        verbose_name="expected outcome",
        help_text="What the activity should achieve, in one sentence.",
    )
    order = models.PositiveSmallIntegerField(
        verbose_name="order",
        default=0,
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["activity", "order", "pk"]

    def __str__(self):
        return self.text if len(self.text) <= 80 else self.text[:77] + "..."


class OutcomeStatement(LockedRow):
    """What an activity achieved in a period, in the partner's words: the Outcomes column.

    It belongs to the partner's return for that period, and is approved and locked with it.
    """

    activity = models.ForeignKey(
        Activity,
        verbose_name="activity",
        on_delete=models.CASCADE,
        related_name="outcome_statements",
    )
    report_return = models.ForeignKey(
        "Return",
        verbose_name="return",
        on_delete=models.PROTECT,
        related_name="outcome_statements",
        help_text="The partner's return for the quarter or year the narrative describes.",
    )
    text = models.TextField(
        verbose_name="outcome",
        help_text="What was achieved in the period. Figures quoted here should also be entered "
        "as results, so that they can be compared and totalled.",
    )
    note = models.TextField(
        verbose_name="note",
        blank=True,
        help_text="Anything a reader should know, such as a figure that differs elsewhere.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["activity", "report_return__period__start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "report_return"],
                name="outcomestatement_unique_per_activity_return",
                violation_error_message="This activity already has an outcome in this return.",
            ),
        ]

    stale_noun = "outcome"

    def __str__(self):
        return f"{self.activity.title} - {self.report_return.period}"


class ReturnQuerySet(models.QuerySet):
    def update(self, **kwargs):
        # Status changes go through programmes.services, which checks roles and records events;
        # a bulk update would skip both, and could unlock or alter an approved return.
        with transaction.atomic(using=self.db):
            if "status" in kwargs:
                raise LockedError(
                    "A return's status changes only by submitting, approving, "
                    "sending back or reopening it."
                )
            approved = self.filter(status=Return.Status.APPROVED).first()
            if approved is not None:
                raise LockedError(f"{approved} is approved; ask the approver to reopen it.")
            return super().update(**kwargs)

    update.alters_data = True

    def delete(self):
        approved = self.filter(status=Return.Status.APPROVED).first()
        if approved is not None:
            raise LockedError(f"{approved} is approved; ask the approver to reopen it.")
        return super().delete()

    delete.alters_data = True


class Return(models.Model):
    """One partner's figures and narratives for one period, as a unit of work to approve.

    Quarterly returns are the partners' regular work; a return for a whole year holds what an
    annual report published. Approval locks every result and narrative that belongs to it.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        APPROVED = "approved", "Approved"

    partner = models.ForeignKey(
        Partner,
        verbose_name="partner",
        on_delete=models.PROTECT,
        related_name="returns",
    )
    period = models.ForeignKey(
        Period,
        verbose_name="period",
        on_delete=models.PROTECT,
        related_name="returns",
        help_text="The quarter (or, for an annual report, the year) the return covers.",
    )
    status = models.CharField(
        verbose_name="status",
        max_length=10,
        choices=Status.choices,
        default=Status.DRAFT,
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="submitted by",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    submitted_at = models.DateTimeField(
        verbose_name="submitted at",
        null=True,
        blank=True,
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="approved by",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    approved_at = models.DateTimeField(
        verbose_name="approved at",
        null=True,
        blank=True,
    )
    note = models.TextField(
        verbose_name="note",
        blank=True,
        help_text="The approver's note when a return is sent back, or how it was approved.",
    )

    objects = ReturnQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["period__start_date", "partner__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "period"],
                name="return_unique_per_partner_period",
                violation_error_message="This partner already has a return for this period.",
            ),
        ]

    def __str__(self):
        return f"{self.partner} - {self.period}"

    def save(self, *args, **kwargs):
        # programmes.services sets _transition_allowed for the one save of a transition;
        # any other save may neither change the status nor touch an approved return.
        if not getattr(self, "_transition_allowed", False):
            stored = (
                None
                if self._state.adding
                else Return.objects.filter(pk=self.pk).values_list("status", flat=True).first()
            )
            if stored is None and self.status != self.Status.DRAFT:
                raise LockedError("A new return starts as a draft; submit and approve it in turn.")
            if stored is not None and stored != self.status:
                raise LockedError(
                    "A return's status changes only by submitting, approving, sending back or "
                    "reopening it."
                )
            if stored == self.Status.APPROVED:
                raise LockedError(f"{self} is approved; ask the approver to reopen it.")
        super().save(*args, **kwargs)

    save.alters_data = True

    def delete(self, *args, **kwargs):
        if Return.objects.filter(pk=self.pk, status=Return.Status.APPROVED).exists():
            raise LockedError(f"{self} is approved; ask the approver to reopen it.")
        return super().delete(*args, **kwargs)

    delete.alters_data = True

    @property
    def is_locked(self) -> bool:
        return self.status == self.Status.APPROVED

    @property
    def due_date(self) -> datetime.date:
        return return_due_date(self.period)


def return_due_date(period: Period) -> datetime.date:
    """A return is due settings.RETURN_DUE_DAYS after the end of its period."""
    return period.end_date + datetime.timedelta(days=settings.RETURN_DUE_DAYS)


class ReturnEvent(models.Model):
    """One step of a return's workflow: who did it, when, and the note or reason they gave."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", "Submitted"
        APPROVED = "approved", "Approved"
        SENT_BACK = "sent_back", "Sent back"
        REOPENED = "reopened", "Reopened"

    report_return = models.ForeignKey(
        Return,
        verbose_name="return",
        on_delete=models.CASCADE,
        related_name="events",
    )
    kind = models.CharField(
        verbose_name="what happened",
        max_length=12,
        choices=Kind.choices,
    )
    from_status = models.CharField(
        verbose_name="status before",
        max_length=10,
        choices=Return.Status.choices,
    )
    to_status = models.CharField(
        verbose_name="status after",
        max_length=10,
        choices=Return.Status.choices,
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="by",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        help_text="Empty for figures approved on import from a published report.",
    )
    at = models.DateTimeField(
        verbose_name="at",
        default=timezone.now,
    )
    note = models.TextField(
        verbose_name="note or reason",
        blank=True,
    )

    class Meta:
        ordering = ["report_return", "at", "pk"]
        verbose_name = "return event"

    def __str__(self):
        return f"{self.get_kind_display()} {self.report_return} at {self.at:%Y-%m-%d %H:%M}"


class ReminderLog(models.Model):
    """A reminder sent to a partner's editors about one period's return, at most one a day."""

    partner = models.ForeignKey(
        Partner,
        verbose_name="partner",
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    period = models.ForeignKey(
        Period,
        verbose_name="period",
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    sent_on = models.DateField(
        verbose_name="sent on",
    )
    recipients = models.TextField(
        verbose_name="sent to",
        help_text="The addresses, one a line.",
    )

    class Meta:
        ordering = ["-sent_on", "partner", "period"]
        verbose_name = "return reminder"
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "period", "sent_on"],
                name="reminderlog_once_a_day",
                violation_error_message="A reminder for this return was already sent that day.",
            ),
        ]

    def __str__(self):
        return f"Reminder to {self.partner} for {self.period} on {self.sent_on}"
