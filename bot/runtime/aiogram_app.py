"""aiogram 3 adapter: raw update → Event, Reply → Bot API call, one try each."""

from __future__ import annotations

import logging
from functools import partial
from typing import TYPE_CHECKING, Any

from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.exceptions import (
    ClientDecodeError,
    TelegramAPIError,
    TelegramEntityTooLarge,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.methods import GetUpdates
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
from pydantic import ValidationError

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
    RetryAfter,
    SendDocument,
    SendOutcome,
    SendPhoto,
    SendText,
    SetCommands,
    Unreachable,
)

if TYPE_CHECKING:
    from core.config import Settings
    from core.events import Event

logger = logging.getLogger(__name__)

Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove
#: Files larger than this are not downloaded (the Bot API serves at most 20 MB).
MAX_DOWNLOAD_BYTES = 10 * 1024 * 1024


class GetRawUpdates(GetUpdates):
    """getUpdates answered as plain dicts, so one malformed update cannot stop polling."""

    __returning__ = list[dict[str, Any]]


def classify_error(error: Exception) -> SendOutcome:
    """Tell what an aiogram exception means for the send."""
    if isinstance(error, TelegramRetryAfter):
        return RetryAfter(float(error.retry_after))
    if isinstance(error, TelegramForbiddenError):
        return Blocked(error.message)
    if isinstance(error, TelegramEntityTooLarge | TelegramNotFound):
        return Rejected(error.message)
    if isinstance(error, TelegramNetworkError | TelegramServerError | ClientDecodeError):
        return Unreachable(type(error).__name__)
    if isinstance(error, TelegramAPIError):
        return Rejected(error.message)
    return Unreachable(type(error).__name__)


def reply_markup(keyboard: Keyboard | None, *, remove: bool = False) -> Markup | None:
    """Build the aiogram markup for a core keyboard (or the keyboard removal)."""
    if keyboard is None:
        return ReplyKeyboardRemove() if remove else None
    if keyboard.inline:
        return InlineKeyboardMarkup(
            inline_keyboard=[
                [
                    InlineKeyboardButton(text=button.text, url=button.url)
                    if button.url
                    else InlineKeyboardButton(text=button.text, callback_data=button.data)
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
    """Make the Bot API call for one reply (HTML comes from the bot's defaults)."""
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
            photo = reply.file_id or BufferedInputFile(reply.content or b"", reply.filename)
            return await bot.send_photo(reply.chat_id, photo, caption=reply.caption)
        case SendDocument():
            return await bot.send_document(
                reply.chat_id,
                BufferedInputFile(reply.content, reply.filename),
                caption=reply.caption,
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


def create_bot(settings: Settings) -> Bot:
    """Create the aiogram Bot talking to settings.telegram_api_base, HTML by default."""
    session = AiohttpSession(
        api=TelegramAPIServer.from_base(settings.telegram_api_base),
        timeout=settings.send_timeout_seconds,
    )
    return Bot(
        settings.telegram_bot_token,
        session=session,
        default=DefaultBotProperties(parse_mode=ParseMode.HTML),
    )


class AiogramClient:
    """The Bot API through aiogram: the runtime's `TelegramClient`."""

    def __init__(self, settings: Settings) -> None:
        self.bot = create_bot(settings)
        self.username: str | None = None
        self.files = AiogramFiles(self.bot)

    async def start(self) -> str | None:
        """Learn the bot's username and register the Indonesian command menu."""
        self.username = (await self.bot.me()).username
        commands = [BotCommand(command=name, description=text) for name, text in menu_commands()]
        await call_with_retries(
            partial(self.bot.set_my_commands, commands),
            classify=classify_error,
            what="SetMyCommands",
        )
        return self.username

    async def send(self, reply: Reply) -> SendOutcome:
        """Try once to send the reply (core.events.Transport)."""
        try:
            result = await send_reply(self.bot, reply)
        except Exception as error:
            outcome = classify_error(error)
            if not isinstance(outcome, RetryAfter | Blocked):
                logger.warning("%s failed: %s", type(reply).__name__, outcome)
            return outcome
        return Delivered(getattr(result, "message_id", None))

    def parse(self, raw: dict[str, Any]) -> Event | None:
        """Translate a raw update; None when it is not for the core or cannot be read."""
        try:
            update = Update.model_validate(raw, context={"bot": self.bot})
            return event_from_update(update, bot_username=self.username)
        except ValidationError as error:
            reason = f"{error.error_count()} errors"
        except Exception as error:  # an update shape the reader did not expect
            reason = type(error).__name__
        logger.warning("Update %s cannot be read (%s); skipped", raw.get("update_id"), reason)
        return None

    async def fetch_updates(self, offset: int | None, wait_seconds: int) -> list[dict[str, Any]]:
        """Long-poll getUpdates from `offset` (confirming the ones before it)."""
        method = GetRawUpdates(
            offset=offset, timeout=wait_seconds, allowed_updates=ALLOWED_UPDATES
        )
        return await self.bot(method, request_timeout=wait_seconds + 10)

    async def set_webhook(self, url: str, secret: str) -> None:
        """Ask Telegram to POST updates to `url` with the secret header."""
        await call_with_retries(
            partial(
                self.bot.set_webhook,
                url,
                secret_token=secret,
                allowed_updates=ALLOWED_UPDATES,
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
        """Close the HTTP session."""
        await self.bot.session.close()
