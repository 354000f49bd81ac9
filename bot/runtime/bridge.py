"""Between a runtime and the core: updates into the inbox, each chat applied, replies sent."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from core.events import Event, FileSource, Reply, SendOutcome
    from handlers.dispatch import AppliedUpdate
    from services.notify.outbox import QueuedReply

logger = logging.getLogger(__name__)


class TelegramClient(Protocol):
    """What the aiogram and PTB adapters provide: the Bot API, one call at a time."""

    files: FileSource

    async def start(self) -> str | None:
        """Get ready (register the command menu); return the bot's username."""
        ...

    async def send(self, reply: Reply) -> SendOutcome:
        """Try once to send a reply."""
        ...

    def parse(self, raw: dict[str, Any]) -> Event | None:
        """Translate a raw update (None: nothing for the core, or unreadable)."""
        ...

    async def fetch_updates(self, offset: int | None, wait_seconds: int) -> list[dict[str, Any]]:
        """Long-poll getUpdates."""
        ...

    async def set_webhook(self, url: str, secret: str) -> None:
        """Register the webhook."""
        ...

    async def delete_webhook(self) -> None:
        """Remove the webhook."""
        ...

    async def close(self) -> None:
        """Release connections."""
        ...


class ConversationCore(Protocol):
    """What the bridge needs from the core (``handlers.dispatch.Core``)."""

    async def receive(self, events: list[Event]) -> int:
        """Store events in the inbox."""
        ...

    async def drain(self, chat_id: int) -> list[AppliedUpdate]:
        """Apply the chat's pending updates in order."""
        ...

    async def pending_chats(self) -> list[int]:
        """Return chats with pending updates."""
        ...


class ReplySender(Protocol):
    """What the bridge needs from the sender (``services.notify.sender.Sender``)."""

    async def send_replies(self, queued: list[QueuedReply]) -> None:
        """Send an update's replies now (the fast path)."""
        ...


class Bridge:
    """Stores updates first, then applies each chat's updates one after another and answers.

    One worker per chat at a time: it drains the chat's inbox, sends the replies of each
    applied update at once (the fast path), and looks again if more arrived meanwhile.
    """

    def __init__(self, core: ConversationCore, sender: ReplySender) -> None:
        self.core = core
        self.sender = sender
        self._workers: dict[int, asyncio.Task[None]] = {}
        self._again: set[int] = set()

    async def accept(self, events: list[Event]) -> None:
        """Store the events (raises when they could not be stored), then apply them.

        Acknowledge the updates to Telegram only after this returns.
        """
        if not events:
            return
        await self.core.receive(events)
        for chat_id in dict.fromkeys(event.chat_id for event in events):
            self.wake(chat_id)

    def wake(self, chat_id: int) -> None:
        """Make sure a worker applies the chat's pending updates."""
        if chat_id in self._workers:
            self._again.add(chat_id)
            return
        self._workers[chat_id] = asyncio.create_task(self._work(chat_id), name=f"chat-{chat_id}")

    async def wake_pending(self) -> int:
        """Wake every chat with updates waiting in the inbox; return how many."""
        chats = await self.core.pending_chats()
        for chat_id in chats:
            self.wake(chat_id)
        return len(chats)

    async def sweep(self, every: float) -> None:
        """Now and then apply updates stored but left pending (an instance died after storing)."""
        while True:
            await asyncio.sleep(every)
            try:
                await self.wake_pending()
            except Exception:
                logger.exception("Looking for pending updates failed")

    async def finish(self) -> None:
        """Wait until every chat worker has applied what was stored and sent the answers."""
        while self._workers:
            await asyncio.gather(*self._workers.values(), return_exceptions=True)

    async def _work(self, chat_id: int) -> None:
        try:
            while True:
                self._again.discard(chat_id)
                try:
                    applied = await self.core.drain(chat_id)
                except Exception:
                    logger.exception("Applying updates of chat %s failed; retried later", chat_id)
                    return
                for update in applied:
                    await self.sender.send_replies(update.replies)
                if chat_id not in self._again:
                    return
        finally:
            with contextlib.suppress(KeyError):
                del self._workers[chat_id]
