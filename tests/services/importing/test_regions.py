"""Checking a region list row by row."""

from services.importing.regions import validate_regions
from services.importing.rows import read_table


def test_validate_regions_checks_level_and_parent(write):
    path = write(
        "code,name,level,parent_code,alt_names\n"
        "17.07.09,Tubei,kecamatan,17.07,Pelabai\n"
        "17.07.09.2008,Pelabai,desa,17.07.09,\n"
        "17.07.99.2001,Entah,dusun,17.07.99,\n",
    )
    regions, errors = validate_regions(read_table(path), known_codes={"17.07"})
    assert [r.code for r in regions] == ["17.07.09", "17.07.09.2008"]
    assert [e.row for e in errors] == [4, 4]
