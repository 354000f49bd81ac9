from services.matching.similar import ExistingProposal, find_similar

EXISTING = [
    ExistingProposal(1, "MB-0001", "Perbaikan jalan desa yang rusak", "1.03.10"),
    ExistingProposal(2, "MB-0002", "Pembangunan sumur bor dusun 3", "1.03.03"),
    ExistingProposal(3, "MB-0003", "Pelatihan menjahit ibu PKK", "2.07.03"),
]


def test_find_similar_matches_slang_title_to_formal_one():
    found = find_similar("jln desa rusak parah", EXISTING, program_code="1.03.10")
    assert [s.tracking_code for s in found] == ["MB-0001"]


def test_find_similar_boosts_same_program():
    plain = find_similar("sumur bor", EXISTING, threshold=0)
    boosted = find_similar("sumur bor", EXISTING, program_code="1.03.03", threshold=0)
    score = {s.id: s.score for s in plain}[2]
    assert {s.id: s.score for s in boosted}[2] >= score
    assert boosted[0].id == 2


def test_find_similar_ignores_unrelated_titles():
    assert find_similar("lampu jalan mati", EXISTING) == []
