"""The small XLSX writer: a package spreadsheet programs open, with the values written."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from xml.etree import ElementTree

import pytest
from openpyxl import load_workbook

from services.reports.xlsx import (
    SheetColumn,
    Workbook,
    column_letter,
    escape_text,
    excel_serial,
)

LOCAL_NOON = datetime(2026, 11, 30, 12, 0)  # noqa: DTZ001  (a spreadsheet's wall time)


def build(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.add_sheet(
        "Usulan & 'data'",
        [
            SheetColumn(12),
            SheetColumn(10, "integer"),
            SheetColumn(17, "date"),
            SheetColumn(9, "decimal"),
            SheetColumn(14, shared=True),
        ],
    )
    sheet.append(["Teks", "Angka", "Tanggal", "Skor", "Kecamatan"], header=True)
    for row in rows:
        sheet.append(row)
    book.add_sheet("Kosong", [SheetColumn(10)], autofilter=False).append(["Judul"], header=True)
    output = io.BytesIO()
    book.save(output)
    book.discard()
    return output.getvalue()


@pytest.mark.parametrize(
    ("index", "letters"), [(0, "A"), (25, "Z"), (26, "AA"), (29, "AD"), (701, "ZZ"), (702, "AAA")]
)
def test_column_letter_counts_like_excel(index, letters):
    assert column_letter(index) == letters


def test_escape_text_escapes_markup_and_drops_what_xml_cannot_hold():
    assert escape_text("a < b & c > d") == "a &lt; b &amp; c &gt; d"
    assert escape_text("bel\x07 tab\t baris\nbaru") == "bel tab\t baris\nbaru"
    assert escape_text("🚧" * 40_000) == "🚧" * 32_767


def test_excel_serial_counts_days_from_excel_epoch():
    assert excel_serial(datetime(1900, 3, 1)) == 61  # noqa: DTZ001
    assert excel_serial(LOCAL_NOON) == 46356.5


def test_workbook_reads_back_with_values_styles_and_layout():
    content = build(
        [
            ["  spasi di depan", 1200, LOCAL_NOON, 57.66, "Lebong Utara"],
            ["Jalan <rusak> & licin 🚧", None, None, float("nan"), "Lebong Utara"],
            ["", 0, None, 0.5, "Topos"],
        ]
    )

    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["Usulan & 'data'", "Kosong"]
    sheet = book["Usulan & 'data'"]
    assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [
        ["Teks", "Angka", "Tanggal", "Skor", "Kecamatan"],
        ["  spasi di depan", 1200, LOCAL_NOON, 57.66, "Lebong Utara"],
        ["Jalan <rusak> & licin 🚧", None, None, "nan", "Lebong Utara"],
        [None, 0, None, 0.5, "Topos"],
    ]
    assert sheet["C2"].is_date
    assert sheet["C2"].number_format == "dd/mm/yyyy hh:mm"
    assert sheet["B2"].number_format == "#,##0"
    assert sheet["D2"].number_format == "0.0"
    assert sheet["A1"].font.b
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:E4"
    assert sheet.column_dimensions["A"].width == 12
    assert book["Kosong"].auto_filter.ref is None


def test_workbook_parts_are_well_formed_xml_with_shared_strings():
    content = build([["a", 1, None, None, "Amen"], ["b", 2, None, None, "Amen"]])

    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert archive.testzip() is None
        names = archive.namelist()
        for name in names:
            ElementTree.fromstring(archive.read(name))
        shared = ElementTree.fromstring(archive.read("xl/sharedStrings.xml"))
        workbook = archive.read("xl/workbook.xml").decode()
    assert names[0] == "[Content_Types].xml"
    assert shared.get("count") == "2"
    assert shared.get("uniqueCount") == "1"
    assert "'Usulan &amp; ''data'''!$A$1:$E$3" in workbook
