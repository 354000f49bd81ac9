"""The long-lived helpers every update shares: today the matching service, built once."""

from __future__ import annotations

from typing import TYPE_CHECKING

from services.matching.service import MatchingService

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine

    from core.config import Settings
    from services.matching.rank import Matcher
    from services.matching.service import Suggestion


class Services:
    """What the conversation asks of the rest of the bot beyond its own transaction."""

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
