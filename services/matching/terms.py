"""Retrieval terms of a text (words, stems, word pairs), and how much each counts in a query."""

from __future__ import annotations

import csv
from functools import cache
from typing import TYPE_CHECKING

from services.data import DATA_DIR
from services.matching.normalize import is_number

if TYPE_CHECKING:
    from collections.abc import Iterable

    from services.matching.normalize import Normalized

STEM_PREFIX = "~"
WEIGHTS_FILE = "query_weights.csv"
# A word marked as a place ("depan sd") says where the need is: it counts this much, once.
PLACE_WEIGHT = 0.3


def index_terms(normalized: Normalized) -> list[str]:
    """Return the retrieval terms of a text: words, stems and word pairs.

    A word marked as a place ("depan sd") counts once, without its stem or pairs.
    """
    terms: list[str] = []
    previous = ""
    places = normalized.places or (False,) * len(normalized.words)
    for word, stem, place in zip(normalized.words, normalized.stems, places, strict=True):
        if is_number(word):
            previous = ""
            continue
        terms.append(word)
        if place:
            previous = ""
            continue
        terms.append(STEM_PREFIX + stem)
        if previous:
            terms.append(f"{previous}_{word}")
        previous = word
    return terms


@cache
def word_weights() -> dict[str, float]:
    """Return the query weight of words that rarely name the need (services/data)."""
    with (DATA_DIR / WEIGHTS_FILE).open(encoding="utf-8", newline="") as handle:
        return {row["word"]: float(row["weight"]) for row in csv.DictReader(handle)}


def weighted_terms(parts: Iterable[tuple[Normalized, float]]) -> dict[str, float]:
    """Return each query term with its weight in a query made of weighted parts.

    Every part (the title, the problem) has its own weight. Within a part a word that rarely
    names the need (`word_weights`) counts less, a place word less still; word pairs keep the
    part's weight, so "perangkat desa" still speaks for desa government. A term said several
    times counts once, at its highest weight: a voice note that repeats itself says no more.
    """
    weights = word_weights()
    terms: dict[str, float] = {}

    def add(term: str, weight: float) -> None:
        terms[term] = max(terms.get(term, 0.0), weight)

    for normalized, part_weight in parts:
        previous = ""
        places = normalized.places or (False,) * len(normalized.words)
        for word, stem, place in zip(normalized.words, normalized.stems, places, strict=True):
            if is_number(word):
                previous = ""
                continue
            if place:
                add(word, part_weight * PLACE_WEIGHT)
                previous = ""
                continue
            weight = part_weight * weights.get(word, 1.0)
            add(word, weight)
            add(STEM_PREFIX + stem, weight)
            if previous:
                add(f"{previous}_{word}", part_weight)
            previous = word
    return terms
