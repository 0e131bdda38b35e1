"""The shapes a transcribed report is written in: plain, immutable records, one per thing.

The records name each other by natural key (a slug, a period key such as '2018/19'), so that a
report reads like the page it came from and the loader can find or create every row by the same
keys on every run.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field


@dataclass(frozen=True)
class PartnerRecord:
    slug: str
    name: str
    kind: str


@dataclass(frozen=True)
class ThemeRecord:
    slug: str
    name: str


@dataclass(frozen=True)
class StreamRecord:
    slug: str
    name: str
    funder: str
    order: int


@dataclass(frozen=True)
class RangeRecord:
    """A date range a figure describes when it is not a whole financial year."""

    key: str
    start: datetime.date
    end: datetime.date
    label: str


@dataclass(frozen=True)
class AreaRecord:
    slug: str
    name: str
    description: str = ""
    group_size: int | None = None


@dataclass(frozen=True)
class ProgrammeRecord:
    slug: str
    name: str
    theme: str
    lead: str
    delivery: tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True)
class ActivityRecord:
    """One row of a report table: Activity, Expected Outcomes (in order) and Outcomes."""

    programme: str
    stream: str
    order: int
    title: str
    description: str
    expected_outcomes: tuple[str, ...]
    outcome: str
    outcome_note: str = ""


@dataclass(frozen=True)
class ResultRecord:
    """A figure; `value` is a string so that it reaches the database as written."""

    period: str
    value: str
    source: str
    qualifier: str = "exact"
    note: str = ""


@dataclass(frozen=True)
class ComparatorRecord:
    period: str
    area: str
    value: str | None = None
    qualifier: str = "exact"
    rank: int | None = None
    rank_order: str = ""
    rank_is_shared: bool = False
    # Who holds the same rank, as the report names them ('Sefton').
    shared_with: str = ""
    group_size: int | None = None
    note: str = ""


@dataclass(frozen=True)
class MetricRecord:
    """A metric and every figure the report gives for it.

    `evidences` numbers the expected outcomes (from 1, in report order) of the programme's
    activity in the report's year that the metric shows progress towards.
    """

    slug: str
    name: str
    unit: str
    direction: str
    aggregation: str
    partner: str
    results: tuple[ResultRecord, ...]
    description: str = ""
    unit_label: str = ""
    # Empty where the label has no singular we would stand behind ('agencies and trainers').
    unit_label_singular: str = ""
    decimal_places: int = 0
    programme: str | None = None
    theme: str | None = None
    evidences: tuple[int, ...] = ()
    is_headline: bool = False
    comparators: tuple[ComparatorRecord, ...] = ()


@dataclass(frozen=True)
class ReportRecord:
    """A whole published report: who, what, and every figure, for one financial year."""

    title: str
    start_year: int
    years: tuple[int, ...]
    approved_at: datetime.datetime
    approval_note: str
    partners: tuple[PartnerRecord, ...]
    themes: tuple[ThemeRecord, ...]
    streams: tuple[StreamRecord, ...]
    areas: tuple[AreaRecord, ...]
    programmes: tuple[ProgrammeRecord, ...]
    activities: tuple[ActivityRecord, ...]
    metrics: tuple[MetricRecord, ...]
    ranges: tuple[RangeRecord, ...] = field(default=())
    allocation_note: str = ""
