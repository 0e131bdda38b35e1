"""Wirral Neighbourhoods are Safe - Overview 2018/19, transcribed by hand.

Read from the report's text (/work/shared/seed/000_98da799a78586f2e.txt in the project's shared
files) by meaning, row by row and sentence by sentence; nothing here is parsed from it. The PDF
extraction interleaves the table's columns and carries OCR noise: the noise lines are left out,
and every cell is put back in the row it belongs to. The partners' wording and spelling are kept;
only breaks made by the extraction are mended ("24rs" -> "24 hours", "referrals.2 students" ->
"referrals. 2 students", a full stop lost at a line end).

Attribution rule, where the report does not say who reports a figure: the programme's lead
partner reports it, except police-recorded crime statistics, which Merseyside Police reports.
Where the report names no lead for a row, the choice is explained in that row's outcome note.
"""

import datetime
from zoneinfo import ZoneInfo

from .records import (
    ActivityRecord,
    AreaRecord,
    ComparatorRecord,
    MetricRecord,
    PartnerRecord,
    ProgrammeRecord,
    RangeRecord,
    ReportRecord,
    ResultRecord,
    StreamRecord,
    ThemeRecord,
)

TITLE = "Wirral Neighbourhoods are Safe - Overview 2018/19"

# Sources, as a reader would find the figure in the printed report.
OVERVIEW = "Overview 2018/19: overview"
PCC = "Overview 2018/19: PCC Funded Programmes table, row "
CSP = "Overview 2018/19: CSP Funding Element table, row "

PCC_STREAM = "pcc-funded-programmes"
CSP_STREAM = "csp-funding-element"

# Years and ranges are named by key; '2018/19' is the report's own year.
THIS_YEAR = "2018/19"
LAST_YEAR = "2017/18"
YEAR_BEFORE = "2016/17"

PARTNERS = (
    PartnerRecord("merseyside-police", "Merseyside Police", "police"),
    PartnerRecord("wirral-council", "Wirral Council", "council"),
    PartnerRecord("youth-justice-service", "Youth Justice Service", "council"),
    PartnerRecord("family-safety-unit", "Family Safety Unit", "council"),
    PartnerRecord("merseyside-fire-rescue", "Merseyside Fire and Rescue Service", "fire"),
    PartnerRecord("crc", "Community Rehabilitation Company", "probation"),
    PartnerRecord("nps", "National Probation Service", "probation"),
    PartnerRecord("ljmu", "Liverpool John Moores University", "academic"),
    PartnerRecord("connect-us", "Connect Us", "voluntary"),
    PartnerRecord("wirral-together", "Wirral Together", "voluntary"),
    PartnerRecord("got-the-tee-shirt", "#GotTheTeeShirt", "voluntary"),
    PartnerRecord("wirral-ways-to-recovery", "Wirral Ways to Recovery", "health"),
    PartnerRecord("national-citizen-service", "National Citizen Service", "other"),
)

THEMES = (
    ThemeRecord("hate-crime", "Hate crime"),
    ThemeRecord("domestic-abuse", "Domestic abuse"),
    ThemeRecord("anti-social-behaviour", "Anti-social behaviour"),
    ThemeRecord("re-offending", "Re-offending"),
    ThemeRecord("radicalisation-prevent", "Radicalisation and Prevent"),
    ThemeRecord("youth-offending", "Youth offending"),
    ThemeRecord("community-resilience", "Community resilience"),
)

STREAMS = (
    StreamRecord(
        PCC_STREAM,
        "PCC Funded Programmes",
        "Police and Crime Commissioner for Merseyside",
        1,
    ),
    # The report does not say who funds the CSP element, so no funder is recorded.
    StreamRecord(CSP_STREAM, "CSP Funding Element", "", 2),
)

RANGES = (
    RangeRecord(
        "fit-and-fed-2018",
        datetime.date(2018, 7, 1),
        datetime.date(2018, 8, 31),
        "July - August 2018",
    ),
    RangeRecord(
        "national-citizen-service-2018",
        datetime.date(2018, 6, 1),
        datetime.date(2018, 8, 31),
        "June - August 2018",
    ),
    # "Over the Halloween, Mischief night and Bonfire night periods": 31 October to 5 November.
    RangeRecord(
        "operation-banger-2018",
        datetime.date(2018, 10, 31),
        datetime.date(2018, 11, 5),
        "Halloween to Bonfire Night 2018",
    ),
    RangeRecord(
        "pathfinder-2019",
        datetime.date(2019, 1, 1),
        datetime.date(2019, 3, 31),
        "January - March 2019",
    ),
)

AREAS = (
    AreaRecord("england", "England"),
    AreaRecord("merseyside", "Merseyside", "The Merseyside police force area."),
    AreaRecord(
        "home-office-most-similar-group",
        "Home Office most similar group",
        "The areas the Home Office defines as most similar to Wirral.",
        15,
    ),
)

PROGRAMMES = (
    ProgrammeRecord(
        "challenging-racism-hate-crime",
        "Challenging racism and hate crime",
        "hate-crime",
        "wirral-council",
        ("merseyside-police",),
        "Challenging racism workshops and hate crime training for schools, and the Hate MARAC.",
    ),
    ProgrammeRecord(
        "integrated-offender-management",
        "Integrated Offender Management",
        "re-offending",
        "merseyside-police",
        ("crc", "nps"),
        "Supervising prolific offenders in the community.",
    ),
    ProgrammeRecord(
        "target-hardening",
        "Target Hardening",
        "domestic-abuse",
        "wirral-council",
        (),
        "Securing the homes of high risk domestic abuse and hate crime victims.",
    ),
    ProgrammeRecord(
        "schools-training-preventing-extremism",
        "Schools training preventing extremism",
        "radicalisation-prevent",
        "wirral-council",
        (),
        "The 'Skills to Reduce Radicalisation' programme in schools.",
    ),
    ProgrammeRecord(
        "prevent-training",
        "Prevent Training",
        "radicalisation-prevent",
        "wirral-council",
        (),
        "Multi-agency Prevent induction and refresher training.",
    ),
    ProgrammeRecord(
        "community-domestic-abuse-champions",
        "Community Domestic Abuse Champions",
        "domestic-abuse",
        "got-the-tee-shirt",
        (),
        "The #GotTheTeeShirt peer mentoring service for survivors of domestic abuse.",
    ),
    ProgrammeRecord(
        "anti-social-behaviour",
        "Anti Social Behaviour",
        "anti-social-behaviour",
        "wirral-council",
        (),
        "Multi-agency ASB prevention and problem solving through the Safer Wirral Hub.",
    ),
    ProgrammeRecord(
        "youth-offending",
        "Youth Offending",
        "youth-offending",
        "youth-justice-service",
        (),
        "A contribution to Youth Offending Team staffing costs.",
    ),
    ProgrammeRecord(
        "insight-work-bame-lgbt",
        "Insight Work (BAME/LGBT)",
        "domestic-abuse",
        "family-safety-unit",
        (),
        "Insight work on domestic abuse with BAME and LGBT communities.",
    ),
    ProgrammeRecord(
        "iom-review",
        "Integrated Offender Management Review",
        "re-offending",
        "merseyside-police",
        ("crc", "nps"),
        "Whether Integrated Offender Management changes offending behaviour.",
    ),
    ProgrammeRecord(
        "hate-crime-insight-work",
        "Hate Crime Insight Work",
        "hate-crime",
        "wirral-council",
        ("ljmu",),
        "Research into how hate crime is reported to the Hate MARAC.",
    ),
    ProgrammeRecord(
        "domestic-abuse-perpetrator-programmes",
        "Domestic Abuse perpetrator programmes",
        "domestic-abuse",
        "crc",
        (),
        "Programmes changing the behaviour of domestic abuse perpetrators.",
    ),
    ProgrammeRecord(
        "asb-reduction",
        "ASB reduction",
        "anti-social-behaviour",
        "wirral-council",
        ("national-citizen-service",),
        "Diversionary projects for young people: Fit and Fed, Operation Banger, Pathfinder "
        "and National Citizen Service.",
    ),
)

NO_LEAD_NAMED = "The report names no lead partner for this row; "

ACTIVITIES = (
    # --- Police and Crime Commissioner Funded Programmes 2018/19 ---------------------------
    ActivityRecord(
        programme="challenging-racism-hate-crime",
        stream=PCC_STREAM,
        order=1,
        title="Challenging racism and hate crime",
        description=(
            "Deliver challenging racism workshops. Plan and provide staff training on hate "
            "crime and support schools to update policy and procedure. Update data sharing "
            "protocols"
        ),
        expected_outcomes=(
            "Schools supported to build on learning delivered.",
            "Resources will be made available including on-line facilities, learning packs.",
            "Schools Equality Charter: policies, practice, evidence of understanding of "
            "diversity and equality, and whole school commitment to cohesion.",
        ),
        outcome=(
            "The number of referrals to the Hate MARAC increased from 103 in the previous year "
            "to 188. Referrals to Wirral Hate MARAC (Multi Agency Risk Assessment Conference) "
            "have the victim's consent to share details amongst all agencies. This allows a "
            "wrap-around service for the victims concerns and vulnerabilities. Hate crime going "
            "through the criminal justice system also rose from 346 in the previous year to 408 "
            "with Wirral experiencing the highest percentage of solved hate crimes in Merseyside "
            "at 23.5% where the Merseyside average is 14%."
        ),
        outcome_note=(
            NO_LEAD_NAMED + "Wirral Council is recorded as lead because the work is with "
            "schools and council staff. The hate crime figures through the criminal justice "
            "system are police-recorded and are reported by Merseyside Police."
        ),
    ),
    ActivityRecord(
        programme="integrated-offender-management",
        stream=PCC_STREAM,
        order=2,
        title="Integrated Offender Management",
        description="Integrated Offender Management",
        expected_outcomes=(
            "Reduced Reoffending both in terms of level and seriousness of offending",
        ),
        outcome=(
            "On average a monthly total of 80 prolific offenders (including domestic violence "
            "perpetrators) have been supervised in the community with notable reductions in "
            "crime and disorder from amongst this cohort."
        ),
        outcome_note=(
            "The IOM Review row says the Integrated Offender Management process is led by "
            "Police and rehabilitation services (Community Rehabilitation Company and National "
            "Probation Service): Merseyside Police is recorded as lead, the other two as "
            "delivery partners."
        ),
    ),
    ActivityRecord(
        programme="target-hardening",
        stream=PCC_STREAM,
        order=3,
        title="Target Hardening",
        description=(
            "Target Hardening to protect high risk domestic abuse and hate crime victims from "
            "repeat victimisation"
        ),
        expected_outcomes=(
            "Target hardening for properties of vulnerable victims assessed as high risk of "
            "repeat victimisation",
        ),
        outcome=(
            "186 addresses were target-hardened including property damage repairs, increased "
            "security, lock changes and CCTV. Victims deemed at high risk of "
            "repeat-victimisation of either hate crime or domestic abuse are given immediate "
            "respite from the threat placed on their homes. As well as repairs and strengthened "
            "security, CCTV cameras are used, (where appropriate), both as a deterrent and a "
            "means of capturing evidence."
        ),
        outcome_note=NO_LEAD_NAMED + "Wirral Council is recorded as lead.",
    ),
    ActivityRecord(
        programme="schools-training-preventing-extremism",
        stream=PCC_STREAM,
        order=4,
        title="Schools training preventing extremism",
        description="Schools training preventing extremism",
        expected_outcomes=("Developing a skills-based approach to tackling radicalisation",),
        outcome=(
            "The 'Skills to Reduce Radicalisation' programme was delivered in 10 schools "
            "engaging over 400 young people. By training teachers to use a free on-line tool "
            "providing interactive class-based scenarios, pupils are given the opportunity to "
            "understand, practise and thereby develop the skills required to identify and "
            "reject attempts at grooming themselves or others."
        ),
        outcome_note=NO_LEAD_NAMED + "Wirral Council is recorded as lead.",
    ),
    ActivityRecord(
        programme="prevent-training",
        stream=PCC_STREAM,
        order=5,
        title="Prevent Training",
        description="Prevent Training",
        expected_outcomes=(
            "Ensuring induction and refresher training for Prevent is relevant and available.",
            "Creating a Prevent training resource forum to develop trainer skills and identify "
            "training requirements",
        ),
        outcome=(
            "The number of agencies and trainers providing a Prevent multi agency training has "
            "increased from one to three and the numbers trained overall now exceeds 1,000. "
            "This has led to increased numbers of individuals identified as being vulnerable to "
            "radicalisation and extremism being referred through to Police Counter Terrorism "
            "Prevent Team and the Wirral Channel Panel."
        ),
        outcome_note=(
            NO_LEAD_NAMED + "Wirral Council is recorded as lead. A line of OCR noise printed "
            "under the expected outcomes is left out. 'From one to three' is taken as the "
            "previous year (2017/18) to this year; 'now exceeds 1,000' is a running total at "
            "the end of 2018/19, not the year's own count."
        ),
    ),
    ActivityRecord(
        programme="community-domestic-abuse-champions",
        stream=PCC_STREAM,
        order=6,
        title="Community Domestic Abuse Champions",
        description="Creating Community Domestic Abuse Champions",
        expected_outcomes=(
            "Creating mentoring process for victims",
            "Enabling increased referral pathways",
        ),
        outcome=(
            "Wirral manage a peer mentoring service for domestic abuse. This service offers "
            "learned and shared experience for survivors of domestic abuse based within the "
            "community led by volunteers. There are over 24 volunteers and the number is "
            "growing, mainly through word of mouth. The project is called #GotTheTeeShirt based "
            "on the concept that they have been there and done that. In recognition that "
            "isolation, fear, and lack of understanding of the dynamics of abuse can be key "
            "factors in survivors becoming stuck in a cycle of repeat behaviours and outcomes. "
            "#GTTS offers our volunteers accredited training to be a peer mentor, as well as "
            "regular training and development in safeguarding and domestic abuse. #GGTS takes "
            "referrals from all agencies as well as offering a weekly drop in service in a "
            "community café and working in local schools to encourage parents to attend. They "
            "can choose to work 1-2-1 with a mentor or in a group depending on their needs. "
            "Many of our volunteers and client access other services including debt "
            "management, welfare and benefits advice and specialist domestic abuse support for "
            "children."
        ),
        outcome_note=(
            "The report abbreviates #GotTheTeeShirt both as '#GTTS' and as '#GGTS'; both are "
            "kept as printed. The expected outcome 'Creating mentoring process for victims and "
            "enabling increased referral pathways' is split into its two parts. Two lines of "
            "OCR noise printed around this row are left out."
        ),
    ),
    # --- CSP Funding Element ----------------------------------------------------------------
    ActivityRecord(
        programme="anti-social-behaviour",
        stream=CSP_STREAM,
        order=1,
        title="Anti Social Behaviour",
        description="Anti Social Behaviour",
        expected_outcomes=("Evidence based multi-agency ASB prevention and problem solving",),
        outcome=(
            "A reduction of 30% in Wirral residents reporting antisocial behaviour demonstrates "
            "the measure of community confidence and security being experienced across Wirral. "
            "This was a drop from 8,617 ASB incidents to 6,029 incidents in successive years "
            "or 2,588 less ASB incidents in the last year."
        ),
        outcome_note=(
            NO_LEAD_NAMED + "Wirral Council is recorded as lead, as host of the Safer Wirral "
            "Hub. The 30% reduction and the 2,588 fewer incidents are not stored: they are "
            "computed from the two stored counts (8,617 in 2017/18, 6,029 in 2018/19)."
        ),
    ),
    ActivityRecord(
        programme="youth-offending",
        stream=CSP_STREAM,
        order=2,
        title="Youth Offending",
        description="Contribution to Youth Offending Team staffing costs",
        expected_outcomes=(
            "Reduced offenders aged 10-17",
            "Reduction in Re offending",
            "Reduction in First Time Entrants",
        ),
        outcome=(
            "Over the year the Youth Justice Service delivered 669 interventions to 380 people. "
            "This comprised 29 parents and 351 children or young people. Available re-offending "
            "rates are for 2016/17: The re-offences per re-offender average rate for the April "
            "2016 to March 2017 is 5.22. The binary re-offending rate in Wirral for April 2016 "
            "to March 2017 after 12 months is 39%. This compares with a rate of 40.9% across "
            "England and 46.1% across Merseyside"
        ),
        outcome_note=(
            "The overview says '669 interventions to 351 children and 29 parents'; this row "
            "says '669 interventions to 380 people', of whom 29 parents and 351 children or "
            "young people. The two agree (351 + 29 = 380): both are kept, and there is no "
            "contradiction. The re-offending rates describe April 2016 - March 2017 (2016/17) "
            "and are stored for that year, reported in the 2018/19 return."
        ),
    ),
    ActivityRecord(
        programme="insight-work-bame-lgbt",
        stream=CSP_STREAM,
        order=3,
        title="Insight Work (BAME/LGBT)",
        description=(
            "Insight work with BAME & LBGT communities across Wirral to identify the scale of "
            "DA & wider harms and ensure effective referral pathways."
        ),
        expected_outcomes=(
            "Develop a valid method for carrying out the research to produce comprehensive and "
            "credible findings, conclusions and recommendations.",
            "Ethnographic studies - participants from a representative cross-section of the "
            "local BAME and LGBT population.",
            "Production of a final report detailing conclusions and recommendations.",
            "Presentation of the final report to Wirral Domestic Abuse Alliance.",
        ),
        outcome=(
            "Domestic abuse training has been provided to 105 professionals over the last 12 "
            "months. The FSU (Family Safety Unit) provides an Independent Domestic Abuse "
            "Advocate service operating on a 7 day a week basis ensuring contact is attempted "
            "within 24 hours of an incident in 100% of referrals. 2 students have been able to "
            "undertake placements within the family safety Unit. 4 volunteers have given over "
            "300hrs of their time supporting the FSU (Family Safety Unit). 1,145 Children have "
            "been offered support around the effects of domestic abuse with the support of the "
            "FSU and Domestic Abuse MARAC (Multi Agency Risk Assessment Conference). 248 "
            "Clients felt safer at the end of the support. 417 victims where supported with "
            "safety planning. 76 clients were supported to get protective court orders. 66 "
            "Victims where supported in securing safe accommodation after fleeing Domestic "
            "abuse."
        ),
        outcome_note=(
            "Placed by meaning. In the extracted text the Family Safety Unit's figures (105 "
            "professionals trained, IDVA contact within 24 hours in 100% of referrals, 2 "
            "student placements, 4 volunteers over 300 hours, 1,145 children, 248 clients who "
            "felt safer) are printed under this row and the rest (417 victims safety planning, "
            "76 protective court orders, 66 safe accommodation) run on into the IOM Review "
            "row. All of them describe the Family Safety Unit's domestic abuse service, none "
            "the review of offender management, so all are kept here, with the Family Safety "
            "Unit as lead. The row's expected outcomes (the four research steps) are not "
            "reported on: these figures are about the service, not the research. The report's "
            "'LBGT' in the activity and 'where supported' are kept as printed; breaks made by "
            "the extraction (a clipped '24 hours', a lost space after 'referrals.', a lost full "
            "stop) are mended."
        ),
    ),
    ActivityRecord(
        programme="iom-review",
        stream=CSP_STREAM,
        order=4,
        title="IOM Review",
        description="Integrated Offender Management (IOM) Review",
        expected_outcomes=(
            "Academic rigour / scrutiny of assessment whether the IOM programme is successful "
            "in delivering changes in offending behaviour",
        ),
        outcome=(
            "This process demonstrates the reduction of both repeat-victimisation rates and "
            "repeat offending rates for the cohort of prolific domestic abuse offenders "
            "identified by the integrated Offender Management Team. The Integrated Offender "
            "Management process is led by Police and rehabilitation services: Community "
            "Rehabilitation Company and National Probation Service."
        ),
        outcome_note=(
            "The Family Safety Unit's figures printed at the top of this row in the extracted "
            "text (417, 76, 66) belong to the Insight Work (BAME/LGBT) row and are kept there. "
            "The report names no lead for the review; as the IOM process is led by Police with "
            "the Community Rehabilitation Company and National Probation Service, Merseyside "
            "Police is recorded as lead and the other two as delivery partners."
        ),
    ),
    ActivityRecord(
        programme="hate-crime-insight-work",
        stream=CSP_STREAM,
        order=5,
        title="Hate Crime Insight Work",
        description=(
            "Mapping scale, scope and adequacy of processes in reporting hate crime to the MARAC"
        ),
        expected_outcomes=("Increased reporting of hate crime (reduced under reporting)",),
        outcome=(
            "Liverpool John Moores University commissioned to conduct a series of structured "
            "interviews of both hate crime victim advocate agencies and hate crime victims to "
            "assess the success of the Wirral hate Crime MARAC (Multi Agency Risk Assessment "
            "Conference) process. An increase in 'hard to reach' groups seeking support has "
            "included representation from the travelling community, asylum seekers, refugees, "
            "sex workers, and victims of historic abuse."
        ),
        outcome_note=(
            NO_LEAD_NAMED + "Wirral Council is recorded as the commissioning lead and "
            "Liverpool John Moores University, which the report says was commissioned, as the "
            "delivery partner."
        ),
    ),
    ActivityRecord(
        programme="domestic-abuse-perpetrator-programmes",
        stream=CSP_STREAM,
        order=6,
        title="Domestic Abuse perpetrator programmes",
        description="Domestic Abuse perpetrator programmes",
        expected_outcomes=("Change the offending behaviour of domestic abuse perpetrator",),
        outcome=(
            "The process addresses criminogenic need such as Education, Employment, Housing, "
            "Mental Health and Drug and Alcohol issues as well as a programme forcing offenders "
            "to confront their offending behaviours."
        ),
        outcome_note=(
            NO_LEAD_NAMED + "the Community Rehabilitation Company is recorded as lead, as the "
            "rehabilitation service that addresses offenders' criminogenic needs."
        ),
    ),
    ActivityRecord(
        programme="asb-reduction",
        stream=CSP_STREAM,
        order=7,
        title="ASB reduction",
        description="ASB reduction",
        expected_outcomes=(
            "Reductions in levels of antisocial behaviour in targeted areas.",
            "Increased training and education opportunities for young people.",
            "Referrals into partner services of young people who would otherwise not engage "
            "with such services.",
            "Increased levels of physical activity by young people.",
        ),
        outcome=(
            "PCC funded posts engaged in a variety of projects complemented by external funding: "
            "Fit and Fed \N{EN DASH} July and August (Summer Holidays) a Summer programme for "
            "over 500 young people who engaged in sporting activity and received 2 healthy meals "
            "throughout the day as part of the delivery model. Operation Banger engaged with over"
            " 200 young people in diversionary activities over the Halloween, Mischief night and "
            "Bonfire night periods to deter them from ASB in hot-spot locations. Pathfinder "
            "Project was delivered in 7 Schools, to over 280 students from Years 10 and 11. The "
            "project targeted students at risk of exclusion over January, February and March to "
            "improve relations with the Police. Topics included Knife Crime, Scrambler Bikes, "
            "Criminality and Gangs, Substance mis-use, and Domestic Violence. National Citizen "
            "Service engaged over 200 sixteen-year-old school leavers over June, July and August "
            "working for 4 weeks at a residential home residential resulting in a project to "
            "benefit the local community."
        ),
        outcome_note=(
            NO_LEAD_NAMED + "Wirral Council is recorded as lead and National Citizen Service "
            "as a delivery partner. The overview says Fit & Fed served '500 young people', "
            "this row 'over 500 young people': one result is kept, with the row's 'over'. "
            "'A residential home residential' is kept as printed. The 4 weeks of National "
            "Citizen Service is a duration, not a measured figure, and no unit holds weeks: it "
            "stays in this narrative and in the metric's definition."
        ),
    ),
)


def _row(table: str, title: str) -> str:
    return (PCC if table == "pcc" else CSP) + title


def _r(period: str, value: str, source: str, qualifier: str = "exact", note: str = ""):
    return ResultRecord(period=period, value=value, source=source, qualifier=qualifier, note=note)


STATED_CHANGE = (
    "A change as the report states it, without the figures it was worked out from; it is "
    "stored as stated, not computed, because the report gives no base to compute it from."
)

METRICS = (
    # --- Area-wide (overview) ---------------------------------------------------------------
    MetricRecord(
        slug="crime-rate",
        name="Crime rate",
        description="Police-recorded crimes per 1,000 population over the year.",
        unit="rate_per_1000",
        direction="lower",
        aggregation="latest",
        partner="merseyside-police",
        is_headline=True,
        results=(
            _r(
                THIS_YEAR,
                "79",
                OVERVIEW,
                note="'79 crimes per thousand population over the last year'.",
            ),
        ),
        comparators=(
            ComparatorRecord(
                period=THIS_YEAR,
                area="home-office-most-similar-group",
                rank=4,
                rank_order="lowest",
                group_size=15,
                note="'Wirral has maintained the 4th lowest crime rate throughout the year, "
                "when compared to the 15 similar areas defined by the Home Office.'",
            ),
            ComparatorRecord(
                period=THIS_YEAR,
                area="merseyside",
                rank=1,
                rank_order="lowest",
                rank_is_shared=True,
                shared_with="Sefton",
                note="Shared with Sefton: 'Wirral shares the lowest crime rate in Merseyside "
                "with Sefton'.",
            ),
        ),
    ),
    MetricRecord(
        slug="police-recorded-crime-rise-stated",
        name="Rise in police-recorded crime (as stated)",
        description=STATED_CHANGE + " The report adds that the rise 'does not necessarily "
        "reflect what occurs on the street' (changes in recording, more reporting of "
        "under-reported crime), so it is given no direction.",
        unit="percentage",
        direction="neither",
        aggregation="latest",
        partner="merseyside-police",
        is_headline=True,
        results=(
            _r(
                THIS_YEAR,
                "10",
                OVERVIEW,
                note="'There was a 10% rise in crimes recorded by the Police'; the counts "
                "before and after are not published.",
            ),
        ),
    ),
    MetricRecord(
        slug="good-neighbour-sign-ups",
        name="Residents signed up to the Good Neighbour scheme",
        description="Wirral residents signed up to the Good Neighbour scheme, as a running "
        "total ('has now reached').",
        unit="count",
        unit_label="residents",
        unit_label_singular="resident",
        direction="higher",
        aggregation="latest",
        partner="connect-us",
        theme="community-resilience",
        is_headline=True,
        results=(_r(THIS_YEAR, "6228", OVERVIEW, note="A running total at the year's end."),),
    ),
    MetricRecord(
        slug="connect-us-householders-called-on",
        name="Householders called on by Connect Us",
        description="Householders the 'Connect Us' group called on for the Good Neighbour scheme.",
        unit="count",
        unit_label="householders",
        unit_label_singular="householder",
        direction="higher",
        aggregation="sum",
        partner="connect-us",
        theme="community-resilience",
        is_headline=True,
        results=(_r(THIS_YEAR, "30665", OVERVIEW),),
    ),
    MetricRecord(
        slug="arson-reduction-campaigns",
        name="Arson reduction campaigns run by Wirral Together",
        unit="count",
        unit_label="campaigns",
        unit_label_singular="campaign",
        direction="higher",
        aggregation="sum",
        partner="wirral-together",
        theme="community-resilience",
        is_headline=True,
        results=(_r(THIS_YEAR, "19", OVERVIEW),),
    ),
    MetricRecord(
        slug="arson-reduction-interventions",
        name="Interventions in arson reduction campaigns",
        description="Interventions made within Wirral Together's arson reduction campaigns.",
        unit="count",
        unit_label="interventions",
        unit_label_singular="intervention",
        direction="higher",
        aggregation="sum",
        partner="wirral-together",
        theme="community-resilience",
        is_headline=True,
        results=(_r(THIS_YEAR, "1637", OVERVIEW),),
    ),
    MetricRecord(
        slug="clean-up-waste-cleared",
        name="Waste cleared on clean up days in Birkenhead and Tranmere",
        description="Waste cleared from 'grot spot' areas of Birkenhead and Tranmere Ward "
        "alone, during clean up days with communities, voluntary groups, Council, Police, Fire "
        "service and former offenders on Community Payback.",
        unit="tonnes",
        direction="higher",
        aggregation="sum",
        partner="wirral-council",
        theme="community-resilience",
        is_headline=True,
        results=(
            _r(
                THIS_YEAR,
                "23",
                OVERVIEW,
                note="The report does not say which partner counted it; Wirral Council is "
                "recorded as reporting it.",
            ),
        ),
    ),
    MetricRecord(
        slug="reduce-the-strength-off-licences",
        name="Off-licences in the Reduce the Strength initiative",
        description="Off-licences that volunteered to end the sale of cheap high-alcohol "
        "drinks and refer people for support.",
        unit="count",
        unit_label="off-licences",
        unit_label_singular="off-licence",
        direction="higher",
        aggregation="latest",
        partner="wirral-council",
        theme="community-resilience",
        is_headline=True,
        results=(
            _r(
                THIS_YEAR,
                "107",
                OVERVIEW,
                note="The report does not say which partner counted it; Wirral Council is "
                "recorded as reporting it.",
            ),
        ),
    ),
    # --- PCC: challenging racism and hate crime -----------------------------------------------
    MetricRecord(
        slug="hate-marac-referrals",
        name="Referrals to the Hate MARAC",
        unit="count",
        unit_label="referrals",
        unit_label_singular="referral",
        direction="higher",
        aggregation="sum",
        partner="wirral-council",
        programme="challenging-racism-hate-crime",
        description="Referrals to Wirral Hate MARAC; more referrals mean more victims reached.",
        results=(
            _r(
                LAST_YEAR,
                "103",
                _row("pcc", "Challenging racism and hate crime"),
                note="'103 in the previous year'.",
            ),
            _r(THIS_YEAR, "188", _row("pcc", "Challenging racism and hate crime")),
        ),
    ),
    MetricRecord(
        slug="hate-crime-through-cjs",
        name="Hate crimes going through the criminal justice system",
        unit="count",
        unit_label="hate crimes",
        unit_label_singular="hate crime",
        direction="higher",
        aggregation="sum",
        partner="merseyside-police",
        programme="challenging-racism-hate-crime",
        results=(
            _r(
                LAST_YEAR,
                "346",
                _row("pcc", "Challenging racism and hate crime"),
                note="'346 in the previous year'.",
            ),
            _r(THIS_YEAR, "408", _row("pcc", "Challenging racism and hate crime")),
        ),
    ),
    MetricRecord(
        slug="hate-crimes-solved",
        name="Hate crimes solved",
        description="The percentage of recorded hate crimes that were solved.",
        unit="percentage",
        direction="higher",
        aggregation="latest",
        decimal_places=1,
        partner="merseyside-police",
        programme="challenging-racism-hate-crime",
        results=(_r(THIS_YEAR, "23.5", _row("pcc", "Challenging racism and hate crime")),),
        comparators=(
            ComparatorRecord(
                period=THIS_YEAR,
                area="merseyside",
                value="14",
                rank=1,
                rank_order="highest",
                note="'the highest percentage of solved hate crimes in Merseyside at 23.5% "
                "where the Merseyside average is 14%'.",
            ),
        ),
    ),
    # --- PCC: IOM, target hardening, schools, Prevent, DA champions -----------------------
    MetricRecord(
        slug="iom-prolific-offenders-supervised",
        name="Prolific offenders supervised in the community per month",
        description="The monthly average of prolific offenders (including domestic violence "
        "perpetrators) supervised through Integrated Offender Management: a caseload.",
        unit="count",
        unit_label="prolific offenders",
        unit_label_singular="prolific offender",
        direction="neither",
        aggregation="average",
        partner="merseyside-police",
        programme="integrated-offender-management",
        evidences=(1,),
        results=(_r(THIS_YEAR, "80", _row("pcc", "Integrated Offender Management")),),
    ),
    MetricRecord(
        slug="addresses-target-hardened",
        name="Addresses target-hardened",
        unit="count",
        unit_label="addresses",
        unit_label_singular="address",
        direction="higher",
        aggregation="sum",
        partner="wirral-council",
        programme="target-hardening",
        evidences=(1,),
        results=(_r(THIS_YEAR, "186", _row("pcc", "Target Hardening")),),
    ),
    MetricRecord(
        slug="skills-to-reduce-radicalisation-schools",
        name="Schools delivering Skills to Reduce Radicalisation",
        unit="count",
        unit_label="schools",
        unit_label_singular="school",
        direction="higher",
        aggregation="sum",
        partner="wirral-council",
        programme="schools-training-preventing-extremism",
        evidences=(1,),
        results=(_r(THIS_YEAR, "10", _row("pcc", "Schools training preventing extremism")),),
    ),
    MetricRecord(
        slug="skills-to-reduce-radicalisation-young-people",
        name="Young people engaged by Skills to Reduce Radicalisation",
        unit="count",
        unit_label="young people",
        unit_label_singular="young person",
        direction="higher",
        aggregation="sum",
        partner="wirral-council",
        programme="schools-training-preventing-extremism",
        evidences=(1,),
        results=(
            _r(THIS_YEAR, "400", _row("pcc", "Schools training preventing extremism"), "over"),
        ),
    ),
    MetricRecord(
        slug="prevent-training-providers",
        name="Agencies and trainers providing Prevent multi-agency training",
        unit="count",
        unit_label="agencies and trainers",
        direction="higher",
        aggregation="latest",
        partner="wirral-council",
        programme="prevent-training",
        evidences=(1,),
        results=(
            _r(
                LAST_YEAR,
                "1",
                _row("pcc", "Prevent Training"),
                note="'has increased from one to three': 'one' is taken as the previous year.",
            ),
            _r(THIS_YEAR, "3", _row("pcc", "Prevent Training")),
        ),
    ),
    MetricRecord(
        slug="prevent-trained-running-total",
        name="People trained in Prevent (running total)",
        description="Everyone trained in Prevent multi-agency training so far, not only in "
        "the year ('the numbers trained overall now exceeds 1,000').",
        unit="count",
        unit_label="people trained",
        unit_label_singular="person trained",
        direction="higher",
        aggregation="latest",
        partner="wirral-council",
        programme="prevent-training",
        evidences=(1,),
        results=(
            _r(
                THIS_YEAR,
                "1000",
                _row("pcc", "Prevent Training"),
                "over",
                note="A running total at the end of 2018/19.",
            ),
        ),
    ),
    MetricRecord(
        slug="gtts-volunteers",
        name="#GotTheTeeShirt peer mentoring volunteers",
        description="Volunteers in the peer mentoring service; a headcount, so the year takes "
        "the latest figure.",
        unit="count",
        unit_label="volunteers",
        unit_label_singular="volunteer",
        direction="higher",
        aggregation="latest",
        partner="got-the-tee-shirt",
        programme="community-domestic-abuse-champions",
        evidences=(1,),
        results=(
            _r(
                THIS_YEAR,
                "24",
                _row("pcc", "Community Domestic Abuse Champions"),
                "over",
                note="'There are over 24 volunteers and the number is growing'.",
            ),
        ),
    ),
    # --- CSP: anti-social behaviour -----------------------------------------------------------
    MetricRecord(
        slug="asb-incidents",
        name="Anti-social behaviour incidents",
        description="Anti-social behaviour incidents reported by Wirral residents. The change "
        "between years is computed from these counts, never stored.",
        unit="count",
        unit_label="incidents",
        unit_label_singular="incident",
        direction="lower",
        aggregation="sum",
        partner="wirral-council",
        programme="anti-social-behaviour",
        evidences=(1,),
        is_headline=True,
        results=(
            _r(LAST_YEAR, "8617", _row("csp", "Anti Social Behaviour")),
            _r(
                THIS_YEAR,
                "6029",
                OVERVIEW + "; " + _row("csp", "Anti Social Behaviour"),
                note="The overview's 'reduction of 30%' and the row's '2,588 less ASB "
                "incidents' are computed from 8,617 (2017/18) and 6,029 (2018/19).",
            ),
        ),
    ),
    # --- CSP: youth offending -----------------------------------------------------------------
    MetricRecord(
        slug="yjs-interventions",
        name="Youth Justice Service interventions",
        unit="count",
        unit_label="interventions",
        unit_label_singular="intervention",
        direction="higher",
        aggregation="sum",
        partner="youth-justice-service",
        programme="youth-offending",
        evidences=(1, 2, 3),
        is_headline=True,
        results=(_r(THIS_YEAR, "669", OVERVIEW + "; " + _row("csp", "Youth Offending")),),
    ),
    MetricRecord(
        slug="yjs-people-supported",
        name="People receiving Youth Justice Service interventions",
        description="Children or young people and parents together.",
        unit="count",
        unit_label="people",
        unit_label_singular="person",
        direction="higher",
        aggregation="sum",
        partner="youth-justice-service",
        programme="youth-offending",
        results=(
            _r(
                THIS_YEAR,
                "380",
                _row("csp", "Youth Offending"),
                note="The overview gives 351 children and 29 parents, this row 380 people; "
                "351 + 29 = 380, so the two agree.",
            ),
        ),
    ),
    MetricRecord(
        slug="yjs-children-supported",
        name="Children and young people receiving Youth Justice Service interventions",
        unit="count",
        unit_label="children or young people",
        unit_label_singular="child or young person",
        direction="higher",
        aggregation="sum",
        partner="youth-justice-service",
        programme="youth-offending",
        is_headline=True,
        results=(_r(THIS_YEAR, "351", OVERVIEW + "; " + _row("csp", "Youth Offending")),),
    ),
    MetricRecord(
        slug="yjs-parents-supported",
        name="Parents receiving Youth Justice Service interventions",
        unit="count",
        unit_label="parents",
        unit_label_singular="parent",
        direction="higher",
        aggregation="sum",
        partner="youth-justice-service",
        programme="youth-offending",
        is_headline=True,
        results=(_r(THIS_YEAR, "29", OVERVIEW + "; " + _row("csp", "Youth Offending")),),
    ),
    MetricRecord(
        slug="youth-reoffending-rate-decrease-stated",
        name="Decrease in the youth re-offending rate (as stated)",
        description=STATED_CHANGE + " The report does not say whether the 3.3% is relative "
        "or in percentage points, nor between which periods.",
        unit="percentage",
        direction="neither",
        aggregation="latest",
        decimal_places=1,
        partner="youth-justice-service",
        programme="youth-offending",
        evidences=(2,),
        is_headline=True,
        results=(
            _r(
                THIS_YEAR,
                "3.3",
                OVERVIEW,
                note="'The youth re-offending rate has decreased by 3.3%'.",
            ),
        ),
    ),
    MetricRecord(
        slug="youth-reoffences-per-reoffender",
        name="Youth re-offences per re-offender",
        description="The average number of re-offences per re-offender.",
        unit="rate_per_reoffender",
        direction="lower",
        aggregation="latest",
        decimal_places=2,
        partner="youth-justice-service",
        programme="youth-offending",
        evidences=(2,),
        results=(
            _r(
                YEAR_BEFORE,
                "5.22",
                _row("csp", "Youth Offending"),
                note="For April 2016 to March 2017, the latest rates available.",
            ),
        ),
    ),
    MetricRecord(
        slug="youth-binary-reoffending-rate",
        name="Youth binary re-offending rate",
        description="The percentage of offenders who re-offend within 12 months.",
        unit="percentage",
        direction="lower",
        aggregation="latest",
        partner="youth-justice-service",
        programme="youth-offending",
        evidences=(2,),
        results=(
            _r(
                YEAR_BEFORE,
                "39",
                _row("csp", "Youth Offending"),
                note="For April 2016 to March 2017, after 12 months.",
            ),
        ),
        comparators=(
            ComparatorRecord(period=YEAR_BEFORE, area="england", value="40.9"),
            ComparatorRecord(period=YEAR_BEFORE, area="merseyside", value="46.1"),
        ),
    ),
    # --- CSP: Family Safety Unit (printed under Insight Work and IOM Review) ------------------
    MetricRecord(
        slug="fsu-professionals-trained",
        name="Professionals given domestic abuse training",
        unit="count",
        unit_label="professionals",
        unit_label_singular="professional",
        direction="higher",
        aggregation="sum",
        partner="family-safety-unit",
        programme="insight-work-bame-lgbt",
        results=(
            _r(
                THIS_YEAR,
                "105",
                _row("csp", "Insight Work (BAME/LGBT)"),
                note="'over the last 12 months'.",
            ),
        ),
    ),
    MetricRecord(
        slug="fsu-idva-contact-within-24-hours",
        name="Referrals with IDVA contact attempted within 24 hours",
        description="Referrals in which the Independent Domestic Abuse Advocate service "
        "attempted contact within 24 hours of an incident.",
        unit="percentage",
        direction="higher",
        aggregation="latest",
        partner="family-safety-unit",
        programme="insight-work-bame-lgbt",
        results=(_r(THIS_YEAR, "100", _row("csp", "Insight Work (BAME/LGBT)")),),
    ),
    MetricRecord(
        slug="fsu-student-placements",
        name="Student placements in the Family Safety Unit",
        unit="count",
        unit_label="students",
        unit_label_singular="student",
        direction="higher",
        aggregation="sum",
        partner="family-safety-unit",
        programme="insight-work-bame-lgbt",
        results=(_r(THIS_YEAR, "2", _row("csp", "Insight Work (BAME/LGBT)")),),
    ),
    MetricRecord(
        slug="fsu-volunteers",
        name="Family Safety Unit volunteers",
        description="A headcount, so the year takes the latest figure.",
        unit="count",
        unit_label="volunteers",
        unit_label_singular="volunteer",
        direction="higher",
        aggregation="latest",
        partner="family-safety-unit",
        programme="insight-work-bame-lgbt",
        results=(_r(THIS_YEAR, "4", _row("csp", "Insight Work (BAME/LGBT)")),),
    ),
    MetricRecord(
        slug="fsu-volunteer-hours",
        name="Volunteer hours given to the Family Safety Unit",
        unit="hours",
        direction="higher",
        aggregation="sum",
        partner="family-safety-unit",
        programme="insight-work-bame-lgbt",
        results=(
            _r(
                THIS_YEAR,
                "300",
                _row("csp", "Insight Work (BAME/LGBT)"),
                "over",
                note="'4 volunteers have given over 300hrs of their time'.",
            ),
        ),
    ),
    MetricRecord(
        slug="fsu-children-offered-support",
        name="Children offered support around the effects of domestic abuse",
        unit="count",
        unit_label="children",
        unit_label_singular="child",
        direction="higher",
        aggregation="sum",
        partner="family-safety-unit",
        programme="insight-work-bame-lgbt",
        results=(_r(THIS_YEAR, "1145", _row("csp", "Insight Work (BAME/LGBT)")),),
    ),
    MetricRecord(
        slug="fsu-clients-felt-safer",
        name="Clients who felt safer at the end of support",
        unit="count",
        unit_label="clients",
        unit_label_singular="client",
        direction="higher",
        aggregation="sum",
        partner="family-safety-unit",
        programme="insight-work-bame-lgbt",
        results=(_r(THIS_YEAR, "248", _row("csp", "Insight Work (BAME/LGBT)")),),
    ),
    MetricRecord(
        slug="fsu-victims-safety-planning",
        name="Victims supported with safety planning",
        unit="count",
        unit_label="victims",
        unit_label_singular="victim",
        direction="higher",
        aggregation="sum",
        partner="family-safety-unit",
        programme="insight-work-bame-lgbt",
        results=(
            _r(
                THIS_YEAR,
                "417",
                _row("csp", "Insight Work (BAME/LGBT)"),
                note="Printed in the IOM Review row of the extracted text; placed here by meaning.",
            ),
        ),
    ),
    MetricRecord(
        slug="fsu-protective-court-orders",
        name="Clients supported to get protective court orders",
        unit="count",
        unit_label="clients",
        unit_label_singular="client",
        direction="higher",
        aggregation="sum",
        partner="family-safety-unit",
        programme="insight-work-bame-lgbt",
        results=(
            _r(
                THIS_YEAR,
                "76",
                _row("csp", "Insight Work (BAME/LGBT)"),
                note="Printed in the IOM Review row of the extracted text; placed here by meaning.",
            ),
        ),
    ),
    MetricRecord(
        slug="fsu-safe-accommodation",
        name="Victims supported to secure safe accommodation",
        description="Victims supported in securing safe accommodation after fleeing domestic "
        "abuse.",
        unit="count",
        unit_label="victims",
        unit_label_singular="victim",
        direction="higher",
        aggregation="sum",
        partner="family-safety-unit",
        programme="insight-work-bame-lgbt",
        results=(
            _r(
                THIS_YEAR,
                "66",
                _row("csp", "Insight Work (BAME/LGBT)"),
                note="Printed in the IOM Review row of the extracted text; placed here by meaning.",
            ),
        ),
    ),
    # --- CSP: ASB reduction -------------------------------------------------------------------
    MetricRecord(
        slug="fit-and-fed-young-people",
        name="Young people in Fit and Fed",
        description="Young people in the summer programme of sport and two healthy meals a day.",
        unit="count",
        unit_label="young people",
        unit_label_singular="young person",
        direction="higher",
        aggregation="sum",
        partner="wirral-council",
        programme="asb-reduction",
        evidences=(4,),
        is_headline=True,
        results=(
            _r(
                "fit-and-fed-2018",
                "500",
                OVERVIEW + "; " + _row("csp", "ASB reduction"),
                "over",
                note="The overview says 'the 'Fit & Fed' initiative combined sports and two "
                "healthy meals for 500 young people'; the ASB reduction row says 'a Summer "
                "programme for over 500 young people'. One result is kept, as 'over 500': a "
                "lower bound, the more cautious reading of the two.",
            ),
        ),
    ),
    MetricRecord(
        slug="operation-banger-young-people",
        name="Young people engaged by Operation Banger",
        description="Young people in diversionary activities over Halloween, Mischief Night "
        "and Bonfire Night, to deter them from ASB in hot-spot locations.",
        unit="count",
        unit_label="young people",
        unit_label_singular="young person",
        direction="higher",
        aggregation="sum",
        partner="wirral-council",
        programme="asb-reduction",
        evidences=(1,),
        results=(_r("operation-banger-2018", "200", _row("csp", "ASB reduction"), "over"),),
    ),
    MetricRecord(
        slug="pathfinder-schools",
        name="Schools in the Pathfinder Project",
        unit="count",
        unit_label="schools",
        unit_label_singular="school",
        direction="higher",
        aggregation="sum",
        partner="wirral-council",
        programme="asb-reduction",
        evidences=(2,),
        results=(_r("pathfinder-2019", "7", _row("csp", "ASB reduction")),),
    ),
    MetricRecord(
        slug="pathfinder-students",
        name="Students in the Pathfinder Project",
        description="Students from Years 10 and 11 at risk of exclusion.",
        unit="count",
        unit_label="students",
        unit_label_singular="student",
        direction="higher",
        aggregation="sum",
        partner="wirral-council",
        programme="asb-reduction",
        evidences=(2,),
        results=(_r("pathfinder-2019", "280", _row("csp", "ASB reduction"), "over"),),
    ),
    MetricRecord(
        slug="ncs-school-leavers",
        name="School leavers engaged by National Citizen Service",
        description="Sixteen-year-old school leavers, each working for 4 weeks (the report's "
        "figure; no unit holds weeks) towards a project to benefit the local community.",
        unit="count",
        unit_label="school leavers",
        unit_label_singular="school leaver",
        direction="higher",
        aggregation="sum",
        partner="wirral-council",
        programme="asb-reduction",
        evidences=(2,),
        results=(_r("national-citizen-service-2018", "200", _row("csp", "ASB reduction"), "over"),),
    ),
)

REPORT = ReportRecord(
    title=TITLE,
    start_year=2018,
    years=(2016, 2017, 2018),
    # The report carries no publication date: the day after its year ended stands in, fixed so
    # that every run writes the same value. Midnight in Wirral, not in UTC, or pages (which show
    # local time) would say it was approved at 01:00.
    approved_at=datetime.datetime(2019, 4, 1, tzinfo=ZoneInfo("Europe/London")),
    approval_note="Published in " + TITLE,
    partners=PARTNERS,
    themes=THEMES,
    streams=STREAMS,
    areas=AREAS,
    programmes=PROGRAMMES,
    activities=ACTIVITIES,
    metrics=METRICS,
    ranges=RANGES,
    allocation_note=(
        "Funded from this stream in 2018/19 according to " + TITLE + ", which publishes no "
        "amounts; the amount is left empty rather than guessed."
    ),
)
