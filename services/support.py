"""Supporting an existing proposal instead of writing a duplicate of it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from models.enums import Status
from models.proposals import Proposal, Supporter, count_supporters
from services.matching.similar import ExistingProposal, find_similar

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime

    from sqlmodel.ext.asyncio.session import AsyncSession

SHOWN_SIMILAR = 3
CLOSED_STATUSES = (Status.DITARIK, Status.DITOLAK, Status.DIGABUNG, Status.DRAF)


@dataclass(frozen=True)
class SimilarProposal:
    """An open proposal the person may support instead, as it stands now."""

    id: int
    tracking_code: str
    title: str
    supporters: int
    status: Status
    own: bool
    supported: bool = False


async def similar_in_desa(
    session: AsyncSession, *, desa_code: str, title: str, program_code: str | None
) -> list[int]:
    """Return the ids of open proposals of the desa that look like `title`, most similar first."""
    proposals = await _open_proposals(session, Proposal.desa_code == desa_code)
    existing = [
        ExistingProposal(
            id=proposal.id or 0,
            tracking_code=proposal.tracking_code,
            title=proposal.title,
            program_code=proposal.program_code,
        )
        for proposal in proposals
    ]
    found = find_similar(title, existing, program_code=program_code, limit=SHOWN_SIMILAR)
    return [match.id for match in found]


async def describe_similar(
    session: AsyncSession, ids: Sequence[int], *, user_id: int
) -> list[SimilarProposal]:
    """Return the proposals behind `ids` that are still open, with today's supporter counts.

    The person's own proposals are marked `own`: shown as a reminder, not to support; those
    they already support are marked `supported`.
    """
    by_id = {p.id: p for p in await _open_proposals(session, col(Proposal.id).in_(ids))}
    counts = await count_supporters(session, list(by_id))
    supported = set(
        (
            await session.exec(
                select(Supporter.proposal_id).where(
                    col(Supporter.proposal_id).in_(list(by_id)), Supporter.user_id == user_id
                )
            )
        ).all()
    )
    return [
        SimilarProposal(
            id=proposal_id,
            tracking_code=proposal.tracking_code,
            title=proposal.title,
            supporters=counts.get(proposal_id, 0),
            status=proposal.status,
            own=proposal.proposer_id == user_id,
            supported=proposal_id in supported,
        )
        for proposal_id in ids
        if (proposal := by_id.get(proposal_id)) is not None
    ]


async def support_proposal(
    session: AsyncSession, *, proposal_id: int, user_id: int, now: datetime
) -> bool:
    """Record the person's support; return False when they already supported it."""
    existing = await session.exec(
        select(Supporter.id).where(
            Supporter.proposal_id == proposal_id, Supporter.user_id == user_id
        )
    )
    if existing.first() is not None:
        return False
    try:
        async with session.begin_nested():
            session.add(Supporter(proposal_id=proposal_id, user_id=user_id, created_at=now))
    except IntegrityError:
        return False
    return True


async def withdraw_support(session: AsyncSession, *, proposal_id: int, user_id: int) -> bool:
    """Remove the person's support of a proposal; return False when there was none."""
    rows = (
        await session.exec(
            select(Supporter).where(
                Supporter.proposal_id == proposal_id, Supporter.user_id == user_id
            )
        )
    ).all()
    for row in rows:
        await session.delete(row)
    return bool(rows)


async def supported_by(session: AsyncSession, user_id: int) -> list[Proposal]:
    """Return the proposals the person supports, newest support first."""
    query = (
        select(Proposal)
        .join(Supporter, col(Supporter.proposal_id) == col(Proposal.id))
        .where(Supporter.user_id == user_id)
        .order_by(col(Supporter.created_at).desc(), col(Supporter.id).desc())
    )
    return list((await session.exec(query)).all())


async def _open_proposals(session: AsyncSession, condition: object) -> list[Proposal]:
    query = select(Proposal).where(condition, col(Proposal.status).not_in(CLOSED_STATUSES))
    return list((await session.exec(query)).all())
