"""The words for the sick-leave guidance: step codes, who is in charge, and the rule errors.

The rules and dates are in portal.services.sickness; the texts here are the reviewed facts of
DESIGN §8 and say nothing more. Step texts are impersonal, so every role reads the same
timeline; the worker gets their own plain-language introduction on top.
"""

from __future__ import annotations

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.blueprints.placements.wording import NO_RISKPOLIS
from portal.services.placements import NoRiskpolisBasis
from portal.services.sickness import (
    NO_RISKPOLIS_REPORT_WEEK,
    BenefitProvider,
    Guidance,
    InCharge,
    SicknessError,
    Step,
    week_end,
)

STEP_TITLES = {
    "report_uwv": _l("Report the sickness to UWV or the benefit provider"),
    "bedrijfsarts": _l("Report the sickness to the bedrijfsarts or arbodienst"),
    "tell_contact": _l("Tell the contact person"),
    "no_riskpolis_report": _l("Report the sickness to UWV with the no-riskpolis"),
    "probleemanalyse": _l("Probleemanalyse by the bedrijfsarts"),
    "plan_van_aanpak": _l("Plan van aanpak"),
    "evaluate_plan": _l("Evaluate the plan van aanpak"),
    "uwv_42": _l("Ziekmelding at UWV (42e-weeksmelding)"),
    "eerstejaarsevaluatie": _l("Eerstejaarsevaluatie"),
    "wia": _l("Re-integration report and WIA application"),
    "loondoorbetaling_end": _l("Continued pay (loondoorbetaling) ends"),
    "contract_ends": _l("The contract ends: UWV takes over"),
    "recovered": _l("Better again"),
    "no_riskpolis_recovery": _l("Report the recovery to UWV"),
}

STEP_TEXTS = {
    "report_uwv": _l(
        "Report the sickness as soon as possible to UWV (Ziektewet), or, for someone with a "
        "benefit, to the benefit provider: %(provider)s."
    ),
    "bedrijfsarts": _l(
        "The employer reports the sickness at once to the bedrijfsarts or arbodienst. The "
        "bedrijfsarts advises; the employer may not ask or record what the illness is."
    ),
    "tell_contact": _l(
        "Tell the contact person at the employer service point at once. The contact person "
        "informs the benefit provider (%(provider)s) and helps."
    ),
    "no_riskpolis_report": _l(
        "The employer reports the sickness to UWV via UWV's werkgeversportaal and states that "
        "the no-riskpolis applies, within 6 weeks of the first sick day. A late report risks a "
        "fine."
    ),
    "probleemanalyse": _l("The bedrijfsarts makes the probleemanalyse, at the latest in week 6."),
    "plan_van_aanpak": _l(
        "The employer and the worker make a plan van aanpak for the return to work, at the "
        "latest in week 8."
    ),
    "evaluate_plan": _l(
        "The employer and the worker evaluate the plan van aanpak at least every 6 weeks. This "
        "is the next evaluation."
    ),
    "uwv_42": _l("The employer reports the sickness to UWV, at the latest in week 42."),
    "eerstejaarsevaluatie": _l(
        "Around week 52 the employer and the worker evaluate the first year of sickness."
    ),
    "wia": _l(
        "The re-integration report and the WIA application go to UWV around week 91, at the "
        "latest in week 93."
    ),
    "loondoorbetaling_end": _l(
        "The employer continues to pay at least 70 percent of the wage for up to 104 weeks. The "
        "continued pay ends after week 104."
    ),
    "contract_ends": _l(
        "The temporary contract ends on %(end)s. From %(date)s UWV takes over under the "
        "Ziektewet and pays the worker a benefit. Later steps are no longer the employer's "
        "duties."
    ),
    "recovered": _l("Better again from %(date)s."),
    "no_riskpolis_recovery": _l(
        "With the no-riskpolis the employer reports the recovery to UWV within 2 days."
    ),
}

# How the date of a step reads: at once, at the latest, around, or on.
AT_ONCE = frozenset({"report_uwv", "bedrijfsarts", "tell_contact"})
AROUND = frozenset({"eerstejaarsevaluatie"})
ON = frozenset({"evaluate_plan", "loondoorbetaling_end", "contract_ends", "recovered"})

IN_CHARGE_TITLES = {
    InCharge.EMPLOYER: _l("The employer"),
    InCharge.EMPLOYER_THEN_UWV: _l("The employer until the contract ends, then UWV"),
    InCharge.BENEFIT_PROVIDER: _l("The benefit provider"),
    InCharge.UWV: _l("UWV (Ziektewet)"),
}

IN_CHARGE_TEXTS = {
    InCharge.EMPLOYER: _l(
        "The employer is in charge under the Wet verbetering poortwachter: the employer "
        "continues to pay at least 70 percent of the wage for up to 104 weeks and works with the "
        "worker on the return to work. The bedrijfsarts advises. The employer may not ask or "
        "record what the illness is."
    ),
    InCharge.EMPLOYER_THEN_UWV: _l(
        "The employer is in charge under the Wet verbetering poortwachter until the temporary "
        "contract ends on %(end)s. From %(date)s UWV takes over: the Ziektewet is the safety net "
        "and UWV pays the worker a benefit. The employer may not ask or record what the illness "
        "is."
    ),
    InCharge.BENEFIT_PROVIDER: _l(
        "A proefplaatsing is not an employment contract: the worker keeps the benefit. The "
        "employer does not continue to pay a wage and has no duties under the Wet verbetering "
        "poortwachter. The contact person informs the benefit provider (%(provider)s)."
    ),
    InCharge.UWV: _l(
        "There is no employer now. UWV is in charge under the Ziektewet; for someone with a "
        "benefit, the benefit provider (%(provider)s). The contact person helps."
    ),
}

PROVIDERS = {
    BenefitProvider.UWV: _l("UWV"),
    BenefitProvider.MUNICIPALITY: _l("the municipality"),
}

NO_RISKPOLIS_TEXT = _l(
    "UWV pays the employer a Ziektewet benefit, whatever the cause of the illness; the "
    "employer's premiums do not go up. There is no advance application: when reporting the "
    "sickness to UWV via UWV's werkgeversportaal, the employer states that the no-riskpolis "
    "applies, within 6 weeks of the first sick day: at the latest on %(date)s. The recovery must "
    "then be reported to UWV within 2 days. A late report risks a fine. The employer keeps all "
    "duties under the Wet verbetering poortwachter."
)

ERRORS = {
    "first_day_in_future": _l("The first sick day cannot be in the future."),
    "first_day_too_old": _l("The first sick day cannot be more than 104 weeks ago."),
    "already_open": _l("This worker has already been reported sick since %(date)s."),
    "overlaps_earlier": _l(
        "An earlier sick period ended on %(date)s. The first sick day cannot be before that."
    ),
    "no_placement_on_day": _l("The worker did not work at your company on that day."),
    "not_a_worker": _l("Choose a worker from the list."),
    "working_percent_required": _l("Fill in the percentage of the usual work (1 to 99)."),
    "working_percent_range": _l("Fill in a whole number from 1 to 99."),
    "remark_too_long": _l("Use at most 2000 characters."),
    "already_recovered": _l("The recovery has already been reported (better again from %(date)s)."),
    "recovery_in_future": _l("The date cannot be in the future."),
    "recovery_before_start": _l("The date cannot be before the first sick day (%(date)s)."),
}


def _long(day) -> str:
    return format_date(day, format="long")


def provider_name(provider: BenefitProvider) -> str:
    return str(PROVIDERS[provider])


def step_title(step: Step) -> str:
    return str(STEP_TITLES[step.code])


def step_when(step: Step) -> str:
    """E.g. "at the latest on 15 February 2026 (week 6)"."""
    day = _long(step.date)
    if step.code in AT_ONCE:
        return _("At once: %(date)s (first sick day)", date=day)
    if step.code in AROUND:
        return _("Around %(date)s (week %(week)s)", date=day, week=step.week)
    if step.code in ON:
        return _("On %(date)s (week %(week)s)", date=day, week=step.week)
    return _("At the latest on %(date)s (week %(week)s)", date=day, week=step.week)


def step_text(step: Step, guidance: Guidance) -> str:
    provider = provider_name(guidance.situation.benefit_provider)
    ends = guidance.situation.employment_ends
    return _fill(
        STEP_TEXTS[step.code],
        provider=provider,
        date=_long(step.date),
        end=_long(ends) if ends else "",
    )


def in_charge_title(guidance: Guidance) -> str:
    return str(IN_CHARGE_TITLES[guidance.in_charge])


def in_charge_text(guidance: Guidance) -> str:
    ends = guidance.situation.employment_ends
    return _fill(
        IN_CHARGE_TEXTS[guidance.in_charge],
        provider=provider_name(guidance.situation.benefit_provider),
        end=_long(ends) if ends else "",
        date=_long(guidance.uwv_from) if guidance.uwv_from else "",
    )


def no_riskpolis_basis(guidance: Guidance) -> str:
    basis = guidance.situation.no_riskpolis_basis
    return str(NO_RISKPOLIS[NoRiskpolisBasis(basis)]) if basis else ""


def no_riskpolis_text(guidance: Guidance, first_sick_day) -> str:
    return _fill(NO_RISKPOLIS_TEXT, date=_long(week_end(first_sick_day, NO_RISKPOLIS_REPORT_WEEK)))


def worker_intro(guidance: Guidance) -> list[str]:
    """What happens now and what the worker does, in plain language (B1)."""
    provider = provider_name(guidance.situation.benefit_provider)
    if guidance.in_charge == InCharge.BENEFIT_PROVIDER:
        return [
            _("You work on a trial basis (proefplaatsing). You keep your benefit."),
            _(
                "Tell your contact person at once that you are sick. Your contact person passes "
                "it on to %(provider)s.",
                provider=provider,
            ),
        ]
    if guidance.in_charge == InCharge.UWV:
        return [
            _("You do not have an employer now."),
            _(
                "Report sick to UWV, or to %(provider)s if you have a benefit. Your contact "
                "person helps you with this.",
                provider=provider,
            ),
        ]
    paragraphs = [
        _(
            "Your employer and the bedrijfsarts help you to get back to work. The bedrijfsarts "
            "is a doctor for work and health."
        ),
        _(
            "Your employer may not ask what illness you have. You do not have to tell. You only "
            "talk about that with the bedrijfsarts."
        ),
    ]
    if guidance.in_charge == InCharge.EMPLOYER_THEN_UWV and guidance.uwv_from:
        paragraphs.append(
            _(
                "Your contract ends on %(end)s. Are you still sick then? Then UWV takes over "
                "from %(date)s and pays you a benefit.",
                end=_long(guidance.situation.employment_ends),
                date=_long(guidance.uwv_from),
            )
        )
    return paragraphs


WORKER_TASKS = [
    _l("Make sure your employer and the bedrijfsarts can reach you."),
    _l("Follow the advice of the bedrijfsarts."),
    _l("Contact your contact person if you have questions or if something changes."),
]


def error_text(error: SicknessError) -> str:
    dates = [
        error.params[key]
        for key in ("recovered_on", "first_sick_day", "since")
        if key in error.params
    ]
    text = ERRORS.get(error.code, _l("This is not possible."))
    return _fill(text, date=_long(dates[0]) if dates else "")


def _fill(text, **params) -> str:
    """Put the parameters in a lazy text; a text without placeholders is left as it is, so a
    plain "%" in it stays a percent sign."""
    text = str(text)
    return text % params if "%(" in text else text
