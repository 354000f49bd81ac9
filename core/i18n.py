"""Gettext catalogues read from locales/*.po, and the locale of the update being handled."""

from __future__ import annotations

import io
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from babel.messages import mofile, pofile
from babel.support import NullTranslations, Translations

import locales

if TYPE_CHECKING:
    from collections.abc import Iterator

LOCALES_DIR = Path(locales.__file__).resolve().parent
DOMAIN = "messages"
DEFAULT_LOCALE = "id"
SUPPORTED_LOCALES = ("id", "en")

_current_locale: ContextVar[str] = ContextVar("musrenbang_locale", default=DEFAULT_LOCALE)


def pick_locale(language_code: str | None) -> str:
    """Map a Telegram language code ("en-US", "id") to a catalogue; Indonesian when unknown."""
    if not language_code:
        return DEFAULT_LOCALE
    base = language_code.split("-")[0].split("_")[0].lower()
    return base if base in SUPPORTED_LOCALES else DEFAULT_LOCALE


@cache
def load_translations(locale: str) -> NullTranslations:
    """Compile `locales/<locale>/LC_MESSAGES/messages.po` in memory, so no build step is needed."""
    po_path = LOCALES_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not po_path.exists():
        return NullTranslations()
    with po_path.open("rb") as po_file:
        catalog = pofile.read_po(po_file, locale=locale)
    buffer = io.BytesIO()
    mofile.write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(fp=buffer, domain=DOMAIN)


@contextmanager
def use_locale(locale: str) -> Iterator[None]:
    """Translate with `locale` inside the block."""
    token = _current_locale.set(locale)
    try:
        yield
    finally:
        _current_locale.reset(token)


def current_locale() -> str:
    """Return the locale of the update being handled."""
    return _current_locale.get()


def gettext(message: str) -> str:
    """Translate `message` into the current locale."""
    return load_translations(_current_locale.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate a message with a count into the current locale."""
    return load_translations(_current_locale.get()).ngettext(singular, plural, n)


def gettext_noop(message: str) -> str:
    """Mark `message` for extraction without translating it now (for tables built at import)."""
    return message


_ = gettext
N_ = gettext_noop
