"""Checks shared by the summary tests: Telegram HTML and workbook reading."""

from __future__ import annotations

import io
from html.parser import HTMLParser
from typing import Any

from openpyxl import load_workbook

TELEGRAM_TAGS = {"b", "i", "u", "s", "code", "pre", "a"}


class _TagBalance(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.unknown: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in TELEGRAM_TAGS:
            self.unknown.append(tag)
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open, f"</{tag}> closes nothing"
        assert self.open.pop() == tag, f"</{tag}> closes another tag"


def assert_telegram_html(text: str) -> None:
    """Fail unless every line of `text` uses only Telegram's tags and closes what it opens."""
    for line in text.split("\n"):
        parser = _TagBalance()
        parser.feed(line)
        parser.close()
        assert parser.open == [], f"unclosed {parser.open} in {line!r}"
        assert parser.unknown == [], f"tags Telegram refuses: {parser.unknown} in {line!r}"


def read_sheets(content: bytes) -> dict[str, list[tuple[Any, ...]]]:
    """Return every sheet's rows (header first) of an XLSX."""
    book = load_workbook(io.BytesIO(content))
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}
