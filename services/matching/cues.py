"""Cue rules: groups of words that must all be present, anywhere in a text.

A cell of cues reads "sungai|kali + seberang|rakit": one word or phrase of each `+` group must
occur (alternatives split by `|`); an `unless` cell lists words that rule the cue out. Texts
and cues are read by the same normaliser, stopwords included, so "tidak ada lampu" matches as
written. A cue word written as a root ("seberang") also matches its affixed forms
("menyeberang", "diseberangi"); an affixed cue word ("pengumuman") matches itself and the same
word with more suffixes ("pengumumannya") but not its root, which may mean something else
("umum"). A cue written with a leading "=" ("=lurah") matches only as written, not its affixed
forms ("kelurahan").
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from typing import TYPE_CHECKING

from services.data import DATA_DIR
from services.matching.normalize import stem_word

if TYPE_CHECKING:
    from collections.abc import Sequence

    from services.matching.normalize import Normalized, Normalizer

GROUP_SEPARATOR = "+"
ALTERNATIVE_SEPARATOR = "|"
EXACT_MARK = "="
# An affixed cue word this long or longer also matches text words that extend it with
# suffixes ("menggenang" → "menggenangi").
SUFFIXED_FROM = 5


@dataclass(frozen=True, slots=True)
class CueWord:
    """One word of a cue: compared with the text's stems when it is a root, else its words.

    `suffixed` lets a word cue match text words that begin with it.
    """

    value: str
    by_stem: bool
    suffixed: bool = False

    def matches(self, word: str, stem: str) -> bool:
        """Return whether a text word (with its stem) is this cue word."""
        if self.by_stem:
            return stem == self.value
        return word == self.value or (self.suffixed and word.startswith(self.value))


Phrase = tuple[CueWord, ...]


@dataclass(frozen=True, slots=True)
class CueText:
    """A text as cue rules read it: every word and every stem, stopwords included."""

    words: tuple[str, ...]
    stems: tuple[str, ...]
    present: frozenset[str]

    @classmethod
    def of(cls, *texts: Normalized | None) -> CueText:
        """Return the cue reading of one or more normalised texts, joined.

        `present` holds every word, every stem and every prefix a suffixed cue could be, for
        a quick first test.
        """
        words = tuple(word for text in texts if text is not None for word in text.all_words)
        stems = tuple(stem_word(word) for word in words)
        prefixes = {word[:end] for word in words for end in range(SUFFIXED_FROM, len(word))}
        return cls(words, stems, frozenset(words) | frozenset(stems) | prefixes)

    def has(self, phrase: Phrase) -> bool:
        """Return whether the phrase occurs as a contiguous run of the text."""
        if phrase[0].value not in self.present:
            return False
        for start in range(len(self.words) - len(phrase) + 1):
            if all(
                cue.matches(self.words[start + offset], self.stems[start + offset])
                for offset, cue in enumerate(phrase)
            ):
                return True
        return False


@dataclass(frozen=True, slots=True)
class CueRule:
    """One row of a cue table: its key, cue groups, excluding words and the other columns."""

    key: str
    groups: tuple[tuple[Phrase, ...], ...]
    unless: tuple[Phrase, ...]
    row: dict[str, str]
    firsts: tuple[frozenset[str], ...] = ()

    def found_in(self, text: CueText) -> bool:
        """Return whether a text has a phrase of every group and none of the exclusions."""
        if any(first.isdisjoint(text.present) for first in self.firsts):
            return False
        if any(text.has(phrase) for phrase in self.unless):
            return False
        return all(any(text.has(phrase) for phrase in group) for group in self.groups)


def phrases(cell: str, normalizer: Normalizer) -> tuple[Phrase, ...]:
    """Return the cue phrases of the `|`-separated alternatives of a cell."""
    found = []
    for alternative in cell.split(ALTERNATIVE_SEPARATOR):
        exact = alternative.strip().startswith(EXACT_MARK)
        words = normalizer.cue_words(alternative.strip().removeprefix(EXACT_MARK))
        if words:
            found.append(tuple(_cue_word(word, exact=exact) for word in words))
    return tuple(found)


def _cue_word(word: str, *, exact: bool) -> CueWord:
    stem = stem_word(word)
    if stem == word and not exact:
        return CueWord(stem, by_stem=True)
    return CueWord(word, by_stem=False, suffixed=not exact and len(word) >= SUFFIXED_FROM)


def read_cue_rules(name: str, normalizer: Normalizer) -> tuple[CueRule, ...]:
    """Read a cue table from services/data/ (columns key, cues, unless and any others)."""
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rules = []
    for row in rows:
        groups = tuple(
            phrases(group, normalizer)
            for group in row["cues"].split(GROUP_SEPARATOR)
            if group.strip()
        )
        rules.append(
            CueRule(
                key=row["key"],
                groups=groups,
                unless=phrases(row["unless"], normalizer) if row.get("unless") else (),
                row=row,
                firsts=tuple(frozenset(phrase[0].value for phrase in group) for group in groups),
            )
        )
    return tuple(rules)


def contains(words: Sequence[str], phrase: Sequence[str]) -> bool:
    """Return whether the words contain the phrase as a contiguous run."""
    size = len(phrase)
    return any(
        tuple(words[start : start + size]) == tuple(phrase)
        for start in range(len(words) - size + 1)
    )
