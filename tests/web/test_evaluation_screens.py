"""Evaluation screens: the form round trip per side, drafts, immutability and corrections, who
sees which answers, the comparison, the follow-up and the signals it raises."""

from datetime import date

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import (
    EvaluationMoment,
    EvaluationResponse,
    InboxMessage,
    MomentStatus,
    Placement,
    QuestionKind,
    ResponseStatus,
    Side,
)
from portal.services.caseload import caseload_rows
from portal.services.questionnaires import active_questionnaire
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


def _moment(email: str, key: str) -> EvaluationMoment:
    placement = db.session.scalar(
        select(Placement).where(Placement.worker_id == user_by_email(email).id)
    )
    return db.session.scalar(
        select(EvaluationMoment).where(
            EvaluationMoment.placement_id == placement.id, EvaluationMoment.key == key
        )
    )


@pytest.fixture
def trial_end(demo):
    """Sanne's trial-end evaluation: open, her draft stands at step 4, her employer has not
    started. Contact Fatima, jobcoach Pieter, employer Korenschoof."""
    return _moment(WORKER, "trial_end")


@pytest.fixture
def questions(demo):
    return {q.key: q for q in active_questionnaire(db.session).questions}


def _fields(questions, answers: dict[str, object]) -> dict[str, object]:
    """Form fields for answers by question key: int -> score, bool -> yes/no, str -> text,
    tuple -> choices."""
    data: dict[str, object] = {}
    for key, value in answers.items():
        prefix = f"q{questions[key].id}"
        if isinstance(value, bool):
            data[f"{prefix}-yes_no"] = "yes" if value else "no"
        elif isinstance(value, int):
            data[f"{prefix}-score"] = str(value)
        elif isinstance(value, tuple):
            data[f"{prefix}-choices"] = list(value)
        else:
            data[f"{prefix}-text"] = value
    return data


def _complete(questions, scores=None, talk=False):
    answers = {key: 4 for key, question in questions.items() if question.kind == QuestionKind.SCALE}
    answers.update(scores or {})
    answers["talk"] = talk
    return answers


def _fill_all(client, moment, questions, answers, share=False):
    """Go through every step with Next, then send from the review step."""
    sections = active_questionnaire(db.session).sections
    url = f"/evaluaties/{moment.id}/invullen"
    for step, section in enumerate(sections):
        mine = {q.key: answers[q.key] for q in section.questions if q.key in answers}
        response = client.post(
            url, data={"stap": step, "action": "next", **_fields(questions, mine)}
        )
        assert response.status_code == 302, (step, response.data[:2000])
        assert f"stap={step + 1}" in response.location
    data = {"stap": len(sections), "action": "submit"}
    if share:
        data["share_with_employer"] = "yes"
    return client.post(url, data=data)


def _response(moment, side) -> EvaluationResponse | None:
    return db.session.scalar(
        select(EvaluationResponse)
        .where(EvaluationResponse.moment_id == moment.id, EvaluationResponse.side == side)
        .order_by(EvaluationResponse.version.desc())
    )


def test_supervisor_round_trip_through_every_step(client, auth, trial_end, questions):
    auth.login(EMPLOYER)
    page = client.get(f"/evaluaties/{trial_end.id}/invullen")
    assert page.status_code == 200
    assert "Sanne" in page.get_data(as_text=True)  # {name} filled in the employer's wording
    result = _fill_all(client, trial_end, questions, _complete(questions, {"work_pace": 2}))
    assert result.status_code == 302
    assert result.location.endswith(f"/evaluaties/{trial_end.id}/werkgever")
    response = _response(trial_end, Side.SUPERVISOR)
    assert response.status == ResponseStatus.SUBMITTED
    assert response.respondent.email == EMPLOYER
    scores = {a.question.key: a.score for a in response.answers}
    assert scores["work_pace"] == 2 and scores["work_tasks"] == 4
    assert client.get(result.location).status_code == 200


def test_worker_resumes_her_draft_and_sends_it(client, auth, trial_end, questions):
    draft = _response(trial_end, Side.WORKER)
    assert draft.status == ResponseStatus.DRAFT and draft.current_step == 3
    auth.login(WORKER)
    html = client.get(f"/evaluaties/{trial_end.id}/invullen").get_data(as_text=True)
    assert 'name="stap" value="3"' in html  # back where she stopped
    first = client.get(f"/evaluaties/{trial_end.id}/invullen?stap=0").get_data(as_text=True)
    pace = questions["work_pace"].id
    assert f'id="q{pace}-score-4" name="q{pace}-score" value="4" checked' in first
    result = _fill_all(client, trial_end, questions, _complete(questions), share=True)
    assert result.status_code == 302
    db.session.refresh(draft)
    assert draft.status == ResponseStatus.SUBMITTED and draft.share_with_employer


def test_a_draft_survives_logging_out(client, auth, trial_end, questions):
    auth.login(EMPLOYER)
    url = f"/evaluaties/{trial_end.id}/invullen"
    saved = client.post(
        url,
        data={"stap": 0, "action": "save", **_fields(questions, {"work_tasks": 3})},
    )
    assert saved.status_code == 302 and saved.location.endswith("/evaluaties/")
    auth.logout()
    auth.login(EMPLOYER)
    html = client.get(f"{url}?stap=0").get_data(as_text=True)
    tasks = questions["work_tasks"].id
    assert 'value="3" checked' in html.split(f'id="q{tasks}-score-3"')[1][:80]


def test_autosave_answers_json_and_stores_the_step(client, auth, trial_end, questions):
    auth.login(EMPLOYER)
    response = client.post(
        f"/evaluaties/{trial_end.id}/invullen",
        data={"stap": 1, "action": "autosave", **_fields(questions, {"energy": 2})},
        headers={"X-Autosave": "1"},
    )
    assert response.status_code == 200 and response.json["saved"] is True
    draft = _response(trial_end, Side.SUPERVISOR)
    assert {a.question.key: a.score for a in draft.answers} == {"energy": 2}


def test_next_without_a_required_answer_shows_an_error_and_keeps_the_rest(
    client, auth, trial_end, questions
):
    auth.login(EMPLOYER)
    response = client.post(
        f"/evaluaties/{trial_end.id}/invullen",
        data={
            "stap": 0,
            "action": "next",
            **_fields(questions, {"work_tasks": 5, "work_quality": "Erg precies"}),
        },
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'role="alert"' in html and f'href="#q{questions["work_pace"].id}"' in html
    assert "Erg precies" in html  # what was typed is still there
    draft = _response(trial_end, Side.SUPERVISOR)
    assert {a.question.key: a.score for a in draft.answers}["work_tasks"] == 5


def test_bad_values_are_refused_with_a_message_and_never_stored(client, auth, trial_end, questions):
    auth.login(EMPLOYER)
    response = client.post(
        f"/evaluaties/{trial_end.id}/invullen",
        data={
            "stap": 0,
            "action": "next",
            f"q{questions['work_tasks'].id}-score": "9",
            f"q{questions['work_pace'].id}-score": "3",
            f"q{questions['work_quality'].id}-text": "x" * 2500,
        },
    )
    assert response.status_code == 200
    assert f'href="#q{questions["work_tasks"].id}"' in response.get_data(as_text=True)
    draft = _response(trial_end, Side.SUPERVISOR)
    assert {a.question.key: a.score for a in draft.answers} == {"work_pace": 3}


def test_sent_answers_cannot_be_changed_only_corrected(client, auth, trial_end, questions):
    auth.login(EMPLOYER)
    _fill_all(client, trial_end, questions, _complete(questions))
    url = f"/evaluaties/{trial_end.id}/invullen"
    again = client.post(
        url, data={"stap": 0, "action": "next", **_fields(questions, {"work_tasks": 1})}
    )
    assert again.status_code == 302 and again.location.endswith("/werkgever")
    assert {a.question.key: a.score for a in _response(trial_end, Side.SUPERVISOR).answers}[
        "work_tasks"
    ] == 4
    refused = client.post(f"/evaluaties/{trial_end.id}/corrigeren", data={"reason": ""})
    assert refused.status_code == 200 and _response(trial_end, Side.SUPERVISOR).version == 1
    started = client.post(f"/evaluaties/{trial_end.id}/corrigeren", data={"reason": "Typfout"})
    assert started.status_code == 302
    _fill_all(client, trial_end, questions, _complete(questions, {"work_tasks": 2}))
    versions = db.session.scalars(
        select(EvaluationResponse)
        .where(
            EvaluationResponse.moment_id == trial_end.id,
            EvaluationResponse.side == Side.SUPERVISOR,
        )
        .order_by(EvaluationResponse.version)
    ).all()
    assert [(v.version, v.status) for v in versions] == [
        (1, ResponseStatus.SUBMITTED),
        (2, ResponseStatus.SUBMITTED),
    ]
    assert versions[1].correction_reason == "Typfout"
    history = client.get(f"/evaluaties/{trial_end.id}/werkgever?versie=1")
    assert history.status_code == 200


def test_employer_sees_the_workers_answers_only_when_she_allows_it(
    client, auth, trial_end, questions
):
    auth.login(WORKER)
    _fill_all(client, trial_end, questions, _complete(questions), share=False)
    auth.logout()
    worker_answers = f"/evaluaties/{trial_end.id}/werknemer"
    auth.login(EMPLOYER)
    assert client.get(worker_answers).status_code == 403
    auth.logout()
    for email in (CONTACT, JOBCOACH, WORKER):  # the contact person and jobcoach always
        auth.login(email)
        assert client.get(worker_answers).status_code == 200, email
        auth.logout()
    for email in (OTHER_CONTACT, OTHER_WORKER):
        auth.login(email)
        assert client.get(worker_answers).status_code == 403, email
        auth.logout()
    auth.login(ADMIN)
    assert client.get(worker_answers).status_code == 403

    # A correction in which she does tick the box opens it for the employer.
    auth.logout()
    auth.login(WORKER)
    client.post(f"/evaluaties/{trial_end.id}/corrigeren", data={"reason": "Mag wel"})
    _fill_all(client, trial_end, questions, _complete(questions), share=True)
    auth.logout()
    auth.login(EMPLOYER)
    assert client.get(worker_answers).status_code == 200


def test_the_worker_does_not_see_the_supervisors_answers(client, auth, trial_end, questions):
    auth.login(EMPLOYER)
    _fill_all(client, trial_end, questions, _complete(questions))
    auth.logout()
    auth.login(WORKER)
    assert client.get(f"/evaluaties/{trial_end.id}/werkgever").status_code == 403


def test_filling_in_is_for_the_two_sides_only(client, auth, trial_end):
    url = f"/evaluaties/{trial_end.id}/invullen"
    assert client.get(url).status_code == 302  # anonymous: to the log-in page
    for email in (CONTACT, JOBCOACH, ADMIN, OTHER_WORKER):
        auth.login(email)
        assert client.get(url).status_code == 403, email
        assert client.post(url, data={"stap": 0, "action": "save"}).status_code == 403
        auth.logout()


def test_unknown_moment_and_side_are_404(client, auth, demo):
    auth.login(CONTACT)
    assert client.get("/evaluaties/999999/vergelijking").status_code == 404
    auth.logout()
    auth.login(WORKER)
    assert client.get("/evaluaties/999999/invullen").status_code == 404
    moment = _moment(WORKER, "trial_end")
    assert client.get(f"/evaluaties/{moment.id}/iemand").status_code == 404


def test_comparison_lists_big_differences_first_for_contact_and_jobcoach(client, auth, demo):
    moment = _moment(WORKER, "after_start:1")  # demo: pace 5 vs 2, guidance 2 vs 4
    url = f"/evaluaties/{moment.id}/vergelijking"
    for email in (CONTACT, JOBCOACH):
        auth.login(email)
        response = client.get(url)
        assert response.status_code == 200, email
        auth.logout()
    html = response.get_data(as_text=True)
    rows = html.split('class="utrecht-table__row comparison__row--big"')
    assert len(rows) == 3  # two highlighted rows
    table = html.split("<tbody")[1]
    assert table.index("comparison__row--big") < table.index('<tr class="utrecht-table__row">')
    assert 'role="img"' in html and "<desc" in html  # the chart has a text alternative
    for email in (WORKER, EMPLOYER, OTHER_CONTACT, ADMIN):
        auth.login(email)
        assert client.get(url).status_code == 403, email
        auth.logout()


def test_signals_reach_the_caseload_and_the_contact_persons_inbox(
    client, auth, trial_end, questions
):
    fatima = user_by_email(CONTACT)
    before = db.session.scalar(
        select(func.count()).select_from(InboxMessage).where(InboxMessage.user_id == fatima.id)
    )
    auth.login(EMPLOYER)
    _fill_all(client, trial_end, questions, _complete(questions, {"energy": 1}, talk=True))
    auth.logout()
    messages = db.session.scalars(
        select(InboxMessage).where(InboxMessage.user_id == fatima.id).order_by(InboxMessage.id)
    ).all()
    assert len(messages) == before + 1
    assert messages[-1].link == f"/evaluaties/{trial_end.id}/vergelijking"
    assert "Sanne Bakker" in messages[-1].subject

    auth.login(CONTACT)
    client.post("/taal", data={"lang": "en", "next": "/caseload"})
    caseload = client.get("/caseload").get_data(as_text=True)
    assert "evaluation: wants to talk to the contact person" in caseload
    assert "evaluation: low score on energy or rest" in caseload


def _caseload_reasons(email: str) -> set[str]:
    rows = caseload_rows(db.session, user_by_email(CONTACT).id, date.today())
    row = next(row for row in rows if row.worker.email == email)
    return {reason.code for reason in row.risk.reasons}


def test_follow_up_closes_the_moment_and_clears_its_signals(client, auth, demo):
    moment = _moment(WORKER, "after_start:1")
    # both sides answered this past moment: it waits for the follow-up, it is not overdue
    assert moment.due < date.today()
    assert {"wants_to_talk", "evaluation_gap"} <= _caseload_reasons(WORKER)
    assert "evaluation_overdue" not in _caseload_reasons(WORKER)
    url = f"/evaluaties/{moment.id}/nabespreking"
    auth.login(JOBCOACH)
    assert client.post(url, data={"held_on": "2026-01-01", "summary": "x"}).status_code == 403
    auth.logout()
    auth.login(CONTACT)
    refused = client.post(url, data={"held_on": date.today().isoformat(), "summary": ""})
    assert refused.status_code == 200
    assert db.session.get(EvaluationMoment, moment.id).status == MomentStatus.PLANNED
    done = client.post(
        url,
        data={
            "held_on": date.today().isoformat(),
            "summary": "Afgesproken: meer uitleg in de ochtend.",
            "adjustments": ["support"],
        },
    )
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.get(EvaluationMoment, moment.id).status == MomentStatus.DONE
    client.post("/taal", data={"lang": "en", "next": "/caseload"})
    caseload = client.get("/caseload").get_data(as_text=True)
    assert "wants to talk" not in caseload
    assert not {"wants_to_talk", "evaluation_gap"} & _caseload_reasons(WORKER)


def test_index_lists_the_task_for_each_side(client, auth, trial_end):
    auth.login(EMPLOYER)
    html = client.get("/evaluaties/").get_data(as_text=True)
    assert f"/evaluaties/{trial_end.id}/invullen" in html
    auth.logout()
    auth.login(CONTACT)
    html = client.get("/evaluaties/").get_data(as_text=True)
    assert f"/evaluaties/{trial_end.id}/vergelijking" in html
    auth.logout()
    auth.login(ADMIN)
    assert client.get("/evaluaties/").status_code == 403


def test_placement_timeline_shows_evaluations_and_reports_to_staff(client, auth, demo):
    placement = db.session.scalar(
        select(Placement).where(Placement.worker_id == user_by_email(OTHER_WORKER).id)
    )
    auth.login(OTHER_CONTACT)
    html = client.get(f"/plaatsingen/{placement.id}").get_data(as_text=True)
    assert "/evaluaties/" in html and "/jobcoaching/rapportage/" in html
    auth.logout()
    auth.login(OTHER_WORKER)
    html = client.get(f"/plaatsingen/{placement.id}").get_data(as_text=True)
    assert "/jobcoaching/rapportage/" not in html
