"""What the conversation asks of the matcher: the programs that fit a proposal."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from models.db import session_scope
from services.matching.corrections import list_corrections
from services.matching.loading import get_matcher, list_imported_programs, load_matcher

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine

    from core.config import Settings
    from services.matching.rank import Matcher

logger = logging.getLogger(__name__)

SHOWN_PROGRAMS = 3


@dataclass(frozen=True)
class ProgramOption:
    """A program offered to the person, with its OPD."""

    code: str
    name: str
    opd: str
    score: float


@dataclass(frozen=True)
class ProgramSuggestion:
    """The programs to show for a proposal, and whether the best one is trustworthy.

    `rule` is the key of the authority rule that says whose business it is, if one applied.
    """

    options: tuple[ProgramOption, ...]
    confident: bool
    rule: str | None


class Services:
    """Long-lived helpers shared by every update: the matcher is built once and kept."""

    def __init__(self, settings: Settings, engine: AsyncEngine) -> None:
        self.settings = settings
        self.engine = engine
        self._matcher: Matcher | None = None
        self._loading = asyncio.Lock()

    async def matcher(self) -> Matcher:
        """Return the matcher, building it (imported RPJMD and corrections included) once."""
        if self._matcher is None:
            async with self._loading:
                if self._matcher is None:
                    self._matcher = await self._build_matcher()
        return self._matcher

    async def _build_matcher(self) -> Matcher:
        """Build off the event loop; without imports or corrections, share the process's one."""
        version = self.settings.catalogue_version
        async with session_scope(self.engine) as session:
            imported = await list_imported_programs(session)
            corrections = await list_corrections(session)
        if not imported and not corrections:
            return await asyncio.to_thread(get_matcher, version)
        return await asyncio.to_thread(
            lambda: load_matcher(version, imported=imported, corrections=corrections)
        )

    async def suggest_programs(self, text: str) -> ProgramSuggestion:
        """Return the top programs for a proposal text."""
        result = (await self.matcher()).match(text, k=SHOWN_PROGRAMS)
        options = tuple(
            ProgramOption(code=item.code, name=item.name, opd=item.opd, score=round(item.score, 3))
            for item in result.candidates[:SHOWN_PROGRAMS]
        )
        rule = result.rule.key if result.rule is not None else None
        return ProgramSuggestion(options=options, confident=result.confident, rule=rule)
