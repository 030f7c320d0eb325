"""Self-found jobs registered by the worker or the employer become placements, with the contact
person told; bad input keeps what was typed; a form sent twice stores one placement."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import InboxMessage, Municipality, Placement, User
from tests.conftest import ADMIN, CONTACT, EMPLOYER, JOBCOACH, MANAGER, WORKER, user_by_email

URL = "/zelf-gevonden-baan"


def _key(client) -> str:
    page = client.get(URL).get_data(as_text=True)
    return re.search(r'name="submission" type="hidden" value="([0-9a-f]{32})"', page).group(1)


def _placements() -> int:
    return db.session.scalar(select(func.count()).select_from(Placement))


def _inbox(email: str) -> list[InboxMessage]:
    user = user_by_email(email)
    return list(db.session.scalars(select(InboxMessage).where(InboxMessage.user_id == user.id)))


WORKER_FORM = {
    "employer_name": "Fietsenmaker Spaak",
    "street": "Dorpsstraat 1",
    "postcode": "3481ab",
    "city": "Harmelen",
    "start_date": "2026-11-02",
    "phase": "tijdelijk",
    "contract_end": "2027-05-01",
    "hours_per_week": "24",
    "workplace": "Werkplaats",
    "how_found": "Via mijn buurman",
}


def test_the_worker_registers_a_job_and_the_contact_person_is_told(client, auth, demo):
    auth.login(WORKER)
    page = client.get("/dashboard").get_data(as_text=True)
    assert f'href="{URL}"' in page
    before, inbox = _placements(), len(_inbox(CONTACT))
    answer = client.post(URL, data={**WORKER_FORM, "submission": _key(client)})
    assert answer.status_code == 302
    assert _placements() == before + 1
    placement = db.session.scalar(select(Placement).order_by(Placement.id.desc()))
    assert placement.self_found and placement.self_found_how == "Via mijn buurman"
    assert placement.employer.postcode == "3481 AB" and placement.hours_per_week == 24
    assert answer.headers["Location"] == f"/plaatsingen/{placement.id}"
    told = _inbox(CONTACT)[inbox:]
    assert [m.subject for m in told] == [
        "Zelf gevonden baan geregistreerd: Sanne Bakker bij Fietsenmaker Spaak"
    ]
    assert "nieuw in het portaal" in told[0].body
    detail = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "Fietsenmaker Spaak" in detail and "Fatima el Amrani" in detail


def test_sent_twice_it_is_one_placement(client, auth, demo):
    auth.login(WORKER)
    form = {**WORKER_FORM, "submission": _key(client)}
    before = _placements()
    first, second = client.post(URL, data=form), client.post(URL, data=form)
    assert first.headers["Location"] == second.headers["Location"]
    assert _placements() == before + 1


def test_bad_input_is_explained_and_kept(client, auth, demo):
    auth.login(WORKER)
    before = _placements()
    form = {
        **WORKER_FORM,
        "postcode": "12",
        "kvk_number": "123",
        "contract_end": "",
        "hours_per_week": "80",
        "submission": _key(client),
    }
    html = client.post(URL, data=form).get_data(as_text=True)
    assert "Vul een postcode in zoals 1234 AB." in html
    assert "Een KvK-nummer heeft precies 8 cijfers." in html
    assert "Vul 1 tot en met 40 uur in." in html
    assert 'value="Fietsenmaker Spaak"' in html and 'value="Dorpsstraat 1"' in html
    assert _placements() == before
    # a temporary contract needs its end date: a rule of the placement, said in words
    html = client.post(
        URL, data={**WORKER_FORM, "contract_end": "", "submission": _key(client)}
    ).get_data(as_text=True)
    assert "Vul de einddatum van het tijdelijke contract in." in html
    assert _placements() == before


def test_the_employer_registers_someone_new_who_gets_the_routed_contact_person(client, auth, demo):
    auth.login(EMPLOYER)
    woerden = db.session.scalar(select(Municipality.id).where(Municipality.name == "Woerden"))
    form = {
        "worker_first_name": "Nina",
        "worker_last_name": "Nieuw",
        "worker_email": "nina.nieuw@example.org",
        "regime": "participatiewet",
        "municipality": woerden,
        "start_date": "2026-11-02",
        "phase": "proefplaatsing",
        "submission": _key(client),
    }
    inbox = len(_inbox("a.jansen@wsp-demo.nl"))
    answer = client.post(URL, data=form)
    assert answer.status_code == 302
    nina = db.session.scalar(select(User).where(User.email == "nina.nieuw@example.org"))
    placement = db.session.scalar(select(Placement).where(Placement.worker_id == nina.id))
    assert placement.self_found and placement.employer_id == user_by_email(EMPLOYER).employer_id
    told = _inbox("a.jansen@wsp-demo.nl")[inbox:]  # FermWerk serves Woerden
    assert len(told) == 1 and "nodig de werknemer uit" in told[0].body
    # the new worker cannot log in until invited
    visitor = client.application.test_client()
    for password in ("", "x", nina.password_hash):
        answer = visitor.post("/inloggen", data={"email": nina.email, "password": password})
        assert answer.status_code == 200 and "Location" not in answer.headers


def test_the_employer_form_refuses_a_staff_address(client, auth, demo):
    auth.login(EMPLOYER)
    woerden = db.session.scalar(select(Municipality.id).where(Municipality.name == "Woerden"))
    before = _placements()
    html = client.post(
        URL,
        data={
            "worker_first_name": "X",
            "worker_last_name": "Y",
            "worker_email": ADMIN,
            "regime": "wajong",
            "municipality": woerden,
            "start_date": "2026-11-02",
            "phase": "vast",
            "submission": _key(client),
        },
    ).get_data(as_text=True)
    assert "hoort bij een account dat geen werknemer is" in html
    assert f'value="{ADMIN}"' in html
    assert _placements() == before


@pytest.mark.parametrize("email", [CONTACT, JOBCOACH, ADMIN, MANAGER])
def test_staff_do_not_use_this_form(client, auth, demo, email):
    auth.login(email)
    assert client.get(URL).status_code == 403
    assert client.post(URL, data=WORKER_FORM).status_code == 403
