"""Jobcoaching screens: a jobcoach sees only their own workers, the contact person reads the
reports, forms keep what was typed, reports are stored or the user is told, admin frequency."""

import re
from datetime import date, timedelta
from html import unescape

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from portal.demo import DEMO_PASSWORD, enrol_demo_staff
from portal.demo_coaching import seed_coaching_demo
from portal.extensions import db
from portal.models import (
    BuildDownAdvice,
    CoachingActivity,
    CoachingRefusal,
    ExecutingOrganisation,
    JobcoachReport,
    Placement,
    ReportFrequency,
    Role,
    User,
)
from portal.security import hash_password
from portal.services.coaching import coaching_summary, report_frequency
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

SECOND_JOBCOACH = "m.smits@jobcoach-demo.nl"
NOAH = "noah@werknemer-demo.nl"
LOTTE = "lotte@werknemer-demo.nl"


@pytest.fixture
def coached(demo):
    """The demo cast with its demo coaching (Sanne on schedule, Daan late, Noah just started),
    and a second jobcoach who coaches nobody yet."""
    seed_coaching_demo(db.session, date.today())
    second = User(
        email=SECOND_JOBCOACH,
        password_hash=hash_password(DEMO_PASSWORD),
        first_name="Mila",
        last_name="Smits",
        role=Role.JOBCOACH,
    )
    enrol_demo_staff(second)
    db.session.add(second)
    db.session.commit()
    return demo


def _placement_of(email: str) -> Placement:
    return db.session.scalar(
        select(Placement).where(Placement.worker_id == user_by_email(email).id)
    )


def _count(model, **where) -> int:
    query = select(func.count()).select_from(model)
    for name, value in where.items():
        query = query.where(getattr(model, name) == value)
    return db.session.scalar(query)


def _html(response) -> str:
    return unescape(response.data.decode())


def _sanne_report(**overrides) -> JobcoachReport:
    """A stored report on Sanne's placement (as the demo jobcoach)."""
    sanne = _placement_of(WORKER)
    fields = {
        "placement": sanne,
        "jobcoach_id": user_by_email(JOBCOACH).id,
        "period_start": date.today() - timedelta(days=10),
        "period_end": date.today() - timedelta(days=5),
        "hours_spent": 2.5,
        "worked_on": "Werkritme en pauzes",
        "how_it_goes": 4,
        "next_step": "Om de week langskomen",
        "build_down": BuildDownAdvice.SAME,
    } | overrides
    report = JobcoachReport(**fields)
    db.session.add(report)
    db.session.commit()
    return report


# Who may see what -----------------------------------------------------------------------------


def test_jobcoach_sees_only_their_own_workers_with_late_reports_first(client, auth, coached):
    daan, sanne = _placement_of(OTHER_WORKER), _placement_of(WORKER)
    auth.login(JOBCOACH)
    html = _html(client.get("/jobcoaching/"))
    names = ["Daan Visser", "Sanne Bakker", "Noah Mulder"]
    assert all(name in html for name in names)
    assert [html.index(name) for name in names] == sorted(html.index(n) for n in names)
    assert "Lotte Smit" not in html and "Mohammed Yilmaz" not in html
    # Daan's report is late: the alert links to writing it and shows the days in words.
    late = coaching_summary(db.session, daan, date.today()).status
    assert late.days_late > 14
    assert f"/jobcoaching/plaatsing/{daan.id}/rapportage" in html
    assert f"/jobcoaching/plaatsing/{sanne.id}/rapportage" not in html
    assert f"{late.days_late}" in html


def test_dashboard_shows_the_same_overview(client, auth, coached):
    daan = _placement_of(OTHER_WORKER)
    auth.login(JOBCOACH)
    html = _html(client.get("/dashboard"))
    assert "Sanne Bakker" in html and "Noah Mulder" in html and "Lotte Smit" not in html
    assert f"/jobcoaching/plaatsing/{daan.id}/rapportage" in html  # the late report


def test_a_second_jobcoach_sees_only_their_own_worker(client, auth, coached):
    noah = _placement_of(NOAH)
    noah.jobcoach_id = user_by_email(SECOND_JOBCOACH).id
    db.session.commit()
    auth.login(SECOND_JOBCOACH)
    html = _html(client.get("/jobcoaching/"))
    assert "Noah Mulder" in html
    assert "Sanne Bakker" not in html and "Daan Visser" not in html
    auth.logout()
    auth.login(JOBCOACH)
    assert "Noah Mulder" not in _html(client.get("/jobcoaching/"))


def test_overview_is_for_jobcoaches_only(client, auth, coached):
    assert client.get("/jobcoaching/").status_code == 302  # to the log-in page
    for email in (WORKER, EMPLOYER, CONTACT, ADMIN):
        auth.login(email)
        assert client.get("/jobcoaching/").status_code == 403, email
        auth.logout()


def test_access_per_route_role_and_object(client, auth, coached):
    """Sanne: jobcoach Pieter, contact person Fatima. Everyone else is refused, including
    another jobcoach and another contact person; unknown ids are 404."""
    sanne = _placement_of(WORKER)
    report = _sanne_report()
    routes = {
        f"/jobcoaching/plaatsing/{sanne.id}": {JOBCOACH, CONTACT},
        f"/jobcoaching/plaatsing/{sanne.id}/rapportage": {JOBCOACH},
        f"/jobcoaching/rapportage/{report.id}": {JOBCOACH, CONTACT},
        f"/jobcoaching/plaatsing/{sanne.id}/afgewezen": {JOBCOACH, CONTACT},
    }
    for email in (WORKER, EMPLOYER, CONTACT, OTHER_CONTACT, JOBCOACH, SECOND_JOBCOACH, ADMIN):
        auth.login(email)
        for path, allowed in routes.items():
            status = client.get(path).status_code
            assert status == (200 if email in allowed else 403), (email, path)
        post = client.post(
            f"/jobcoaching/plaatsing/{sanne.id}/activiteit",
            data={"activity_date": date.today().isoformat(), "hours": "1", "kind": "other"},
        )
        assert post.status_code == (302 if email == JOBCOACH else 403), email
        auth.logout()
    assert _count(CoachingActivity, placement_id=sanne.id, note=None) == 1  # only Pieter's


@pytest.mark.parametrize("email", [JOBCOACH, CONTACT])
def test_unknown_ids_are_404(client, auth, coached, email):
    auth.login(email)
    for path in (
        "/jobcoaching/plaatsing/999999",
        "/jobcoaching/plaatsing/999999/afgewezen",
        "/jobcoaching/rapportage/999999",
    ):
        assert client.get(path).status_code == 404, path
    if email == JOBCOACH:
        assert client.get("/jobcoaching/plaatsing/999999/rapportage").status_code == 404
        response = client.post("/jobcoaching/plaatsing/999999/activiteit", data={"hours": "1"})
        assert response.status_code == 404


def test_the_author_still_reads_a_report_after_the_jobcoach_changed(client, auth, coached):
    report = _sanne_report()
    report.placement.jobcoach_id = user_by_email(SECOND_JOBCOACH).id
    db.session.commit()
    auth.login(JOBCOACH)
    assert client.get(f"/jobcoaching/rapportage/{report.id}").status_code == 200
    assert client.get(f"/jobcoaching/plaatsing/{report.placement_id}").status_code == 403
    auth.logout()
    auth.login(SECOND_JOBCOACH)
    assert client.get(f"/jobcoaching/rapportage/{report.id}").status_code == 200


# The placement page and activities ------------------------------------------------------------


def test_placement_page_shows_hours_schedule_activities_and_reports(client, auth, coached):
    sanne = _placement_of(WORKER)
    summary = coaching_summary(db.session, sanne, date.today())
    assert summary.year_hours == 9.5
    report = db.session.scalar(select(JobcoachReport).where(JobcoachReport.placement == sanne))
    auth.login(JOBCOACH)
    html = _html(client.get(f"/jobcoaching/plaatsing/{sanne.id}"))
    assert "Sanne Bakker" in html and "Bakkerij De Korenschoof" in html
    assert "9,5" in html and "52" in html  # hours this coaching year, Dutch decimal comma
    assert "Meegelopen tijdens de eerste werkdagen" in html  # an activity's note
    assert f"/jobcoaching/rapportage/{report.id}" in html
    assert f'action="/jobcoaching/plaatsing/{sanne.id}/activiteit"' in html
    assert f"/jobcoaching/plaatsing/{sanne.id}/afgewezen" in html


def test_contact_person_sees_the_page_without_the_jobcoach_forms(client, auth, coached):
    sanne = _placement_of(WORKER)
    auth.login(CONTACT)
    html = _html(client.get(f"/jobcoaching/plaatsing/{sanne.id}"))
    assert "Meegelopen tijdens de eerste werkdagen" in html
    assert f"/jobcoaching/plaatsing/{sanne.id}/activiteit" not in html
    assert f"/jobcoaching/plaatsing/{sanne.id}/rapportage" not in html
    assert f"/jobcoaching/plaatsing/{sanne.id}/afgewezen" in html


def test_registering_an_activity(client, auth, coached):
    sanne = _placement_of(WORKER)
    before = _count(CoachingActivity, placement_id=sanne.id)
    auth.login(JOBCOACH)
    response = client.post(
        f"/jobcoaching/plaatsing/{sanne.id}/activiteit",
        data={
            "activity_date": date.today().isoformat(),
            "hours": "1,5",  # a decimal comma, as typed in Dutch
            "kind": "talk_supervisor",
            "note": "Rooster besproken",
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/jobcoaching/plaatsing/{sanne.id}")
    activity = db.session.scalar(
        select(CoachingActivity).where(CoachingActivity.note == "Rooster besproken")
    )
    assert activity.hours == 1.5
    assert activity.activity_date == date.today()
    assert activity.kind.value == "talk_supervisor"
    assert activity.jobcoach_id == user_by_email(JOBCOACH).id
    assert _count(CoachingActivity, placement_id=sanne.id) == before + 1
    assert coaching_summary(db.session, sanne, date.today()).year_hours == 11.0


@pytest.mark.parametrize(
    ("day", "hours", "field"),
    [
        (date.today() + timedelta(days=1), "2", "activity_date"),  # in the future
        (date(2000, 1, 1), "2", "activity_date"),  # before the placement started
        (date.today(), "0", "hours"),
        (date.today(), "24,5", "hours"),
        (date.today(), "", "hours"),
        (None, "2", "activity_date"),
    ],
)
def test_invalid_activity_keeps_the_input(client, auth, coached, day, hours, field):
    sanne = _placement_of(WORKER)
    before = _count(CoachingActivity)
    auth.login(JOBCOACH)
    response = client.post(
        f"/jobcoaching/plaatsing/{sanne.id}/activiteit",
        data={
            "activity_date": day.isoformat() if day else "",
            "hours": hours,
            "kind": "on_the_job",
            "note": "Mijn notitie blijft staan",
        },
    )
    assert response.status_code == 200
    html = _html(response)
    assert 'id="error-summary"' in html
    assert f'href="#{field}"' in html
    assert "Mijn notitie blijft staan" in html
    assert f'value="{hours}"' in html
    assert re.search(r'<option [^>]*selected [^>]*value="on_the_job"', html)
    if day:
        assert f'value="{day.isoformat()}"' in html
    assert _count(CoachingActivity) == before


def test_a_warning_that_newly_applies_is_shown_after_saving(client, auth, coached):
    noah = _placement_of(NOAH)  # 5 hours registered so far
    auth.login(JOBCOACH)

    def register() -> list[tuple[str, str]]:
        client.post(
            f"/jobcoaching/plaatsing/{noah.id}/activiteit",
            data={"activity_date": date.today().isoformat(), "hours": "24", "kind": "other"},
        )
        with client.session_transaction() as session:
            return session.pop("_flashes", [])

    assert [category for category, _ in register()] == ["success"]  # 29 hours
    assert [category for category, _ in register()] == ["success", "warning"]  # 53 hours
    assert [category for category, _ in register()] == ["success"]  # not new any more
    assert coaching_summary(db.session, noah, date.today()).warnings == ("over_52_hours",)
    html = _html(client.get(f"/jobcoaching/plaatsing/{noah.id}"))
    assert "utrecht-alert--warning" in html
    assert f'action="/jobcoaching/plaatsing/{noah.id}/activiteit"' in html  # not blocked


# Reports --------------------------------------------------------------------------------------


def _report_form(start: date, end: date, **overrides) -> dict:
    return {
        "period_start": start.isoformat(),
        "period_end": end.isoformat(),
        "hours_spent": "2,5",
        "worked_on": "Zelfstandig werken aan de vaste taken",
        "how_it_goes": "4",
        "next_step": "Om de twee weken langskomen",
        "build_down": "reduce",
        "build_down_note": "Gaat steeds zelfstandiger",
    } | overrides


def test_report_round_trip_and_the_contact_person_reads_it(client, auth, coached):
    sanne = _placement_of(WORKER)
    last_end = db.session.scalar(
        select(func.max(JobcoachReport.period_end)).where(JobcoachReport.placement == sanne)
    )
    start, today = last_end + timedelta(days=1), date.today()
    auth.login(JOBCOACH)

    form = _html(client.get(f"/jobcoaching/plaatsing/{sanne.id}/rapportage"))
    assert f'value="{start.isoformat()}"' in form  # from the day after the last report
    assert f'value="{today.isoformat()}"' in form  # up to today
    assert 'value="2.5"' in form  # the registered hours in that period

    response = client.post(
        f"/jobcoaching/plaatsing/{sanne.id}/rapportage", data=_report_form(start, today)
    )
    assert response.status_code == 302
    report = db.session.scalar(
        select(JobcoachReport).where(
            JobcoachReport.placement == sanne, JobcoachReport.period_start == start
        )
    )
    assert response.headers["Location"].endswith(f"/jobcoaching/rapportage/{report.id}")
    assert (report.period_end, report.hours_spent, report.how_it_goes) == (today, 2.5, 4)
    assert report.build_down == BuildDownAdvice.REDUCE
    assert report.build_down_note == "Gaat steeds zelfstandiger"
    assert report.jobcoach_id == user_by_email(JOBCOACH).id
    assert coaching_summary(db.session, sanne, today).last_period_end == today

    # Not editable: there is no route that changes a report.
    assert client.post(f"/jobcoaching/rapportage/{report.id}", data={}).status_code == 405
    auth.logout()

    auth.login(CONTACT)
    timeline = _html(client.get(f"/jobcoaching/plaatsing/{sanne.id}"))
    assert f"/jobcoaching/rapportage/{report.id}" in timeline
    page = _html(client.get(f"/jobcoaching/rapportage/{report.id}"))
    assert "Zelfstandig werken aan de vaste taken" in page
    assert "Om de twee weken langskomen" in page
    assert "Pieter Hendriks" in page and "Sanne Bakker" in page
    auth.logout()

    auth.login(OTHER_CONTACT)
    assert client.get(f"/jobcoaching/rapportage/{report.id}").status_code == 403


@pytest.mark.parametrize(
    ("case", "field"),
    [
        ("end_before_start", "period_end"),
        ("end_in_future", "period_end"),
        ("overlap", "period_start"),
        ("before_placement", "period_start"),
        ("no_score", "how_it_goes"),
        ("no_advice", "build_down"),
        ("no_text", "worked_on"),
    ],
)
def test_invalid_report_keeps_the_input(client, auth, coached, case, field):
    sanne = _placement_of(WORKER)
    today = date.today()
    last_end = db.session.scalar(
        select(func.max(JobcoachReport.period_end)).where(JobcoachReport.placement == sanne)
    )
    start, end = last_end + timedelta(days=1), today
    extra = {}
    if case == "end_before_start":
        end = start - timedelta(days=1)
    elif case == "end_in_future":
        end = today + timedelta(days=1)
    elif case == "overlap":
        start = last_end
    elif case == "before_placement":
        start = sanne.start_date - timedelta(days=1)
    elif case == "no_score":
        extra = {"how_it_goes": ""}
    elif case == "no_advice":
        extra = {"build_down": ""}
    elif case == "no_text":
        extra = {"worked_on": "  "}
    before = _count(JobcoachReport)
    auth.login(JOBCOACH)
    response = client.post(
        f"/jobcoaching/plaatsing/{sanne.id}/rapportage", data=_report_form(start, end, **extra)
    )
    assert response.status_code == 200
    html = _html(response)
    assert f'href="#{field}"' in html
    assert "Om de twee weken langskomen" in html
    assert f'value="{start.isoformat()}"' in html and f'value="{end.isoformat()}"' in html
    if case != "no_score":
        assert re.search(r'<input [^>]*checked [^>]*id="how_it_goes-3"', html)
    if case != "no_advice":
        assert re.search(r'<input [^>]*checked [^>]*id="build_down-2"', html)
    assert _count(JobcoachReport) == before


def test_a_report_that_cannot_be_stored_is_not_lost(client, auth, coached, monkeypatch):
    sanne = _placement_of(WORKER)
    before = _count(JobcoachReport)
    today = date.today()
    start = today - timedelta(days=3)
    db.session.execute(JobcoachReport.__table__.delete().where(JobcoachReport.period_end >= start))
    db.session.commit()
    auth.login(JOBCOACH)

    def failing_commit():
        raise OperationalError("INSERT", {}, Exception("database is locked"))

    monkeypatch.setattr(db.session, "commit", failing_commit)
    response = client.post(
        f"/jobcoaching/plaatsing/{sanne.id}/rapportage", data=_report_form(start, today)
    )
    monkeypatch.undo()
    assert response.status_code == 200
    html = _html(response)
    assert 'id="error-summary"' in html
    assert "Zelfstandig werken aan de vaste taken" in html
    assert _count(JobcoachReport) == before


# Refusals -------------------------------------------------------------------------------------


@pytest.mark.parametrize("email", [CONTACT, JOBCOACH])
def test_recording_that_the_worker_declines(client, auth, coached, email):
    sanne = _placement_of(WORKER)
    auth.login(email)
    response = client.post(
        f"/jobcoaching/plaatsing/{sanne.id}/afgewezen",
        data={"refused_on": date.today().isoformat(), "reason": "Wil het eerst zelf proberen"},
    )
    assert response.status_code == 302
    refusal = db.session.scalar(select(CoachingRefusal).where(CoachingRefusal.placement == sanne))
    assert refusal.reason == "Wil het eerst zelf proberen"
    assert refusal.refused_on == date.today()
    assert refusal.recorded_by_id == user_by_email(email).id
    html = _html(client.get(f"/jobcoaching/plaatsing/{sanne.id}"))
    assert "Wil het eerst zelf proberen" in html
    # A worker who declined is not chased for reports.
    summary = coaching_summary(db.session, sanne, date.today())
    assert summary.declined and summary.status is None


@pytest.mark.parametrize(
    ("day", "reason", "field"),
    [
        (date.today() + timedelta(days=1), "Wil het zelf proberen", "refused_on"),
        (date.today(), "", "reason"),
        (None, "Wil het zelf proberen", "refused_on"),
    ],
)
def test_invalid_refusal_keeps_the_input(client, auth, coached, day, reason, field):
    sanne = _placement_of(WORKER)
    auth.login(CONTACT)
    response = client.post(
        f"/jobcoaching/plaatsing/{sanne.id}/afgewezen",
        data={"refused_on": day.isoformat() if day else "", "reason": reason},
    )
    assert response.status_code == 200
    html = _html(response)
    assert f'href="#{field}"' in html
    if reason:
        assert reason in html
    if day:
        assert f'value="{day.isoformat()}"' in html
    assert _count(CoachingRefusal) == 0


def test_refusal_for_another_contact_persons_worker_is_refused(client, auth, coached):
    sanne = _placement_of(WORKER)
    auth.login(OTHER_CONTACT)
    response = client.post(
        f"/jobcoaching/plaatsing/{sanne.id}/afgewezen",
        data={"refused_on": date.today().isoformat(), "reason": "x"},
    )
    assert response.status_code == 403
    assert _count(CoachingRefusal) == 0


def test_contact_person_records_a_refusal_without_a_jobcoach(client, auth, coached):
    lotte = _placement_of(LOTTE)  # no jobcoach; contact person Anouk (FermWerk)
    auth.login("a.jansen@wsp-demo.nl")
    assert client.get(f"/jobcoaching/plaatsing/{lotte.id}").status_code == 200
    response = client.post(
        f"/jobcoaching/plaatsing/{lotte.id}/afgewezen",
        data={"refused_on": date.today().isoformat(), "reason": "Heeft genoeg aan de buddy"},
    )
    assert response.status_code == 302
    assert _count(CoachingRefusal, placement_id=lotte.id) == 1


# Administrator: report frequency --------------------------------------------------------------


def _frequencies() -> dict[str, ReportFrequency]:
    return {
        o.name: o.jobcoach_report_frequency
        for o in db.session.scalars(select(ExecutingOrganisation))
    }


def test_administrator_sets_the_report_frequency_per_organisation(client, auth, coached):
    organisations = list(db.session.scalars(select(ExecutingOrganisation)))
    daan = _placement_of(OTHER_WORKER)  # Wajong: UWV
    auth.login(ADMIN)
    html = _html(client.get("/beheer/jobcoaching"))
    assert all(organisation.name in html for organisation in organisations)
    data = {
        f"organisation_{o.id}": "quarterly_after_trial" if o.name == "UWV" else "monthly"
        for o in organisations
    }
    response = client.post("/beheer/jobcoaching", data=data)
    assert response.status_code == 302
    db.session.expire_all()
    frequencies = _frequencies()
    assert frequencies.pop("UWV") == ReportFrequency.QUARTERLY_AFTER_TRIAL
    assert set(frequencies.values()) == {ReportFrequency.MONTHLY}
    assert report_frequency(db.session, daan) == ReportFrequency.QUARTERLY_AFTER_TRIAL


def test_invalid_frequency_changes_nothing(client, auth, coached):
    organisations = list(db.session.scalars(select(ExecutingOrganisation)))
    auth.login(ADMIN)
    data = {f"organisation_{o.id}": "quarterly_after_trial" for o in organisations}
    data[f"organisation_{organisations[0].id}"] = "weekly"
    response = client.post("/beheer/jobcoaching", data=data)
    assert response.status_code == 200
    assert f'href="#organisation_{organisations[0].id}"' in _html(response)
    db.session.expire_all()
    assert set(_frequencies().values()) == {ReportFrequency.MONTHLY}


def test_frequency_page_is_for_administrators_only(client, auth, coached):
    for email in (WORKER, EMPLOYER, CONTACT, JOBCOACH):
        auth.login(email)
        assert client.get("/beheer/jobcoaching").status_code == 403, email
        assert client.post("/beheer/jobcoaching", data={}).status_code == 403, email
        auth.logout()
