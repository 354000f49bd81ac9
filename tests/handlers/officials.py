"""Helpers for the officials' handler tests: a core with a fixed clock, replies as text."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlmodel import col, select

from core.config import load_settings
from core.events import EditText, SendText
from handlers.dispatch import Core
from models.db import session_scope
from models.outbox import Outbox
from models.proposals import Proposal, StatusChange

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine

    from core.events import Button, Reply

NOW = datetime(2027, 1, 20, 3, 0, tzinfo=UTC)  # 10:00 WIB
ADMIN = 900


def official_core(engine: AsyncEngine, database_url: str) -> Core:
    """Return a core whose clock stands still, with one Bappeda admin by setting."""
    settings = load_settings(database_url=database_url, bappeda_admin_ids=str(ADMIN))
    return Core(engine=engine, settings=settings, clock=lambda: NOW)


def shown(replies: list[Reply]) -> str:
    """Return every text and button label the person sees."""
    parts = []
    for reply in replies:
        if isinstance(reply, SendText | EditText):
            parts.append(reply.text)
            if reply.keyboard is not None:
                parts.extend(button.text for button in reply.keyboard.buttons())
    return "\n".join(parts)


def buttons(replies: list[Reply]) -> dict[str, str]:
    """Return the inline buttons shown, label → callback data (the newest wins)."""
    found: dict[str, str] = {}
    for reply in replies:
        if isinstance(reply, SendText | EditText) and reply.keyboard is not None:
            found.update(
                (button.text, button.data) for button in _inline(reply.keyboard.buttons())
            )
    return found


def _inline(all_buttons: list[Button]) -> list[Button]:
    return [button for button in all_buttons if button.data is not None]


async def proposal(engine: AsyncEngine, proposal_id: int) -> Proposal:
    """Return a proposal as stored now."""
    async with session_scope(engine) as session:
        return await session.get(Proposal, proposal_id)


async def history(engine: AsyncEngine, proposal_id: int) -> list[StatusChange]:
    """Return a proposal's status changes, oldest first."""
    async with session_scope(engine) as session:
        result = await session.exec(
            select(StatusChange)
            .where(StatusChange.proposal_id == proposal_id)
            .order_by(col(StatusChange.id))
        )
        return list(result.all())


async def outbox(engine: AsyncEngine) -> list[Outbox]:
    """Return every outbox row, oldest first."""
    async with session_scope(engine) as session:
        return list(
            (
                await session.exec(
                    select(Outbox).where(Outbox.kind != "reply").order_by(col(Outbox.id))
                )
            ).all()
        )
