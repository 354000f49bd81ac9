"""Possible duplicates: similar titles of one program in several villages, without chains."""

from __future__ import annotations

from services.reports.duplicates import Candidate, TitleKeys, find_duplicates

UTARA, ROAD = "17.07.01", "1.03.10"


def group_codes(candidates: list[Candidate], threshold: float = 85) -> list[set[str]]:
    groups = find_duplicates(UTARA, ROAD, candidates, keys=TitleKeys(), threshold=threshold)
    return [{member.tracking_code for member in group.members} for group in groups]


def test_find_duplicates_groups_the_same_need_in_two_villages_whatever_the_word_order():
    candidates = [
        Candidate("A1", "desa-a", "Perbaikan jalan usaha tani"),
        Candidate("B1", "desa-b", "jalan usaha tani perbaikan!!"),
        Candidate("B2", "desa-b", "Pembangunan gedung serbaguna"),
    ]
    assert group_codes(candidates) == [{"A1", "B1"}]


def test_find_duplicates_ignores_similar_titles_within_one_village():
    candidates = [
        Candidate("A1", "desa-a", "Perbaikan jalan usaha tani"),
        Candidate("A2", "desa-a", "Perbaikan jalan usaha tani"),
    ]
    assert group_codes(candidates) == []


def test_find_duplicates_does_not_chain_a_like_b_like_c():
    candidates = [
        Candidate("A1", "desa-a", "saluran irigasi sawah"),
        Candidate("B1", "desa-b", "saluran irigasi sawah"),
        Candidate("C1", "desa-c", "saluran irigasi sawah kebun"),
        Candidate("D1", "desa-d", "saluran irigasi sawah kebun kopi"),
    ]
    # D is like C but not like the group's first title, so it is left out (alone: not shown).
    assert group_codes(candidates, threshold=80) == [{"A1", "B1", "C1"}]


def test_find_duplicates_skips_titles_without_content_words():
    candidates = [Candidate("A1", "desa-a", "🙏🙏"), Candidate("B1", "desa-b", "🙏🙏")]
    assert group_codes(candidates) == []
