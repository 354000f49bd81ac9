"""How far to trust the best program: a logistic calibration of a few ranking signals."""

from __future__ import annotations

import math
from dataclasses import dataclass

# Logistic weights of the signals, fitted by bench/fit_confidence.py on the development sets
# (see bench/RESULTS.md); the bias comes last.
CONFIDENCE_WEIGHTS = (1.82, 1.55, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
CONFIDENCE_BIAS = -5.74
# The matcher says "confident" from this probability on.
CONFIDENT_AT = 0.5


@dataclass(frozen=True, slots=True)
class Signals:
    """What the ranking says about its best program.

    Attributes:
        best: the best program's score.
        second: the runner-up's score.
        third: the third program's score.
        coverage: the share of the text's known words (by rarity) the best program's evidence
            has.
        known: the share of the text's content words the catalogue knows.
        problem_agrees: a problem the text describes implies the best program.
        evidence_agrees: the best program is also best by its best evidence texts alone.
        cover_agrees: the best program is also best by its term cover alone.
        direct: the share of the best program's top evidence that names what it does
            (program, kegiatan, keyword, correction) rather than its fine print.
    """

    best: float
    second: float
    third: float
    coverage: float
    known: float
    problem_agrees: bool
    evidence_agrees: bool = True
    cover_agrees: bool = True
    direct: float = 1.0

    def features(self) -> tuple[float, ...]:
        """Return the calibration features, in the order of CONFIDENCE_WEIGHTS."""
        best = math.log1p(self.best)
        return (
            best,
            best - math.log1p(self.second),
            best - math.log1p(self.third),
            self.coverage,
            self.known,
            float(self.problem_agrees),
            float(self.evidence_agrees),
            float(self.cover_agrees),
            self.direct,
        )


def calibrate(signals: Signals) -> float:
    """Return the probability that the best program is right."""
    if signals.best <= 0:
        return 0.0
    logit = CONFIDENCE_BIAS + sum(
        weight * value
        for weight, value in zip(CONFIDENCE_WEIGHTS, signals.features(), strict=True)
    )
    return 1.0 / (1.0 + math.exp(-logit))
