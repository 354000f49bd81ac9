from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from core.i18n import use_locale
from models.db import session_scope
from models.enums import Status
from models.proposals import Proposal, StatusChange, Supporter
from services.lifecycle import (
    ALLOWED_MOVES,
    StatusChangeError,
    anonymise_person,
    change_status,
    count_supporters,
    find_by_code,
    list_user_proposals,
    local_time,
    region_names,
    status_history,
    status_label,
)
from tests.proposal_factories import DESA, add_proposal, add_regions, add_supporters

NOW = datetime(2024, 2, 1, 3, 0, tzinfo=UTC)
LURAH = 9001


def test_every_status_has_an_indonesian_label():
    with use_locale("id"):
        labels = {status: status_label(status) for status in Status}
    assert labels[Status.DIAJUKAN] == "Diajukan"
    assert labels[Status.DIKEMBALIKAN] == "Dikembalikan ke pengusul"
    assert labels[Status.DIAKOMODIR] == "Diakomodasi"
    assert len(set(labels.values())) == len(Status)


def test_every_status_has_its_moves_declared():
    assert set(ALLOWED_MOVES) == set(Status)


async def test_change_status_moves_the_proposal_and_writes_the_audit_row(engine):
    async with session_scope(engine) as session:
        await add_regions(session)
        proposal = await add_proposal(session, proposer_id=5001)
        change = await change_status(
            session, proposal, Status.DIVERIFIKASI, by=LURAH, note=" cocok ", now=NOW
        )
        proposal_id = proposal.id
    assert change.id is not None
    async with session_scope(engine) as session:
        stored = await session.get(Proposal, proposal_id)
        history = await status_history(session, proposal_id)
    assert stored.status == Status.DIVERIFIKASI
    assert local_time(stored.updated_at, UTC) == NOW
    last = history[-1]
    assert (last.from_status, last.to_status) == (Status.DIAJUKAN, Status.DIVERIFIKASI)
    assert (last.changed_by, last.note) == (LURAH, "cocok")
    assert local_time(last.created_at, UTC) == NOW


def test_local_time_reads_naive_times_as_utc():
    wib = ZoneInfo("Asia/Jakarta")
    assert local_time(datetime(2024, 1, 15, 2, 30), wib).hour == 9  # noqa: DTZ001
    assert local_time(datetime(2024, 1, 15, 2, 30, tzinfo=UTC), wib).hour == 9


async def test_change_status_refuses_a_move_the_process_does_not_allow(engine):
    async with session_scope(engine) as session:
        await add_regions(session)
        proposal = await add_proposal(session)
        with pytest.raises(StatusChangeError):
            await change_status(session, proposal, Status.DIAKOMODIR, by=LURAH, note="", now=NOW)
        with pytest.raises(StatusChangeError):
            await change_status(session, proposal, Status.DIAJUKAN, by=LURAH, note="", now=NOW)
        assert proposal.status == Status.DIAJUKAN


async def test_change_status_allows_a_bappeda_correction(engine):
    async with session_scope(engine) as session:
        await add_regions(session)
        proposal = await add_proposal(session, status=Status.DITOLAK)
        change = await change_status(
            session, proposal, Status.DIAJUKAN, by=1, note="salah input", now=NOW, correction=True
        )
    assert change.from_status == Status.DITOLAK


@pytest.mark.parametrize("status", [Status.DIKEMBALIKAN, Status.DITOLAK])
async def test_change_status_needs_a_note_to_return_or_reject(engine, status):
    async with session_scope(engine) as session:
        await add_regions(session)
        proposal = await add_proposal(session)
        with pytest.raises(StatusChangeError):
            await change_status(session, proposal, status, by=LURAH, note="  ", now=NOW)


async def test_list_user_proposals_returns_only_theirs_newest_first(engine):
    async with session_scope(engine) as session:
        await add_regions(session)
        old = await add_proposal(session, proposer_id=5001, created_at=NOW - timedelta(days=2))
        new = await add_proposal(session, proposer_id=5001, created_at=NOW)
        await add_proposal(session, proposer_id=7002)
        proposals = await list_user_proposals(session, 5001)
    assert [proposal.id for proposal in proposals] == [new.id, old.id]


async def test_find_by_code_finds_the_exact_code_only(engine):
    async with session_scope(engine) as session:
        await add_regions(session)
        proposal = await add_proposal(session, tracking_code="LBG-24-7K3QX")
        assert (await find_by_code(session, "LBG-24-7K3QX")).id == proposal.id
        assert await find_by_code(session, "LBG-24-7K3QY") is None


async def test_status_history_is_oldest_first(engine):
    async with session_scope(engine) as session:
        await add_regions(session)
        proposal = await add_proposal(session)
        await change_status(session, proposal, Status.DIVERIFIKASI, by=LURAH, note="", now=NOW)
        await change_status(
            session,
            proposal,
            Status.DIBAHAS_KECAMATAN,
            by=LURAH,
            note="",
            now=NOW + timedelta(days=1),
        )
        history = await status_history(session, proposal.id)
    assert [change.to_status for change in history] == [
        Status.DIAJUKAN,
        Status.DIVERIFIKASI,
        Status.DIBAHAS_KECAMATAN,
    ]


async def test_count_supporters_counts_zero_too(engine):
    async with session_scope(engine) as session:
        await add_regions(session)
        supported = await add_proposal(session)
        lonely = await add_proposal(session)
        await add_supporters(session, supported, [1, 2, 3])
        counts = await count_supporters(session, [supported.id, lonely.id])
    assert counts == {supported.id: 3, lonely.id: 0}


async def test_region_names_maps_codes_to_names(engine):
    async with session_scope(engine) as session:
        await add_regions(session)
        assert await region_names(session, [DESA, "99"]) == {DESA: "Talang Ulu"}


async def test_anonymise_person_unlinks_them_and_keeps_the_rows(engine):
    async with session_scope(engine) as session:
        await add_regions(session)
        own = await add_proposal(session, proposer_id=5001)
        other = await add_proposal(session, proposer_id=7002)
        await add_supporters(session, other, [5001, 8003])
        await change_status(session, own, Status.DITARIK, by=5001, note="", now=NOW)
        result = await anonymise_person(session, 5001)
        own_id, other_id = own.id, other.id
    assert (result.proposals, result.supports, result.status_changes) == (1, 1, 2)
    async with session_scope(engine) as session:
        assert (await session.get(Proposal, own_id)).proposer_id is None
        assert (await session.get(Proposal, other_id)).proposer_id == 7002
        supporters = (await session.exec(Supporter.__table__.select())).all()
        changes = await status_history(session, own_id)
    assert sorted(row.user_id or 0 for row in supporters) == [0, 8003]
    assert all(change.changed_by is None for change in changes)
    assert isinstance(changes[0], StatusChange)
