import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.quantities import Problem, parse_beneficiaries, parse_volume


@pytest.mark.parametrize(
    ("text", "amount", "unit"),
    [
        ("150 m", 150, "m"),
        ("150m", 150, "m"),
        ("150 M", 150, "m"),
        ("2 unit", 2, "unit"),
        ("1,5 km", 1.5, "km"),
        ("1.5 km", 1.5, "km"),
        ("1,5km", 1.5, "km"),
        ("3 titik", 3, "titik"),
        ("200 meter", 200, "m"),
        ("200 mtr", 200, "m"),
        ("1 paket", 1, "paket"),
        ("50 m2", 50, "m2"),
        ("50m²", 50, "m2"),
        ("50 meter persegi", 50, "m2"),
        ("12 m3", 12, "m3"),
        ("2 ha", 2, "ha"),
        ("2 hektar", 2, "ha"),
        ("sepanjang 300 meter", 300, "m"),
        ("dua unit", 2, "unit"),
        ("tiga titik", 3, "titik"),
        ("5 buah", 5, "unit"),
        ("5 bh", 5, "unit"),
        ("sebuah", 1, "unit"),
        ("sepaket", 1, "paket"),
        ("2 kilometer", 2, "km"),
        ("satu setengah km", 1.5, "km"),
        ("setengah km", 0.5, "km"),
        ("dua ratus lima puluh meter", 250, "m"),
        ("dua belas titik", 12, "titik"),
        ("seratus dua puluh meter", 120, "m"),
        ("seribu lima ratus meter", 1500, "m"),
        ("100 batang", 100, "batang"),
        ("jalan rusak sudah 5 tahun, panjangnya 300 m", 300, "m"),
        ("panjang 300 m lebar 4 m", 300, "m"),
    ],
)
def test_volume_reads_number_and_normalises_unit(text, amount, unit):
    volume = parse_volume(text)
    assert volume.ok
    assert volume.amount == pytest.approx(amount)
    assert volume.unit == unit
    assert volume.text == text
    assert volume.recognised


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("1.200 m", 1200),
        ("1,200 m", 1200),
        ("12.000 m", 12_000),
        ("1.200.000 m2", 1_200_000),
        ("1.200,5 m", 1200.5),
        ("1,200.5 m", 1200.5),
        ("0,750 km", 0.75),
        ("0.5 km", 0.5),
        ("2,25 ha", 2.25),
        ("1.2345 km", 1.2345),
    ],
)
def test_volume_reads_three_digit_groups_as_thousands_and_others_as_decimals(text, amount):
    assert parse_volume(text).amount == pytest.approx(amount)


@pytest.mark.parametrize(
    "text",
    ["kurang lebih 2 km", "sekitar 2 km", "± 2 km", "+/- 2 km", "kira-kira 2 km", "2-3 km"],
)
def test_volume_flags_approximate_figures(text):
    volume = parse_volume(text)
    assert volume.ok
    assert volume.amount == 2
    assert volume.unit == "km"
    assert volume.approximate


def test_volume_takes_the_lower_bound_of_a_range():
    volume = parse_volume("150 sampai 200 meter")
    assert (volume.amount, volume.unit, volume.approximate) == (150, "m", True)


def test_volume_is_not_approximate_when_stated_plainly():
    assert not parse_volume("150 m").approximate


@pytest.mark.parametrize(
    "text", ["tidak tahu", "Gak tau", "belum tahu", "tdk tau", "gatau", "belum diukur"]
)
def test_volume_accepts_dont_know_as_unknown(text):
    volume = parse_volume(text)
    assert volume.ok
    assert volume.unknown
    assert volume.amount is None
    assert volume.text == text


def test_volume_with_a_number_and_doubt_keeps_the_number_as_approximate():
    volume = parse_volume("tidak tahu pasti, mungkin 300 m")
    assert (volume.amount, volume.unit, volume.approximate) == (300, "m", True)
    assert not volume.unknown


def test_volume_without_unit_asks_for_the_unit():
    volume = parse_volume("150")
    assert volume.problem is Problem.MISSING_UNIT
    assert volume.amount == 150
    assert volume.unit is None
    assert not volume.ok


def test_volume_keeps_an_unknown_unit_word_as_typed():
    volume = parse_volume("10 lampu")
    assert volume.ok
    assert (volume.amount, volume.unit, volume.recognised) == (10, "lampu", False)


def test_volume_never_takes_a_time_word_as_unit():
    assert parse_volume("5 tahun").problem is Problem.MISSING_UNIT


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", Problem.EMPTY),
        ("   ", Problem.EMPTY),
        ("jalannya rusak parah", Problem.NO_NUMBER),
        ("???", Problem.NO_NUMBER),
        ("1.2.3 m", Problem.NO_NUMBER),
        ("0 m", Problem.ZERO),
        ("nol unit", Problem.ZERO),
        ("-5 m", Problem.NEGATIVE),
        ("minus 5 m", Problem.NEGATIVE),
        ("1000 km", Problem.TOO_LARGE),
        ("5000000 m", Problem.TOO_LARGE),
        ("9" * 400 + " m", Problem.TOO_LARGE),
    ],
)
def test_volume_rejects_with_a_reason(text, problem):
    volume = parse_volume(text)
    assert volume.problem is problem
    assert volume.amount is None
    assert not volume.ok


@pytest.mark.parametrize(
    ("text", "amount", "unit"),
    [
        ("½ km", 0.5, "km"),
        ("1½ km", 1.5, "km"),
        ("1 ½ km", 1.5, "km"),
        ("¾ ha", 0.75, "ha"),
        ("1⅛ km", 1.125, "km"),
        ("1/2 km", 0.5, "km"),
        ("1 1/2 km", 1.5, "km"),
        ("1e3 m", 1000, "m"),
        ("2,5e2 m", 250, "m"),
    ],
)
def test_volume_reads_fractions_and_exponents_as_their_value(text, amount, unit):
    volume = parse_volume(text)
    assert (volume.problem, volume.unit) == (None, unit)
    assert volume.amount == pytest.approx(amount)


@pytest.mark.parametrize("text", ["1e308 m", "1e309 m", "2e99999 km", "1e7 m"])
def test_volume_refuses_absurd_magnitudes_written_with_an_exponent(text):
    assert parse_volume(text).problem is Problem.TOO_LARGE


def test_numbers_starting_with_zero_are_not_read_as_a_fraction():
    assert parse_volume("RT 02/03").amount == 2


@pytest.mark.parametrize(
    ("text", "count", "unit", "approximate"),
    [
        ("200 KK", 200, "kk", False),
        ("200 kk", 200, "kk", False),
        ("20 K.K.", 20, "kk", False),
        ("sekitar 300 jiwa", 300, "jiwa", True),
        ("300 orang", 300, "orang", False),
        ("± 150 warga", 150, "orang", True),
        ("50 kepala keluarga", 50, "kk", False),
        ("100 siswa", 100, "siswa", False),
        ("40 petani", 40, "petani", False),
        ("25 nelayan", 25, "nelayan", False),
        ("200an KK", 200, "kk", True),
        ("150-200 KK", 150, "kk", True),
        ("2 ribu jiwa", 2000, "jiwa", False),
        ("1.500 jiwa", 1500, "jiwa", False),
        ("ratusan warga", 100, "orang", True),
        ("dua ratus kk", 200, "kk", False),
        ("3 kelompok tani", 3, "kelompok", False),
    ],
)
def test_beneficiaries_reads_head_counts(text, count, unit, approximate):
    result = parse_beneficiaries(text)
    assert result.ok
    assert (result.count, result.unit, result.approximate) == (count, unit, approximate)
    assert not result.group
    assert result.text == text


@pytest.mark.parametrize(
    ("text", "quantity", "unit"),
    [
        ("satu dusun", 1, "dusun"),
        ("2 RT", 2, "rt"),
        ("1 RW", 1, "rw"),
        ("seluruh desa", 1, "desa"),
        ("semua warga dusun", 1, "dusun"),
        ("satu kelurahan", 1, "kelurahan"),
        ("3 dusun", 3, "dusun"),
    ],
)
def test_beneficiaries_keeps_community_units_without_a_head_count(text, quantity, unit):
    result = parse_beneficiaries(text)
    assert result.ok
    assert result.group
    assert result.count is None
    assert (result.quantity, result.unit) == (quantity, unit)


@pytest.mark.parametrize("text", ["tidak tahu", "belum tahu", "ga tau"])
def test_beneficiaries_accepts_dont_know_as_unknown(text):
    result = parse_beneficiaries(text)
    assert result.ok
    assert result.unknown
    assert result.count is None


def test_beneficiaries_without_unit_asks_for_the_unit():
    result = parse_beneficiaries("200")
    assert result.problem is Problem.MISSING_UNIT
    assert result.quantity == 200


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", Problem.EMPTY),
        ("banyak sekali", Problem.NO_NUMBER),
        ("0 KK", Problem.ZERO),
        ("-20 jiwa", Problem.NEGATIVE),
        ("1,5 KK", Problem.NOT_WHOLE),
        ("5000000 jiwa", Problem.TOO_LARGE),
        ("400 dusun", Problem.TOO_LARGE),
    ],
)
def test_beneficiaries_rejects_with_a_reason(text, problem):
    result = parse_beneficiaries(text)
    assert result.problem is problem
    assert result.count is None
    assert result.quantity is None


@given(st.text())
def test_volume_never_raises_and_parsed_amounts_are_positive_and_finite(text):
    volume = parse_volume(text)
    assert volume.text == text
    if volume.amount is not None:
        assert volume.amount > 0
        assert math.isfinite(volume.amount)
    if volume.ok and not volume.unknown:
        assert volume.amount is not None
        assert volume.unit


@given(st.text(alphabet=st.sampled_from("0123456789.,- mkKtahuRjiwsedpl±")))
def test_volume_never_raises_on_number_like_text(text):
    volume = parse_volume(text)
    if volume.amount is not None:
        assert 0 < volume.amount < math.inf


@given(st.text())
def test_beneficiaries_never_raises_and_parsed_numbers_are_positive_and_finite(text):
    result = parse_beneficiaries(text)
    assert result.text == text
    for number in (result.count, result.quantity):
        if number is not None:
            assert number > 0
            assert math.isfinite(number)


@pytest.mark.parametrize("typed", ["200 meter", "3 unit", "2 paket", "1,5 km"])
def test_a_volume_unit_is_not_a_number_of_beneficiaries(typed):
    assert parse_beneficiaries(typed).problem is Problem.WRONG_UNIT


@pytest.mark.parametrize("typed", ["200 KK", "2 dusun", "300 jiwa", "40 petani", "3 RT"])
def test_people_or_places_are_not_a_volume(typed):
    assert parse_volume(typed).problem is Problem.WRONG_UNIT


def test_groups_with_a_household_count_keep_both():
    parsed = parse_beneficiaries("2 dusun ± 400 KK")
    assert (parsed.quantity, parsed.unit, parsed.group, parsed.people) == (
        2,
        "dusun",
        True,
        (400, "kk"),
    )


@pytest.mark.parametrize("typed", ["semua warga", "seluruh warga desa", "seluruh masyarakat"])
def test_the_whole_village_however_it_is_said(typed):
    parsed = parse_beneficiaries(typed)
    assert (parsed.ok, parsed.quantity, parsed.unit, parsed.group) == (True, 1, "desa", True)
