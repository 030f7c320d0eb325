"""The crisis safety net: what it catches, what it leaves alone, and how it sets the intent."""

from __future__ import annotations

from pathlib import Path

import pytest
from components.crisis_guard import CrisisGuard, is_crisis
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.loading import load_data
from rasa.shared.nlu.training_data.message import Message

DATA = Path(__file__).resolve().parent.parent / "data"

CRISIS = [
    "ik denk aan zelfmoord",
    "Ik heb zelfmoordgedachten",
    "gedachten over suïcide",
    "ik wil gewoon dood",
    "ik wil niet meer leven",
    "ik wil er een eind aan maken",
    "ik maak een einde aan mijn leven",
    "ik wil mezelf iets aandoen",
    "hij zei dat hij zichzelf iets wil aandoen",
    "ik ga me iets aandoen",
    "ik heb mezelf gesneden",
    "ik snij in mezelf",
    "mijn baas slaat me",
    "een collega schopte me",
    "ik ben geslagen door een klant",
    "ze hebben me bedreigd",
    "hij stond met een mes in de kantine",
    "hij wil me in elkaar slaan",
    "thuis is huiselijk geweld",
    "ik wil slapen en nooit meer wakker worden",
    "ik sta op het dak en wil springen",
    "I want to kill myself",
    "i've been cutting myself",
    "she keeps hurting herself",
    "my boss hits me",
    "she was threatened by a customer",
]

NOT_CRISIS = [
    "dat slaat nergens op",
    "ik ben doodmoe van het werk",
    "ik wil me niet dood werken",
    "kan ik er zelf iets aan doen?",
    "wat kan ik zelf doen aan de werkdruk",
    "ik word bedreigd met ontslag",
    "my boss threatened to fire me",
    "wanneer loopt mijn contract af",
    "mijn leven is nu beter met dit werk",
    "hoeveel uur jobcoach krijg ik",
]


@pytest.mark.parametrize("text", CRISIS)
def test_crisis_messages_are_caught(text):
    assert is_crisis(text)


@pytest.mark.parametrize("text", NOT_CRISIS)
def test_ordinary_messages_are_left_alone(text):
    assert not is_crisis(text)


def test_no_training_example_of_another_intent_is_taken_for_a_crisis():
    """The patterns are high precision: not one of the ~1,500 other examples matches."""
    examples = [
        message
        for path in sorted(DATA.glob("*.yml"))
        if "nlu:" in path.read_text(encoding="utf-8")
        for message in load_data(str(path)).intent_examples
    ]
    wrong = [
        (message.get(INTENT), message.get(TEXT))
        for message in examples
        if message.get(INTENT) != "crisis" and is_crisis(message.get(TEXT))
    ]
    assert len(examples) > 1000
    assert wrong == []


def parsed(text: str, intent: str, confidence: float) -> Message:
    message = Message(data={TEXT: text})
    message.set(INTENT, {"name": intent, "confidence": confidence})
    message.set(
        INTENT_RANKING_KEY,
        [{"name": intent, "confidence": confidence}, {"name": "crisis", "confidence": 0.1}],
    )
    return message


def test_the_guard_overrules_the_classifier_for_a_crisis():
    [message] = CrisisGuard().process([parsed("mn baas slaat me", "faq", 0.4)])
    assert message.get(INTENT) == {"name": "crisis", "confidence": 1.0}
    ranking = message.get(INTENT_RANKING_KEY)
    assert [entry["name"] for entry in ranking] == ["crisis", "faq"]


def test_the_guard_leaves_other_messages_as_the_classifier_said():
    [message] = CrisisGuard().process([parsed("dat slaat nergens op", "complain", 0.7)])
    assert message.get(INTENT) == {"name": "complain", "confidence": 0.7}
