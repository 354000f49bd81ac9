"""Messages that are not kabupaten proposals: complaints, questions and personal requests.

services/data/message_kinds.csv describes them with cue rules (see cues.py). A personal-request
row may list `confirm` programs: it holds only when the best program is one of them, so that
"air masuk rumah saya" (a drain) stays a proposal while "perbaikan rumah saya" (the person's own
house) does not.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from services.data import DATA_DIR
from services.matching.authority import Verdict, VerdictKind
from services.matching.cues import CueRule, contains, phrases, read_cue_rules

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from services.matching.authority import AuthorityRule
    from services.matching.cues import CueText
    from services.matching.normalize import Normalizer

MESSAGE_KINDS_FILE = "message_kinds.csv"
REQUEST_WORDS_FILE = "request_words.csv"
# How people name the head of their desa or kelurahan; a complaint naming one accuses them.
HEAD_TITLES = (
    "kepala desa",
    "kades",
    "kadesnya",
    "pak kades",
    "pj kades",
    "penjabat kepala desa",
    "kepala kampung",
    "lurah",
    "pak lurah",
    "bu lurah",
    "lurahnya",
    "kepala kelurahan",
)


@dataclass(frozen=True, slots=True)
class KindRule:
    """A row of message_kinds.csv."""

    kind: VerdictKind
    confirm: frozenset[str]
    cues: CueRule


class MessageKinds:
    """Recognise complaints, questions and personal requests, and complaints about the head."""

    def __init__(self, normalizer: Normalizer, rules: Iterable[AuthorityRule]) -> None:
        """Read the table; the reason of each kind is the one its authority rule gives."""
        self._reasons = {rule.kind: rule.reason_msgid for rule in rules}
        self._rules = tuple(
            KindRule(
                kind=VerdictKind(cue.row["kind"]),
                confirm=frozenset(cue.row["confirm"].split()),
                cues=cue,
            )
            for cue in read_cue_rules(MESSAGE_KINDS_FILE, normalizer)
        )
        missing = {rule.kind for rule in self._rules} - set(self._reasons)
        if missing:
            msg = f"message kinds without a reason in authority.csv: {sorted(missing)}"
            raise ValueError(msg)
        self._heads = tuple(
            words for words in (normalizer.normalize(t).all_words for t in HEAD_TITLES) if words
        )
        with (DATA_DIR / REQUEST_WORDS_FILE).open(encoding="utf-8", newline="") as handle:
            words = "|".join(row["word"] for row in csv.DictReader(handle))
        self._request = CueRule(
            key="request", groups=(phrases(words, normalizer),), unless=(), row={}
        )

    def asks(self, text: CueText) -> bool:
        """Return whether a text asks for something ("mohon", "tolong", "dibangun"...)."""
        return self._request.found_in(text)

    def find(self, text: CueText, best_code: str | None) -> Verdict | None:
        """Return the verdict of the first row a text matches, or None.

        `best_code`, the best program for the text, is checked against a row's `confirm`.
        """
        for rule in self._rules:
            if rule.confirm and best_code not in rule.confirm:
                continue
            if rule.cues.found_in(text):
                verdict = Verdict(
                    kind=rule.kind, reason_msgid=self._reasons[rule.kind], rule=rule.cues.key
                )
                return self.with_head(verdict, text.words)
        return None

    def with_head(self, verdict: Verdict, words: Sequence[str]) -> Verdict:
        """Mark a complaint that names the kepala desa or lurah."""
        if verdict.kind is not VerdictKind.COMPLAINT:
            return verdict
        accuses = any(contains(words, head) for head in self._heads)
        return replace(verdict, accuses_head=accuses)
