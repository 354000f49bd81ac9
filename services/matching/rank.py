"""Rank catalogue programs for what a person says, with honest options and a verdict.

The title, the problem (when it is known) and the needs their problems imply are one weighted
BM25 query over each program's evidence; the chosen bidang and the kind of village
(desa or kelurahan) weigh in after; a calibrated confidence says when the best program can be
trusted, and a verdict says when the message is not a kabupaten proposal at all.
"""

from __future__ import annotations

import copy
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from rapidfuzz import fuzz, process

from core.i18n import _
from services.matching.authority import Verdict, VerdictKind, load_rules, provincial_kegiatan
from services.matching.catalogue import (
    Catalogue,
    CorrectionEvidence,
    Evidence,
    EvidenceKind,
    correction_evidence,
)
from services.matching.confidence import Signals, calibrate, is_confident
from services.matching.cues import CueText
from services.matching.index import KINDS, Anchoring, EvidenceIndex, Row, roll_up
from services.matching.normalize import Normalized, Normalizer, get_normalizer, is_number
from services.matching.problems import ProblemTable
from services.matching.program_sets import program_families, single_level_programs
from services.matching.terms import STEM_PREFIX, index_terms, weighted_terms
from services.matching.verdicts import MessageKinds

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from models.enums import Bidang
    from services.matching.authority import Authority, AuthorityRule
    from services.matching.problems import Problem

logger = logging.getLogger(__name__)

# How much one piece of evidence of each kind counts, before rolling up to a program.
KIND_WEIGHTS = {
    EvidenceKind.PROGRAM: 1.0,
    EvidenceKind.KEGIATAN: 0.9,
    EvidenceKind.SUB_KEGIATAN: 0.8,
    EvidenceKind.DEFINITION: 0.45,
    EvidenceKind.KEYWORD: 1.0,
    EvidenceKind.CORRECTION: 1.3,
}
# A program some of whose names or keywords the text contains whole counts more, by
# ANCHOR_BOOST times the square of the share of the text's content words they make up.
ANCHOR_BOOST = 1.0
ANCHOR_POWER = 2.0
# Evidence that names what a program does (rather than its fine print).
DIRECT_KINDS = [
    KINDS.index(kind)
    for kind in (
        EvidenceKind.PROGRAM,
        EvidenceKind.KEGIATAN,
        EvidenceKind.KEYWORD,
        EvidenceKind.CORRECTION,
    )
]
# When a regency RPJMD is imported, nomenclature-only programs count this much.
NOT_IMPORTED_FACTOR = 0.85
# An authority rule wins when its evidence reaches this share of the best program's.
AUTHORITY_SHARE = 1.0
AUTHORITY_KIND_WEIGHT = 1.1
# Misspelled words are mapped onto the catalogue's words at this rapidfuzz ratio or more.
SPELLING_CUTOFF = 85.0
SPELLING_MIN_LENGTH = 4
# Weights of the parts of a query: the title names the need; the problem, a longer story,
# re-ranks.
TITLE_WEIGHT = 1.0
PROBLEM_WEIGHT = 0.6
# A need implied by a described problem counts as if the person had also named it with this
# weight, for the programs of that need only; words the text already says add nothing.
NEED_WEIGHT = 1.0
# A program's own score blends its best evidence texts (coherent matches) with this share of
# its term cover: each query word counted at the program's best text for it, so a text that
# names several aspects of one need ("combine harvester dan power thresher") finds the program
# that has them all.
COVER_SHARE = 0.5
# Programs of the bidang the person chose count this much more.
BIDANG_FACTOR = 1.15
# A short message (at most NO_NEED_WORDS words the catalogue knows) that asks for nothing,
# tells no known problem, names no program's keyword and matches no program better than this
# confidence is not read as a proposal ("besok hujan gak ya").
NO_NEED_BELOW = 0.35
NO_NEED_WORDS = 4
# An option is shown only when it scores at least this share of the best program.
OPTION_SHARE = 0.5
# A program of the best one's family (program_families.csv) is shown from this share on.
FAMILY_OPTION_SHARE = 0.3
SHOWN_OPTIONS = 3


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
    """The ranked programs for what a person said, and what the matcher makes of it.

    `candidates` are the top programs in order; `options` the few of them worth showing (no
    program a planner would not consider). `verdict` is set when the message is not a
    kabupaten proposal (another level of government, a complaint, a question, a personal
    request...). `other_bidang` is the bidang of the options when none is of the bidang the
    person chose. `problems` are the keys of the problems the text describes; `signals` what
    the confidence was computed from.
    """

    candidates: tuple[Candidate, ...]
    confident: bool
    confidence: float
    options: tuple[Candidate, ...] = ()
    verdict: Verdict | None = None
    other_bidang: Bidang | None = None
    problems: tuple[str, ...] = ()
    signals: Signals | None = None

    @property
    def best(self) -> Candidate | None:
        """Return the top candidate, if any."""
        return self.candidates[0] if self.candidates else None

    @property
    def authority(self) -> Authority | None:
        """Return who handles the message when it is not a kabupaten proposal."""
        return self.verdict.authority if self.verdict is not None else None

    @property
    def reason(self) -> str:
        """Return, in the current locale, why the match is not confident ("" when it is)."""
        if self.verdict is not None:
            return self.verdict.reason
        if self.confident:
            return ""
        return _("No program fits this proposal confidently yet; Bappeda will map it by hand.")


@dataclass(frozen=True, slots=True)
class _Query:
    """A proposal as the ranker reads it."""

    title: Normalized
    problem: Normalized | None
    terms: dict[str, float]
    problems: tuple[Problem, ...]
    cues: CueText

    @property
    def words(self) -> tuple[str, ...]:
        return self.title.words + (self.problem.words if self.problem else ())

    @property
    def stems(self) -> tuple[str, ...]:
        return self.title.stems + (self.problem.stems if self.problem else ())

    @property
    def content_stems(self) -> frozenset[str]:
        """Return the prefixed stems of the words that say what is needed (places left out)."""
        stems: set[str] = set()
        for part in (self.title, self.problem):
            if part is None:
                continue
            places = part.places or (False,) * len(part.words)
            stems.update(
                STEM_PREFIX + stem
                for stem, place in zip(part.stems, places, strict=True)
                if not place
            )
        return frozenset(stems)


@dataclass(frozen=True, slots=True)
class _Ranking:
    """The scores of one query: per program, per owner (programs and rules) and per text."""

    scores: np.ndarray
    owners: np.ndarray
    cover: np.ndarray
    per_kind: np.ndarray
    doc_scores: np.ndarray
    anchored: dict[int, Anchoring]


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
        self._bidang = [catalogue.programs[code].bidang for code in self._codes]
        rules = load_rules()
        self._rules = list(rules.values())
        self._owner_of_code = {code: i for i, code in enumerate(self._codes)}
        self._owner_of_rule = {
            rule.key: len(self._codes) + i for i, rule in enumerate(self._rules)
        }
        self._not_imported = np.asarray(
            [not catalogue.programs[code].imported for code in self._codes], dtype=bool
        )
        self._imported = not self._not_imported.all()
        levels = single_level_programs()
        self._level_only = {
            level: np.asarray([levels.get(code) == level for code in self._codes], dtype=bool)
            for level in set(levels.values())
        }
        self._problems = ProblemTable(self._normalizer)
        self._kinds = MessageKinds(self._normalizer, self._rules)
        self._chatter = next(rule for rule in self._rules if rule.kind is VerdictKind.CHITCHAT)
        self._evidence: list[Row] = []
        self._vocabulary: set[str] = set()
        self._add_evidence(catalogue.evidence)
        self._add_evidence(correction_evidence(catalogue, corrections))
        self._add_authority_evidence()
        self._decisive = self._decisive_phrases()
        self._index = self._build()

    @property
    def size(self) -> int:
        """Return the number of indexed evidence texts."""
        return len(self._evidence)

    def _append(
        self, owner: int, kind: EvidenceKind, weight: float, text: str, label: str
    ) -> None:
        normalized = self._normalizer.normalize(text)
        terms = index_terms(normalized)
        if not terms:
            return
        self._evidence.append((owner, KINDS.index(kind), weight, label, terms))
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
        """Return the normalised decisive phrases of the rules, keyed by their first word.

        Their small words count ("tidak pernah ngantor" is not "kantor").
        """
        phrases: dict[str, list[tuple[tuple[str, ...], int]]] = {}
        for index, rule in enumerate(self._rules):
            for term in rule.decisive:
                words = self._normalizer.normalize(term).all_words
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

    def _build(self) -> EvidenceIndex:
        owners = len(self._codes) + len(self._rules)
        index = EvidenceIndex(self._evidence, owners, self._vocabulary)
        logger.info("matcher indexed %d evidence texts", index.docs)
        return index

    def copy(self) -> Matcher:
        """Return a matcher that shares this one's index until one of them learns more."""
        clone = copy.copy(self)
        clone._evidence = list(self._evidence)
        clone._vocabulary = set(self._vocabulary)
        return clone

    def add_correction(self, correction: CorrectionEvidence) -> None:
        """Learn a program Bappeda chose by hand; later matches see it as evidence.

        The index is rebuilt aside and swapped in one assignment, so a match running in
        another thread sees either the old index or the new one.
        """
        evidence = correction_evidence(self.catalogue, [correction])
        if not evidence:
            return
        self._add_evidence(evidence)
        self._index = self._build()

    def _correct_spelling(self, word: str, index: EvidenceIndex) -> str:
        """Map a word the catalogue does not know onto its closest catalogue word."""
        if word in index.spelling:
            return index.spelling[word]
        normalizer = self._normalizer
        if (
            len(word) < SPELLING_MIN_LENGTH
            or is_number(word)
            or word in index.vocab
            or normalizer.stem(word) in normalizer.roots
        ):
            return word
        restored = index.restore_vowels(word)
        if restored is not None:
            index.spelling[word] = restored
            return restored
        found = process.extractOne(
            word,
            index.spelling_choices.get(word[0], ()),
            scorer=fuzz.ratio,
            score_cutoff=SPELLING_CUTOFF,
        )
        index.spelling[word] = found[0] if found else word
        return index.spelling[word]

    def _normalize(self, text: str, index: EvidenceIndex) -> Normalized:
        """Return the normalised words of a text, with misspellings mapped."""
        normalized = self._normalizer.normalize(text)
        words = tuple(self._correct_spelling(word, index) for word in normalized.words)
        stems = tuple(
            stem if new == old else self._normalizer.stem(new)
            for old, new, stem in zip(normalized.words, words, normalized.stems, strict=True)
        )
        spelled = dict(zip(normalized.words, words, strict=True))
        return Normalized(
            words=words,
            stems=stems,
            places=normalized.places,
            all_words=tuple(spelled.get(word, word) for word in normalized.all_words),
        )

    def query_terms(self, text: str) -> list[str]:
        """Return the retrieval terms of a proposal text, with spelling mapped."""
        return index_terms(self._normalize(text, self._index))

    def _read(self, title: str, problem: str | None, index: EvidenceIndex) -> _Query:
        """Read the title and problem into one weighted query with the problems they tell."""
        read_title = self._normalize(title, index)
        read_problem = self._normalize(problem, index) if problem else None
        parts = [(read_title, TITLE_WEIGHT)]
        problems = self._problems.find(CueText.of(read_title))
        if read_problem is not None:
            parts.append((read_problem, PROBLEM_WEIGHT))
            problems += [
                found
                for found in self._problems.find(CueText.of(read_problem))
                if found not in problems
            ]
        return _Query(
            title=read_title,
            problem=read_problem,
            terms=weighted_terms(parts),
            problems=tuple(problems),
            cues=CueText.of(read_title, read_problem),
        )

    def _need_scores(self, query: _Query, index: EvidenceIndex) -> np.ndarray:
        """Return what the needs implied by the described problems add to their programs."""
        scores = np.zeros(len(self._codes), dtype=np.float32)
        for problem in query.problems:
            need = weighted_terms([(self._normalizer.normalize(problem.need), NEED_WEIGHT)])
            extra = {
                term: weight - query.terms.get(term, 0.0)
                for term, weight in need.items()
                if weight > query.terms.get(term, 0.0)
            }
            if not extra:
                continue
            owners = roll_up(index.per_kind(index.scores(extra)[0]))
            for code in problem.programs:
                owner = self._owner_of_code.get(code)
                if owner is not None:
                    scores[owner] = max(scores[owner], owners[owner])
        return scores

    def _coverage(self, owner: int, query: _Query, index: EvidenceIndex) -> tuple[float, int]:
        """Return how much of the text the owner's evidence explains, and how many words it knows.

        The share counts the text's content words the catalogue knows, weighed by their rarity
        in the evidence, that the owner's evidence has; the count is of the content words the
        catalogue knows at all (fillers and names are not known).
        """
        total = covered = 0.0
        known = 0
        for word, stem in zip(query.words, query.stems, strict=True):
            if is_number(word):
                continue
            columns = [term for term in (word, STEM_PREFIX + stem) if term in index.vocab]
            if not columns:
                continue
            known += 1
            rarity = max(
                np.log(index.docs / max(1, len(index.owners_of(term)))) for term in columns
            )
            total += rarity
            if any(owner in index.owners_of(term) for term in columns):
                covered += rarity
        return (float(covered / total) if total else 0.0), known

    def match(
        self,
        text: str,
        k: int = 5,
        *,
        problem: str | None = None,
        bidang: Bidang | None = None,
        desa_level: str | None = None,
    ) -> MatchResult:
        """Return the top `k` programs for a proposal, with options, confidence and verdict.

        Args:
            text: what the person proposes (the title).
            k: how many ranked candidates to return.
            problem: the problem the person described, when known; it re-ranks.
            bidang: the bidang the person chose; its programs count a little more.
            desa_level: "desa" or "kelurahan"; programs of the other kind are left out.
        """
        index = self._index
        query = self._read(text, problem, index)
        if not query.terms:
            return MatchResult(candidates=(), confident=False, confidence=0.0)
        ranking = self._rank(query, index, bidang=bidang, desa_level=desa_level)
        order = np.argsort(-ranking.scores, kind="stable")[: max(k, SHOWN_OPTIONS)]
        top = float(ranking.scores[order[0]])
        if top <= 0:
            verdict = self._verdict(query, None, ranking.owners, 0.0)
            return MatchResult((), False, 0.0, verdict=verdict)
        signals = self._signals(query, index, ranking, order)
        confidence = calibrate(signals)
        candidates = tuple(
            self._candidate(int(i), confidence * float(ranking.scores[i]) / top, ranking, index)
            for i in order[:k]
            if ranking.scores[i] > 0
        )
        family = program_families().get(candidates[0].code, frozenset())
        options = tuple(
            candidate
            for i, candidate in zip(order, candidates, strict=False)
            if ranking.scores[i] >= OPTION_SHARE * top
            or (candidate.code in family and ranking.scores[i] >= FAMILY_OPTION_SHARE * top)
        )[:SHOWN_OPTIONS]
        verdict = self._verdict(query, candidates[0].code, ranking.owners, top)
        if verdict is None and self._says_no_need(query, ranking, signals, confidence):
            verdict = self._chatter.verdict()
        other_bidang = None
        if bidang is not None and options and all(o.bidang is not bidang for o in options):
            other_bidang = options[0].bidang
        return MatchResult(
            candidates=candidates,
            confident=verdict is None and is_confident(signals, confidence),
            confidence=confidence,
            options=options,
            verdict=verdict,
            other_bidang=other_bidang,
            problems=tuple(found.key for found in query.problems),
            signals=signals,
        )

    def _rank(
        self,
        query: _Query,
        index: EvidenceIndex,
        *,
        bidang: Bidang | None,
        desa_level: str | None,
    ) -> _Ranking:
        """Score every program for a query: evidence, cover, implied needs, context, anchors."""
        doc_scores, cover = index.scores(query.terms)
        per_kind = index.per_kind(doc_scores)
        owners = roll_up(per_kind)
        programs = len(self._codes)
        scores = (1 - COVER_SHARE) * owners[:programs] + COVER_SHARE * cover[:programs]
        scores += self._need_scores(query, index)
        if self._imported:
            scores[self._not_imported] *= NOT_IMPORTED_FACTOR
        if bidang is not None:
            scores[np.asarray([b is bidang for b in self._bidang])] *= BIDANG_FACTOR
        for level, only in self._level_only.items():
            if desa_level is not None and level != desa_level:
                scores[only] = 0.0
        anchored = {
            owner: anchoring
            for owner, anchoring in index.anchored(query.content_stems).items()
            if owner < programs
        }
        words = max(1, len(query.content_stems))
        for owner, (_longest, covered) in anchored.items():
            scores[owner] *= 1 + ANCHOR_BOOST * (len(covered) / words) ** ANCHOR_POWER
        return _Ranking(scores, owners, cover[:programs], per_kind, doc_scores, anchored)

    def _signals(
        self, query: _Query, index: EvidenceIndex, ranking: _Ranking, order: np.ndarray
    ) -> Signals:
        """Return what the ranking says about its best program, for the confidence."""
        scores = ranking.scores
        best = int(order[0])
        family = program_families().get(self._codes[best], frozenset())
        coverage, known = self._coverage(best, query, index)
        rival = next(
            (float(scores[i]) for i in order[1:] if self._codes[int(i)] not in family), 0.0
        )
        per_kind = ranking.per_kind
        return Signals(
            best=float(scores[best]),
            rival=rival,
            second=float(scores[order[1]]) if len(order) > 1 else 0.0,
            third=float(scores[order[2]]) if len(order) > 2 else 0.0,
            coverage=coverage,
            known=known,
            problem_agrees=any(self._codes[best] in found.programs for found in query.problems),
            evidence_agrees=int(np.argmax(ranking.owners[: len(self._codes)])) == best,
            cover_agrees=int(np.argmax(ranking.cover)) == best,
            direct=float(per_kind[best, DIRECT_KINDS].max() / max(per_kind[best].max(), 1e-9)),
            anchor=_anchor(ranking.anchored, best, len(self._codes)),
            named_share=len(ranking.anchored.get(best, (0, frozenset()))[1])
            / max(1, len(query.content_stems)),
            ownership=index.ownership(query.terms, best),
        )

    def _says_no_need(
        self, query: _Query, ranking: _Ranking, signals: Signals, confidence: float
    ) -> bool:
        """Return whether a short text asks for nothing and names no need ("besok hujan?")."""
        return (
            confidence < NO_NEED_BELOW
            and signals.known <= NO_NEED_WORDS
            and not ranking.anchored
            and not query.problems
            and not self._kinds.asks(query.cues)
        )

    def _verdict(
        self, query: _Query, best_code: str | None, owner_scores: np.ndarray, top: float
    ) -> Verdict | None:
        """Return why the message is not a kabupaten proposal, or None when it is one."""
        words = query.cues.words
        decisive = self._decisive_rule(query.cues.words)
        if decisive is not None:
            return self._kinds.with_head(decisive.verdict(), words)
        found = self._kinds.find(query.cues, best_code)
        if found is not None:
            return found
        rule_scores = owner_scores[len(self._codes) :]
        rule_index = int(np.argmax(rule_scores))
        if rule_scores[rule_index] > 0 and rule_scores[rule_index] >= AUTHORITY_SHARE * top:
            return self._kinds.with_head(self._rules[rule_index].verdict(), words)
        if top <= 0:
            return self._chatter.verdict()
        return None

    def _candidate(
        self, owner: int, score: float, ranking: _Ranking, index: EvidenceIndex
    ) -> Candidate:
        program = self.catalogue.programs[self._codes[owner]]
        return Candidate(
            code=program.code,
            name=program.name,
            opd=program.opd,
            bidang=program.bidang,
            score=round(score, 4),
            supporting=index.supporting(owner, ranking.doc_scores),
            imported=program.imported,
        )


def _anchor(anchored: dict[int, Anchoring], best: int, programs: int) -> float:
    """Return 1 when the best program alone has the longest anchor, 0.5 when it shares it."""
    length = anchored.get(best, (0, frozenset()))[0]
    if not length:
        return 0.0
    others = max(
        (n for owner, (n, _covered) in anchored.items() if owner != best and owner < programs),
        default=0,
    )
    return 1.0 if length > others else 0.5
