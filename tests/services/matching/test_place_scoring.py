import csv

import pytest

from models.enums import RegionLevel
from models.regions import Region
from services.data import DATA_DIR
from services.matching.place_scoring import (
    PlaceCandidate,
    alt_names_of,
    canonical_place,
    match_place,
)
from services.region_lookup import find_places

LEVEL_ORDER = {"kecamatan": 0, "kelurahan": 1, "desa": 1}


@pytest.fixture(name="places", scope="module")
def places_fixture() -> list[PlaceCandidate]:
    with (DATA_DIR / "lebong_regions.csv").open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["level"] in LEVEL_ORDER]
    rows.sort(key=lambda r: LEVEL_ORDER[r["level"]])
    return [
        PlaceCandidate(r["code"], r["name"], r["level"], alt_names_of(r["alt_names"]))
        for r in rows
    ]


def test_canonical_place_reads_roman_numerals_and_drops_prefixes():
    assert canonical_place("Desa Semelako II") == "semelako 2"
    assert canonical_place("semelako 2") == "semelako 2"


def test_match_place_reads_digits_as_roman_numerals(places):
    best = match_place("semelako 2", places)[0]
    assert best.name == "Semelako II"
    assert best.unambiguous


def test_match_place_does_not_confuse_numbered_villages(places):
    names = [m.name for m in match_place("semelako 3", places)]
    assert names[0] == "Semelako III"
    assert "Semelako II" not in names[:1]


def test_match_place_finds_old_kecamatan_name_but_flags_the_desa(places):
    found = match_place("pelabai", places)
    assert (found[0].name, found[0].level, found[0].via_alt_name) == ("Tubei", "kecamatan", True)
    assert any(m.name == "Pelabai" and m.level == "desa" for m in found)
    assert not found[0].unambiguous


def test_match_place_is_unambiguous_among_kecamatan_only(places):
    kecamatan = [p for p in places if p.level == "kecamatan"]
    best = match_place("pelabai", kecamatan)[0]
    assert best.name == "Tubei"
    assert best.unambiguous


def test_match_place_tolerates_typos(places):
    assert match_place("muning agun", places)[0].name == "Muning Agung"


def test_match_place_returns_nothing_for_unknown_names(places):
    assert match_place("jakarta selatan", places) == []


def bundled_regions():
    with (DATA_DIR / "lebong_regions.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [
        Region(
            code=row["code"],
            name=row["name"],
            level=RegionLevel(row["level"]),
            parent_code=row["parent_code"] or None,
            alt_names=row["alt_names"],
        )
        for row in rows
        if row["level"] in {"kecamatan", "desa", "kelurahan"}
    ]


def test_real_ways_of_typing_villages():
    regions = bundled_regions()

    def look(typed):
        found = find_places(typed, regions)
        return (found.best.name if found.best else None, [c.name for c in found.candidates])

    assert look("muara aman") == (None, ["Pasar Muara Aman", "Kampung Muara Aman"])
    assert {"Talang Liak I", "Talang Liak II"} <= set(look("talang leak")[1])
    assert look("rimbo")[0] == "Rimbo Pengadang"
    assert look("saya tinggal di desa gandung")[0] == "Gandung"
    assert look("semelakoii")[1][0] == "Semelako II"
