"""Administrator screens for the evaluation questionnaire (versioned reference data).

Only a draft changes. A published version is what people answered, so its screens are read-only
and every change to it is refused with a message and a way on (make a new version).
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from portal.blueprints.admin import bp
from portal.blueprints.admin.questionnaire_forms import (
    KIND_LABELS,
    SIGNAL_LABELS,
    DiscardForm,
    NewQuestionForm,
    PublishForm,
    QuestionForm,
    SectionForm,
    format_options,
    parse_options,
)
from portal.extensions import db
from portal.models import (
    Question,
    QuestionKind,
    Questionnaire,
    QuestionnaireSection,
    QuestionnaireStatus,
    QuestionSignal,
    Role,
)
from portal.security import roles_required
from portal.services import questionnaires as service
from portal.services.questionnaires import QUESTION_TEXTS, SECTION_TEXTS, QuestionnaireError

STATUS_LABELS = {
    QuestionnaireStatus.DRAFT: _l("Draft"),
    QuestionnaireStatus.ACTIVE: _l("In use"),
    QuestionnaireStatus.RETIRED: _l("Replaced"),
}

# One message per rule of the service, in the user's language. Parameters: %(section)s and
# %(question)s are the names shown on screen, %(key)s a question key, %(limit)s a length.
MESSAGES = {
    "not_a_draft": _l(
        "This version has been published and can no longer be changed. "
        "Make a new version to change the questionnaire."
    ),
    "no_active_version": _l("There is no questionnaire in use yet to copy."),
    "no_sections": _l("The questionnaire has no sections."),
    "section_text_missing": _l("Section “%(section)s” is missing a title."),
    "section_empty": _l("Section “%(section)s” has no questions."),
    "duplicate_key": _l("The key %(key)s is used more than once."),
    "question_text_missing": _l("Question “%(question)s” is missing a wording."),
    "choices_without_options": _l("Question “%(question)s” has no options to choose from."),
    "no_talk_question": _l(
        "The questionnaire needs the question whether someone wants a talk with their contact "
        "person."
    ),
    "note_too_long": _l("Use at most %(limit)s characters."),
    "text_missing": _l("Fill in this text."),
    "text_too_long": _l("Use at most %(limit)s characters."),
    "bad_placeholder": _l(
        "Between braces only {name} is possible, and only in the employer's wording."
    ),
    "key_missing": _l("Fill in a key."),
    "key_too_long": _l("Use at most %(limit)s characters."),
    "bad_key": _l(
        "Use lowercase letters, digits and single underscores, starting with a letter, "
        "for example: work_pace."
    ),
    "key_in_use": _l("This key is already used in this version. Choose another key."),
    "key_kind_conflict": _l(
        "An earlier version used this key for a question with the answer kind “%(kind)s”. "
        "A key keeps its meaning: choose that kind or a new key."
    ),
    "key_signal_conflict": _l(
        "An earlier version used this key with the signal “%(signal)s”. "
        "A key keeps its meaning: choose that signal or a new key."
    ),
    "unknown_kind": _l("Choose a kind of answer."),
    "unknown_signal": _l("Choose a signal."),
    "signal_kind_mismatch": _l("This signal only fits the answer kind “%(kind)s”."),
    "talk_question_exists": _l("This version already has a question with the talk signal."),
    "talk_question_required": _l(
        "The question whether someone wants a talk cannot be removed: "
        "the contact person relies on it."
    ),
    "question_has_answers": _l("This question has answers and cannot be removed."),
    "cannot_move": _l("The question is already at the top or bottom of its section."),
    "draft_in_use": _l("This draft has responses and cannot be thrown away."),
    "options_missing": _l("A choices question needs at least one option."),
    "options_not_allowed": _l("Only a choices question has options. Leave this empty."),
    "option_unknown": _l("This option does not exist."),
    "option_bad_code": _l(
        "Line %(line)s: the code must be lowercase letters, digits and single underscores, "
        "at most 40 characters."
    ),
    "option_duplicate_code": _l("Line %(line)s: the code %(option)s is used twice."),
    "option_text_missing": _l("Line %(line)s: fill in all four wordings."),
    "option_text_too_long": _l("Line %(line)s: use at most %(limit)s characters per wording."),
    "option_bad_placeholder": _l(
        "Line %(line)s: between braces only {name} is possible, and only in the employer's wording."
    ),
}


def _lang() -> str:
    return "en" if str(get_locale()) == "en" else "nl"


def _section_name(section: QuestionnaireSection | None, key: str) -> str:
    if section is None:
        return key
    return getattr(section, f"worker_title_{_lang()}") or section.worker_title_nl or key


def _question_name(question: Question | None, key: str) -> str:
    if question is None:
        return key
    return getattr(question, f"worker_{_lang()}") or question.worker_nl or key


def message(error: QuestionnaireError, questionnaire: Questionnaire | None = None) -> str:
    """The error in the user's language, naming sections and questions as the screen shows them."""
    params = dict(error.params)
    if "question" in params:
        params["key"] = params["question"]
    if questionnaire is not None:
        if "section" in params:
            section = next((s for s in questionnaire.sections if s.key == params["section"]), None)
            params["section"] = _section_name(section, params["section"])
        if "question" in params:
            question = next(
                (q for q in questionnaire.questions if q.key == params["question"]), None
            )
            params["question"] = _question_name(question, params["question"])
    if "kind" in params:
        params["kind"] = str(KIND_LABELS[QuestionKind(params["kind"])])
    if "signal" in params:
        params["signal"] = str(SIGNAL_LABELS[QuestionSignal(params["signal"])])
    template = MESSAGES.get(error.code)
    if template is None:
        return _("This change is not possible.")
    return str(template) % params if params else str(template)


# --- Loading ----------------------------------------------------------------------------------


def _section_or_404(questionnaire: Questionnaire, section_id: int) -> QuestionnaireSection:
    section = db.session.get(QuestionnaireSection, section_id)
    if section is None or section.questionnaire_id != questionnaire.id:
        abort(404)
    return section


def _question_or_404(questionnaire: Questionnaire, question_id: int) -> Question:
    question = db.session.get(Question, question_id)
    if question is None or question.section.questionnaire_id != questionnaire.id:
        abort(404)
    return question


def _back(questionnaire: Questionnaire, anchor: str | None = None):
    return redirect(
        url_for("admin.questionnaire", questionnaire_id=questionnaire.id, _anchor=anchor)
    )


def _refuse_published(questionnaire: Questionnaire):
    """The answer to any change of a published version: say so and show the version."""
    flash(message(QuestionnaireError("not_a_draft")), "error")
    return _back(questionnaire)


def _is_draft(questionnaire: Questionnaire) -> bool:
    return questionnaire.status == QuestionnaireStatus.DRAFT


def _add_field_errors(form, errors, questionnaire, line_numbers=(), malformed=()) -> None:
    """Attach the service's errors to the fields they are about (option errors by line number,
    together with the lines that could not be read), or to the form."""
    fields = {name: getattr(form, name, None) for name in (*SECTION_TEXTS, *QUESTION_TEXTS)}
    by_line = [(line, _malformed(line)) for line in malformed]
    for error in errors:
        target = None
        if "index" in error.params:
            index = error.params["index"]
            line = line_numbers[index] if index < len(line_numbers) else index + 1
            by_line.append((line, message(_option_error(error, line), questionnaire)))
            continue
        if error.code.startswith("option"):
            target = getattr(form, "options", None)
        elif error.code.startswith("key") or error.code == "bad_key":
            target = getattr(form, "key", None)
        elif error.code in ("unknown_kind", "signal_kind_mismatch"):
            target = getattr(form, "kind", None)
        elif error.code in ("unknown_signal", "talk_question_exists"):
            target = getattr(form, "signal", None)
        elif "field" in error.params:
            target = fields.get(error.params["field"])
        text = message(error, questionnaire)
        if target is not None:
            target.errors.append(text)
        else:
            form.form_errors.append(text)
    if by_line:
        form.options.errors.extend(text for _line, text in sorted(by_line, key=lambda e: e[0]))


def _malformed(line: int) -> str:
    return _("Line %(line)s: give a code and four wordings, separated by |.", line=line)


def _save(form, questionnaire, change, line_numbers=(), malformed=()):
    """Run a change of the draft; commit it, or keep it out and put the problems on the form.

    Lines of options that could not be read are reported with the service's own findings, so
    the administrator sees every problem at once; the change is then not kept.
    """
    try:
        result = change()
    except QuestionnaireError as error:
        db.session.rollback()
        if error.code == "not_a_draft":
            raise
        _add_field_errors(form, error.errors, questionnaire, line_numbers, malformed)
        return None
    if malformed:
        db.session.rollback()
        _add_field_errors(form, [], questionnaire, line_numbers, malformed)
        return None
    db.session.commit()
    return result if result is not None else True


def _option_error(error: QuestionnaireError, line: int) -> QuestionnaireError:
    code = error.code if error.code.startswith("option") else f"option_{error.code}"
    return QuestionnaireError(code, **{**error.params, "line": line})


# --- Screens ----------------------------------------------------------------------------------


@bp.route("/vragenlijsten")
@roles_required(Role.ADMINISTRATOR)
def questionnaires():
    versions = service.all_versions(db.session)
    draft = next((version for version in versions if _is_draft(version)), None)
    return render_template(
        "admin/questionnaires.html",
        versions=versions,
        draft=draft,
        has_active=any(v.status == QuestionnaireStatus.ACTIVE for v in versions),
        status_labels=STATUS_LABELS,
    )


@bp.route("/vragenlijsten/nieuwe-versie", methods=["POST"])
@roles_required(Role.ADMINISTRATOR)
def questionnaire_new_draft():
    existing = service.draft_questionnaire(db.session)
    try:
        draft = service.new_draft(db.session, by=current_user._get_current_object())
    except QuestionnaireError as error:
        db.session.rollback()
        flash(message(error), "error")
        return redirect(url_for("admin.questionnaires"))
    db.session.commit()
    if existing is None:
        flash(
            _(
                "Draft version %(version)s has been made: a copy of the version in use. "
                "Nobody sees it until you publish it.",
                version=draft.version,
            ),
            "success",
        )
    else:
        flash(_("There already is a draft; you can continue with it."), "info")
    return _back(draft)


def _render_version(questionnaire, publish_form=None, discard_form=None, status=200):
    draft = _is_draft(questionnaire)
    blocking = [message(e, questionnaire) for e in service.problems(questionnaire)] if draft else []
    return (
        render_template(
            "admin/questionnaire.html",
            questionnaire=questionnaire,
            is_draft=draft,
            blocking=blocking,
            publish_form=publish_form or PublishForm(),
            discard_form=discard_form or DiscardForm(),
            status_labels=STATUS_LABELS,
            kind_labels=KIND_LABELS,
            signal_labels=SIGNAL_LABELS,
            lang=_lang(),
        ),
        status,
    )


@bp.route("/vragenlijsten/<int:questionnaire_id>")
@roles_required(Role.ADMINISTRATOR)
def questionnaire(questionnaire_id: int):
    return _render_version(db.get_or_404(Questionnaire, questionnaire_id))


@bp.route(
    "/vragenlijsten/<int:questionnaire_id>/onderdelen/<int:section_id>", methods=["GET", "POST"]
)
@roles_required(Role.ADMINISTRATOR)
def questionnaire_section(questionnaire_id: int, section_id: int):
    questionnaire = db.get_or_404(Questionnaire, questionnaire_id)
    section = _section_or_404(questionnaire, section_id)
    if not _is_draft(questionnaire):
        return _refuse_published(questionnaire)
    form = SectionForm(obj=section)
    if form.validate_on_submit():
        texts = {name: getattr(form, name).data for name in SECTION_TEXTS}
        try:
            saved = _save(
                form, questionnaire, lambda: service.update_section(db.session, section, **texts)
            )
        except QuestionnaireError:
            return _refuse_published(questionnaire)
        if saved:
            flash(_("The section has been saved."), "success")
            return _back(questionnaire, f"section-{section.id}")
    return render_template(
        "admin/questionnaire_section.html",
        questionnaire=questionnaire,
        section=section,
        form=form,
        name=_section_name(section, section.key),
    )


@bp.route("/vragenlijsten/<int:questionnaire_id>/vragen/<int:question_id>", methods=["GET", "POST"])
@roles_required(Role.ADMINISTRATOR)
def questionnaire_question(questionnaire_id: int, question_id: int):
    questionnaire = db.get_or_404(Questionnaire, questionnaire_id)
    question = _question_or_404(questionnaire, question_id)
    if not _is_draft(questionnaire):
        return _refuse_published(questionnaire)
    form = QuestionForm(obj=question)
    choices = question.kind == QuestionKind.CHOICES
    if not choices:
        del form.options
    elif request.method == "GET":
        form.options.data = format_options(question.options)
    if form.validate_on_submit():
        options, line_numbers, malformed = (
            parse_options(form.options.data) if choices else (None, [], [])
        )
        texts = {name: getattr(form, name).data for name in QUESTION_TEXTS}

        def change():
            service.update_question(
                db.session, question, required=form.required.data, options=options, **texts
            )

        try:
            saved = _save(form, questionnaire, change, line_numbers, malformed)
        except QuestionnaireError:
            return _refuse_published(questionnaire)
        if saved:
            flash(_("The question has been saved."), "success")
            return _back(questionnaire, f"question-{question.id}")
    return render_template(
        "admin/questionnaire_question.html",
        questionnaire=questionnaire,
        section=question.section,
        question=question,
        form=form,
        heading=_(
            "Change question “%(question)s”", question=_question_name(question, question.key)
        ),
        section_name=_section_name(question.section, question.section.key),
        kind_labels=KIND_LABELS,
        signal_labels=SIGNAL_LABELS,
    )


@bp.route(
    "/vragenlijsten/<int:questionnaire_id>/onderdelen/<int:section_id>/nieuwe-vraag",
    methods=["GET", "POST"],
)
@roles_required(Role.ADMINISTRATOR)
def questionnaire_add_question(questionnaire_id: int, section_id: int):
    questionnaire = db.get_or_404(Questionnaire, questionnaire_id)
    section = _section_or_404(questionnaire, section_id)
    if not _is_draft(questionnaire):
        return _refuse_published(questionnaire)
    form = NewQuestionForm()
    if form.validate_on_submit():
        options, line_numbers, malformed = parse_options(form.options.data)
        texts = {name: getattr(form, name).data for name in QUESTION_TEXTS}

        def change():
            return service.add_question(
                db.session,
                section,
                key=form.key.data,
                kind=form.kind.data,
                signal=form.signal.data,
                required=form.required.data,
                options=options,
                **texts,
            )

        try:
            question = _save(form, questionnaire, change, line_numbers, malformed)
        except QuestionnaireError:
            return _refuse_published(questionnaire)
        if question:
            flash(_("The question has been added."), "success")
            return _back(questionnaire, f"question-{question.id}")
    return render_template(
        "admin/questionnaire_question.html",
        questionnaire=questionnaire,
        section=section,
        question=None,
        form=form,
        heading=_("New question in “%(section)s”", section=_section_name(section, section.key)),
        section_name=_section_name(section, section.key),
        kind_labels=KIND_LABELS,
        signal_labels=SIGNAL_LABELS,
    )


def _question_action(questionnaire_id: int, question_id: int, action, done: str):
    questionnaire = db.get_or_404(Questionnaire, questionnaire_id)
    question = _question_or_404(questionnaire, question_id)
    if not _is_draft(questionnaire):
        return _refuse_published(questionnaire)
    name = _question_name(question, question.key)
    anchor = f"section-{question.section_id}"
    try:
        action(question)
    except QuestionnaireError as error:
        db.session.rollback()
        flash(message(error, questionnaire), "error")
    else:
        db.session.commit()
        flash(done % {"question": name}, "success")
    return _back(questionnaire, anchor)


@bp.route("/vragenlijsten/<int:questionnaire_id>/vragen/<int:question_id>/omhoog", methods=["POST"])
@roles_required(Role.ADMINISTRATOR)
def questionnaire_move_up(questionnaire_id: int, question_id: int):
    return _question_action(
        questionnaire_id,
        question_id,
        lambda question: service.move_question(db.session, question, -1),
        _("“%(question)s” has been moved up."),
    )


@bp.route("/vragenlijsten/<int:questionnaire_id>/vragen/<int:question_id>/omlaag", methods=["POST"])
@roles_required(Role.ADMINISTRATOR)
def questionnaire_move_down(questionnaire_id: int, question_id: int):
    return _question_action(
        questionnaire_id,
        question_id,
        lambda question: service.move_question(db.session, question, 1),
        _("“%(question)s” has been moved down."),
    )


@bp.route(
    "/vragenlijsten/<int:questionnaire_id>/vragen/<int:question_id>/verwijderen", methods=["POST"]
)
@roles_required(Role.ADMINISTRATOR)
def questionnaire_remove_question(questionnaire_id: int, question_id: int):
    return _question_action(
        questionnaire_id,
        question_id,
        lambda question: service.remove_question(db.session, question),
        _("“%(question)s” has been removed from this draft."),
    )


@bp.route("/vragenlijsten/<int:questionnaire_id>/publiceren", methods=["POST"])
@roles_required(Role.ADMINISTRATOR)
def questionnaire_publish(questionnaire_id: int):
    questionnaire = db.get_or_404(Questionnaire, questionnaire_id)
    if not _is_draft(questionnaire):
        return _refuse_published(questionnaire)
    form = PublishForm()
    if not form.validate_on_submit():
        return _render_version(questionnaire, publish_form=form)
    try:
        service.publish(db.session, questionnaire, note=form.note.data or "")
    except QuestionnaireError as error:
        db.session.rollback()
        if error.code == "not_a_draft":
            return _refuse_published(questionnaire)
        if error.code == "note_too_long":
            form.note.errors.append(message(error))
            return _render_version(questionnaire, publish_form=form)
        form.form_errors.append(_("Publishing is not possible yet: solve the problems listed."))
        return _render_version(questionnaire, publish_form=form, status=409)
    db.session.commit()
    flash(
        _(
            "Version %(version)s has been published. New evaluations use it from now on; "
            "evaluations already started keep their version.",
            version=questionnaire.version,
        ),
        "success",
    )
    return redirect(url_for("admin.questionnaires"))


@bp.route("/vragenlijsten/<int:questionnaire_id>/weggooien", methods=["POST"])
@roles_required(Role.ADMINISTRATOR)
def questionnaire_discard(questionnaire_id: int):
    questionnaire = db.get_or_404(Questionnaire, questionnaire_id)
    if not _is_draft(questionnaire):
        return _refuse_published(questionnaire)
    form = DiscardForm()
    if not form.validate_on_submit():
        return _render_version(questionnaire, discard_form=form)
    version = questionnaire.version
    try:
        service.discard_draft(db.session, questionnaire)
    except QuestionnaireError as error:
        db.session.rollback()
        flash(message(error, questionnaire), "error")
        return _back(questionnaire)
    db.session.commit()
    flash(_("Draft version %(version)s has been thrown away.", version=version), "success")
    return redirect(url_for("admin.questionnaires"))
