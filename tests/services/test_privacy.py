"""Deleting a person's data: the person goes, their proposals stay without them."""

from datetime import UTC, datetime

from models.db import session_scope
from models.enums import Status
from models.proposals import Proposal, StatusChange, Supporter, status_history
from services.lifecycle import change_status
from services.privacy import anonymise_person
from tests.proposal_factories import add_proposal, add_regions, add_supporters

NOW = datetime(2024, 2, 1, 3, 0, tzinfo=UTC)


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
