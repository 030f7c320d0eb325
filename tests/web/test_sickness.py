"""Ziekmelding screens: each flow per role (and the refusals), a form without any field for the
illness, validation that keeps the input, the guidance page, the contact person's sick list,
the dashboards, and notifications created exactly once per event."""

import re
from datetime import date, timedelta
from html import unescape

import pytest
from babel.dates import format_date as babel_date
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from portal.blueprints.sickness.forms import RecoveryForm, SickReportForm
from portal.extensions import db
from portal.models import InboxMessage, SickReport
from portal.services.caseload import caseload_rows
from portal.services.sickness import open_report, week_end
from tests.conftest import (
    ADMIN,
    CONTACT,
    EMPLOYER,
    JOBCOACH,
    OTHER_CONTACT,
    OTHER_WORKER,
    WORKER,
    user_by_email,
)

MO = "mo@werknemer-demo.nl"  # the demo's sick worker: Korenschoof, temporary contract
DAAN_EMPLOYER = "leiding@heuvelrug-demo.nl"
TODAY = date.today()

REPORT_FIELDS = {
    "csrf_token",
    "worker",
    "first_sick_day",
    "expected_duration",
    "partially_working",
    "working_percent",
    "remark",
    "submit",
}
RECOVERY_FIELDS = {"csrf_token", "recovered_on", "remark", "submit"}


def _html(response) -> str:
    return unescape(response.get_data(as_text=True))


def _english(client) -> None:
    client.post("/taal", data={"lang": "en", "next": "/"})


def _inbox() -> dict[str, int]:
    """Messages per recipient e-mail."""
    rows = db.session.execute(
        select(InboxMessage.user_id, func.count()).group_by(InboxMessage.user_id)
    ).all()
    emails = {user.id: user.email for user in map(user_by_email, _everyone())}
    return {emails.get(user_id, str(user_id)): count for user_id, count in rows}


def _everyone():
    return [WORKER, OTHER_WORKER, MO, EMPLOYER, DAAN_EMPLOYER, CONTACT, OTHER_CONTACT, JOBCOACH]


def _new_messages(before: dict[str, int]) -> dict[str, int]:
    after = _inbox()
    return {
        email: n - before.get(email, 0) for email, n in after.items() if n != before.get(email, 0)
    }


def _form(**overrides) -> dict:
    data = {
        "first_sick_day": (TODAY - timedelta(days=2)).isoformat(),
        "expected_duration": "days",
        "partially_working": "no",
        "working_percent": "",
        "remark": "",
    }
    return data | overrides


def _login(auth, email: str) -> None:
    """Log in as `email`, first logging out whoever is logged in."""
    auth.logout()
    auth.login(email)


def _open(email: str) -> SickReport | None:
    return open_report(db.session, user_by_email(email).id)


def _report_sick(client, auth, reporter: str, worker: str | None = None, **overrides):
    _login(auth, reporter)
    data = _form(**overrides)
    if worker is not None:
        data["worker"] = str(user_by_email(worker).id)
    return client.post("/ziekmelding/nieuw", data=data)


# The form: nothing about the illness ----------------------------------------------------------


def test_the_forms_have_no_field_for_the_illness(app):
    # With CSRF on, as in production, so the token field is part of the exact set.
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        with app.test_request_context():
            report, recovery = SickReportForm(), RecoveryForm()
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert set(report._fields) == REPORT_FIELDS
    assert set(recovery._fields) == RECOVERY_FIELDS
    warning = "Do not write anything about the illness, a diagnosis or medicines (privacy law)."
    assert str(report.remark.description) == warning
    assert str(recovery.remark.description) == warning


@pytest.mark.parametrize(
    ("email", "fields"), [(WORKER, REPORT_FIELDS - {"worker"}), (EMPLOYER, REPORT_FIELDS)]
)
def test_the_rendered_form_asks_nothing_else(client, auth, demo, email, fields):
    _login(auth, email)
    _english(client)
    html = _html(client.get("/ziekmelding/nieuw"))
    form = html.split('action="/ziekmelding/nieuw"')[1].split("</form>")[0]
    names = set(re.findall(r'name="([a-z_]+)"', form))
    assert names == fields - {"csrf_token"}  # no CSRF token in the test configuration
    assert (
        "Do not write anything about the illness, a diagnosis or medicines (privacy law)." in form
    )


# The worker ------------------------------------------------------------------------------------


def test_worker_reports_sick_and_the_contact_and_employer_hear_it_once(client, auth, demo):
    before = _inbox()
    response = _report_sick(
        client,
        auth,
        WORKER,
        partially_working="yes",
        working_percent="40",
        expected_duration="weeks",
        remark="Ik werk alleen de ochtenden.",
    )
    report = _open(WORKER)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/ziekmelding/{report.id}")
    assert (report.partially_working, report.working_percent) == (True, 40)
    assert report.reported_by.email == WORKER and report.employer_id is not None
    # The contact person and the placement's supervisor (the employer user), each once.
    assert _new_messages(before) == {CONTACT: 1, EMPLOYER: 1}
    message = db.session.scalar(
        select(InboxMessage).where(InboxMessage.user_id == user_by_email(CONTACT).id)
    )
    assert "Sanne Bakker" in message.subject and message.link == f"/ziekmelding/{report.id}"
    assert "ochtenden" not in message.body  # the free text stays in the portal


def test_worker_sees_the_guidance_with_the_worker_intro(client, auth, demo):
    _report_sick(client, auth, WORKER)
    report = _open(WORKER)
    _english(client)
    html = _html(client.get(f"/ziekmelding/{report.id}"))
    # Sanne is in a proefplaatsing: she keeps her benefit, the municipality pays it.
    assert "Who is in charge: The benefit provider" in html
    assert "You keep your benefit." in html
    assert "passes it on to the municipality" in html
    assert "Follow the advice of the bedrijfsarts." in html
    assert "Tell the contact person" in html
    assert "No-riskpolis</h2>" not in html


def test_a_second_sick_report_is_refused_with_a_link_to_the_open_one(client, auth, demo):
    _report_sick(client, auth, WORKER)
    report = _open(WORKER)
    before = _inbox()
    # The form itself sends the worker to the open report.
    response = client.get("/ziekmelding/nieuw")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/ziekmelding/{report.id}")
    # A posted second one (an old tab) is refused, stored nowhere, and links to the open one.
    _english(client)
    response = client.post("/ziekmelding/nieuw", data=_form())
    html = _html(response)
    assert response.status_code == 200
    assert "You have already been reported sick since" in html
    assert f'href="/ziekmelding/{report.id}"' in html
    assert db.session.scalar(select(func.count()).select_from(SickReport)) == 2  # + Mo's
    assert _new_messages(before) == {}


def test_the_employer_reporting_an_already_sick_worker_gets_the_link(client, auth, demo):
    mo_report = _open(MO)
    _login(auth, EMPLOYER)
    _english(client)
    response = client.post("/ziekmelding/nieuw", data=_form(worker=str(user_by_email(MO).id)))
    html = _html(response)
    assert "has already been reported sick since" in html
    assert f'href="/ziekmelding/{mo_report.id}"' in html


def test_worker_reports_recovery_once(client, auth, demo):
    _report_sick(client, auth, WORKER)
    report = _open(WORKER)
    before = _inbox()
    response = client.post(
        f"/ziekmelding/{report.id}/hersteld",
        data={"recovered_on": TODAY.isoformat(), "remark": ""},
    )
    assert response.status_code == 302
    db.session.refresh(report)
    assert report.recovered_on == TODAY and report.recovery_reported_by.email == WORKER
    assert _new_messages(before) == {CONTACT: 1, EMPLOYER: 1}
    # Reporting it again: told it is done, nothing changes, nobody is told twice.
    again = client.post(
        f"/ziekmelding/{report.id}/hersteld", data={"recovered_on": TODAY.isoformat()}
    )
    assert again.status_code == 302
    assert client.get(f"/ziekmelding/{report.id}/hersteld").status_code == 302
    assert _new_messages(before) == {CONTACT: 1, EMPLOYER: 1}
    _english(client)
    html = _html(client.get(f"/ziekmelding/{report.id}"))
    assert "Better again" in html
    assert "Report that you are better</a>" not in html


def test_worker_cannot_see_or_close_someone_elses_report(client, auth, demo):
    mo_report = _open(MO)
    _login(auth, WORKER)
    assert client.get(f"/ziekmelding/{mo_report.id}").status_code == 403
    assert client.get(f"/ziekmelding/{mo_report.id}/hersteld").status_code == 403
    response = client.post(
        f"/ziekmelding/{mo_report.id}/hersteld", data={"recovered_on": TODAY.isoformat()}
    )
    assert response.status_code == 403
    assert client.get("/ziekmelding/999999").status_code == 404
    db.session.refresh(mo_report)
    assert mo_report.is_open


# The employer ------------------------------------------------------------------------------


def test_employer_reports_a_worker_sick_and_the_worker_and_contact_hear_it(client, auth, demo):
    before = _inbox()
    response = _report_sick(client, auth, EMPLOYER, WORKER)
    report = _open(WORKER)
    assert response.status_code == 302
    assert report.reported_by.email == EMPLOYER
    assert _new_messages(before) == {CONTACT: 1, WORKER: 1}
    to_worker = db.session.scalar(
        select(InboxMessage).where(InboxMessage.user_id == user_by_email(WORKER).id)
    )
    assert "Marieke Peters" in to_worker.body


def test_employer_chooses_only_from_their_own_workers(client, auth, demo):
    _login(auth, EMPLOYER)
    html = _html(client.get("/ziekmelding/nieuw"))
    assert "Sanne Bakker" in html and "Mohammed Yilmaz" in html
    assert "Daan Visser" not in html
    before = _inbox()
    response = _report_sick(client, auth, EMPLOYER, OTHER_WORKER)
    assert response.status_code == 403
    assert _open(OTHER_WORKER) is None
    assert (
        client.get(f"/ziekmelding/nieuw?werknemer={user_by_email(OTHER_WORKER).id}").status_code
        == 403
    )
    assert _new_messages(before) == {}


def test_employer_sees_only_their_companys_reports(client, auth, demo):
    _report_sick(client, auth, OTHER_CONTACT, OTHER_WORKER)
    daan = _open(OTHER_WORKER)
    mo = _open(MO)
    _login(auth, EMPLOYER)
    _english(client)
    index = _html(client.get("/ziekmelding/"))
    assert "Mohammed Yilmaz" in index and "Daan Visser" not in index
    assert client.get(f"/ziekmelding/{mo.id}").status_code == 200
    assert client.get(f"/ziekmelding/{daan.id}").status_code == 403
    response = client.post(
        f"/ziekmelding/{daan.id}/hersteld", data={"recovered_on": TODAY.isoformat()}
    )
    assert response.status_code == 403
    assert _open(OTHER_WORKER) is not None


def test_employer_reports_recovery_and_the_worker_and_contact_hear_it(client, auth, demo):
    mo = _open(MO)
    _login(auth, EMPLOYER)
    before = _inbox()
    response = client.post(
        f"/ziekmelding/{mo.id}/hersteld",
        data={"recovered_on": TODAY.isoformat(), "remark": "Weer volledig aan het werk."},
    )
    assert response.status_code == 302
    db.session.refresh(mo)
    assert mo.recovered_on == TODAY and mo.recovery_remark == "Weer volledig aan het werk."
    assert _new_messages(before) == {CONTACT: 1, MO: 1}


# The contact person ------------------------------------------------------------------------------


def test_contact_person_sees_the_sick_workers_of_their_caseload(client, auth, demo):
    _report_sick(client, auth, OTHER_CONTACT, OTHER_WORKER)
    mo = _open(MO)
    _login(auth, CONTACT)
    assert client.get("/ziekmelding/").headers["Location"].endswith("/ziekmelding/zieke-werknemers")
    _english(client)
    html = _html(client.get("/ziekmelding/zieke-werknemers"))
    assert "Mohammed Yilmaz" in html and "Daan Visser" not in html
    assert f'href="/ziekmelding/{mo.id}"' in html
    assert '<td class="utrecht-table__cell">22</td>' in html  # days sick: 3 weeks ago is day 22
    assert "The employer until the contract ends, then UWV" in html
    assert "Probleemanalyse by the bedrijfsarts" in html  # the next deadline
    probleemanalyse = week_end(mo.first_sick_day, 6)
    assert f"{babel_date(probleemanalyse, locale='en')}</strong> (week 6)" in html
    # The dashboard shows the number and links to the list.
    dashboard = _html(client.get("/dashboard"))
    assert "Sick workers (1)" in dashboard
    assert 'href="/ziekmelding/zieke-werknemers"' in dashboard


def test_contact_person_reports_for_their_caseload_only(client, auth, demo):
    before = _inbox()
    response = _report_sick(client, auth, CONTACT, WORKER)
    assert response.status_code == 302
    # The worker, and the employer (who is to act at once); never the reporter.
    assert _new_messages(before) == {WORKER: 1, EMPLOYER: 1}
    report = _open(WORKER)
    assert client.get(f"/ziekmelding/{report.id}").status_code == 200
    response = _report_sick(client, auth, CONTACT, OTHER_WORKER)
    assert response.status_code == 403
    assert _open(OTHER_WORKER) is None


def test_another_contact_person_is_refused(client, auth, demo):
    mo = _open(MO)
    _login(auth, OTHER_CONTACT)
    assert client.get(f"/ziekmelding/{mo.id}").status_code == 403
    assert client.get(f"/ziekmelding/{mo.id}/hersteld").status_code == 403
    html = _html(client.get("/ziekmelding/zieke-werknemers"))
    assert "Mohammed Yilmaz" not in html


def test_contact_person_reports_recovery(client, auth, demo):
    mo = _open(MO)
    _login(auth, CONTACT)
    before = _inbox()
    response = client.post(
        f"/ziekmelding/{mo.id}/hersteld", data={"recovered_on": TODAY.isoformat()}
    )
    assert response.status_code == 302
    # Mo, and the employer users of his placement; not the contact person who reported it.
    assert _new_messages(before) == {MO: 1, EMPLOYER: 1}


@pytest.mark.parametrize("email", [JOBCOACH, ADMIN])
def test_jobcoach_and_administrator_are_refused_everywhere(client, auth, demo, email):
    mo = _open(MO)
    _login(auth, email)
    for path in (
        "/ziekmelding/",
        "/ziekmelding/nieuw",
        "/ziekmelding/zieke-werknemers",
        f"/ziekmelding/{mo.id}",
        f"/ziekmelding/{mo.id}/hersteld",
    ):
        assert client.get(path).status_code == 403, path
    response = client.post("/ziekmelding/nieuw", data=_form(worker=str(user_by_email(MO).id)))
    assert response.status_code == 403
    assert (
        client.post(
            f"/ziekmelding/{mo.id}/hersteld", data={"recovered_on": TODAY.isoformat()}
        ).status_code
        == 403
    )


@pytest.mark.parametrize("email", [WORKER, EMPLOYER])
def test_the_sick_workers_list_is_for_contact_persons(client, auth, demo, email):
    _login(auth, email)
    assert client.get("/ziekmelding/zieke-werknemers").status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client, demo):
    response = client.get("/ziekmelding/nieuw")
    assert response.status_code in (302, 401)
    assert "/inloggen" in response.headers.get("Location", "/inloggen")


# Validation -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"first_sick_day": (TODAY + timedelta(days=1)).isoformat()},
            "The first sick day cannot be in the future.",
        ),
        (
            {"first_sick_day": (TODAY - timedelta(weeks=104, days=1)).isoformat()},
            "The first sick day cannot be more than 104 weeks ago.",
        ),
        ({"first_sick_day": ""}, "Fill in a date, for example 1 March 2026."),
        (
            {"partially_working": "yes", "working_percent": ""},
            "Fill in the percentage of the usual work (1 to 99).",
        ),
        (
            {"partially_working": "yes", "working_percent": "100"},
            "Fill in a whole number from 1 to 99.",
        ),
        (
            {"partially_working": "yes", "working_percent": "veel"},
            "Fill in a whole number from 1 to 99.",
        ),
        ({"remark": "x" * 2001}, "Use at most 2000 characters."),
    ],
)
def test_bad_input_is_explained_and_kept(client, auth, demo, overrides, message):
    _login(auth, EMPLOYER)
    _english(client)
    before = _inbox()
    data = _form(worker=str(user_by_email(WORKER).id), **overrides)
    data["remark"] = overrides.get("remark", "Belt morgen de bedrijfsarts.")
    response = client.post("/ziekmelding/nieuw", data=data)
    html = _html(response)
    assert response.status_code == 200
    assert 'id="error-summary"' in html
    assert message in html
    assert data["remark"][:40] in html  # what was typed is still there
    assert _open(WORKER) is None
    assert _new_messages(before) == {}


def test_the_percentage_is_ignored_when_not_partially_working(client, auth, demo):
    _report_sick(client, auth, EMPLOYER, WORKER, partially_working="no", working_percent="50")
    report = _open(WORKER)
    assert (report.partially_working, report.working_percent) == (False, None)


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (TODAY + timedelta(days=1), "The date cannot be in the future."),
        (TODAY - timedelta(days=30), "The date cannot be before the first sick day"),
    ],
)
def test_recovery_date_rules(client, auth, demo, day, message):
    mo = _open(MO)
    _login(auth, EMPLOYER)
    _english(client)
    before = _inbox()
    response = client.post(
        f"/ziekmelding/{mo.id}/hersteld",
        data={"recovered_on": day.isoformat(), "remark": "Vanaf maandag weer"},
    )
    html = _html(response)
    assert response.status_code == 200
    assert message in html and "Vanaf maandag weer" in html
    db.session.refresh(mo)
    assert mo.is_open
    assert _new_messages(before) == {}


def test_a_failed_save_is_reported_and_keeps_the_input(client, auth, demo, monkeypatch):
    _login(auth, EMPLOYER)
    _english(client)
    before = _inbox()

    def failing_commit():
        raise OperationalError("INSERT", {}, Exception("database is locked"))

    monkeypatch.setattr(db.session, "commit", failing_commit)
    response = client.post(
        "/ziekmelding/nieuw",
        data=_form(worker=str(user_by_email(WORKER).id), remark="Belt morgen zelf."),
    )
    monkeypatch.undo()
    html = _html(response)
    assert response.status_code == 200
    assert "The sick report has not been saved." in html
    assert "Belt morgen zelf." in html
    assert _open(WORKER) is None
    assert _new_messages(before) == {}


# The guidance page -------------------------------------------------------------------------------


def test_guidance_of_an_employment_with_the_no_riskpolis(client, auth, demo):
    # Daan: Wajong, temporary contract ending in 23 days: the employer, then UWV.
    first = TODAY - timedelta(days=50)  # week 8: week 6 has passed
    _report_sick(client, auth, OTHER_CONTACT, OTHER_WORKER, first_sick_day=first.isoformat())
    report = _open(OTHER_WORKER)
    _login(auth, DAAN_EMPLOYER)
    _english(client)
    html = _html(client.get(f"/ziekmelding/{report.id}"))
    assert "Who is in charge: The employer until the contract ends, then UWV" in html
    assert "No-riskpolis</h2>" in html
    assert "Applies: the worker has a Wajong benefit." in html
    assert "via UWV's werkgeversportaal" in html
    # The ordered timeline, with past steps marked in words.
    timeline = html.split("<ol")[1].split("</ol>")[0]
    titles = re.findall(r"<strong>([^<]+)</strong>", timeline)
    assert titles[:4] == [
        "Report the sickness to the bedrijfsarts or arbodienst",
        "Report the sickness to UWV with the no-riskpolis",
        "Probleemanalyse by the bedrijfsarts",
        "Plan van aanpak",
    ]
    assert titles[-1] == "The contract ends: UWV takes over"
    assert timeline.count("(date passed)") == 3
    assert "(next deadline)" in timeline
    # The top says who is in charge and the next deadline before the timeline.
    assert html.index("Next deadline:") < html.index("<ol")


def test_guidance_page_in_dutch_by_default(client, auth, demo):
    mo = _open(MO)
    _login(auth, CONTACT)
    html = _html(client.get(f"/ziekmelding/{mo.id}"))
    assert "<ol" in html and 'lang="nl"' in html


# Dashboards and the caseload ----------------------------------------------------------------------


def test_dashboards_offer_the_sick_report(client, auth, demo):
    _login(auth, WORKER)
    _english(client)
    html = _html(client.get("/dashboard"))
    assert 'href="/ziekmelding/nieuw"' in html and "Report sick" in html
    auth.logout()
    mo = _open(MO)
    _login(auth, MO)
    _english(client)
    html = _html(client.get("/dashboard"))
    assert f'href="/ziekmelding/{mo.id}/hersteld"' in html
    auth.logout()
    _login(auth, EMPLOYER)
    _english(client)
    html = _html(client.get("/dashboard"))
    assert "1 worker is reported sick now." in html
    assert 'href="/ziekmelding/nieuw"' in html and 'href="/ziekmelding/"' in html


def test_the_caseload_flags_sick_workers(demo):
    rows = caseload_rows(db.session, user_by_email(CONTACT).id, TODAY)
    reasons = {row.worker.email: {r.code for r in row.risk.reasons} for row in rows}
    assert "sick" in reasons[MO]
    assert "sick" not in reasons[WORKER]
