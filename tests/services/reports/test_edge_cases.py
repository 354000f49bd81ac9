"""The summary still reads well and the workbook opens: empty, tiny and long cases."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from openpyxl import load_workbook
from PIL import Image
from sqlmodel import select

from models.db import session_scope
from models.enums import Bidang, RegionLevel, Urgency
from models.regions import Region
from services.reports.splitting import TELEGRAM_TEXT_LIMIT, telegram_length
from services.reports.summary import Summary, build_summary
from tests.proposal_factories import add_proposal
from tests.services.reports.helpers import assert_telegram_html, read_sheets

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine

    from core.config import Settings

UNTIL = datetime(2026, 11, 30, 0, 0, tzinfo=UTC)
NOISY_TITLE = ("Jalan <rusak> & licin 🚧 menuju sawah, kebun dan sekolah " * 4)[:200]


async def summarise(engine: AsyncEngine, settings: Settings) -> Summary:
    async with session_scope(engine) as session:
        return await build_summary(session, until=UNTIL, settings=settings, locale="id")


def assert_readable(summary: Summary) -> None:
    for part in summary.parts:
        assert telegram_length(part) <= TELEGRAM_TEXT_LIMIT
        assert_telegram_html(part)
    assert Image.open(io.BytesIO(summary.chart_png)).format == "PNG"
    load_workbook(io.BytesIO(summary.workbook_xlsx))


async def test_summary_of_an_empty_database_says_so(engine: AsyncEngine, settings: Settings):
    summary = await summarise(engine, settings)

    assert_readable(summary)
    [text] = summary.parts
    assert "<b>Belum ada usulan yang masuk.</b>" in text
    assert "Belum ada kecamatan di basis data." in text
    assert "Belum ada desa atau kelurahan di basis data." in text
    sheets = read_sheets(summary.workbook_xlsx)
    assert [len(rows) for rows in sheets.values()][:9] == [1] * 9


async def test_summary_without_proposals_lists_every_village_as_not_heard(
    engine: AsyncEngine, settings: Settings, regions: None
):
    summary = await summarise(engine, settings)

    assert_readable(summary)
    text = "\n".join(summary.parts)
    assert "• Pinang Belapis: belum ada usulan" in text
    assert "🔇 <b>Desa/kelurahan yang belum mengusulkan: 104 dari 104</b>" in text
    assert "Belum ada usulan terbuka di: Lebong Utara, Lebong Atas" in text
    assert len(read_sheets(summary.workbook_xlsx)["Belum mengusulkan"]) == 105


async def test_summary_of_one_proposal(engine: AsyncEngine, settings: Settings, regions: None):
    async with session_scope(engine) as session:
        await add_proposal(session, title="Sumur bor 💧", beneficiaries=40)

    summary = await summarise(engine, settings)

    assert_readable(summary)
    text = "\n".join(summary.parts)
    assert "<b>Jumlah usulan: 1</b>, dari 1 desa/kelurahan (seluruhnya 104)" in text
    assert "🏗 <b>13,4</b> Sumur bor 💧 (Talang Ulu)" in text
    assert len(read_sheets(summary.workbook_xlsx)["Usulan"]) == 2


async def test_summary_of_long_emoji_titles_everywhere_splits_between_blocks(
    engine: AsyncEngine, settings: Settings, regions: None
):
    async with session_scope(engine) as session:
        kecamatan = (
            await session.exec(select(Region).where(Region.level == RegionLevel.KECAMATAN))
        ).all()
        for region in kecamatan:
            desa = (
                await session.exec(select(Region).where(Region.parent_code == region.code))
            ).first()
            for bidang in Bidang:
                for urgency in Urgency:
                    await add_proposal(
                        session,
                        kecamatan_code=region.code,
                        desa_code=desa.code,
                        bidang=bidang,
                        urgency=urgency,
                        title=NOISY_TITLE,
                        problem="🚧" * 1000,
                    )

    summary = await summarise(engine, settings)

    assert_readable(summary)
    assert len(summary.parts) >= 3
    shown = "</b> Jalan &lt;rusak&gt; &amp; licin 🚧 menuju sawah, kebun dan sekolah Jal… ("
    checked = set()
    for part in summary.parts:
        for block in part.split("\n\n"):
            heading, *items = block.split("\n")
            if heading in {"<b>Lebong Utara</b>", "<b>Pinang Belapis</b>"}:
                checked.add(heading)
                assert len(items) == 9
                assert all(shown in item for item in items)
    assert len(checked) == 2
    rows = read_sheets(summary.workbook_xlsx)["Usulan"][1:]
    assert len(rows) == 12 * 9
    assert rows[0][5] == NOISY_TITLE
    assert rows[0][6] == "🚧" * 1000
