"""`musrenbang summary`: the same message, chart and workbook written to a folder."""

from __future__ import annotations

import asyncio
import io
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook
from PIL import Image

from bot.cli import main
from models.db import create_engine_from_url, session_scope
from tests.proposal_factories import add_proposal


@pytest.fixture
def cli_database(tmp_path, monkeypatch) -> str:
    url = f"sqlite:///{tmp_path / 'summary.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    assert main(["db", "upgrade"]) == 0
    return url


async def _add_proposal(url: str) -> None:
    engine = create_engine_from_url(url)
    try:
        async with session_scope(engine) as session:
            await add_proposal(session, created_at=datetime(2026, 11, 2, 1, tzinfo=UTC))
    finally:
        await engine.dispose()


def test_summary_writes_message_chart_and_workbook_of_a_day(cli_database, tmp_path, capsys):
    asyncio.run(_add_proposal(cli_database))
    out = tmp_path / "ringkasan"

    assert main(["summary", "--date", "2026-11-03", "--out", str(out)]) == 0

    stem = "ringkasan-musrenbang-2026-11-03"
    message = (out / f"{stem}.txt").read_text()
    assert message.startswith("📊 <b>Ringkasan Musrenbang, Kabupaten Lebong</b>\n")
    assert "Selasa, 3 November 2026, 07.00 WIB" in message
    assert "<b>Jumlah usulan: 1</b>, dari 1 desa/kelurahan (seluruhnya 104)" in message
    assert "<b>Baru sejak Senin, 2 November 2026, 07.00 WIB</b>" in message
    assert "➕ Usulan baru: 1" in message
    assert Image.open(out / f"{stem}.png").format == "PNG"
    sheet = load_workbook(io.BytesIO((out / f"{stem}.xlsx").read_bytes()))["Usulan"]
    assert sheet.max_row == 2
    assert sheet["F2"].value == "Perbaikan jalan usaha tani"
    printed = capsys.readouterr().out.split()
    assert printed == [str(out / f"{stem}{suffix}") for suffix in (".txt", ".png", ".xlsx")]


def test_summary_refuses_a_malformed_or_future_date(cli_database, tmp_path, capsys):
    assert main(["summary", "--date", "30-11-2026", "--out", str(tmp_path)]) == 2
    assert "2026-11-30" in capsys.readouterr().out
    assert main(["summary", "--date", "2999-01-01", "--out", str(tmp_path)]) == 2
    assert "future" in capsys.readouterr().out
    assert list(tmp_path.glob("ringkasan-*")) == []
