"""Help-request references: format, sequence per year, and uniqueness under concurrency."""

from concurrent.futures import ThreadPoolExecutor

from portal.extensions import db
from portal.services.references import format_reference, next_reference


def test_format():
    assert format_reference("HV", 2026, 42) == "HV-2026-000042"


def test_sequence_per_year(app_ctx):
    assert next_reference(db.session, "HV", 2026) == "HV-2026-000001"
    assert next_reference(db.session, "HV", 2026) == "HV-2026-000002"
    assert next_reference(db.session, "HV", 2027) == "HV-2027-000001"
    db.session.commit()
    assert next_reference(db.session, "HV", 2026) == "HV-2026-000003"


def test_rolled_back_number_is_handed_out_again(app_ctx):
    next_reference(db.session, "HV", 2026)
    db.session.commit()
    assert next_reference(db.session, "HV", 2026) == "HV-2026-000002"
    db.session.rollback()
    assert next_reference(db.session, "HV", 2026) == "HV-2026-000002"


def test_unique_under_concurrency(app):
    """Eight threads, each in its own session and transaction, draw 25 numbers each."""

    def draw(_worker: int) -> list[str]:
        drawn = []
        with app.app_context():
            for _ in range(25):
                drawn.append(next_reference(db.session, "HV", 2026))
                db.session.commit()
            db.session.remove()
        return drawn

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = [ref for batch in pool.map(draw, range(8)) for ref in batch]
    assert len(results) == 200
    assert len(set(results)) == 200
    assert sorted(results) == [format_reference("HV", 2026, n) for n in range(1, 201)]
