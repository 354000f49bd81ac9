"""The transparent priority score: five parts a planner can explain in a forum.

Each part is a fraction from 0 to 1 times its weight (a setting), so with the default
weights the score runs from 0 to 100 points:

- urgency: very urgent 1, urgent 0.5, normal 0;
- beneficiaries: log10(1 + people) / log10(1 + PRIORITY_FULL_BENEFICIARIES), at most 1, so
  every tenfold more people adds the same points; unknown counts 0;
- supporters: supporters / PRIORITY_FULL_SUPPORTERS, at most 1;
- rank by the lurah or camat: rank 1 earns 1, each lower rank 1/PRIORITY_RANKS_COUNTED less,
  unranked 0;
- program match: 1 when the RPJMD program is confident (see `is_confident_match`), else 0.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from models.enums import Urgency

if TYPE_CHECKING:
    from core.config import Settings

URGENCY_FRACTION = {Urgency.SANGAT_MENDESAK: 1.0, Urgency.MENDESAK: 0.5, Urgency.BIASA: 0.0}


@dataclass(frozen=True, slots=True)
class PriorityWeights:
    """The points each part earns at most, and where the sliding parts reach their top."""

    urgency: float
    beneficiaries: float
    supporters: float
    rank: float
    match: float
    full_beneficiaries: int
    full_supporters: int
    ranks_counted: int

    @classmethod
    def from_settings(cls, settings: Settings) -> PriorityWeights:
        """Read the weights from the PRIORITY_* settings."""
        return cls(
            urgency=settings.priority_weight_urgency,
            beneficiaries=settings.priority_weight_beneficiaries,
            supporters=settings.priority_weight_supporters,
            rank=settings.priority_weight_rank,
            match=settings.priority_weight_match,
            full_beneficiaries=settings.priority_full_beneficiaries,
            full_supporters=settings.priority_full_supporters,
            ranks_counted=settings.priority_ranks_counted,
        )

    @property
    def maximum(self) -> float:
        """Return the highest score a proposal can reach."""
        return self.urgency + self.beneficiaries + self.supporters + self.rank + self.match


@dataclass(frozen=True, slots=True)
class PriorityParts:
    """The points of each part of one proposal's score, rounded to one decimal."""

    urgency: float
    beneficiaries: float
    supporters: float
    rank: float
    match: float

    @property
    def total(self) -> float:
        """Return the score: the sum of the parts."""
        return round(
            self.urgency + self.beneficiaries + self.supporters + self.rank + self.match, 1
        )


def is_confident_match(program_code: str | None, *, confirmed: bool, confident: bool) -> bool:
    """Return whether the proposal's program can be trusted without Bappeda looking at it.

    A program is confident when the matcher was sure of it (`confident`, its calibrated
    verdict at submission) or when a person confirmed it: the proposer choosing it from the
    list, or Bappeda mapping it by hand.
    """
    return bool(program_code) and (confirmed or confident)


def score_parts(
    weights: PriorityWeights,
    *,
    urgency: str,
    beneficiaries: int | None,
    supporters: int,
    rank: int | None,
    confident: bool,
) -> PriorityParts:
    """Return the points of each part for one proposal."""
    people = max(beneficiaries or 0, 0)
    people_fraction = min(1.0, math.log10(1 + people) / math.log10(1 + weights.full_beneficiaries))
    support_fraction = min(1.0, max(supporters, 0) / weights.full_supporters)
    rank_fraction = 0.0
    if rank is not None and 1 <= rank <= weights.ranks_counted:
        rank_fraction = (weights.ranks_counted + 1 - rank) / weights.ranks_counted
    return PriorityParts(
        urgency=round(weights.urgency * URGENCY_FRACTION.get(Urgency(urgency), 0.0), 1),
        beneficiaries=round(weights.beneficiaries * people_fraction, 1),
        supporters=round(weights.supporters * support_fraction, 1),
        rank=round(weights.rank * rank_fraction, 1),
        match=round(weights.match * (1.0 if confident else 0.0), 1),
    )
