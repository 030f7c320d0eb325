"""Rules for the administration of user accounts (issue 10): who may be changed how, and the
temporary password. No Flask here; the views turn the codes into sentences.

A worker or employer user keeps their role: their placements, evaluations and reports depend on
it. A contact person who still serves workers or employers keeps the role and stays active until
the caseload is handed over. An administrator cannot lock themselves out (deactivate or demote
themselves). An anonymised account (retention) is history only: it is not changed any more.
"""

from __future__ import annotations

import secrets

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.models import Role, User

# Roles of the WSP's own people; an administrator may move an account between these.
STAFF_ROLES = (Role.CONTACT_PERSON, Role.JOBCOACH, Role.ADMINISTRATOR, Role.MANAGER)

# No look-alike characters (0/o, 1/l/i), so the password can be read out or written down.
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # noqa: S105 - characters, not a password
PASSWORD_GROUPS = 4
PASSWORD_GROUP_LENGTH = 4


def temporary_password() -> str:
    """A random password for the administrator to pass on in person, e.g. "k7mq-p3xr-9tfh-w2nd"
    (16 random characters from 31, about 79 bits). Never stored: only its hash is."""
    return "-".join(
        "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(PASSWORD_GROUP_LENGTH))
        for _ in range(PASSWORD_GROUPS)
    )


def normal_email(text: str | None) -> str:
    """E-mail addresses are compared and stored without case or surrounding spaces."""
    return (text or "").strip().lower()


def email_in_use(session: Session, email: str, except_user_id: int | None = None) -> bool:
    """Whether another account has this address (case-insensitive)."""
    query = select(User.id).where(func.lower(User.email) == normal_email(email))
    if except_user_id is not None:
        query = query.where(User.id != except_user_id)
    return session.scalar(query.limit(1)) is not None


def missing_for_role(
    role: Role,
    *,
    employer_id: int | None = None,
    regime: str | None = None,
    municipality_id: int | None = None,
) -> dict[str, str]:
    """What an account of this role needs but lacks, as {field: code}: an employer user belongs to
    an employer; a worker needs a regime and a municipality (they decide the routing)."""
    missing = {}
    if role == Role.EMPLOYER and not employer_id:
        missing["employer"] = "employer_required"
    if role == Role.WORKER:
        if not regime:
            missing["regime"] = "regime_required"
        if not municipality_id:
            missing["municipality"] = "municipality_required"
    return missing


def change_error(target: User) -> str | None:
    """Whether the account's details may be changed at all."""
    return "anonymised" if target.anonymised_on is not None else None


def role_change_error(
    actor: User, target: User, new_role: Role | None, has_caseload: bool
) -> str | None:
    """Why `actor` may not give `target` the role `new_role`; None when it is allowed. Without
    `new_role`: whether the role of `target` can be changed at all (for the page)."""
    if target.anonymised_on is not None:
        return "anonymised"
    if target.role not in STAFF_ROLES:
        return "record_role"
    if actor.id == target.id:
        return "own_role"
    if target.role == Role.CONTACT_PERSON and has_caseload:
        return "caseload"
    if new_role is None:
        return None
    if new_role not in STAFF_ROLES:
        return "not_staff_role"
    if new_role == target.role:
        return "same_role"
    return None


def deactivate_error(actor: User, target: User, has_caseload: bool) -> str | None:
    """Why `actor` may not deactivate `target`; None when it is allowed."""
    if not target.active:
        return "already_inactive"
    if actor.id == target.id:
        return "own_account"
    if has_caseload:
        return "caseload"
    return None


def reactivate_error(target: User) -> str | None:
    """Why `target` may not be made active again; None when it is allowed."""
    if target.anonymised_on is not None:
        return "anonymised"
    if target.active:
        return "already_active"
    return None


def reset_password_error(actor: User, target: User) -> str | None:
    """Why `actor` may not give `target` a temporary password; None when it is allowed. One's own
    password is changed on the change-password page (which asks for the current one)."""
    if target.anonymised_on is not None:
        return "anonymised"
    if actor.id == target.id:
        return "own_account"
    if not target.active:
        return "inactive"
    return None
