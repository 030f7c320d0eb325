"""The chat page forwards messages to Rasa's REST channel and keeps working when Rasa is down."""

from __future__ import annotations

from flask import current_app, jsonify, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from portal.blueprints.chat import bp
from portal.blueprints.chat.conversation import conversation_id, recent_messages
from portal.blueprints.chat.forms import ChatForm
from portal.extensions import config_limit, db, limiter
from portal.models import ChatMessage
from portal.security import public
from portal.services.assistant import AssistantClient, AssistantUnavailable
from portal.services.contacts import contact_person_for

OFFLINE_FLAG = "assistant_offline"


def _assistant() -> AssistantClient:
    return AssistantClient.from_config(current_app.config)


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


def _exchange(text: str) -> list[str] | None:
    """Store the user's message, ask Rasa, store the replies. `None` when Rasa is unavailable."""
    conversation = conversation_id()
    db.session.add(ChatMessage(conversation_id=conversation, author="user", text=text))
    # Commit before the call: Rasa's actions call back into the portal, which must not wait on a
    # transaction this request holds open.
    db.session.commit()
    metadata = {
        "role": current_user.role.value if current_user.is_authenticated else "anonymous",
        "locale": str(get_locale()),
    }
    try:
        replies = _assistant().send(conversation, text, metadata)
    except AssistantUnavailable as exc:
        current_app.logger.warning("assistant unavailable: %s", exc)
        session[OFFLINE_FLAG] = True
        return None
    session.pop(OFFLINE_FLAG, None)
    for reply in replies:
        db.session.add(ChatMessage(conversation_id=conversation, author="bot", text=reply))
    db.session.commit()
    return replies


@bp.route("/assistent", methods=["GET", "POST"])
@limiter.limit(config_limit("CHAT_LIMIT"), methods=["POST"])
@public
def chat():
    form = ChatForm()
    if form.validate_on_submit():
        replies = _exchange(form.message.data.strip())
        if _wants_json():
            if replies is None:
                return jsonify({"available": False, "reload": url_for("chat.chat")}), 503
            return jsonify({"available": True, "replies": replies})
        return redirect(url_for("chat.chat", _anchor="chat-bericht"))
    if request.method == "POST" and _wants_json():
        return jsonify({"available": True, "errors": form.message.errors}), 400
    contact = (
        contact_person_for(db.session, current_user) if current_user.is_authenticated else None
    )
    messages = recent_messages(conversation_id())
    last_user_message = next((m.text for m in reversed(messages) if m.author == "user"), "")
    return render_template(
        "chat/chat.html",
        form=form,
        messages=messages,
        offline=session.get(OFFLINE_FLAG, False),
        contact=contact,
        last_user_message=last_user_message,
        quick_questions=_quick_questions(),
    )


def _quick_questions() -> list[str]:
    """The common topics as ready-made messages in the user's language (the assistant knows
    them in both)."""
    questions = [
        _("I am sick, what do I do?"),
        _("What is the no-riskpolis?"),
        _("How do I get a jobcoach?"),
        _("How much is the loonkostensubsidie?"),
    ]
    if current_user.is_authenticated:
        questions.insert(0, _("Who is my contact person?"))
    return questions
