"""The password policy and the single-use links, without the web."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from portal.extensions import db
from portal.models import TokenPurpose
from portal.services.account_tokens import check_token, issue_token, use_token
from portal.services.passwords import MAX_LENGTH, common_passwords, password_problem
from tests.conftest import WORKER, user_by_email

SANNE = ("Sanne", "Bakker", "sanne.bakker@werknemer-demo.nl")


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("elf tekens!", "too_short"),
        ("x" * (MAX_LENGTH + 1), "too_long"),
        ("password1234", "common"),  # Django's list
        ("Wachtwoord2026!", "common"),  # a Dutch one with digits and a sign around it
        ("123456789012", "common"),
        ("aaaaaaaaaaaa", "common"),
        ("zyxwvutsrqpo", "common"),
        ("Sanne-2026-zomerfiets", "personal"),
        ("bakker in de regen", "personal"),
        ("fiets zon koffie tafel", None),
        ("werknemer-demo is geen naam", None),  # the e-mail's domain is not personal
        ("é" * 64, "common"),  # long, but one character
        ("Ǆ" + "kwartaalcijfers" + "ǆ", None),
    ],
)
def test_policy(password, problem):
    assert password_problem(password, personal=SANNE) == problem


def test_no_composition_rules_and_no_low_maximum():
    assert password_problem("alleen kleine letters hier") is None
    assert password_problem("Waarom-zo-lang? " * 4) is None  # 64 characters are fine


def test_the_shipped_list_is_there():
    common = common_passwords()
    # 20,000 lines, some the same in lower case; plus the Dutch ones
    assert len(common) > 19_500 and "qwertyuiop" in common and "wachtwoord" in common


def test_a_link_is_single_use_bound_and_expires(demo):
    sanne = user_by_email(WORKER)
    now = datetime(2026, 11, 24, 12, tzinfo=UTC)
    token = issue_token(db.session, sanne, TokenPurpose.PASSWORD_RESET, timedelta(hours=1), now=now)
    check = check_token(db.session, token, now=now + timedelta(minutes=59))
    assert check.ok and check.token.user_id == sanne.id
    assert check.token.token_hash != token and token not in check.token.token_hash
    assert check_token(db.session, token, now=now + timedelta(hours=1)).state == "expired"
    assert use_token(db.session, check.token, now=now)
    assert not use_token(db.session, check.token, now=now)  # the second use loses
    db.session.expire_all()
    assert check_token(db.session, token, now=now).state == "used"
    assert check_token(db.session, token[:-1] + "x", now=now).state == "unknown"
    assert check_token(db.session, "", now=now).state == "unknown"


def test_a_new_link_replaces_the_open_one_of_the_same_purpose(demo):
    sanne = user_by_email(WORKER)
    first = issue_token(db.session, sanne, TokenPurpose.INVITATION, timedelta(days=7))
    reset = issue_token(db.session, sanne, TokenPurpose.PASSWORD_RESET, timedelta(hours=1))
    second = issue_token(db.session, sanne, TokenPurpose.INVITATION, timedelta(days=7))
    db.session.expire_all()
    assert check_token(db.session, first).state == "replaced"
    assert check_token(db.session, second).ok and check_token(db.session, reset).ok
    sanne.active = False
    assert check_token(db.session, second).state == "inactive"
