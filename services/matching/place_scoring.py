"""Fuzzy scoring of a typed place name against region names: typos, "2" for "II", old names."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from services.matching.normalize import fold_text

if TYPE_CHECKING:
    from collections.abc import Sequence

ROMAN = {"i": "1", "ii": "2", "iii": "3", "iv": "4", "v": "5", "vi": "6", "vii": "7", "viii": "8"}
ARABIC = {digit: roman for roman, digit in ROMAN.items()}
# Words people put before a place name that are not part of it.
PREFIXES = frozenset({"desa", "ds", "kelurahan", "kel", "kecamatan", "kec", "kabupaten", "kab"})
# Words around a place name in a sentence ("saya tinggal di desa gandung").
FILLERS = frozenset(
    {"saya", "aku", "kami", "kita", "tinggal", "di", "dari", "asal", "alamat", "warga", "pak"}
    | {"bu", "ya", "tolong", "namanya", "desanya", "daerah", "wilayah", "rumah", "sini"}
)
# A name that contains every typed word ("muara aman" in "Pasar Muara Aman") scores this,
# less CONTAINED_EXTRA_WORD for each word the person left out.
CONTAINED_SCORE = 88.0
CONTAINED_EXTRA_WORD = 3.0
WORD_LIKENESS = 75.0
NUMBER_MISMATCH_PENALTY = 30.0  # "semelako 2" is not Semelako III
NUMBER_MISSING_PENALTY = 10.0  # "semelako" could be any Semelako
DEFAULT_CUTOFF = 75.0
# The best match is unambiguous when it is this good and leads the next one by this much.
UNAMBIGUOUS_SCORE = 85.0
UNAMBIGUOUS_LEAD = 8.0
_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True, slots=True)
class PlaceCandidate:
    """A region the user may mean (see models.regions.Region)."""

    code: str
    name: str
    level: str
    alt_names: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PlaceMatch:
    """A region that fits the typed name, with how well (0-100)."""

    code: str
    name: str
    level: str
    score: float
    matched_name: str
    via_alt_name: bool
    unambiguous: bool = False


def canonical_place(text: str) -> str:
    """Fold a place name: lower case, no prefixes, Roman numerals as digits."""
    words = [ROMAN.get(word, word) for word in _WORD.findall(fold_text(text))]
    while len(words) > 1 and words[0] in PREFIXES:
        words = words[1:]
    return " ".join(words)


def canonical_query(text: str) -> str:
    """Fold what someone typed: as `canonical_place`, without the words around the name."""
    words = canonical_place(text).split()
    kept = [word for word in words if word not in FILLERS and word not in PREFIXES]
    return " ".join(kept or words)


def _compact_forms(name: str) -> set[str]:
    """Return the name without spaces, its closing number as digits and as Roman numerals."""
    words = name.split()
    forms = {"".join(words)}
    if words and words[-1] in ARABIC:
        forms.add("".join([*words[:-1], ARABIC[words[-1]]]))
    return forms


def _contained(query: str, name: str) -> float:
    """Score a name that contains the typed words in order ("muara aman", "talang leak")."""
    typed, words = query.split(), name.split()
    if not typed or len(typed) >= len(words):
        return 0.0
    best = 0.0
    for start in range(len(words) - len(typed) + 1):
        likeness = [
            100.0 if a == b else (0.0 if a.isdigit() or b.isdigit() else fuzz.ratio(a, b))
            for a, b in zip(typed, words[start : start + len(typed)], strict=True)
        ]
        if min(likeness) >= WORD_LIKENESS:
            missing = len(words) - len(typed)
            score = CONTAINED_SCORE - CONTAINED_EXTRA_WORD * (missing - 1)
            best = max(best, score - (100.0 - sum(likeness) / len(likeness)) * 0.2)
    return best


def _numbers(text: str) -> set[str]:
    return {word for word in text.split() if word.isdigit()}


def _score(query: str, name: str) -> float:
    score = fuzz.ratio(query, name)
    query_numbers, name_numbers = _numbers(query), _numbers(name)
    if query_numbers and name_numbers and query_numbers != name_numbers:
        score -= NUMBER_MISMATCH_PENALTY
    elif query_numbers != name_numbers:
        score -= NUMBER_MISSING_PENALTY
    if " " not in query:
        # Words run together ("talangliak2", "semelakoii").
        score = max(score, *(fuzz.ratio(query, form) for form in _compact_forms(name)))
    return max(score, _contained(query, name))


def alt_names_of(value: str) -> tuple[str, ...]:
    """Split a Region.alt_names cell ("a; b") into names."""
    return tuple(name.strip() for name in re.split(r"[;,]", value) if name.strip())


def match_place(
    text: str,
    candidates: Sequence[PlaceCandidate],
    *,
    limit: int = 5,
    cutoff: float = DEFAULT_CUTOFF,
) -> list[PlaceMatch]:
    """Return the regions whose name or old name fits `text`, best first.

    Ties keep the order of `candidates`, so list higher levels first to prefer a
    kecamatan over a desa of the same name.
    """
    query = canonical_query(text)
    if not query:
        return []
    found: list[PlaceMatch] = []
    for candidate in candidates:
        names = [(candidate.name, False), *((alt, True) for alt in candidate.alt_names)]
        score, matched, via_alt = max(
            ((_score(query, canonical_place(name)), name, alt) for name, alt in names),
            key=lambda item: item[0],
        )
        if score >= cutoff:
            found.append(
                PlaceMatch(
                    candidate.code, candidate.name, candidate.level, score, matched, via_alt
                )
            )
    found.sort(key=lambda match: -match.score)
    found = found[:limit]
    if found:
        lead = found[0].score - (found[1].score if len(found) > 1 else 0.0)
        if found[0].score >= UNAMBIGUOUS_SCORE and lead >= UNAMBIGUOUS_LEAD:
            best = found[0]
            found[0] = PlaceMatch(
                best.code,
                best.name,
                best.level,
                best.score,
                best.matched_name,
                best.via_alt_name,
                unambiguous=True,
            )
    return found
