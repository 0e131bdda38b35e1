"""Two partners' worth of data and one user per role, for the admin and permission tests.

Partner "own" is the one the editor works for, with a draft return and a submitted one (frozen
for the editor); partner "other" has a draft return (whose narrative and result carry the
canary text) and an approved one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from programmes.models import Allocation
from programmes.scoping import Role
from tests import factories as f

CANARY = "CANARY-other-partners-draft-7f3a9c"


@dataclass
class World:
    objects: dict[str, object] = field(default_factory=dict)
    users: dict[str, object] = field(default_factory=dict)

    def obj(self, key: str):
        return self.objects[key]


def _partner_data(world: World, case: str, partner, *, text: str, source: str) -> None:
    prog = f.programme(lead_partner=partner, name=f"Programme of {case}")
    act = f.activity(programme=prog, title=f"Activity of {case}", financial_year=f.year(2019))
    outcome = f.expected_outcome(activity=act, text=f"Expected outcome of {case}")
    allocation = Allocation.objects.create(
        programme=prog, funding_stream=f.stream(), financial_year=f.year(2019), amount=1000
    )
    metric = f.metric(partner=partner, programme=prog, name=f"Metric of {case}")
    draft = f.report_return(partner=partner, period=f.quarter_period(2019, 1))
    res = f.result(metric=metric, period=f.quarter_period(2019, 1), report_return=draft)
    res.source = source
    res.save()
    statement = f.outcome_statement(activity=act, report_return=draft, text=text)
    world.objects.update(
        {
            f"programme.{case}": prog,
            f"activity.{case}": act,
            f"expectedoutcome.{case}": outcome,
            f"allocation.{case}": allocation,
            f"metric.{case}": metric,
            f"result.{case}": res,
            f"outcomestatement.{case}": statement,
            f"target.{case}": f.target(metric=metric),
            f"comparator.{case}": f.comparator(metric=metric),
            f"return.{case}": draft,
        }
    )


def build_world() -> World:
    world = World()
    own, other = f.partner(name="Own partner"), f.partner(name="Other partner")
    _partner_data(world, "own", own, text="Own partner's narrative", source="Own records")
    _partner_data(world, "other", other, text=f"{CANARY} narrative", source=f"{CANARY} source")

    # Filled as a draft, then approved: the lock refuses rows added beneath an approved return.
    approved = f.report_return(partner=other, period=f.quarter_period(2019, 2))
    other_metric = world.obj("metric.other")
    world.objects["result.approved"] = f.result(
        metric=other_metric, period=f.quarter_period(2019, 2), report_return=approved
    )
    world.objects["outcomestatement.approved"] = f.outcome_statement(
        activity=world.obj("activity.other"),
        report_return=approved,
        text="Other partner's approved narrative",
    )
    f.approve(approved)
    world.objects["return.approved"] = approved
    # The editor's own partner's next quarter, filled and submitted: frozen for the editor
    # until the approver sends it back, still open to the administrator.
    submitted = f.report_return(partner=own, period=f.quarter_period(2019, 2))
    world.objects["result.frozen"] = f.result(
        metric=world.obj("metric.own"), period=f.quarter_period(2019, 2), report_return=submitted
    )
    world.objects["outcomestatement.frozen"] = f.outcome_statement(
        activity=world.obj("activity.own"),
        report_return=submitted,
        text="Own partner's submitted narrative",
    )
    f.submit(submitted)
    world.objects["return.frozen"] = submitted
    world.objects["activity.own-spare"] = f.activity(
        programme=world.obj("programme.own"), title="Spare activity", financial_year=f.year(2019)
    )

    world.objects.update(
        {
            "partner.any": own,
            "theme.any": world.obj("programme.own").theme,
            "fundingstream.any": world.obj("allocation.own").funding_stream,
            "financialyear.any": f.year(2019),
            "period.any": f.quarter_period(2019, 1),
            "comparatorarea.any": world.obj("comparator.own").area,
        }
    )

    def staff(*roles, partners=()):
        return f.user(*roles, partners=partners, is_staff=True)

    world.users = {
        "administrator": staff(Role.ADMINISTRATOR),
        "approver": staff(Role.APPROVER),
        "analyst": staff(Role.ANALYST),
        "commissioner": staff(Role.COMMISSIONER),
        "editor": staff(Role.PARTNER_EDITOR, partners=(own,)),
        "anonymous": None,
    }
    world.objects["user.any"] = world.users["analyst"]
    world.objects["group.any"] = world.users["analyst"].groups.get()
    return world


def earlier_period(case: str = "own"):
    """A period before the world's returns: a figure a return may report about the past.

    One per case, so that figures added for the same metric into two returns do not collide.
    """
    return f.year_period({"own": 2018, "frozen": 2017}[case])
