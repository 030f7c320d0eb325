"""The inbox: one's own messages only; opening marks them read; the start message arrives."""

from sqlalchemy import select

from portal.extensions import db
from portal.models import InboxMessage
from tests.conftest import CONTACT, EMPLOYER, OTHER_WORKER, WORKER, user_by_email


def test_only_own_messages_and_marked_read(client, auth, demo):
    sanne, daan = user_by_email(WORKER), user_by_email(OTHER_WORKER)
    db.session.add_all(
        [
            InboxMessage(
                user_id=sanne.id, subject="Voor Sanne", body="Hallo Sanne", link="/dashboard"
            ),
            InboxMessage(user_id=daan.id, subject="Voor Daan", body="Hallo Daan"),
        ]
    )
    db.session.commit()
    auth.login(WORKER)
    html = client.get("/berichten").data.decode()
    assert "Voor Sanne" in html and "Voor Daan" not in html
    assert "nieuw" in html
    mine = db.session.scalar(select(InboxMessage).where(InboxMessage.user_id == sanne.id))
    db.session.refresh(mine)
    assert mine.read_at is not None
    theirs = db.session.scalar(select(InboxMessage).where(InboxMessage.user_id == daan.id))
    db.session.refresh(theirs)
    assert theirs.read_at is None


def test_inbox_needs_a_login(client, demo):
    response = client.get("/berichten")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/inloggen")


def test_starting_a_placement_sends_the_start_message(client, auth, demo):
    auth.login(CONTACT)
    employer_id = user_by_email("leiding@heuvelrug-demo.nl").employer_id
    response = client.post(
        "/plaatsingen/nieuw",
        data={
            "worker_id": user_by_email(WORKER).id,
            "employer_id": employer_id,
            "phase": "proefplaatsing",
            "start_date": "2027-02-01",
            "supervisor_id": 0,
            "jobcoach_id": 0,
            "route": "regular",
        },
    )
    assert response.status_code == 302
    auth.logout()
    auth.login(WORKER)
    html = client.get("/berichten").data.decode()
    assert "Fatima el Amrani" in html
    auth.logout()
    auth.login("leiding@heuvelrug-demo.nl")
    assert client.get("/berichten").status_code == 200
    assert (
        db.session.scalar(
            select(InboxMessage).where(
                InboxMessage.user_id == user_by_email("leiding@heuvelrug-demo.nl").id
            )
        )
        is not None
    )
    assert (
        db.session.scalar(
            select(InboxMessage).where(InboxMessage.user_id == user_by_email(EMPLOYER).id)
        )
        is None
    )
