"""The administrator changes the schedule defaults; new placements follow, old moments stay."""

from datetime import date

import pytest

from portal.extensions import db
from portal.services.settings import reminder_lead_months, schedule_defaults
from tests.conftest import ADMIN, CONTACT, EMPLOYER, JOBCOACH, WORKER


def _form(**changes):
    data = {
        "at_trial_end": "y",
        "months_after_start": "1, 3, 6",
        "months_before_temporary_end": "2",
        "yearly_after_permanent": "y",
        "lead_months": "3, 1",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_administrator_changes_the_defaults(client, auth, demo):
    auth.login(ADMIN)
    page = client.get("/beheer/instellingen").data.decode()
    assert 'value="1, 3, 6"' in page
    response = client.post(
        "/beheer/instellingen",
        data=_form(months_after_start="2, 4", at_trial_end=None, lead_months="2"),
    )
    assert response.status_code == 302
    defaults = schedule_defaults(db.session)
    assert defaults.months_after_start == (2, 4)
    assert defaults.at_trial_end is False
    assert reminder_lead_months(db.session) == (2,)


def test_new_placements_use_the_changed_defaults(client, auth, demo):
    from portal.models import Employer, Phase
    from portal.services.placement_workflow import start_placement
    from tests.conftest import OTHER_WORKER, user_by_email

    auth.login(ADMIN)
    client.post("/beheer/instellingen", data=_form(months_after_start="2"))
    placement = start_placement(
        db.session,
        worker=user_by_email(OTHER_WORKER),
        employer=db.session.get(Employer, user_by_email(EMPLOYER).employer_id),
        phase=Phase.PROEFPLAATSING,
        start=date(2027, 1, 4),
        by=None,
        today=date(2027, 1, 4),
        defaults=schedule_defaults(db.session),
    )
    assert {m.key for m in placement.evaluation_moments} == {"trial_end", "after_start:2"}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("months_after_start", "een, twee", "Gebruik getallen gescheiden door komma's."),
        ("months_after_start", "99", "Deze waarde kan niet"),
        ("lead_months", "", "Vul minstens één getal in."),
        ("months_before_temporary_end", "13", "Vul 0 tot en met 12 in."),
    ],
)
def test_bad_values_are_explained_and_kept(client, auth, demo, field, value, message):
    from html import unescape

    auth.login(ADMIN)
    html = unescape(client.post("/beheer/instellingen", data=_form(**{field: value})).data.decode())
    assert message in html
    if value:
        assert f'value="{value}"' in html
    assert schedule_defaults(db.session).months_after_start == (1, 3, 6)


@pytest.mark.parametrize("role", [WORKER, EMPLOYER, CONTACT, JOBCOACH])
def test_only_the_administrator(client, auth, demo, role):
    auth.login(role)
    assert client.get("/beheer/instellingen").status_code == 403
    assert client.post("/beheer/instellingen", data=_form()).status_code == 403
