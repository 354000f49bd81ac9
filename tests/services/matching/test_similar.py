from services.matching.similar import ExistingProposal, find_similar

EXISTING = [
    ExistingProposal(1, "LBG-27-AAAA", "Perbaikan jalan desa yang rusak", "1.03.10"),
    ExistingProposal(2, "LBG-27-BBBB", "Pembangunan sumur bor dusun 3", "1.03.03"),
    ExistingProposal(3, "LBG-27-CCCC", "Pelatihan menjahit ibu PKK", "2.07.03"),
    ExistingProposal(4, "LBG-27-DDDD", "Rabat beton jalan setapak ke sawah", "1.03.10"),
]


def codes(found):
    return [s.tracking_code for s in found]


def test_slang_title_finds_the_same_need_written_formally():
    found = find_similar("jln desa rusak parah", EXISTING, program_code="1.03.10")
    assert codes(found) == ["LBG-27-AAAA"]


def test_same_program_raises_the_score():
    plain = find_similar("sumur bor air bersih", EXISTING, program_code="1.03.04")
    boosted = find_similar("sumur bor air bersih", EXISTING, program_code="1.03.03")
    assert codes(boosted) == ["LBG-27-BBBB"]
    assert boosted[0].score >= max([s.score for s in plain], default=0)


def test_a_bare_word_is_not_the_same_need():
    assert find_similar("jalan", EXISTING, program_code="1.03.10") == []


def test_a_shared_word_about_roads_is_not_the_same_need():
    found = find_similar("jalan rusak berlubang", EXISTING, program_code="1.03.10")
    assert "LBG-27-DDDD" not in codes(found)


def test_a_different_program_is_not_the_same_need():
    assert find_similar("pelatihan menjahit ibu PKK", EXISTING, program_code="1.03.10") == []


def test_unrelated_titles_are_not_similar():
    assert find_similar("lampu jalan mati", EXISTING) == []
