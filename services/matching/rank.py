"""Rank catalogue programs for a proposal text, with a calibrated confidence."""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import bm25s
import numpy as np
from rapidfuzz import fuzz, process

from core.i18n import _
from services.matching.authority import (
    Authority,
    AuthorityRule,
    load_rules,
    provincial_kegiatan,
)
from services.matching.catalogue import (
    Catalogue,
    CorrectionEvidence,
    Evidence,
    EvidenceKind,
    correction_evidence,
)
from services.matching.normalize import Normalized, Normalizer, get_normalizer, is_number

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from models.enums import Bidang

logger = logging.getLogger(__name__)

STEM_PREFIX = "~"
# How much one piece of evidence of each kind counts, before rolling up to a program.
KIND_WEIGHTS = {
    EvidenceKind.PROGRAM: 1.0,
    EvidenceKind.KEGIATAN: 0.9,
    EvidenceKind.SUB_KEGIATAN: 0.8,
    EvidenceKind.DEFINITION: 0.45,
    EvidenceKind.KEYWORD: 1.0,
    EvidenceKind.CORRECTION: 1.3,
}
KINDS = tuple(EvidenceKind)
# A program's score is its best kind of evidence plus this share of its other kinds.
OTHER_KINDS_SHARE = 0.25
# When a regency RPJMD is imported, nomenclature-only programs count this much.
NOT_IMPORTED_FACTOR = 0.85
# An authority rule wins when its evidence reaches this share of the best program's.
AUTHORITY_SHARE = 0.9
AUTHORITY_KIND_WEIGHT = 1.1
# Misspelled words are mapped onto the catalogue's words at this rapidfuzz ratio or more.
SPELLING_CUTOFF = 85.0
SPELLING_MIN_LENGTH = 4
# Words written without some of their vowels ("jmbtn", "prbaikn") are restored to the
# catalogue word they abbreviate when they keep at least this many consonants.
VOWELS = frozenset("aeiou")
VOWEL_DROP_MIN_CONSONANTS = 3
# Logistic calibration of P(top program is right) from log1p of the best score and its lead
# over the runner-up; fitted on half of the development set plus non-proposal chatter.
CONFIDENCE_WEIGHTS = (1.82, 1.55)
CONFIDENCE_BIAS = -5.74
CONFIDENT_AT = 0.5


@dataclass(frozen=True, slots=True)
class Candidate:
    """A program proposed for a text; `supporting` is its best kegiatan/sub-kegiatan."""

    code: str
    name: str
    opd: str
    bidang: Bidang
    score: float
    supporting: str
    imported: bool = False


@dataclass(frozen=True, slots=True)
class MatchResult:
    """The ranked programs for a text and whether the best one can be trusted."""

    candidates: tuple[Candidate, ...]
    confident: bool
    confidence: float
    authority: Authority | None = None
    rule: AuthorityRule | None = None

    @property
    def best(self) -> Candidate | None:
        """Return the top candidate, if any."""
        return self.candidates[0] if self.candidates else None

    @property
    def reason(self) -> str:
        """Return, in the current locale, why the match is not confident ("" when it is)."""
        if self.rule is not None:
            return self.rule.reason
        if self.confident:
            return ""
        return _("No program fits this proposal confidently yet; Bappeda will map it by hand.")


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


class Matcher:
    """A BM25 index over the evidence of every program and authority rule."""

    def __init__(
        self,
        catalogue: Catalogue,
        corrections: Iterable[CorrectionEvidence] = (),
        normalizer: Normalizer | None = None,
    ) -> None:
        """Normalise and index all evidence once."""
        self.catalogue = catalogue
        self._normalizer = normalizer or get_normalizer()
        self._codes = list(catalogue.programs)
        self._rules = list(load_rules().values())
        self._owner_of_code = {code: i for i, code in enumerate(self._codes)}
        self._owner_of_rule = {
            rule.key: len(self._codes) + i for i, rule in enumerate(self._rules)
        }
        self._imported = any(program.imported for program in catalogue.programs.values())
        self._spelling: dict[str, str] = {}
        self._owners: list[int] = []
        self._kinds: list[int] = []
        self._weights: list[float] = []
        self._labels: list[str] = []
        self._corpus: list[list[str]] = []
        self._vocabulary: set[str] = set()
        self._add_evidence(catalogue.evidence)
        self._add_evidence(correction_evidence(catalogue, corrections))
        self._add_authority_evidence()
        self._decisive = self._decisive_phrases()
        self._build()

    @property
    def size(self) -> int:
        """Return the number of indexed evidence texts."""
        return len(self._owners)

    def _append(
        self, owner: int, kind: EvidenceKind, weight: float, text: str, label: str
    ) -> None:
        normalized = self._normalizer.normalize(text)
        terms = index_terms(normalized)
        if not terms:
            return
        self._owners.append(owner)
        self._kinds.append(KINDS.index(kind))
        self._weights.append(weight)
        self._labels.append(label)
        self._corpus.append(terms)
        if kind is not EvidenceKind.DEFINITION:
            self._vocabulary.update(
                word for word in normalized.words if len(word) >= SPELLING_MIN_LENGTH
            )

    def _add_evidence(self, evidence: Iterable[Evidence]) -> None:
        for item in evidence:
            owner = self._owner_of_code[item.program_code]
            self._append(owner, item.kind, KIND_WEIGHTS[item.kind], item.text, item.label)

    def _add_authority_evidence(self) -> None:
        for rule in self._rules:
            for term in rule.terms:
                owner = self._owner_of_rule[rule.key]
                self._append(owner, EvidenceKind.KEYWORD, AUTHORITY_KIND_WEIGHT, term, "")
        for key, name in provincial_kegiatan():
            owner = self._owner_of_rule[key]
            self._append(owner, EvidenceKind.KEGIATAN, AUTHORITY_KIND_WEIGHT * 0.8, name, "")

    def _decisive_phrases(self) -> dict[str, list[tuple[tuple[str, ...], int]]]:
        """Return the normalised decisive phrases of the rules, keyed by their first word."""
        phrases: dict[str, list[tuple[tuple[str, ...], int]]] = {}
        for index, rule in enumerate(self._rules):
            for term in rule.decisive:
                words = self._normalizer.normalize(term).words
                if words:
                    phrases.setdefault(words[0], []).append((words, index))
        return phrases

    def _decisive_rule(self, words: Sequence[str]) -> AuthorityRule | None:
        """Return the first rule one of whose decisive phrases occurs in `words`."""
        for start, word in enumerate(words):
            for phrase, index in self._decisive.get(word, ()):
                if tuple(words[start : start + len(phrase)]) == phrase:
                    return self._rules[index]
        return None

    def _build(self) -> None:
        self._retriever = bm25s.BM25()
        self._retriever.index(self._corpus, show_progress=False)
        self._owner_array = np.asarray(self._owners, dtype=np.int64)
        self._kind_array = np.asarray(self._kinds, dtype=np.int64)
        self._weight_array = np.asarray(self._weights, dtype=np.float32)
        self._slots = self._owner_array * len(KINDS) + self._kind_array
        self._label_kinds = np.isin(
            self._kind_array,
            [KINDS.index(k) for k in (EvidenceKind.KEGIATAN, EvidenceKind.SUB_KEGIATAN)],
        )
        self._spelling_choices: dict[str, list[str]] = {}
        self._skeletons: dict[str, list[str]] = {}
        frequency: dict[str, int] = {}
        for terms in self._corpus:
            for term in set(terms):
                frequency[term] = frequency.get(term, 0) + 1
        for word in sorted(self._vocabulary, key=lambda w: (-frequency.get(w, 0), w)):
            self._spelling_choices.setdefault(word[0], []).append(word)
            self._skeletons.setdefault(_skeleton(word), []).append(word)
        for choices in self._spelling_choices.values():
            choices.sort()
        self._known_terms = set(self._retriever.vocab_dict)
        logger.info("matcher indexed %d evidence texts", len(self._owners))

    def add_correction(self, correction: CorrectionEvidence) -> None:
        """Learn a program Bappeda chose by hand; later matches see it as evidence."""
        evidence = correction_evidence(self.catalogue, [correction])
        if not evidence:
            return
        self._add_evidence(evidence)
        self._build()

    def _correct_spelling(self, word: str) -> str:
        """Map a word the catalogue does not know onto its closest catalogue word."""
        if word in self._spelling:
            return self._spelling[word]
        normalizer = self._normalizer
        if (
            len(word) < SPELLING_MIN_LENGTH
            or is_number(word)
            or word in self._known_terms
            or normalizer.stem(word) in normalizer.roots
        ):
            return word
        restored = self._restore_vowels(word)
        if restored is not None:
            self._spelling[word] = restored
            return restored
        found = process.extractOne(
            word,
            self._spelling_choices.get(word[0], ()),
            scorer=fuzz.ratio,
            score_cutoff=SPELLING_CUTOFF,
        )
        self._spelling[word] = found[0] if found else word
        return self._spelling[word]

    def _restore_vowels(self, word: str) -> str | None:
        """Return the most frequent catalogue word that `word` is with vowels dropped."""
        skeleton = _skeleton(word)
        if len(skeleton) < VOWEL_DROP_MIN_CONSONANTS:
            return None
        for candidate in self._skeletons.get(skeleton, ()):
            if candidate != word and _drops_only_vowels(word, candidate):
                return candidate
        return None

    def _query(self, text: str) -> Normalized:
        """Return the normalised words of a proposal text, with spelling mapped."""
        normalized = self._normalizer.normalize(text)
        words = tuple(self._correct_spelling(word) for word in normalized.words)
        stems = tuple(
            stem if new == old else self._normalizer.stem(new)
            for old, new, stem in zip(normalized.words, words, normalized.stems, strict=True)
        )
        return Normalized(words=words, stems=stems, places=normalized.places)

    def query_terms(self, text: str) -> list[str]:
        """Return the retrieval terms of a proposal text, with spelling mapped."""
        return index_terms(self._query(text))

    def _owner_scores(self, terms: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Return per-owner scores and the weighted score of every evidence text."""
        doc_scores = self._retriever.get_scores(list(terms)) * self._weight_array
        per_kind = np.zeros((len(self._codes) + len(self._rules)) * len(KINDS), np.float32)
        np.maximum.at(per_kind, self._slots, doc_scores)
        per_kind = per_kind.reshape(-1, len(KINDS))
        best = per_kind.max(axis=1)
        owner_scores = best + OTHER_KINDS_SHARE * (per_kind.sum(axis=1) - best)
        return owner_scores, doc_scores

    def _supporting(self, owner: int, doc_scores: np.ndarray) -> str:
        mask = (self._owner_array == owner) & self._label_kinds
        if not mask.any():
            return ""
        indices = np.flatnonzero(mask)
        best = indices[int(np.argmax(doc_scores[indices]))]
        return self._labels[best] if doc_scores[best] > 0 else ""

    def match(self, text: str, k: int = 5) -> MatchResult:
        """Return the top `k` programs for a proposal text."""
        query = self._query(text)
        terms = index_terms(query)
        if not terms:
            return MatchResult(candidates=(), confident=False, confidence=0.0)
        owner_scores, doc_scores = self._owner_scores(terms)
        program_scores = owner_scores[: len(self._codes)].copy()
        if self._imported:
            for i, code in enumerate(self._codes):
                if not self.catalogue.programs[code].imported:
                    program_scores[i] *= NOT_IMPORTED_FACTOR
        order = np.argsort(-program_scores, kind="stable")[: max(k, 2)]
        top = float(program_scores[order[0]])
        runner_up = float(program_scores[order[1]]) if len(order) > 1 else 0.0
        confidence = calibrate(top, runner_up)
        candidates = tuple(
            self._candidate(int(i), confidence * float(program_scores[i]) / top, doc_scores)
            for i in order[:k]
            if program_scores[i] > 0
        )
        decisive = self._decisive_rule(query.words)
        if decisive is not None:
            return MatchResult(candidates, False, confidence, decisive.authority, decisive)
        rule_scores = owner_scores[len(self._codes) :]
        rule_index = int(np.argmax(rule_scores))
        if rule_scores[rule_index] > 0 and rule_scores[rule_index] >= AUTHORITY_SHARE * top:
            rule = self._rules[rule_index]
            return MatchResult(candidates, False, confidence, rule.authority, rule)
        return MatchResult(candidates, confidence >= CONFIDENT_AT, confidence)

    def _candidate(self, owner: int, score: float, doc_scores: np.ndarray) -> Candidate:
        program = self.catalogue.programs[self._codes[owner]]
        return Candidate(
            code=program.code,
            name=program.name,
            opd=program.opd,
            bidang=program.bidang,
            score=round(score, 4),
            supporting=self._supporting(owner, doc_scores),
            imported=program.imported,
        )


def _skeleton(word: str) -> str:
    """Return the consonants of a word, in order."""
    return "".join(char for char in word if char not in VOWELS)


def _drops_only_vowels(short: str, full: str) -> bool:
    """Return whether `short` is `full` with some of its vowels left out."""
    chars = iter(full)
    for char in short:
        for other in chars:
            if other == char:
                break
            if other not in VOWELS:
                return False
        else:
            return False
    return all(char in VOWELS for char in chars)


def calibrate(best: float, runner_up: float) -> float:
    """Return the probability that the best program is right, from the two top scores."""
    if best <= 0:
        return 0.0
    lead = math.log1p(best) - math.log1p(runner_up)
    weight_best, weight_lead = CONFIDENCE_WEIGHTS
    logit = weight_best * math.log1p(best) + weight_lead * lead + CONFIDENCE_BIAS
    return 1.0 / (1.0 + math.exp(-logit))
