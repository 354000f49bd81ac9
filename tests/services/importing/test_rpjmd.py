"""Checking an RPJMD program list row by row."""

from core.i18n import use_locale
from services.importing.rows import read_table
from services.importing.rpjmd import validate_programs

HEADER = "kode,nama_program,opd,indikator,target,satuan,kata_kunci\n"


def test_validate_programs_accepts_a_good_file(write):
    path = write(HEADER + "1.03.10,Program Jalan,PUPR-Hub,Jalan mantap,80,%,jalan;aspal\n")
    programs, errors = validate_programs(read_table(path))
    assert errors == []
    assert programs[0].code == "1.03.10"
    assert programs[0].keywords == "jalan;aspal"


def test_validate_programs_reports_every_bad_row_by_number_in_indonesian(write):
    path = write(
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


def test_validate_programs_reports_missing_columns(write):
    path = write("kode,opd\n1.03.10,PUPR\n")
    programs, errors = validate_programs(read_table(path))
    assert programs == []
    assert errors[0].row == 1
