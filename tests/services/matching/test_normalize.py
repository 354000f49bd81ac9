import pytest

from services.matching.normalize import (
    fold_text,
    get_normalizer,
    normalize_text,
    split_tokens,
    stem_word,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tlg jln rusak bgt", "tolong jalan rusak banget"),
        ("udh 2 thn gk diperbaiki", "2 tahun perbaikan"),
        ("anak2 sklh", "anak sekolah"),
        ("rusakk parahh", "rusak parah"),
        ("dibenerin dong", "perbaikan"),
    ],
)
def test_normalize_reads_slang_and_chat_forms(text, expected):
    assert normalize_text(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("jln", "jalan"),
        ("gg buntu", "gang buntu"),
        ("pju", "penerangan jalan umum"),
        ("jut", "jalan usaha tani"),
        ("tpt", "tembok penahan tanah"),
        ("siring", "siring drainase"),
        ("rtlh", "rumah layak huni"),
        ("bumdes", "bumdes badan usaha milik desa"),
        ("alsintan", "alat mesin pertanian"),
        ("posyandu", "posyandu pos pelayanan terpadu"),
    ],
)
def test_normalize_expands_domain_abbreviations(text, expected):
    assert normalize_text(text) == expected


def test_fold_splits_numbers_from_units():
    assert split_tokens("150m") == ["150", "m"]
    assert split_tokens("1,2km") == ["1,2", "km"]


def test_normalize_keeps_numbers_and_units_as_tokens():
    assert normalize_text("jalan 1,2 km dan 150m") == "jalan 1,2 km 150 m"


def test_normalize_reads_kk_after_a_number_as_a_count():
    assert "kartu" in normalize_text("KK sy hilang")
    assert normalize_text("utk 120 KK").split()[:2] == ["120", "kk"]


def test_fold_removes_accents_and_case():
    assert fold_text("JALAN Désa") == "jalan desa"


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("aspal jalan", "aspal"),  # the slang lexicon says "asli tetapi palsu"
        ("kecamatan amen", "amen"),  # the slang lexicon says "amin"
        ("lebong atas", "atas"),  # a stopword elsewhere, a place name here
        ("luas 3 ha", "ha"),  # hectare, not laughter
    ],
)
def test_normalize_keeps_protected_words(text, word):
    assert word in normalize_text(text).split()


def test_normalize_reads_smp_as_sampai_away_from_school_words():
    assert "smp" not in normalize_text("macet smp ke jln raya")
    assert "smp" in normalize_text("bangun smp negeri")


def test_stem_is_kept_beside_the_word():
    assert stem_word("pembangunan") == "bangun"
    assert stem_word("perbaikan") == "perbaikan"  # not "baik"
    assert stem_word("penerangan") == "penerangan"  # not "terang"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("rumah nenek", "rumah nenek"),  # the lexicon's "nenek2" reading must not double it
        ("air luber", "air luber"),  # not the election slogan "langsung umum bebas rahasia"
        ("orang tuo", "orang tua"),  # Bengkulu Malay -o
        ("anaknyo sakit", "anaknya sakit"),
        ("dibuatke jembatan", "dibuatkan jembatan"),
        ("ado jalan", "jalan"),  # "ado" = "ada", a stopword
        ("dipukulin suami", "dipukul suami"),
        ("dak ado air", "air"),
    ],
)
def test_normalize_reads_regional_forms_without_doubling(text, expected):
    assert normalize_text(text) == expected


def test_normalize_drops_kartu_keluarga_reading_after_a_count():
    assert normalize_text("plts untuk 35 kk").split()[-2:] == ["35", "kk"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("nyapu halaman", "sapu halaman"),  # ny- → s-
        ("ngangkut kopi", "angkut kopi"),  # ng- → vowel root
        ("ngecor jalan", "cor beton jalan"),  # nge- → consonant root (and "cor" is concrete)
        ("aek besak", "air besar"),  # Bengkulu Malay
        ("eee jadi gini pak apa namanya jalan", "jalan"),  # spoken fillers
        ("tiga ratus meter", "m"),  # numbers spelled out say nothing about the need
    ],
)
def test_normalize_reads_spoken_and_colloquial_forms(text, expected):
    assert normalize_text(text) == expected


def test_normalize_marks_a_region_name_after_a_place_word_as_a_place():
    normalized = get_normalizer().normalize("jembatan di desa Air Kopras")
    marked = dict(zip(normalized.words, normalized.places, strict=True))
    assert marked == {"jembatan": False, "desa": False, "air": True, "kopras": True}
    unmarked = get_normalizer().normalize("air kopras keruh")  # no place word before it
    assert not any(unmarked.places)


def test_normalize_keeps_every_word_for_the_cues():
    normalized = get_normalizer().normalize("tidak ada lampu di gang")
    assert "tidak" not in normalized.words
    assert normalized.all_words[:3] == ("tidak", "ada", "lampu")
