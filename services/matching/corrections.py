"""Bappeda's hand-made matches: store them and read them back as matcher evidence."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlmodel import col, select

from models.catalogue import MatchCorrection
from services.matching.catalogue import CorrectionEvidence

if TYPE_CHECKING:
    from sqlmodel.ext.asyncio.session import AsyncSession


async def save_correction(
    session: AsyncSession,
    *,
    text: str,
    program_code: str,
    proposal_id: int | None = None,
    corrected_by: int | None = None,
) -> MatchCorrection:
    """Add a correction row; the caller's transaction commits it."""
    row = MatchCorrection(
        proposal_id=proposal_id, text=text, program_code=program_code, corrected_by=corrected_by
    )
    session.add(row)
    await session.flush()
    return row


async def list_corrections(session: AsyncSession) -> list[CorrectionEvidence]:
    """Return every stored correction as matcher evidence, oldest first."""
    return [evidence for _id, evidence in await corrections_after(session, 0)]


async def corrections_after(
    session: AsyncSession, after: int
) -> list[tuple[int, CorrectionEvidence]]:
    """Return the corrections whose id is above `after`, with their ids, oldest first."""
    result = await session.exec(
        select(MatchCorrection)
        .where(col(MatchCorrection.id) > after)
        .order_by(col(MatchCorrection.id))
    )
    return [
        (row.id or 0, CorrectionEvidence(text=row.text, program_code=row.program_code))
        for row in result
    ]
