"""Bot API update → core Event, core replies → delivery; shared by the aiogram and PTB adapters.

aiogram and python-telegram-bot both mirror the Bot API's field names (``message.from_user``,
``callback_query.data``, ``message.photo[i].file_id``...), so one reader serves both.
"""

from __future__ import annotations

import asyncio
import logging
import re
from typing import TYPE_CHECKING, Any, Protocol

from bot.runtime.delivery import DEFAULT_POLICY, DeliveryPolicy, Failure, deliver_with_policy
from core.events import Event, EventKind, FileSource, Reply
from handlers.common.commands import command_menu

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Coroutine

logger = logging.getLogger(__name__)

#: Update types both runtimes ask Telegram for.
ALLOWED_UPDATES = ["message", "callback_query"]

#: The menu Telegram shows everybody (Indonesian, the default language).
MENU_LOCALE = "id"

_COMMAND = re.compile(r"/([A-Za-z0-9_]{1,32})(?:@([A-Za-z0-9_]+))?(?:\s+(.*))?", re.DOTALL)

#: Update fields that carry something the core does not act on, with their sender.
_OTHER_FIELDS = (
    "edited_message",
    "my_chat_member",
    "chat_member",
    "chat_join_request",
    "inline_query",
    "chosen_inline_result",
    "shipping_query",
    "pre_checkout_query",
    "poll_answer",
    "message_reaction",
)


class ConversationCore(Protocol):
    """What a runtime needs from the core (``handlers.dispatch.Core``).

    The runtime lends it `files` (downloads of what people send) and `bot_username`.
    """

    files: FileSource | None
    bot_username: str | None

    async def handle(self, event: Event) -> list[Reply]:
        """Apply one update and return what to send."""
        ...

    async def mark_blocked(self, chat_id: int) -> None:
        """Remember that the person blocked the bot."""
        ...


def menu_commands() -> list[tuple[str, str]]:
    """Return the (command, description) pairs to register with setMyCommands."""
    return command_menu(MENU_LOCALE)


def event_from_update(update: Any, *, bot_username: str | None) -> Event | None:
    """Translate an aiogram or PTB Update; None when it is not for this bot or has no sender.

    Args:
        update: An ``aiogram.types.Update`` or a ``telegram.Update``.
        bot_username: This bot's username, to skip ``/command@otherbot``.
    """
    if update.message is not None:
        return _from_message(update.update_id, update.message, bot_username)
    query = update.callback_query
    if query is not None:
        chat_id = query.message.chat.id if query.message is not None else query.from_user.id
        return _event(
            update.update_id,
            query.from_user,
            chat_id,
            EventKind.CALLBACK,
            chat_type=query.message.chat.type if query.message is not None else "private",
            text=query.data or "",
            callback_id=query.id,
            message_id=query.message.message_id if query.message is not None else None,
        )
    return _from_other(update)


def _from_message(update_id: int, message: Any, bot_username: str | None) -> Event | None:
    user = message.from_user
    if user is None:
        return None
    chat = message.chat
    fields: dict[str, Any]
    if message.text is not None:
        fields = _text_fields(message.text, bot_username)
        if not fields:
            return None
    elif message.location is not None:
        location = message.location
        fields = {
            "kind": EventKind.LOCATION,
            "latitude": location.latitude,
            "longitude": location.longitude,
        }
    elif message.photo:
        largest = max(
            message.photo, key=lambda size: (size.width * size.height, size.file_size or 0)
        )
        fields = {"kind": EventKind.PHOTO, "file_id": largest.file_id}
    elif message.document is not None:
        document = message.document
        fields = {
            "kind": EventKind.DOCUMENT,
            "file_id": document.file_id,
            "mime_type": document.mime_type,
            "file_name": document.file_name,
        }
    elif message.contact is not None:
        fields = {"kind": EventKind.CONTACT, "phone_number": message.contact.phone_number}
    else:
        fields = {"kind": EventKind.OTHER}
    if fields["kind"] is not EventKind.COMMAND and fields["kind"] is not EventKind.TEXT:
        fields["text"] = message.caption or ""
    return _event(
        update_id,
        user,
        chat.id,
        chat_type=chat.type,
        message_id=message.message_id,
        **fields,
    )


def _text_fields(text: str, bot_username: str | None) -> dict[str, Any]:
    """Return command or text fields; empty when the command is addressed to another bot."""
    match = _COMMAND.fullmatch(text.strip())
    if match is None:
        return {"kind": EventKind.TEXT, "text": text}
    command, addressee, arguments = match.groups()
    if addressee and (bot_username is None or addressee.lower() != bot_username.lower()):
        return {}
    return {"kind": EventKind.COMMAND, "command": command, "text": (arguments or "").strip()}


def _from_other(update: Any) -> Event | None:
    for name in _OTHER_FIELDS:
        payload = getattr(update, name, None)
        if payload is None:
            continue
        user = getattr(payload, "from_user", None) or getattr(payload, "user", None)
        if user is None:
            return None
        chat = getattr(payload, "chat", None)
        return _event(
            update.update_id,
            user,
            chat.id if chat is not None else user.id,
            EventKind.OTHER,
            chat_type=chat.type if chat is not None else "private",
        )
    return None


def _event(
    update_id: int, user: Any, chat_id: int, kind: EventKind, *, chat_type: Any, **fields: Any
) -> Event:
    return Event(
        update_id=update_id,
        user_id=user.id,
        chat_id=chat_id,
        kind=kind,
        language=user.language_code,
        first_name=user.first_name or "",
        username=user.username,
        chat_type=str(chat_type),
        **fields,
    )


class CoreBridge:
    """Runs events through the core and delivers the replies with the delivery policy.

    Also the runtime's ``core.events.Transport`` for replies sent outside an update.
    """

    def __init__(
        self,
        core: ConversationCore,
        *,
        send: Callable[[Reply], Awaitable[object]],
        classify: Callable[[Exception], Failure],
        policy: DeliveryPolicy = DEFAULT_POLICY,
    ) -> None:
        self.core = core
        self._send = send
        self._classify = classify
        self._policy = policy
        self._turns = ChatTurns()

    async def process(self, event: Event) -> None:
        """Handle one event and send its replies in order; never raises.

        The core may work on a chat's next update while this one's replies are still being
        sent; the replies still leave in the order the updates arrived.
        """
        previous, turn = self._turns.take(event.chat_id)
        try:
            try:
                replies = await self.core.handle(event)
            except Exception:
                logger.exception(
                    "Core failed on update %s in chat %s", event.update_id, event.chat_id
                )
                return
            if previous is not None:
                await previous.wait()
            blocked: set[int] = set()
            for reply in replies:
                chat_id = _chat_of(reply, event)
                if chat_id not in blocked:
                    await self._deliver(
                        reply, chat_id=chat_id, update_id=event.update_id, blocked=blocked
                    )
        finally:
            self._turns.release(event.chat_id, turn)

    async def deliver(self, reply: Reply) -> int | None:
        """Send one reply outside an update; return the new message id, None if none or failed."""
        result = await self._deliver(reply, chat_id=_chat_of(reply, None), update_id=None)
        return getattr(result, "message_id", None)

    async def _deliver(
        self, reply: Reply, *, chat_id: int, update_id: int | None, blocked: set[int] | None = None
    ) -> object:
        async def on_blocked() -> None:
            if blocked is not None:
                blocked.add(chat_id)
            await self.core.mark_blocked(chat_id)

        return await deliver_with_policy(
            lambda: self._send(reply),
            classify=self._classify,
            on_blocked=on_blocked,
            what=type(reply).__name__,
            chat_id=chat_id,
            update_id=update_id,
            policy=self._policy,
        )


def _chat_of(reply: Reply, event: Event | None) -> int:
    chat_id = getattr(reply, "chat_id", None)
    if chat_id is None:
        return event.chat_id if event is not None else 0
    return chat_id


class ChatTurns:
    """A queue per chat: each update waits for the one before it to finish sending."""

    def __init__(self) -> None:
        self._last: dict[int, asyncio.Event] = {}

    def take(self, chat_id: int) -> tuple[asyncio.Event | None, asyncio.Event]:
        """Join the chat's queue; return the turn to wait for (None if first) and our own."""
        previous = self._last.get(chat_id)
        turn = asyncio.Event()
        self._last[chat_id] = turn
        return previous, turn

    def release(self, chat_id: int, turn: asyncio.Event) -> None:
        """Let the next update of the chat send; forget the chat when nobody waits."""
        turn.set()
        if self._last.get(chat_id) is turn:
            del self._last[chat_id]


class InFlight:
    """Background tasks that must finish before shutdown (updates being processed)."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[None]] = set()

    def spawn(self, work: Coroutine[Any, Any, None]) -> None:
        """Run `work` in the background, keeping a reference until it is done."""
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def drain(self) -> None:
        """Wait until every task started so far (and any they start) has finished."""
        while self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
