"""The worker's download holds their own data, all of it, and nothing of anyone else."""

from __future__ import annotations

import json

from sqlalchemy import select

from portal.extensions import db
from portal.models import EvaluationAnswer, EvaluationResponse, Placement, Side
from portal.services.personal_data import SECTIONS, worker_data
from tests.conftest import OTHER_WORKER, WORKER, user_by_email


def test_the_download_has_every_section_and_is_json(demo):
    sanne = user_by_email(WORKER)
    data = worker_data(db.session, sanne)
    assert list(data) == list(SECTIONS)
    assert data["account"]["email"] == WORKER
    text = json.dumps(data)
    assert "password_hash" not in text and "token_hash" not in text
    assert sanne.chat_id not in text


def test_the_download_holds_only_this_worker_s_records(demo):
    sanne, daan = user_by_email(WORKER), user_by_email(OTHER_WORKER)
    data = worker_data(db.session, sanne)
    own = set(db.session.scalars(select(Placement.id).where(Placement.worker_id == sanne.id)))
    assert {p["id"] for p in data["placements"]} == own
    assert {p["worker_id"] for p in data["placements"]} == {sanne.id}
    assert all(c["placement_id"] in own for c in data["contracts"])
    assert all(m["placement_id"] in own for m in data["evaluation_moments"])
    assert data["contact_persons"][0]["contact_person"]
    assert daan.email not in json.dumps(data)


def test_the_supervisor_s_answers_are_not_in_the_worker_s_download(demo):
    sanne = user_by_email(WORKER)
    data = worker_data(db.session, sanne)
    downloaded = {answer["id"] for answer in data["evaluation_answers"]}
    assert downloaded, "the demo has answers of Sanne"
    sides = set(
        db.session.scalars(
            select(EvaluationResponse.side)
            .join(EvaluationAnswer, EvaluationAnswer.response_id == EvaluationResponse.id)
            .where(EvaluationAnswer.id.in_(downloaded))
        )
    )
    assert sides == {Side.WORKER}
