"""How far to trust the best program: a logistic calibration of a few ranking signals."""

from __future__ import annotations

import math
from dataclasses import dataclass

# Logistic weights of the signals, fitted by bench/fit_confidence.py on the development sets
# (see bench/RESULTS.md), in the order of Signals.features().
CONFIDENCE_WEIGHTS = (
    0.777,  # log best score
    1.188,  # lead over the runner-up
    -0.202,  # lead over the third
    0.832,  # lead over the best outside the family
    1.471,  # coverage
    1.342,  # log known words
    0.495,  # a described problem implies it
    -0.228,  # best by evidence texts alone
    -0.052,  # best by term cover alone
    0.631,  # direct evidence share
    0.6,  # anchor
    0.75,  # named share
    1.703,  # ownership
)
CONFIDENCE_BIAS = -6.686
# The matcher says "confident" from this probability on.
CONFIDENT_AT = 0.9


@dataclass(frozen=True, slots=True)
class Signals:
    """What the ranking says about its best program.

    Attributes:
        best: the best program's score.
        rival: the score of the best program outside its family (program_families.csv).
        second: the runner-up's score.
        third: the third program's score.
        coverage: the share of the text's known words (by rarity) the best program's evidence
            has.
        known: how many of the text's content words the catalogue knows.
        problem_agrees: a problem the text describes implies the best program.
        evidence_agrees: the best program is also best by its best evidence texts alone.
        cover_agrees: the best program is also best by its term cover alone.
        direct: the share of the best program's top evidence that names what it does
            (program, kegiatan, keyword, correction) rather than its fine print.
        anchor: 1 when the text contains a whole name or keyword of the best program longer
            than any other program's it contains, 0.5 when another program's is as long.
        named_share: the share of the text's content words that name or keyword makes up
            (1 for "puskesmas": the text says nothing else).
        ownership: the best program's share of all the evidence that has the text's words.
    """

    best: float
    rival: float
    second: float
    third: float
    coverage: float
    known: int
    problem_agrees: bool
    evidence_agrees: bool = True
    cover_agrees: bool = True
    direct: float = 1.0
    anchor: float = 0.0
    named_share: float = 0.0
    ownership: float = 0.0

    def features(self) -> tuple[float, ...]:
        """Return the calibration features, in the order of CONFIDENCE_WEIGHTS."""
        best = math.log1p(self.best)
        return (
            best,
            best - math.log1p(self.second),
            best - math.log1p(self.third),
            best - math.log1p(self.rival),
            self.coverage,
            math.log1p(self.known),
            float(self.problem_agrees),
            float(self.evidence_agrees),
            float(self.cover_agrees),
            self.direct,
            self.anchor,
            self.named_share,
            self.ownership,
        )


def is_confident(signals: Signals, probability: float) -> bool:
    """Return whether the best program can be trusted.

    It can when the calibrated probability reaches CONFIDENT_AT, or when the text is nothing but
    names or keywords of that program, the longest of them no other program's ("puskesmas",
    "pasar desa"): on the development sets such texts were matched right 306 times in 309
    (bench/RESULTS.md).
    """
    named = signals.anchor == 1.0 and signals.named_share >= 1.0
    return probability >= CONFIDENT_AT or named


def calibrate(signals: Signals) -> float:
    """Return the probability that the best program is right."""
    if signals.best <= 0:
        return 0.0
    logit = CONFIDENCE_BIAS + sum(
        weight * value
        for weight, value in zip(CONFIDENCE_WEIGHTS, signals.features(), strict=True)
    )
    return 1.0 / (1.0 + math.exp(-logit))
