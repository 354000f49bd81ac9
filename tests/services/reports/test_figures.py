"""The summary's figures against the hand-built database, where every number is known."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from models.db import session_scope
from models.enums import Bidang, Status
from services.reports.figures import Figures
from services.reports.priority import PriorityParts
from services.reports.summary import build_daily_summary, build_summary
from tests.services.reports.conftest import (
    AJAI_SIANG,
    ARTS,
    DAY,
    DISDIKBUD,
    DISPERINDAG,
    GANDUNG,
    PUPR,
    ROAD,
    SINCE,
    TALANG_ULU,
    TOPOS,
    TRADE,
    UNTIL,
    UTARA,
    Known,
)

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine

    from core.config import Settings


@pytest.fixture
async def figures(engine: AsyncEngine, settings: Settings, hand_built: Known) -> Figures:
    async with session_scope(engine) as session:
        return (await build_daily_summary(session, DAY, settings, "id")).figures


async def test_figures_window_runs_from_the_previous_daily_summary(figures: Figures) -> None:
    assert (figures.window.since, figures.window.until) == (SINCE, UNTIL)


async def test_figures_count_submitted_proposals_per_status_before_the_summary(
    figures: Figures,
) -> None:
    assert figures.by_status == {
        Status.DIVERIFIKASI: 2,
        Status.DIAJUKAN: 2,
        Status.DIKEMBALIKAN: 1,
        Status.DITOLAK: 1,
        Status.DIGABUNG: 1,
    }
    assert figures.total == 7
    assert figures.supporters == 12


async def test_figures_count_what_is_new_since_the_previous_summary(figures: Figures) -> None:
    new = figures.new
    assert (new.submitted, new.supported) == (1, 2)
    assert (new.verified, new.returned, new.rejected, new.merged) == (1, 1, 1, 1)


async def test_figures_count_kecamatan_by_bidang_with_zeros_for_the_quiet_one(
    figures: Figures,
) -> None:
    utara, topos = figures.kecamatan
    assert (utara.code, utara.name) == (UTARA, "Lebong Utara")
    assert utara.by_bidang == {
        Bidang.INFRASTRUKTUR: 2,
        Bidang.EKONOMI: 2,
        Bidang.SOSIAL_BUDAYA: 1,
    }
    assert (topos.code, topos.total) == (TOPOS, 0)
    assert figures.counted == 5


async def test_figures_rank_open_proposals_by_the_transparent_score(
    figures: Figures, known: Known
) -> None:
    listed = [
        (item.kecamatan_code, item.bidang, item.place, item.tracking_code, item.parts)
        for item in figures.priorities
    ]
    assert listed == [
        (UTARA, Bidang.INFRASTRUKTUR, 1, known.best_road, PriorityParts(30, 25, 20, 15, 10)),
        (UTARA, Bidang.INFRASTRUKTUR, 2, known.second_road, PriorityParts(15, 16.7, 4, 12, 10)),
        (UTARA, Bidang.EKONOMI, 1, known.market, PriorityParts(15, 25, 0, 15, 10)),
        (UTARA, Bidang.EKONOMI, 2, known.coffee, PriorityParts(0, 0, 0, 0, 0)),
    ]
    assert [item.parts.total for item in figures.priorities] == [100, 57.7, 65, 0]
    best = figures.priorities[0]
    assert (best.title, best.desa_code, best.supporters) == (
        "Perbaikan jalan usaha tani",
        TALANG_ULU,
        10,
    )


async def test_figures_count_per_program_and_opd(figures: Figures) -> None:
    assert [(row.code, row.count, row.opd) for row in figures.by_program] == [
        (ROAD, 2, PUPR),
        (ARTS, 1, DISDIKBUD),
        (TRADE, 1, DISPERINDAG),
    ]
    assert figures.by_program[0].name == "Penyelenggaraan Jalan"
    assert [(row.opd, row.count) for row in figures.by_opd] == [
        (PUPR, 2),
        (DISDIKBUD, 1),
        (DISPERINDAG, 1),
    ]


async def test_figures_count_proposals_without_a_confident_program(figures: Figures) -> None:
    assert figures.unmatched == 2  # the coffee (no program) and the dance (score 0.4)


async def test_figures_find_the_same_road_proposed_by_two_villages(
    figures: Figures, known: Known
) -> None:
    [group] = figures.duplicates
    assert (group.kecamatan_code, group.program_code, group.villages) == (UTARA, ROAD, 2)
    assert {member.tracking_code for member in group.members} == {
        known.best_road,
        known.second_road,
    }


async def test_figures_list_silent_villages_and_unverified_backlogs(figures: Figures) -> None:
    assert [village.code for village in figures.silent_villages] == [AJAI_SIANG]
    assert len(figures.villages) == 4
    assert {(village.code, village.waiting) for village in figures.waiting_villages} == {
        (TALANG_ULU, 1),
        (GANDUNG, 1),
    }


async def test_figures_find_the_next_deadline(figures: Figures) -> None:
    assert figures.deadline is not None
    assert figures.deadline.stage == "Musrenbang Desa 2027"


async def test_figures_of_an_empty_database_are_zero(
    engine: AsyncEngine, settings: Settings
) -> None:
    async with session_scope(engine) as session:
        figures = (
            await build_summary(session, until=UNTIL, settings=settings, locale="id")
        ).figures
    assert (figures.total, figures.counted, figures.unmatched, figures.supporters) == (0, 0, 0, 0)
    assert figures.kecamatan == ()
    assert figures.priorities == figures.duplicates == figures.villages == ()
    assert figures.deadline is None
