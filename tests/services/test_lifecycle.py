"""Status labels, the allowed moves and the move with its audit row."""

from datetime import UTC, datetime

import pytest

from core.i18n import use_locale
from models.db import session_scope
from models.enums import Status
from models.proposals import Proposal, status_history
from services.lifecycle import ALLOWED_MOVES, StatusChangeError, change_status, status_label
from tests.proposal_factories import add_proposal, add_regions

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
    assert stored.updated_at == NOW
    last = history[-1]
    assert (last.from_status, last.to_status) == (Status.DIAJUKAN, Status.DIVERIFIKASI)
    assert (last.changed_by, last.note) == (LURAH, "cocok")
    assert last.created_at == NOW


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
