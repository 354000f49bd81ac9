import pytest

from core.i18n import use_locale
from models.enums import Bidang
from services.matching.authority import Authority, VerdictKind
from services.matching.catalogue import CorrectionEvidence, load_catalogue
from services.matching.rank import Matcher


@pytest.mark.parametrize(
    ("text", "code", "bidang"),
    [
        ("jln rusak parah depan sd, tlg diaspal", "1.03.10", Bidang.INFRASTRUKTUR),
        ("minta sumur bor", "1.03.03", Bidang.INFRASTRUKTUR),
        ("siring depan rumah mampet tiap hujan", "1.03.06", Bidang.INFRASTRUKTUR),
        ("bantuan bibit kopi", "3.27.02", Bidang.EKONOMI),
        ("pelatihan kemasan dan modal usaha buat umkm keripik", "2.17.07 2.17.08", Bidang.EKONOMI),
        ("kolam ikan lele kelompok pembudidaya butuh benih dan pakan", "3.25.04", Bidang.EKONOMI),
        ("gedung posyandu rusak, kader butuh alat timbang", "1.02.05", Bidang.SOSIAL_BUDAYA),
        ("atap ruang kelas sdn 3 bocor", "1.01.02", Bidang.SOSIAL_BUDAYA),
        ("sanggar tari butuh alat musik tradisional", "2.22.03", Bidang.SOSIAL_BUDAYA),
    ],
)
def test_match_finds_canonical_program(matcher, text, code, bidang):
    result = matcher.match(text)
    assert result.confident
    assert result.best.code in code.split()  # several programs can be right
    assert result.best.bidang is bidang
    assert result.best.opd


def test_match_returns_supporting_sub_kegiatan_and_scores_in_order(matcher):
    result = matcher.match("pembangunan jembatan gantung ke kebun", k=5)
    assert result.best.code == "1.03.10"
    assert "Jembatan" in result.best.supporting
    scores = [c.score for c in result.candidates]
    assert scores == sorted(scores, reverse=True)
    assert all(0 <= s <= 1 for s in scores)


def test_match_maps_misspelled_words_onto_the_catalogue(matcher):
    assert matcher.match("jembtan putus").best.code == "1.03.10"
    assert matcher.match("irigsi sawah jebol").best.code in {"1.03.02", "3.27.03"}


def test_match_says_chatter_is_not_a_proposal(matcher):
    with use_locale("id"):
        result = matcher.match("wkwk mantap")
        assert not result.confident
        assert result.verdict.kind is VerdictKind.CHITCHAT
        assert "bukan usulan" in result.reason


def test_match_says_no_program_fits_a_need_it_cannot_place(matcher):
    with use_locale("id"):
        result = matcher.match("mohon bantuan untuk kegiatan kami")
        assert not result.confident
        assert result.verdict is None
        assert "Belum ada program yang cocok" in result.reason


def test_match_is_not_confident_on_empty_text(matcher):
    result = matcher.match("   ")
    assert result.candidates == ()
    assert not result.confident


@pytest.mark.parametrize(
    ("text", "authority"),
    [
        ("tolong bangun SMA negeri di kecamatan kami", Authority.PROVINSI),
        ("jalan tol diteruskan sampai sini", Authority.NASIONAL),
        ("rumah kami blm ada listrik PLN", Authority.NASIONAL),
        ("bangun pos polisi di desa", Authority.NASIONAL),
        ("tes tes bot aktif?", Authority.BUKAN_USULAN),
    ],
)
def test_match_recognises_other_authorities(matcher, text, authority):
    result = matcher.match(text)
    assert not result.confident
    assert result.authority is authority
    with use_locale("id"):
        assert result.reason


def test_match_keeps_kabupaten_need_when_senior_school_is_only_mentioned(matcher):
    result = matcher.match("pemuda tamat sma banyak nganggur, minta pelatihan las dan bengkel")
    assert result.authority is None
    assert result.best.code == "2.07.03"


def test_correction_becomes_evidence_for_later_proposals():
    matcher = Matcher(load_catalogue("2024"))
    phrase = "lampu hias tugu selamat datang desa"
    assert matcher.match(phrase).best.code != "3.26.02"
    matcher.add_correction(CorrectionEvidence(text=phrase, program_code="3.26.02"))
    result = matcher.match("tugu selamat datang desa perlu lampu hias baru")
    assert result.best.code == "3.26.02"
    assert result.confident


def test_correction_to_unknown_program_is_ignored():
    matcher = Matcher(load_catalogue("2024"))
    size = matcher.size
    matcher.add_correction(CorrectionEvidence(text="apa saja", program_code="9.99.99"))
    assert matcher.size == size


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("bantuan panel surya buat dusun terpencil", "3.29.05"),
        ("kambing warga mati mendadak, mulutnya berbusa", "3.27.04"),
        ("pernikahan dini masih banyak di desa", "2.08.04"),
        ("gas elpiji langka di pangkalan", "3.30.04"),
        ("buah kopi busuk dimakan hama penggerek", "3.27.05"),
        ("timbangan pengepul sering curang", "3.30.06"),
        ("lansia hidup sebatang kara tidak ada yang merawat", "1.06.04"),
    ],
)
def test_match_finds_programs_described_by_the_problem(matcher, text, code):
    result = matcher.match(text)
    assert code in [c.code for c in result.candidates[:3]]
    assert result.authority is None


def test_match_restores_vowel_dropped_words(matcher):
    assert matcher.match("jmbtn gantung putus").best.code == "1.03.10"
    assert matcher.query_terms("prbaikn")[0] == "perbaikan"


@pytest.mark.parametrize(
    ("text", "authority"),
    [
        ("saluran air di pinggir jalan provinsi tersumbat", Authority.PROVINSI),
        ("pelebaran jalan lintas antar kabupaten", Authority.PROVINSI),
        ("atap madrasah kami bocor", Authority.NASIONAL),
        ("bangun asrama pondok pesantren", Authority.NASIONAL),
        ("bangun koramil di kecamatan", Authority.NASIONAL),
        ("kades korupsi dana desa", Authority.BUKAN_USULAN),
        ("jangan lupa coblos nomor 3", Authority.BUKAN_USULAN),
        ("jual beras organik, minat japri", Authority.BUKAN_USULAN),
    ],
)
def test_match_flags_decisive_authority_words(matcher, text, authority):
    result = matcher.match(text)
    assert not result.confident
    assert result.authority is authority
    assert result.candidates  # the programs are still shown to Bappeda


def test_decisive_phrases_never_occur_in_program_keywords():
    from services.matching.authority import load_rules
    from services.matching.catalogue import EvidenceKind
    from services.matching.normalize import get_normalizer

    normalizer = get_normalizer()
    keywords = [
        " " + " ".join(normalizer.normalize(item.text).all_words) + " "
        for item in load_catalogue("2024").evidence
        if item.kind is EvidenceKind.KEYWORD
    ]
    for rule in load_rules().values():
        for term in rule.decisive:
            phrase = " " + " ".join(normalizer.normalize(term).all_words) + " "
            assert phrase.strip()
            assert not [k for k in keywords if phrase in k], (rule.key, term)


def test_every_authority_reason_is_extracted_for_translation():
    from services.matching.authority import REASONS, load_rules

    assert {rule.reason_msgid for rule in load_rules().values()} <= set(REASONS)
