"""The Midden-Utrecht routing table of DESIGN §3, row by row."""

import pytest

from portal.services.routing import (
    MIDDEN_UTRECHT_MUNICIPALITIES,
    NoRoute,
    Rule,
    executing_organisation,
)

TABLE = [
    ("Montfoort", "FermWerk"),
    ("Oudewater", "FermWerk"),
    ("Woerden", "FermWerk"),
    ("Stichtse Vecht", "Gemeente Stichtse Vecht"),
    ("Utrecht", "Gemeente Utrecht"),
    ("De Bilt", "RSD Kromme Rijn Heuvelrug"),
    ("Bunnik", "RSD Kromme Rijn Heuvelrug"),
    ("Wijk bij Duurstede", "RSD Kromme Rijn Heuvelrug"),
    ("Zeist", "RSD Kromme Rijn Heuvelrug"),
    ("Utrechtse Heuvelrug", "RSD Kromme Rijn Heuvelrug"),
    ("Houten", "Werk en Inkomen Lekstroom"),
    ("Lopik", "Werk en Inkomen Lekstroom"),
    ("IJsselstein", "Werk en Inkomen Lekstroom"),
    ("Nieuwegein", "Werk en Inkomen Lekstroom"),
]


def test_table_covers_the_14_municipalities():
    assert len(MIDDEN_UTRECHT_MUNICIPALITIES) == 14
    assert {name for name, _ in TABLE} == set(MIDDEN_UTRECHT_MUNICIPALITIES)


@pytest.mark.parametrize(("municipality", "organisation"), TABLE)
@pytest.mark.parametrize("regime", ["participatiewet", "praktijkroute"])
def test_participatiewet_goes_to_the_municipal_organisation(regime, municipality, organisation):
    assert executing_organisation(regime, municipality) == organisation


@pytest.mark.parametrize(("municipality", "_organisation"), TABLE)
def test_wajong_goes_to_uwv_in_every_municipality(municipality, _organisation):
    assert executing_organisation("wajong", municipality) == "UWV"


def test_unknown_municipality_has_no_route():
    with pytest.raises(NoRoute):
        executing_organisation("participatiewet", "Amsterdam")


def test_wajong_is_routed_even_outside_the_region():
    assert executing_organisation("wajong", "Amsterdam") == "UWV"


def test_most_specific_rule_wins():
    rules = [
        Rule("wajong", None, "UWV"),
        Rule(None, "Utrecht", "Gemeente Utrecht"),
        Rule("wajong", "Utrecht", "Pilot Utrecht"),
    ]
    assert executing_organisation("wajong", "Utrecht", rules) == "Pilot Utrecht"
    assert executing_organisation("wajong", "Zeist", rules) == "UWV"
    assert executing_organisation("participatiewet", "Utrecht", rules) == "Gemeente Utrecht"
