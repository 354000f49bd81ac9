"""Informal Indonesian text → formal words and their stems, ready for matching."""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from Sastrawi.Stemmer.CachedStemmer import CachedStemmer
from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

from services.data import DATA_DIR

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from pathlib import Path

_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[a-z]+")
_REDUPLICATED = re.compile(r"\b([a-z]{2,})2\b")
_DIGIT_LETTER = re.compile(r"(?<=\d)(?=[a-z])|(?<=[a-z])(?=\d)")
_REPEATED_LETTER = re.compile(r"(.)\1+")
_NUMBER = re.compile(r"\d")
_CONTEXT_WINDOW = 4
# A slang reading of an ordinary word with this many words or more is an acronym.
_ACRONYM_WORDS = 3
# Words that, right after a number, count households and say nothing about the need.
_COUNT_UNITS = frozenset({"kk"})
# Bengkulu/Palembang Malay endings and their standard forms ("ado" → "ada",
# "anaknyo" → "anaknya", "dibuatke" → "dibuatkan"), tried on words the lexicon lacks.
_MALAY_ENDINGS = (("nyo", "nya"), ("o", "a"), ("ke", "kan"))
# Colloquial nasal prefixes and the roots they stand for: "nyiram" → "siram",
# "ngangkut" → "angkut", "ngirim" → "kirim", "ngecor" → "cor", "mukul" → "pukul".
_NASAL_PREFIXES = (("ny", "s"), ("nge", ""), ("ng", ""), ("ng", "k"), ("m", "p"), ("n", "t"))
_VOWEL_START = re.compile(r"^[aeiou]")
_LONGEST_PLACE = 4
# Words after which a region name ("desa Air Kopras", "ke Lebong Tambang") is read as the place
# it is: its words ("air", "tambang") say nothing about the need.
_PLACE_PREFIXES = frozenset(
    {"desa", "ds", "kelurahan", "kel", "kecamatan", "kec", "di", "ke", "dari", "menuju"}
    | {"sampai", "antara", "dan", "kampung", "kota"}
)
# Words after which the next content word names where the need is, not what it is.
_LOCATIVES = frozenset(
    {"depan", "dekat", "samping", "sebelah", "belakang", "seberang", "sekitar", "menuju"}
)

# Words whose Sastrawi stem means something else: keep the word itself as its stem.
_NO_STEM = frozenset(
    {
        "perbaikan",  # → baik ("good")
        "penerangan",  # → terang ("bright")
        "pemadam",  # → padam ("off"), a fire engine is not a power cut
        "pengairan",  # → air, too broad
        "kesehatan",  # → sehat, keeps health apart from "sehat" in other names
        "pendidikan",  # → didik
        "perumahan",  # → rumah, keeps housing apart from any "rumah"
        "permukiman",  # → mukim
        "pemukiman",  # → mukim
        "penyuluh",  # → suluh
        "penyuluhan",  # → suluh
        "pertanian",  # → tani
        "pariwisata",  # → wisata is fine, but "pari" is a fish
    }
)


@dataclass(frozen=True, slots=True)
class Normalized:
    """Formal words of a text, stopwords removed, each with its stem.

    `all_words` keeps every formal word, stopwords included ("tidak ada lampu"), for the
    problem cues, whose meaning often lies in those small words.
    """

    words: tuple[str, ...]
    stems: tuple[str, ...]
    places: tuple[bool, ...] = ()
    all_words: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """Return the formal words joined by spaces."""
        return " ".join(self.words)


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Word lists the normaliser applies, in order of precedence."""

    phrases: Mapping[tuple[str, ...], tuple[str, ...]]
    contexts: Mapping[tuple[str, ...], frozenset[str]]
    slang: Mapping[str, tuple[str, ...]]
    stopwords: frozenset[str]
    protected: frozenset[str]
    roots: frozenset[str]
    place_names: frozenset[tuple[str, ...]] = frozenset()

    @property
    def longest_phrase(self) -> int:
        """Return the number of words in the longest domain phrase."""
        return max((len(key) for key in self.phrases), default=1)


def fold_text(text: str) -> str:
    """Fold Unicode and case, and split digits from letters ("150m" → "150 m")."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _REDUPLICATED.sub(r"\1", text)
    return _DIGIT_LETTER.sub(" ", text)


def split_tokens(text: str) -> list[str]:
    """Return the number and word tokens of folded text; punctuation is dropped."""
    return _TOKEN.findall(fold_text(text))


def is_number(token: str) -> bool:
    """Return whether a token is a number."""
    return bool(_NUMBER.match(token))


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _is_reduplication(formal: str) -> bool:
    """Return whether a reading only repeats one word ("nenek2" → "nenek-nenek").

    Folding already reads "nenek2" as "nenek", so such a reading would double the word.
    """
    tokens = split_tokens(formal)
    return len(tokens) == 2 and tokens[0] == tokens[1]


def _read_slang(
    excluded: Iterable[tuple[str, str]], roots: frozenset[str]
) -> dict[str, tuple[str, ...]]:
    """Pick the most frequent formal reading of each slang key, minus excluded pairs.

    Readings that only reduplicate a word are skipped, and so are acronym readings of
    ordinary words (the lexicon reads "luber", overflowing, as an election slogan).
    """
    skip = set(excluded)
    best: dict[str, tuple[int, str]] = {}
    for row in _read_csv(DATA_DIR / "slang_formal.csv"):
        key = " ".join(split_tokens(row["slang"]))
        if not key or " " in key or (row["slang"], row["formal"]) in skip:
            continue
        if _is_reduplication(row["formal"]) or (
            key in roots and len(split_tokens(row["formal"])) >= _ACRONYM_WORDS
        ):
            continue
        freq = int(row["freq"] or 1)
        if key not in best or freq > best[key][0]:
            best[key] = (freq, row["formal"])
    return {key: tuple(split_tokens(formal)) for key, (_freq, formal) in best.items()}


def _read_place_words() -> set[str]:
    return {
        token
        for row in _read_csv(DATA_DIR / "lebong_regions.csv")
        for token in split_tokens(f"{row['name']} {row['alt_names']}")
        if not is_number(token)
    }


def _read_place_names() -> frozenset[tuple[str, ...]]:
    """Return the token sequences of the regency's region names and their old names."""
    names = set()
    for row in _read_csv(DATA_DIR / "lebong_regions.csv"):
        for name in [row["name"], *row["alt_names"].split(";")]:
            tokens = tuple(split_tokens(name))
            if tokens:
                names.add(tokens)
    return frozenset(names)


@cache
def load_lexicon() -> Lexicon:
    """Read the slang, abbreviation, stopword and root-word lists once."""
    excluded_rows = _read_csv(DATA_DIR / "slang_excluded.csv")
    roots = frozenset(StemmerFactory().get_words())
    slang = _read_slang(((row["slang"], row["formal"]) for row in excluded_rows), roots)
    stopwords = frozenset(
        (DATA_DIR / "stopwords_id_matching.txt").read_text(encoding="utf-8").split()
    )
    phrases: dict[tuple[str, ...], tuple[str, ...]] = {}
    contexts: dict[tuple[str, ...], frozenset[str]] = {}
    domain_words: set[str] = set()
    for row in _read_csv(DATA_DIR / "abbreviations.csv"):
        key = tuple(split_tokens(row["term"]))
        expansion = tuple(split_tokens(row["expansion"]))
        phrases[key] = expansion
        if row["context"]:
            contexts[key] = frozenset(row["context"].split())
        domain_words.update(key, expansion)
    protected = (domain_words - stopwords) | {row["slang"] for row in excluded_rows}
    protected |= _read_place_words()
    return Lexicon(
        phrases=phrases,
        contexts=contexts,
        slang=slang,
        stopwords=stopwords,
        protected=frozenset(protected),
        roots=roots,
        place_names=_read_place_names(),
    )


@cache
def _stemmer() -> CachedStemmer:
    return StemmerFactory().create_stemmer()


@cache
def stem_word(word: str) -> str:
    """Return the Sastrawi stem of one word; numbers and misleading stems stay as they are."""
    if is_number(word) or word in _NO_STEM or len(word) <= 3:
        return word
    return _stemmer().stem(word) or word


class Normalizer:
    """Turn proposal text into formal words using a lexicon."""

    def __init__(self, lexicon: Lexicon) -> None:
        """Keep the lexicon; every lookup is a dictionary read."""
        self._lexicon = lexicon
        self._longest = lexicon.longest_phrase

    @property
    def roots(self) -> frozenset[str]:
        """Return the Indonesian root words the stemmer knows."""
        return self._lexicon.roots

    def stem(self, word: str) -> str:
        """Return the stem of one formal word."""
        return stem_word(word)

    def _is_known(self, word: str) -> bool:
        lexicon = self._lexicon
        return (
            word in lexicon.roots
            or word in lexicon.slang
            or word in lexicon.protected
            or word in lexicon.stopwords
        )

    def _is_derived(self, word: str) -> bool:
        """Return whether a word is known or is an affixed form of a known root."""
        return self._is_known(word) or (len(word) > 3 and stem_word(word) in self._lexicon.roots)

    def _informal_base(self, word: str) -> str:
        """Undo colloquial "-in" verbs, Malay "-o" endings, nasal prefixes, stretched letters.

        "benerin" → "bener", "dipukulin" → "dipukul", "ado" → "ada", "nyiram" → "siram",
        "rusakk" → "rusak".
        """
        if self._is_known(word):
            return word
        if len(word) > 4 and word.endswith("in"):
            base = word[:-2]
            if self._is_derived(base):
                return base
            for candidate in (base.removeprefix("di"), base.removeprefix("nge")):
                if candidate and self._is_known(candidate):
                    return candidate
        squeezed = _REPEATED_LETTER.sub(r"\1", word)
        if squeezed != word and self._is_known(squeezed):
            return squeezed
        if len(word) >= 3 and not self._is_derived(word):
            for ending, standard in _MALAY_ENDINGS:
                if word.endswith(ending):
                    candidate = word[: -len(ending)] + standard
                    if self._is_derived(candidate):
                        return candidate
            nasal = self._nasal_root(word)
            if nasal is not None:
                return nasal
        return word

    def _nasal_root(self, word: str) -> str | None:
        """Return the root a colloquial nasal-prefixed verb stands for, if it is a known root."""
        if len(word) < 5:
            return None
        for prefix, first in _NASAL_PREFIXES:
            if not word.startswith(prefix):
                continue
            rest = word[len(prefix) :]
            if prefix in {"ny", "ng", "m", "n"} and not _VOWEL_START.match(rest):
                continue
            candidate = first + rest
            if len(candidate) > 2 and candidate in self._lexicon.roots:
                return candidate
        return None

    def _in_context(self, key: tuple[str, ...], tokens: list[str], start: int) -> bool:
        """Return whether an ambiguous abbreviation has one of its context words nearby."""
        context = self._lexicon.contexts.get(key)
        if context is None:
            return True
        end = start + len(key)
        window = (
            tokens[max(0, start - _CONTEXT_WINDOW) : start] + tokens[end : end + _CONTEXT_WINDOW]
        )
        return not context.isdisjoint(window)

    def _formal(self, word: str) -> tuple[str, ...]:
        """Return the formal reading of a slang word, following one entry to a real word."""
        slang = self._lexicon.slang
        formal = slang.get(word, (word,))
        chained = formal[0]
        if (
            len(formal) == 1
            and chained != word
            and chained in slang
            and chained not in self._lexicon.roots
        ):
            return slang[chained]
        return formal

    def _expand(self, tokens: list[str], *, ignore_context: bool = False) -> list[tuple[str, ...]]:
        """Replace domain phrases first, then slang; return the words of each token group.

        Protected words stay as they are. An abbreviation with context words ("smp" is
        also chat for "sampai") expands only when one of them is near (or `ignore_context`);
        otherwise it is read as the chat word and dropped.
        """
        lexicon = self._lexicon
        groups: list[tuple[str, ...]] = []
        i = 0
        while i < len(tokens):
            if tokens[i] in _COUNT_UNITS and i > 0 and is_number(tokens[i - 1]):
                groups.append((tokens[i],))
                i += 1
                continue
            for size in range(min(self._longest, len(tokens) - i), 0, -1):
                key = tuple(tokens[i : i + size])
                if key in lexicon.phrases:
                    in_context = ignore_context or self._in_context(key, tokens, i)
                    groups.append(lexicon.phrases[key] if in_context else ())
                    i += size
                    break
            else:
                word = tokens[i]
                i += 1
                if word in lexicon.protected or is_number(word):
                    groups.append((word,))
                    continue
                word = self._informal_base(word)
                formal = lexicon.phrases.get((word,)) or self._formal(word)
                if len(formal) == 1 and formal[0] != word:
                    formal = lexicon.phrases.get(formal, formal)
                groups.append(formal)
        return groups

    def normalize(self, text: str) -> Normalized:
        """Return the formal content words of `text` with their stems.

        The first content group after a locative ("depan sd", "dekat masjid") is marked as
        a place: it says where the need is, not what it is; so are the words of a region name
        after a place word ("desa Air Kopras").
        """
        lexicon = self._lexicon
        words: list[str] = []
        places: list[bool] = []
        every: list[str] = []
        after_locative = False
        for group, named_place in self._groups(split_tokens(text)):
            every.extend(group)
            kept = [w for w in group if w in lexicon.protected or w not in lexicon.stopwords]
            words.extend(kept)
            places.extend([after_locative or named_place] * len(kept))
            if kept:
                after_locative = False
            if len(group) == 1 and group[0] in _LOCATIVES:
                after_locative = True
        return Normalized(
            words=tuple(words),
            stems=tuple(stem_word(word) for word in words),
            places=tuple(places),
            all_words=tuple(every),
        )

    def _groups(self, tokens: list[str]) -> list[tuple[tuple[str, ...], bool]]:
        """Return the word groups of the tokens, and whether each is part of a region name."""
        groups: list[tuple[tuple[str, ...], bool]] = []
        start = 0
        for first, end in self._place_spans(tokens):
            groups.extend((group, False) for group in self._expand(tokens[start:first]))
            groups.extend(((token,), True) for token in tokens[first:end])
            start = end
        groups.extend((group, False) for group in self._expand(tokens[start:]))
        return groups

    def _place_spans(self, tokens: list[str]) -> list[tuple[int, int]]:
        """Return the (start, end) token spans of region names that follow a place word."""
        names = self._lexicon.place_names
        spans = []
        i = 1
        while i < len(tokens):
            if tokens[i - 1] in _PLACE_PREFIXES:
                for size in range(min(_LONGEST_PLACE, len(tokens) - i), 0, -1):
                    if tuple(tokens[i : i + size]) in names:
                        spans.append((i, i + size))
                        i += size
                        break
            i += 1
        return spans

    def cue_words(self, text: str) -> tuple[str, ...]:
        """Return every formal word of a cue phrase, stopwords included.

        Ambiguous abbreviations are expanded whatever surrounds them: a cue "sma" means the
        school.
        """
        return tuple(
            word
            for group in self._expand(split_tokens(text), ignore_context=True)
            for word in group
        )


@cache
def get_normalizer() -> Normalizer:
    """Return the normaliser built from the shipped word lists."""
    return Normalizer(load_lexicon())


def normalize_text(text: str) -> str:
    """Return the formal content words of `text` as one string."""
    return get_normalizer().normalize(text).text
