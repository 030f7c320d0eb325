"""Accounts, roles and the worker's profile."""

from __future__ import annotations

import enum
import secrets
from datetime import date, datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models._types import TIMESTAMP, enum_column, utcnow
from portal.models.organisations import Employer, ExecutingOrganisation, Municipality, Regime


class Role(enum.StrEnum):
    WORKER = "worker"
    EMPLOYER = "employer"
    CONTACT_PERSON = "contact_person"
    JOBCOACH = "jobcoach"
    ADMINISTRATOR = "administrator"
    # The contact persons' manager (teamleider): sees the regional figures, no personal data.
    MANAGER = "manager"


def new_chat_id() -> str:
    """An opaque id for the assistant: says nothing about the person and cannot be guessed."""
    return secrets.token_urlsafe(24)


class User(UserMixin, db.Model):
    """Anyone who logs in. Employer users belong to an employer, staff to an organisation."""

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(150))
    phone: Mapped[str | None] = mapped_column(String(40))
    role: Mapped[Role] = mapped_column(enum_column(Role, "role"))
    employer_id: Mapped[int | None] = mapped_column(ForeignKey("employer.id"))
    executing_organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("executing_organisation.id")
    )
    chat_id: Mapped[str] = mapped_column(String(64), unique=True, default=new_chat_id)
    locale: Mapped[str | None] = mapped_column(String(5))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # A temporary password from an administrator: every page asks for an own password first.
    must_change_password: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    # Two-factor authentication (TOTP): the secret is set when enrolment starts and counts from
    # `totp_enabled_at`, once the first code was right; the last used step refuses a code twice.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_enabled_at: Mapped[datetime | None] = mapped_column(TIMESTAMP)
    totp_last_step: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(TIMESTAMP, default=utcnow)
    # Set by the retention job (portal.services.retention): no personal data is left.
    anonymised_on: Mapped[date | None] = mapped_column(Date)

    employer: Mapped[Employer | None] = relationship()
    executing_organisation: Mapped[ExecutingOrganisation | None] = relationship()
    worker_profile: Mapped[WorkerProfile | None] = relationship(
        back_populates="user", uselist=False
    )

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def two_factor_enabled(self) -> bool:
        return self.totp_enabled_at is not None and self.totp_secret is not None

    @property
    def is_active(self) -> bool:  # Flask-Login: deactivated accounts cannot log in
        return self.active

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role.value}>"


class WorkerProfile(db.Model):
    """What routing needs to know of a worker. Never a diagnosis."""

    __tablename__ = "worker_profile"

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), primary_key=True)
    regime: Mapped[Regime] = mapped_column(enum_column(Regime, "regime"))
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"))
    in_doelgroepregister: Mapped[bool] = mapped_column(Boolean, default=False)

    # The worker's own words for the employer; shown to the employer only with consent.
    strengths: Mapped[str | None] = mapped_column(Text)
    support_needs: Mapped[str | None] = mapped_column(Text)
    work_wishes: Mapped[str | None] = mapped_column(Text)

    user: Mapped[User] = relationship(back_populates="worker_profile")
    municipality: Mapped[Municipality] = relationship()


class ProfilePart(enum.StrEnum):
    """The parts of the work profile the worker can share with the employer, one by one."""

    CONTACT_DETAILS = "contact_details"
    STRENGTHS = "strengths"
    SUPPORT_NEEDS = "support_needs"
    WORK_WISHES = "work_wishes"


class ProfileConsent(db.Model):
    """The worker allowed the employer to see one part of the work profile, from `granted_at`
    until `withdrawn_at`. No row (the default) means: not shared. History is kept."""

    __tablename__ = "profile_consent"

    id: Mapped[int] = mapped_column(primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    part: Mapped[ProfilePart] = mapped_column(enum_column(ProfilePart, "profile_part"))
    granted_at: Mapped[datetime] = mapped_column(TIMESTAMP, default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(TIMESTAMP)


class UserSession(db.Model):
    """One logged-in browser session. The cookie holds a random token; only its hash is stored.

    A session ends on log-out, when the password changes (the other sessions), or when the user
    or an administrator ends it; an ended session's cookie no longer logs anyone in.
    """

    __tablename__ = "user_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_agent: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(TIMESTAMP, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(TIMESTAMP, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(TIMESTAMP)
    end_reason: Mapped[str | None] = mapped_column(String(30))

    user: Mapped[User] = relationship()


class TokenPurpose(enum.StrEnum):
    INVITATION = "invitation"  # set a first password
    PASSWORD_RESET = "password_reset"  # noqa: S105 - a purpose, not a password


class AccountToken(db.Model):
    """A single-use link to set a password, bound to one account. Only the SHA-256 hash of the
    random token is stored; the link itself exists only in the e-mail."""

    __tablename__ = "account_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    purpose: Mapped[TokenPurpose] = mapped_column(enum_column(TokenPurpose, "token_purpose"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(TIMESTAMP, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(TIMESTAMP)
    used_at: Mapped[datetime | None] = mapped_column(TIMESTAMP)
    # Set when a newer link of the same purpose replaced this one.
    replaced_at: Mapped[datetime | None] = mapped_column(TIMESTAMP)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])


class RecoveryCode(db.Model):
    """A code to pass the second factor once without the phone; only its SHA-256 hash is kept."""

    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(TIMESTAMP, default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(TIMESTAMP)
