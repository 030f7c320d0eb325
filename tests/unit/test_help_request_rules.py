"""Help-request rules: where a request lands, the preferred way of contact, the status steps with
their history, closing with an outcome, reopening with a note, taking from the queue, who may do
what, and the messages (exactly once, never to the one who acted)."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from portal.blueprints.help.notifications import notify_new_help_request, notify_status_change
from portal.extensions import db
from portal.models import (
    ContactTime,
    ContactWay,
    HelpRequestChannel,
    HelpRequestNote,
    HelpRequestStatus,
    InboxMessage,
)
from portal.policy import (
    can_read_help_request_notes,
    can_request_help,
    can_take_help_request,
    can_view_help_request,
    can_work_on_help_request,
)
from portal.services.help_requests import (
    AlreadyAssigned,
    AlreadyClosed,
    ContactWayNotPossible,
    HelpRequestDraft,
    IncompleteRequester,
    InvalidTransition,
    ListFilter,
    NotClosed,
    NoteMissing,
    OutcomeMissing,
    TextTooLong,
    add_note,
    change_status,
    close,
    contact_person_requests,
    contact_way_possible,
    count_contact_person_requests,
    create_help_request,
    default_contact_way,
    reopen,
    status_history,
    take,
)
from tests.conftest import (
    ADMIN,
    CONTACT,
    EMPLOYER,
    JOBCOACH,
    OTHER_CONTACT,
    OTHER_WORKER,
    WORKER,
    make_help_request,
    user_by_email,
)

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _draft(requester=None, **fields) -> HelpRequestDraft:
    fields.setdefault("subject", "Vraag")
    fields.setdefault("text", "Tekst")
    fields.setdefault("channel", HelpRequestChannel.FORM)
    return HelpRequestDraft(requester=requester, **fields)


def _messages(user=None) -> list[InboxMessage]:
    query = select(InboxMessage).order_by(InboxMessage.id)
    if user is not None:
        query = query.where(InboxMessage.user_id == user.id)
    return list(db.session.scalars(query))


# Creating ----------------------------------------------------------------------------------


def test_a_workers_request_lands_with_their_contact_person_with_the_preference(demo):
    sanne = user_by_email(WORKER)
    draft = _draft(
        sanne, preferred_contact_way=ContactWay.PORTAL, preferred_time=ContactTime.MORNING
    )
    help_request = create_help_request(db.session, draft, now=T0)
    assert help_request.assigned_to.email == CONTACT
    assert help_request.status == HelpRequestStatus.NEW
    assert help_request.preferred_contact_way == ContactWay.PORTAL
    assert help_request.preferred_time == ContactTime.MORNING
    assert help_request.reference == "HV-2026-000001"
    assert help_request.notes == []


def test_the_assistant_sends_no_preference_unless_it_asked(demo):
    help_request = create_help_request(
        db.session, _draft(user_by_email(WORKER), channel=HelpRequestChannel.ASSISTANT)
    )
    assert help_request.preferred_contact_way is None
    assert help_request.preferred_time is None


def test_an_anonymous_request_lands_in_the_queue_and_needs_a_way_to_reach(demo):
    queued = create_help_request(
        db.session, _draft(requester_name="Piet", requester_email="piet@voorbeeld.nl")
    )
    assert queued.assigned_to is None
    with pytest.raises(IncompleteRequester):
        create_help_request(db.session, _draft(requester_name="Piet"))


@pytest.mark.parametrize(
    ("way", "phone", "email"),
    [
        (ContactWay.PORTAL, "0612345678", "piet@voorbeeld.nl"),  # no account, no inbox
        (ContactWay.PHONE, None, "piet@voorbeeld.nl"),
        (ContactWay.EMAIL, "0612345678", None),
    ],
)
def test_an_anonymous_requester_cannot_choose_a_way_that_cannot_work(demo, way, phone, email):
    draft = _draft(
        requester_name="Piet",
        requester_phone=phone,
        requester_email=email,
        preferred_contact_way=way,
    )
    with pytest.raises(ContactWayNotPossible):
        create_help_request(db.session, draft)


def test_contact_way_possible():
    assert contact_way_possible(None, has_account=False, phone=None, email="a@b.nl")
    assert contact_way_possible(ContactWay.PORTAL, has_account=True, phone=None, email="a@b.nl")
    assert not contact_way_possible(ContactWay.PORTAL, has_account=False, phone="06", email=None)
    assert contact_way_possible(ContactWay.VISIT, has_account=False, phone=None, email="a@b.nl")
    assert not contact_way_possible(ContactWay.PHONE, has_account=True, phone=None, email="a@b")


def test_a_user_without_a_phone_cannot_ask_for_a_call_and_defaults_to_email(demo):
    sanne = user_by_email(WORKER)
    assert default_contact_way(sanne) == ContactWay.PHONE
    sanne.phone = None
    assert default_contact_way(sanne) == ContactWay.EMAIL
    with pytest.raises(ContactWayNotPossible):
        create_help_request(db.session, _draft(sanne, preferred_contact_way=ContactWay.PHONE))


# Working it off ----------------------------------------------------------------------------


@pytest.fixture
def request_and_contact(demo):
    return make_help_request(user_by_email(WORKER)), user_by_email(CONTACT)


def test_status_steps_are_kept_as_history(request_and_contact):
    help_request, fatima = request_and_contact
    change_status(db.session, help_request, fatima, HelpRequestStatus.IN_PROGRESS, now=T0)
    add_note(db.session, help_request, fatima, "Gebeld, voicemail.", now=T0 + timedelta(hours=1))
    close(
        db.session,
        help_request,
        fatima,
        "Nieuwe afspraak met de leidinggevende.",
        now=T0 + timedelta(days=1),
    )
    assert help_request.status == HelpRequestStatus.CLOSED
    assert help_request.outcome == "Nieuwe afspraak met de leidinggevende."
    assert help_request.closed_at == T0 + timedelta(days=1)
    assert [(n.status, n.text) for n in help_request.notes] == [
        (HelpRequestStatus.IN_PROGRESS, None),
        (None, "Gebeld, voicemail."),
        (HelpRequestStatus.CLOSED, "Nieuwe afspraak met de leidinggevende."),
    ]
    assert all(note.by == fatima for note in help_request.notes)
    # The requester's history: the status changes only, never the working note.
    assert [n.status for n in status_history(help_request)] == [
        HelpRequestStatus.IN_PROGRESS,
        HelpRequestStatus.CLOSED,
    ]


def test_closing_needs_an_outcome(request_and_contact):
    help_request, fatima = request_and_contact
    for outcome in ("", "   \n"):
        with pytest.raises(OutcomeMissing):
            close(db.session, help_request, fatima, outcome)
    with pytest.raises(OutcomeMissing):
        change_status(db.session, help_request, fatima, HelpRequestStatus.CLOSED)
    with pytest.raises(TextTooLong):
        close(db.session, help_request, fatima, "x" * 5001)
    assert help_request.status == HelpRequestStatus.NEW
    assert help_request.notes == []


def test_a_new_request_can_be_closed_at_once(request_and_contact):
    help_request, fatima = request_and_contact
    change_status(db.session, help_request, fatima, HelpRequestStatus.CLOSED, outcome="Beantwoord")
    assert help_request.status == HelpRequestStatus.CLOSED
    assert help_request.outcome == "Beantwoord"


def test_a_closed_request_only_changes_by_reopening_with_a_note(request_and_contact):
    help_request, fatima = request_and_contact
    close(db.session, help_request, fatima, "Opgelost", now=T0)
    with pytest.raises(AlreadyClosed):
        close(db.session, help_request, fatima, "Nog eens")
    with pytest.raises(AlreadyClosed):
        change_status(db.session, help_request, fatima, HelpRequestStatus.IN_PROGRESS)
    with pytest.raises(AlreadyClosed):
        change_status(db.session, help_request, fatima, HelpRequestStatus.NEW, note="terug")
    with pytest.raises(NoteMissing):
        reopen(db.session, help_request, fatima, "  ")
    assert help_request.status == HelpRequestStatus.CLOSED
    reopen(db.session, help_request, fatima, "Werkgever belde opnieuw.", now=T0 + timedelta(1))
    assert help_request.status == HelpRequestStatus.IN_PROGRESS
    assert help_request.outcome is None and help_request.closed_at is None
    last = help_request.notes[-1]
    assert (last.status, last.text) == (HelpRequestStatus.IN_PROGRESS, "Werkgever belde opnieuw.")
    # The first outcome stays in the history.
    assert help_request.notes[0].text == "Opgelost"
    with pytest.raises(NotClosed):
        reopen(db.session, help_request, fatima, "nog eens")


def test_reopening_through_change_status_with_a_note(request_and_contact):
    help_request, fatima = request_and_contact
    close(db.session, help_request, fatima, "Opgelost")
    change_status(db.session, help_request, fatima, HelpRequestStatus.IN_PROGRESS, note="Toch niet")
    assert help_request.status == HelpRequestStatus.IN_PROGRESS


def test_no_step_back_to_new_or_to_the_same_status(request_and_contact):
    help_request, fatima = request_and_contact
    with pytest.raises(InvalidTransition):
        change_status(db.session, help_request, fatima, HelpRequestStatus.NEW)
    change_status(db.session, help_request, fatima, HelpRequestStatus.IN_PROGRESS)
    with pytest.raises(InvalidTransition):
        change_status(db.session, help_request, fatima, HelpRequestStatus.IN_PROGRESS)
    with pytest.raises(InvalidTransition):
        change_status(db.session, help_request, fatima, HelpRequestStatus.NEW)
    assert len(help_request.notes) == 1


def test_a_note_needs_text_and_is_allowed_on_a_closed_request(request_and_contact):
    help_request, fatima = request_and_contact
    with pytest.raises(NoteMissing):
        add_note(db.session, help_request, fatima, " ")
    close(db.session, help_request, fatima, "Opgelost")
    note = add_note(db.session, help_request, fatima, "Nagebeld: gaat goed.")
    assert note.status is None
    assert help_request.status == HelpRequestStatus.CLOSED


def test_taking_from_the_queue_happens_once(demo):
    queued = make_help_request()
    jan, fatima = user_by_email(OTHER_CONTACT), user_by_email(CONTACT)
    take(db.session, queued, jan)
    assert queued.assigned_to == jan
    with pytest.raises(AlreadyAssigned):
        take(db.session, queued, fatima)
    db.session.commit()
    db.session.refresh(queued)
    assert queued.assigned_to == jan


def test_the_contact_persons_list_filters_open_and_closed(demo):
    fatima = user_by_email(CONTACT)
    mine_open = make_help_request(user_by_email(WORKER))
    mine_closed = make_help_request(user_by_email(EMPLOYER))
    close(db.session, mine_closed, fatima, "Klaar")
    queued = make_help_request()
    someone_elses = make_help_request(user_by_email(OTHER_WORKER))  # Jan's desk
    db.session.commit()
    assert someone_elses.assigned_to.email == OTHER_CONTACT

    def listed(which):
        return {r.reference for r in contact_person_requests(db.session, fatima, which)}

    assert listed(ListFilter.OPEN) == {mine_open.reference, queued.reference}
    assert listed(ListFilter.CLOSED) == {mine_closed.reference}
    assert listed(ListFilter.ALL) == {
        mine_open.reference,
        mine_closed.reference,
        queued.reference,
    }
    assert count_contact_person_requests(db.session, fatima, ListFilter.ALL) == 3
    assert len(contact_person_requests(db.session, fatima, ListFilter.ALL, limit=2)) == 2


# Who may do what ---------------------------------------------------------------------------


def test_who_may_work_on_a_request(demo):
    own = make_help_request(user_by_email(WORKER))
    queued = make_help_request()
    fatima, jan = user_by_email(CONTACT), user_by_email(OTHER_CONTACT)
    sanne, hr = user_by_email(WORKER), user_by_email(EMPLOYER)
    coach, admin = user_by_email(JOBCOACH), user_by_email(ADMIN)

    assert can_work_on_help_request(fatima, own)
    for user in (jan, sanne, hr, coach, admin):
        assert not can_work_on_help_request(user, own)
    # The queue: visible to every contact person, worked on only after taking it.
    assert can_view_help_request(jan, queued) and can_take_help_request(jan, queued)
    assert not can_work_on_help_request(jan, queued)
    # The requester sees the request and its status history, never the working notes.
    assert can_view_help_request(sanne, own)
    assert not can_read_help_request_notes(sanne, own)
    assert can_read_help_request_notes(fatima, own)
    assert not can_read_help_request_notes(jan, own)
    assert [can_request_help(u) for u in (sanne, hr, fatima, coach, admin)] == [
        True,
        True,
        False,
        False,
        False,
    ]


def test_a_contact_person_cannot_take_their_own_escalation(demo):
    fatima = user_by_email(CONTACT)
    own = create_help_request(db.session, _draft(fatima, channel=HelpRequestChannel.ASSISTANT))
    assert own.assigned_to is None  # staff have no contact person: the shared queue
    assert not can_take_help_request(fatima, own)
    assert can_take_help_request(user_by_email(OTHER_CONTACT), own)


# Messages ----------------------------------------------------------------------------------


def test_a_new_request_tells_the_contact_person_once(app, demo):
    with app.test_request_context():
        help_request = create_help_request(db.session, _draft(user_by_email(WORKER)))
        message = notify_new_help_request(db.session, help_request)
        db.session.commit()
    assert _messages() == [message]
    assert message.user.email == CONTACT
    assert help_request.reference in message.subject
    assert message.link == f"/hulpvraag/{help_request.reference}"
    assert "Tekst" not in message.body  # the question stays in the portal, not in the e-mail


def test_a_request_in_the_queue_tells_nobody(app, demo):
    with app.test_request_context():
        help_request = create_help_request(
            db.session, _draft(requester_name="Piet", requester_phone="0612345678")
        )
        assert notify_new_help_request(db.session, help_request) is None
    assert _messages() == []


def test_status_changes_tell_the_requester_and_notes_tell_nobody(app, request_and_contact):
    help_request, fatima = request_and_contact
    sanne = help_request.requester
    sanne.locale = "en"  # English: the msgids, whatever the state of the Dutch catalogue
    with app.test_request_context():
        started = change_status(db.session, help_request, fatima, HelpRequestStatus.IN_PROGRESS)
        notify_status_change(db.session, help_request, started)
        note = add_note(db.session, help_request, fatima, "Intern")
        assert notify_status_change(db.session, help_request, note) is None
        closed = close(db.session, help_request, fatima, "Afspraak gemaakt.")
        notify_status_change(db.session, help_request, closed)
        reopened = reopen(db.session, help_request, fatima, "Toch nog vragen")
        notify_status_change(db.session, help_request, reopened)
        db.session.commit()
    messages = _messages()
    assert [m.user for m in messages] == [sanne, sanne, sanne]
    reference = help_request.reference
    assert messages[0].subject == f"Help request {reference} is in progress"
    assert messages[1].subject == f"Help request {reference} has been closed"
    assert "Afspraak gemaakt." in messages[1].body
    assert messages[2].subject == f"Help request {reference} has been reopened"
    assert all(m.link == f"/hulpvraag/{reference}" for m in messages)
    assert all("Intern" not in m.body and "Toch nog vragen" not in m.body for m in messages)
    assert _messages(fatima) == []


def test_no_message_to_the_one_who_acted_or_to_an_inactive_or_anonymous_requester(
    app, request_and_contact
):
    help_request, fatima = request_and_contact
    with app.test_request_context():
        by_self = HelpRequestNote(by=help_request.requester, status=HelpRequestStatus.IN_PROGRESS)
        assert notify_status_change(db.session, help_request, by_self) is None
        help_request.requester.active = False
        change = change_status(db.session, help_request, fatima, HelpRequestStatus.IN_PROGRESS)
        assert notify_status_change(db.session, help_request, change) is None
        anonymous = make_help_request()
        take(db.session, anonymous, fatima)
        change = close(db.session, anonymous, fatima, "Gebeld")
        assert notify_status_change(db.session, anonymous, change) is None
    assert db.session.scalar(select(func.count(InboxMessage.id))) == 0


def test_the_requesters_language_is_used(app, request_and_contact):
    help_request, fatima = request_and_contact
    help_request.requester.locale = "en"
    with app.test_request_context():
        change = close(db.session, help_request, fatima, "Solved.")
        message = notify_status_change(db.session, help_request, change)
    assert message.subject == f"Help request {help_request.reference} has been closed"
