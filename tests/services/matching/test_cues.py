import csv

import pytest

from services.data import DATA_DIR
from services.matching.catalogue import load_catalogue
from services.matching.cues import CueRule, CueText, phrases
from services.matching.normalize import get_normalizer


def rule(cues, unless=""):
    normalizer = get_normalizer()
    groups = tuple(phrases(group, normalizer) for group in cues.split("+"))
    return CueRule(
        key="test",
        groups=groups,
        unless=phrases(unless, normalizer) if unless else (),
        row={},
        firsts=tuple(frozenset(phrase[0].value for phrase in group) for group in groups),
    )


def text(words):
    return CueText.of(get_normalizer().normalize(words))


def test_cue_written_as_a_root_matches_its_affixed_forms():
    crossing = rule("sungai + seberang")
    assert crossing.found_in(text("anak menyeberang sungai"))
    assert crossing.found_in(text("diseberangkan lewat sungai"))


def test_affixed_cue_matches_longer_suffixes_but_not_its_root():
    announcement = rule("pengumuman")
    assert announcement.found_in(text("pengumumannya kapan"))
    assert not announcement.found_in(text("fasilitas umum"))


def test_exact_cue_does_not_match_affixed_forms():
    head = rule("=lurah")
    assert head.found_in(text("pak lurah jarang datang"))
    assert not head.found_in(text("kantor kelurahan"))


def test_cue_reads_small_words_and_exclusions():
    dark = rule("tidak ada lampu + jalan", unless="lapangan")
    assert dark.found_in(text("tidak ada lampu di jalan kampung"))
    assert not dark.found_in(text("ada lampu di jalan"))
    assert not dark.found_in(text("tidak ada lampu di jalan ke lapangan"))


def test_every_group_must_be_present():
    crossing = rule("sungai + rakit")
    assert not crossing.found_in(text("sungai meluap"))


def read(name):
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize(
    ("name", "column"),
    [
        ("problem_needs.csv", "programs"),
        ("message_kinds.csv", "confirm"),
        ("program_families.csv", "codes"),
        ("level_programs.csv", "code"),
    ],
)
def test_matcher_tables_name_only_catalogue_programs(name, column):
    programs = set(load_catalogue("2024").programs)
    for row in read(name):
        assert set(row[column].split()) <= programs, (name, row)


def test_problem_table_rows_have_cues_a_need_and_programs():
    normalizer = get_normalizer()
    for row in read("problem_needs.csv"):
        assert row["need"], row["key"]
        assert row["programs"], row["key"]
        for group in row["cues"].split("+"):
            assert phrases(group, normalizer), (row["key"], group)
