"""Build the matcher once per process, from the shipped catalogue and the database."""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

from sqlmodel import col, select

from models.catalogue import Program
from services.matching.catalogue import ImportedProgram, load_catalogue, merge_imported
from services.matching.corrections import list_corrections
from services.matching.rank import Matcher

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sqlmodel.ext.asyncio.session import AsyncSession

    from services.matching.catalogue import CorrectionEvidence

logger = logging.getLogger(__name__)

_current: dict[str, Matcher] = {}


def load_matcher(
    version: str = "2024",
    *,
    imported: Sequence[ImportedProgram] = (),
    corrections: Sequence[CorrectionEvidence] = (),
) -> Matcher:
    """Build a matcher for a catalogue version, plus imported programs and corrections."""
    start = time.perf_counter()
    catalogue = merge_imported(load_catalogue(version), imported)
    matcher = Matcher(catalogue, corrections)
    logger.info(
        "matcher %s built in %.2f s (%d programs, %d imported, %d corrections)",
        version,
        time.perf_counter() - start,
        len(catalogue.programs),
        len(imported),
        len(corrections),
    )
    return matcher


def get_matcher(version: str = "2024") -> Matcher:
    """Return the process's matcher for a version, building it from shipped data if needed."""
    if version not in _current:
        _current[version] = load_matcher(version)
    return _current[version]


def set_matcher(matcher: Matcher) -> None:
    """Make `matcher` the one get_matcher() returns for its version."""
    _current[matcher.catalogue.version] = matcher


async def list_imported_programs(session: AsyncSession) -> list[ImportedProgram]:
    """Return the regency's imported RPJMD programs as plain data."""
    result = await session.exec(select(Program).order_by(col(Program.code)))
    return [
        ImportedProgram(
            code=row.code,
            name=row.name,
            opd=row.opd,
            bidang=row.bidang,
            indicator=row.indicator,
            keywords=row.keywords,
        )
        for row in result
    ]


async def load_matcher_from_db(session: AsyncSession, version: str = "2024") -> Matcher:
    """Build the matcher with the imported RPJMD and Bappeda's corrections, and keep it."""
    matcher = load_matcher(
        version,
        imported=await list_imported_programs(session),
        corrections=await list_corrections(session),
    )
    set_matcher(matcher)
    return matcher
