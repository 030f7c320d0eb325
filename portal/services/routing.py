"""Which executing organisation serves a worker, from their regime and municipality (DESIGN §3)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from portal.models import RoutingRule

UWV = "UWV"

# Midden-Utrecht: the organisation that executes the Participatiewet for each municipality.
MIDDEN_UTRECHT_MUNICIPALITIES: dict[str, str] = {
    "Montfoort": "FermWerk",
    "Oudewater": "FermWerk",
    "Woerden": "FermWerk",
    "Stichtse Vecht": "Gemeente Stichtse Vecht",
    "Utrecht": "Gemeente Utrecht",
    "De Bilt": "RSD Kromme Rijn Heuvelrug",
    "Bunnik": "RSD Kromme Rijn Heuvelrug",
    "Wijk bij Duurstede": "RSD Kromme Rijn Heuvelrug",
    "Zeist": "RSD Kromme Rijn Heuvelrug",
    "Utrechtse Heuvelrug": "RSD Kromme Rijn Heuvelrug",
    "Houten": "Werk en Inkomen Lekstroom",
    "Lopik": "Werk en Inkomen Lekstroom",
    "IJsselstein": "Werk en Inkomen Lekstroom",
    "Nieuwegein": "Werk en Inkomen Lekstroom",
}


@dataclass(frozen=True)
class Rule:
    """A row of the routing table. `None` matches any regime or any municipality."""

    regime: str | None
    municipality: str | None
    organisation: str

    def matches(self, regime: str, municipality: str) -> bool:
        return self.regime in (None, regime) and self.municipality in (None, municipality)

    @property
    def specificity(self) -> int:
        # Both given beats regime only (e.g. Wajong -> UWV), which beats municipality only.
        return (2 if self.regime is not None else 0) + (1 if self.municipality is not None else 0)


MIDDEN_UTRECHT_RULES: tuple[Rule, ...] = (
    Rule("wajong", None, UWV),
    *(Rule(None, name, org) for name, org in MIDDEN_UTRECHT_MUNICIPALITIES.items()),
)


class NoRoute(LookupError):
    """No rule of the table covers this regime and municipality."""


def executing_organisation(
    regime: str, municipality: str, rules: Iterable[Rule] = MIDDEN_UTRECHT_RULES
) -> str:
    """Return the name of the organisation that serves a worker; the most specific rule wins."""
    candidates = [rule for rule in rules if rule.matches(regime, municipality)]
    if not candidates:
        raise NoRoute(f"no executing organisation for {regime!r} in {municipality!r}")
    return max(candidates, key=lambda rule: rule.specificity).organisation


def load_rules(session: Session) -> list[Rule]:
    """The routing table as the administrator keeps it in the database (`RoutingRule` rows)."""
    rows = session.scalars(
        select(RoutingRule).options(
            joinedload(RoutingRule.municipality), joinedload(RoutingRule.executing_organisation)
        )
    )
    return [
        Rule(
            row.regime.value if row.regime else None,
            row.municipality.name if row.municipality else None,
            row.executing_organisation.name,
        )
        for row in rows
    ]
