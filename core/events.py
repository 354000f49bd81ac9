"""Framework-free events in, reply actions out: the contract between runtimes and the core."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol


class EventKind(StrEnum):
    """What a person did, as far as the core cares."""

    COMMAND = "command"
    TEXT = "text"
    CALLBACK = "callback"
    LOCATION = "location"
    PHOTO = "photo"
    DOCUMENT = "document"
    CONTACT = "contact"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class Event:
    """One incoming update, translated by a runtime.

    `text` holds the message text, the command's arguments, or the callback data.
    `command` is the command name without slash and bot suffix (``"start"``).
    `message_id` is the id of the message a pressed button belongs to.
    `file_name` is the name a document was sent under.
    """

    update_id: int
    user_id: int
    chat_id: int
    kind: EventKind
    text: str = ""
    command: str | None = None
    callback_id: str | None = None
    message_id: int | None = None
    latitude: float | None = None
    longitude: float | None = None
    file_id: str | None = None
    mime_type: str | None = None
    file_name: str | None = None
    phone_number: str | None = None
    language: str | None = None
    first_name: str = ""
    username: str | None = None
    chat_type: str = "private"


@dataclass(frozen=True, slots=True)
class Button:
    """A button: inline ones carry `data` or open `url`; reply ones may request data."""

    text: str
    data: str | None = None
    url: str | None = None
    request_location: bool = False
    request_contact: bool = False


@dataclass(frozen=True, slots=True)
class Keyboard:
    """Rows of buttons, shown under the message (inline) or in place of the keyboard (reply)."""

    rows: tuple[tuple[Button, ...], ...]
    inline: bool = True
    one_time: bool = True

    @classmethod
    def inline_rows(cls, rows: list[list[Button]]) -> Keyboard:
        """Build an inline keyboard from lists."""
        return cls(rows=tuple(tuple(row) for row in rows), inline=True)

    @classmethod
    def reply_rows(cls, rows: list[list[Button]], *, one_time: bool = True) -> Keyboard:
        """Build a reply keyboard from lists."""
        return cls(rows=tuple(tuple(row) for row in rows), inline=False, one_time=one_time)

    def buttons(self) -> list[Button]:
        """Return every button, row by row."""
        return [button for row in self.rows for button in row]


@dataclass(frozen=True, slots=True)
class SendText:
    """Send an HTML-formatted text; `remove_keyboard` hides a previous reply keyboard."""

    chat_id: int
    text: str
    keyboard: Keyboard | None = None
    remove_keyboard: bool = False


@dataclass(frozen=True, slots=True)
class EditText:
    """Replace the text (and inline keyboard) of a message the bot sent earlier."""

    chat_id: int
    message_id: int
    text: str
    keyboard: Keyboard | None = None


@dataclass(frozen=True, slots=True)
class AnswerCallback:
    """Stop the button's loading spinner, optionally with a short notice."""

    callback_id: str
    text: str | None = None


@dataclass(frozen=True, slots=True)
class SendPhoto:
    """Send a photo by Telegram file id or as uploaded bytes."""

    chat_id: int
    file_id: str | None = None
    content: bytes | None = None
    filename: str = "chart.png"
    caption: str | None = None


@dataclass(frozen=True, slots=True)
class SendDocument:
    """Send a file as uploaded bytes."""

    chat_id: int
    content: bytes
    filename: str
    caption: str | None = None


@dataclass(frozen=True, slots=True)
class SetCommands:
    """Set the command list Telegram shows in one chat (its per-chat scope).

    `commands` are (name without slash, description) pairs in the chat's language.
    """

    chat_id: int
    commands: tuple[tuple[str, str], ...]


Reply = SendText | EditText | AnswerCallback | SendPhoto | SendDocument | SetCommands


@dataclass(frozen=True, slots=True)
class Delivered:
    """Telegram took the reply; `message_id` is the new message's (None for a callback answer)."""

    message_id: int | None = None


@dataclass(frozen=True, slots=True)
class Blocked:
    """The person blocked the bot or left: nothing more can reach them."""

    reason: str = ""


@dataclass(frozen=True, slots=True)
class RetryAfter:
    """Telegram asked the whole bot to wait `seconds` before sending again (429)."""

    seconds: float


@dataclass(frozen=True, slots=True)
class Rejected:
    """Telegram refused this reply for good (400: deleted chat, bad payload...)."""

    reason: str


@dataclass(frozen=True, slots=True)
class Unreachable:
    """The network failed or Telegram had an error of its own (5xx); worth retrying later."""

    reason: str


#: What happened to one send.
SendOutcome = Delivered | Blocked | RetryAfter | Rejected | Unreachable


class Transport(Protocol):
    """Sends replies, one Bot API call each; implemented by each runtime and the terminal chat."""

    async def send(self, reply: Reply) -> SendOutcome:
        """Try once to send `reply` and tell what happened; never raises for Telegram's errors."""
        ...


class FileSource(Protocol):
    """Fetches the content of a file a person sent; implemented by each runtime."""

    async def download(self, file_id: str) -> bytes:
        """Return the file's bytes.

        Raises:
            FileUnavailableError: the file cannot be fetched (too large, gone, network).
        """
        ...


class FileUnavailableError(Exception):
    """A file a person sent could not be fetched."""
