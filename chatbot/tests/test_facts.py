"""The figures of DESIGN §8 in the assistant's answers, in Dutch and in English.

An edit that drops or changes a week, an hour count or a percentage fails here, not in front of a
worker or an employer.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

DOMAIN_DIR = Path(__file__).resolve().parent.parent / "domain"

# Probleemanalyse, plan van aanpak, UWV report, first-year evaluation, WIA, pay ends, 70 percent.
POORTWACHTER_WEEKS = [rf"\b{n}\b" for n in (6, 8, 42, 52, 91, 93, 104, 70)]

# response -> patterns every language variant must contain (word-bounded numbers and phrases)
FACTS: dict[str, dict[str, list[str]]] = {
    "utter_faq/no_riskpolis": {
        "nl": [r"\b5 jaar\b", r"doelgroepregister"],
        "en": [r"\b5 years\b", r"doelgroepregister"],
    },
    "utter_faq/no_riskpolis_report": {
        "nl": [r"\b6 weken\b", r"\b2 dagen\b"],
        "en": [r"\b6 weeks\b", r"\b2 days\b"],
    },
    "utter_faq/no_riskpolis_limits": {
        "nl": [r"poortwachter"],
        "en": [r"poortwachter"],
    },
    "utter_faq/poortwachter": {
        "nl": [
            r"\b6\b",
            r"\b8\b",
            r"\b42\b",
            r"\b52\b",
            r"\b91\b",
            r"\b93\b",
            r"\b104\b",
            r"\b70\b",
        ],
        "en": [
            r"\b6\b",
            r"\b8\b",
            r"\b42\b",
            r"\b52\b",
            r"\b91\b",
            r"\b93\b",
            r"\b104\b",
            r"\b70\b",
        ],
    },
    "utter_faq/jobcoach_hours": {
        "nl": [r"\b52\b", r"\b12\b"],
        "en": [r"\b52\b", r"\b12\b"],
    },
    "utter_faq/jobcoach_duration": {"nl": [r"\b2 jaar\b"], "en": [r"\b2 years\b"]},
    "utter_faq/loonkostensubsidie": {"nl": [r"\b70 procent\b"], "en": [r"\b70 percent\b"]},
    "utter_faq/proefplaatsing": {"nl": [r"\b2 maanden\b"], "en": [r"\b2 months\b"]},
    "utter_faq/praktijkroute": {"nl": [r"\b6 maanden\b"], "en": [r"\b6 months\b"]},
    "utter_faq/contract_chain": {
        "nl": [r"\b3\b", r"\b6 maanden\b", r"\b1 maand\b"],
        "en": [r"\b3\b", r"\b6 months\b", r"\b1 month\b"],
    },
    "utter_crisis": {"nl": [r"\b112\b", r"0800-0113"], "en": [r"\b112\b", r"0800-0113"]},
    "utter_contract_not_renewed": {
        "nl": [r"\b6 maanden\b", r"\b1 maand\b"],
        "en": [r"\b6 months\b", r"\b1 month\b"],
    },
    "utter_subsidy_capped": {"nl": [r"\b70 procent\b"], "en": [r"\b70 percent\b"]},
}


def _responses() -> dict[str, list[dict[str, Any]]]:
    merged: dict[str, list[dict[str, Any]]] = {}
    for path in sorted(DOMAIN_DIR.glob("*.yml")):
        merged.update((yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("responses", {}))
    return merged


def _variant(variations: list[dict[str, Any]], language: str) -> str:
    """The Dutch default (no condition) or the variant conditioned on language = en."""
    for variation in variations:
        conditions = variation.get("condition") or []
        languages = [c.get("value") for c in conditions if c.get("name") == "language"]
        if (language == "nl" and not languages) or languages == [language]:
            return " ".join(variation["text"].split())
    raise AssertionError(f"no {language} variant")


RESPONSES = _responses()


@pytest.mark.parametrize(
    ("response", "language"),
    [(response, language) for response in FACTS for language in ("nl", "en")],
)
def test_the_facts_are_in_the_answer(response, language):
    assert response in RESPONSES, f"{response} is missing from the domain"
    text = _variant(RESPONSES[response], language)
    missing = [p for p in FACTS[response][language] if not re.search(p, text)]
    assert missing == [], f"{response} ({language}) lacks {missing}: {text}"


def test_every_answer_has_an_english_variant():
    lacking = [
        name
        for name, variations in RESPONSES.items()
        if not any(
            c.get("name") == "language" and c.get("value") == "en"
            for v in variations
            for c in (v.get("condition") or [])
        )
    ]
    assert lacking == []


def test_no_answer_uses_a_bare_percent_sign():
    """A "%" would be read as a format by message catalogues; the answers write it out."""
    assert [name for name, vs in RESPONSES.items() if any("%" in v["text"] for v in vs)] == []
