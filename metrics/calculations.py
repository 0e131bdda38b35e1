"""Every figure the app computes from stored ones, in one place.

Stored figures are typed once; what follows from them (a year from its quarters, a change
against last year, a RAG status, a gap to a comparator) is computed here, and every page, export
and report calls these functions rather than repeating the arithmetic. All arithmetic is in
Decimal, so that a figure is never rounded on its way through.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from metrics.models import Aggregation, Direction, Qualifier, Unit

HUNDRED = Decimal(100)
# DOMAIN.md: Green is "target met or within 10% of it".
RAG_TOLERANCE = Decimal("0.10")


@dataclass(frozen=True)
class Figure:
    """A value with its qualifier: 'over 400' is Figure(Decimal(400), Qualifier.OVER)."""

    value: Decimal
    qualifier: str = Qualifier.EXACT

    @property
    def is_lower_bound(self) -> bool:
        return self.qualifier in (Qualifier.OVER, Qualifier.AT_LEAST)


class Assessment(StrEnum):
    BETTER = "better"
    WORSE = "worse"
    SAME = "no change"
    NOT_ASSESSED = "not assessed"


class Rag(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"

    @property
    def label(self) -> str:
        return self.value.capitalize()


def _combined_qualifier(qualifiers: Sequence[str]) -> str:
    """A total of parts keeps the weakest claim: one 'over' part makes the total 'over'."""
    kinds = set(qualifiers)
    if kinds <= {Qualifier.EXACT}:
        return Qualifier.EXACT
    if Qualifier.APPROXIMATELY in kinds:
        return Qualifier.APPROXIMATELY
    if Qualifier.OVER in kinds:
        return Qualifier.OVER
    return Qualifier.AT_LEAST


def roll_up(quarters: Sequence[Figure | None], rule: str) -> Figure | None:
    """A year's figure from its quarters (Q1 first) by the metric's rule.

    A missing quarter (None) makes a sum or an average incomplete, so no year figure is given:
    a partial total shown as a year would understate it. 'Latest' takes the last quarter held.
    """
    if rule == Aggregation.LATEST:
        held = [q for q in quarters if q is not None]
        return held[-1] if held else None
    if not quarters or any(q is None for q in quarters):
        return None
    total = sum((q.value for q in quarters), Decimal(0))
    qualifier = _combined_qualifier([q.qualifier for q in quarters])
    if rule == Aggregation.SUM:
        return Figure(total, qualifier)
    if rule == Aggregation.AVERAGE:
        return Figure(total / len(quarters), qualifier)
    raise ValueError(f"Unknown aggregation rule {rule!r}")


def assess(delta: Decimal, direction: str) -> Assessment:
    """Whether a change of `delta` is an improvement for a metric with this direction."""
    if direction == Direction.NEITHER:
        return Assessment.NOT_ASSESSED
    if delta == 0:
        return Assessment.SAME
    rising = delta > 0
    if (direction == Direction.HIGHER_IS_BETTER) == rising:
        return Assessment.BETTER
    return Assessment.WORSE


@dataclass(frozen=True)
class Change:
    """A change from one figure to another."""

    previous: Decimal
    current: Decimal
    absolute: Decimal
    percent: Decimal | None  # None when the previous figure is zero.
    assessment: Assessment
    # True when either side is a bound or estimate: the change is then indicative only.
    approximate: bool

    @property
    def rising(self) -> bool:
        return self.absolute > 0

    @property
    def falling(self) -> bool:
        return self.absolute < 0

    def percent_rounded(self, places: int = 1) -> Decimal | None:
        if self.percent is None:
            return None
        return self.percent.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)

    def words(self, places: int = 1) -> str:
        """'down 30%, better' — the words beside a dashboard arrow."""
        if self.absolute == 0:
            movement = "no change"
        else:
            verb = "up" if self.rising else "down"
            pct = self.percent_rounded(places)
            # 30.0 prints as "30", 82.5 as "82.5": the report's own style.
            movement = f"{verb} {abs(pct).normalize():f}%" if pct is not None else verb
        if self.approximate and self.absolute != 0:
            movement = "about " + movement
        if self.assessment in (Assessment.BETTER, Assessment.WORSE):
            return f"{movement}, {self.assessment}"
        return movement


def change(previous: Figure | Decimal, current: Figure | Decimal, direction: str) -> Change:
    """Change from the previous figure to the current, absolute and per cent, and its meaning."""
    prev = previous if isinstance(previous, Figure) else Figure(previous)
    cur = current if isinstance(current, Figure) else Figure(current)
    absolute = cur.value - prev.value
    percent = None if prev.value == 0 else absolute / prev.value * HUNDRED
    approximate = prev.qualifier != Qualifier.EXACT or cur.qualifier != Qualifier.EXACT
    return Change(
        previous=prev.value,
        current=cur.value,
        absolute=absolute,
        percent=percent,
        assessment=assess(absolute, direction),
        approximate=approximate,
    )


def rag_status(
    *,
    actual: Decimal,
    target: Decimal | None,
    direction: str,
    same_period_last_year: Decimal | None = None,
) -> Rag | None:
    """RAG against target, by DOMAIN.md's rule.

    Green: the target is met, or missed by no more than 10% of it. Amber: missed by more, but
    better than the same period last year. Red: missed by more and not better. No target, or a
    metric with no direction, has no status.
    """
    if target is None or direction == Direction.NEITHER:
        return None
    met = actual >= target if direction == Direction.HIGHER_IS_BETTER else actual <= target
    if met or abs(actual - target) <= abs(target) * RAG_TOLERANCE:
        return Rag.GREEN
    if (
        same_period_last_year is not None
        and assess(actual - same_period_last_year, direction) == Assessment.BETTER
    ):
        return Rag.AMBER
    return Rag.RED


@dataclass(frozen=True)
class ComparatorGap:
    """How a figure stands against a comparator's figure."""

    gap: Decimal  # ours minus theirs, in the metric's unit (percentage points for percentages)
    assessment: Assessment


def comparator_gap(ours: Decimal, theirs: Decimal, direction: str) -> ComparatorGap:
    gap = ours - theirs
    return ComparatorGap(gap=gap, assessment=assess(gap, direction))


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def rank_words(
    rank: int,
    order: str,
    group_size: int | None = None,
    *,
    shared: bool = False,
    shared_with: str = "",
) -> str:
    """'4th lowest of 15', 'shared lowest', 'shared lowest with Sefton', 'highest'."""
    position = order if rank == 1 else f"{ordinal(rank)} {order}"
    if shared:
        position = f"shared {position}"
    if group_size:
        position = f"{position} of {group_size}"
    if shared and shared_with:
        position = f"{position} with {shared_with}"
    return position


# --- Display -----------------------------------------------------------------------------

QUALIFIER_PREFIX = {
    Qualifier.EXACT: "",
    Qualifier.OVER: "over ",
    Qualifier.AT_LEAST: "at least ",
    Qualifier.APPROXIMATELY: "about ",
}

UNIT_SUFFIX = {
    Unit.COUNT: "",
    Unit.PERCENTAGE: "%",
    Unit.RATE_PER_1000: " per 1,000 population",
    Unit.RATE_PER_REOFFENDER: " per re-offender",
    Unit.TONNES: " tonnes",
    Unit.HOURS: " hours",
    Unit.GBP: "",
}
# The app's own words after exactly 1; a partner's label has its singular on the metric.
UNIT_SUFFIX_SINGULAR = {
    Unit.TONNES: " tonne",
    Unit.HOURS: " hour",
}


def figure_places(metric_places: int, entered: int | None = None) -> int:
    """The places a stored figure is printed to: those it was entered with ('14' prints 14 and
    '23.5' prints 23.5, whatever the metric's), or the metric's when they are not known. A
    computed figure (a year rolled up from quarters) has none entered: the metric's."""
    return metric_places if entered is None else entered


def shown_places(value: Decimal, places: int = 0) -> int:
    """How many decimals `number_text` prints: `places`, or more if the value holds more."""
    stored = max(0, -Decimal(value).normalize().as_tuple().exponent)
    return max(places, stored)


def number_text(value: Decimal, places: int = 0) -> str:
    """UK digits with thousands commas, at least `places` decimals, and never fewer digits than
    were stored: a figure is shown as it came in, not rounded to the metric's precision."""
    value = Decimal(value)
    return f"{value:,.{shown_places(value, places)}f}"


def format_value(
    value: Decimal | None,
    unit: str,
    *,
    places: int = 0,
    qualifier: str = Qualifier.EXACT,
    unit_label: str = "",
    unit_label_singular: str = "",
) -> str:
    """A figure in words as the report prints it: 'over 400 young people', '23.5%', '£1,200'.

    A figure printed as exactly '1' takes the singular ('1 young person', '1 hour'), as the
    numeral, not the qualifier, decides it in English ('over 1 hour', 'at least 1 school');
    '1.0' and '1.5' stay plural. A count's singular is the metric's own, never derived from
    its plural label: without one, the label is printed as the partner entered it.
    """
    if value is None:
        return "—"
    number = number_text(value, places)
    one = number == "1"
    suffix = UNIT_SUFFIX.get(unit, "")
    if one:
        suffix = UNIT_SUFFIX_SINGULAR.get(unit, suffix)
    if unit == Unit.GBP:
        number = "£" + number
    text = QUALIFIER_PREFIX.get(qualifier, "") + number + suffix
    if unit == Unit.COUNT and unit_label:
        text += " " + (unit_label_singular if one and unit_label_singular else unit_label)
    return text
