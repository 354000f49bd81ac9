import pytest

from services.matching.catalogue import (
    EvidenceKind,
    ImportedProgram,
    load_catalogue,
    merge_imported,
)
from services.matching.rank import Matcher


def test_catalogue_2024_has_kabupaten_programs_only():
    catalogue = load_catalogue("2024")
    assert "1.03.10" in catalogue.programs
    assert "X.XX.01" not in catalogue.programs  # generic support block
    assert "9.01.02" not in catalogue.programs  # Aceh only
    assert "2.13.06" not in catalogue.programs  # Papua only
    assert catalogue.programs["1.03.10"].name == "Penyelenggaraan Jalan"


def test_catalogue_2024_carries_2027_definitions_as_evidence():
    kinds = {e.kind for e in load_catalogue("2024").evidence if e.program_code == "1.03.10"}
    assert {EvidenceKind.SUB_KEGIATAN, EvidenceKind.DEFINITION, EvidenceKind.KEYWORD} <= kinds


def test_catalogue_2027_loads_as_second_version():
    catalogue = load_catalogue("2027")
    assert catalogue.version == "2027"
    assert "1.03.10" in catalogue.programs


def test_catalogue_refuses_unknown_version():
    with pytest.raises(ValueError, match="unknown catalogue version"):
        load_catalogue("1999")


def test_imported_program_takes_precedence_and_keeps_nomenclature_evidence():
    imported = [
        ImportedProgram(code="1.03.10", name="Program Jalan Mulus Lebong", opd="Dinas PUPR-Hub"),
        ImportedProgram(
            code="RPJMD.01",
            name="Program Kopi Lebong Mendunia",
            opd="Disperkan",
            keywords="kopi arabika;roasting",
        ),
    ]
    catalogue = merge_imported(load_catalogue("2024"), imported)
    assert catalogue.programs["1.03.10"].name == "Program Jalan Mulus Lebong"
    assert catalogue.programs["1.03.10"].imported
    matcher = Matcher(catalogue)
    result = matcher.match("jembatan putus")
    assert result.best.code == "1.03.10"
    assert result.best.name == "Program Jalan Mulus Lebong"
    assert "Jembatan" in result.best.supporting
    assert matcher.match("mesin roasting kopi arabika").best.code == "RPJMD.01"
