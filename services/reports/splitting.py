"""Cut a long message into Telegram messages at section, then paragraph, then line breaks."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

TELEGRAM_TEXT_LIMIT = 4096
SECTION_BREAK = "\n\n"


def telegram_length(text: str) -> int:
    """Return the length Telegram counts (UTF-16 code units), HTML tags included to be safe."""
    return len(text.encode("utf-16-le")) // 2


def _pieces(section: str, limit: int) -> list[tuple[str, str]]:
    """Return (separator before, text) pieces of a section that each fit `limit`.

    The section whole when it fits, else its paragraphs, and the lines of a paragraph too
    long on its own.
    """
    if telegram_length(section) <= limit:
        return [(SECTION_BREAK, section)]
    pieces = []
    for paragraph in section.split(SECTION_BREAK):
        if telegram_length(paragraph) <= limit:
            pieces.append((SECTION_BREAK, paragraph))
            continue
        for number, line in enumerate(paragraph.split("\n")):
            if telegram_length(line) > limit:
                msg = f"a summary line is longer than {limit} characters"
                raise ValueError(msg)
            pieces.append((SECTION_BREAK if number == 0 else "\n", line))
    return pieces


def split_message(sections: Sequence[str], limit: int = TELEGRAM_TEXT_LIMIT) -> list[str]:
    """Pack sections into as few messages as fit `limit`, never breaking inside a line.

    Each section's lines must keep their HTML tags closed on the same line, so any cut
    between lines leaves valid HTML.

    Raises:
        ValueError: a single line is longer than `limit` (the caller shortens lines).
    """
    messages: list[str] = []
    current = ""
    for section in sections:
        for separator, piece in _pieces(section, limit):
            joined = f"{current}{separator}{piece}" if current else piece
            if telegram_length(joined) <= limit:
                current = joined
            else:
                messages.append(current)
                current = piece
    if current:
        messages.append(current)
    return messages
