"""aiogram 3 runtime: Update → Event, Reply → Bot API call; long polling or the webhook."""

from __future__ import annotations

import asyncio
import logging
from functools import partial
from typing import TYPE_CHECKING, Any

from aiogram import Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.exceptions import (
    ClientDecodeError,
    TelegramAPIError,
    TelegramEntityTooLarge,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.types import (
    BotCommand,
    BotCommandScopeChat,
    BufferedInputFile,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)

from bot.runtime.delivery import (
    DEFAULT_POLICY,
    DeliveryPolicy,
    Failure,
    FailureKind,
    deliver_with_policy,
    quiet_url_loggers,
)
from bot.runtime.translate import (
    ALLOWED_UPDATES,
    CoreBridge,
    InFlight,
    event_from_update,
    menu_commands,
)
from bot.runtime.webhook import build_webhook_app, serving, webhook_path
from core.events import (
    AnswerCallback,
    EditText,
    FileUnavailableError,
    Keyboard,
    Reply,
    SendDocument,
    SendPhoto,
    SendText,
    SetCommands,
)

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from bot.runtime.translate import ConversationCore
    from core.config import Settings

logger = logging.getLogger(__name__)

Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove
#: Files larger than this are not downloaded (the Bot API serves at most 20 MB).
MAX_DOWNLOAD_BYTES = 10 * 1024 * 1024


def classify_error(error: Exception) -> Failure:
    """Tell what an aiogram exception means for delivery."""
    if isinstance(error, TelegramRetryAfter):
        return Failure(FailureKind.RATE_LIMITED, retry_after=float(error.retry_after))
    if isinstance(error, TelegramForbiddenError):
        return Failure(FailureKind.BLOCKED, error.message)
    if isinstance(error, TelegramEntityTooLarge):
        return Failure(FailureKind.REJECTED, error.message)
    if isinstance(error, TelegramNetworkError | TelegramServerError | ClientDecodeError):
        return Failure(FailureKind.NETWORK, type(error).__name__)
    if isinstance(error, TelegramAPIError):
        return Failure(FailureKind.REJECTED, error.message)
    return Failure(FailureKind.UNKNOWN)


def reply_markup(keyboard: Keyboard | None, *, remove: bool = False) -> Markup | None:
    """Build the aiogram markup for a core keyboard (or the keyboard removal)."""
    if keyboard is None:
        return ReplyKeyboardRemove() if remove else None
    if keyboard.inline:
        return InlineKeyboardMarkup(
            inline_keyboard=[
                [
                    InlineKeyboardButton(text=button.text, callback_data=button.data)
                    for button in row
                ]
                for row in keyboard.rows
            ]
        )
    return ReplyKeyboardMarkup(
        keyboard=[
            [
                KeyboardButton(
                    text=button.text,
                    request_location=button.request_location or None,
                    request_contact=button.request_contact or None,
                )
                for button in row
            ]
            for row in keyboard.rows
        ],
        resize_keyboard=True,
        one_time_keyboard=keyboard.one_time,
    )


async def send_reply(bot: Bot, reply: Reply) -> object:
    """Make the Bot API call for one reply; return what Telegram answered."""
    match reply:
        case SendText():
            return await bot.send_message(
                reply.chat_id,
                reply.text,
                parse_mode=ParseMode.HTML,
                reply_markup=reply_markup(reply.keyboard, remove=reply.remove_keyboard),
            )
        case EditText():
            markup = reply_markup(reply.keyboard)
            return await bot.edit_message_text(
                reply.text,
                chat_id=reply.chat_id,
                message_id=reply.message_id,
                parse_mode=ParseMode.HTML,
                reply_markup=markup if isinstance(markup, InlineKeyboardMarkup) else None,
            )
        case AnswerCallback():
            return await bot.answer_callback_query(reply.callback_id, text=reply.text)
        case SendPhoto():
            photo = reply.file_id or BufferedInputFile(reply.content or b"", reply.filename)
            return await bot.send_photo(
                reply.chat_id, photo, caption=reply.caption, parse_mode=ParseMode.HTML
            )
        case SendDocument():
            return await bot.send_document(
                reply.chat_id,
                BufferedInputFile(reply.content, reply.filename),
                caption=reply.caption,
                parse_mode=ParseMode.HTML,
            )
        case SetCommands():
            return await bot.set_my_commands(
                [BotCommand(command=name, description=text) for name, text in reply.commands],
                scope=BotCommandScopeChat(chat_id=reply.chat_id),
            )
        case _:
            msg = f"unknown reply {type(reply).__name__}"
            raise TypeError(msg)


class AiogramFiles:
    """Downloads files people sent, for the core (``core.events.FileSource``)."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def download(self, file_id: str) -> bytes:
        """Return the file's bytes; FileUnavailableError when it is too large or unreachable."""
        try:
            file = await self.bot.get_file(file_id)
            if (file.file_size or 0) > MAX_DOWNLOAD_BYTES or not file.file_path:
                msg = "file too large or without a path"
                raise FileUnavailableError(msg)
            content = await self.bot.download_file(file.file_path)
        except TelegramAPIError as error:
            raise FileUnavailableError(type(error).__name__) from error
        if content is None:
            msg = "empty download"
            raise FileUnavailableError(msg)
        return content.read()


class AiogramRuntime:
    """One bot: a Dispatcher whose only job is to hand each update to the core."""

    def __init__(
        self, bot: Bot, core: ConversationCore, *, policy: DeliveryPolicy = DEFAULT_POLICY
    ) -> None:
        self.bot = bot
        self.bridge = CoreBridge(
            core, send=partial(send_reply, bot), classify=classify_error, policy=policy
        )
        self.in_flight = InFlight()
        self.dispatcher = Dispatcher()
        self.dispatcher.update.outer_middleware(self._accept)
        self._username: str | None = None
        core.files = AiogramFiles(bot)

    async def _accept(
        self,
        _handler: Callable[[Update, dict[str, Any]], Awaitable[Any]],
        update: Update,
        _data: dict[str, Any],
    ) -> None:
        """Start processing the update in the background so no chat waits for another."""
        event = event_from_update(update, bot_username=self._username)
        if event is not None:
            self.in_flight.spawn(self.bridge.process(event))

    async def run(self, settings: Settings) -> None:
        """Register the command menu, then poll or serve the webhook until cancelled."""
        self._username = (await self.bot.me()).username
        self.bridge.core.bot_username = self._username
        await self.register_commands()
        if settings.webhook_url:
            await self._serve_webhook(settings)
        else:
            await self._poll()

    async def register_commands(self) -> None:
        """Set the Indonesian command menu; a failure is logged, not fatal."""
        commands = [BotCommand(command=name, description=text) for name, text in menu_commands()]
        await deliver_with_policy(
            partial(self.bot.set_my_commands, commands),
            classify=classify_error,
            what="SetMyCommands",
        )

    async def _poll(self) -> None:
        await self.bot.delete_webhook()
        started = asyncio.Event()

        async def on_startup() -> None:
            started.set()

        self.dispatcher.startup.register(on_startup)
        polling = asyncio.create_task(
            self.dispatcher.start_polling(
                self.bot,
                handle_as_tasks=False,
                handle_signals=False,
                close_bot_session=False,
                allowed_updates=ALLOWED_UPDATES,
            )
        )
        try:
            await asyncio.shield(polling)
        except asyncio.CancelledError:
            if started.is_set():
                await self.dispatcher.stop_polling()
            else:
                polling.cancel()
            raise

    async def _serve_webhook(self, settings: Settings) -> None:
        app = build_webhook_app(
            path=webhook_path(settings.webhook_url),
            secret=settings.webhook_secret,
            feed=self._feed,
        )
        async with serving(app, host=settings.webhook_host, port=settings.webhook_port):
            await self.bot.set_webhook(
                settings.webhook_url,
                secret_token=settings.webhook_secret,
                allowed_updates=ALLOWED_UPDATES,
            )
            await asyncio.Event().wait()

    async def _feed(self, update: dict[str, Any]) -> None:
        await self.dispatcher.feed_raw_update(self.bot, update)


def create_bot(settings: Settings) -> Bot:
    """Create the aiogram Bot talking to settings.telegram_api_base."""
    session = AiohttpSession(api=TelegramAPIServer.from_base(settings.telegram_api_base))
    return Bot(settings.telegram_bot_token, session=session)


async def run_aiogram(
    settings: Settings, core: ConversationCore, *, policy: DeliveryPolicy = DEFAULT_POLICY
) -> None:
    """Run the bot on aiogram until cancelled, then finish the updates in progress."""
    quiet_url_loggers()
    bot = create_bot(settings)
    runtime = AiogramRuntime(bot, core, policy=policy)
    try:
        await runtime.run(settings)
    finally:
        try:
            await runtime.in_flight.drain()
        finally:
            await bot.session.close()
