import pytest
from openpyxl import Workbook

from core.i18n import use_locale
from services.importing.tables import (
    ImportFileError,
    read_table,
    validate_programs,
    validate_regions,
)

HEADER = "kode,nama_program,opd,indikator,target,satuan,kata_kunci\n"


def write(tmp_path, text, name="rpjmd.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_validate_programs_accepts_a_good_file(tmp_path):
    path = write(
        tmp_path, HEADER + "1.03.10,Program Jalan,PUPR-Hub,Jalan mantap,80,%,jalan;aspal\n"
    )
    programs, errors = validate_programs(read_table(path))
    assert errors == []
    assert programs[0].code == "1.03.10"
    assert programs[0].keywords == "jalan;aspal"


def test_validate_programs_reports_every_bad_row_by_number_in_indonesian(tmp_path):
    path = write(
        tmp_path,
        HEADER
        + "1.03.10,Program Jalan,PUPR-Hub,,,,\n"
        + ",Program Tanpa Kode,Dinas,,,,\n"
        + "1.03.10,Program Ganda,Dinas,,,,\n"
        + "3.27.02,Program Tani,,,,,\n",
    )
    programs, errors = validate_programs(read_table(path))
    with use_locale("id"):
        messages = [str(error) for error in errors]
    assert [error.row for error in errors] == [3, 4, 5]
    assert messages[0] == "Baris 3: kolom code kosong"
    assert "sudah ada di baris 2" in messages[1]
    assert messages[2] == "Baris 5: kolom opd kosong"
    assert len(programs) == 1


def test_validate_programs_reports_missing_columns(tmp_path):
    path = write(tmp_path, "kode,opd\n1.03.10,PUPR\n")
    programs, errors = validate_programs(read_table(path))
    assert programs == []
    assert errors[0].row == 1


def test_read_table_reads_xlsx(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Kode", "Nama Program", "OPD"])
    sheet.append(["2.19.03", "Program Olahraga", "Dispora"])
    path = tmp_path / "rpjmd.xlsx"
    workbook.save(path)
    programs, errors = validate_programs(read_table(path))
    assert errors == []
    assert programs[0].name == "Program Olahraga"


def test_read_table_refuses_other_files(tmp_path):
    with pytest.raises(ImportFileError):
        read_table(write(tmp_path, "x", name="rpjmd.txt"))
    with pytest.raises(ImportFileError):
        read_table(tmp_path / "missing.csv")


def test_validate_regions_checks_level_and_parent(tmp_path):
    path = write(
        tmp_path,
        "code,name,level,parent_code,alt_names\n"
        "17.07.09,Tubei,kecamatan,17.07,Pelabai\n"
        "17.07.09.2008,Pelabai,desa,17.07.09,\n"
        "17.07.99.2001,Entah,dusun,17.07.99,\n",
    )
    regions, errors = validate_regions(read_table(path), known_codes={"17.07"})
    assert [r.code for r in regions] == ["17.07.09", "17.07.09.2008"]
    assert [e.row for e in errors] == [4, 4]
