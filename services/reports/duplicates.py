"""Possible duplicates across villages: same program, similar text, one kecamatan.

Titles are normalised as the matcher reads them (slang to formal words, no stopwords) and
their words sorted, so word order does not matter; two titles are similar when rapidfuzz's
ratio of those strings reaches DUPLICATE_SIMILARITY (0-100). Similar proposals are joined
into groups, and a group is reported when it spans at least two villages.
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

#: Titles compared per block, so the similarity matrix stays small (rows x all titles).
BLOCK_ROWS = 512


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


class _Groups:
    """Union-find over indices."""

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, index: int) -> int:
        while self.parent[index] != index:
            self.parent[index] = self.parent[self.parent[index]]
            index = self.parent[index]
        return index

    def join(self, first: int, second: int) -> None:
        self.parent[self.find(first)] = self.find(second)


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
    texts = list(by_key)
    groups = _Groups(len(texts))
    for start in range(0, len(texts), BLOCK_ROWS):
        scores = cdist(
            texts[start : start + BLOCK_ROWS],
            texts,
            scorer=fuzz.ratio,
            score_cutoff=threshold,
            dtype=np.uint8,
        )
        for row, column in zip(*np.nonzero(scores), strict=True):
            if start + row < column:
                groups.join(start + int(row), int(column))
    members: dict[int, list[Candidate]] = defaultdict(list)
    for position, text in enumerate(texts):
        members[groups.find(position)].extend(candidates[index] for index in by_key[text])
    found = []
    for group in members.values():
        if len({item.desa_code for item in group}) >= 2:
            ordered = sorted(group, key=lambda item: (item.desa_code, item.tracking_code))
            found.append(DuplicateGroup(kecamatan_code, program_code, tuple(ordered)))
    return found
