"""What the matcher makes of what people say: context, problems, honest options, confidence."""

import pytest

from models.enums import Bidang, RegionLevel
from services.matching.authority import VerdictKind


def codes(result):
    return [option.code for option in result.options]


# --- short, clear proposals are matched confidently -------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # the proposals the issue lists
        ("puskesmas", "1.02.02"),
        ("sekolah", "1.01.02"),
        ("jembatan", "1.03.10"),
        ("pasar desa", "3.30.03"),
        ("pembangunan mushola", "4.01.02"),
        ("stunting, banyak balita kurang gizi", "1.02.02"),
        ("beasiswa anak tidak mampu", "1.01.02"),
        ("ambulance desa", "1.02.02"),
        ("vaksin ternak sapi", "3.27.04"),
        ("bantuan lansia", "1.06.04"),
        ("jalan desa rusak parah, mohon diaspal", "1.03.10"),
        # and a few more of the same kind
        ("posyandu", "1.02.05"),
        ("sumur bor dusun 3", "1.03.03"),
        ("perpustakaan desa", "2.23.02"),
        ("bibit durian unggul", "3.27.02"),
    ],
)
def test_match_is_confident_on_short_clear_proposals(matcher, text, code):
    result = matcher.match(text)
    assert result.verdict is None
    assert result.confident
    assert result.best.code == code


def test_match_does_not_let_the_word_desa_pull_village_government_level(matcher):
    result = matcher.match("jalan desa rusak parah, mohon diaspal")
    assert codes(result) == ["1.03.10"]
    village_government = next(c for c in result.candidates if c.code == "2.13.04")
    assert village_government.score < 0.5 * result.best.score


# --- honest options ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "absurd"),
    [
        ("lampu jalan", "2.15.05"),  # Perkeretaapian
        ("taman bermain anak", "1.06.07"),  # Taman Makam Pahlawan
        ("jalur evakuasi bencana", "2.24.03"),  # Penyelamatan Arsip
        ("jamban sehat", "1.01.02"),  # Pengelolaan Pendidikan
        ("alat musik tradisional", "1.02.04"),  # Sediaan Farmasi, Alat Kesehatan
        ("lampu penerangan di simpang tiga", "2.15.05"),
        ("tempat bermain untuk balita", "1.06.07"),
    ],
)
def test_match_never_offers_an_option_no_planner_would_consider(matcher, text, absurd):
    result = matcher.match(text)
    assert absurd not in codes(result)
    assert 1 <= len(result.options) <= 3
    assert result.options == result.candidates[: len(result.options)]


def test_match_shows_fewer_than_three_options_when_the_rest_are_weak(matcher):
    result = matcher.match("alat musik tradisional untuk sanggar")
    assert codes(result) == ["2.22.03"]
    assert len(result.candidates) == 5  # Bappeda still sees the ranking


def test_match_keeps_a_weaker_program_of_the_same_family_among_the_options(matcher):
    result = matcher.match("lampu jalan")
    assert codes(result) == ["2.15.02", "1.04.05"]  # LLAJ and settlement utilities


# --- everything the person says: bidang, problem, village -------------------------------


def test_match_flags_programs_of_another_bidang_than_the_one_chosen(matcher):
    result = matcher.match("aspal jalan ke dusun dua", bidang=Bidang.EKONOMI)
    assert result.best.code == "1.03.10"
    assert result.other_bidang is Bidang.INFRASTRUKTUR
    assert (
        matcher.match("aspal jalan ke dusun dua", bidang=Bidang.INFRASTRUKTUR).other_bidang is None
    )


def test_match_uses_the_chosen_bidang_as_evidence(matcher):
    def lead_of_youth_over_farming(bidang):
        scores = {c.code: c.score for c in matcher.match(text, bidang=bidang).candidates}
        return scores["2.19.02"] / scores["3.27.07"]

    text = "pembinaan kelompok pemuda"  # youth (social) or farmers' groups (economy)
    assert lead_of_youth_over_farming(Bidang.SOSIAL_BUDAYA) > lead_of_youth_over_farming(
        Bidang.EKONOMI
    )


@pytest.mark.parametrize(
    ("title", "problem", "code"),
    [
        (
            "bantuan dusun tiga",
            "tiap hujan murid harus menyeberang kali, titiannya sudah hanyut",
            "1.03.10",
        ),
        ("usulan kelompok", "padi kami diserang wereng dan sebagian sudah puso", "3.27.05"),
        ("tolong dibantu", "ibu-ibu mengangkut air bersih pakai jerigen dari mata air", "1.03.03"),
        ("perbaikan", "air hujan menggenang di depan rumah karena siringnya tersumbat", "1.03.06"),
    ],
)
def test_match_reranks_a_vague_title_with_the_problem(matcher, title, problem, code):
    vague = matcher.match(title)
    told = matcher.match(title, problem=problem)
    assert not vague.confident
    assert told.best.code == code
    assert told.verdict is None


def test_match_keeps_the_title_first_when_the_problem_only_adds_detail(matcher):
    result = matcher.match(
        "rabat beton jalan dusun", problem="kalau hujan becek dan anak sekolah sering jatuh"
    )
    assert result.best.code == "1.03.10"
    assert result.confident


def test_match_leaves_out_desa_government_programs_for_a_kelurahan(matcher):
    text = "pelatihan aparatur pemerintahan desa mengelola keuangan"
    assert matcher.match(text, desa_level=RegionLevel.DESA).best.code == "2.13.04"
    in_kelurahan = matcher.match(text, desa_level=RegionLevel.KELURAHAN)
    assert "2.13.04" not in [c.code for c in in_kelurahan.candidates]


def test_match_leaves_out_kelurahan_works_for_a_desa(matcher):
    text = "pembangunan sarana dan prasarana kelurahan"
    assert "7.01.03" in [
        c.code for c in matcher.match(text, desa_level=RegionLevel.KELURAHAN).candidates
    ]
    assert "7.01.03" not in [
        c.code for c in matcher.match(text, desa_level=RegionLevel.DESA).candidates
    ]


# --- needs described as problems ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code", "problem"),
    [
        ("anak sekolah menyeberang sungai dengan rakit bambu", "1.03.10", "river_crossing"),
        (
            "setiap hujan deras rumah di bantaran terendam sampai pinggang",
            "1.03.02",
            "river_flood",
        ),
        (
            "kalau malam gang kami gelap gulita, sudah dua kali ada penjambretan",
            "2.15.02",
            "dark_streets",
        ),
        ("tikus menghabiskan padi yang baru berbuah", "3.27.05", "pests"),
        ("banyak anak berhenti sekolah karena orang tuanya tidak sanggup", "1.01.02", "dropout"),
        (
            "nenek-nenek di dusun kami banyak yang hidup sendirian tidak terurus",
            "1.06.04",
            "lonely_elderly",
        ),
        ("warga masih buang air besar di kali belakang kampung", "1.03.05", "open_defecation"),
        (
            "banyak warga belum punya KTP elektronik karena kantor dukcapil jauh",
            "2.12.02",
            "missing_id",
        ),
        (
            "tanah di lereng belakang rumah-rumah warga sudah retak dan bergerak",
            "1.04.02",
            "house_landslide",
        ),
        ("sampah menumpuk di pinggir jalan dan dibakar warga", "2.11.11", "waste_piles"),
        ("sapi-sapi peternak lemas lalu mati mendadak", "3.27.04", "sick_livestock"),
        ("jalan ke kampung kami tertimbun longsor, kami terisolasi", "1.03.10", "road_landslide"),
    ],
)
def test_match_finds_the_need_behind_a_described_problem(matcher, text, code, problem):
    result = matcher.match(text)
    assert problem in result.problems
    assert result.best.code == code
    assert result.verdict is None


# --- calibrated confidence ---------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "mohon bantuan untuk kegiatan kami",
        "pembangunan desa yang lebih baik",
        "usulan dari dusun dua",
    ],
)
def test_match_is_not_confident_when_the_text_does_not_say_what_is_needed(matcher, text):
    result = matcher.match(text)
    assert not result.confident
    assert 0 <= result.confidence < 0.9


def test_match_confidence_is_a_probability_and_scores_are_ordered(matcher):
    result = matcher.match("perbaikan irigasi sawah yang jebol")
    assert 0 < result.confidence <= 1
    scores = [candidate.score for candidate in result.candidates]
    assert scores == sorted(scores, reverse=True)
    assert result.signals.best > 0


# --- non-proposals and other levels of government ---------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "accuses_head"),
    [
        ("kepala desa kami tidak pernah transparan soal dana desa", VerdictKind.COMPLAINT, True),
        ("pak kades menyelewengkan bantuan beras untuk keluarganya", VerdictKind.COMPLAINT, True),
        ("lurah kami jarang ngantor, surat pindah tidak diurus", VerdictKind.COMPLAINT, True),
        ("sekdes minta uang setiap warga mengurus surat", VerdictKind.COMPLAINT, False),
        ("pemborong jembatan mengurangi semen, hasilnya asal jadi", VerdictKind.COMPLAINT, False),
        ("usulan kami tahun lalu soal irigasi sampai mana ya pak?", VerdictKind.QUESTION, False),
        ("kapan usulan jalan dusun kami dikerjakan?", VerdictKind.QUESTION, False),
        ("perbaikan rumah saya yang bocor", VerdictKind.PERSONAL, False),
        ("modal untuk usaha saya pribadi", VerdictKind.PERSONAL, False),
        ("biaya berobat anak saya", VerdictKind.PERSONAL, False),
        ("tolong bantu bayar uang kuliah adik saya", VerdictKind.PERSONAL, False),
        ("coblos nomor 4, desa kita pasti dapat jalan aspal", VerdictKind.CAMPAIGN, False),
        ("dukung calon bupati kita, irigasi pasti lancar", VerdictKind.CAMPAIGN, False),
        ("dijual bibit kopi sambung, minat hubungi wa", VerdictKind.ADVERT, False),
        ("halo selamat pagi, ini bot resmi ya?", VerdictKind.CHITCHAT, False),
        ("makasih pak", VerdictKind.CHITCHAT, False),
        ("perbaiki jalan provinsi yang lewat desa kami", VerdictKind.PROVINSI, False),
        ("tolong bangun SMK negeri di kecamatan", VerdictKind.PROVINSI, False),
        ("sambungan listrik PLN belum sampai ke dusun atas", VerdictKind.NASIONAL, False),
        ("renovasi madrasah tsanawiyah di desa", VerdictKind.NASIONAL, False),
        ("tidak ada sinyal hp sama sekali, mohon tower", VerdictKind.NASIONAL, False),
    ],
)
def test_match_says_what_a_message_is_when_it_is_not_a_kabupaten_proposal(
    matcher, text, kind, accuses_head
):
    result = matcher.match(text)
    assert result.verdict is not None
    assert result.verdict.kind is kind
    assert result.verdict.accuses_head is accuses_head
    assert result.verdict.reason
    assert not result.confident


@pytest.mark.parametrize(
    "text",
    [
        "air masuk rumah saya tiap hujan karena selokan mampet",  # the need is a drain
        "kepala desa mengusulkan pelatihan komputer untuk perangkat desa",  # names the head
        "kopi petani dijual murah ke tengkulak, mohon koperasi",  # "dijual murah" is no advert
        "kantor desa rusak, atapnya bocor",  # "kantor" is no complaint
        "pasar muara aman becek dan losnya reot",  # a place name that is also a need
    ],
)
def test_match_keeps_proposals_that_only_sound_like_something_else(matcher, text):
    assert matcher.match(text).verdict is None
