"""Every submitted proposal as one flat row for the workbook, read in batches."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import func
from sqlmodel import col, select

from models.proposals import Proposal
from models.users import User
from services.reports.figures import STREAM_BATCH, confident_clause, supporter_counts
from services.reports.statuses import SUBMITTED

if TYPE_CHECKING:
    from collections.abc import AsyncIterator
    from datetime import datetime

    from sqlalchemy import Select
    from sqlmodel.ext.asyncio.session import AsyncSession


@dataclass(frozen=True, slots=True)
class ProposalRow:
    """The columns of one proposal the workbook shows; no phone number, no Telegram id.

    `proposer_name` is only filled when the proposer agreed to have their name stored.
    """

    tracking_code: str
    created_at: datetime
    kecamatan_code: str
    desa_code: str
    bidang: str
    title: str
    problem: str
    location_detail: str
    latitude: float | None
    longitude: float | None
    volume: float | None
    volume_unit: str
    volume_text: str
    estimated_cost: int | None
    beneficiaries: int | None
    beneficiaries_unit: str
    beneficiaries_text: str
    urgency: str
    program_code: str | None
    match_score: float | None
    confident: bool
    status: str
    rank: int | None  # the camat's rank when set, else the lurah's
    supporters: int
    submitted_as: str
    proposer_name: str | None


def _proposal_query(until: datetime) -> Select:
    """Return the query of the submitted proposals before `until`, by kecamatan, desa, date."""
    support = supporter_counts()
    consented = col(User.consent_at).is_not(None)
    return (
        select(
            Proposal.tracking_code,
            Proposal.created_at,
            Proposal.kecamatan_code,
            Proposal.desa_code,
            Proposal.bidang,
            Proposal.title,
            Proposal.problem,
            Proposal.location_detail,
            Proposal.latitude,
            Proposal.longitude,
            Proposal.volume,
            Proposal.volume_unit,
            Proposal.volume_text,
            Proposal.estimated_cost,
            Proposal.beneficiaries,
            Proposal.beneficiaries_unit,
            Proposal.beneficiaries_text,
            Proposal.urgency,
            Proposal.program_code,
            Proposal.match_score,
            confident_clause(),
            Proposal.status,
            func.coalesce(Proposal.kecamatan_rank, Proposal.desa_rank),
            func.coalesce(support.c.supporters, 0),
            Proposal.submitted_as,
            User.name,
        )
        .outerjoin(support, support.c.proposal_id == Proposal.id)
        .outerjoin(User, (col(User.telegram_id) == Proposal.proposer_id) & consented)
        .where(col(Proposal.created_at) < until, col(Proposal.status).in_(SUBMITTED))
        .order_by(
            col(Proposal.kecamatan_code),
            col(Proposal.desa_code),
            col(Proposal.created_at),
            col(Proposal.id),
        )
    )


async def stream_proposal_rows(
    session: AsyncSession, until: datetime
) -> AsyncIterator[list[ProposalRow]]:
    """Yield the submitted proposals before `until` in batches, by kecamatan, desa and date."""
    connection = await session.connection()
    result = await connection.stream(_proposal_query(until))
    async for batch in result.partitions(STREAM_BATCH):
        yield [ProposalRow(*row) for row in batch]
