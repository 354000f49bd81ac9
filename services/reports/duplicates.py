"""Possible duplicates across villages: same program, similar text, one kecamatan.

Titles are normalised as the matcher reads them (slang to formal words, no stopwords) and
their words sorted, so word order does not matter; two titles are similar when rapidfuzz's
ratio of those strings reaches DUPLICATE_SIMILARITY (0-100). The most frequent wording
opens a group and takes every title similar to it, then the next wording left does, so
every member of a group resembles the group's first title (no chains of A like B like C).
A group is reported when it spans at least two villages.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.process import cdist

from services.matching.normalize import normalize_text

if TYPE_CHECKING:
    from collections.abc import Sequence


@dataclass(frozen=True, slots=True)
class Candidate:
    """An open proposal with a program, as the duplicate search needs it."""

    tracking_code: str
    desa_code: str
    title: str


@dataclass(frozen=True, slots=True)
class DuplicateGroup:
    """Proposals of one kecamatan and program whose titles look alike, in several villages."""

    kecamatan_code: str
    program_code: str
    members: tuple[Candidate, ...]

    @property
    def villages(self) -> int:
        """Return how many villages the group spans."""
        return len({member.desa_code for member in self.members})


class TitleKeys:
    """Normalised, word-sorted titles, remembered across groups (titles repeat a lot)."""

    def __init__(self) -> None:
        self._keys: dict[str, str] = {}

    def key(self, title: str) -> str:
        """Return the comparable form of a title ("" when no content word is left)."""
        found = self._keys.get(title)
        if found is None:
            found = " ".join(sorted(normalize_text(title).split()))
            self._keys[title] = found
        return found


def find_duplicates(
    kecamatan_code: str,
    program_code: str,
    candidates: Sequence[Candidate],
    *,
    keys: TitleKeys,
    threshold: float,
) -> list[DuplicateGroup]:
    """Return the groups of similar titles among one kecamatan's proposals of one program."""
    if len({item.desa_code for item in candidates}) < 2:
        return []
    by_key: dict[str, list[int]] = defaultdict(list)
    for index, item in enumerate(candidates):
        text = keys.key(item.title)
        if text:
            by_key[text].append(index)
    texts = sorted(by_key, key=lambda text: (-len(by_key[text]), text))
    free = np.ones(len(texts), dtype=bool)
    members: list[list[Candidate]] = []
    for leader, text in enumerate(texts):
        if not free[leader]:
            continue
        free[leader] = False
        scores = cdist([text], texts, scorer=fuzz.ratio, score_cutoff=threshold, dtype=np.uint8)
        taken = np.flatnonzero((scores[0] > 0) & free)
        free[taken] = False
        members.append(
            [
                candidates[index]
                for position in (leader, *taken)
                for index in by_key[texts[position]]
            ]
        )
    found = []
    for group in members:
        if len({item.desa_code for item in group}) >= 2:
            ordered = sorted(group, key=lambda item: (item.desa_code, item.tracking_code))
            found.append(DuplicateGroup(kecamatan_code, program_code, tuple(ordered)))
    return found
