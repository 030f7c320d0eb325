"""Rules for the reference data the administrator keeps (issue 10).

Plain checks (codes, KvK numbers, postcodes, web addresses) and the routing table's coverage:
every regime in every municipality must end at an executing organisation, so a change of the
table that would leave a combination without one is refused. Nothing here is deleted that history
refers to; a routing rule is only read when a worker is routed, so it may go.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from urllib.parse import urlsplit

from sqlalchemy import func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from portal.models import ExecutingOrganisation, Municipality, Regime, RoutingRule
from portal.services.routing import NoRoute, Rule, executing_organisation

CODE = re.compile(r"^[a-z0-9_]+$")
KVK = re.compile(r"^[0-9]{8}$")
POSTCODE = re.compile(r"^([1-9][0-9]{3}) ?([A-Z]{2})$")
# PostNL does not hand out these letter pairs (they read badly).
UNUSED_POSTCODE_LETTERS = frozenset({"SA", "SD", "SS"})

# (regime value, municipality name): one cell of the routing table.
Combination = tuple[str, str]


class ReferenceRuleError(ValueError):
    """A change of reference data that the rules refuse; `code` names the rule."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params


# --- Plain checks -----------------------------------------------------------------------------


def valid_code(code: str | None, max_length: int) -> bool:
    """A code is lowercase letters, digits and underscores, at most `max_length` long."""
    return bool(code) and len(code) <= max_length and CODE.fullmatch(code) is not None


def normal_kvk(text: str | None) -> str | None:
    """The KvK number as 8 digits (spaces and dots dropped), or None when it is not one."""
    digits = re.sub(r"[\s.]", "", text or "")
    return digits if KVK.fullmatch(digits) else None


def normal_postcode(text: str | None) -> str | None:
    """A Dutch postcode written as "1234 AB", or None when the text is not one."""
    found = POSTCODE.fullmatch(re.sub(r"\s+", " ", (text or "").strip()).upper())
    if found is None or found.group(2) in UNUSED_POSTCODE_LETTERS:
        return None
    return f"{found.group(1)} {found.group(2)}"


def valid_web_address(url: str | None) -> bool:
    """An http(s) address with a host: it becomes a link, so no other scheme (javascript:)."""
    if not url or any(ch.isspace() for ch in url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


# --- Routing coverage -------------------------------------------------------------------------


def route_table(
    rules: Sequence[Rule], regimes: Iterable[str], municipalities: Iterable[str]
) -> dict[Combination, str | None]:
    """The organisation each regime x municipality goes to by these rules (None: no route)."""
    table: dict[Combination, str | None] = {}
    for municipality in municipalities:
        for regime in regimes:
            try:
                table[(regime, municipality)] = executing_organisation(regime, municipality, rules)
            except NoRoute:
                table[(regime, municipality)] = None
    return table


def uncovered(
    rules: Sequence[Rule], regimes: Iterable[str], municipalities: Iterable[str]
) -> list[Combination]:
    """The combinations no rule covers, in table order."""
    return [key for key, org in route_table(rules, regimes, municipalities).items() if org is None]


def new_gaps(
    before: Sequence[Rule],
    after: Sequence[Rule],
    regimes: Sequence[str],
    municipalities: Sequence[str],
) -> list[Combination]:
    """The combinations that had an organisation before the change and have none after it.

    Gaps that were already there do not block a change (it may be the one that starts to fill
    them); only a change that opens a new one is refused.
    """
    old = set(uncovered(before, regimes, municipalities))
    return [gap for gap in uncovered(after, regimes, municipalities) if gap not in old]


# --- The routing table in the database --------------------------------------------------------


def all_regimes() -> list[str]:
    return [regime.value for regime in Regime]


def municipality_names(session: Session) -> list[str]:
    return list(session.scalars(select(Municipality.name).order_by(Municipality.name)))


def as_rule(row: RoutingRule) -> Rule:
    return Rule(
        row.regime.value if row.regime else None,
        row.municipality.name if row.municipality else None,
        row.executing_organisation.name,
    )


def routing_rows(session: Session) -> list[RoutingRule]:
    """The rules by municipality ("any municipality" first), then by regime ("any" first)."""
    rows = list(session.scalars(select(RoutingRule)))
    return sorted(
        rows,
        key=lambda row: (
            row.municipality.name if row.municipality else "",
            row.regime.value if row.regime else "",
        ),
    )


def gaps(session: Session) -> list[Combination]:
    """The combinations the table in the database leaves without an organisation now."""
    rules = [as_rule(row) for row in session.scalars(select(RoutingRule))]
    return uncovered(rules, all_regimes(), municipality_names(session))


def add_rule(
    session: Session,
    *,
    regime: Regime | None,
    municipality: Municipality | None,
    organisation: ExecutingOrganisation,
) -> RoutingRule:
    """A new rule; refused when a rule for the same regime and municipality exists (also when
    either is "any": the database's unique constraint does not see NULLs as equal)."""
    same = select(RoutingRule.id).where(
        RoutingRule.regime.is_(None) if regime is None else RoutingRule.regime == regime,
        RoutingRule.municipality_id.is_(None)
        if municipality is None
        else RoutingRule.municipality_id == municipality.id,
    )
    if session.scalar(same) is not None:
        raise ReferenceRuleError("duplicate_rule")
    rule = RoutingRule(
        regime=regime, municipality=municipality, executing_organisation=organisation
    )
    session.add(rule)
    session.flush()
    return rule


def delete_rule(session: Session, rule: RoutingRule) -> None:
    """Delete a rule, unless a regime in a municipality would then have no organisation."""
    rows = list(session.scalars(select(RoutingRule)))
    before = [as_rule(row) for row in rows]
    after = [as_rule(row) for row in rows if row.id != rule.id]
    opened = new_gaps(before, after, all_regimes(), municipality_names(session))
    if opened:
        raise ReferenceRuleError("route_gap", combinations=opened)
    session.delete(rule)
    session.flush()


def add_municipality(
    session: Session, municipality: Municipality, organisation: ExecutingOrganisation
) -> Municipality:
    """A new municipality with the rule that routes it (any regime) to `organisation`, so the
    table covers it from the start; more specific rules (Wajong to UWV) still win."""
    session.add(municipality)
    session.flush()
    add_rule(session, regime=None, municipality=municipality, organisation=organisation)
    return municipality


def value_taken(
    session: Session,
    column: InstrumentedAttribute,
    value: str,
    *,
    except_id: int | None = None,
) -> bool:
    """Whether another record has this value in a unique column (letter case ignored, so
    "Zeist" and "zeist" are not two municipalities)."""
    model = column.class_
    query = select(model.id).where(func.lower(column) == value.lower())
    if except_id is not None:
        query = query.where(model.id != except_id)
    return session.scalar(query.limit(1)) is not None
