"""Rules for the administration of user accounts (issue 10): who may be changed how, and the
temporary password. No Flask here; the views turn the codes into sentences.

A worker or employer user keeps their role: their placements, evaluations and reports depend on
it. A contact person who still serves workers or employers keeps the role and stays active until
the caseload is handed over. An administrator cannot lock themselves out (deactivate or demote
themselves). An anonymised account (retention) is history only: it is not changed any more.

A new account gets in either with a temporary password that the administrator passes on in
person, or with an invitation e-mail (a single-use link to choose a password); until the link is
used, an invited account's password hash is that of a random secret nobody knows, so no password
logs in. A contact person creates workers (for their own caseload) and employer users (for an
employer in their caseload), always with an invitation.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.models import (
    Employer,
    ExecutingOrganisation,
    Municipality,
    Regime,
    Role,
    User,
    WorkerProfile,
)

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


# The languages an invitation (and so the account) can be in; the first is the default.
INVITATION_LANGUAGES = ("nl", "en")
# The accounts a contact person creates; staff accounts are the administrator's.
CONTACT_PERSON_CREATES = (Role.WORKER, Role.EMPLOYER)


class AccountError(ValueError):
    """A new account that breaks the rules; `problems` is {field: code} as `new_account_problems`
    gives it."""

    def __init__(self, problems: dict[str, str]):
        super().__init__(", ".join(f"{name}: {code}" for name, code in problems.items()))
        self.problems = problems


@dataclass(frozen=True)
class NewAccount:
    """What a new account is made of. Names and address as typed (they are trimmed here)."""

    first_name: str
    last_name: str
    email: str
    role: Role
    phone: str | None = None
    locale: str | None = None
    employer: Employer | None = None
    organisation: ExecutingOrganisation | None = None
    regime: Regime | None = None
    municipality: Municipality | None = None
    in_doelgroepregister: bool = False


def unusable_password() -> str:
    """A random secret (256 bits) to hash and then forget: an invited account has a password hash
    that no typed password matches, until the person chooses one with the invitation link."""
    return secrets.token_urlsafe(32)


def invitation_language(choice: str | None) -> str:
    """The chosen language of the invitation if the portal offers it, else Dutch."""
    return choice if choice in INVITATION_LANGUAGES else INVITATION_LANGUAGES[0]


def new_account_problems(session: Session, new: NewAccount) -> dict[str, str]:
    """Why this account cannot be created, as {field: code} (fields named as in `NewAccount`):
    what its role needs but lacks (`missing_for_role`) and an address another account has."""
    problems = missing_for_role(
        new.role,
        employer_id=new.employer.id if new.employer is not None else None,
        regime=new.regime.value if new.regime is not None else None,
        municipality_id=new.municipality.id if new.municipality is not None else None,
    )
    if not normal_email(new.email):
        problems["email"] = "email_required"
    elif email_in_use(session, new.email):
        problems["email"] = "email_in_use"
    return problems


def create_account(
    session: Session, new: NewAccount, *, password_hash: str, must_change_password: bool
) -> User:
    """Add the account (a worker with their profile) and flush, so it has an id; AccountError
    when `new_account_problems` finds something. The caller commits."""
    problems = new_account_problems(session, new)
    if problems:
        raise AccountError(problems)
    user = User(
        first_name=new.first_name.strip(),
        last_name=new.last_name.strip(),
        email=normal_email(new.email),
        phone=(new.phone or "").strip() or None,
        role=new.role,
        locale=new.locale,
        employer=new.employer if new.role == Role.EMPLOYER else None,
        executing_organisation=new.organisation if new.role in STAFF_ROLES else None,
        password_hash=password_hash,
        must_change_password=must_change_password,
    )
    if new.role == Role.WORKER:
        user.worker_profile = WorkerProfile(
            regime=new.regime,
            municipality=new.municipality,
            in_doelgroepregister=new.in_doelgroepregister,
        )
    session.add(user)
    session.flush()
    return user


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
