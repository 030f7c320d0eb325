"""The words for rule codes and risk reasons, in the user's language."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from portal.models import ContractKind, Decision, Intention, PraktijkrouteOutcome, Route
from portal.services.placements import CauseSide, Initiator, NoRiskpolisBasis, RiskMoment
from portal.services.risk import RiskLevel, RiskReason

RULE_MESSAGES = {
    "transition_not_allowed": _l("This step is not possible from the current phase."),
    "overlapping_placement": _l(
        "This worker already has a placement at this employer in that period."
    ),
    "contract_end_required": _l("Fill in the end date of the temporary contract."),
    "end_before_start": _l("The end date must be after the start date."),
    "overlapping_contract": _l("The new contract must start after the current one."),
    "already_ended": _l("This placement has already ended."),
    "unknown_reason": _l("Choose a reason from the list."),
    "explanation_required": _l("Explain the reason 'Other'."),
    "main_reason_repeated": _l("The main reason is already chosen; choose other reasons here."),
}

CHOICES = {
    "route": [
        (Route.REGULAR.value, _l("Regular")),
        (Route.PRAKTIJKROUTE.value, _l("Praktijkroute")),
    ],
    "praktijkroute_outcome": [
        ("", _l("Not measured yet")),
        (PraktijkrouteOutcome.REDUCED.value, _l("Reduced earning capacity: LKS continues")),
        (PraktijkrouteOutcome.NOT_REDUCED.value, _l("Not reduced: no LKS")),
    ],
    "permanent_intention": [
        ("", _l("Not asked yet")),
        (Intention.YES.value, _l("Yes")),
        (Intention.MAYBE.value, _l("Maybe")),
        (Intention.NO.value, _l("No")),
    ],
    "initiator": [
        (Initiator.EMPLOYER.value, _l("The employer")),
        (Initiator.WORKER.value, _l("The worker")),
        (Initiator.MUNICIPALITY_OR_UWV.value, _l("The municipality or UWV")),
    ],
    "cause": [
        (CauseSide.EMPLOYER.value, _l("With the employer")),
        (CauseSide.WORKER.value, _l("With the worker")),
        (CauseSide.BOTH.value, _l("With both")),
        (CauseSide.EXTERNAL.value, _l("Outside the work (external)")),
    ],
    "decision": [
        (Decision.RENEW.value, _l("Renew the temporary contract")),
        (Decision.PERMANENT.value, _l("Offer a permanent contract")),
        (Decision.END.value, _l("The contract ends")),
    ],
}

RISK_LEVELS = {
    RiskLevel.LOW: _l("Low"),
    RiskLevel.MEDIUM: _l("Medium"),
    RiskLevel.HIGH: _l("High"),
}

RISK_MOMENTS = {
    RiskMoment.DURING_TRIAL: _l("During the trial placement"),
    RiskMoment.AT_FIRST_CONTRACT: _l("At the step to the first contract"),
    RiskMoment.FIRST_HALF_YEAR: _l("In the first half year"),
    RiskMoment.LATER_TEMPORARY: _l("Later in a temporary contract"),
    RiskMoment.AT_TEMPORARY_TO_PERMANENT: _l("At the step from temporary to permanent"),
    RiskMoment.AFTER_PERMANENT: _l("After a permanent contract"),
}

NO_RISKPOLIS = {
    NoRiskpolisBasis.WAJONG: _l("Applies: the worker has a Wajong benefit."),
    NoRiskpolisBasis.DOELGROEPREGISTER: _l("Applies: the worker is in the doelgroepregister."),
    NoRiskpolisBasis.NOT_REGISTERED: _l(
        "Does not apply yet: the worker is not in the doelgroepregister."
    ),
}

CONTRACT_KINDS = {
    ContractKind.TIJDELIJK: _l("Temporary contract"),
    ContractKind.VAST: _l("Permanent contract"),
}

MOMENT_KINDS = {
    "trial_end": _l("End of the trial placement"),
    "after_start": _l("After the start"),
    "before_contract_end": _l("Before the contract ends"),
    "yearly": _l("Yearly check-in"),
}


def rule_message(code: str) -> str:
    return str(RULE_MESSAGES.get(code, _l("This change is not possible.")))


def risk_reason(reason: RiskReason) -> str:
    """E.g. "contract eindigt over 23 dagen, nog geen besluit"."""
    n = reason.number or 0
    if reason.code == "contract_ends_no_decision":
        return ngettext(
            "contract ends in %(num)d day, no decision yet",
            "contract ends in %(num)d days, no decision yet",
            n,
        )
    if reason.code == "contract_end_passed_no_decision":
        return ngettext(
            "contract ended %(num)d day ago, no decision recorded",
            "contract ended %(num)d days ago, no decision recorded",
            n,
        )
    if reason.code == "trial_ends_soon":
        return ngettext(
            "trial placement ends in %(num)d day", "trial placement ends in %(num)d days", n
        )
    if reason.code == "trial_ended_no_contract":
        return ngettext(
            "trial placement ended %(num)d day ago, no contract yet",
            "trial placement ended %(num)d days ago, no contract yet",
            n,
        )
    if reason.code == "evaluation_overdue":
        if n >= 60:
            return ngettext(
                "evaluation %(num)d month overdue", "evaluation %(num)d months overdue", n // 30
            )
        return ngettext("evaluation %(num)d day overdue", "evaluation %(num)d days overdue", n)
    if reason.code == "open_reports":
        return ngettext("%(num)d open report", "%(num)d open reports", n)
    if reason.code == "wants_to_talk":
        return _("evaluation: wants to talk to the contact person")
    if reason.code == "low_energy":
        return _("evaluation: low score on energy or rest")
    if reason.code == "evaluation_gap":
        return ngettext(
            "evaluation: views differ on %(num)d question",
            "evaluation: views differ on %(num)d questions",
            n,
        )
    if reason.code == "jobcoach_report_late":
        return ngettext("jobcoach report %(num)d day late", "jobcoach report %(num)d days late", n)
    if reason.code == "sick":
        return _("reported sick")
    if reason.code == "first_half_year":
        return _("in the first six months")
    raise KeyError(reason.code)
