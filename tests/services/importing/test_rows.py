"""Reading a CSV or XLSX table."""

import pytest
from openpyxl import Workbook

from services.importing.rows import ImportFileError, read_table
from services.importing.rpjmd import validate_programs


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


def test_read_table_refuses_other_files(tmp_path, write):
    with pytest.raises(ImportFileError):
        read_table(write("x", name="rpjmd.txt"))
    with pytest.raises(ImportFileError):
        read_table(tmp_path / "missing.csv")
