"""Bappeda's hand-made matches: store them and read them back as matcher evidence."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlmodel import col, select

from models.catalogue import MatchCorrection
from services.matching.catalogue import CorrectionEvidence

if TYPE_CHECKING:
    from sqlmodel.ext.asyncio.session import AsyncSession

    from services.matching.rank import Matcher


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


async def record_correction(
    session: AsyncSession,
    matcher: Matcher,
    *,
    text: str,
    program_code: str,
    proposal_id: int | None = None,
    corrected_by: int | None = None,
) -> MatchCorrection:
    """Store a correction and teach the running matcher at once."""
    row = await save_correction(
        session,
        text=text,
        program_code=program_code,
        proposal_id=proposal_id,
        corrected_by=corrected_by,
    )
    matcher.add_correction(CorrectionEvidence(text=text, program_code=program_code))
    return row


async def list_corrections(session: AsyncSession) -> list[CorrectionEvidence]:
    """Return every stored correction as matcher evidence, oldest first."""
    result = await session.exec(select(MatchCorrection).order_by(col(MatchCorrection.id)))
    return [CorrectionEvidence(text=row.text, program_code=row.program_code) for row in result]
