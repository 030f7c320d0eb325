"""The questionnaire as versioned reference data: only a draft changes, publishing replaces."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import (
    Question,
    QuestionKind,
    Questionnaire,
    QuestionnaireSection,
    QuestionnaireStatus,
    QuestionSignal,
)
from portal.questionnaire_seed import QUESTIONNAIRE
from portal.services import questionnaires as service
from portal.services.questionnaires import (
    KEY_PATTERN,
    QUESTION_TEXTS,
    SECTION_TEXTS,
    QuestionnaireError,
)

TEXTS = {
    "worker_nl": "Ik reis graag naar mijn werk.",
    "worker_en": "I like travelling to work.",
    "employer_nl": "{name} reist zonder moeite naar het werk.",
    "employer_en": "{name} travels to work without trouble.",
}
OPTION = {
    "code": "bike",
    "worker_nl": "Fiets",
    "worker_en": "Bike",
    "employer_nl": "Fiets",
    "employer_en": "Bike",
}


@pytest.fixture
def active(app_ctx):
    questionnaire = service.seed_questionnaire(db.session)
    db.session.commit()
    return questionnaire


@pytest.fixture
def draft(active):
    draft = service.new_draft(db.session, by=None)
    db.session.commit()
    return draft


def _question(questionnaire: Questionnaire, key: str) -> Question:
    return next(question for question in questionnaire.questions if question.key == key)


def _snapshot(questionnaire: Questionnaire) -> list:
    return [
        (
            section.key,
            section.position,
            *(getattr(section, name) for name in SECTION_TEXTS),
            [
                (
                    question.key,
                    question.position,
                    question.kind,
                    question.signal,
                    question.required,
                    question.options,
                    *(getattr(question, name) for name in QUESTION_TEXTS),
                )
                for question in section.questions
            ],
        )
        for section in questionnaire.sections
    ]


# --- Seed -------------------------------------------------------------------------------------


def test_seed_makes_version_one_active_and_is_idempotent(active):
    assert active.version == 1
    assert active.status == QuestionnaireStatus.ACTIVE
    assert active.published_at is not None
    assert [section.key for section in active.sections] == [seed.key for seed in QUESTIONNAIRE]
    expected = sum(len(seed.questions) for seed in QUESTIONNAIRE)
    assert len(active.questions) == expected
    assert service.seed_questionnaire(db.session).id == active.id
    assert db.session.scalar(select(func.count(Questionnaire.id))) == 1


def test_the_seed_passes_the_rules_a_draft_must_pass(active):
    assert service.problems(active) == []
    assert all(KEY_PATTERN.match(question.key) for question in active.questions)
    assert len({question.key for question in active.questions}) == len(active.questions)
    texts = {name: getattr(q, name) for q in active.questions for name in QUESTION_TEXTS}
    assert service.check_texts(texts, required=(), limits={}) == []


# --- New draft --------------------------------------------------------------------------------


def test_new_draft_copies_everything(active, draft):
    assert draft.version == 2
    assert draft.status == QuestionnaireStatus.DRAFT
    assert draft.published_at is None
    assert _snapshot(draft) == _snapshot(active)
    assert {s.id for s in draft.sections}.isdisjoint({s.id for s in active.sections})
    assert {q.id for q in draft.questions}.isdisjoint({q.id for q in active.questions})


def test_new_draft_opens_the_existing_draft(draft):
    assert service.new_draft(db.session, by=None).id == draft.id


def test_new_draft_needs_an_active_version(app_ctx):
    with pytest.raises(QuestionnaireError) as refused:
        service.new_draft(db.session, by=None)
    assert refused.value.code == "no_active_version"


# --- Only a draft changes ---------------------------------------------------------------------


def test_a_published_version_refuses_every_change(active):
    before = _snapshot(active)
    section = active.sections[0]
    question = section.questions[1]
    changes = [
        lambda: service.update_section(db.session, section, worker_title_nl="Anders"),
        lambda: service.update_question(db.session, question, worker_nl="Anders"),
        lambda: service.add_question(db.session, section, key="new_one", kind="text", **TEXTS),
        lambda: service.remove_question(db.session, question),
        lambda: service.move_question(db.session, question, -1),
        lambda: service.discard_draft(db.session, active),
        lambda: service.publish(db.session, active),
    ]
    for change in changes:
        with pytest.raises(QuestionnaireError) as refused:
            change()
        assert refused.value.code == "not_a_draft"
    db.session.rollback()
    db.session.expire_all()
    assert _snapshot(active) == before


def test_update_section_texts(draft):
    section = draft.sections[0]
    service.update_section(db.session, section, worker_title_nl=" Je werk ", worker_intro_en="   ")
    assert section.worker_title_nl == "Je werk"
    assert section.worker_intro_en is None


@pytest.mark.parametrize(
    ("texts", "code", "field"),
    [
        ({"worker_title_nl": "  "}, "text_missing", "worker_title_nl"),
        ({"employer_title_en": "x" * 201}, "text_too_long", "employer_title_en"),
        ({"worker_intro_nl": "Hoi {naam}"}, "bad_placeholder", "worker_intro_nl"),
        ({"worker_title_nl": "Hoi {name}"}, "bad_placeholder", "worker_title_nl"),
    ],
)
def test_update_section_refuses_bad_texts(draft, texts, code, field):
    section = draft.sections[0]
    before = section.worker_title_nl
    with pytest.raises(QuestionnaireError) as refused:
        service.update_section(db.session, section, **texts)
    assert (refused.value.code, refused.value.params["field"]) == (code, field)
    assert section.worker_title_nl == before


def test_update_question_texts_and_required(draft):
    question = _question(draft, "work_pace")
    service.update_question(
        db.session,
        question,
        required=False,
        worker_nl="Ik houd het tempo bij.",
        employer_nl="{name} houdt het tempo bij.",
    )
    assert question.worker_nl == "Ik houd het tempo bij."
    assert question.employer_nl == "{name} houdt het tempo bij."
    assert question.required is False
    assert question.kind == QuestionKind.SCALE


def test_update_question_reports_all_problems_at_once(draft):
    question = _question(draft, "work_pace")
    with pytest.raises(QuestionnaireError) as refused:
        service.update_question(
            db.session, question, worker_nl="", employer_en="About {naam}", worker_en="x" * 301
        )
    assert {(e.code, e.params["field"]) for e in refused.value.errors} == {
        ("text_missing", "worker_nl"),
        ("bad_placeholder", "employer_en"),
        ("text_too_long", "worker_en"),
    }


def _choices(questionnaire: Questionnaire) -> Question:
    return next(q for q in questionnaire.questions if q.kind == QuestionKind.CHOICES)


def test_options_of_a_choices_question_are_added_changed_and_removed(draft):
    question = _choices(draft)
    codes = [option["code"] for option in question.options]
    service.add_option(db.session, question, OPTION)
    assert [o["code"] for o in question.options] == [*codes, "bike"]
    changed = [dict(option) for option in question.options]
    changed[0]["worker_nl"] = "Iets anders"
    service.set_options(db.session, question, changed)
    service.remove_option(db.session, question, "bike")
    db.session.commit()
    db.session.expire_all()
    assert [o["code"] for o in question.options] == codes
    assert question.options[0]["worker_nl"] == "Iets anders"


@pytest.mark.parametrize(
    ("options", "code", "index"),
    [
        ([OPTION, OPTION], "option_duplicate_code", 1),
        ([{**OPTION, "code": "Fiets!"}], "option_bad_code", 0),
        ([OPTION, {**OPTION, "code": "car", "employer_en": ""}], "text_missing", 1),
        ([], "options_missing", None),
    ],
)
def test_bad_options_are_refused(draft, options, code, index):
    question = _choices(draft)
    before = list(question.options)
    with pytest.raises(QuestionnaireError) as refused:
        service.set_options(db.session, question, options)
    assert refused.value.code == code
    assert refused.value.params.get("index") == index
    assert question.options == before


def test_only_a_choices_question_has_options(draft):
    with pytest.raises(QuestionnaireError) as refused:
        service.set_options(db.session, _question(draft, "work_pace"), [OPTION])
    assert refused.value.code == "options_not_allowed"


# --- Adding, removing and moving questions ----------------------------------------------------


def test_add_question_at_the_end_of_a_section(draft):
    section = draft.sections[0]
    count = len(section.questions)
    question = service.add_question(
        db.session, section, key="commute_time", kind="text", required=False, **TEXTS
    )
    db.session.commit()
    assert question.position == count
    assert section.questions[-1].key == "commute_time"
    assert question.signal == QuestionSignal.NONE
    assert question.required is False


def test_add_a_choices_question_with_options(draft):
    question = service.add_question(
        db.session, draft.sections[0], key="transport", kind="choices", options=[OPTION], **TEXTS
    )
    assert question.options == [OPTION]


@pytest.mark.parametrize(
    ("key", "kind", "signal", "code"),
    [
        ("Work Pace", "text", "none", "bad_key"),
        ("work__pace", "text", "none", "bad_key"),
        ("1st", "text", "none", "bad_key"),
        ("x" * 41, "text", "none", "key_too_long"),
        ("", "text", "none", "key_missing"),
        ("work_pace", "scale", "none", "key_in_use"),
        ("fresh", "essay", "none", "unknown_kind"),
        ("fresh", "text", "loud", "unknown_signal"),
        ("fresh", "text", "energy", "signal_kind_mismatch"),
        ("fresh", "scale", "talk", "signal_kind_mismatch"),
        ("fresh", "yes_no", "talk", "talk_question_exists"),
        ("fresh", "choices", "none", "options_missing"),
    ],
)
def test_add_question_refuses(draft, key, kind, signal, code):
    section = draft.sections[0]
    count = len(draft.questions)
    with pytest.raises(QuestionnaireError) as refused:
        service.add_question(db.session, section, key=key, kind=kind, signal=signal, **TEXTS)
    assert refused.value.code == code
    assert len(draft.questions) == count


def test_add_question_refuses_options_for_other_kinds(draft):
    with pytest.raises(QuestionnaireError) as refused:
        service.add_question(
            db.session, draft.sections[0], key="fresh", kind="text", options=[OPTION], **TEXTS
        )
    assert refused.value.code == "options_not_allowed"


def test_a_key_from_an_earlier_version_keeps_its_kind_and_signal(draft):
    removed = _question(draft, "work_pace")
    section = removed.section
    service.remove_question(db.session, removed)
    for kind, signal, code in [
        ("text", "none", "key_kind_conflict"),
        ("scale", "energy", "key_signal_conflict"),
    ]:
        with pytest.raises(QuestionnaireError) as refused:
            service.add_question(
                db.session, section, key="work_pace", kind=kind, signal=signal, **TEXTS
            )
        assert refused.value.code == code
    back = service.add_question(db.session, section, key="work_pace", kind="scale", **TEXTS)
    assert back.kind == QuestionKind.SCALE


def test_remove_question_from_a_draft(draft, active):
    question = _question(draft, "work_pace")
    section = question.section
    service.remove_question(db.session, question)
    db.session.commit()
    db.session.expire_all()
    assert "work_pace" not in [q.key for q in draft.questions]
    assert [q.position for q in section.questions] == list(range(len(section.questions)))
    assert "work_pace" in [q.key for q in active.questions]


def test_the_talk_question_cannot_be_removed(draft):
    talk = next(q for q in draft.questions if q.signal == QuestionSignal.TALK)
    with pytest.raises(QuestionnaireError) as refused:
        service.remove_question(db.session, talk)
    assert refused.value.code == "talk_question_required"
    assert talk in draft.questions


def test_move_question_up_and_down(draft):
    section = draft.sections[0]
    first, second = section.questions[0].key, section.questions[1].key
    service.move_question(db.session, section.questions[1], -1)
    assert [q.key for q in section.questions][:2] == [second, first]
    service.move_question(db.session, section.questions[0], 1)
    db.session.commit()
    db.session.expire_all()
    assert [q.key for q in section.questions][:2] == [first, second]
    assert [q.position for q in section.questions] == list(range(len(section.questions)))


def test_move_beyond_the_edge_is_refused(draft):
    section = draft.sections[0]
    with pytest.raises(QuestionnaireError) as refused:
        service.move_question(db.session, section.questions[0], -1)
    assert refused.value.code == "cannot_move"
    with pytest.raises(QuestionnaireError):
        service.move_question(db.session, section.questions[-1], 1)


# --- Publishing and discarding ----------------------------------------------------------------


def test_publish_retires_the_old_version_and_keeps_it_intact(draft, active):
    before = _snapshot(active)
    old_ids = [q.id for q in active.questions]
    service.update_question(db.session, _question(draft, "work_pace"), worker_nl="Nieuw.")
    service.publish(db.session, draft, note="  Tempo anders gevraagd  ")
    db.session.commit()
    db.session.expire_all()
    assert draft.status == QuestionnaireStatus.ACTIVE
    assert draft.published_at is not None
    assert draft.note == "Tempo anders gevraagd"
    assert active.status == QuestionnaireStatus.RETIRED
    assert service.active_questionnaire(db.session).id == draft.id
    # Responses that used version 1 keep pointing at the same, unchanged questions.
    assert _snapshot(active) == before
    assert [q.id for q in active.questions] == old_ids
    assert _question(draft, "work_pace").worker_nl == "Nieuw."
    assert _question(active, "work_pace").worker_nl != "Nieuw."
    active_count = select(func.count(Questionnaire.id)).where(
        Questionnaire.status == QuestionnaireStatus.ACTIVE
    )
    assert db.session.scalar(active_count) == 1


def test_a_retired_version_stays_read_only(draft, active):
    service.publish(db.session, draft)
    db.session.commit()
    with pytest.raises(QuestionnaireError) as refused:
        service.update_question(db.session, active.questions[0], worker_nl="Anders")
    assert refused.value.code == "not_a_draft"
    version_three = service.new_draft(db.session, by=None)
    assert version_three.version == 3
    assert _snapshot(version_three) == _snapshot(draft)


def test_publish_is_refused_while_problems_exist(draft, active):
    section = draft.sections[0]
    for question in list(section.questions):
        service.remove_question(db.session, question)
    choices = _choices(draft)
    choices.options = []  # as if stored before the rules (the service refuses this itself)
    found = {error.code for error in service.problems(draft)}
    assert found == {"section_empty", "choices_without_options"}
    with pytest.raises(QuestionnaireError) as refused:
        service.publish(db.session, draft, note="Poging")
    assert {error.code for error in refused.value.errors} == found
    assert draft.status == QuestionnaireStatus.DRAFT
    assert draft.note is None
    assert active.status == QuestionnaireStatus.ACTIVE


def test_publish_without_a_talk_question_is_refused(draft):
    talk = next(q for q in draft.questions if q.signal == QuestionSignal.TALK)
    talk.section.questions.remove(talk)  # the service refuses this; the check still holds
    db.session.flush()
    assert [error.code for error in service.problems(draft)] == ["no_talk_question"]
    with pytest.raises(QuestionnaireError):
        service.publish(db.session, draft)


def test_publish_note_has_a_limit(draft):
    with pytest.raises(QuestionnaireError) as refused:
        service.publish(db.session, draft, note="x" * 501)
    assert refused.value.code == "note_too_long"
    assert draft.status == QuestionnaireStatus.DRAFT


def test_discard_draft(draft, active):
    service.discard_draft(db.session, draft)
    db.session.commit()
    assert service.draft_questionnaire(db.session) is None
    assert service.active_questionnaire(db.session).id == active.id
    assert db.session.scalar(select(func.count(Questionnaire.id))) == 1
    sections = select(func.count(QuestionnaireSection.id))
    assert db.session.scalar(sections) == len(active.sections)
    assert db.session.scalar(select(func.count(Question.id))) == len(active.questions)
    assert service.new_draft(db.session, by=None).version == 2


def test_all_versions_newest_first(draft, active):
    assert [v.version for v in service.all_versions(db.session)] == [2, 1]
