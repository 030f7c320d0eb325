"""The administrator's questionnaire screens: make a draft, edit it, publish it; nothing else."""

from __future__ import annotations

import re
from html import unescape

import pytest
from sqlalchemy import func, select

from portal import create_app
from portal.demo import DEMO_PASSWORD
from portal.extensions import db
from portal.models import Question, QuestionKind, Questionnaire, QuestionnaireStatus, QuestionSignal
from portal.services.questionnaires import (
    QUESTION_TEXTS,
    SECTION_TEXTS,
    active_questionnaire,
    draft_questionnaire,
    new_draft,
    seed_questionnaire,
)
from tests.conftest import ADMIN, CONTACT, EMPLOYER, JOBCOACH, WORKER, IsolatedClient, user_by_email
from tests.support.two_factor import SECOND_STEP_PATH, code_for_user

TEXTS = {
    "worker_nl": "Hoe lang reis je naar je werk?",
    "worker_en": "How long is your journey to work?",
    "employer_nl": "Hoe lang reist {name} naar het werk?",
    "employer_en": "How long does {name} travel to work?",
}
OPTIONS = (
    "short | Korter dan een half uur | Less than half an hour | Kort | Short\n"
    "long | Langer dan een half uur | More than half an hour | Lang | Long"
)


@pytest.fixture
def active(demo):
    questionnaire = seed_questionnaire(db.session)
    db.session.commit()
    return questionnaire


@pytest.fixture
def draft(active):
    draft = new_draft(db.session, by=None)
    db.session.commit()
    return draft


@pytest.fixture
def admin(client, auth, active):
    auth.login(ADMIN)
    return client


def _snapshot(questionnaire: Questionnaire) -> tuple:
    """Status, note and publication date, and the whole content, fresh from the database."""
    db.session.expire_all()
    header = (questionnaire.status, questionnaire.note, questionnaire.published_at)
    return header, _content(questionnaire)


def _content(questionnaire: Questionnaire) -> list:
    return [
        (
            section.key,
            *(getattr(section, name) for name in SECTION_TEXTS),
            [
                (q.id, q.key, q.position, q.kind, q.signal, q.required, q.options)
                + tuple(getattr(q, name) for name in QUESTION_TEXTS)
                for q in section.questions
            ],
        )
        for section in questionnaire.sections
    ]


def _question(questionnaire: Questionnaire, key: str) -> Question:
    return next(q for q in questionnaire.questions if q.key == key)


def _choices(questionnaire: Questionnaire) -> Question:
    return next(q for q in questionnaire.questions if q.kind == QuestionKind.CHOICES)


def _question_form(question: Question, **changes) -> dict:
    data = {name: getattr(question, name) for name in QUESTION_TEXTS}
    if question.required:
        data["required"] = "y"
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def _section_form(section, **changes) -> dict:
    data = {name: getattr(section, name) or "" for name in SECTION_TEXTS}
    data.update(changes)
    return data


def _new_question(**changes) -> dict:
    data = {"key": "commute_time", "kind": "text", "signal": "none", "required": "y", **TEXTS}
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def _routes(questionnaire: Questionnaire) -> list[tuple[str, str]]:
    base = f"/beheer/vragenlijsten/{questionnaire.id}"
    section = questionnaire.sections[0]
    question = section.questions[0]
    return [
        ("GET", "/beheer/vragenlijsten"),
        ("POST", "/beheer/vragenlijsten/nieuwe-versie"),
        ("GET", base),
        ("GET", f"{base}/onderdelen/{section.id}"),
        ("POST", f"{base}/onderdelen/{section.id}"),
        ("GET", f"{base}/vragen/{question.id}"),
        ("POST", f"{base}/vragen/{question.id}"),
        ("GET", f"{base}/onderdelen/{section.id}/nieuwe-vraag"),
        ("POST", f"{base}/onderdelen/{section.id}/nieuwe-vraag"),
        ("POST", f"{base}/vragen/{question.id}/omhoog"),
        ("POST", f"{base}/vragen/{question.id}/omlaag"),
        ("POST", f"{base}/vragen/{question.id}/verwijderen"),
        ("POST", f"{base}/publiceren"),
        ("POST", f"{base}/weggooien"),
    ]


# --- Access -----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [WORKER, EMPLOYER, CONTACT, JOBCOACH])
def test_only_the_administrator(client, auth, draft, role):
    before = _snapshot(draft)
    auth.login(role)
    for method, path in _routes(draft):
        response = client.open(path, method=method, data=_new_question(confirm="y"))
        assert response.status_code == 403, (method, path)
    assert _snapshot(draft) == before
    assert db.session.scalar(select(func.count(Questionnaire.id))) == 2


def test_anonymous_visitors_are_sent_to_log_in(client, draft):
    before = _snapshot(draft)
    for method, path in _routes(draft):
        response = client.open(path, method=method, data=_new_question(confirm="y"))
        assert response.status_code == 302, (method, path)
        assert "/inloggen" in response.headers["Location"]
    assert _snapshot(draft) == before


def test_unknown_ids_are_not_found(admin, draft, active):
    base = f"/beheer/vragenlijsten/{draft.id}"
    other_section = active.sections[0]
    other_question = active.questions[0]
    assert admin.get("/beheer/vragenlijsten/9999").status_code == 404
    assert admin.get(f"{base}/onderdelen/9999").status_code == 404
    assert admin.get(f"{base}/vragen/9999").status_code == 404
    assert admin.post(f"{base}/vragen/9999/omhoog").status_code == 404
    # a section or question of another version is not found under this one either
    assert admin.get(f"{base}/onderdelen/{other_section.id}").status_code == 404
    assert admin.get(f"{base}/vragen/{other_question.id}").status_code == 404
    assert admin.post(f"{base}/vragen/{other_question.id}/verwijderen").status_code == 404
    assert admin.post("/beheer/vragenlijsten/9999/publiceren").status_code == 404


def test_forms_need_a_csrf_token(database_url, demo, draft):
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": database_url, "WTF_CSRF_ENABLED": True})
    app.test_client_class = IsolatedClient
    client = app.test_client()
    page = client.get("/inloggen").data.decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    client.post("/inloggen", data={"email": ADMIN, "password": DEMO_PASSWORD, "csrf_token": token})
    page = client.get(SECOND_STEP_PATH).data.decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    code = code_for_user(user_by_email(ADMIN), db.session)
    answer = client.post(SECOND_STEP_PATH, data={"code": code, "csrf_token": token})
    assert answer.status_code == 302
    before = _snapshot(draft)
    question = draft.sections[0].questions[1]
    base = f"/beheer/vragenlijsten/{draft.id}"
    assert client.post(f"{base}/vragen/{question.id}/omhoog").status_code == 400
    assert client.post(f"{base}/publiceren").status_code == 400
    assert _snapshot(draft) == before
    page = client.get(base).data.decode()
    assert page.count('name="csrf_token"') >= 4  # every form on the page carries one


# --- Overview and new version ------------------------------------------------------------------


def test_overview_lists_the_versions(admin, active):
    response = admin.get("/beheer/vragenlijsten")
    assert response.status_code == 200
    html = response.data.decode()
    assert f"/beheer/vragenlijsten/{active.id}" in html
    assert f'<td class="utrecht-table__cell">{len(active.questions)}</td>' in html
    assert 'scope="col"' in html
    assert "/beheer/vragenlijsten/nieuwe-versie" in html


def test_make_a_new_version_or_open_the_draft(admin, active):
    response = admin.post("/beheer/vragenlijsten/nieuwe-versie")
    draft = draft_questionnaire(db.session)
    assert draft is not None and draft.version == 2
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/beheer/vragenlijsten/{draft.id}")
    assert len(draft.questions) == len(active.questions)
    again = admin.post("/beheer/vragenlijsten/nieuwe-versie")
    assert again.headers["Location"].endswith(f"/beheer/vragenlijsten/{draft.id}")
    assert db.session.scalar(select(func.count(Questionnaire.id))) == 2
    overview = admin.get("/beheer/vragenlijsten").data.decode()
    assert "/beheer/vragenlijsten/nieuwe-versie" not in overview  # the draft is opened instead
    assert f'href="/beheer/vragenlijsten/{draft.id}"' in overview


def test_draft_page_offers_the_edit_actions(admin, draft):
    html = admin.get(f"/beheer/vragenlijsten/{draft.id}").data.decode()
    section = draft.sections[0]
    first, second = section.questions[0], section.questions[1]
    assert f"/onderdelen/{section.id}/nieuwe-vraag" in html
    assert f"/vragen/{second.id}/omhoog" in html
    assert f"/vragen/{first.id}/omhoog" not in html  # the first cannot go up
    assert f"/vragen/{first.id}/verwijderen" in html
    talk = next(q for q in draft.questions if q.signal == QuestionSignal.TALK)
    assert f"/vragen/{talk.id}/verwijderen" not in html
    assert f"/beheer/vragenlijsten/{draft.id}/publiceren" in html
    assert f"/beheer/vragenlijsten/{draft.id}/weggooien" in html
    assert html.count('<caption class="visually-hidden">') == len(draft.sections)


# --- The round trip ---------------------------------------------------------------------------


def test_edit_and_publish_round_trip(admin, active):
    before = _snapshot(active)
    admin.post("/beheer/vragenlijsten/nieuwe-versie")
    draft = draft_questionnaire(db.session)
    base = f"/beheer/vragenlijsten/{draft.id}"

    section = draft.sections[0]
    assert admin.get(f"{base}/onderdelen/{section.id}").status_code == 200
    response = admin.post(
        f"{base}/onderdelen/{section.id}",
        data=_section_form(section, worker_title_nl="Je werk", employer_intro_en=""),
    )
    assert response.status_code == 302

    question = _question(draft, "work_pace")
    page = admin.get(f"{base}/vragen/{question.id}").data.decode()
    assert 'value="Ik kan het tempo van het werk bijhouden."' in page
    response = admin.post(
        f"{base}/vragen/{question.id}",
        data=_question_form(question, worker_nl="Ik houd het tempo goed bij.", required=None),
    )
    assert response.status_code == 302

    choices = _choices(draft)
    page = unescape(admin.get(f"{base}/vragen/{choices.id}").data.decode())
    first = choices.options[0]
    assert f"{first['code']} | {first['worker_nl']} | {first['worker_en']}" in page
    lines = [
        " | ".join([o["code"], o["worker_nl"], o["worker_en"], o["employer_nl"], o["employer_en"]])
        for o in choices.options[1:]
    ] + ["later_start | Later beginnen | Start later | Later beginnen | Start later"]
    response = admin.post(
        f"{base}/vragen/{choices.id}", data=_question_form(choices, options="\n".join(lines))
    )
    assert response.status_code == 302, re.findall(r"<li[^>]*>(.*?)</li>", response.data.decode())

    section = _question(draft, "travel").section
    assert admin.get(f"{base}/onderdelen/{section.id}/nieuwe-vraag").status_code == 200
    response = admin.post(
        f"{base}/onderdelen/{section.id}/nieuwe-vraag",
        data=_new_question(kind="choices", options=OPTIONS, required=None),
    )
    assert response.status_code == 302
    added = _question(draft, "commute_time")
    assert response.headers["Location"].endswith(f"{base}#question-{added.id}")

    assert admin.post(f"{base}/vragen/{added.id}/omhoog").status_code == 302
    assert admin.post(f"{base}/vragen/{added.id}/omlaag").status_code == 302
    assert admin.post(f"{base}/vragen/{added.id}/omhoog").status_code == 302
    removed = _question(draft, "work_quality")
    assert admin.post(f"{base}/vragen/{removed.id}/verwijderen").status_code == 302

    response = admin.post(f"{base}/publiceren", data={"note": "Reistijd gevraagd"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/beheer/vragenlijsten")

    db.session.expire_all()
    assert active_questionnaire(db.session).id == draft.id
    assert draft.status == QuestionnaireStatus.ACTIVE
    assert draft.note == "Reistijd gevraagd"
    assert draft.published_at is not None
    assert draft.sections[0].worker_title_nl == "Je werk"
    assert draft.sections[0].employer_intro_en is None
    pace = _question(draft, "work_pace")
    assert (pace.worker_nl, pace.required) == ("Ik houd het tempo goed bij.", False)
    choices = _question(draft, choices.key)
    assert [o["code"] for o in choices.options][-1] == "later_start"
    assert first["code"] not in [o["code"] for o in choices.options]
    added = _question(draft, "commute_time")
    assert added.kind == QuestionKind.CHOICES
    assert added.required is False
    assert [o["code"] for o in added.options] == ["short", "long"]
    assert added.options[0]["employer_en"] == "Short"
    assert [q.key for q in added.section.questions] == ["commute_time", "travel"]
    assert "work_quality" not in [q.key for q in draft.questions]
    # the old version is retired and its content exactly as it was
    assert active.status == QuestionnaireStatus.RETIRED
    assert _snapshot(active)[1] == before[1]
    overview = admin.get("/beheer/vragenlijsten").data.decode()
    assert "Reistijd gevraagd" in overview


# --- A published version does not change ------------------------------------------------------


def test_a_published_version_cannot_be_changed(admin, active):
    before = _snapshot(active)
    base = f"/beheer/vragenlijsten/{active.id}"
    section = active.sections[0]
    question = section.questions[1]
    page = admin.get(base)
    assert page.status_code == 200
    html = page.data.decode()
    assert "/omhoog" not in html and "/verwijderen" not in html and "/publiceren" not in html
    for path in [f"{base}/onderdelen/{section.id}", f"{base}/vragen/{question.id}"]:
        response = admin.get(path)
        assert response.status_code == 302
        assert response.headers["Location"].endswith(base)
    posts = [
        (f"{base}/onderdelen/{section.id}", _section_form(section, worker_title_nl="Anders")),
        (f"{base}/vragen/{question.id}", _question_form(question, worker_nl="Anders")),
        (f"{base}/onderdelen/{section.id}/nieuwe-vraag", _new_question()),
        (f"{base}/vragen/{question.id}/omhoog", {}),
        (f"{base}/vragen/{question.id}/omlaag", {}),
        (f"{base}/vragen/{question.id}/verwijderen", {}),
        (f"{base}/publiceren", {"note": "Nog eens"}),
        (f"{base}/weggooien", {"confirm": "y"}),
    ]
    for path, data in posts:
        response = admin.post(path, data=data)
        assert response.status_code == 302, path
        assert response.headers["Location"].endswith(base), path
    assert _snapshot(active) == before
    assert active.status == QuestionnaireStatus.ACTIVE


def test_a_retired_version_cannot_be_changed_either(admin, draft, active):
    assert admin.post(f"/beheer/vragenlijsten/{draft.id}/publiceren", data={}).status_code == 302
    before = _snapshot(active)
    assert before[0][0] == QuestionnaireStatus.RETIRED
    question = active.questions[0]
    response = admin.post(
        f"/beheer/vragenlijsten/{active.id}/vragen/{question.id}",
        data=_question_form(question, worker_nl="Anders"),
    )
    assert response.status_code == 302
    assert _snapshot(active) == before


# --- Bad input --------------------------------------------------------------------------------


def test_bad_question_texts_are_explained_and_kept(admin, draft):
    before = _snapshot(draft)
    question = _question(draft, "work_pace")
    response = admin.post(
        f"/beheer/vragenlijsten/{draft.id}/vragen/{question.id}",
        data=_question_form(question, worker_nl="", employer_en="About {naam} and more"),
    )
    assert response.status_code == 200
    html = unescape(response.data.decode())
    assert 'value="About {naam} and more"' in html
    assert html.count('aria-invalid="true"') == 2
    assert 'id="error-summary"' in html
    assert _snapshot(draft) == before


def test_bad_option_lines_are_explained_per_line_and_kept(admin, draft):
    before = _snapshot(draft)
    choices = _choices(draft)
    typed = "ok | Ja | Yes | Ja | Yes\nonly three | parts | here\nok | Nog | Again | Nog | Again"
    response = admin.post(
        f"/beheer/vragenlijsten/{draft.id}/vragen/{choices.id}",
        data=_question_form(choices, options=typed),
    )
    assert response.status_code == 200
    html = unescape(response.data.decode())
    assert typed in html
    assert re.search(r'id="options-error">\s*<ul', html)
    assert _snapshot(draft) == before
    typed = "ok | Ja | Yes | Ja | Yes\nok | Nog | Again | Nog | Again\nBAD | a | b | c | d"
    response = admin.post(
        f"/beheer/vragenlijsten/{draft.id}/vragen/{choices.id}",
        data=_question_form(choices, options=typed),
    )
    assert response.status_code == 200
    html = unescape(response.data.decode())
    errors = re.search(r'id="options-error">(.*?)</div>', html, re.S).group(1)
    assert errors.count("<li") == 2  # line 2 (code used twice) and line 3 (bad code)
    assert "2" in errors and "3" in errors
    assert _snapshot(draft) == before


@pytest.mark.parametrize(
    "changes",
    [
        {"key": "Reis Tijd"},
        {"key": "work_pace"},  # already in this version
        {"key": "travel", "kind": "text"},  # an earlier version used it for a scale
        {"key": "x" * 41},
        {"kind": "scale", "signal": "talk"},
        {"kind": "choices"},  # without options
        {"kind": "text", "options": OPTIONS},  # options for a text question
        {"worker_en": ""},
        {"employer_nl": "Hoe lang reist {naam}?"},
    ],
)
def test_bad_new_question_is_explained_and_kept(admin, draft, changes):
    before = _snapshot(draft)
    section = draft.sections[0]
    data = _new_question(**changes)
    response = admin.post(
        f"/beheer/vragenlijsten/{draft.id}/onderdelen/{section.id}/nieuwe-vraag", data=data
    )
    assert response.status_code == 200
    html = unescape(response.data.decode())
    assert 'id="error-summary"' in html
    assert 'aria-invalid="true"' in html
    if data["key"]:
        assert f'value="{data["key"]}"' in html
    assert f'value="{data["worker_nl"]}"' in html
    assert f'<option selected value="{data["kind"]}">' in html
    assert _snapshot(draft) == before


def test_an_unreadable_option_line_keeps_the_new_question_out(admin, draft):
    before = _snapshot(draft)
    path = f"/beheer/vragenlijsten/{draft.id}/onderdelen/{draft.sections[0].id}/nieuwe-vraag"
    typed = "ok | Ja | Yes | Ja | Yes\nhalf | a line"
    response = admin.post(path, data=_new_question(kind="choices", options=typed))
    assert response.status_code == 200  # everything else was fine, still nothing is kept
    html = unescape(response.data.decode())
    assert typed in html
    assert _snapshot(draft) == before
    response = admin.post(path, data=_new_question(key="Bad Key", kind="choices", options=typed))
    html = unescape(response.data.decode())
    assert html.count('aria-invalid="true"') == 2  # the key and the options, in one go
    assert _snapshot(draft) == before


def test_bad_section_texts_are_explained_and_kept(admin, draft):
    before = _snapshot(draft)
    section = draft.sections[0]
    response = admin.post(
        f"/beheer/vragenlijsten/{draft.id}/onderdelen/{section.id}",
        data=_section_form(section, worker_title_en="", worker_intro_nl="Typed {oops}"),
    )
    assert response.status_code == 200
    html = unescape(response.data.decode())
    assert "Typed {oops}</textarea>" in html
    assert html.count('aria-invalid="true"') == 2
    assert _snapshot(draft) == before


def test_the_talk_question_is_not_removed(admin, draft):
    talk = next(q for q in draft.questions if q.signal == QuestionSignal.TALK)
    response = admin.post(f"/beheer/vragenlijsten/{draft.id}/vragen/{talk.id}/verwijderen")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Question, talk.id) is not None


def test_moving_past_the_edge_changes_nothing(admin, draft):
    before = _snapshot(draft)
    first = draft.sections[0].questions[0]
    response = admin.post(f"/beheer/vragenlijsten/{draft.id}/vragen/{first.id}/omhoog")
    assert response.status_code == 302
    assert _snapshot(draft) == before


# --- Publishing and discarding ----------------------------------------------------------------


def test_publish_is_blocked_while_problems_exist(admin, draft, active):
    only = _question(draft, "travel")
    base = f"/beheer/vragenlijsten/{draft.id}"
    assert admin.post(f"{base}/vragen/{only.id}/verwijderen").status_code == 302
    page = admin.get(base).data.decode()
    assert 'id="problems"' in page
    response = admin.post(f"{base}/publiceren", data={"note": "Reizen weggehaald"})
    assert response.status_code == 409
    assert "Reizen weggehaald</textarea>" in response.data.decode()
    db.session.expire_all()
    assert draft.status == QuestionnaireStatus.DRAFT
    assert draft.note is None
    assert active.status == QuestionnaireStatus.ACTIVE
    assert active_questionnaire(db.session).id == active.id


def test_the_problem_names_the_section_in_the_users_language(admin, client, draft):
    section = _question(draft, "travel").section
    base = f"/beheer/vragenlijsten/{draft.id}"
    admin.post(f"{base}/vragen/{section.questions[0].id}/verwijderen")
    client.post("/taal", data={"lang": "en", "next": base})
    english = unescape(admin.get(base).data.decode())
    assert f"“{section.worker_title_en}”" in english
    client.post("/taal", data={"lang": "nl", "next": base})
    dutch = unescape(admin.get(base).data.decode())
    assert f"“{section.worker_title_nl}”" in dutch


def test_publish_note_that_is_too_long_is_kept(admin, draft):
    note = "x" * 501
    response = admin.post(f"/beheer/vragenlijsten/{draft.id}/publiceren", data={"note": note})
    assert response.status_code == 200
    assert f"{note}</textarea>" in response.data.decode()
    db.session.expire_all()
    assert draft.status == QuestionnaireStatus.DRAFT


def test_discard_needs_confirmation(admin, draft, active):
    base = f"/beheer/vragenlijsten/{draft.id}"
    response = admin.post(f"{base}/weggooien", data={})
    assert response.status_code == 200
    assert 'id="confirm-error"' in response.data.decode()
    assert draft_questionnaire(db.session) is not None
    response = admin.post(f"{base}/weggooien", data={"confirm": "y"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/beheer/vragenlijsten")
    db.session.expire_all()
    assert draft_questionnaire(db.session) is None
    assert active_questionnaire(db.session).id == active.id
    assert db.session.scalar(select(func.count(Questionnaire.id))) == 1
