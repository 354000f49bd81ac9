"""Event → replies: applies each update once, in order per chat, in one transaction."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy.exc import IntegrityError

from core.events import AnswerCallback, Event, EventKind, Reply, SendText
from core.i18n import _, pick_locale, use_locale
from handlers import callbacks
from handlers.common import consent, fallback
from handlers.context import Context
from handlers.flood import FloodGuard, FloodVerdict
from handlers.registry import build_router
from models.base import utcnow
from models.conversations import claim_update, load_conversation, prune_processed_updates
from models.db import session_scope
from models.locks import lock_chat
from models.users import set_user_inactive, upsert_user
from services.registry import Services

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from sqlalchemy.ext.asyncio import AsyncEngine

    from core.config import Settings
    from core.events import FileSource
    from handlers.router import Router

logger = logging.getLogger(__name__)

FLOOD_WINDOW_SECONDS = 10.0
PRUNE_EVERY_UPDATES = 1000
PROCESSED_UPDATES_KEPT = timedelta(days=2)


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
    ) -> None:
        self.engine = engine
        self.settings = settings
        self.router = router or build_router()
        self.services = services if services is not None else Services(settings, engine)
        self.clock = clock
        #: Set by the runtime: how to fetch files people send, and the bot's username.
        self.files: FileSource | None = None
        self.bot_username: str | None = None
        self._locks = ChatLocks()
        self._applied = 0
        self.flood = FloodGuard(limit=settings.flood_limit, window_seconds=FLOOD_WINDOW_SECONDS)

    async def handle(self, event: Event) -> list[Reply]:
        """Apply one update and return what to send; a redelivered update returns nothing."""
        async with self._locks.hold(event.chat_id):
            try:
                replies = await self._apply(event)
            except _DuplicateUpdateError:
                return []
            except Exception:
                logger.exception("Update %s in chat %s failed", event.update_id, event.chat_id)
                return await self._apologise(event)
            return self._limit_flood(event, replies)

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

    async def mark_blocked(self, chat_id: int) -> None:
        """Remember that the person blocked the bot, so nothing more is sent to them."""
        async with session_scope(self.engine) as session:
            if await set_user_inactive(session, chat_id):
                logger.info("Chat %s blocked the bot; user marked inactive", chat_id)

    async def _apply(self, event: Event) -> list[Reply]:
        try:
            async with session_scope(self.engine) as session:
                await lock_chat(session, event.chat_id)
                if not await claim_update(
                    session, update_id=event.update_id, chat_id=event.chat_id
                ):
                    raise _DuplicateUpdateError
                self._applied += 1
                if self._applied % PRUNE_EVERY_UPDATES == 0:
                    await prune_processed_updates(
                        session, before=self.clock() - PROCESSED_UPDATES_KEPT
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
                    now=self.clock(),
                    services=self.services,
                    router=self.router,
                    files=self.files,
                    bot_username=self.bot_username or self.settings.bot_username or None,
                )
                with use_locale(user.language):
                    await self._route(context)
                    conversation.last_update_id = event.update_id
                    conversation.updated_at = context.now
                    return context.finish()
        except IntegrityError as error:
            if "processedupdate" in str(error).lower():
                raise _DuplicateUpdateError from error
            raise

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

    async def _apologise(self, event: Event) -> list[Reply]:
        """Record the failed update (so it is not retried forever) and say sorry."""
        try:
            async with session_scope(self.engine) as session:
                await claim_update(session, update_id=event.update_id, chat_id=event.chat_id)
        except Exception:
            logger.exception("Could not record failed update %s", event.update_id)
        with use_locale(pick_locale(event.language)):
            text = _(
                "Sorry, something went wrong on our side. What you entered before is safe. "
                "Please try again in a moment, or type /bantuan."
            )
        return fallback.apology_replies(event, text)


class _DuplicateUpdateError(Exception):
    """The update was applied before."""
