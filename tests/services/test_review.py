"""Merging duplicates, ranking and the forum order of a village's proposals."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from models.db import session_scope
from models.enums import Role, Status, Urgency
from models.outbox import Outbox
from models.proposals import Proposal, Supporter
from services.review import (
    DESA_RANK,
    ReviewError,
    apply_ranking,
    by_priority,
    merge_duplicate,
    order_merge_targets,
)
from tests.proposal_factories import (
    OTHER_DESA,
    SUBMITTED_AT,
    add_proposal,
    add_regions,
    add_supporters,
)
from tests.role_factories import add_person

NOW = datetime(2024, 2, 1, 3, 0, tzinfo=UTC)
LURAH, FIRST, SECOND, FAN, BOTH = 9001, 5001, 5002, 5003, 5004


async def test_a_duplicate_joins_the_other_proposal_with_its_supporters(engine):
    async with session_scope(engine) as session:
        await add_regions(session)
        for person in (FIRST, SECOND, FAN, BOTH):
            await add_person(session, person)
        target = await add_proposal(session, proposer_id=FIRST, title="Aspal jalan dusun 2")
        duplicate = await add_proposal(session, proposer_id=SECOND, title="Jalan dusun 2 rusak")
        await add_supporters(session, target, [BOTH])
        await add_supporters(session, duplicate, [FAN, BOTH, FIRST])
        moved = await merge_duplicate(
            session, duplicate, target, by=LURAH, by_role=Role.LURAH, now=NOW
        )
        ids = target.id, duplicate.id
    assert moved == 2  # FAN, and the duplicate's proposer; BOTH and FIRST were already there
    async with session_scope(engine) as session:
        target = await session.get(Proposal, ids[0])
        duplicate = await session.get(Proposal, ids[1])
        supporters = {
            row.user_id
            for row in (
                await session.exec(select(Supporter).where(Supporter.proposal_id == ids[0]))
            ).all()
        }
        told = {
            row.recipient_id: row.payload for row in (await session.exec(select(Outbox))).all()
        }
    assert (duplicate.status, duplicate.merged_into_id) == (Status.DIGABUNG, ids[0])
    assert supporters == {BOTH, FAN, SECOND}
    assert set(told) == {SECOND, FAN, BOTH, FIRST}
    assert told[SECOND]["merged_into"] == target.tracking_code
    assert told[SECOND]["relation"] == "proposer"


async def test_a_duplicate_stays_in_its_desa_and_needs_an_open_target(engine):
    async with session_scope(engine) as session:
        await add_regions(session)
        duplicate = await add_proposal(session)
        elsewhere = await add_proposal(session, desa_code=OTHER_DESA)
        rejected = await add_proposal(session, status=Status.DITOLAK)
        for target in (duplicate, elsewhere, rejected):
            with pytest.raises(ReviewError):
                await merge_duplicate(
                    session, duplicate, target, by=LURAH, by_role=Role.LURAH, now=NOW
                )
        assert duplicate.status == Status.DIAJUKAN
        assert order_merge_targets(duplicate, [duplicate, elsewhere, rejected]) == []


def _proposal(number: int, **fields) -> Proposal:
    values = {
        "id": number,
        "tracking_code": f"LBG-24-AAAA{number}",
        "kecamatan_code": "17.07.01",
        "desa_code": "17.07.01.2007",
        "bidang": "infrastruktur",
        "title": f"Usulan {number}",
        "urgency": Urgency.BIASA,
        "created_at": SUBMITTED_AT + timedelta(days=number),
    }
    values.update(fields)
    return Proposal(**values)


def test_priority_order_is_rank_then_urgency_then_support_then_newest():
    ranked_second = _proposal(1, desa_rank=2)
    ranked_first = _proposal(2, desa_rank=1)
    very_urgent = _proposal(3, urgency=Urgency.SANGAT_MENDESAK)
    supported = _proposal(4)
    newest = _proposal(5)
    older = _proposal(6, created_at=SUBMITTED_AT)
    ordered = by_priority(
        [older, newest, supported, very_urgent, ranked_second, ranked_first],
        {4: 3},
        rank_field=DESA_RANK,
    )
    assert [item.id for item in ordered] == [2, 1, 3, 4, 5, 6]


def test_ranking_numbers_the_chosen_and_clears_the_rest():
    items = [_proposal(number, desa_rank=number) for number in (1, 2, 3)]
    ranked = apply_ranking(items, [3, 99, 1, 3], rank_field=DESA_RANK)
    assert [item.id for item in ranked] == [3, 1]
    assert [item.desa_rank for item in items] == [2, None, 1]
