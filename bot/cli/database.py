"""The database plumbing the commands share: one transaction on a short-lived engine."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, TypeVar

from models.db import create_engine_from_url, session_scope

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from sqlmodel.ext.asyncio.session import AsyncSession

Result = TypeVar("Result")


def run_in_session(url: str, work: Callable[[AsyncSession], Awaitable[Result]]) -> Result:
    """Run `work` in one transaction on a fresh engine, dispose the engine, return the result."""

    async def run() -> Result:
        engine = create_engine_from_url(url)
        try:
            async with session_scope(engine) as session:
                return await work(session)
        finally:
            await engine.dispose()

    return asyncio.run(run())
