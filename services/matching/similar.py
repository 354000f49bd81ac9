"""Proposals in the same desa that look like a new one, to avoid duplicates."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from services.matching.normalize import normalize_text

if TYPE_CHECKING:
    from collections.abc import Sequence

DEFAULT_THRESHOLD = 70.0
SAME_PROGRAM_BOOST = 1.15


@dataclass(frozen=True, slots=True)
class ExistingProposal:
    """A proposal already in the desa."""

    id: int
    tracking_code: str
    title: str
    program_code: str | None = None


@dataclass(frozen=True, slots=True)
class SimilarProposal:
    """An existing proposal that resembles the new title, with how much (0-100)."""

    id: int
    tracking_code: str
    title: str
    program_code: str | None
    score: float


def find_similar(
    title: str,
    existing: Sequence[ExistingProposal],
    *,
    program_code: str | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    limit: int = 5,
) -> list[SimilarProposal]:
    """Return the existing proposals whose normalised titles resemble `title`, best first.

    The token-set ratio of the normalised titles is raised by SAME_PROGRAM_BOOST (capped at
    100) when both proposals have the same program.
    """
    new = normalize_text(title)
    if not new:
        return []
    found = []
    for item in existing:
        other = normalize_text(item.title)
        if not other:
            continue
        score = fuzz.token_set_ratio(new, other)
        if program_code and item.program_code == program_code:
            score = min(100.0, score * SAME_PROGRAM_BOOST)
        if score >= threshold:
            found.append(
                SimilarProposal(item.id, item.tracking_code, item.title, item.program_code, score)
            )
    found.sort(key=lambda match: -match.score)
    return found[:limit]
