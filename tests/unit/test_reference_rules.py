"""The rules of portal.services.reference: codes, KvK numbers, postcodes, web addresses, and the
routing table's coverage (which regime x municipality has no organisation, and which change
would open a new gap)."""

from __future__ import annotations

import pytest

from portal.services.reference import (
    new_gaps,
    normal_kvk,
    normal_postcode,
    route_table,
    uncovered,
    valid_code,
    valid_web_address,
)
from portal.services.routing import MIDDEN_UTRECHT_MUNICIPALITIES, MIDDEN_UTRECHT_RULES, Rule

REGIMES = ["wajong", "participatiewet", "praktijkroute"]
PLACES = sorted(MIDDEN_UTRECHT_MUNICIPALITIES)


@pytest.mark.parametrize("code", ["no_match", "moved_away", "a", "reason_2", "2026_pilot", "_"])
def test_valid_codes(code):
    assert valid_code(code, 40)


@pytest.mark.parametrize(
    "code", ["", None, "Moved", "moved away", "moved-away", "verhuisd!", "é", "x" * 41, "a\n"]
)
def test_invalid_codes(code):
    assert not valid_code(code, 40)


@pytest.mark.parametrize(
    ("text", "number"),
    [("30123456", "30123456"), ("3012 3456", "30123456"), (" 30.12.34.56 ", "30123456")],
)
def test_kvk_numbers_are_cleaned(text, number):
    assert normal_kvk(text) == number


@pytest.mark.parametrize("text", ["", None, "1234567", "123456789", "3012345a", "٣٠١٢٣٤٥٦"])
def test_a_kvk_number_has_exactly_8_digits(text):
    assert normal_kvk(text) is None


@pytest.mark.parametrize(
    ("text", "postcode"),
    [
        ("3512 PH", "3512 PH"),
        ("3512ph", "3512 PH"),
        (" 3512  pH ", "3512 PH"),
        ("9999 ZZ", "9999 ZZ"),
    ],
)
def test_postcodes_are_written_the_dutch_way(text, postcode):
    assert normal_postcode(text) == postcode


@pytest.mark.parametrize(
    "text", ["", None, "0123 AB", "123 AB", "12345 AB", "3512 P", "3512 SS", "3512 SA", "3512 sd"]
)
def test_what_is_not_a_dutch_postcode(text):
    assert normal_postcode(text) is None


@pytest.mark.parametrize(
    "url", ["https://www.woerden.nl", "http://buurtteam.example/zeist?x=1", "https://a.nl/pad"]
)
def test_web_addresses(url):
    assert valid_web_address(url)


@pytest.mark.parametrize(
    "url",
    [
        "",
        None,
        "javascript:alert(1)",
        "www.woerden.nl",
        "ftp://woerden.nl",
        "https://",
        "https://www.woerden.nl/ met spatie",
        "https://[::1",
    ],
)
def test_no_other_links(url):
    assert not valid_web_address(url)


# --- Routing coverage -------------------------------------------------------------------------


def test_the_midden_utrecht_table_covers_every_combination():
    assert uncovered(MIDDEN_UTRECHT_RULES, REGIMES, PLACES) == []
    table = route_table(MIDDEN_UTRECHT_RULES, REGIMES, PLACES)
    assert len(table) == 14 * 3
    assert table[("wajong", "Zeist")] == "UWV"
    assert table[("praktijkroute", "Woerden")] == "FermWerk"


def test_a_municipality_without_a_rule_is_a_gap_for_the_regimes_not_covered_elsewhere():
    rules = [rule for rule in MIDDEN_UTRECHT_RULES if rule.municipality != "Zeist"]
    assert uncovered(rules, REGIMES, PLACES) == [
        ("participatiewet", "Zeist"),
        ("praktijkroute", "Zeist"),
    ]


def test_a_rule_for_any_regime_anywhere_covers_everything():
    assert uncovered([Rule(None, None, "WSP")], REGIMES, PLACES) == []
    assert route_table([Rule(None, None, "WSP")], REGIMES, ["Nieuw"]) == {
        (regime, "Nieuw"): "WSP" for regime in REGIMES
    }


def test_the_most_specific_rule_decides_the_result():
    rules = [*MIDDEN_UTRECHT_RULES, Rule("wajong", "Utrecht", "Gemeente Utrecht")]
    table = route_table(rules, REGIMES, PLACES)
    assert table[("wajong", "Utrecht")] == "Gemeente Utrecht"
    assert table[("wajong", "Zeist")] == "UWV"


def test_deleting_the_wajong_rule_opens_a_gap_in_no_municipality_with_a_fallback():
    # Every municipality has an "any regime" rule, so Wajong would go there: no gap.
    without_wajong = [rule for rule in MIDDEN_UTRECHT_RULES if rule.regime != "wajong"]
    assert new_gaps(MIDDEN_UTRECHT_RULES, without_wajong, REGIMES, PLACES) == []
    assert route_table(without_wajong, REGIMES, PLACES)[("wajong", "Zeist")] == (
        "RSD Kromme Rijn Heuvelrug"
    )


def test_deleting_a_municipality_rule_opens_gaps():
    after = [rule for rule in MIDDEN_UTRECHT_RULES if rule.municipality != "Utrecht"]
    assert new_gaps(MIDDEN_UTRECHT_RULES, after, REGIMES, PLACES) == [
        ("participatiewet", "Utrecht"),
        ("praktijkroute", "Utrecht"),
    ]


def test_old_gaps_do_not_block_a_change():
    before = [rule for rule in MIDDEN_UTRECHT_RULES if rule.municipality != "Zeist"]
    after = [*before, Rule("participatiewet", "Zeist", "RSD Kromme Rijn Heuvelrug")]
    assert new_gaps(before, after, REGIMES, PLACES) == []
    assert uncovered(after, REGIMES, PLACES) == [("praktijkroute", "Zeist")]


def test_a_redundant_rule_can_go():
    extra = Rule("participatiewet", "Utrecht", "Gemeente Utrecht")
    before = [*MIDDEN_UTRECHT_RULES, extra]
    assert new_gaps(before, list(MIDDEN_UTRECHT_RULES), REGIMES, PLACES) == []


def test_without_municipalities_nothing_is_uncovered():
    assert uncovered([], REGIMES, []) == []
    assert uncovered([], REGIMES, ["Zeist"]) == [
        ("wajong", "Zeist"),
        ("participatiewet", "Zeist"),
        ("praktijkroute", "Zeist"),
    ]


# --- The same rules on the database -----------------------------------------------------------


def _session_rule(session, regime, municipality_name):
    from sqlalchemy import select

    from portal.models import Municipality, RoutingRule

    query = select(RoutingRule).where(
        RoutingRule.regime.is_(None) if regime is None else RoutingRule.regime == regime
    )
    if municipality_name is None:
        return session.scalar(query.where(RoutingRule.municipality_id.is_(None)))
    return session.scalar(query.join(Municipality).where(Municipality.name == municipality_name))


def test_the_database_refuses_a_duplicate_also_with_any(demo):
    from portal.extensions import db
    from portal.models import ExecutingOrganisation, Regime
    from portal.services.reference import ReferenceRuleError, add_rule

    uwv = db.session.scalar(
        db.select(ExecutingOrganisation).where(ExecutingOrganisation.name == "UWV")
    )
    with pytest.raises(ReferenceRuleError) as refused:
        add_rule(db.session, regime=Regime.WAJONG, municipality=None, organisation=uwv)
    assert refused.value.code == "duplicate_rule"
    added = add_rule(db.session, regime=None, municipality=None, organisation=uwv)
    assert added.id is not None
    with pytest.raises(ReferenceRuleError):
        add_rule(db.session, regime=None, municipality=None, organisation=uwv)


def test_the_database_keeps_a_rule_that_would_leave_a_gap(demo):
    from portal.extensions import db
    from portal.models import RoutingRule
    from portal.services.reference import ReferenceRuleError, delete_rule, gaps

    zeist = _session_rule(db.session, None, "Zeist")
    with pytest.raises(ReferenceRuleError) as refused:
        delete_rule(db.session, zeist)
    assert refused.value.params["combinations"] == [
        ("participatiewet", "Zeist"),
        ("praktijkroute", "Zeist"),
    ]
    assert db.session.get(RoutingRule, zeist.id) is not None
    assert gaps(db.session) == []


def test_a_new_municipality_comes_with_its_rule(demo):
    from portal.extensions import db
    from portal.models import ExecutingOrganisation, Municipality
    from portal.services.reference import add_municipality, gaps
    from portal.services.routing import executing_organisation, load_rules

    fermwerk = db.session.scalar(
        db.select(ExecutingOrganisation).where(ExecutingOrganisation.name == "FermWerk")
    )
    add_municipality(db.session, Municipality(name="Vijfheerenlanden"), fermwerk)
    assert gaps(db.session) == []
    rules = load_rules(db.session)
    assert executing_organisation("praktijkroute", "Vijfheerenlanden", rules) == "FermWerk"
    assert executing_organisation("wajong", "Vijfheerenlanden", rules) == "UWV"
