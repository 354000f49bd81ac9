"""The proposal queries: a person's proposals, a code, the history, the supporters."""

from datetime import UTC, datetime, timedelta

from models.db import session_scope
from models.enums import Status
from models.proposals import count_supporters, find_by_code, list_user_proposals, status_history
from services.lifecycle import change_status
from tests.proposal_factories import add_proposal, add_regions, add_supporters

NOW = datetime(2024, 2, 1, 3, 0, tzinfo=UTC)
LURAH = 9001


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
