"""Meldingen: who may report about whom, where a melding lands, its log and the buurtteam referral.

A melding goes to the worker's current contact person. Its log is written for the reporter, who
reads it; the contact person's private working notes belong elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, joinedload

from portal.models import (
    Phase,
    Placement,
    ProblemCategory,
    ProblemReport,
    ProblemReportEvent,
    ProblemStatus,
    Role,
    Urgency,
    User,
)
from portal.services.contacts import current_assignment
from portal.services.references import next_reference

PROBLEM_REPORT_PREFIX = "ML"
TEXT_MAX = 5000


class ProblemReportError(ValueError):
    """A melding or an action that breaks the rules; `code` names the rule for the message."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Referral:
    """Where a worker with problems outside work can go: their municipality's buurtteam."""

    municipality: str
    name: str | None
    phone: str | None
    url: str | None


def reportable_workers(session: Session, user: User) -> list[User]:
    """The workers this user may file a melding about: a worker themselves; an employer user the
    workers with a live placement at their employer."""
    if user.role == Role.WORKER:
        return [user]
    if user.role == Role.EMPLOYER and user.employer_id is not None:
        return list(
            session.scalars(
                select(User)
                .join(Placement, Placement.worker_id == User.id)
                .where(
                    Placement.employer_id == user.employer_id, Placement.phase != Phase.BEEINDIGD
                )
                .order_by(User.last_name, User.first_name)
                .distinct()
            )
        )
    return []


def live_placement(
    session: Session, worker_id: int, employer_id: int | None = None
) -> Placement | None:
    """The worker's latest placement that has not ended (at this employer, when given)."""
    query = select(Placement).where(
        Placement.worker_id == worker_id, Placement.phase != Phase.BEEINDIGD
    )
    if employer_id is not None:
        query = query.where(Placement.employer_id == employer_id)
    return session.scalars(query.order_by(Placement.start_date.desc()).limit(1)).first()


def create_report(
    session: Session,
    *,
    reporter: User,
    worker: User,
    category: ProblemCategory,
    urgency: Urgency,
    text: str,
    now: datetime | None = None,
) -> ProblemReport:
    """Store a melding, assigned to the worker's current contact person, with its first log line."""
    now = now or datetime.now(UTC)
    if worker.id not in {w.id for w in reportable_workers(session, reporter)}:
        raise ProblemReportError("worker_not_allowed")
    if not category.active:
        raise ProblemReportError("category_inactive")
    text = _text(text, "text_missing")
    employer_id = reporter.employer_id if reporter.role == Role.EMPLOYER else None
    placement = live_placement(session, worker.id, employer_id)
    assignment = current_assignment(session, worker=worker)
    report = ProblemReport(
        reference=next_reference(session, PROBLEM_REPORT_PREFIX, now.year),
        worker=worker,
        placement=placement,
        employer_id=placement.employer_id if placement else employer_id,
        reporter=reporter,
        category=category,
        urgency=urgency,
        text=text,
        status=ProblemStatus.NEW,
        contact_person=assignment.contact_person if assignment else None,
        created_at=now,
        updated_at=now,
    )
    report.events.append(
        ProblemReportEvent(at=now, by=reporter, kind="created", status=ProblemStatus.NEW)
    )
    session.add(report)
    session.flush()
    return report


def record_action(
    session: Session,
    report: ProblemReport,
    *,
    by: User,
    note: str | None,
    status: ProblemStatus | None = None,
    now: datetime | None = None,
) -> ProblemReportEvent:
    """A contact person's step on a melding: an action taken, a status change, or both.

    A closed melding only changes by reopening it (back to in progress). Closing needs a note that
    tells the reporter what was done. Whoever acts on an unassigned melding takes it.
    """
    now = now or datetime.now(UTC)
    note = (note or "").strip() or None
    if status == report.status:
        status = None
    if report.status == ProblemStatus.CLOSED and status != ProblemStatus.IN_PROGRESS:
        raise ProblemReportError("closed")
    if status == ProblemStatus.NEW:
        raise ProblemReportError("back_to_new")
    if status == ProblemStatus.CLOSED and note is None:
        raise ProblemReportError("closing_needs_note")
    if status is None and note is None:
        raise ProblemReportError("note_missing")
    if note is not None and len(note) > TEXT_MAX:
        raise ProblemReportError("text_too_long")
    if report.contact_person_id is None:
        report.contact_person = by
    if status is not None:
        report.status = status
    elif report.status == ProblemStatus.NEW:
        report.status = ProblemStatus.IN_PROGRESS  # acting on it is taking it in hand
        status = ProblemStatus.IN_PROGRESS
    report.updated_at = now
    event = ProblemReportEvent(
        at=now, by=by, kind="status" if status else "action", status=status, note=note
    )
    report.events.append(event)
    session.flush()
    return event


def visible_reports(session: Session, user: User) -> list[ProblemReport]:
    """The meldingen this user may read, open ones first, newest first.

    A worker reads the meldingen they filed; an employer user those filed by their employer's
    users; a contact person those assigned to them and the unassigned ones.
    """
    query = select(ProblemReport).options(
        joinedload(ProblemReport.worker),
        joinedload(ProblemReport.category),
        joinedload(ProblemReport.reporter),
    )
    if user.role == Role.WORKER:
        query = query.where(ProblemReport.reporter_id == user.id)
    elif user.role == Role.EMPLOYER and user.employer_id is not None:
        query = query.join(ProblemReport.reporter).where(
            ProblemReport.employer_id == user.employer_id, User.role == Role.EMPLOYER
        )
    elif user.role == Role.CONTACT_PERSON:
        query = query.where(
            or_(
                ProblemReport.contact_person_id == user.id,
                ProblemReport.contact_person_id.is_(None),
            )
        )
    else:
        return []
    reports = session.scalars(query.order_by(ProblemReport.created_at.desc())).unique().all()
    return sorted(reports, key=lambda report: not report.is_open)  # stable: newest first kept


def open_report_counts(session: Session, worker_ids: list[int]) -> dict[int, int]:
    """Open meldingen per worker, in one query (for the caseload's risk)."""
    if not worker_ids:
        return {}
    return dict(
        session.execute(
            select(ProblemReport.worker_id, func.count())
            .where(
                ProblemReport.worker_id.in_(worker_ids),
                ProblemReport.status != ProblemStatus.CLOSED,
            )
            .group_by(ProblemReport.worker_id)
        ).all()
    )


def referral_for(worker: User) -> Referral | None:
    """The buurtteam of the worker's municipality, when the worker's profile names one."""
    profile = worker.worker_profile
    if profile is None:
        return None
    municipality = profile.municipality
    return Referral(
        municipality.name,
        municipality.buurtteam_name,
        municipality.buurtteam_phone,
        municipality.buurtteam_url,
    )


def active_categories(session: Session) -> list[ProblemCategory]:
    return list(
        session.scalars(
            select(ProblemCategory)
            .where(ProblemCategory.active.is_(True))
            .order_by(ProblemCategory.sort_order)
        )
    )


def _text(value: str | None, missing: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ProblemReportError(missing)
    if len(value) > TEXT_MAX:
        raise ProblemReportError("text_too_long")
    return value
