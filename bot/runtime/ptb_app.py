"""python-telegram-bot 22 runtime: Update → Event, Reply → Bot API call; polling or the webhook."""

from __future__ import annotations

import asyncio
import logging
import warnings
from datetime import timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import Application, ContextTypes, TypeHandler
from telegram.warnings import PTBDeprecationWarning

from bot.runtime.delivery import (
    DEFAULT_POLICY,
    DeliveryPolicy,
    Failure,
    FailureKind,
    deliver_with_policy,
    quiet_url_loggers,
)
from bot.runtime.translate import ALLOWED_UPDATES, CoreBridge, event_from_update, menu_commands
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
    from bot.runtime.translate import ConversationCore
    from core.config import Settings

    AnyApplication = Application[Any, Any, Any, Any, Any, Any]

logger = logging.getLogger(__name__)

#: Updates processed at once; per-chat order is the core's job.
CONCURRENT_UPDATES = 256

Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove
#: Files larger than this are not downloaded (the Bot API serves at most 20 MB).
MAX_DOWNLOAD_BYTES = 10 * 1024 * 1024


def classify_error(error: Exception) -> Failure:
    """Tell what a python-telegram-bot exception means for delivery."""
    if isinstance(error, RetryAfter):
        return Failure(FailureKind.RATE_LIMITED, retry_after=_retry_seconds(error))
    if isinstance(error, Forbidden):
        return Failure(FailureKind.BLOCKED, error.message)
    if isinstance(error, BadRequest):  # a subclass of NetworkError, but never worth a retry
        return Failure(FailureKind.REJECTED, error.message)
    if isinstance(error, NetworkError):
        return Failure(FailureKind.NETWORK, type(error).__name__)
    if isinstance(error, TelegramError):
        return Failure(FailureKind.REJECTED, error.message)
    return Failure(FailureKind.UNKNOWN)


def _retry_seconds(error: RetryAfter) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def reply_markup(keyboard: Keyboard | None, *, remove: bool = False) -> Markup | None:
    """Build the PTB markup for a core keyboard (or the keyboard removal)."""
    if keyboard is None:
        return ReplyKeyboardRemove() if remove else None
    if keyboard.inline:
        return InlineKeyboardMarkup(
            [
                [InlineKeyboardButton(button.text, callback_data=button.data) for button in row]
                for row in keyboard.rows
            ]
        )
    return ReplyKeyboardMarkup(
        [
            [
                KeyboardButton(
                    button.text,
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
            photo = reply.file_id or InputFile(reply.content or b"", filename=reply.filename)
            return await bot.send_photo(
                reply.chat_id, photo, caption=reply.caption, parse_mode=ParseMode.HTML
            )
        case SendDocument():
            return await bot.send_document(
                reply.chat_id,
                InputFile(reply.content, filename=reply.filename),
                caption=reply.caption,
                parse_mode=ParseMode.HTML,
            )
        case SetCommands():
            return await bot.set_my_commands(
                [BotCommand(name, text) for name, text in reply.commands],
                scope=BotCommandScopeChat(reply.chat_id),
            )
        case _:
            msg = f"unknown reply {type(reply).__name__}"
            raise TypeError(msg)


class PtbFiles:
    """Downloads files people sent, for the core (``core.events.FileSource``)."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def download(self, file_id: str) -> bytes:
        """Return the file's bytes; FileUnavailableError when it is too large or unreachable."""
        try:
            file = await self.bot.get_file(file_id)
            if (file.file_size or 0) > MAX_DOWNLOAD_BYTES:
                msg = "file too large"
                raise FileUnavailableError(msg)
            return bytes(await file.download_as_bytearray())
        except TelegramError as error:
            raise FileUnavailableError(type(error).__name__) from error


def build_application(settings: Settings, *, webhook: bool) -> AnyApplication:
    """Build the PTB Application talking to settings.telegram_api_base."""
    base = settings.telegram_api_base
    builder = (
        Application.builder()
        .token(settings.telegram_bot_token)
        .base_url(f"{base}/bot")
        .base_file_url(f"{base}/file/bot")
        .concurrent_updates(CONCURRENT_UPDATES)
        .job_queue(None)
    )
    if webhook:
        builder = builder.updater(None)
    return builder.build()


class PtbRuntime:
    """One bot: an Application whose only handler hands each update to the core."""

    def __init__(
        self,
        application: AnyApplication,
        core: ConversationCore,
        *,
        policy: DeliveryPolicy = DEFAULT_POLICY,
    ) -> None:
        self.application = application
        self.bridge = CoreBridge(
            core, send=partial(send_reply, application.bot), classify=classify_error, policy=policy
        )
        application.add_handler(TypeHandler(Update, self._accept))
        core.files = PtbFiles(application.bot)

    async def _accept(self, update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        event = event_from_update(update, bot_username=self.application.bot.username)
        if event is not None:
            await self.bridge.process(event)

    async def run(self, settings: Settings) -> None:
        """Register the command menu, then poll or serve the webhook until cancelled."""
        application = self.application
        async with application:
            self.bridge.core.bot_username = application.bot.username
            await self.register_commands()
            await application.start()
            try:
                if settings.webhook_url:
                    await self._serve_webhook(settings)
                else:
                    await self._poll()
            finally:
                await application.stop()

    async def register_commands(self) -> None:
        """Set the Indonesian command menu; a failure is logged, not fatal."""
        commands = [BotCommand(name, text) for name, text in menu_commands()]
        await deliver_with_policy(
            partial(self.application.bot.set_my_commands, commands),
            classify=classify_error,
            what="SetMyCommands",
        )

    async def _poll(self) -> None:
        updater = self.application.updater
        if updater is None:
            msg = "polling needs the Application's Updater"
            raise RuntimeError(msg)
        await updater.start_polling(allowed_updates=ALLOWED_UPDATES)
        try:
            await asyncio.Event().wait()
        finally:
            await updater.stop()

    async def _serve_webhook(self, settings: Settings) -> None:
        app = build_webhook_app(
            path=webhook_path(settings.webhook_url),
            secret=settings.webhook_secret,
            feed=self._feed,
        )
        async with serving(app, host=settings.webhook_host, port=settings.webhook_port):
            await self.application.bot.set_webhook(
                settings.webhook_url,
                secret_token=settings.webhook_secret,
                allowed_updates=ALLOWED_UPDATES,
            )
            await asyncio.Event().wait()

    async def _feed(self, update: dict[str, Any]) -> None:
        bot = self.application.bot
        await self.application.update_queue.put(Update.de_json(update, bot))


async def run_ptb(
    settings: Settings, core: ConversationCore, *, policy: DeliveryPolicy = DEFAULT_POLICY
) -> None:
    """Run the bot on python-telegram-bot until cancelled, then finish the updates in progress."""
    quiet_url_loggers()
    application = build_application(settings, webhook=bool(settings.webhook_url))
    await PtbRuntime(application, core, policy=policy).run(settings)
