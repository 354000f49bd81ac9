"""What the conversation asks of the rest of the bot: matches, similar proposals, support.

The matching half is services/matching/service.py; `matcher()` and `suggest_programs()` here
only forward to it until the intake calls the matching service itself.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from models.enums import Status
from models.proposals import Proposal, Supporter
from services.lifecycle import status_label
from services.matching.service import MatchingService
from services.matching.similar import ExistingProposal, find_similar

if TYPE_CHECKING:
    from datetime import datetime

    from sqlalchemy.ext.asyncio import AsyncEngine
    from sqlmodel.ext.asyncio.session import AsyncSession

    from core.config import Settings
    from services.matching.rank import Matcher
    from services.matching.service import Suggestion

logger = logging.getLogger(__name__)

SHOWN_SIMILAR = 3
CLOSED_STATUSES = (Status.DITARIK, Status.DITOLAK, Status.DIGABUNG, Status.DRAF)


@dataclass(frozen=True)
class SimilarInDesa:
    """An existing proposal in the same desa that the person may support instead."""

    id: int
    tracking_code: str
    title: str
    supporters: int
    status_label: str
    own: bool = False

    def as_dict(self) -> dict[str, Any]:
        """Return the proposal as JSON-ready data for the draft."""
        return asdict(self)


class Services:
    """Long-lived helpers shared by every update: the matching service is built once."""

    def __init__(self, settings: Settings, engine: AsyncEngine) -> None:
        self.settings = settings
        self.engine = engine
        self.matching = MatchingService(engine, version=settings.catalogue_version)

    async def matcher(self) -> Matcher:
        """Return the matcher, building it (imported RPJMD and corrections included) once."""
        return await self.matching.matcher()

    async def suggest_programs(self, text: str) -> Suggestion:
        """Return the programs to show for a proposal title."""
        return await self.matching.suggest(text)

    async def similar_in_desa(
        self,
        session: AsyncSession,
        *,
        desa_code: str,
        title: str,
        program_code: str | None,
        user_id: int,
    ) -> list[SimilarInDesa]:
        """Return open proposals of the same desa that look like this one, most similar first.

        The person's own proposals are marked `own`: shown as a reminder, not to support.
        """
        supporters = (
            select(Supporter.proposal_id, func.count().label("supporters"))
            .group_by(col(Supporter.proposal_id))
            .subquery()
        )
        rows = (
            await session.exec(
                select(Proposal, func.coalesce(supporters.c.supporters, 0))
                .outerjoin(supporters, supporters.c.proposal_id == Proposal.id)
                .where(Proposal.desa_code == desa_code)
                .where(col(Proposal.status).not_in(CLOSED_STATUSES))
            )
        ).all()
        by_id = {proposal.id: (proposal, count) for proposal, count in rows}
        existing = [
            ExistingProposal(
                id=proposal.id or 0,
                tracking_code=proposal.tracking_code,
                title=proposal.title,
                program_code=proposal.program_code,
            )
            for proposal, _count in rows
        ]
        found = find_similar(title, existing, program_code=program_code, limit=SHOWN_SIMILAR)
        result = []
        for match in found:
            proposal, count = by_id[match.id]
            result.append(
                SimilarInDesa(
                    id=match.id,
                    tracking_code=proposal.tracking_code,
                    title=proposal.title,
                    supporters=int(count),
                    status_label=status_label(proposal.status),
                    own=proposal.proposer_id == user_id,
                )
            )
        return result

    async def support_proposal(
        self, session: AsyncSession, *, proposal_id: int, user_id: int, now: datetime
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
