"""A believable, deterministic synthetic dataset, for benchmarks and load tests.

`generate(scale=1)` builds ten financial years (2015/16 to 2024/25) of a partnership ten times
the size of Wirral's: 40 partners, 400 programmes, 4,000 metrics and about 150,000 results, with
allocations, activities, expected outcomes, outcome narratives, targets, comparators and
quarterly returns in every state. Other scales multiply the counts (at least a few of each).
The same seed and scale always give the same rows, so that two benchmark runs measure the same
thing; every random choice comes from a generator seeded by the seed and the object it is for.

Synthetic objects are marked so that they can be told apart from real data and cleared:
partners, programmes and metrics have slugs starting `syn-`, users' names start `syn-`.
Financial years, periods and role groups are shared reference data: reused, never deleted.
Themes, funding streams and comparator areas are reused when real ones of the same name exist;
otherwise they are created with a `syn-` slug and cleared once nothing else uses them.

Order of writes (must stay this way): approval locks a return's results and narratives, and
the lock refuses inserts and deletes under an approved return (in Python and, on PostgreSQL,
in a trigger). So returns are first created as draft or submitted, results and narratives are
bulk-inserted beneath them, and only then are the returns that end approved switched over with
QuerySet.update(). Clearing runs the other way: reopen the synthetic returns, then delete.
"""

from __future__ import annotations

import datetime
import hashlib
import random
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.db.models import F
from django.utils.text import slugify

from metrics import freshness
from metrics.models import (
    Aggregation,
    Comparator,
    ComparatorArea,
    Direction,
    Metric,
    Qualifier,
    Result,
    Target,
    Unit,
)
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
    quarter_dates,
)
from programmes.scoping import ROLE_GROUPS, Role
from programmes.services import set_generated_return_status

PREFIX = "syn-"
FIRST_YEAR = 2015
YEARS = 10
BATCH_SIZE = 2000
# "!" starts an unusable password: synthetic users own returns but cannot log in.
UNUSABLE_PASSWORD = "!synthetic"  # noqa: S105
# A return is due this many days after its quarter (settings.RETURN_DUE_DAYS by default); a
# fixed number here keeps the data the same whatever the deployment's setting.
DUE_DAYS = 30

Progress = Callable[[str, int], None]


class SyntheticDataExists(Exception):
    """Raised when synthetic rows are already present and the caller did not ask to clear."""


@dataclass
class Summary:
    """What one run created, and how long each stage took."""

    scale: float
    seed: int
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    cleared: dict[str, int] = field(default_factory=dict)

    @property
    def total_seconds(self) -> float:
        return sum(self.seconds.values())


# --- Vocabulary ---------------------------------------------------------------------------

WARDS = [
    "Bebington",
    "Bidston and St James",
    "Birkenhead and Tranmere",
    "Bromborough",
    "Clatterbridge",
    "Claughton",
    "Eastham",
    "Greasby, Frankby and Irby",
    "Heswall",
    "Hoylake and Meols",
    "Leasowe and Moreton East",
    "Liscard",
    "Moreton West and Saughall Massie",
    "New Brighton",
    "Oxton",
    "Pensby and Thingwall",
    "Prenton",
    "Rock Ferry",
    "Seacombe",
    "Upton",
    "Wallasey",
    "West Kirby and Thurstaston",
]

# (kind, name pattern): partners are fictional, named after a ward, so as not to be mistaken
# for (or collide with) the real agencies the 2018/19 loader creates.
PARTNER_PATTERNS = [
    (Partner.Kind.POLICE, "{ward} Neighbourhood Policing Team"),
    (Partner.Kind.COUNCIL, "{ward} Community Safety Team"),
    (Partner.Kind.VOLUNTARY, "{ward} Women's Aid"),
    (Partner.Kind.VOLUNTARY, "{ward} Youth Trust"),
    (Partner.Kind.FIRE, "{ward} Fire Station"),
    (Partner.Kind.PROBATION, "{ward} Probation Office"),
    (Partner.Kind.HEALTH, "{ward} Health and Wellbeing Hub"),
    (Partner.Kind.VOLUNTARY, "{ward} Residents' Association"),
    (Partner.Kind.COUNCIL, "{ward} Youth Justice Team"),
    (Partner.Kind.VOLUNTARY, "{ward} Good Neighbour Scheme"),
    (Partner.Kind.ACADEMIC, "{ward} College"),
    (Partner.Kind.PARTNERSHIP, "{ward} Safer Streets Partnership"),
]

THEME_NAMES = [
    "Hate crime",
    "Domestic abuse",
    "Anti-social behaviour",
    "Re-offending",
    "Radicalisation and Prevent",
    "Youth offending",
    "Community resilience",
]

# Which kinds of partner lead a theme's programmes.
THEME_LEADS = {
    "Hate crime": {Partner.Kind.POLICE, Partner.Kind.VOLUNTARY, Partner.Kind.COUNCIL},
    "Domestic abuse": {Partner.Kind.VOLUNTARY, Partner.Kind.COUNCIL, Partner.Kind.HEALTH},
    "Anti-social behaviour": {Partner.Kind.COUNCIL, Partner.Kind.POLICE, Partner.Kind.FIRE},
    "Re-offending": {Partner.Kind.PROBATION, Partner.Kind.POLICE},
    "Radicalisation and Prevent": {Partner.Kind.COUNCIL, Partner.Kind.ACADEMIC},
    "Youth offending": {Partner.Kind.COUNCIL, Partner.Kind.VOLUNTARY},
    "Community resilience": {Partner.Kind.VOLUNTARY, Partner.Kind.PARTNERSHIP, Partner.Kind.FIRE},
}

PROGRAMME_KINDS = {
    "Hate crime": [
        "Challenging Racism",
        "Hate Crime Reporting Centres",
        "Hate Crime Insight Work",
        "Third-Party Reporting",
        "Faith Communities Liaison",
        "LGBT Safe Spaces",
    ],
    "Domestic abuse": [
        "Community Domestic Abuse Champions",
        "IDVA Service",
        "Perpetrator Programme",
        "Sanctuary Scheme",
        "Children Affected by Domestic Abuse",
        "MARAC Coordination",
    ],
    "Anti-social behaviour": [
        "ASB Reduction",
        "Target Hardening",
        "Street Lighting and CCTV",
        "Neighbourhood Clean-up Days",
        "Arson Reduction",
        "Off-road Bike Nuisance",
    ],
    "Re-offending": [
        "Integrated Offender Management",
        "IOM Review",
        "Women's Diversion Scheme",
        "Reduce the Strength",
        "Employment after Custody",
        "Restorative Justice",
    ],
    "Radicalisation and Prevent": [
        "Prevent Training",
        "Schools Training Preventing Extremism",
        "Online Safety Workshops",
        "Channel Support",
    ],
    "Youth offending": [
        "Youth Offending Diversion",
        "Fit and Fed",
        "Detached Youth Work",
        "Knife Crime Awareness",
        "Summer Activities",
        "Mentoring for Young People",
    ],
    "Community resilience": [
        "Good Neighbour Scheme",
        "Safe and Well Visits",
        "Insight Work BAME and LGBT",
        "Community Watch",
        "Volunteer Street Champions",
    ],
}


@dataclass(frozen=True)
class Subject:
    """What a metric measures, and how its values behave."""

    name: str
    unit: str
    direction: str
    aggregation: str
    decimal_places: int
    low: float
    high: float
    unit_label: str = ""
    # "quarter": reported every quarter (the year is rolled up from them, never stored);
    # "year": reported once a year, in the partner's Q4 return.
    frequency: str = "quarter"
    # Years between the period a figure describes and the return that reports it.
    lag: int = 0


C, P, R1000, RRO, T, H, GBP = (
    Unit.COUNT,
    Unit.PERCENTAGE,
    Unit.RATE_PER_1000,
    Unit.RATE_PER_REOFFENDER,
    Unit.TONNES,
    Unit.HOURS,
    Unit.GBP,
)
UP, DOWN, EITHER = Direction.HIGHER_IS_BETTER, Direction.LOWER_IS_BETTER, Direction.NEITHER
SUM, AVG, LATEST = Aggregation.SUM, Aggregation.AVERAGE, Aggregation.LATEST

SUBJECTS = {
    "Hate crime": [
        Subject("Hate crimes reported", C, EITHER, SUM, 0, 10, 120, "reports"),
        Subject("Hate incidents reported through third parties", C, UP, SUM, 0, 5, 60, "reports"),
        Subject("Hate MARAC referrals", C, EITHER, SUM, 0, 5, 60, "referrals"),
        Subject("Hate crimes solved", P, UP, LATEST, 1, 12, 35),
        Subject("Victims of hate crime supported", C, UP, SUM, 0, 10, 90, "victims"),
        Subject("Awareness sessions delivered", C, UP, SUM, 0, 3, 30, "sessions"),
        Subject("Victims satisfied with the response", P, UP, LATEST, 1, 55, 90),
        Subject("Repeat victims of hate crime", P, DOWN, LATEST, 1, 5, 25),
    ],
    "Domestic abuse": [
        Subject("High-risk cases heard at MARAC", C, EITHER, SUM, 0, 40, 180, "cases"),
        Subject("Repeat referrals to MARAC", P, DOWN, LATEST, 1, 15, 40),
        Subject("Victims supported by an IDVA", C, UP, SUM, 0, 30, 220, "victims"),
        Subject("Perpetrators completing a programme", C, UP, SUM, 0, 4, 40, "perpetrators"),
        Subject("Homes made safe through sanctuary measures", C, UP, SUM, 0, 5, 50, "homes"),
        Subject("Children supported", C, UP, SUM, 0, 10, 120, "children"),
        Subject("Domestic abuse champions trained", C, UP, SUM, 0, 5, 80, "champions"),
        Subject("Victims feeling safer at case closure", P, UP, LATEST, 1, 60, 95),
    ],
    "Anti-social behaviour": [
        Subject("ASB incidents reported to the police", C, DOWN, SUM, 0, 150, 1500, "incidents"),
        Subject("Deliberate fires", C, DOWN, SUM, 0, 10, 150, "fires"),
        Subject("Addresses target hardened", C, UP, SUM, 0, 10, 120, "addresses"),
        Subject("Waste removed at clean-up days", T, UP, SUM, 1, 0.5, 12),
        Subject("ASB warning letters issued", C, EITHER, SUM, 0, 10, 200, "letters"),
        Subject("Acceptable behaviour contracts signed", C, EITHER, SUM, 0, 2, 30, "contracts"),
        Subject("Residents satisfied with ASB response", P, UP, LATEST, 1, 50, 85),
        Subject("Repeat ASB locations", C, DOWN, LATEST, 0, 5, 60, "locations"),
    ],
    "Re-offending": [
        Subject("Offenders supervised per month", C, EITHER, AVG, 0, 40, 160, "offenders"),
        Subject("Binary re-offending rate", P, DOWN, LATEST, 1, 25, 48, frequency="year", lag=1),
        Subject(
            "Re-offences per re-offender", RRO, DOWN, LATEST, 2, 2.5, 5.8, frequency="year", lag=1
        ),
        Subject("Offenders in employment or training", P, UP, LATEST, 1, 15, 55),
        Subject("Offenders in settled accommodation", P, UP, LATEST, 1, 55, 90),
        Subject("Women diverted from the CJS", C, UP, SUM, 0, 5, 40, "women"),
        Subject("Restorative justice conferences", C, UP, SUM, 0, 3, 30, "conferences"),
        Subject("Drug tests on arrest", C, EITHER, SUM, 0, 30, 300, "tests"),
    ],
    "Radicalisation and Prevent": [
        Subject("Staff trained in Prevent", C, UP, SUM, 0, 20, 400, "staff"),
        Subject("Schools taking part", C, UP, SUM, 0, 2, 25, "schools"),
        Subject("Pupils reached", C, UP, SUM, 0, 100, 1500, "pupils"),
        Subject("Prevent referrals", C, EITHER, SUM, 0, 2, 25, "referrals"),
        Subject("Staff confident to spot radicalisation", P, UP, LATEST, 1, 60, 95),
        Subject("Channel cases adopted", C, EITHER, SUM, 0, 0, 6, "cases"),
        Subject("Workshop hours delivered", H, UP, SUM, 0, 20, 300),
        Subject("Parents attending online safety sessions", C, UP, SUM, 0, 10, 150, "parents"),
    ],
    "Youth offending": [
        Subject("Young people engaged", C, UP, SUM, 0, 40, 450, "young people"),
        Subject("First-time entrants to the youth justice system", C, DOWN, SUM, 0, 5, 45),
        Subject("Young people re-offending", P, DOWN, LATEST, 1, 20, 45, frequency="year", lag=1),
        Subject("Young people in education or training", P, UP, LATEST, 1, 60, 95),
        Subject("Meals served at holiday clubs", C, UP, SUM, 0, 200, 3000, "meals"),
        Subject("Knife crime awareness sessions", C, UP, SUM, 0, 3, 40, "sessions"),
        Subject("Young people mentored per month", C, UP, AVG, 0, 10, 80, "young people"),
        Subject("Youth workers' hours", H, UP, SUM, 0, 100, 1200),
    ],
    "Community resilience": [
        Subject("Vulnerable residents visited", C, UP, SUM, 0, 30, 400, "residents"),
        Subject("Safe and well visits completed", C, UP, SUM, 0, 50, 600, "visits"),
        Subject("Volunteers active", C, UP, AVG, 0, 10, 120, "volunteers"),
        Subject("Volunteer hours", H, UP, SUM, 0, 200, 3000),
        Subject("Residents who feel safe after dark", P, UP, LATEST, 1, 45, 80, frequency="year"),
        Subject("Community events held", C, UP, SUM, 0, 2, 30, "events"),
        Subject("Litter collected by volunteers", T, UP, SUM, 1, 0.2, 6),
        Subject("Match funding secured", GBP, UP, SUM, 2, 500, 25000),
        Subject("Smoke alarms fitted", C, UP, SUM, 0, 20, 300, "alarms"),
    ],
}

GENERIC_SUBJECTS = [
    Subject("People trained", C, UP, SUM, 0, 10, 300, "people"),
    Subject("Referrals received", C, EITHER, SUM, 0, 10, 200, "referrals"),
    Subject("Staff hours delivered", H, UP, SUM, 1, 50, 900),
    Subject("Spend in the quarter", GBP, EITHER, SUM, 2, 2000, 40000),
    Subject("Cases closed with a positive outcome", P, UP, LATEST, 1, 50, 90),
    Subject("Service users per month", C, EITHER, AVG, 0, 10, 150, "service users"),
]

# (name, subject, partner kind, has comparators): area-wide measures, Wirral-wide first.
AREA_MEASURES = [
    ("Crime rate", Subject("", R1000, DOWN, LATEST, 1, 60, 95, frequency="year"), "police"),
    ("Police-recorded crimes", Subject("", C, DOWN, SUM, 0, 400, 6000, "crimes"), "police"),
    ("ASB incidents", Subject("", C, DOWN, SUM, 0, 100, 3000, "incidents"), "police"),
    ("Deliberate fires", Subject("", C, DOWN, SUM, 0, 10, 200, "fires"), "fire"),
    ("Domestic abuse incidents", Subject("", C, DOWN, SUM, 0, 80, 1600, "incidents"), "police"),
    ("Hate crimes recorded", Subject("", C, EITHER, SUM, 0, 5, 120, "crimes"), "police"),
    ("Burglary rate", Subject("", R1000, DOWN, LATEST, 2, 3, 12, frequency="year"), "police"),
    (
        "Violence against the person rate",
        Subject("", R1000, DOWN, LATEST, 1, 15, 35, frequency="year"),
        "police",
    ),
    (
        "Adult binary re-offending rate",
        Subject("", P, DOWN, LATEST, 1, 26, 45, frequency="year", lag=1),
        "probation",
    ),
]

EXPECTED_OUTCOMES = [
    "Fewer victims and fewer repeat victims.",
    "More people report what happened to them.",
    "Residents feel safer where they live.",
    "Offenders are supported away from crime.",
    "Young people are diverted from the criminal justice system.",
    "Front-line staff recognise the signs and know where to refer.",
    "Communities are more confident to challenge harm.",
    "Repeat locations see less crime and disorder.",
]

OUTCOME_TEXTS = [
    "{title} ran in {place} throughout {period}; {n} sessions were delivered and feedback was "
    "positive.",
    "In {period} the team worked with {n} people in {place}; referrals came mainly from partners.",
    "Delivery in {period} was on plan: {n} contacts in {place}, with two new referral routes "
    "agreed.",
    "{period}: staffing gaps slowed delivery in {place}, but {n} people were still supported.",
    "{title} extended to {place} in {period}; {n} residents took part and most said they felt "
    "safer.",
]

STREAMS = [
    ("PCC Funded Programmes", "Police and Crime Commissioner for Merseyside", 1),
    ("CSP Funding Element", "Wirral Community Safety Partnership", 2),
]

AREAS = [
    ("England", "England as a whole.", None),
    ("Merseyside", "The five Merseyside community safety partnerships together.", None),
    ("Most similar group", "The Home Office's most similar group of 15 areas.", 15),
]


# --- Helpers ------------------------------------------------------------------------------


def _rng(seed: int, *key: object) -> random.Random:
    # A generator per object: adding one metric leaves every other metric's values unchanged,
    # and a str seed is hashed with SHA-512, so it does not depend on PYTHONHASHSEED.
    # Reproducible on purpose: nothing here is a secret.
    return random.Random(f"{seed}:" + ":".join(str(k) for k in key))  # noqa: S311


def _scaled(base: int, scale: float, minimum: int) -> int:
    return max(minimum, round(base * scale))


def _dec(value: float, places: int) -> Decimal:
    return Decimal(f"{value:.{places}f}")


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=datetime.UTC)


def _unique_name(name: str, taken: set[str]) -> str:
    # Real data keeps its name; a synthetic object that would clash (with it, or at scales
    # beyond the vocabulary, with another synthetic one) is labelled instead.
    candidate, n = name, 1
    while candidate in taken:
        candidate = f"{name} (synthetic)" if n == 1 else f"{name} (synthetic {n})"
        n += 1
    taken.add(candidate)
    return candidate


def _reference(model, name: str, **extra):
    """Reuse a real row of this name, or create a synthetic one with a syn- slug."""
    existing = model.objects.filter(name__iexact=name).first()
    if existing:
        return existing
    slug = PREFIX + slugify(name)[:50]
    existing = model.objects.filter(slug=slug).first()
    return existing or model.objects.create(name=name, slug=slug, **extra)


def _bulk(model, objs: Sequence, progress: Progress | None, stage: str) -> list:
    created = []
    chunk = BATCH_SIZE * 5
    for start in range(0, len(objs), chunk):
        part = model.objects.bulk_create(objs[start : start + chunk], batch_size=BATCH_SIZE)
        created.extend(part)
        if progress:
            progress(stage, len(part))
    return created


class _Clock:
    def __init__(self, summary: Summary):
        self.summary = summary
        self.started = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.summary.seconds[stage] = self.summary.seconds.get(stage, 0.0) + now - self.started
        self.started = now


# --- Values -------------------------------------------------------------------------------


@dataclass
class _MetricPlan:
    metric: Metric
    subject: Subject
    partner_index: int
    years: range
    level: float
    trend: float
    noise: float
    seasons: tuple[float, float, float, float]
    has_target: bool


def _plan_values(subject: Subject, rng: random.Random) -> tuple[float, float, float, tuple]:
    level = rng.uniform(subject.low, subject.high)
    # Mostly improving, as funded work is meant to; some getting worse.
    improving = rng.random() < 0.7
    step = rng.uniform(0.0, 0.06)
    if subject.direction == DOWN:
        trend = -step if improving else step
    elif subject.direction == UP:
        trend = step if improving else -step
    else:
        trend = rng.uniform(-0.04, 0.04)
    noise = rng.uniform(0.04, 0.15) if subject.unit in (C, T, H, GBP) else rng.uniform(0.01, 0.05)
    # Summer is busier for ASB and youth work, winter for fires and domestic abuse.
    if subject.aggregation == SUM:
        seasons = tuple(rng.uniform(0.85, 1.15) for _ in range(4))
    else:
        seasons = (1.0, 1.0, 1.0, 1.0)
    return level, trend, noise, seasons


def _value(plan: _MetricPlan, rng: random.Random, t: float, season: float) -> tuple[Decimal, str]:
    subject = plan.subject
    raw = plan.level * (1 + plan.trend) ** t * season * (1 + rng.gauss(0, plan.noise))
    raw = min(max(raw, 0.5), 99.5) if subject.unit == P else max(raw, 0.0)
    if subject.unit == C and raw >= 60 and rng.random() < 0.03:
        # Reports round a big count down and say "over": "over 400 young people".
        step = 100 if raw >= 300 else 10
        return Decimal(int(raw // step * step)), Qualifier.OVER
    return _dec(raw, subject.decimal_places), Qualifier.EXACT


def _target(plan: _MetricPlan, year_index: int) -> Decimal:
    subject = plan.subject
    expected = plan.level * (1 + plan.trend) ** year_index
    if subject.aggregation == SUM:
        expected *= 4
    better = {UP: 1.05, DOWN: 0.95}.get(subject.direction, 1.0)
    value = expected * better
    if subject.unit == P:
        value = min(value, 100.0)
    return _dec(value, subject.decimal_places)


# --- Generation ---------------------------------------------------------------------------


def synthetic_exists() -> bool:
    return Partner.objects.filter(slug__startswith=PREFIX).exists()


@transaction.atomic
@freshness.raised_once()
def generate(
    *,
    scale: float,
    seed: int = 2018,
    clear_first: bool = False,
    progress: Progress | None = None,
) -> Summary:
    """Build the synthetic dataset at `scale` (1 = 4,000 metrics and about 150,000 results).

    Refuses (SyntheticDataExists) when synthetic rows are present, unless `clear_first`.
    """
    if not scale > 0:
        raise ValueError("The scale must be a positive number, such as 0.25, 0.5 or 1.")
    summary = Summary(scale=scale, seed=seed)
    clock = _Clock(summary)
    if synthetic_exists():
        if not clear_first:
            raise SyntheticDataExists(
                "Synthetic data is already present; clear it first (--clear)."
            )
        summary.cleared = clear()
        clock.lap("clear")

    n_partners = _scaled(40, scale, 3)
    n_programmes = _scaled(400, scale, 3)
    n_area = _scaled(200, scale, 1)
    n_metrics = max(_scaled(4000, scale, 10), n_programmes + n_area)

    # Reference data.
    years = [
        FinancialYear.objects.get_or_create(start_year=FIRST_YEAR + i)[0] for i in range(YEARS)
    ]
    year_periods, quarter_periods = {}, {}
    for i, fy in enumerate(years):
        year_periods[i] = Period.objects.get_or_create(
            kind=Period.Kind.YEAR,
            financial_year=fy,
            defaults={"start_date": fy.start_date, "end_date": fy.end_date},
        )[0]
        for q in range(1, 5):
            start, end = quarter_dates(fy.start_year, q)
            quarter_periods[i, q] = Period.objects.get_or_create(
                kind=Period.Kind.QUARTER,
                financial_year=fy,
                quarter=q,
                defaults={"start_date": start, "end_date": end},
            )[0]
    themes = {name: _reference(Theme, name) for name in THEME_NAMES}
    streams = [
        _reference(FundingStream, name, funder=funder, order=order)
        for name, funder, order in STREAMS
    ]
    areas = [
        _reference(ComparatorArea, name, description=text, group_size=size)
        for name, text, size in AREAS
    ]
    clock.lap("reference data")

    # Partners and their users.
    partner_names = set(Partner.objects.values_list("name", flat=True))
    partners = []
    for i in range(n_partners):
        kind, pattern = PARTNER_PATTERNS[i % len(PARTNER_PATTERNS)]
        ward = WARDS[(i * 7) % len(WARDS)]
        name = _unique_name(pattern.format(ward=ward), partner_names)
        partners.append(
            Partner(name=name, slug=f"{PREFIX}partner-{i + 1:03d}", kind=kind),
        )
    partners = _bulk(Partner, partners, progress, "partners")
    User = get_user_model()
    users = [
        User(
            username=f"{PREFIX}editor-{i + 1:03d}",
            email=f"{PREFIX}editor-{i + 1:03d}@example.org",
            first_name="Synthetic",
            last_name=f"Editor {i + 1}",
            password=UNUSABLE_PASSWORD,
        )
        for i in range(n_partners)
    ]
    users.append(
        User(
            username=f"{PREFIX}approver",
            email=f"{PREFIX}approver@example.org",
            first_name="Synthetic",
            last_name="Approver",
            password=UNUSABLE_PASSWORD,
        )
    )
    users = _bulk(User, users, progress, "users")
    editors, approver = users[:-1], users[-1]
    Partner.members.through.objects.bulk_create(
        [
            Partner.members.through(partner_id=p.pk, user_id=u.pk)
            for p, u in zip(partners, editors, strict=True)
        ]
    )
    editor_group = Group.objects.get_or_create(name=ROLE_GROUPS[Role.PARTNER_EDITOR])[0]
    approver_group = Group.objects.get_or_create(name=ROLE_GROUPS[Role.APPROVER])[0]
    editor_group.user_set.add(*editors)
    approver_group.user_set.add(approver)
    clock.lap("partners")

    # Programmes, their funding and what they deliver.
    rng = _rng(seed, "programmes")
    combos = [(t, k, w) for t in THEME_NAMES for k in PROGRAMME_KINDS[t] for w in WARDS]
    rng.shuffle(combos)
    programme_names = set(Programme.objects.values_list("name", flat=True))
    programmes, programme_info, delivery = [], [], []
    for i in range(n_programmes):
        theme_name, kind, ward = combos[i % len(combos)]
        prng = _rng(seed, "programme", i)
        leads = [j for j, p in enumerate(partners) if p.kind in THEME_LEADS[theme_name]]
        lead = prng.choice(leads or range(n_partners))
        others = [j for j in range(n_partners) if j != lead]
        helpers = prng.sample(others, min(len(others), prng.randint(0, 3)))
        start = 0 if prng.random() < 0.95 else prng.randint(1, 3)
        end = YEARS - 1 if prng.random() < 0.98 else prng.randint(6, 8)
        stream_choice = prng.random()
        stream_ix = [0] if stream_choice < 0.6 else [1] if stream_choice < 0.9 else [0, 1]
        name = _unique_name(f"{kind} - {ward}", programme_names)
        programmes.append(
            Programme(
                name=name,
                slug=f"{PREFIX}programme-{i + 1:04d}",
                theme=themes[theme_name],
                lead_partner=partners[lead],
                description=f"{kind} in {ward}, funded since {years[start].label}.",
            )
        )
        programme_info.append(
            {
                "theme": theme_name,
                "kind": kind,
                "ward": ward,
                "lead": lead,
                "helpers": helpers,
                "years": range(start, end + 1),
                "streams": stream_ix,
                "rng": prng,
            }
        )
    programmes = _bulk(Programme, programmes, progress, "programmes")
    for programme, info in zip(programmes, programme_info, strict=True):
        delivery.extend(
            Programme.delivery_partners.through(
                programme_id=programme.pk, partner_id=partners[j].pk
            )
            for j in info["helpers"]
        )
    Programme.delivery_partners.through.objects.bulk_create(delivery, batch_size=BATCH_SIZE)

    allocations, activities, activity_keys = [], [], []
    for p_ix, (programme, info) in enumerate(zip(programmes, programme_info, strict=True)):
        prng = info["rng"]
        base = {s: prng.randint(100, 2400) * 50 for s in info["streams"]}
        for y in info["years"]:
            for s in info["streams"]:
                amount = None if prng.random() < 0.01 else Decimal(base[s] + y * 500)
                allocations.append(
                    Allocation(
                        programme=programme,
                        funding_stream=streams[s],
                        financial_year=years[y],
                        amount=amount,
                        note="" if amount is not None else "Amount not yet published.",
                    )
                )
                activities.append(
                    Activity(
                        programme=programme,
                        financial_year=years[y],
                        funding_stream=streams[s],
                        title=info["kind"],
                        description=f"{info['kind']} across {info['ward']}: sessions, visits "
                        f"and casework delivered with partners in {years[y].label}.",
                        order=p_ix,
                    )
                )
                activity_keys.append((p_ix, y, s))
    _bulk(Allocation, allocations, progress, "allocations")
    activities = _bulk(Activity, activities, progress, "activities")
    expected, expected_keys = [], []
    for activity, (p_ix, y, _s) in zip(activities, activity_keys, strict=True):
        texts = _rng(seed, "outcomes", p_ix).sample(EXPECTED_OUTCOMES, 2)
        for order, text in enumerate(texts):
            expected.append(ExpectedOutcome(activity=activity, text=text, order=order))
            expected_keys.append((p_ix, y))
    expected = _bulk(ExpectedOutcome, expected, progress, "expected outcomes")
    clock.lap("programmes")

    # Metrics: most belong to a programme; a few are area-wide, by ward.
    metric_names = set(Metric.objects.values_list("name", flat=True))
    plans: list[_MetricPlan] = []
    n_programme_metrics = n_metrics - n_area
    per_programme, extra = divmod(n_programme_metrics, n_programmes)
    counter = 0

    def add_plan(metric: Metric, subject: Subject, partner_ix: int, span: range) -> None:
        mrng = _rng(seed, "metric", metric.slug)
        level, trend, noise, seasons = _plan_values(subject, mrng)
        plans.append(
            _MetricPlan(
                metric=metric,
                subject=subject,
                partner_index=partner_ix,
                years=span,
                level=level,
                trend=trend,
                noise=noise,
                seasons=seasons,
                has_target=metric.is_headline or mrng.random() < 0.5,
            )
        )

    for p_ix, (programme, info) in enumerate(zip(programmes, programme_info, strict=True)):
        prng = info["rng"]
        wanted = per_programme + (1 if p_ix < extra else 0)
        pool = SUBJECTS[info["theme"]] + GENERIC_SUBJECTS
        choices = prng.sample(pool, len(pool))
        for k in range(wanted):
            subject = choices[k % len(choices)]
            counter += 1
            suffix = "" if k < len(choices) else f" {k // len(choices) + 1}"
            name = _unique_name(f"{subject.name}{suffix} ({programme.name})", metric_names)
            reporter = prng.choice([info["lead"]] * 4 + info["helpers"])
            metric = Metric(
                name=name,
                slug=f"{PREFIX}metric-{counter:05d}",
                description=f"{subject.name} by {programme.name}.",
                unit=subject.unit,
                unit_label=subject.unit_label,
                direction=subject.direction,
                aggregation=subject.aggregation,
                decimal_places=subject.decimal_places,
                partner=partners[reporter],
                programme=programme,
                is_headline=prng.random() < 0.05,
            )
            add_plan(metric, subject, reporter, info["years"])

    police = [j for j, p in enumerate(partners) if p.kind == Partner.Kind.POLICE] or [0]
    by_kind = {
        "police": police,
        "fire": [j for j, p in enumerate(partners) if p.kind == Partner.Kind.FIRE] or police,
        "probation": [j for j, p in enumerate(partners) if p.kind == Partner.Kind.PROBATION]
        or police,
    }
    area_list = [("Wirral", m) for m in AREA_MEASURES] + [
        (ward, m) for ward in WARDS for m in AREA_MEASURES
    ]
    theme_of_area = {
        "Crime rate": "Community resilience",
        "Police-recorded crimes": "Community resilience",
        "ASB incidents": "Anti-social behaviour",
        "Deliberate fires": "Anti-social behaviour",
        "Domestic abuse incidents": "Domestic abuse",
        "Hate crimes recorded": "Hate crime",
        "Burglary rate": "Community resilience",
        "Violence against the person rate": "Community resilience",
        "Adult binary re-offending rate": "Re-offending",
    }
    for a_ix in range(n_area):
        place, (measure, subject, partner_kind) = area_list[a_ix % len(area_list)]
        counter += 1
        partner_ix = by_kind[partner_kind][a_ix % len(by_kind[partner_kind])]
        metric = Metric(
            name=_unique_name(f"{measure}: {place}", metric_names),
            slug=f"{PREFIX}metric-{counter:05d}",
            description=f"{measure} for {place}, from the partner's recorded data.",
            unit=subject.unit,
            unit_label=subject.unit_label,
            direction=subject.direction,
            aggregation=subject.aggregation,
            decimal_places=subject.decimal_places,
            partner=partners[partner_ix],
            theme=themes[theme_of_area[measure]],
            is_headline=place == "Wirral",
        )
        add_plan(metric, subject, partner_ix, range(YEARS))

    metrics = _bulk(Metric, [plan.metric for plan in plans], progress, "metrics")
    for plan, metric in zip(plans, metrics, strict=True):
        plan.metric = metric
    # Each programme metric evidences its programme's expected outcomes, year by year.
    first_outcome = {}
    for outcome, key in zip(expected, expected_keys, strict=True):
        first_outcome.setdefault(key, outcome)
    programme_ix = {programme.pk: i for i, programme in enumerate(programmes)}
    links = []
    for plan in plans:
        if plan.metric.programme_id is None:
            continue
        p_ix = programme_ix[plan.metric.programme_id]
        links.extend(
            Metric.expected_outcomes.through(
                metric_id=plan.metric.pk, expectedoutcome_id=first_outcome[p_ix, y].pk
            )
            for y in plan.years
        )
    _bulk(Metric.expected_outcomes.through, links, progress, "metric links")
    clock.lap("metrics")

    # Returns: one per partner per quarter in which it has something to report. All quarters
    # but the last four are approved; the last two are incomplete, missing or late.
    active = defaultdict(set)
    for plan in plans:
        for y in plan.years:
            active[plan.partner_index].add(y)
    for info in programme_info:
        active[info["lead"]].update(info["years"])
    quarters = [(y, q) for y in range(YEARS) for q in range(1, 5)]
    returns, final_status = [], []
    # Partners take their turn through these patterns in a shuffled order per quarter, so that
    # even three partners show every state.
    patterns = {
        1: ["submitted", "draft", "missing", "missing", "draft"]
        + ["missing", "submitted", "draft", "missing", "missing"] * 3,
        2: ["approved", "submitted", "draft", "approved", "missing"]
        + ["approved", "approved", "submitted", "approved", "draft"] * 3,
        3: ["returned"] + ["approved"] * 18 + ["submitted"],
        4: ["approved", "submitted"] + ["approved"] * 17 + ["returned"],
    }
    turns = {
        position: _rng(seed, "turns", position).sample(range(n_partners), n_partners)
        for position in range(len(quarters) - 4, len(quarters))
    }
    for partner_ix in range(n_partners):
        rrng = _rng(seed, "returns", partner_ix)
        for position, (y, q) in enumerate(quarters):
            if y not in active[partner_ix]:
                continue
            from_end = len(quarters) - position  # 1 for the latest quarter
            if from_end in patterns:
                pattern = patterns[from_end]
                status = pattern[turns[position][partner_ix] % len(pattern)]
            else:
                status = "approved"
            if status == "missing":
                continue
            period = quarter_periods[y, q]
            due = period.end_date + datetime.timedelta(days=DUE_DAYS)
            # About one return in seven is late.
            delay = rrng.randint(3, 28) if rrng.random() > 0.15 else rrng.randint(31, 60)
            ret = Return(partner=partners[partner_ix], period=period)
            if status == "returned":
                ret.status = Return.Status.DRAFT
                ret.note = (
                    f"Returned on {due:%-d %B %Y}: please check the quarter's figures against "
                    "the case system and resubmit."
                )
            elif status in ("submitted", "approved"):
                ret.status = Return.Status.SUBMITTED
                ret.submitted_by = editors[partner_ix]
                ret.submitted_at = _at(period.end_date + datetime.timedelta(days=delay))
            else:
                ret.status = Return.Status.DRAFT
            returns.append(ret)
            final_status.append((status, (partner_ix, y, q), rrng.randint(2, 20)))
    returns = _bulk(Return, returns, progress, "returns")
    by_key = {}
    for ret, (status, key, _days) in zip(returns, final_status, strict=True):
        by_key[key] = (ret, status)
    clock.lap("returns")

    # Results: a quarterly metric has a value for every quarter it ran; a yearly one (a rate,
    # a survey) one value a year, in the Q4 return, possibly for the year before.
    results, targets = [], []
    for plan in plans:
        metric = plan.metric
        vrng = _rng(seed, "values", metric.slug)
        subject = plan.subject
        for y in plan.years:
            if subject.frequency == "quarter":
                for q in range(1, 5):
                    found = by_key.get((plan.partner_index, y, q))
                    value, qualifier = _value(plan, vrng, y + (q - 1) / 4, plan.seasons[q - 1])
                    if found is None or (found[1] == "draft" and vrng.random() < 0.4):
                        continue
                    results.append(
                        Result(
                            metric=metric,
                            period=quarter_periods[y, q],
                            value=value,
                            qualifier=qualifier,
                            unit=metric.unit,
                            report_return=found[0],
                        )
                    )
            else:
                described = y - subject.lag
                value, qualifier = _value(plan, vrng, described, 1.0)
                found = by_key.get((plan.partner_index, y, 4))
                if described < 0 or found is None:
                    continue
                results.append(
                    Result(
                        metric=metric,
                        period=year_periods[described],
                        value=value,
                        qualifier=qualifier,
                        unit=metric.unit,
                        report_return=found[0],
                        source=f"Annual figure for {years[described].label}"
                        + (" (published a year later)" if subject.lag else ""),
                    )
                )
            if plan.has_target:
                targets.append(
                    Target(
                        metric=metric,
                        period=year_periods[y],
                        value=_target(plan, y),
                        unit=metric.unit,
                    )
                )
    clock.lap("results (build)")
    _bulk(Result, results, progress, "results")
    clock.lap("results (insert)")
    _bulk(Target, targets, progress, "targets")
    clock.lap("targets")

    # Comparators for the Wirral-wide measures: England and Merseyside values for rates and
    # percentages, and Wirral's rank in its most similar group for every measure.
    comparators = []
    for plan in plans:
        metric = plan.metric
        if metric.programme_id is not None or not metric.name.endswith(": Wirral"):
            continue
        crng = _rng(seed, "comparators", metric.slug)
        ranked_from = (
            Comparator.RankOrder.HIGHEST
            if plan.subject.direction == UP
            else Comparator.RankOrder.LOWEST
        )
        for y in range(YEARS):
            period = year_periods[y]
            expected_value = plan.level * (1 + plan.trend) ** y
            for area, (area_name, _text, size) in zip(areas, AREAS, strict=True):
                if size:
                    rank = crng.randint(1, size)
                    comparators.append(
                        Comparator(
                            metric=metric,
                            period=period,
                            area=area,
                            unit=metric.unit,
                            rank=rank,
                            rank_order=ranked_from,
                            rank_is_shared=crng.random() < 0.1,
                            group_size=size,
                        )
                    )
                elif plan.subject.unit in (R1000, P, RRO):
                    factor = crng.uniform(0.85, 1.25) if area_name == "England" else 1.1
                    value = expected_value * factor * crng.uniform(0.97, 1.03)
                    if plan.subject.unit == P:
                        value = min(value, 100.0)
                    comparators.append(
                        Comparator(
                            metric=metric,
                            period=period,
                            area=area,
                            unit=metric.unit,
                            value=_dec(value, plan.subject.decimal_places),
                        )
                    )
    _bulk(Comparator, comparators, progress, "comparators")
    clock.lap("comparators")

    # Narratives: the lead partner writes one per activity in each of its quarterly returns.
    statements = []
    for activity, (p_ix, y, s) in zip(activities, activity_keys, strict=True):
        info = programme_info[p_ix]
        srng = _rng(seed, "narrative", p_ix, y, s)
        for q in range(1, 5):
            found = by_key.get((info["lead"], y, q))
            template = srng.choice(OUTCOME_TEXTS)
            n = srng.randint(3, 120)
            if found is None or (found[1] == "draft" and srng.random() < 0.5):
                continue
            statements.append(
                OutcomeStatement(
                    activity=activity,
                    report_return=found[0],
                    text=template.format(
                        title=info["kind"],
                        place=info["ward"],
                        period=quarter_periods[y, q].label,
                        n=n,
                    ),
                )
            )
    _bulk(OutcomeStatement, statements, progress, "outcome statements")
    clock.lap("narratives")

    # Last: approve. From here on the lock refuses further writes beneath these returns.
    approvals = defaultdict(list)
    for ret, (status, _key, days) in zip(returns, final_status, strict=True):
        if status == "approved":
            approvals[days].append(ret.pk)
    for days, ids in sorted(approvals.items()):
        for start in range(0, len(ids), 500):
            set_generated_return_status(
                queryset=Return.objects.filter(pk__in=ids[start : start + 500]),
                status=Return.Status.APPROVED,
                approved_by=approver,
                approved_at=F("submitted_at") + datetime.timedelta(days=days),
            )
    clock.lap("approval")

    status_counts = Counter(status for status, _key, _days in final_status)
    summary.counts = {
        "financial years": len(years),
        "periods": len(year_periods) + len(quarter_periods),
        "partners": len(partners),
        "users": len(users),
        "programmes": len(programmes),
        "allocations": len(allocations),
        "activities": len(activities),
        "expected outcomes": len(expected),
        "metrics": len(metrics),
        "results": len(results),
        "targets": len(targets),
        "comparators": len(comparators),
        "outcome statements": len(statements),
        "returns": len(returns),
        "returns approved": status_counts["approved"],
        "returns submitted": status_counts["submitted"],
        "returns draft": status_counts["draft"] + status_counts["returned"],
        "returns returned with a note": status_counts["returned"],
    }
    # Most rows went in by bulk_create, which sends no signal: say so for them all.
    freshness.raise_version()
    return summary


# --- Clearing and checking ----------------------------------------------------------------


def _synthetic_metrics():
    return Metric.objects.filter(slug__startswith=PREFIX)


@transaction.atomic
@freshness.raised_once()
def clear() -> dict[str, int]:
    """Delete every synthetic row, and nothing else. Returns rows deleted per model."""
    deleted: Counter[str] = Counter()

    def count(result: tuple[int, dict[str, int]]) -> None:
        deleted.update(result[1])

    returns = Return.objects.filter(partner__slug__startswith=PREFIX)
    # Reopen first: the lock refuses deletes beneath an approved return.
    set_generated_return_status(
        queryset=returns.filter(status=Return.Status.APPROVED),
        status=Return.Status.DRAFT,
        approved_by=None,
        approved_at=None,
    )
    metrics = _synthetic_metrics()
    count(Comparator.objects.filter(metric__in=metrics).delete())
    count(Target.objects.filter(metric__in=metrics).delete())
    count(Result.objects.filter(metric__in=metrics).delete())
    count(OutcomeStatement.objects.filter(activity__programme__slug__startswith=PREFIX).delete())
    count(Metric.expected_outcomes.through.objects.filter(metric__in=metrics).delete())
    count(metrics.delete())
    count(returns.delete())
    programmes = Programme.objects.filter(slug__startswith=PREFIX)
    count(ExpectedOutcome.objects.filter(activity__programme__in=programmes).delete())
    count(Activity.objects.filter(programme__in=programmes).delete())
    count(Allocation.objects.filter(programme__in=programmes).delete())
    count(programmes.delete())
    count(Partner.objects.filter(slug__startswith=PREFIX).delete())
    count(get_user_model().objects.filter(username__startswith=PREFIX).delete())
    # Reference rows this module created go too, unless real data has come to use them.
    count(Theme.objects.filter(slug__startswith=PREFIX, programmes=None, metrics=None).delete())
    count(
        FundingStream.objects.filter(
            slug__startswith=PREFIX, allocations=None, activities=None
        ).delete()
    )
    count(ComparatorArea.objects.filter(slug__startswith=PREFIX, comparators=None).delete())
    return {label.split(".")[-1]: n for label, n in sorted(deleted.items()) if n}


def _rows(queryset, *fields: str) -> Iterable[tuple]:
    return queryset.order_by(*fields).values_list(*fields).iterator(chunk_size=5000)


def _text(value: object) -> str:
    if isinstance(value, Decimal):
        return f"{value:.4f}"
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat()
    return str(value)


def checksum() -> str:
    """A SHA-256 of every synthetic row by its natural keys (never its database ids).

    Two runs with the same seed and scale give the same checksum on the same database.
    """
    digest = hashlib.sha256()
    metrics = _synthetic_metrics()
    tables = [
        _rows(Partner.objects.filter(slug__startswith=PREFIX), "slug", "name", "kind"),
        _rows(
            Programme.objects.filter(slug__startswith=PREFIX),
            "slug",
            "name",
            "theme__name",
            "lead_partner__slug",
            "description",
        ),
        _rows(
            Programme.delivery_partners.through.objects.filter(programme__slug__startswith=PREFIX),
            "programme__slug",
            "partner__slug",
        ),
        _rows(
            Allocation.objects.filter(programme__slug__startswith=PREFIX),
            "programme__slug",
            "funding_stream__name",
            "financial_year__start_year",
            "amount",
        ),
        _rows(
            ExpectedOutcome.objects.filter(activity__programme__slug__startswith=PREFIX),
            "activity__programme__slug",
            "activity__financial_year__start_year",
            "activity__funding_stream__name",
            "activity__title",
            "order",
            "text",
        ),
        _rows(
            metrics,
            "slug",
            "name",
            "unit",
            "direction",
            "aggregation",
            "decimal_places",
            "partner__slug",
            "programme__slug",
            "theme__name",
            "is_headline",
        ),
        _rows(
            Return.objects.filter(partner__slug__startswith=PREFIX),
            "partner__slug",
            "period__start_date",
            "status",
            "submitted_by__username",
            "submitted_at",
            "approved_at",
            "note",
        ),
        _rows(
            Result.objects.filter(metric__in=metrics),
            "metric__slug",
            "period__start_date",
            "period__end_date",
            "value",
            "qualifier",
            "unit",
            "report_return__period__start_date",
            "source",
        ),
        _rows(
            Target.objects.filter(metric__in=metrics),
            "metric__slug",
            "period__start_date",
            "value",
        ),
        _rows(
            Comparator.objects.filter(metric__in=metrics),
            "metric__slug",
            "period__start_date",
            "area__name",
            "value",
            "rank",
            "rank_order",
            "rank_is_shared",
        ),
        _rows(
            OutcomeStatement.objects.filter(activity__programme__slug__startswith=PREFIX),
            "activity__programme__slug",
            "activity__financial_year__start_year",
            "activity__funding_stream__name",
            "report_return__period__start_date",
            "text",
        ),
    ]
    for rows in tables:
        for row in rows:
            digest.update("\x1f".join(_text(v) for v in row).encode())
            digest.update(b"\x1e")
        digest.update(b"\x1d")
    return digest.hexdigest()


def refresh_statistics() -> None:
    """Let the database's planner see the rows just loaded (ANALYZE).

    After a bulk load, PostgreSQL plans with its old row estimates until autovacuum next
    analyses the tables, and autovacuum may be off or minutes away. With no statistics a
    150,000-row results query was planned as a nested loop and took 30 s instead of 0.2 s.
    """
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
