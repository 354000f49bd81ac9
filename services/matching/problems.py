"""Needs described as problems: "anak nyeberang sungai pakai rakit" implies a bridge.

services/data/problem_needs.csv lists, for each problem of village life, its cues (see
cues.py), the need it implies and the programs that meet that need. Written from knowledge of
village life, not from labelled proposals.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from services.matching.cues import read_cue_rules

if TYPE_CHECKING:
    from services.matching.cues import CueRule, CueText
    from services.matching.normalize import Normalizer

PROBLEMS_FILE = "problem_needs.csv"


@dataclass(frozen=True, slots=True)
class Problem:
    """A problem people describe, and the need and programs it implies."""

    key: str
    need: str
    programs: tuple[str, ...]
    cues: CueRule


class ProblemTable:
    """The problems of services/data/problem_needs.csv, normalised like proposal texts."""

    def __init__(self, normalizer: Normalizer) -> None:
        """Read and normalise the table once."""
        self.problems = tuple(
            Problem(
                key=rule.key,
                need=rule.row["need"],
                programs=tuple(rule.row["programs"].split()),
                cues=rule,
            )
            for rule in read_cue_rules(PROBLEMS_FILE, normalizer)
        )

    def find(self, text: CueText) -> list[Problem]:
        """Return the problems a text describes."""
        return [problem for problem in self.problems if problem.cues.found_in(text)]
