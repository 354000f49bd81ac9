"""change_status is the one move: audit row plus outbox rows, in the caller's transaction."""

from datetime import UTC, datetime

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from models.db import session_scope
from models.enums import Role, Status
from models.outbox import Outbox
from models.proposals import Proposal, StatusChange
from services.lifecycle import StatusChangeError, change_status
from services.status_notices import STATUS_CHANGED, notify_status_change
from tests.proposal_factories import add_proposal, add_regions, add_supporters
from tests.role_factories import add_person

NOW = datetime(2024, 2, 1, 3, 0, tzinfo=UTC)
PROPOSER, SUPPORTER, BLOCKED, GONE, LURAH = 5001, 5002, 5003, 5004, 9001


async def _proposal_with_people(session) -> Proposal:
    await add_regions(session)
    await add_person(session, PROPOSER, name="Siti")
    await add_person(session, SUPPORTER, name="Budi", language="en")
    await add_person(session, BLOCKED, name="Ani", active=False)
    await add_person(session, LURAH, name="Pak Lurah", role=Role.LURAH)
    proposal = await add_proposal(session, proposer_id=PROPOSER)
    await add_supporters(session, proposal, [SUPPORTER, BLOCKED, GONE])
    return proposal


async def _outbox(engine) -> list[Outbox]:
    async with session_scope(engine) as session:
        return list((await session.exec(select(Outbox).order_by(Outbox.id))).all())


async def test_change_status_tells_the_proposer_and_reachable_supporters(engine):
    async with session_scope(engine) as session:
        proposal = await _proposal_with_people(session)
        change = await change_status(
            session,
            proposal,
            Status.DIKEMBALIKAN,
            by=LURAH,
            by_role=Role.LURAH,
            note="Tambahkan foto",
            now=NOW,
        )
        change_id, proposal_id, code = change.id, proposal.id, proposal.tracking_code
    rows = await _outbox(engine)
    assert {row.recipient_id for row in rows} == {PROPOSER, SUPPORTER}
    assert {row.kind for row in rows} == {STATUS_CHANGED}
    by_recipient = {row.recipient_id: row for row in rows}
    assert by_recipient[PROPOSER].payload == {
        "proposal_id": proposal_id,
        "code": code,
        "from": "diajukan",
        "to": "dikembalikan",
        "note": "Tambahkan foto",
        "by_role": "lurah",
        "merged_into": None,
        "relation": "proposer",
    }
    assert by_recipient[SUPPORTER].payload["relation"] == "supporter"
    assert by_recipient[PROPOSER].dedup_key == f"status:{change_id}:{PROPOSER}"
    assert all(row.sent_at is None and row.due_at == NOW for row in rows)


async def test_change_status_stores_who_and_in_which_role(engine):
    async with session_scope(engine) as session:
        proposal = await _proposal_with_people(session)
        await change_status(
            session, proposal, Status.DIVERIFIKASI, by=LURAH, by_role=Role.LURAH, note="", now=NOW
        )
    async with session_scope(engine) as session:
        last = (await session.exec(select(StatusChange).order_by(StatusChange.id.desc()))).first()
    assert (last.changed_by, last.changed_by_role, last.to_status) == (
        LURAH,
        Role.LURAH,
        Status.DIVERIFIKASI,
    )


async def test_nobody_is_told_about_their_own_change(engine):
    async with session_scope(engine) as session:
        proposal = await _proposal_with_people(session)
        await change_status(session, proposal, Status.DITARIK, by=PROPOSER, note="", now=NOW)
    assert [row.recipient_id for row in await _outbox(engine)] == [SUPPORTER]


async def _move_then_fail(engine) -> None:
    async with session_scope(engine) as session:
        proposal = await _proposal_with_people(session)
        await change_status(session, proposal, Status.DIVERIFIKASI, by=LURAH, note="", now=NOW)
        msg = "the update failed after the move"
        raise RuntimeError(msg)


async def test_a_rolled_back_change_tells_nobody(engine):
    with pytest.raises(RuntimeError):
        await _move_then_fail(engine)
    assert await _outbox(engine) == []
    async with session_scope(engine) as session:
        assert (await session.exec(select(StatusChange))).all() == []


async def test_no_change_means_no_message(engine):
    async with session_scope(engine) as session:
        proposal = await _proposal_with_people(session)
        with pytest.raises(StatusChangeError):
            await change_status(session, proposal, Status.DIAJUKAN, by=LURAH, note="", now=NOW)
        with pytest.raises(StatusChangeError):
            await change_status(session, proposal, Status.DIAKOMODIR, by=LURAH, note="", now=NOW)
        with pytest.raises(StatusChangeError):
            await change_status(session, proposal, Status.DITOLAK, by=LURAH, note=" ", now=NOW)
    assert await _outbox(engine) == []


async def test_the_same_change_twice_is_one_message(engine):
    async with session_scope(engine) as session:
        proposal = await _proposal_with_people(session)
        change = await change_status(
            session, proposal, Status.DIVERIFIKASI, by=LURAH, note="", now=NOW
        )
        with pytest.raises(StatusChangeError):
            await change_status(session, proposal, Status.DIVERIFIKASI, by=LURAH, note="", now=NOW)
    assert sorted(row.recipient_id for row in await _outbox(engine)) == [PROPOSER, SUPPORTER]
    with pytest.raises(IntegrityError):
        await _tell_again(engine, change.id)
    assert len(await _outbox(engine)) == 2


async def _tell_again(engine, change_id: int) -> None:
    async with session_scope(engine) as session:
        change = await session.get(StatusChange, change_id)
        proposal = await session.get(Proposal, change.proposal_id)
        await notify_status_change(session, proposal, change)
        await session.flush()


async def test_a_proposer_who_deleted_their_data_is_not_told(engine):
    async with session_scope(engine) as session:
        await add_regions(session)
        proposal = await add_proposal(session, proposer_id=None)
        await change_status(session, proposal, Status.DIVERIFIKASI, by=LURAH, note="", now=NOW)
    assert await _outbox(engine) == []


async def test_merging_tells_which_proposal_it_joined(engine):
    async with session_scope(engine) as session:
        proposal = await _proposal_with_people(session)
        target = await add_proposal(session, proposer_id=None)
        proposal.merged_into_id = target.id
        await change_status(session, proposal, Status.DIGABUNG, by=LURAH, note="", now=NOW)
        target_code = target.tracking_code
    payloads = [row.payload for row in await _outbox(engine)]
    assert {payload["merged_into"] for payload in payloads} == {target_code}


async def test_a_returned_proposal_leaves_the_ranking(engine):
    async with session_scope(engine) as session:
        proposal = await _proposal_with_people(session)
        proposal.status = Status.DIVERIFIKASI
        proposal.desa_rank = 2
        await change_status(session, proposal, Status.DIKEMBALIKAN, by=LURAH, note="RAB", now=NOW)
        assert proposal.desa_rank is None
