"""The work profile: the worker writes it and chooses per part what the employer may see."""

from __future__ import annotations

import re

from sqlalchemy import select

from portal.extensions import db
from portal.models import Placement, ProfileConsent, ProfilePart
from portal.services.consent import set_consent, shared_parts
from tests.conftest import CONTACT, EMPLOYER, WORKER, user_by_email

STRENGTHS = "Ik werk heel precies en ben altijd op tijd."
SUPPORT = "Een vaste plek en korte pauzes helpen mij."


def save_profile(client, **shares):
    data = {"strengths": STRENGTHS, "support_needs": SUPPORT, "work_wishes": "Meer uren"}
    data.update({f"share_{part}": "y" for part, on in shares.items() if on})
    return client.post("/mijn-profiel/", data=data)


def placement_page(client) -> str:
    placement = db.session.scalar(
        select(Placement).where(Placement.worker_id == user_by_email(WORKER).id)
    )
    return client.get(f"/plaatsingen/{placement.id}").get_data(as_text=True)


def test_nothing_is_shared_until_the_worker_ticks_it(client, auth, demo):
    auth.login(WORKER)
    assert save_profile(client).status_code == 302
    auth.logout()
    auth.login(EMPLOYER)
    page = placement_page(client)
    assert STRENGTHS not in page and SUPPORT not in page
    assert "deelt het werkprofiel niet met u" in page


def test_the_employer_sees_only_the_parts_the_worker_shares(client, auth, demo):
    auth.login(WORKER)
    save_profile(client, strengths=True)
    form = client.get("/mijn-profiel/").get_data(as_text=True)
    assert STRENGTHS in form
    assert re.search(r'<input checked [^>]*id="share_strengths"', form)
    auth.logout()

    auth.login(EMPLOYER)
    page = placement_page(client)
    assert STRENGTHS in page and SUPPORT not in page
    assert user_by_email(WORKER).email not in page
    auth.logout()

    auth.login(CONTACT)
    page = placement_page(client)
    assert STRENGTHS in page and SUPPORT in page, "the contact person sees everything"


def test_withdrawing_takes_effect_at_once_and_the_history_stays(client, auth, demo):
    auth.login(WORKER)
    save_profile(client, strengths=True, contact_details=True)
    save_profile(client, contact_details=True)
    auth.logout()
    auth.login(EMPLOYER)
    page = placement_page(client)
    assert STRENGTHS not in page
    assert user_by_email(WORKER).email in page
    rows = db.session.scalars(
        select(ProfileConsent).where(ProfileConsent.part == ProfilePart.STRENGTHS)
    ).all()
    assert len(rows) == 1 and rows[0].withdrawn_at is not None


def test_set_consent_grants_withdraws_and_keeps(demo):
    sanne = user_by_email(WORKER)
    granted, withdrawn = set_consent(db.session, sanne, {ProfilePart.STRENGTHS})
    assert granted == {ProfilePart.STRENGTHS} and withdrawn == set()
    granted, withdrawn = set_consent(
        db.session, sanne, {ProfilePart.STRENGTHS, ProfilePart.WORK_WISHES}
    )
    assert granted == {ProfilePart.WORK_WISHES} and withdrawn == set()
    granted, withdrawn = set_consent(db.session, sanne, set())
    assert withdrawn == {ProfilePart.STRENGTHS, ProfilePart.WORK_WISHES}
    assert shared_parts(db.session, sanne.id) == set()


def test_only_the_worker_edits_the_profile(client, auth, demo):
    for email in (EMPLOYER, CONTACT):
        auth.login(email)
        assert client.get("/mijn-profiel/").status_code == 403
        assert save_profile(client, strengths=True).status_code == 403
        auth.logout()
    answer = client.get("/mijn-profiel/")
    assert answer.status_code == 302 and "/inloggen" in answer.location


def test_too_long_text_keeps_the_other_input(client, auth, demo):
    auth.login(WORKER)
    page = client.post(
        "/mijn-profiel/",
        data={"strengths": "x" * 2001, "support_needs": SUPPORT, "work_wishes": ""},
    ).get_data(as_text=True)
    assert "Gebruik hoogstens 2000 tekens." in page
    assert SUPPORT in page
