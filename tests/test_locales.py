"""Every message the code says has a natural Indonesian translation with the same slots."""

import re
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

from core.i18n import LOCALES_DIR, load_translations, pick_locale

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {**DEFAULT_KEYWORDS, "_": None, "N_": None, "ngettext": (1, 2)}
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")
TAG = re.compile(r"</?[a-z]+>")


def extracted_msgids() -> set[str]:
    found = set()
    for package in ("bot", "core", "handlers", "services", "models"):
        for _filename, _line, message, _comments, _context in extract_from_dir(
            ROOT / package, keywords=KEYWORDS, method_map=[("**.py", "python")]
        ):
            found.add(message if isinstance(message, str) else message[0])
    return found


def indonesian_catalog():
    with (LOCALES_DIR / "id" / "LC_MESSAGES" / "messages.po").open("rb") as po_file:
        return read_po(po_file, locale="id")


def test_every_msgid_has_an_indonesian_translation():
    catalog = indonesian_catalog()
    missing = sorted(
        msgid for msgid in extracted_msgids() if msgid not in catalog or not catalog[msgid].string
    )
    assert missing == []


@pytest.mark.parametrize("message", list(indonesian_catalog())[1:], ids=lambda m: m.id[:40])
def test_translation_keeps_placeholders_and_tags(message):
    translated = message.string if isinstance(message.string, str) else message.string[0]
    source = message.id if isinstance(message.id, str) else message.id[0]
    assert Counter(PLACEHOLDER.findall(source)) == Counter(PLACEHOLDER.findall(translated))
    assert Counter(TAG.findall(source)) == Counter(TAG.findall(translated))


def test_unknown_language_falls_back_to_indonesian():
    assert pick_locale("fr") == "id"
    assert pick_locale(None) == "id"
    assert pick_locale("en-GB") == "en"


def test_english_catalogue_shows_english_source_text():
    assert load_translations("en").gettext("What would you like to do?") == (
        "What would you like to do?"
    )
    assert load_translations("id").gettext("What would you like to do?") == (
        "Apa yang ingin Anda lakukan?"
    )
