"""Real demo records per kind of URL argument, and who may reach them, for route-wide tests.

Who may reach a record is stated from the demo data's relations (worker, employer, current
contact person, jobcoach), not taken from `portal.policy`, so tests built on it check the policy
against an independent statement. Used by the authorisation matrix and the hostile-input tests.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import timedelta

from flask import url_for
from sqlalchemy import select

from portal.extensions import db
from portal.models import (
    ContactAssignment,
    Employer,
    EndReason,
    EvaluationMoment,
    EvaluationResponse,
    ExecutingOrganisation,
    HelpRequestChannel,
    JobcoachReport,
    Municipality,
    Placement,
    ProblemCategory,
    ProblemReport,
    Question,
    Questionnaire,
    QuestionnaireSection,
    Role,
    RoutingRule,
    SickReport,
    Side,
    TokenPurpose,
    User,
)
from portal.security import AUTHENTICATED, PUBLIC, SERVICE, access_rule_of
from portal.services.account_tokens import issue_token
from tests.conftest import (
    ADMIN,
    CONTACT,
    EMPLOYER,
    JOBCOACH,
    MANAGER,
    OTHER_CONTACT,
    OTHER_WORKER,
    WORKER,
    log_in,
    make_help_request,
    user_by_email,
)

OTHER_EMPLOYER = "leiding@heuvelrug-demo.nl"
ACCOUNT_WORKER, ACCOUNT_CONTACT = "lotte@werknemer-demo.nl", "a.jansen@wsp-demo.nl"
ANONYMOUS = "anonymous"
# One user per role, and a second worker, employer user and contact person for "someone else's".
USERS = [ANONYMOUS, WORKER, OTHER_WORKER, EMPLOYER, OTHER_EMPLOYER, CONTACT, OTHER_CONTACT]
USERS += [JOBCOACH, ADMIN, MANAGER]
SIDE_SLUG = {Side.WORKER: "werknemer", Side.SUPERVISOR: "werkgever"}
REFUSED = {403, 404}
# Limits a view adds to its declared rule: the help-request form is public, but staff do not file
# help requests (they are the ones who answer them).
VIEW_LIMITS: dict[str, Callable[[User | None], bool]] = {
    "help.new": lambda user: user is None or user.role in (Role.WORKER, Role.EMPLOYER),
}


@dataclass(frozen=True)
class Target:
    """Real URL arguments and the users who may reach the record behind them."""

    label: str
    args: dict
    readers: frozenset[str] = field(default_factory=frozenset)


def emails(users: Iterable[User | None]) -> set[str]:
    return {user.email for user in users if user is not None}


def current_contact(worker_id: int | None = None, employer_id: int | None = None) -> User | None:
    column = ContactAssignment.worker_id if worker_id is not None else ContactAssignment.employer_id
    assignment = db.session.scalar(
        select(ContactAssignment).where(
            column == (worker_id if worker_id is not None else employer_id),
            ContactAssignment.ends_on.is_(None),
        )
    )
    return db.session.get(User, assignment.contact_person_id) if assignment else None


def employer_users(employer_id: int | None) -> list[User]:
    if employer_id is None:
        return []
    return list(db.session.scalars(select(User).where(User.employer_id == employer_id)))


def placement_readers(placement: Placement) -> set[str]:
    """The worker, the employer's users, the worker's contact person, the placement's jobcoach."""
    return emails(
        [
            db.session.get(User, placement.worker_id),
            *employer_users(placement.employer_id),
            current_contact(worker_id=placement.worker_id),
            db.session.get(User, placement.jobcoach_id) if placement.jobcoach_id else None,
        ]
    )


def placement_of(email: str) -> Placement:
    worker = user_by_email(email)
    return db.session.scalar(
        select(Placement).where(Placement.worker_id == worker.id).order_by(Placement.id)
    )


def moment_with_both_sides(placement: Placement) -> EvaluationMoment:
    """A moment of this placement where the worker and the supervisor both answered."""
    for moment in db.session.scalars(
        select(EvaluationMoment).where(EvaluationMoment.placement_id == placement.id)
    ):
        sides = set(
            db.session.scalars(
                select(EvaluationResponse.side).where(EvaluationResponse.moment_id == moment.id)
            )
        )
        if sides == {Side.WORKER, Side.SUPERVISOR}:
            return moment
    raise AssertionError(f"the demo has no answered moment for placement {placement.id}")


def build_targets() -> dict[str, list[Target]]:
    """The records per kind of URL argument, each with who may reach it."""
    sanne, daan = placement_of(WORKER), placement_of(OTHER_WORKER)
    # Mohammed: Korenschoof, Fatima's caseload, no jobcoach.
    no_coach = db.session.scalar(
        select(Placement).where(
            Placement.jobcoach_id.is_(None), Placement.employer_id == sanne.employer_id
        )
    )
    placements = [sanne, daan, no_coach]
    targets: dict[str, list[Target]] = {
        "placement": [
            Target(f"placement {p.id}", {"placement_id": p.id}, frozenset(placement_readers(p)))
            for p in placements
        ]
    }

    moments, sides = [], []
    for placement in (sanne, daan):
        moment = moment_with_both_sides(placement)
        readers = placement_readers(placement)
        moments.append(Target(f"moment {moment.id}", {"moment_id": moment.id}, frozenset(readers)))
        staff = emails(
            [
                current_contact(worker_id=placement.worker_id),
                db.session.get(User, placement.jobcoach_id) if placement.jobcoach_id else None,
            ]
        )
        worker_answer = db.session.scalar(
            select(EvaluationResponse).where(
                EvaluationResponse.moment_id == moment.id,
                EvaluationResponse.side == Side.WORKER,
            )
        )
        employer_side = emails(employer_users(placement.employer_id))
        worker_side = staff | emails([db.session.get(User, placement.worker_id)])
        if worker_answer.share_with_employer and worker_answer.submitted:
            worker_side |= employer_side
        sides += [
            Target(
                f"moment {moment.id} worker side",
                {"moment_id": moment.id, "side_slug": SIDE_SLUG[Side.WORKER]},
                frozenset(worker_side),
            ),
            Target(
                f"moment {moment.id} supervisor side",
                {"moment_id": moment.id, "side_slug": SIDE_SLUG[Side.SUPERVISOR]},
                frozenset(staff | employer_side),
            ),
        ]
    targets["moment"], targets["moment_side"] = moments, sides

    contacts = list(db.session.scalars(select(User).where(User.role == Role.CONTACT_PERSON)))
    help_requests = []
    for requester in (user_by_email(WORKER), user_by_email(OTHER_WORKER), None):
        request = make_help_request(requester, channel=HelpRequestChannel.FORM)
        readers = (
            emails([requester, db.session.get(User, request.assigned_to_id)])
            if request.assigned_to_id
            else emails([requester, *contacts])
        )
        help_requests.append(
            Target(
                f"help request {request.reference}",
                {"reference": request.reference},
                frozenset(readers),
            )
        )
    targets["help_request"] = help_requests

    meldingen = []
    for report in db.session.scalars(select(ProblemReport).order_by(ProblemReport.id)):
        reporter = db.session.get(User, report.reporter_id)
        readers = {reporter.email}
        if reporter.role == Role.EMPLOYER:
            readers |= emails(employer_users(report.employer_id))
        readers |= (
            emails([db.session.get(User, report.contact_person_id)])
            if report.contact_person_id
            else emails(contacts)
        )
        meldingen.append(
            Target(
                f"melding {report.reference}", {"reference": report.reference}, frozenset(readers)
            )
        )
    targets["melding"] = meldingen

    targets["sick_report"] = [
        Target(
            f"sick report {report.id}",
            {"report_id": report.id},
            frozenset(
                emails(
                    [
                        db.session.get(User, report.worker_id),
                        *employer_users(report.employer_id),
                        current_contact(worker_id=report.worker_id),
                    ]
                )
            ),
        )
        for report in db.session.scalars(select(SickReport))
    ]

    coaching_reports = []
    for report in db.session.scalars(select(JobcoachReport).order_by(JobcoachReport.id)):
        placement = db.session.get(Placement, report.placement_id)
        readers = emails(
            [
                db.session.get(User, placement.jobcoach_id) if placement.jobcoach_id else None,
                current_contact(worker_id=placement.worker_id),
            ]
        )
        coaching_reports.append(
            Target(f"jobcoach report {report.id}", {"report_id": report.id}, frozenset(readers))
        )
    targets["coaching_report"] = coaching_reports

    admin = {ADMIN}
    targets["worker"] = [
        Target(
            f"worker {worker.id}",
            {"worker_id": worker.id},
            frozenset(admin | emails([current_contact(worker_id=worker.id)])),
        )
        for worker in (user_by_email(WORKER), user_by_email(OTHER_WORKER))
    ]
    targets["employer"] = [
        Target(
            f"employer {employer_id}",
            {"employer_id": employer_id},
            frozenset(admin | emails([current_contact(employer_id=employer_id)])),
        )
        for employer_id in (sanne.employer_id, daan.employer_id)
    ]

    questionnaire = db.session.scalar(select(Questionnaire))
    section = db.session.scalar(
        select(QuestionnaireSection).where(
            QuestionnaireSection.questionnaire_id == questionnaire.id
        )
    )
    question = db.session.scalar(select(Question).where(Question.section_id == section.id))
    targets["questionnaire"] = [
        Target(
            f"questionnaire {questionnaire.id}",
            {
                "questionnaire_id": questionnaire.id,
                "section_id": section.id,
                "question_id": question.id,
            },
            frozenset(admin),
        )
    ]
    # Accounts: only the administrator. Records of people who do not log in in these tests (a
    # worker, a contact person with a caseload), so a form sent to them breaks no one's session.
    targets["user"] = [
        Target(f"user {person.id}", {"user_id": person.id}, frozenset(admin))
        for person in (user_by_email(ACCOUNT_WORKER), user_by_email(ACCOUNT_CONTACT))
    ]
    # An employer's users: that employer's contact person and the administrator.
    targets["employer_user"] = [
        Target(
            f"employer user {person.id}",
            {"employer_user_id": person.id},
            frozenset(emails([current_contact(employer_id=person.employer_id)]) | admin),
        )
        for person in (user_by_email(EMPLOYER), user_by_email(OTHER_EMPLOYER))
    ]
    # Reference data: only the administrator. One general and one municipal routing rule.
    reference = {
        "organisation": ("organisation_id", select(ExecutingOrganisation).limit(1)),
        "municipality": ("municipality_id", select(Municipality).limit(1)),
        "routing_rule": (
            "rule_id",
            select(RoutingRule).order_by(RoutingRule.municipality_id.is_(None).desc()).limit(2),
        ),
        "company": ("company_id", select(Employer).where(Employer.id == sanne.employer_id)),
        "end_reason": ("reason_id", select(EndReason).limit(1)),
        "problem_category": ("category_id", select(ProblemCategory).limit(1)),
    }
    for kind, (argument, query) in reference.items():
        targets[kind] = [
            Target(f"{kind} {row.id}", {argument: row.id}, frozenset(admin))
            for row in db.session.scalars(query)
        ]
    # A real invitation link, for a worker none of the test users is: the hostile-input test may
    # set a random password with it.
    lotte = user_by_email("lotte@werknemer-demo.nl")
    link = issue_token(db.session, lotte, TokenPurpose.INVITATION, timedelta(days=7))
    db.session.commit()
    targets["account_link"] = [Target("invitation link", {"token": link}, frozenset(USERS))]
    # The internal API answers the action server only; no session user is a reader.
    targets["conversation"] = [Target("conversation", {"sender_id": "chat-sanne"}, frozenset())]
    return targets


def kind_of(endpoint: str, arguments: set[str]) -> str | None:
    """Which records fill this rule's URL arguments."""
    if not arguments:
        return None
    if "moment_id" in arguments:
        return "moment_side" if "side_slug" in arguments else "moment"
    single: dict[str, str | Callable[[str], str]] = {
        "placement_id": "placement",
        "reference": lambda name: "help_request" if name.startswith("help.") else "melding",
        "report_id": lambda name: (
            "coaching_report" if name.startswith("coaching.") else "sick_report"
        ),
        "worker_id": "worker",
        "employer_id": "employer",
        "questionnaire_id": "questionnaire",
        "sender_id": "conversation",
        "user_id": "user",
        "employer_user_id": "employer_user",
        "organisation_id": "organisation",
        "municipality_id": "municipality",
        "rule_id": "routing_rule",
        "company_id": "company",
        "reason_id": "end_reason",
        "category_id": "problem_category",
        "token": "account_link",
    }
    for argument, kind in single.items():
        if argument in arguments:
            return kind(endpoint) if callable(kind) else kind
    raise AssertionError(
        f"{endpoint}: no demo records for the URL arguments {sorted(arguments)}; add them here"
    )


def role_allows(rule, user: User | None) -> bool:
    if rule == PUBLIC:
        return True
    if rule == SERVICE or user is None:
        return False
    if rule == AUTHENTICATED:
        return True
    return user.role in rule


def is_refusal(response, anonymous: bool, service: bool) -> bool:
    if response.status_code in REFUSED:
        return True
    if service and response.status_code == 401:
        return True
    return (
        anonymous
        and response.status_code == 302
        and "/inloggen" in response.headers.get("Location", "")
    )


def is_allowed(endpoint: str, rule, email: str, user: User | None, kind, target: Target) -> bool:
    """Whether this user may use this route on this record, by the statement above."""
    return (
        role_allows(rule, user)
        and (kind is None or rule == PUBLIC or email in target.readers)
        and VIEW_LIMITS.get(endpoint, lambda _user: True)(user)
    )


def routes_with_targets(app, targets: dict[str, list[Target]]):
    """(url rule, access rule, kind, target, path) for every route and record to try it on."""
    for url_rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if url_rule.endpoint == "static":
            continue
        rule = access_rule_of(url_rule.endpoint)
        kind = kind_of(url_rule.endpoint, set(url_rule.arguments))
        rule_targets = targets[kind] if kind else [Target("-", {}, frozenset(USERS))]
        assert rule_targets, f"{url_rule.endpoint}: the demo has no {kind} records"
        for target in rule_targets:
            with app.test_request_context():
                path = url_for(url_rule.endpoint, **target.args)
            yield url_rule, rule, kind, target, path


def logged_in_clients(app) -> dict:
    """A logged-in test client per user in USERS (and one anonymous)."""
    result = {}
    for email in USERS:
        client = app.test_client()
        if email != ANONYMOUS:
            answer = log_in(client, email)
            assert answer.status_code == 302 and "/inloggen" not in answer.location, email
        result[email] = client
    return result
