"""A safety net for crisis messages, independent of what the classifier learned.

Someone who writes about suicide, self-harm or violence must get the emergency numbers, even when
DIET is unsure or picks another topic. This component runs after the intent classifier and sets the
intent to `crisis` when a message matches one of a short list of high-precision patterns (Dutch and
English). It never lowers a crisis prediction and never changes anything else.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

CRISIS_INTENT = "crisis"

# Reflexive only: "zelf" alone would match "kan ik er zelf iets aan doen?".
_SELF = r"(?:mezelf|mijzelf|m'?zelf|zichzelf|hemzelf|haarzelf)"
_PERSON = r"(?:me|mij|hem|haar|ons)"

CRISIS_PATTERNS = tuple(
    re.compile(pattern)
    for pattern in (
        # Suicide, in words people use.
        r"zelfmoord",
        r"\bsuicid",
        r"\bwil\b(?:\s+\w+){0,3}\s+dood\b(?!\s*(?:werken|moe|ziek))",
        r"\bdood\s+willen\b",
        r"\bniet\s+meer\s+(?:willen\s+|wil\s+)?leven\b",
        r"\beind(?:e)?\s+aan\s+(?:mijn|m'?n|zijn|haar|het)\s+leven\b",
        r"\ber\s+(?:een\s+)?eind(?:e)?\s+aan\s+(?:te\s+)?maken\b",
        r"\bvan\s+het\s+leven\s+(?:te\s+)?beroven\b",
        r"\bleven\s+heeft\s+geen\s+(?:zin|nut)\b",
        r"\bniet\s+(?:meer\s+)?verder\s+(?:kan\s+|wil\s+)?leven\b",
        r"\ber\s+niet\s+meer\s+(?:te\s+)?(?:willen\s+)?zijn\b",
        r"\bbeter\s+af\s+zonder\s+(?:mij|me)\b",
        r"\bniemand\s+(?:zou|zal)\s+(?:me|mij)\s+missen\b",
        r"\buit\s+(?:dit|het)\s+leven\b",
        r"\bnooit\s+meer\s+wakker\s+(?:te\s+)?worden\b",
        r"\b(?:dak|brug|flat|balkon)\b.{0,30}\bspringen\b",
        r"\bvan\s+(?:een\s+)?(?:brug|flat|dak)\s+(?:af\s+)?springen\b",
        r"\bvoor\s+(?:de|een)\s+trein\s+(?:te\s+)?(?:springen|gaan\s+staan|lopen)\b",
        # Self-harm.
        r"\b(?:me|mij|zich)\s+(?:iets|wat)\s+aan\s*(?:te\s+)?doen?\b",
        rf"\b{_SELF}\b(?:\s+\w+){{0,3}}\s+(?:iets|wat)\s+aan\s*doe\b",
        rf"\bdoe\s+{_SELF}\s+(?:iets|wat)\s+aan\b",
        rf"\b{_SELF}\b(?:\s+\w+){{0,2}}\s+pijn\s+(?:te\s+)?(?:doen|gedaan)\b",
        rf"\b{_SELF}\b(?:\s+\w+){{0,3}}\s+(?:iets|wat)\s+(?:\w+\s+)?aan\s*(?:te\s+)?doen\b",
        rf"\b{_SELF}\b(?:\s+\w+){{0,2}}\s+(?:pijn\s+doen|snijden|gesneden|krassen|gekrast|verwonden)\b",
        rf"\b(?:snij|snijd|snijden|kras|krassen)\s+(?:\w+\s+)?(?:in\s+)?{_SELF}\b",
        # Violence and threats against a person.
        rf"\b(?:slaat|sloeg|schopt|schopte|trapt|trapte|wurgt|wurgde)\s+{_PERSON}\b",
        r"\b(?:me|mij)\s+(?:\w+\s+)?(?:slaat|sloeg|schopt|schopte|wurgt|wurgde)\b",
        r"\b(?:iemand|hij|ze|zij)\s+(?:\w+\s+)?(?:me|mij)\s+pijn\s+(?:te\s+)?doen\b",
        r"\bin\s+gevaar\b",
        r"\bthuis\b.{0,20}\bniet\s+veilig\b",
        r"\bagressie(?:f|ve|ver)?\b",
        r"\braakt\s+(?:me|mij)\s+aan\b",
        r"\bniet\s+veilig\s+thuis\b",
        r"\b(?:zit|zat|zitten)\s+aan\s+(?:me|mij)\b",
        r"\bongewenst\w*\s+(?:aangeraakt|aanraken|aanraking\w*|betast)\b",
        r"\b(?:geslagen|geschopt|getrapt|gewurgd|mishandeld|mishandelt|mishandeling|aangerand|"
        r"verkracht)\b",
        r"\bin\s+elkaar\s+(?:te\s+)?(?:slaan|geslagen|getrapt|trappen)\b",
        r"\bbedreig(?:d|t|de|den|en|ing|ingen)?\b(?!\s+met\s+ontslag)",
        r"\b(?:met|een)\s+(?:mes|wapen|pistool|vuurwapen)\b",
        r"\bhuiselijk\s+geweld\b",
        r"\bgeweld\s+(?:gebruikt|aangedaan|tegen\s+(?:mij|me|hem|haar))\b",
        # English.
        r"\bkill(?:ing)?\s+(?:myself|himself|herself|themselves)\b",
        r"\b(?:hurt|harm|cut|cutt)(?:ing|s)?\s+(?:myself|himself|herself|themselves)\b",
        r"\bend\s+(?:my|his|her)\s+life\b",
        r"\bwants?\s+to\s+die\b",
        r"\b(?:don'?t|do\s+not)\s+want\s+to\s+live\b",
        r"\b(?:will|wants?\s+to|going\s+to)\s+hurt\s+(?:me|him|her)\b",
        r"\bin\s+danger\b",
        r"\b(?:not|don'?t\s+feel)\s+safe\s+at\s+home\b",
        r"\b(?:hits|hit|beats|beat|kicked|kicks|attacked)\s+(?:me|him|her)\b",
        r"\bthreaten(?:ed|s|ing)?\b(?!\s+(?:to\s+fire|with\s+dismissal))",
        r"\bwith\s+a\s+(?:knife|gun|weapon)\b",
    )
)


def normalise(text: str) -> str:
    """Lower case without accents ("suïcide" -> "suicide"), so spelling variants match."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def is_crisis(text: str | None) -> bool:
    """Whether the message speaks of suicide, self-harm or violence (high precision, not recall)."""
    if not text:
        return False
    plain = normalise(text)
    return any(pattern.search(plain) for pattern in CRISIS_PATTERNS)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class CrisisGuard(GraphComponent):
    """Sets the intent to `crisis` when the text matches a crisis pattern."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> CrisisGuard:
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        """Overrule the classifier for crisis messages; leave every other message as it is."""
        for message in messages:
            if not is_crisis(message.get(TEXT)):
                continue
            intent = message.get(INTENT) or {}
            if intent.get("name") == CRISIS_INTENT:
                continue
            message.set(INTENT, {"name": CRISIS_INTENT, "confidence": 1.0}, add_to_output=True)
            ranking = [
                entry
                for entry in message.get(INTENT_RANKING_KEY) or []
                if entry.get("name") != CRISIS_INTENT
            ]
            message.set(
                INTENT_RANKING_KEY,
                [{"name": CRISIS_INTENT, "confidence": 1.0}, *ranking],
                add_to_output=True,
            )
        return messages
