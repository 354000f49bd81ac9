"""python-telegram-bot 22 adapter: raw update → Event, Reply → Bot API call, one try each."""

from __future__ import annotations

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
from telegram.ext import Application, Defaults
from telegram.warnings import PTBDeprecationWarning, PTBUserWarning

from bot.runtime.delivery import call_with_retries
from bot.runtime.updates import ALLOWED_UPDATES, event_from_update, menu_commands
from core.events import (
    AnswerCallback,
    Blocked,
    Delivered,
    EditText,
    FileUnavailableError,
    Keyboard,
    Rejected,
    Reply,
    SendDocument,
    SendOutcome,
    SendPhoto,
    SendText,
    SetCommands,
    Unreachable,
)
from core.events import RetryAfter as RetryLater

if TYPE_CHECKING:
    from core.config import Settings
    from core.events import Event

    AnyApplication = Application[Any, Any, Any, Any, Any, Any]

logger = logging.getLogger(__name__)

Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove
#: Files larger than this are not downloaded (the Bot API serves at most 20 MB).
MAX_DOWNLOAD_BYTES = 10 * 1024 * 1024


def classify_error(error: Exception) -> SendOutcome:
    """Tell what a python-telegram-bot exception means for the send."""
    if isinstance(error, RetryAfter):
        return RetryLater(_retry_seconds(error))
    if isinstance(error, Forbidden):
        return Blocked(error.message)
    if isinstance(error, BadRequest):  # a subclass of NetworkError, but never worth a retry
        return Rejected(error.message)
    if isinstance(error, NetworkError):
        return Unreachable(type(error).__name__)
    if isinstance(error, TelegramError):
        return Rejected(error.message)
    return Unreachable(type(error).__name__)


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
                [
                    InlineKeyboardButton(button.text, url=button.url)
                    if button.url
                    else InlineKeyboardButton(button.text, callback_data=button.data)
                    for button in row
                ]
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
    """Make the Bot API call for one reply (HTML comes from the bot's Defaults)."""
    match reply:
        case SendText():
            return await bot.send_message(
                reply.chat_id,
                reply.text,
                reply_markup=reply_markup(reply.keyboard, remove=reply.remove_keyboard),
            )
        case EditText():
            markup = reply_markup(reply.keyboard)
            return await bot.edit_message_text(
                reply.text,
                chat_id=reply.chat_id,
                message_id=reply.message_id,
                reply_markup=markup if isinstance(markup, InlineKeyboardMarkup) else None,
            )
        case AnswerCallback():
            return await bot.answer_callback_query(reply.callback_id, text=reply.text)
        case SendPhoto():
            photo = reply.file_id or InputFile(reply.content or b"", filename=reply.filename)
            return await bot.send_photo(reply.chat_id, photo, caption=reply.caption)
        case SendDocument():
            return await bot.send_document(
                reply.chat_id,
                InputFile(reply.content, filename=reply.filename),
                caption=reply.caption,
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


def build_application(settings: Settings) -> AnyApplication:
    """Build the PTB Application (only its bot is used) talking to settings.telegram_api_base."""
    base = settings.telegram_api_base
    timeout = settings.send_timeout_seconds
    return (
        Application.builder()
        .token(settings.telegram_bot_token)
        .base_url(f"{base}/bot")
        .base_file_url(f"{base}/file/bot")
        .connect_timeout(timeout)
        .read_timeout(timeout)
        .write_timeout(timeout)
        .pool_timeout(timeout)
        .defaults(Defaults(parse_mode=ParseMode.HTML))
        .updater(None)
        .job_queue(None)
        .build()
    )


class PtbClient:
    """The Bot API through python-telegram-bot: the runtime's `TelegramClient`."""

    def __init__(self, settings: Settings) -> None:
        self.application = build_application(settings)
        self.bot = self.application.bot
        self.files = PtbFiles(self.bot)

    async def start(self) -> str | None:
        """Initialise the bot (learning its username) and register the command menu."""
        await self.bot.initialize()
        commands = [BotCommand(name, text) for name, text in menu_commands()]
        await call_with_retries(
            partial(self.bot.set_my_commands, commands),
            classify=classify_error,
            what="SetMyCommands",
        )
        return self.bot.username

    async def send(self, reply: Reply) -> SendOutcome:
        """Try once to send the reply (core.events.Transport)."""
        try:
            result = await send_reply(self.bot, reply)
        except Exception as error:
            outcome = classify_error(error)
            if not isinstance(outcome, RetryLater | Blocked):
                logger.warning("%s failed: %s", type(reply).__name__, outcome)
            return outcome
        return Delivered(getattr(result, "message_id", None))

    def parse(self, raw: dict[str, Any]) -> Event | None:
        """Translate a raw update; None when it is not for the core or cannot be read."""
        try:
            update = Update.de_json(raw, self.bot)
        except Exception as error:  # PTB raises plain KeyError/TypeError on odd updates
            logger.warning(
                "Update %s cannot be read (%s); skipped",
                raw.get("update_id"),
                type(error).__name__,
            )
            return None
        return event_from_update(update, bot_username=self.bot.username)

    async def fetch_updates(self, offset: int | None, wait_seconds: int) -> list[dict[str, Any]]:
        """Long-poll getUpdates from `offset` (confirming the ones before it), as plain dicts."""
        arguments: dict[str, Any] = {"timeout": wait_seconds, "allowed_updates": ALLOWED_UPDATES}
        if offset is not None:
            arguments["offset"] = offset
        with warnings.catch_warnings():  # PTB suggests get_updates, which returns parsed objects
            warnings.simplefilter("ignore", PTBUserWarning)
            return await self.bot.do_api_request(
                "getUpdates", api_kwargs=arguments, read_timeout=wait_seconds + 10
            )

    async def set_webhook(self, url: str, secret: str) -> None:
        """Ask Telegram to POST updates to `url` with the secret header."""
        await call_with_retries(
            partial(
                self.bot.set_webhook, url, secret_token=secret, allowed_updates=ALLOWED_UPDATES
            ),
            classify=classify_error,
            what="SetWebhook",
        )

    async def delete_webhook(self) -> None:
        """Stop webhook delivery so getUpdates works."""
        await call_with_retries(
            self.bot.delete_webhook, classify=classify_error, what="DeleteWebhook"
        )

    async def close(self) -> None:
        """Close the HTTP connections."""
        await self.bot.shutdown()
