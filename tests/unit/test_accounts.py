"""The rules of user administration: who may be changed how, and the temporary password."""

from __future__ import annotations

from datetime import date

import pytest

from portal.extensions import db
from portal.models import Employer, ExecutingOrganisation, Municipality, Regime, Role, User
from portal.services import accounts
from portal.services.accounts import (
    PASSWORD_ALPHABET,
    STAFF_ROLES,
    deactivate_error,
    missing_for_role,
    reactivate_error,
    reset_password_error,
    role_change_error,
    temporary_password,
)
from tests.conftest import ADMIN, CONTACT

ADMIN_USER = User(id=1, role=Role.ADMINISTRATOR, active=True)


def person(role: Role, *, user_id: int = 2, active: bool = True, anonymised: bool = False) -> User:
    return User(
        id=user_id, role=role, active=active, anonymised_on=date(2026, 1, 1) if anonymised else None
    )


# --- Temporary password -------------------------------------------------------------------------


def test_a_temporary_password_is_long_random_and_easy_to_read_out():
    passwords = {temporary_password() for _ in range(200)}
    assert len(passwords) == 200
    for password in passwords:
        groups = password.split("-")
        assert [len(group) for group in groups] == [4, 4, 4, 4]
        assert set("".join(groups)) <= set(PASSWORD_ALPHABET)
        assert len(password) >= 12  # what the change-password form asks of an own password
    assert not set("0o1li") & set(PASSWORD_ALPHABET)


# --- Role ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("old", STAFF_ROLES)
@pytest.mark.parametrize("new", STAFF_ROLES)
def test_staff_roles_can_be_exchanged(old, new):
    expected = "same_role" if old == new else None
    assert role_change_error(ADMIN_USER, person(old), new, has_caseload=False) == expected


@pytest.mark.parametrize("role", [Role.WORKER, Role.EMPLOYER])
def test_a_worker_or_employer_user_keeps_the_role(role):
    assert role_change_error(ADMIN_USER, person(role), Role.JOBCOACH, False) == "record_role"
    assert role_change_error(ADMIN_USER, person(role), None, False) == "record_role"


@pytest.mark.parametrize("new", [Role.WORKER, Role.EMPLOYER])
def test_staff_cannot_become_a_worker_or_employer_user(new):
    assert role_change_error(ADMIN_USER, person(Role.JOBCOACH), new, False) == "not_staff_role"


def test_a_contact_person_with_a_caseload_keeps_the_role_until_handed_over():
    contact = person(Role.CONTACT_PERSON)
    assert role_change_error(ADMIN_USER, contact, Role.MANAGER, has_caseload=True) == "caseload"
    assert role_change_error(ADMIN_USER, contact, None, has_caseload=True) == "caseload"
    assert role_change_error(ADMIN_USER, contact, Role.MANAGER, has_caseload=False) is None


def test_an_administrator_cannot_change_their_own_role():
    assert role_change_error(ADMIN_USER, ADMIN_USER, Role.MANAGER, False) == "own_role"
    other_admin = person(Role.ADMINISTRATOR, user_id=3)
    assert role_change_error(ADMIN_USER, other_admin, Role.MANAGER, False) is None


def test_an_anonymised_account_is_not_changed():
    gone = person(Role.JOBCOACH, active=False, anonymised=True)
    assert role_change_error(ADMIN_USER, gone, Role.MANAGER, False) == "anonymised"
    assert accounts.change_error(gone) == "anonymised"
    assert accounts.change_error(person(Role.JOBCOACH)) is None


# --- Deactivate, reactivate, reset --------------------------------------------------------------


def test_deactivation_rules():
    assert deactivate_error(ADMIN_USER, person(Role.WORKER), has_caseload=False) is None
    assert deactivate_error(ADMIN_USER, ADMIN_USER, has_caseload=False) == "own_account"
    assert deactivate_error(ADMIN_USER, person(Role.CONTACT_PERSON), True) == "caseload"
    assert deactivate_error(ADMIN_USER, person(Role.JOBCOACH, active=False), False) == (
        "already_inactive"
    )


def test_reactivation_rules():
    assert reactivate_error(person(Role.WORKER, active=False)) is None
    assert reactivate_error(person(Role.WORKER)) == "already_active"
    assert reactivate_error(person(Role.WORKER, active=False, anonymised=True)) == "anonymised"


def test_password_reset_rules():
    assert reset_password_error(ADMIN_USER, person(Role.EMPLOYER)) is None
    assert reset_password_error(ADMIN_USER, ADMIN_USER) == "own_account"
    assert reset_password_error(ADMIN_USER, person(Role.EMPLOYER, active=False)) == "inactive"
    gone = person(Role.WORKER, active=False, anonymised=True)
    assert reset_password_error(ADMIN_USER, gone) == "anonymised"


# --- What a role needs --------------------------------------------------------------------------


def test_what_each_role_needs():
    assert missing_for_role(Role.EMPLOYER) == {"employer": "employer_required"}
    assert missing_for_role(Role.EMPLOYER, employer_id=4) == {}
    assert missing_for_role(Role.WORKER) == {
        "regime": "regime_required",
        "municipality": "municipality_required",
    }
    assert missing_for_role(Role.WORKER, regime="wajong", municipality_id=2) == {}
    for role in STAFF_ROLES:  # an organisation is optional for staff
        assert missing_for_role(role) == {}


def test_an_email_address_is_in_use_whatever_its_case(demo):
    contact = db.session.scalar(db.select(User).where(User.email == CONTACT))
    assert accounts.email_in_use(db.session, "  F.ElAmrani@WSP-demo.nl ")
    assert not accounts.email_in_use(db.session, CONTACT.upper(), except_user_id=contact.id)
    assert accounts.email_in_use(db.session, ADMIN, except_user_id=contact.id)
    assert not accounts.email_in_use(db.session, "nieuw@wsp-demo.nl")
    assert accounts.normal_email("  A.B@Example.NL ") == "a.b@example.nl"


# --- New accounts (invitation) ------------------------------------------------------------------


def _new(role: Role = Role.WORKER, **fields) -> accounts.NewAccount:
    municipality = db.session.scalar(db.select(Municipality).where(Municipality.name == "Utrecht"))
    defaults = {
        "first_name": " Wim ",
        "last_name": "Wessels ",
        "email": "  Wim@Example.ORG ",
        "phone": " ",
        "locale": "en",
    }
    if role == Role.WORKER:
        defaults.update(regime=Regime.WAJONG, municipality=municipality)
    defaults.update(fields)
    return accounts.NewAccount(role=role, **defaults)


def test_an_unusable_password_is_random_and_never_a_temporary_one():
    secrets_ = {accounts.unusable_password() for _ in range(200)}
    assert len(secrets_) == 200
    assert all(len(secret) >= 43 for secret in secrets_)  # 32 random bytes
    assert not any(secret.count("-") == 3 and len(secret) == 19 for secret in secrets_)


@pytest.mark.parametrize(
    ("choice", "expected"),
    [("nl", "nl"), ("en", "en"), ("", "nl"), (None, "nl"), ("de", "nl"), ("EN", "nl")],
)
def test_the_invitation_is_in_an_offered_language_or_dutch(choice, expected):
    assert accounts.invitation_language(choice) == expected
    assert accounts.INVITATION_LANGUAGES[0] == "nl"


def test_a_contact_person_creates_workers_and_employer_users_only():
    assert set(accounts.CONTACT_PERSON_CREATES) == {Role.WORKER, Role.EMPLOYER}
    assert not set(accounts.CONTACT_PERSON_CREATES) & set(STAFF_ROLES)


def test_what_stops_a_new_account(demo):
    assert accounts.new_account_problems(db.session, _new()) == {}
    assert accounts.new_account_problems(
        db.session, _new(email=CONTACT.upper(), regime=None, municipality=None)
    ) == {
        "email": "email_in_use",
        "regime": "regime_required",
        "municipality": "municipality_required",
    }
    assert accounts.new_account_problems(db.session, _new(email="  ")) == {
        "email": "email_required"
    }
    assert accounts.new_account_problems(db.session, _new(Role.EMPLOYER)) == {
        "employer": "employer_required"
    }


def test_a_new_worker_is_stored_with_the_profile_and_cleaned_details(demo):
    user = accounts.create_account(
        db.session,
        _new(in_doelgroepregister=True),
        password_hash="hash",
        must_change_password=False,
    )
    db.session.commit()
    stored = db.session.get(User, user.id)
    assert (stored.first_name, stored.last_name, stored.email) == (
        "Wim",
        "Wessels",
        "wim@example.org",
    )
    assert stored.phone is None and stored.locale == "en" and stored.password_hash == "hash"
    assert stored.role == Role.WORKER and not stored.must_change_password
    assert stored.worker_profile.regime == Regime.WAJONG
    assert stored.worker_profile.municipality.name == "Utrecht"
    assert stored.worker_profile.in_doelgroepregister


def test_a_new_account_keeps_only_what_its_role_has(demo):
    employer = db.session.scalar(db.select(Employer).limit(1))
    organisation = db.session.scalar(db.select(ExecutingOrganisation).limit(1))
    employer_user = accounts.create_account(
        db.session,
        _new(Role.EMPLOYER, employer=employer, organisation=organisation),
        password_hash="hash",
        must_change_password=False,
    )
    assert employer_user.employer is employer and employer_user.executing_organisation is None
    assert employer_user.worker_profile is None
    coach = accounts.create_account(
        db.session,
        _new(
            Role.JOBCOACH, email="coach@example.org", employer=employer, organisation=organisation
        ),
        password_hash="hash",
        must_change_password=True,
    )
    assert coach.employer is None and coach.executing_organisation is organisation
    assert coach.must_change_password


def test_an_address_in_use_is_refused_and_nothing_is_added(demo):
    count = db.session.scalar(db.select(db.func.count(User.id)))
    with pytest.raises(accounts.AccountError) as refused:
        accounts.create_account(
            db.session,
            _new(email=f" {ADMIN.upper()}"),
            password_hash="x",
            must_change_password=False,
        )
    assert refused.value.problems == {"email": "email_in_use"}
    assert db.session.scalar(db.select(db.func.count(User.id))) == count
