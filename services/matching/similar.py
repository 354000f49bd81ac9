"""Proposals in the same desa that describe the same need as a new one, to avoid duplicates.

Two titles describe the same need when they share at least two words that say what is needed
(place words such as "desa" or "dusun" and numbers do not count) and most of their words
agree, and when both have a program, the programs are the same (or, for titles that agree
closely, of the same urusan). A bare "jalan", or "jalan rusak berlubang" against "rabat
beton jalan setapak ke sawah", is not the same need.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from services.matching.normalize import is_number, normalize_text

if TYPE_CHECKING:
    from collections.abc import Sequence

# The least share of agreeing words (Dice coefficient, 0-100) for the same need.
DEFAULT_THRESHOLD = 55.0
# Titles whose programs are only of the same urusan must agree this much.
CLOSE_PROGRAM_THRESHOLD = 70.0
# Titles without a program to compare must agree this much.
NO_PROGRAM_THRESHOLD = 65.0
SAME_PROGRAM_BOOST = 1.15
MIN_SHARED_WORDS = 2
# Spelling slips within a word ("berlubang" / "berlobang") still agree.
WORD_LIKENESS = 85.0
# Words that say where or for whom, not what is needed.
_PLACE_WORDS = frozenset(
    {"desa", "dusun", "kelurahan", "kampung", "rt", "rw", "warga", "kami", "kita", "mohon"}
    | {"tolong", "untuk", "yang", "dan", "di", "ke", "dari", "menuju", "lingkungan"}
)


@dataclass(frozen=True, slots=True)
class ExistingProposal:
    """A proposal already in the desa."""

    id: int
    tracking_code: str
    title: str
    program_code: str | None = None


@dataclass(frozen=True, slots=True)
class SimilarProposal:
    """An existing proposal that describes the same need, with how closely (0-100)."""

    id: int
    tracking_code: str
    title: str
    program_code: str | None
    score: float


def need_words(title: str) -> frozenset[str]:
    """Return the words of `title` that say what is needed (normalised, no places or numbers)."""
    return frozenset(
        word
        for word in normalize_text(title).split()
        if word not in _PLACE_WORDS and not is_number(word) and len(word) > 2
    )


def _shared(new: frozenset[str], other: frozenset[str]) -> int:
    """Count the words of `new` that appear in `other`, allowing small spelling slips."""
    return sum(
        1
        for word in new
        if word in other or any(fuzz.ratio(word, seen) >= WORD_LIKENESS for seen in other)
    )


def _urusan(code: str) -> str:
    return ".".join(code.split(".")[:2])


def _threshold(program_code: str | None, other_code: str | None, threshold: float) -> float | None:
    """Return how much two titles must agree given their programs; None when they cannot."""
    if not program_code or not other_code:
        return max(threshold, NO_PROGRAM_THRESHOLD)
    if program_code == other_code:
        return threshold
    if _urusan(program_code) == _urusan(other_code):
        return max(threshold, CLOSE_PROGRAM_THRESHOLD)
    return None


def find_similar(
    title: str,
    existing: Sequence[ExistingProposal],
    *,
    program_code: str | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    limit: int = 5,
) -> list[SimilarProposal]:
    """Return the existing proposals that describe the same need as `title`, best first.

    The score is the share of agreeing need words (0-100), raised by SAME_PROGRAM_BOOST
    (capped at 100) when both proposals have the same program.
    """
    new = need_words(title)
    if len(new) < MIN_SHARED_WORDS:
        return []
    found = []
    for item in existing:
        other = need_words(item.title)
        needed = _threshold(program_code, item.program_code, threshold)
        shared = _shared(new, other) if other else 0
        if needed is None or shared < MIN_SHARED_WORDS:
            continue
        score = 200.0 * shared / (len(new) + len(other))
        if score < needed:
            continue
        if program_code and item.program_code == program_code:
            score = min(100.0, score * SAME_PROGRAM_BOOST)
        found.append(
            SimilarProposal(item.id, item.tracking_code, item.title, item.program_code, score)
        )
    found.sort(key=lambda match: -match.score)
    return found[:limit]
