"""Write what the bot will say: `enqueue` for notifications, `queue_replies` for answers."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import TYPE_CHECKING, Any

from models.outbox import add_outbox_rows, has_rows_held_elsewhere
from services.notify.replies import reply_chat, reply_to_payload

if TYPE_CHECKING:
    from datetime import datetime

    from sqlmodel.ext.asyncio.session import AsyncSession

    from core.events import Reply

#: The kind of a row that holds a reply already rendered while handling an update.
REPLY_KIND = "reply"


class Priority(IntEnum):
    """Which rows the sender takes first: answers to people typing, then the rest."""

    REPLY = 0
    NOTIFICATION = 1
    BULK = 2


@dataclass(frozen=True, slots=True)
class QueuedReply:
    """A reply written to the outbox; `claimed` when this instance may send it right away."""

    row_id: int
    chat_id: int
    reply: Reply
    claimed: bool


async def enqueue(
    session: AsyncSession,
    *,
    recipient_id: int,
    kind: str,
    payload: dict[str, Any],
    dedup_key: str,
    due_at: datetime,
    priority: Priority = Priority.NOTIFICATION,
) -> bool:
    """Plan one message in the caller's transaction; return False if `dedup_key` exists already.

    The payload holds codes and numbers only: the renderer registered for `kind` turns it
    into text at send time, in the recipient's language. It is sent after the transaction
    commits, at `due_at` or soon after, within Telegram's limits; rolled back with it otherwise.

    Args:
        session: The transaction of the change that causes the message.
        recipient_id: The Telegram chat (a person's user id, or a group's id).
        kind: The renderer's name, e.g. ``"status_changed"``.
        payload: JSON-ready codes and numbers, e.g. ``{"code": "LBG-27-7K3QX"}``.
        dedup_key: Unique per message, e.g. ``"reminder:stage-3:d-1:12345"``.
        due_at: When to send (UTC); now for at once.
        priority: `Priority.BULK` for reminders to many people.
    """
    [row_id] = await add_outbox_rows(
        session,
        [
            {
                "recipient_id": recipient_id,
                "kind": kind,
                "payload": payload,
                "dedup_key": dedup_key,
                "due_at": due_at,
                "priority": int(priority),
            }
        ],
    )
    return row_id is not None


async def queue_replies(
    session: AsyncSession,
    replies: list[Reply],
    *,
    chat_id: int,
    update_id: int,
    now: datetime,
    owner: str,
    claim_until: datetime,
    chat_held_elsewhere: bool | None = None,
) -> list[QueuedReply]:
    """Write an update's replies in its transaction, claimed for this instance's fast path.

    When a recipient still has rows another sender holds (or left by a crash), the new rows
    are not claimed: the sender sends them after the older ones, keeping the chat's order.
    `chat_held_elsewhere` is that answer for `chat_id` when the caller knows it already.
    """
    if not replies:
        return []
    chats = [reply_chat(reply, chat_id) for reply in replies]
    free = {}
    for chat in set(chats):
        if chat == chat_id and chat_held_elsewhere is not None:
            free[chat] = not chat_held_elsewhere
        else:
            free[chat] = not await has_rows_held_elsewhere(session, chat, owner=owner)
    rows = [
        {
            "recipient_id": chat,
            "kind": REPLY_KIND,
            "payload": reply_to_payload(reply),
            "dedup_key": f"update:{update_id}:{number}",
            "due_at": now,
            "priority": int(Priority.REPLY),
            "claimed_by": owner if free[chat] else None,
            "claimed_until": claim_until if free[chat] else None,
        }
        for number, (reply, chat) in enumerate(zip(replies, chats, strict=True))
    ]
    ids = await add_outbox_rows(session, rows)
    return [
        QueuedReply(row_id=row_id, chat_id=chat, reply=reply, claimed=free[chat])
        for row_id, reply, chat in zip(ids, replies, chats, strict=True)
        if row_id is not None
    ]
