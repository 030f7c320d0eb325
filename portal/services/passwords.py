"""The password policy (NIST SP 800-63B, as the Dutch BIO follows it): long enough, not one of
the passwords everybody tries, not the person's own name or address; no rules about capitals,
digits or symbols, and no maximum below 64 characters.

The common passwords are Django's list of 20,000 (`portal/data/NOTICE`), plus Dutch ones.
"""

from __future__ import annotations

import gzip
import re
from functools import cache
from pathlib import Path

MIN_LENGTH = 12
MAX_LENGTH = 128
COMMON_LIST = Path(__file__).resolve().parent.parent / "data" / "common-passwords.txt.gz"
# Words Dutch users reach for first; the list above is mostly English.
DUTCH_COMMON = frozenset(
    {
        "wachtwoord",
        "welkom",
        "welkom01",
        "geheim",
        "voetbal",
        "ajax",
        "feyenoord",
        "utrecht",
        "nederland",
        "holland",
        "zomer",
        "winter",
        "lente",
        "herfst",
        "banenafspraak",
        "werkgever",
        "werknemer",
        "portaal",
        "qwertyuiop",
        "azertyuiop",
    }
)
_EDGES = re.compile(r"^[\d\W_]+|[\d\W_]+$")  # digits and symbols at the start or the end


@cache
def common_passwords() -> frozenset[str]:
    with gzip.open(COMMON_LIST, "rt", encoding="utf-8") as lines:
        return frozenset(line.strip().lower() for line in lines if line.strip()) | DUTCH_COMMON


def _is_simple_pattern(text: str) -> bool:
    """One character over and over, or a run like 123456789012 or abcdefghijkl."""
    if len(set(text)) <= 2:
        return True
    steps = {ord(b) - ord(a) for a, b in zip(text, text[1:], strict=False)}
    # 9 -> 0 continues a run of digits (1234567890123)
    return steps <= {1, -9} or steps <= {-1, 9}


def password_problem(password: str, *, personal: tuple[str, ...] = ()) -> str | None:
    """Why this password is refused, as a code (`too_short`, `too_long`, `common`, `personal`),
    or None. `personal` holds the person's names and e-mail address."""
    if len(password) < MIN_LENGTH:
        return "too_short"
    if len(password) > MAX_LENGTH:
        return "too_long"
    lower = password.lower()
    core = _EDGES.sub("", lower)  # "Wachtwoord2026!" is still "wachtwoord"
    common = common_passwords()
    if lower in common or core in common or _is_simple_pattern(lower.replace(" ", "")):
        return "common"
    for part in personal:
        part = (part or "").lower().split("@")[0]  # of an address, the name part only
        for word in re.split(r"[.\s_-]+", part):
            if len(word) >= 4 and word in lower:
                return "personal"
    return None
