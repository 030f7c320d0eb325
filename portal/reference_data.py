"""Seed values of the reference data an administrator can change later (Dutch and English)."""

from __future__ import annotations

from typing import NamedTuple


class EndReasonSeed(NamedTuple):
    code: str
    label_nl: str
    label_en: str
    needs_explanation: bool = False


# The fixed list of why placements end (issue 4): the region counts these.
END_REASONS: tuple[EndReasonSeed, ...] = (
    EndReasonSeed("no_match", "Geen goede match", "Not a good match"),
    EndReasonSeed(
        "capacity_overestimated",
        "Belastbaarheid overschat (te zwaar / te veel uren)",
        "Capacity overestimated (too heavy / too many hours)",
    ),
    EndReasonSeed(
        "capacity_underestimated", "Belastbaarheid onderschat", "Capacity underestimated"
    ),
    EndReasonSeed("work_disappoints", "Werk valt tegen", "The work is disappointing"),
    EndReasonSeed(
        "employer_expectations",
        "Onrealistische verwachtingen werkgever",
        "Unrealistic expectations of the employer",
    ),
    EndReasonSeed(
        "insufficient_performance", "Onvoldoende functioneren", "Insufficient performance"
    ),
    EndReasonSeed(
        "guidance_need_too_high", "Begeleidingsbehoefte te groot", "Need for guidance too high"
    ),
    EndReasonSeed("refuses_guidance", "Accepteert begeleiding niet", "Does not accept guidance"),
    EndReasonSeed(
        "no_guidance_arranged",
        "Geen jobcoach of begeleiding geregeld",
        "No jobcoach or guidance arranged",
    ),
    EndReasonSeed("not_work_ready", "Nog niet werkfit", "Not yet ready for work"),
    EndReasonSeed("health_worse", "Gezondheid verslechterd", "Health got worse"),
    EndReasonSeed("problems_outside_work", "Problemen buiten het werk", "Problems outside work"),
    EndReasonSeed(
        "new_manager_or_colleagues",
        "Wisseling leidinggevende of collega's",
        "Change of manager or colleagues",
    ),
    EndReasonSeed(
        "reorganisation", "Reorganisatie of ander takenpakket", "Reorganisation or different tasks"
    ),
    EndReasonSeed("high_workload", "Hoge werkdruk", "High workload"),
    EndReasonSeed(
        "chain_full",
        "Keten vol zonder vast contract",
        "Contract chain full without a permanent contract",
    ),
    EndReasonSeed(
        "costs_outweigh_productivity",
        "Kosten en begeleiding wegen niet op tegen productiviteit",
        "Costs and guidance outweigh productivity",
    ),
    EndReasonSeed(
        "loonwaarde_dispute",
        "Verschil van inzicht over loonwaarde",
        "Disagreement about the loonwaarde",
    ),
    EndReasonSeed(
        "no_budget", "Geen structurele formatie of budget", "No structural position or budget"
    ),
    EndReasonSeed(
        "no_permanent_contracts",
        "Werkgever biedt geen vaste contracten",
        "Employer offers no permanent contracts",
    ),
    EndReasonSeed("employer_fears_risks", "Werkgever vreest risico's", "Employer fears risks"),
    EndReasonSeed("work_does_not_pay", "Werken loont niet", "Working does not pay"),
    EndReasonSeed("provision_too_late", "Voorziening kwam te laat", "A provision came too late"),
    EndReasonSeed(
        "ended_by_uwv_or_municipality",
        "Beëindigd door UWV of gemeente",
        "Ended by UWV or the municipality",
    ),
    EndReasonSeed(
        "other_work_or_education",
        "Ander werk of opleiding gevonden",
        "Found other work or education",
    ),
    EndReasonSeed("other", "Overig", "Other", needs_explanation=True),
)


class ProblemCategorySeed(NamedTuple):
    code: str
    label_nl: str
    label_en: str
    outside_work: bool = False


# What a melding can be about (issue 6). "Problems outside work" gets the buurtteam referral.
PROBLEM_CATEGORIES: tuple[ProblemCategorySeed, ...] = (
    ProblemCategorySeed(
        "supervisor_change",
        "Nieuwe leidinggevende of de werkbegeleider vertrekt",
        "New supervisor, or the work coach leaves",
    ),
    ProblemCategorySeed("reorganisation", "Reorganisatie", "Reorganisation"),
    ProblemCategorySeed(
        "tasks_or_hours", "Andere taken of andere uren", "Change of tasks or hours"
    ),
    ProblemCategorySeed("conflict", "Conflict", "Conflict"),
    ProblemCategorySeed("functioning", "Functioneren of gedrag", "Functioning or behaviour"),
    ProblemCategorySeed("workload", "Werkdruk of vermoeidheid", "Workload or fatigue"),
    ProblemCategorySeed(
        "health",
        "Gezondheid lijkt slechter (geen details)",
        "Health seems worse (no details)",
    ),
    ProblemCategorySeed(
        "outside_work",
        "Problemen buiten het werk (geld, wonen, relatie, psychisch)",
        "Problems outside work (money, housing, relationship, mental health)",
        outside_work=True,
    ),
    ProblemCategorySeed("travel", "Reizen naar het werk", "Travel to work"),
    ProblemCategorySeed(
        "not_renewed", "Het contract wordt niet verlengd", "The contract will not be renewed"
    ),
    ProblemCategorySeed("other", "Iets anders", "Something else"),
)


# Where workers with problems outside work are referred (DESIGN §8): the buurtteam or social team
# of their municipality. The seed has each municipality's own website as the way in; the
# administrator fills in the team's exact name and phone number.
MUNICIPALITY_WEBSITES: dict[str, str] = {
    "Bunnik": "https://www.bunnik.nl",
    "De Bilt": "https://www.debilt.nl",
    "Houten": "https://www.houten.nl",
    "IJsselstein": "https://www.ijsselstein.nl",
    "Lopik": "https://www.lopik.nl",
    "Montfoort": "https://www.montfoort.nl",
    "Nieuwegein": "https://www.nieuwegein.nl",
    "Oudewater": "https://www.oudewater.nl",
    "Stichtse Vecht": "https://www.stichtsevecht.nl",
    "Utrecht": "https://www.utrecht.nl",
    "Utrechtse Heuvelrug": "https://www.heuvelrug.nl",
    "Wijk bij Duurstede": "https://www.wijkbijduurstede.nl",
    "Woerden": "https://www.woerden.nl",
    "Zeist": "https://www.zeist.nl",
}
