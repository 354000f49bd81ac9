"""The transparent priority score: each part and the weights from settings."""

from __future__ import annotations

import pytest

from core.config import load_settings
from services.reports.priority import (
    PriorityParts,
    PriorityWeights,
    is_confident_match,
    score_parts,
)


@pytest.fixture
def weights() -> PriorityWeights:
    return PriorityWeights.from_settings(load_settings(priority_full_beneficiaries=999))


def score(weights: PriorityWeights, **fields: object) -> PriorityParts:
    values: dict[str, object] = {
        "urgency": "biasa",
        "beneficiaries": None,
        "supporters": 0,
        "rank": None,
        "confident": False,
    }
    values.update(fields)
    return score_parts(weights, **values)  # type: ignore[arg-type]


def test_score_parts_give_full_marks_to_the_strongest_proposal(weights):
    parts = score(
        weights,
        urgency="sangat_mendesak",
        beneficiaries=5000,
        supporters=40,
        rank=1,
        confident=True,
    )
    assert parts == PriorityParts(30, 25, 20, 15, 10)
    assert parts.total == weights.maximum == 100


def test_score_parts_grow_tenfold_people_by_the_same_points(weights):
    assert [score(weights, beneficiaries=people).beneficiaries for people in (9, 99, 999)] == [
        8.3,
        16.7,
        25,
    ]
    assert score(weights, beneficiaries=None).beneficiaries == 0
    assert score(weights, beneficiaries=-5).beneficiaries == 0


def test_score_parts_rank_counts_down_and_stops_after_the_ranks_counted(weights):
    assert [score(weights, rank=rank).rank for rank in (1, 2, 5, 6, 0, None)] == [
        15,
        12,
        3,
        0,
        0,
        0,
    ]


def test_score_parts_supporters_share_equally_up_to_the_full_number(weights):
    assert [score(weights, supporters=count).supporters for count in (0, 1, 5, 10, 99)] == [
        0,
        2,
        10,
        20,
        20,
    ]
    assert score(weights, urgency="mendesak").urgency == 15


def test_priority_weights_come_from_settings():
    weights = PriorityWeights.from_settings(
        load_settings(priority_weight_urgency=50, priority_weight_match=0)
    )
    parts = score(weights, urgency="sangat_mendesak", confident=True)
    assert (parts.urgency, parts.match, weights.maximum) == (50, 0, 110)


@pytest.mark.parametrize(
    ("program", "confirmed", "confident", "expected"),
    [
        (None, True, True, False),
        ("", False, True, False),
        ("1.03.10", False, True, True),
        ("1.03.10", True, False, True),
        ("1.03.10", False, False, False),
    ],
)
def test_is_confident_match_needs_a_program_and_the_matcher_or_a_person(
    program, confirmed, confident, expected
):
    assert is_confident_match(program, confirmed=confirmed, confident=confident) is expected
