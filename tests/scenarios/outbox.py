"""A stand-in for the outbox sender in tests: render each unsent row and hand it over.

The real sender (with Telegram's rate limits and retries) lives with the scheduler; the
stories only need the rows rendered by ``handlers.tracking.notices.RENDERERS`` and the
replies delivered to the chats, so a person can press a notification's button.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlmodel import col, select

from handlers.tracking.notices import RENDERERS
from models.base import utcnow
from models.db import session_scope
from models.outbox import Outbox
from models.users import User

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from sqlalchemy.ext.asyncio import AsyncEngine

    from core.events import Reply


async def deliver_outbox(engine: AsyncEngine, deliver: Callable[[Reply], Awaitable[None]]) -> int:
    """Render and deliver every unsent outbox row, oldest first; return how many."""
    delivered = 0
    async with session_scope(engine) as session:
        rows = (
            await session.exec(
                select(Outbox)
                .where(col(Outbox.sent_at).is_(None), Outbox.kind != "reply")
                .order_by(col(Outbox.id))
            )
        ).all()
        for row in rows:
            recipient = await session.get(User, row.recipient_id)
            if recipient is None:
                continue
            for reply in await RENDERERS[row.kind](
                row.payload, session=session, recipient=recipient
            ):
                await deliver(reply)
            row.sent_at = utcnow()
            session.add(row)
            delivered += 1
    return delivered


async def notifications(engine: AsyncEngine, recipient_id: int) -> list[tuple[str, str]]:
    """Return (tracking code, new status) of every status notification for one person."""
    async with session_scope(engine) as session:
        rows = (
            await session.exec(
                select(Outbox)
                .where(Outbox.recipient_id == recipient_id, Outbox.kind == "status_changed")
                .order_by(col(Outbox.id))
            )
        ).all()
    return [(row.payload["code"], row.payload["to"]) for row in rows]
