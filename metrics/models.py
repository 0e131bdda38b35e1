"""Metrics, and the values they take: results, targets and comparators for a period."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from programmes.locks import LockedRow
from programmes.models import ExpectedOutcome, Partner, Period, Programme, Return, Theme


class Unit(models.TextChoices):
    COUNT = "count", "Count"
    PERCENTAGE = "percentage", "Percentage"
    RATE_PER_1000 = "rate_per_1000", "Rate per 1,000 population"
    RATE_PER_REOFFENDER = "rate_per_reoffender", "Rate per re-offender"
    TONNES = "tonnes", "Tonnes"
    HOURS = "hours", "Hours"
    GBP = "gbp", "Pounds (£)"


class Direction(models.TextChoices):
    HIGHER_IS_BETTER = "higher", "Higher is better"
    LOWER_IS_BETTER = "lower", "Lower is better"
    NEITHER = "neither", "Neither"


class Aggregation(models.TextChoices):
    SUM = "sum", "Sum of the quarters"
    AVERAGE = "average", "Average of the quarters"
    LATEST = "latest", "Latest quarter"


class Qualifier(models.TextChoices):
    EXACT = "exact", "Exact"
    OVER = "over", "Over (a lower bound)"
    AT_LEAST = "at_least", "At least"
    APPROXIMATELY = "approximately", "Approximately"


# The database refuses what no unit allows: nothing is negative, no percentage exceeds 100.
def value_constraints(prefix: str, value_field: str = "value") -> list[models.BaseConstraint]:
    not_negative = {f"{value_field}__gte": 0}
    at_most_100 = {f"{value_field}__lte": 100}
    is_null = {f"{value_field}__isnull": True}
    return [
        models.CheckConstraint(
            condition=Q(**is_null) | Q(**not_negative),
            name=f"{prefix}_{value_field}_not_negative",
            violation_error_message="A value cannot be negative.",
        ),
        models.CheckConstraint(
            condition=Q(**is_null) | ~Q(unit=Unit.PERCENTAGE) | Q(**at_most_100),
            name=f"{prefix}_{value_field}_percentage_at_most_100",
            violation_error_message="A percentage cannot be more than 100.",
        ),
    ]


# The decimal places of every stored value's column: what the database pads each value to.
COLUMN_PLACES = 4


def entered_places(value) -> int | None:
    """The decimal places a value was given with, when the value itself can tell: '14' has 0,
    '23.50' has 2. A value read back from the database is padded to the column's four places,
    so four (or more) tells nothing: None, and what was recorded before stands."""
    if value is None or isinstance(value, bool | float):
        return None
    if isinstance(value, int):
        return 0
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except InvalidOperation:
        return None
    if not number.is_finite():
        return None
    places = max(0, -number.as_tuple().exponent)
    return places if places < COLUMN_PLACES else None


def places_field() -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        verbose_name="decimal places as entered",
        null=True,
        blank=True,
        editable=False,
        help_text="Set from the value as typed ('14' has none, '23.5' one), so that the figure "
        "is printed as it came in. Empty when not known: the metric's decimal places are used.",
    )


def note_entered_places(row) -> None:
    """Record on a row about to be saved the places its value was typed with, if they show."""
    if row.value is None:
        row.places = None
        return
    places = entered_places(row.value)
    if places is not None:
        row.places = places


class Metric(models.Model):
    """A measured quantity: its unit, direction and the rule rolling quarters into a year."""

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
    description = models.TextField(
        verbose_name="definition",
        blank=True,
        help_text="What is counted or measured, and how.",
    )
    unit = models.CharField(
        verbose_name="unit",
        max_length=24,
        choices=Unit.choices,
        default=Unit.COUNT,
    )
    unit_label = models.CharField(
        verbose_name="what is counted",
        max_length=60,
        blank=True,
        help_text="For counts, the plural noun printed after the number: 'young people', "
        "'addresses'.",
    )
    # Not derived from the plural by rule: labels such as 'children or young people' or
    # 'agencies and trainers' have no singular a rule could find, and a wrong guess would
    # re-label the partner's figure. Empty means the label above is printed for every number.
    unit_label_singular = models.CharField(
        verbose_name="what is counted, for exactly one",
        max_length=60,
        blank=True,
        help_text="The noun printed after a count of exactly 1, when it differs from the "
        "label above: 'young person' for 'young people', 'address' for 'addresses'. Leave "
        "empty to print the label above after every number, 1 included.",
    )
    direction = models.CharField(
        verbose_name="direction",
        max_length=8,
        choices=Direction.choices,
        default=Direction.NEITHER,
        help_text="Whether a rise is an improvement.",
    )
    aggregation = models.CharField(
        verbose_name="year from quarters",
        max_length=8,
        choices=Aggregation.choices,
        default=Aggregation.SUM,
        help_text="Sum for counts; average for a monthly caseload; latest for a rate or "
        "percentage.",
    )
    decimal_places = models.PositiveSmallIntegerField(
        verbose_name="decimal places",
        default=0,
        help_text="How many decimal places the figure is reported to.",
    )
    partner = models.ForeignKey(
        Partner,
        verbose_name="reporting partner",
        on_delete=models.PROTECT,
        related_name="metrics",
        help_text="The partner who reports this figure.",
    )
    programme = models.ForeignKey(
        Programme,
        verbose_name="programme",
        on_delete=models.PROTECT,
        related_name="metrics",
        null=True,
        blank=True,
        help_text="Empty for an area-wide metric, such as the crime rate.",
    )
    theme = models.ForeignKey(
        Theme,
        verbose_name="theme",
        on_delete=models.PROTECT,
        related_name="metrics",
        null=True,
        blank=True,
        help_text="For an area-wide metric; a programme's metric takes its programme's theme.",
    )
    expected_outcomes = models.ManyToManyField(
        ExpectedOutcome,
        verbose_name="evidences",
        blank=True,
        related_name="metrics",
        help_text="The expected outcomes this metric shows progress towards.",
    )
    is_headline = models.BooleanField(
        verbose_name="headline",
        default=False,
        help_text="Shown on the dashboard and the report's summary.",
    )

    # Who changed what and when, with old and new values, shown in the admin's history.
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(decimal_places__lte=4),
                name="metric_decimal_places_at_most_4",
                violation_error_message="A metric can be reported to at most 4 decimal places.",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("metrics:metric_detail", args=[self.slug])

    @property
    def is_area_wide(self) -> bool:
        return self.programme_id is None

    def clean(self):
        if self.unit_label_singular and not self.unit_label:
            raise ValidationError(
                {
                    "unit_label_singular": "Give what is counted (the plural) first: the "
                    "singular is only printed in its place after a count of exactly 1."
                }
            )
        if self.pk:
            old_unit = Metric.objects.filter(pk=self.pk).values_list("unit", flat=True).first()
            if old_unit and old_unit != self.unit and self.results.exists():
                raise ValidationError(
                    {
                        "unit": "This metric already has results in "
                        f"{Unit(old_unit).label.lower()}; changing the unit would re-label them. "
                        "Create a new metric instead."
                    }
                )


class MeasuredValue(models.Model):
    """A value of a metric for a period, stored exactly as entered, with its unit at entry."""

    metric = models.ForeignKey(
        Metric,
        verbose_name="metric",
        on_delete=models.CASCADE,
        related_name="%(class)ss",
    )
    period = models.ForeignKey(
        Period,
        verbose_name="period",
        on_delete=models.PROTECT,
        related_name="%(class)ss",
        help_text="The quarter, year or date range the value describes.",
    )
    value = models.DecimalField(
        verbose_name="value",
        max_digits=18,
        decimal_places=4,
        help_text="The figure as reported, without rounding.",
    )
    places = places_field()
    qualifier = models.CharField(
        verbose_name="qualifier",
        max_length=16,
        choices=Qualifier.choices,
        default=Qualifier.EXACT,
        help_text="'Over' when the report says 'over 400': the true figure is higher.",
    )
    # Copied from the metric when saved, so that the database itself can refuse values the
    # unit does not allow (a percentage over 100), and a figure keeps the unit it came in.
    unit = models.CharField(
        verbose_name="unit",
        max_length=24,
        choices=Unit.choices,
        editable=False,
    )
    note = models.TextField(
        verbose_name="note",
        blank=True,
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.unit = self.metric.unit
        note_entered_places(self)
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.metric_id is None or self.value is None:
            return
        unit = self.metric.unit
        if self.value < 0:
            raise ValidationError({"value": f"{self.metric} cannot be negative."})
        if unit == Unit.PERCENTAGE and self.value > 100:
            raise ValidationError(
                {"value": f"{self.metric} is a percentage and cannot be more than 100."}
            )


class Result(LockedRow, MeasuredValue):
    """One value of a metric for one period, as a partner reported it in a return."""

    report_return = models.ForeignKey(
        Return,
        verbose_name="return",
        on_delete=models.PROTECT,
        related_name="results",
        help_text="The return that reported this figure. It may describe an earlier period "
        "than the return, as re-offending rates often do.",
    )
    source = models.CharField(
        verbose_name="source",
        max_length=300,
        blank=True,
        help_text="Where the figure comes from, for example 'Overview 2018/19, page 1'.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["metric", "period__start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["metric", "period"],
                name="result_unique_per_metric_period",
                violation_error_message="This metric already has a result for this period.",
            ),
            *value_constraints("result"),
        ]

    stale_noun = "result"

    def __str__(self):
        return f"{self.metric} - {self.period}"

    @property
    def describes_earlier_period(self) -> bool:
        """True when the figure belongs to a period that ended before its return's began."""
        return self.period.end_date < self.report_return.period.start_date

    def clean(self):
        super().clean()
        if (
            self.metric_id
            and self.report_return_id
            and self.report_return.partner_id != self.metric.partner_id
        ):
            raise ValidationError(
                {
                    "report_return": f"{self.metric} is reported by {self.metric.partner}, "
                    f"not {self.report_return.partner}."
                }
            )
        if (
            self.period_id
            and self.report_return_id
            and self.period.start_date > self.report_return.period.end_date
        ):
            raise ValidationError(
                {
                    "period": f"A {self.report_return.period} return cannot report "
                    f"{self.period}, which has not begun by the return's end."
                }
            )


class Target(MeasuredValue):
    """The value a metric should reach in a period."""

    history = HistoricalRecords()

    class Meta:
        ordering = ["metric", "period__start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["metric", "period"],
                name="target_unique_per_metric_period",
                violation_error_message="This metric already has a target for this period.",
            ),
            *value_constraints("target"),
        ]

    def __str__(self):
        return f"Target: {self.metric} - {self.period}"


class ComparatorArea(models.Model):
    """An area or group a metric is compared with: England, Merseyside, the most similar group."""

    name = models.CharField(
        verbose_name="name",
        max_length=200,
        unique=True,
    )
    slug = models.SlugField(
        verbose_name="short code",
        max_length=60,
        unique=True,
    )
    description = models.TextField(
        verbose_name="description",
        blank=True,
    )
    group_size = models.PositiveSmallIntegerField(
        verbose_name="areas in the group",
        null=True,
        blank=True,
        help_text="How many areas the group holds (15 for the Home Office most similar group), "
        "when known.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Comparator(models.Model):
    """The same metric for another area or group in the same period, and the area's rank in it."""

    class RankOrder(models.TextChoices):
        LOWEST = "lowest", "lowest"
        HIGHEST = "highest", "highest"

    metric = models.ForeignKey(
        Metric,
        verbose_name="metric",
        on_delete=models.CASCADE,
        related_name="comparators",
    )
    period = models.ForeignKey(
        Period,
        verbose_name="period",
        on_delete=models.PROTECT,
        related_name="comparators",
    )
    area = models.ForeignKey(
        ComparatorArea,
        verbose_name="compared with",
        on_delete=models.PROTECT,
        related_name="comparators",
    )
    value = models.DecimalField(
        verbose_name="value",
        max_digits=18,
        decimal_places=4,
        null=True,
        blank=True,
        help_text="The comparator's own figure (an average or total), when published.",
    )
    places = places_field()
    qualifier = models.CharField(
        verbose_name="qualifier",
        max_length=16,
        choices=Qualifier.choices,
        default=Qualifier.EXACT,
    )
    unit = models.CharField(
        verbose_name="unit",
        max_length=24,
        choices=Unit.choices,
        editable=False,
    )
    rank = models.PositiveSmallIntegerField(
        verbose_name="rank",
        null=True,
        blank=True,
        help_text="Wirral's position in the group: 4 for '4th lowest of 15'.",
    )
    rank_order = models.CharField(
        verbose_name="ranked from",
        max_length=8,
        choices=RankOrder.choices,
        blank=True,
        help_text="Whether rank 1 is the lowest or the highest value.",
    )
    rank_is_shared = models.BooleanField(
        verbose_name="rank shared",
        default=False,
        help_text="Tick when another area holds the same rank ('shares the lowest').",
    )
    shared_with = models.CharField(
        verbose_name="rank shared with",
        max_length=200,
        blank=True,
        help_text="Who holds the same rank, as the source names them: 'Sefton'. Printed after "
        "the rank: 'shared lowest with Sefton'.",
    )
    group_size = models.PositiveSmallIntegerField(
        verbose_name="areas ranked",
        null=True,
        blank=True,
        help_text="How many areas the rank is out of, when the source says.",
    )
    note = models.TextField(
        verbose_name="note",
        blank=True,
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["metric", "period__start_date", "area"]
        constraints = [
            models.UniqueConstraint(
                fields=["metric", "period", "area"],
                name="comparator_unique_per_metric_period_area",
                violation_error_message=(
                    "This metric already has a comparator for this area and period."
                ),
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=False) | Q(rank__isnull=False),
                name="comparator_has_value_or_rank",
                violation_error_message="A comparator needs a value, a rank, or both.",
            ),
            models.CheckConstraint(
                condition=Q(rank__isnull=True)
                | Q(group_size__isnull=True)
                | Q(rank__lte=models.F("group_size")),
                name="comparator_rank_within_group",
                violation_error_message="A rank cannot be larger than the number of areas.",
            ),
            models.CheckConstraint(
                condition=Q(rank__isnull=True) | Q(rank__gte=1),
                name="comparator_rank_from_1",
                violation_error_message="A rank starts at 1.",
            ),
            models.CheckConstraint(
                condition=Q(rank__isnull=True) | ~Q(rank_order=""),
                name="comparator_rank_has_order",
                violation_error_message="Say whether the rank counts from the lowest or highest.",
            ),
            models.CheckConstraint(
                condition=Q(shared_with="") | Q(rank_is_shared=True, rank__isnull=False),
                name="comparator_shared_with_a_shared_rank",
                violation_error_message="Name who the rank is shared with only for a rank "
                "that is shared: give the rank and tick 'rank shared'.",
            ),
            *value_constraints("comparator"),
        ]

    def __str__(self):
        return f"{self.metric} - {self.area} - {self.period}"

    def save(self, *args, **kwargs):
        self.unit = self.metric.unit
        note_entered_places(self)
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.metric_id and self.value is not None:
            if self.value < 0:
                raise ValidationError({"value": "A comparator value cannot be negative."})
            if self.metric.unit == Unit.PERCENTAGE and self.value > 100:
                raise ValidationError({"value": "A percentage cannot be more than 100."})


class FiguresVersion(models.Model):
    """A counter raised by every change to what the dashboard's figures are computed from.

    Cached figures are stored under the number they were computed at (see metrics/freshness.py):
    a change raises it, so no page serves figures from before the change. It is a database row,
    not a cache entry, so that every worker process and server sees the same number.
    """

    number = models.PositiveBigIntegerField(
        verbose_name="number",
        default=0,
    )
    # Drawn afresh at every raise: a raise rolled back and a later one reach the same number,
    # but never the same stamp, so nothing cached inside the rolled-back work is ever reused.
    stamp = models.CharField(
        verbose_name="stamp",
        max_length=32,
        default="",
    )

    class Meta:
        verbose_name = "figures version"

    def __str__(self) -> str:
        return f"Figures version {self.number}"
