"""Every user-facing string is in the catalogues: Dutch complete, English present."""

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    pot = tmp_path_factory.mktemp("babel") / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            str(ROOT / "babel.cfg"),
            "-k",
            "_l",
            "-o",
            str(pot),
            str(ROOT / "portal"),
        ],
        check=True,
        cwd=ROOT,
        capture_output=True,
    )
    with pot.open("rb") as handle:
        # Plural messages have a (singular, plural) id; the catalogue keys them by the singular.
        return {_singular(m.id) for m in read_po(handle) if m.id}


def _singular(msgid) -> str:
    return msgid if isinstance(msgid, str) else msgid[0]


def _catalogue(lang):
    with (ROOT / "translations" / lang / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle)


def test_strings_are_extracted(extracted):
    assert len(extracted) > 100


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_string_is_in_the_catalogue(extracted, lang):
    catalogue = _catalogue(lang)
    missing = sorted(msgid for msgid in extracted if msgid not in catalogue)
    assert missing == []


def test_dutch_is_complete_and_not_fuzzy(extracted):
    catalogue = _catalogue("nl")
    untranslated = sorted(
        _singular(m.id)
        for m in catalogue
        if m.id
        and _singular(m.id) in extracted
        and (m.fuzzy or not all(m.string if isinstance(m.string, tuple) else (m.string,)))
    )
    assert untranslated == []


def test_no_stale_entries_in_dutch(extracted):
    stale = sorted(
        _singular(m.id) for m in _catalogue("nl") if m.id and _singular(m.id) not in extracted
    )
    assert stale == []


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_translations_keep_the_placeholders(lang):
    """What `pybabel compile` refuses (e.g. "70 %" read as a format), caught before the setup."""
    problems = [
        (_singular(message.id), [str(error) for error in errors])
        for message, errors in _catalogue(lang).check()
    ]
    assert problems == []
