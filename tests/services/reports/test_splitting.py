"""Cutting the summary into Telegram messages: sections first, never inside a line."""

from __future__ import annotations

import pytest

from services.reports.splitting import split_message, telegram_length


def section(name: str, lines: int, width: int = 99) -> str:
    return "\n".join(
        f"{name}{number:03d} " + "x" * (width - len(name) - 4) for number in range(lines)
    )


def test_telegram_length_counts_emoji_as_two_units():
    assert telegram_length("🏗 ab") == 5


def test_split_message_keeps_sections_whole_when_they_fit():
    first, second, third = section("a", 20), section("b", 20), section("c", 20)

    parts = split_message([first, second, third])

    assert parts == [f"{first}\n\n{second}", third]


def test_split_message_cuts_a_long_section_at_its_paragraphs():
    paragraphs = [section(f"p{number}", 15) for number in range(4)]

    parts = split_message(["\n\n".join(paragraphs)])

    assert parts == ["\n\n".join(paragraphs[:2]), "\n\n".join(paragraphs[2:])]


def test_split_message_cuts_a_long_paragraph_between_lines_only():
    long = section("line", 100)

    parts = split_message(["head", long, "tail"])

    assert all(telegram_length(part) <= 4096 for part in parts)
    assert "\n".join(parts).split("\n") == ["head", "", *long.split("\n"), "", "tail"]


def test_split_message_refuses_a_single_line_over_the_limit():
    with pytest.raises(ValueError, match="longer than"):
        split_message(["🏗" * 2100])
