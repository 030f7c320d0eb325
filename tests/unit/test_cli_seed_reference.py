"""`flask seed-reference`: what production needs before the first user, and safe to repeat."""

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import (
    EndReason,
    Municipality,
    ProblemCategory,
    Questionnaire,
    QuestionnaireStatus,
    RoutingRule,
)
from portal.reference_data import END_REASONS, PROBLEM_CATEGORIES


def _count(model, *where):
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_seed_reference_is_complete_and_idempotent(app, app_ctx):
    runner = app.test_cli_runner()
    for _ in range(2):
        result = runner.invoke(args=["seed-reference"])
        assert result.exit_code == 0, result.output
    assert _count(EndReason) == len(END_REASONS)
    assert _count(RoutingRule) == 15  # Wajong -> UWV plus the 14 municipalities
    assert _count(ProblemCategory) == len(PROBLEM_CATEGORIES) == 11
    assert _count(ProblemCategory, ProblemCategory.outside_work.is_(True)) == 1
    assert _count(Municipality, Municipality.buurtteam_url.is_(None)) == 0
    assert _count(Questionnaire) == 1
    active = db.session.scalar(
        select(Questionnaire).where(Questionnaire.status == QuestionnaireStatus.ACTIVE)
    )
    assert active.version == 1 and len(active.questions) >= 20
