"""The administrator's reference-data screens: executing organisations, municipalities, the
routing table (with its effect and the refusal of a gap or a duplicate), employers (search,
paging, contact person), end reasons and melding categories (deactivated, never deleted).
Every change lands in the audit log; bad input comes back explained with the typed values."""

from __future__ import annotations

import re
from html import unescape

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from portal.extensions import db
from portal.models import (
    AuditAction,
    AuditEvent,
    ContactAssignment,
    Employer,
    EndReason,
    ExecutingOrganisation,
    Municipality,
    Placement,
    ProblemCategory,
    Regime,
    RoutingRule,
)
from portal.services.routing import executing_organisation, load_rules
from tests.conftest import ADMIN, CONTACT, EMPLOYER, JOBCOACH, MANAGER, WORKER, user_by_email

KEY = "0123456789abcdef0123456789abcdef"  # a one-off form key as the portal hands them out


@pytest.fixture
def admin(client, auth, demo):
    auth.login(ADMIN)
    return client


def _html(response) -> str:
    return unescape(response.get_data(as_text=True))


def _one(model, **where):
    return db.session.scalar(select(model).filter_by(**where))


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _audit(entity: str, action: AuditAction) -> list[AuditEvent]:
    """The administrator's audit rows of this kind (the demo seed writes its own rows)."""
    return list(
        db.session.scalars(
            select(AuditEvent)
            .where(
                AuditEvent.entity == entity,
                AuditEvent.action == action,
                AuditEvent.actor_id == user_by_email(ADMIN).id,
            )
            .order_by(AuditEvent.id)
        )
    )


def _rule(regime: Regime | None, municipality: str | None) -> RoutingRule:
    query = select(RoutingRule).where(
        RoutingRule.regime.is_(None) if regime is None else RoutingRule.regime == regime
    )
    if municipality is None:
        query = query.where(RoutingRule.municipality_id.is_(None))
    else:
        query = query.join(Municipality).where(Municipality.name == municipality)
    return db.session.scalar(query)


def _failing_commit(monkeypatch):
    def fail():
        raise OperationalError("UPDATE", {}, Exception("database is locked"))

    monkeypatch.setattr(db.session, "commit", fail)


# --- Every screen, and only for the administrator ---------------------------------------------


def _screens() -> list[str]:
    organisation = _one(ExecutingOrganisation, name="FermWerk")
    municipality = _one(Municipality, name="Woerden")
    rule = _rule(Regime.WAJONG, None)
    employer = _one(Employer, kvk_number="30123456")
    reason = _one(EndReason, code="no_match")
    category = _one(ProblemCategory, code="workload")
    return [
        "/beheer/organisaties",
        "/beheer/organisaties/nieuw",
        f"/beheer/organisaties/{organisation.id}",
        "/beheer/gemeenten",
        "/beheer/gemeenten/nieuw",
        f"/beheer/gemeenten/{municipality.id}",
        "/beheer/routering",
        "/beheer/routering/nieuw",
        f"/beheer/routering/{rule.id}",
        "/beheer/werkgevers",
        "/beheer/werkgevers/nieuw",
        f"/beheer/werkgevers/{employer.id}",
        "/beheer/beeindigingsredenen",
        "/beheer/beeindigingsredenen/nieuw",
        f"/beheer/beeindigingsredenen/{reason.id}",
        "/beheer/meldingscategorieen",
        "/beheer/meldingscategorieen/nieuw",
        f"/beheer/meldingscategorieen/{category.id}",
    ]


def test_every_screen_opens_with_one_heading_and_its_own_title(admin):
    titles = set()
    for path in _screens():
        response = admin.get(path)
        assert response.status_code == 200, path
        html = response.get_data(as_text=True)
        assert html.count("<h1") == 1, path
        titles.add(re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip())
    assert len(titles) == len(_screens())


def test_the_overview_links_to_every_list(admin):
    html = admin.get("/dashboard").get_data(as_text=True)
    for path in (
        "/beheer/organisaties",
        "/beheer/gemeenten",
        "/beheer/routering",
        "/beheer/werkgevers",
        "/beheer/beeindigingsredenen",
        "/beheer/meldingscategorieen",
    ):
        assert f'href="{path}"' in html


@pytest.mark.parametrize("email", [WORKER, EMPLOYER, CONTACT, JOBCOACH, MANAGER])
def test_other_roles_are_refused(client, auth, demo, email):
    auth.login(email)
    for path in _screens():
        assert client.get(path).status_code == 403, path
    organisation = _one(ExecutingOrganisation, name="FermWerk")
    response = client.post(f"/beheer/organisaties/{organisation.id}", data={"name": "Overgenomen"})
    assert response.status_code == 403
    assert _one(ExecutingOrganisation, id=organisation.id).name == "FermWerk"


# --- Executing organisations ------------------------------------------------------------------


def _organisation_form(**changes):
    data = {
        "name": "Werkbedrijf Vianen",
        "phone": "0347 123 456",
        "office_email": "info@vianen.example",
        "jobcoach_report_frequency": "quarterly_after_trial",
        "submission": KEY,
    }
    data.update(changes)
    return data


def test_an_organisation_is_added_once_even_when_sent_twice(admin):
    first = admin.post("/beheer/organisaties/nieuw", data=_organisation_form())
    assert first.status_code == 302 and first.location.endswith("/beheer/organisaties")
    again = admin.post("/beheer/organisaties/nieuw", data=_organisation_form())
    assert again.status_code == 302
    added = _one(ExecutingOrganisation, name="Werkbedrijf Vianen")
    assert again.location.endswith(f"/beheer/organisaties/{added.id}")
    assert added.phone == "0347 123 456"
    assert added.jobcoach_report_frequency.value == "quarterly_after_trial"
    assert _count(ExecutingOrganisation) == 7
    assert len(_audit("executing_organisation", AuditAction.CREATE)) == 1
    assert "Werkbedrijf Vianen" in _html(admin.get("/beheer/organisaties"))


def test_an_organisation_name_is_unique_and_the_input_is_kept(admin):
    response = admin.post(
        "/beheer/organisaties/nieuw",
        data=_organisation_form(name="fermwerk", office_email="geen-adres"),
    )
    html = _html(response)
    assert response.status_code == 200
    assert "Vul een e-mailadres in." in html
    assert 'value="geen-adres"' in html
    response = admin.post("/beheer/organisaties/nieuw", data=_organisation_form(name="fermwerk"))
    html = _html(response)
    assert "Deze naam wordt al gebruikt. Kies een andere naam." in html
    assert 'value="fermwerk"' in html and 'value="0347 123 456"' in html
    assert _count(ExecutingOrganisation) == 6


def test_editing_an_organisation_is_audited(admin):
    organisation = _one(ExecutingOrganisation, name="FermWerk")
    path = f"/beheer/organisaties/{organisation.id}"
    assert 'value="0348 123 456"' in admin.get(path).get_data(as_text=True)
    response = admin.post(
        path,
        data=_organisation_form(
            name="FermWerk",
            phone="0348 999 999",
            office_email="",
            jobcoach_report_frequency="monthly",
        ),
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert organisation.phone == "0348 999 999" and organisation.email is None
    (change,) = _audit("executing_organisation", AuditAction.UPDATE)
    assert change.entity_id == str(organisation.id)
    assert change.actor_role == "administrator"
    assert {"phone", "email"} <= set(change.changes)


def test_a_failed_save_says_so_and_keeps_the_input(admin, monkeypatch):
    organisation = _one(ExecutingOrganisation, name="FermWerk")
    _failing_commit(monkeypatch)
    response = admin.post(
        f"/beheer/organisaties/{organisation.id}",
        data=_organisation_form(name="FermWerk Nieuw"),
    )
    monkeypatch.undo()
    html = _html(response)
    assert response.status_code == 200
    assert "Dit is niet opgeslagen. Probeer het opnieuw." in html
    assert 'value="FermWerk Nieuw"' in html
    db.session.expire_all()
    assert _one(ExecutingOrganisation, id=organisation.id).name == "FermWerk"


# --- Municipalities ---------------------------------------------------------------------------


def _municipality_form(**changes):
    data = {
        "name": "Vijfheerenlanden",
        "buurtteam_name": "Sociaal team Vijfheerenlanden",
        "buurtteam_phone": "0345 123 456",
        "buurtteam_url": "https://www.vijfheerenlanden.nl",
        "submission": KEY,
    }
    data.update(changes)
    return data


def test_a_new_municipality_is_routed_from_the_start(admin):
    lekstroom = _one(ExecutingOrganisation, name="Werk en Inkomen Lekstroom")
    response = admin.post(
        "/beheer/gemeenten/nieuw", data=_municipality_form(organisation=lekstroom.id)
    )
    assert response.status_code == 302
    added = _one(Municipality, name="Vijfheerenlanden")
    assert added.buurtteam_name == "Sociaal team Vijfheerenlanden"
    rules = load_rules(db.session)
    assert executing_organisation("participatiewet", "Vijfheerenlanden", rules) == lekstroom.name
    assert executing_organisation("wajong", "Vijfheerenlanden", rules) == "UWV"
    html = _html(admin.get("/beheer/routering"))
    assert "Vijfheerenlanden" in html
    assert len(_audit("municipality", AuditAction.CREATE)) == 1
    assert len(_audit("routing_rule", AuditAction.CREATE)) == 1


def test_a_new_municipality_needs_an_organisation_and_a_web_link(admin):
    response = admin.post(
        "/beheer/gemeenten/nieuw",
        data=_municipality_form(buurtteam_url="javascript:alert(1)", organisation="0"),
    )
    html = _html(response)
    assert "Kies een organisatie." in html
    assert "Vul een webadres in dat begint met https://." in html
    assert 'value="Sociaal team Vijfheerenlanden"' in html
    assert _one(Municipality, name="Vijfheerenlanden") is None


def test_editing_a_municipality_is_audited_and_shows_its_routes(admin):
    woerden = _one(Municipality, name="Woerden")
    path = f"/beheer/gemeenten/{woerden.id}"
    html = _html(admin.get(path))
    assert "Participatiewet: FermWerk" in html and "Wajong: UWV" in html
    response = admin.post(
        path,
        data={
            "name": "Woerden",
            "buurtteam_name": "Sociaal Team Woerden",
            "buurtteam_phone": "0348 428 000",
            "buurtteam_url": "https://www.woerden.nl",
        },
    )
    assert response.status_code == 302
    (change,) = _audit("municipality", AuditAction.UPDATE)
    assert {"buurtteam_name", "buurtteam_phone"} <= set(change.changes)
    taken = admin.post(path, data={"name": "utrecht"})
    assert "Deze naam wordt al gebruikt." in _html(taken)


# --- Routing table ----------------------------------------------------------------------------


def test_the_routing_page_shows_the_rules_and_their_effect(admin):
    html = _html(admin.get("/beheer/routering"))
    result = html.split("Uitvoeringsorganisatie per gemeente en regeling", 1)[1]
    utrecht = result.split(">Utrecht</th>", 1)[1].split("</tr>", 1)[0]
    assert utrecht.count("Gemeente Utrecht") == 2 and utrecht.count("UWV") == 1
    assert "Geen organisatie" not in html


def test_a_rule_is_added_changed_and_shown_in_the_effect(admin):
    rsd = _one(ExecutingOrganisation, name="RSD Kromme Rijn Heuvelrug")
    utrecht = _one(Municipality, name="Utrecht")
    response = admin.post(
        "/beheer/routering/nieuw",
        data={
            "regime": "praktijkroute",
            "municipality": utrecht.id,
            "organisation": rsd.id,
            "submission": KEY,
        },
    )
    assert response.status_code == 302
    rules = load_rules(db.session)
    assert executing_organisation("praktijkroute", "Utrecht", rules) == rsd.name
    assert executing_organisation("participatiewet", "Utrecht", rules) == "Gemeente Utrecht"
    rule = _rule(Regime.PRAKTIJKROUTE, "Utrecht")
    fermwerk = _one(ExecutingOrganisation, name="FermWerk")
    response = admin.post(f"/beheer/routering/{rule.id}", data={"organisation": fermwerk.id})
    assert response.status_code == 302
    assert executing_organisation("praktijkroute", "Utrecht", load_rules(db.session)) == "FermWerk"
    (change,) = _audit("routing_rule", AuditAction.UPDATE)
    assert "executing_organisation_id" in change.changes


@pytest.mark.parametrize(("regime", "municipality"), [("wajong", "0"), ("", "utrecht")])
def test_a_duplicate_rule_is_refused(admin, regime, municipality):
    uwv = _one(ExecutingOrganisation, name="UWV")
    if municipality == "utrecht":
        municipality = _one(Municipality, name="Utrecht").id
    before = _count(RoutingRule)
    response = admin.post(
        "/beheer/routering/nieuw",
        data={"regime": regime, "municipality": municipality, "organisation": uwv.id},
    )
    assert response.status_code == 200
    assert "Er is al een regel voor deze regeling en gemeente." in _html(response)
    assert _count(RoutingRule) == before


def test_a_rule_that_leaves_a_gap_is_not_deleted(admin):
    rule = _rule(None, "Zeist")
    response = admin.post(f"/beheer/routering/{rule.id}/verwijderen", data={"confirm": "y"})
    html = _html(response)
    assert response.status_code == 200
    assert "Deze regel kan niet worden verwijderd" in html
    assert "Participatiewet in Zeist" in html and "Praktijkroute in Zeist" in html
    assert "Wajong in Zeist" not in html  # Wajong goes to UWV by its own rule
    assert db.session.get(RoutingRule, rule.id) is not None
    assert _audit("routing_rule", AuditAction.DELETE) == []


def test_deleting_asks_for_confirmation(admin):
    rule = _rule(None, "Zeist")
    response = admin.post(f"/beheer/routering/{rule.id}/verwijderen", data={})
    assert "Vink het vakje aan om te bevestigen." in _html(response)
    assert db.session.get(RoutingRule, rule.id) is not None


def test_a_rule_that_is_covered_otherwise_is_deleted_and_audited(admin):
    gemeente = _one(ExecutingOrganisation, name="Gemeente Utrecht")
    utrecht = _one(Municipality, name="Utrecht")
    db.session.add(
        RoutingRule(
            regime=Regime.PARTICIPATIEWET, municipality=utrecht, executing_organisation=gemeente
        )
    )
    db.session.commit()
    rule = _rule(Regime.PARTICIPATIEWET, "Utrecht")
    response = admin.post(f"/beheer/routering/{rule.id}/verwijderen", data={"confirm": "y"})
    assert response.status_code == 302
    assert db.session.get(RoutingRule, rule.id) is None
    (deleted,) = _audit("routing_rule", AuditAction.DELETE)
    assert deleted.actor_id == user_by_email(ADMIN).id


# --- Employers --------------------------------------------------------------------------------


def _employer_form(**changes):
    data = {
        "name": "Drukkerij Het Anker",
        "kvk_number": "3045 6789",
        "street": "Havenstraat 3",
        "postcode": "3441bz",
        "city": "Woerden",
        "submission": KEY,
    }
    data.update(changes)
    return data


def test_an_employer_is_added_with_a_clean_kvk_number_and_postcode(admin):
    response = admin.post("/beheer/werkgevers/nieuw", data=_employer_form())
    added = _one(Employer, kvk_number="30456789")
    assert response.status_code == 302
    assert response.location.endswith(f"/beheer/werkgevers/{added.id}")
    assert added.postcode == "3441 BZ"
    html = _html(admin.get(response.location))
    assert "Deze werkgever heeft nog geen contactpersoon." in html
    assert f'href="/contactpersonen/werkgever/{added.id}"' in html
    assert len(_audit("employer", AuditAction.CREATE)) == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("kvk_number", "1234567", "Een KvK-nummer heeft precies 8 cijfers."),
        ("kvk_number", "30123456", "Een andere werkgever heeft dit KvK-nummer al."),
        ("postcode", "0123 AB", "Vul een postcode in zoals 1234 AB."),
        ("postcode", "1234 SS", "Vul een postcode in zoals 1234 AB."),
        ("name", "  ", "Vul dit veld in."),
    ],
)
def test_bad_employer_values_are_explained_and_kept(admin, field, value, message):
    before = _count(Employer)
    response = admin.post("/beheer/werkgevers/nieuw", data=_employer_form(**{field: value}))
    html = _html(response)
    assert response.status_code == 200
    assert message in html
    assert 'value="Havenstraat 3"' in html
    assert _count(Employer) == before


def test_editing_an_employer_shows_the_contact_person_and_is_audited(admin):
    employer = _one(Employer, kvk_number="30123456")
    path = f"/beheer/werkgevers/{employer.id}"
    contact = db.session.scalar(
        select(ContactAssignment).where(
            ContactAssignment.employer_id == employer.id, ContactAssignment.ends_on.is_(None)
        )
    )
    html = _html(admin.get(path))
    assert contact.contact_person.full_name in html
    assert f'href="/contactpersonen/werkgever/{employer.id}"' in html
    response = admin.post(
        path,
        data={
            "name": employer.name,
            "kvk_number": "30123456",  # its own number is not "taken"
            "street": "Lange Nieuwstraat 14",
            "postcode": "3512 PH",
            "city": "Utrecht",
        },
    )
    assert response.status_code == 302
    (change,) = _audit("employer", AuditAction.UPDATE)
    assert set(change.changes) == {"street"}


def test_employers_are_searched_and_paged(admin):
    for number in range(30):
        db.session.add(
            Employer(
                name=f"Testbedrijf {number:02d}",
                kvk_number=f"{40000000 + number}",
                street="Straat 1",
                postcode="3511 AA",
                city="Amersfoort" if number == 7 else "Utrecht",
            )
        )
    db.session.commit()
    first = _html(admin.get("/beheer/werkgevers"))
    assert "33 werkgevers" in first and "Pagina 1 van 2" in first
    second = _html(admin.get("/beheer/werkgevers?pagina=2"))
    assert "Zorgcentrum De Linde" in second  # sorted by name, after the Testbedrijven
    by_city = _html(admin.get("/beheer/werkgevers?q=amersfoort"))
    assert "1 werkgever gevonden" in by_city and "Testbedrijf 07" in by_city
    by_kvk = _html(admin.get("/beheer/werkgevers?q=3012 3456"))
    assert "Bakkerij De Korenschoof" in by_kvk and "1 werkgever gevonden" in by_kvk
    by_name = _html(admin.get("/beheer/werkgevers?q=korenschoof"))
    assert "Bakkerij De Korenschoof" in by_name
    wildcard = _html(admin.get("/beheer/werkgevers?q=%25"))
    assert "Geen werkgever gevonden met “%”." in wildcard


# --- End reasons and melding categories -------------------------------------------------------


def _reason_form(**changes):
    data = {
        "code": "moved_away",
        "label_nl": "Verhuisd",
        "label_en": "Moved away",
        "needs_explanation": "y",
        "sort_order": "500",
        "submission": KEY,
    }
    data.update(changes)
    return data


def test_an_end_reason_is_added_and_offered(admin, client, auth):
    response = admin.post("/beheer/beeindigingsredenen/nieuw", data=_reason_form())
    assert response.status_code == 302
    added = _one(EndReason, code="moved_away")
    assert added.needs_explanation and added.active and added.sort_order == 500
    auth.logout()
    auth.login(CONTACT)
    placement = db.session.scalar(
        select(Placement).where(Placement.worker_id == user_by_email(WORKER).id)
    )
    form = client.get(f"/plaatsingen/{placement.id}/beeindigen").get_data(as_text=True)
    assert "Verhuisd" in form


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("Moved Away", "Gebruik alleen kleine letters, cijfers en liggende streepjes"),
        ("no_match", "Deze code wordt al gebruikt. Kies een andere code."),
        ("", "Vul dit veld in."),
    ],
)
def test_a_bad_code_is_explained_and_the_input_kept(admin, code, message):
    before = _count(EndReason)
    response = admin.post("/beheer/beeindigingsredenen/nieuw", data=_reason_form(code=code))
    html = _html(response)
    assert message in html
    assert 'value="Verhuisd"' in html
    assert _count(EndReason) == before


def test_the_code_cannot_be_changed_and_an_edit_is_audited(admin):
    reason = _one(EndReason, code="no_match")
    response = admin.post(
        f"/beheer/beeindigingsredenen/{reason.id}",
        data={
            "code": "something_else",
            "label_nl": "Geen goede klik",
            "label_en": reason.label_en,
            "sort_order": "0",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert reason.code == "no_match" and reason.label_nl == "Geen goede klik"
    assert reason.sort_order == 0
    (change,) = _audit("end_reason", AuditAction.UPDATE)
    assert "label_nl" in change.changes and "code" not in change.changes


def test_a_deactivated_end_reason_is_no_longer_offered_but_kept(admin, client, auth):
    reason = _one(EndReason, code="no_match")
    page = admin.get(f"/beheer/beeindigingsredenen/{reason.id}").get_data(as_text=True)
    assert "Deactiveren" in page
    response = admin.post(f"/beheer/beeindigingsredenen/{reason.id}/actief", data={"active": "0"})
    assert response.status_code == 302
    db.session.expire_all()
    assert reason.active is False
    assert "Gedeactiveerd" in _html(admin.get("/beheer/beeindigingsredenen"))
    auth.logout()
    auth.login(CONTACT)
    placement = db.session.scalar(
        select(Placement).where(Placement.worker_id == user_by_email(WORKER).id)
    )
    form = _html(client.get(f"/plaatsingen/{placement.id}/beeindigen"))
    assert reason.label_nl not in form
    auth.logout()
    auth.login(ADMIN)
    admin.post(f"/beheer/beeindigingsredenen/{reason.id}/actief", data={"active": "1"})
    db.session.expire_all()
    assert reason.active is True
    assert len(_audit("end_reason", AuditAction.UPDATE)) == 2


def test_a_strange_status_value_changes_nothing(admin):
    reason = _one(EndReason, code="no_match")
    response = admin.post(f"/beheer/beeindigingsredenen/{reason.id}/actief", data={"active": "x"})
    assert response.status_code == 302
    db.session.expire_all()
    assert reason.active is True


def test_a_category_is_added_edited_and_deactivated(admin, client, auth):
    response = admin.post(
        "/beheer/meldingscategorieen/nieuw",
        data={
            "code": "debts",
            "label_nl": "Schulden",
            "label_en": "Debts",
            "outside_work": "y",
            "sort_order": "5",
            "submission": KEY,
        },
    )
    assert response.status_code == 302
    added = _one(ProblemCategory, code="debts")
    assert added.outside_work and added.active
    workload = _one(ProblemCategory, code="workload")
    admin.post(f"/beheer/meldingscategorieen/{workload.id}/actief", data={"active": "0"})
    auth.logout()
    auth.login(WORKER)
    form = _html(client.get("/meldingen/nieuw"))
    assert "Schulden" in form and workload.label_nl not in form
    assert len(_audit("problem_category", AuditAction.CREATE)) == 1
    assert len(_audit("problem_category", AuditAction.UPDATE)) == 1


def test_a_bad_sort_order_is_explained(admin):
    category = _one(ProblemCategory, code="workload")
    response = admin.post(
        f"/beheer/meldingscategorieen/{category.id}",
        data={"label_nl": "Werkdruk", "label_en": "Workload", "sort_order": "-1"},
    )
    html = _html(response)
    assert "Vul een getal van 0 tot en met 9999 in." in html
    assert 'value="Werkdruk"' in html


def test_the_kvk_number_can_be_completed_later(admin):
    response = admin.post("/beheer/werkgevers/nieuw", data=_employer_form(kvk_number=""))
    added = _one(Employer, name="Drukkerij Het Anker")
    assert response.status_code == 302 and added.kvk_number is None
    assert "nog niet bekend" in _html(admin.get("/beheer/werkgevers"))
    path = f"/beheer/werkgevers/{added.id}"
    assert "Werkgever Drukkerij Het Anker (nog zonder KvK-nummer)" in _html(admin.get(path))
    data = _employer_form(kvk_number="30456789")
    del data["submission"]
    assert admin.post(path, data=data).status_code == 302
    db.session.expire_all()
    assert added.kvk_number == "30456789"


def test_a_rule_needs_choices_from_the_lists(admin):
    before = _count(RoutingRule)
    response = admin.post(
        "/beheer/routering/nieuw",
        data={"regime": "wsw", "municipality": "999999", "organisation": "0", "submission": KEY},
    )
    html = _html(response)
    assert "Kies een regeling uit de lijst." in html
    assert "Kies een gemeente uit de lijst." in html
    assert "Kies een organisatie." in html
    assert _count(RoutingRule) == before
