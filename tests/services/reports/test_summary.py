"""The whole summary of the hand-built database: message, workbook and chart."""

from __future__ import annotations

import asyncio
import csv
import io
import os
import shutil
import subprocess
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from PIL import Image

from models.db import session_scope
from services.reports.chart import chart_size
from services.reports.splitting import TELEGRAM_TEXT_LIMIT, telegram_length
from services.reports.summary import Summary, build_daily_summary
from tests.services.reports.conftest import (
    CONSENTED_ID,
    CONSENTED_NAME,
    DAY,
    LONG_PROBLEM,
    LONG_TITLE,
    PHONE,
    PUPR,
    UNCONSENTED_ID,
    Known,
)
from tests.services.reports.helpers import assert_telegram_html, read_sheets

if TYPE_CHECKING:
    from pathlib import Path

    from sqlalchemy.ext.asyncio import AsyncEngine

    from core.config import Settings

WIB = ZoneInfo("Asia/Jakarta")
# Excel has no time zones: the cell holds the local (WIB) wall time of 02:00 UTC.
NINE_WIB_NAIVE = datetime(2026, 11, 20, 2, 0, tzinfo=UTC).astimezone(WIB).replace(tzinfo=None)
PROPOSAL_HEADERS = [
    "Kode lacak",
    "Tanggal (waktu setempat)",
    "Kecamatan",
    "Desa/kelurahan",
    "Bidang",
    "Usulan",
    "Masalah",
    "Lokasi",
    "Koordinat",
    "Volume",
    "Satuan",
    "Penerima manfaat",
    "Satuan penerima manfaat",
    "Perkiraan biaya (Rp)",
    "Tingkat urgensi",
    "Kode program RPJMD",
    "Program RPJMD",
    "OPD",
    "Skor kecocokan",
    "Status",
    "Peringkat",
    "Pendukung",
    "Skor prioritas",
    "Poin urgensi",
    "Poin penerima manfaat",
    "Poin pendukung",
    "Poin peringkat",
    "Poin kecocokan program",
    "Diajukan sebagai",
    "Pengusul (dengan persetujuan)",
]


@pytest.fixture
async def summary(engine: AsyncEngine, settings: Settings, hand_built: Known) -> Summary:
    async with session_scope(engine) as session:
        return await build_daily_summary(session, DAY, settings, "id")


async def test_summary_message_fits_telegram_and_keeps_html_whole(summary: Summary) -> None:
    assert summary.parts
    for part in summary.parts:
        assert telegram_length(part) <= TELEGRAM_TEXT_LIMIT
        assert_telegram_html(part)


async def test_summary_message_states_totals_and_news_in_indonesian(summary: Summary) -> None:
    text = "\n".join(summary.parts)
    for line in [
        "📊 <b>Ringkasan Musrenbang, Kabupaten Lebong</b>",
        "Senin, 30 November 2026, 07.00 WIB",
        "⏰ <b>Musrenbang Desa 2027</b> ditutup <b>15 hari lagi</b>, "
        "Selasa, 15 Desember 2026, 23.59 WIB.",
        "<b>Jumlah usulan: 7</b>, dari 3 desa/kelurahan (seluruhnya 4)",
        "• Diajukan: 2",
        "• Diverifikasi desa/kelurahan: 2",
        "• Dikembalikan ke pengusul: 1",
        "• Ditolak: 1",
        "• Digabung dengan usulan serupa: 1",
        "👍 Dukungan warga: 12",
        "<b>Baru sejak Minggu, 29 November 2026, 07.00 WIB</b>",
        "➕ Usulan baru: 1",
        "👍 Dukungan baru: 2",
        "✅ Diverifikasi: 1",
        "↩️ Dikembalikan: 1",
        "⛔ Ditolak: 1",
        "🔗 Digabung: 1",
    ]:
        assert line in text.split("\n"), line


async def test_summary_message_lists_kecamatan_priorities_opd_and_gaps(summary: Summary) -> None:
    lines = "\n".join(summary.parts).split("\n")
    for line in [
        "• Lebong Utara: <b>5</b> (🏗 2 · 🌾 2 · 🤝 1)",
        "• Topos: belum ada usulan",
        "<b>Lebong Utara</b>",
        "🏗 <b>100</b> Perbaikan jalan usaha tani (Talang Ulu)",
        "🏗 <b>57,7</b> Perbaikan jalan usaha tani desa (Gandung)",
        "🌾 <b>65</b> Revitalisasi pasar desa (Gandung)",
        "🌾 <b>0</b> Bantuan bibit kopi ☕ arabika (Talang Ulu)",
        "Belum ada usulan terbuka di: Topos",
        f"1. {PUPR}: <b>2</b>",
        "1. 1.03.10 Penyelenggaraan Jalan: <b>2</b>",
        "🧭 <b>Program RPJMD belum pasti: 2 usulan</b>",
        "👯 <b>Kemungkinan duplikat antardesa: 1 kelompok</b>",
        "🔇 <b>Desa/kelurahan yang belum mengusulkan: 1 dari 4</b>",
        "• <b>Topos</b>: Ajai Siang",
        "⏳ <b>2 usulan menunggu pemeriksaan lurah</b>, di:",
        "• Gandung (Lebong Utara): 1",
        "• Talang Ulu (Lebong Utara): 1",
    ]:
        assert line in lines, line
    assert not any(LONG_TITLE[:40] in line for line in lines)


async def test_summary_workbook_lists_every_submitted_proposal_in_sipd_columns(
    summary: Summary, known: Known
) -> None:
    sheets = read_sheets(summary.workbook_xlsx)
    header, *rows = sheets["Usulan"]
    assert list(header) == PROPOSAL_HEADERS
    assert [row[0] for row in rows] == [
        known.dance,
        known.market,
        known.rejected_road,
        known.second_road,
        known.merged_hall,
        known.coffee,
        known.best_road,
    ]
    best = dict(zip(PROPOSAL_HEADERS, rows[-1], strict=True))
    assert best == {
        "Kode lacak": known.best_road,
        "Tanggal (waktu setempat)": NINE_WIB_NAIVE,
        "Kecamatan": "Lebong Utara",
        "Desa/kelurahan": "Talang Ulu",
        "Bidang": "Infrastruktur",
        "Usulan": "Perbaikan jalan usaha tani",
        "Masalah": "Jalan rusak parah saat hujan",
        "Lokasi": "RT 02, depan SD",
        "Koordinat": "-3.100000, 102.200000",
        "Volume": 2.5,
        "Satuan": "km",
        "Penerima manfaat": 999,
        "Satuan penerima manfaat": "jiwa",
        "Perkiraan biaya (Rp)": 750_000_000,
        "Tingkat urgensi": "Sangat mendesak",
        "Kode program RPJMD": "1.03.10",
        "Program RPJMD": "Penyelenggaraan Jalan",
        "OPD": PUPR,
        "Skor kecocokan": 0.8,
        "Status": "Diverifikasi desa/kelurahan",
        "Peringkat": 1,
        "Pendukung": 10,
        "Skor prioritas": 100,
        "Poin urgensi": 30,
        "Poin penerima manfaat": 25,
        "Poin pendukung": 20,
        "Poin peringkat": 15,
        "Poin kecocokan program": 10,
        "Diajukan sebagai": "Warga",
        "Pengusul (dengan persetujuan)": CONSENTED_NAME,
    }
    by_code = {row[0]: dict(zip(PROPOSAL_HEADERS, row, strict=True)) for row in rows}
    assert by_code[known.second_road]["Pengusul (dengan persetujuan)"] is None
    assert by_code[known.second_road]["Skor prioritas"] == 57.7
    assert by_code[known.market]["Diajukan sebagai"] == "Lurah / kepala desa"
    assert by_code[known.merged_hall]["Usulan"] == LONG_TITLE
    assert by_code[known.merged_hall]["Masalah"] == LONG_PROBLEM


async def test_summary_workbook_has_real_local_dates_frozen_header_and_filter(
    summary: Summary,
) -> None:
    sheet = load_workbook(io.BytesIO(summary.workbook_xlsx))["Usulan"]
    date_cell = sheet["B8"]
    assert date_cell.is_date
    assert date_cell.value.replace(tzinfo=WIB) == datetime(2026, 11, 20, 9, 0, tzinfo=WIB)
    assert date_cell.number_format == "dd/mm/yyyy hh:mm"
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:AD8"
    assert sheet.column_dimensions["F"].width > 40
    assert sheet.column_dimensions["A"].width > 12


async def test_summary_workbook_has_a_sheet_per_summary_table(
    summary: Summary, known: Known
) -> None:
    sheets = read_sheets(summary.workbook_xlsx)
    assert list(sheets) == [
        "Usulan",
        "Belum cocok",
        "Kecamatan x bidang",
        "Prioritas",
        "Per OPD",
        "Per program",
        "Kemungkinan duplikat",
        "Belum mengusulkan",
        "Belum diverifikasi",
        "Skor prioritas",
    ]
    assert [row[0] for row in sheets["Belum cocok"][1:]] == [known.dance, known.coffee]
    assert sheets["Kecamatan x bidang"] == [
        ("Kecamatan", "Infrastruktur", "Ekonomi", "Sosial budaya", "Jumlah"),
        ("Lebong Utara", 2, 2, 1, 5),
        ("Topos", 0, 0, 0, 0),
    ]
    assert [row[2:4] + row[7:8] for row in sheets["Prioritas"][1:]] == [
        (1, known.best_road, 100),
        (2, known.second_road, 57.7),
        (1, known.market, 65),
        (2, known.coffee, 0),
    ]
    assert sheets["Per OPD"][1] == (PUPR, 2)
    assert sheets["Per program"][1] == ("1.03.10", "Penyelenggaraan Jalan", PUPR, 2)
    assert {row[3] for row in sheets["Kemungkinan duplikat"][1:]} == {
        known.best_road,
        known.second_road,
    }
    assert sheets["Belum mengusulkan"][1:] == [("Topos", "Ajai Siang", "17.07.06.2001")]
    assert sorted(row[1:] for row in sheets["Belum diverifikasi"][1:]) == [
        ("Gandung", "17.07.01.2002", 1),
        ("Talang Ulu", "17.07.01.2007", 1),
    ]
    rules = sheets["Skor prioritas"]
    assert [row[2] for row in rules[1:]] == [30, 25, 20, 15, 10, 100]


async def test_summary_workbook_holds_no_phone_number_or_telegram_id(summary: Summary) -> None:
    cells = [
        str(value)
        for rows in read_sheets(summary.workbook_xlsx).values()
        for row in rows
        for value in row
        if value is not None
    ]
    for secret in (PHONE, str(CONSENTED_ID), str(UNCONSENTED_ID), "Budi Tanpa Izin"):
        assert not any(secret in cell for cell in cells), secret


async def test_summary_chart_is_a_png_of_the_expected_size(summary: Summary) -> None:
    image = Image.open(io.BytesIO(summary.chart_png))
    image.load()
    assert image.format == "PNG"
    assert image.size == chart_size(2)
    assert summary.chart_caption == "Usulan per kecamatan, Senin, 30 November 2026, 07.00 WIB"
    assert summary.chart_filename == "ringkasan-musrenbang-2026-11-30.png"
    assert summary.workbook_filename == "ringkasan-musrenbang-2026-11-30.xlsx"


@pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed"
)
async def test_summary_workbook_opens_in_libreoffice(
    summary: Summary, known: Known, tmp_path: Path
) -> None:
    book = tmp_path / summary.workbook_filename
    book.write_bytes(summary.workbook_xlsx)
    converted = await asyncio.to_thread(
        subprocess.run,
        ["soffice", "--headless", "--convert-to", "csv", "--outdir", str(tmp_path), str(book)],
        capture_output=True,
        timeout=120,
        check=False,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    assert converted.returncode == 0, converted.stderr
    with (tmp_path / f"{book.stem}.csv").open(newline="", encoding="utf-8") as handle:
        header, *rows = list(csv.reader(handle))
    assert header == PROPOSAL_HEADERS
    assert [row[0] for row in rows][-1] == known.best_road
    assert rows[-1][-1] == CONSENTED_NAME
