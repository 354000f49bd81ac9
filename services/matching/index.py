"""The BM25 index over every program's evidence, and the look-ups the ranker needs."""

from __future__ import annotations

import bm25s
import numpy as np

from services.matching.catalogue import EvidenceKind
from services.matching.terms import STEM_PREFIX

KINDS = tuple(EvidenceKind)
# An evidence row: owner, kind (index in KINDS), weight, kegiatan label, retrieval terms.
Row = tuple[int, int, float, str, list[str]]
# An owner's anchoring in a text: its longest contained name or keyword (in stems), and all the
# text's stems its contained names and keywords cover.
Anchoring = tuple[int, frozenset[str]]
# Evidence that names a program in so many words: a text that contains one whole anchors it.
ANCHOR_KINDS = frozenset({EvidenceKind.PROGRAM, EvidenceKind.KEYWORD, EvidenceKind.CORRECTION})
# A program's score is its best kind of evidence plus this share of its other kinds.
OTHER_KINDS_SHARE = 0.25
# Words written without some of their vowels ("jmbtn", "prbaikn") are restored to the
# catalogue word they abbreviate when they keep at least this many consonants.
VOWELS = frozenset("aeiou")
VOWEL_DROP_MIN_CONSONANTS = 3


class EvidenceIndex:
    """BM25 matrix and look-ups over all evidence; rebuilt whole and swapped in one step.

    Evidence texts are stored sorted by owner and kind, so that rolling scores up to owners
    is a segmented maximum over contiguous runs.
    """

    def __init__(self, evidence: list[Row], owners: int, vocabulary: set[str]) -> None:
        """Index the evidence rows of `owners` owners; `vocabulary` feeds spelling repair."""
        ordered = sorted(evidence, key=lambda item: (item[0], item[1]))
        corpus = [terms for *_rest, terms in ordered]
        retriever = bm25s.BM25()
        retriever.index(corpus, show_progress=False)
        self.vocab: dict[str, int] = dict(retriever.vocab_dict)
        self.data = retriever.scores["data"]
        self.indices = retriever.scores["indices"]
        self.indptr = retriever.scores["indptr"]
        self.docs = len(corpus)
        self.owners = owners
        self.owner_array = np.asarray([item[0] for item in ordered], dtype=np.int64)
        kind_array = np.asarray([item[1] for item in ordered], dtype=np.int64)
        self.weight_array = np.asarray([item[2] for item in ordered], dtype=np.float32)
        self.labels = [item[3] for item in ordered]
        slots = self.owner_array * len(KINDS) + kind_array
        self.slot_starts = np.flatnonzero(np.concatenate(([True], slots[1:] != slots[:-1])))
        self.slot_of_run = slots[self.slot_starts]
        self.owner_starts = np.flatnonzero(
            np.concatenate(([True], self.owner_array[1:] != self.owner_array[:-1]))
        )
        self.label_kinds = np.isin(
            kind_array,
            [KINDS.index(k) for k in (EvidenceKind.KEGIATAN, EvidenceKind.SUB_KEGIATAN)],
        )
        self.spelling: dict[str, str] = {}
        self.spelling_choices: dict[str, list[str]] = {}
        self.skeletons: dict[str, list[str]] = {}
        frequency: dict[str, int] = {}
        for terms in corpus:
            for term in set(terms):
                frequency[term] = frequency.get(term, 0) + 1
        for word in sorted(vocabulary, key=lambda w: (-frequency.get(w, 0), w)):
            self.spelling_choices.setdefault(word[0], []).append(word)
            self.skeletons.setdefault(skeleton(word), []).append(word)
        for choices in self.spelling_choices.values():
            choices.sort()
        self.anchors: dict[str, list[tuple[frozenset[str], int]]] = {}
        for owner, kind, _weight, _label, terms in ordered:
            stems = frozenset(term for term in terms if term.startswith(STEM_PREFIX))
            if KINDS[kind] in ANCHOR_KINDS and stems:
                rarest = min(stems, key=lambda stem: (frequency.get(stem, 0), stem))
                self.anchors.setdefault(rarest, []).append((stems, owner))

    def _columns(self, terms: dict[str, float]) -> list[tuple[np.ndarray, np.ndarray, float]]:
        """Return (documents, BM25 scores, weight) of each query term the index knows."""
        found = []
        for term, weight in terms.items():
            column = self.vocab.get(term)
            if column is not None:
                start, end = self.indptr[column], self.indptr[column + 1]
                found.append((self.indices[start:end], self.data[start:end], weight))
        return found

    def scores(self, terms: dict[str, float]) -> tuple[np.ndarray, np.ndarray]:
        """Return every evidence text's weighted BM25 score, and every owner's term cover.

        The cover sums, over the query's terms, the owner's best evidence text for each: a
        text that names several aspects of one need finds the program that has them all.
        """
        scores = np.zeros(self.docs, dtype=np.float32)
        cover = np.zeros(self.owners, dtype=np.float32)
        for docs, data, weight in self._columns(terms):
            values = data * self.weight_array[docs]
            scores[docs] += weight * values
            owners = self.owner_array[docs]
            runs = np.flatnonzero(np.concatenate(([True], owners[1:] != owners[:-1])))
            cover[owners[runs]] += weight * np.maximum.reduceat(values, runs)
        return scores, cover

    def per_kind(self, doc_scores: np.ndarray) -> np.ndarray:
        """Return each owner's best evidence score per kind, as an (owners, kinds) array."""
        best = np.zeros(self.owners * len(KINDS), dtype=np.float32)
        best[self.slot_of_run] = np.maximum.reduceat(doc_scores, self.slot_starts)
        return best.reshape(-1, len(KINDS))

    def ownership(self, terms: dict[str, float], owner: int) -> float:
        """Return the owner's weighted share of the evidence of the query's terms.

        Most of what the catalogue says about "sekolah" is said by the school program, though
        one keyword of transport ("angkutan sekolah") also has the word.
        """
        owned = total = 0.0
        for docs, data, weight in self._columns(terms):
            values = data * self.weight_array[docs]
            mass = float(values.sum())
            if mass > 0:
                owned += weight * float(values[self.owner_array[docs] == owner].sum()) / mass
                total += weight
        return owned / total if total else 0.0

    def anchored(self, stems: frozenset[str]) -> dict[int, Anchoring]:
        """Return, per owner, the longest of its names and keywords the text contains whole.

        "puskesmas" contains the keyword "puskesmas" of health services, and no keyword of
        any other program: the word alone names the need.
        """
        found: dict[int, Anchoring] = {}
        for stem in stems:
            for anchor, owner in self.anchors.get(stem, ()):
                if anchor <= stems:
                    longest, covered = found.get(owner, (0, frozenset()))
                    found[owner] = (max(longest, len(anchor)), covered | anchor)
        return found

    def restore_vowels(self, word: str) -> str | None:
        """Return the most frequent catalogue word that `word` is with vowels dropped."""
        consonants = skeleton(word)
        if len(consonants) < VOWEL_DROP_MIN_CONSONANTS:
            return None
        for candidate in self.skeletons.get(consonants, ()):
            if candidate != word and _drops_only_vowels(word, candidate):
                return candidate
        return None

    def supporting(self, owner: int, doc_scores: np.ndarray) -> str:
        """Return the owner's best-scoring kegiatan or sub-kegiatan name, "" if none scored."""
        start = self.owner_starts[np.searchsorted(self.owner_array[self.owner_starts], owner)]
        end = start + int(np.searchsorted(self.owner_array[start:], owner, side="right"))
        indices = start + np.flatnonzero(self.label_kinds[start:end])
        if not len(indices):
            return ""
        best = indices[int(np.argmax(doc_scores[indices]))]
        return self.labels[best] if doc_scores[best] > 0 else ""

    def owners_of(self, term: str) -> np.ndarray:
        """Return the owners whose evidence contains a term."""
        column = self.vocab.get(term)
        if column is None:
            return np.empty(0, dtype=np.int64)
        start, end = self.indptr[column], self.indptr[column + 1]
        return self.owner_array[self.indices[start:end]]


def roll_up(per_kind: np.ndarray) -> np.ndarray:
    """Return each owner's score: its best kind of evidence plus a share of the others."""
    best = per_kind.max(axis=1)
    return best + OTHER_KINDS_SHARE * (per_kind.sum(axis=1) - best)


def skeleton(word: str) -> str:
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
