"""Event → replies: every update is stored in the inbox, then applied once, in order per chat.

The path in: `receive` stores events in one short insert (then the runtime answers Telegram);
`drain` applies a chat's pending updates in update_id order under the chat lock (an asyncio
lock here, a PostgreSQL advisory lock across instances), each in its own transaction that also
writes the replies to the outbox. Whichever instance received an update, the chat's order holds.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import os
import socket
import time
import uuid
from collections.abc import Callable
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from core.events import AnswerCallback, Event, EventKind, Reply, SendText
from core.i18n import _, pick_locale, use_locale
from handlers import callbacks
from handlers.common import consent, fallback
from handlers.context import Context
from handlers.flood import FloodGuard, FloodVerdict
from handlers.groups import group_replies, is_private, pressed_by_someone_else
from handlers.registry import build_router
from models.base import utcnow
from models.conversations import load_conversation
from models.db import is_locked_error, run_transaction
from models.inbox import (
    chats_with_pending_updates,
    mark_update_applied,
    next_pending_updates,
    store_updates,
)
from models.locks import lock_chat
from models.users import upsert_user
from services.notify.outbox import QueuedReply, queue_replies
from services.registry import Services

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from sqlalchemy.ext.asyncio import AsyncEngine
    from sqlmodel.ext.asyncio.session import AsyncSession

    from core.config import Settings
    from core.events import FileSource
    from handlers.router import Router

logger = logging.getLogger(__name__)

FLOOD_WINDOW_SECONDS = 10.0


def instance_name() -> str:
    """Return a name for this process, unique across instances and restarts."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


@dataclasses.dataclass(frozen=True, slots=True)
class AppliedUpdate:
    """One update applied, with its replies as written to the outbox."""

    update_id: int
    chat_id: int
    replies: list[QueuedReply]


class ChatLocks:
    """One asyncio lock per chat, dropped when nobody waits on it."""

    def __init__(self) -> None:
        self._locks: dict[int, tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def hold(self, chat_id: int) -> AsyncIterator[None]:
        """Hold the chat's lock inside the block."""
        lock, users = self._locks.get(chat_id, (asyncio.Lock(), 0))
        self._locks[chat_id] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[chat_id]
            if users == 1:
                del self._locks[chat_id]
            else:
                self._locks[chat_id] = (lock, users - 1)


class Core:
    """The bot's brain, shared by every runtime."""

    def __init__(
        self,
        *,
        engine: AsyncEngine,
        settings: Settings,
        router: Router[Context] | None = None,
        services: Services | None = None,
        clock: Callable[[], datetime] = utcnow,
        owner: str | None = None,
    ) -> None:
        self.engine = engine
        self.settings = settings
        self.router = router or build_router()
        self.services = services if services is not None else Services(settings, engine)
        self.clock = clock
        self.owner = owner or instance_name()
        #: Set by the runtime: how to fetch files people send, and the bot's username.
        self.files: FileSource | None = None
        self.bot_username: str | None = None
        self._locks = ChatLocks()
        self.flood = FloodGuard(limit=settings.flood_limit, window_seconds=FLOOD_WINDOW_SECONDS)

    # --- the path in ------------------------------------------------------------------------

    async def receive(self, events: list[Event]) -> int:
        """Store received events in the inbox (one short insert); return how many were new.

        Once this returns, the updates survive a crash: answer Telegram only after it.
        """
        rows = [(event.update_id, event.chat_id, _event_to_json(event)) for event in events]
        now = self.clock()

        async def store(session: AsyncSession) -> int:
            return await store_updates(session, rows, now=now)

        return await run_transaction(self.engine, store)

    async def drain(self, chat_id: int) -> list[AppliedUpdate]:
        """Apply the chat's pending updates in update_id order; return what this call applied."""
        applied: list[AppliedUpdate] = []
        async with self._locks.hold(chat_id):
            more = True
            while more:
                done, more = await self._apply_next(chat_id)
                if done is not None:
                    applied.append(done)
        return applied

    async def pending_chats(self) -> list[int]:
        """Return the chats with updates waiting in the inbox (after a restart, say)."""

        async def find(session: AsyncSession) -> list[int]:
            return await chats_with_pending_updates(session)

        return await run_transaction(self.engine, find)

    async def process(self, event: Event) -> list[AppliedUpdate]:
        """Store one event, then apply its chat's pending updates."""
        await self.receive([event])
        return await self.drain(event.chat_id)

    async def handle(self, event: Event) -> list[Reply]:
        """Apply one update and return its replies; a redelivered update returns nothing.

        The replies stay in the outbox, claimed by this instance: for callers (tests, tools)
        that show them themselves. Runtimes use `process` and send through the sender.
        """
        return [
            queued.reply
            for applied in await self.process(event)
            if applied.update_id == event.update_id
            for queued in applied.replies
        ]

    # --- one update -------------------------------------------------------------------------

    async def _apply_next(self, chat_id: int) -> tuple[AppliedUpdate | None, bool]:
        """Apply the chat's oldest pending update in one transaction; tell if more are waiting."""

        async def apply(session: AsyncSession) -> tuple[AppliedUpdate | None, bool]:
            await lock_chat(session, chat_id)
            pending, held = await next_pending_updates(session, chat_id, owner=self.owner)
            if not pending:
                return None, False
            more = len(pending) > 1
            event = _event_from_json(pending[0].event)
            now = self.clock()
            try:
                replies = await self._replies_for(session, event, now)
            except Exception as error:
                if is_locked_error(error):
                    raise
                raise _HandlerFailedError(event) from error
            if not await mark_update_applied(session, event.update_id, now=now):
                return AppliedUpdate(event.update_id, chat_id, []), more
            replies = self._limit_flood(event, replies)
            queued = await self._queue(session, replies, event, now, held_elsewhere=held)
            return AppliedUpdate(event.update_id, chat_id, queued), more

        try:
            return await run_transaction(self.engine, apply)
        except _HandlerFailedError as failure:
            logger.exception(
                "Update %s in chat %s failed", failure.event.update_id, failure.event.chat_id
            )
            recorded = await self._record_failure(failure.event)
            return recorded, recorded is not None

    async def _replies_for(
        self, session: AsyncSession, event: Event, now: datetime
    ) -> list[Reply]:
        if not is_private(event) or pressed_by_someone_else(event):
            with use_locale(pick_locale(event.language)):
                return group_replies(
                    event, bot_username=self.bot_username or self.settings.bot_username
                )
        user = await upsert_user(
            session,
            telegram_id=event.user_id,
            name=event.first_name,
            username=event.username,
            language=pick_locale(event.language),
        )
        conversation = await load_conversation(
            session, chat_id=event.chat_id, user_id=event.user_id
        )
        context = Context(
            event=event,
            session=session,
            conversation=conversation,
            user=user,
            settings=self.settings,
            now=now,
            services=self.services,
            router=self.router,
            files=self.files,
            bot_username=self.bot_username or self.settings.bot_username or None,
        )
        with use_locale(user.language):
            await self._route(context)
            conversation.last_update_id = max(conversation.last_update_id or 0, event.update_id)
            conversation.updated_at = now
            return context.finish()

    async def _queue(
        self,
        session: AsyncSession,
        replies: list[Reply],
        event: Event,
        now: datetime,
        *,
        held_elsewhere: bool | None = None,
    ) -> list[QueuedReply]:
        return await queue_replies(
            session,
            replies,
            chat_id=event.chat_id,
            update_id=event.update_id,
            now=now,
            owner=self.owner,
            claim_until=now + timedelta(seconds=self.settings.outbox_claim_seconds),
            chat_held_elsewhere=held_elsewhere,
        )

    def _limit_flood(self, event: Event, replies: list[Reply]) -> list[Reply]:
        """Answer a flooding chat once with a slow-down notice; what it sent is still applied."""
        verdict = self.flood.check(event.chat_id, time.monotonic())
        if verdict is FloodVerdict.ANSWER:
            return replies
        kept: list[Reply] = [reply for reply in replies if isinstance(reply, AnswerCallback)]
        if verdict is FloodVerdict.WARN:
            with use_locale(pick_locale(event.language)):
                kept.append(
                    SendText(
                        event.chat_id,
                        _(
                            "You are sending messages very fast. Everything you sent is saved; "
                            "please wait a few seconds, then continue."
                        ),
                    )
                )
        return kept

    async def _route(self, context: Context) -> None:
        event = context.event
        router = self.router
        if event.kind is EventKind.COMMAND:
            command = router.commands.get((event.command or "").lower())
            if command is None:
                await fallback.unknown_command(context)
            elif command.needs_consent and not consent.has_consent(context):
                await consent.ask_consent(context)
            else:
                await command.handler(context)
            return
        if event.kind is EventKind.CALLBACK:
            await self._route_callback(context)
            return
        if not consent.has_consent(context):
            await consent.ask_consent(context)
            return
        step = router.steps.get(context.step)
        if step is None:
            await fallback.not_understood(context)
            return
        await step.handle(context)

    async def _route_callback(self, context: Context) -> None:
        router = self.router
        prefix = callbacks.prefix_of(context.event.text)
        if prefix in router.callbacks:
            if prefix not in router.open_callbacks and not consent.has_consent(context):
                await consent.ask_consent(context)
                return
            await router.callbacks[prefix](context)
            return
        owner = router.step_of_prefix.get(prefix)
        if owner is not None and owner == context.step and consent.has_consent(context):
            await router.steps[owner].handle(context)
            return
        await fallback.stale_button(context)

    async def _record_failure(self, event: Event) -> AppliedUpdate | None:
        """Mark a failed update applied (so it is not retried forever) and queue an apology."""
        with use_locale(pick_locale(event.language)):
            text = _(
                "Sorry, something went wrong on our side. What you entered before is safe. "
                "Please try again in a moment, or type /bantuan."
            )
        replies = fallback.apology_replies(event, text)
        now = self.clock()

        async def record(session: AsyncSession) -> AppliedUpdate:
            await lock_chat(session, event.chat_id)
            if not await mark_update_applied(session, event.update_id, now=now):
                return AppliedUpdate(event.update_id, event.chat_id, [])
            queued = await self._queue(session, replies, event, now)
            return AppliedUpdate(event.update_id, event.chat_id, queued)

        try:
            return await run_transaction(self.engine, record)
        except Exception:
            logger.exception("Could not record failed update %s", event.update_id)
            return None


def _event_to_json(event: Event) -> dict[str, Any]:
    return dataclasses.asdict(event)


def _event_from_json(data: dict[str, Any]) -> Event:
    return Event(**{**data, "kind": EventKind(data["kind"])})


class _HandlerFailedError(Exception):
    """A handler raised while applying `event`; its transaction is rolled back."""

    def __init__(self, event: Event) -> None:
        super().__init__(event.update_id)
        self.event = event
