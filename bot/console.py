"""Terminal runtime: the real conversation on stdin/stdout, buttons as numbered choices.

It is also the outbox sender's transport here: what the bot would send to someone else
(a notification, a reminder) is printed too, marked with its recipient.
"""

from __future__ import annotations

import asyncio
import html
import mimetypes
import re
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from core.events import (
    AnswerCallback,
    Button,
    Delivered,
    EditText,
    Event,
    EventKind,
    FileUnavailableError,
    Keyboard,
    Reply,
    SendDocument,
    SendOutcome,
    SendPhoto,
    SendText,
)
from core.i18n import _, pick_locale, use_locale

if TYPE_CHECKING:
    from handlers.dispatch import Core
    from services.notify.sender import Sender

CONSOLE_CHAT_ID = 1
PHOTO_PREFIX = "#foto "
DOCUMENT_PREFIX = "#dokumen "
LOCAL_FILE = "local:"
_TAG = re.compile(r"</?(b|i|u|s|code|pre)>")


class ConsoleChat:
    """Turns typed lines into events and replies into printed text."""

    def __init__(
        self,
        core: Core,
        *,
        output: TextIO = sys.stdout,
        chat_id: int = CONSOLE_CHAT_ID,
        language: str = "id",
        first_name: str = "Warga",
    ) -> None:
        self.core = core
        self.output = output
        self.chat_id = chat_id
        self.language = pick_locale(language)
        self.first_name = first_name
        self._last_update_id = int(time.time() * 1000)
        self._message_id = 0
        self._choices: list[tuple[Button, int]] = []
        self._fresh_choices = False
        self._pending_request: Button | None = None
        if core.files is None:
            core.files = LocalFiles()
        #: Sends the replies through the outbox (set by bot.app); None prints them directly.
        self.sender: Sender | None = None

    def _next_update_id(self) -> int:
        self._last_update_id = max(self._last_update_id + 1, int(time.time() * 1000))
        return self._last_update_id

    def _event(self, kind: EventKind, text: str = "", **fields: object) -> Event:
        return Event(
            update_id=self._next_update_id(),
            user_id=self.chat_id,
            chat_id=self.chat_id,
            kind=kind,
            text=text,
            language=self.language,
            first_name=self.first_name,
            **fields,  # type: ignore[arg-type]
        )

    def event_for(self, line: str) -> Event | None:
        """Translate one typed line into an event (None when the line only asked for help)."""
        line = line.strip()
        if self._pending_request is not None:
            return self._answer_request(line)
        if line.isdigit() and 1 <= int(line) <= len(self._choices):
            return self._choose(*self._choices[int(line) - 1])
        if line.startswith(PHOTO_PREFIX):
            path = line.removeprefix(PHOTO_PREFIX).strip()
            return self._event(
                EventKind.PHOTO, file_id=f"{LOCAL_FILE}{path}", mime_type="image/jpeg"
            )
        if line.startswith(DOCUMENT_PREFIX):
            path = line.removeprefix(DOCUMENT_PREFIX).strip()
            return self._event(
                EventKind.DOCUMENT,
                file_id=f"{LOCAL_FILE}{path}",
                file_name=Path(path).name,
                mime_type=mimetypes.guess_type(path)[0],
            )
        if line.startswith("/") and len(line) > 1:
            name, _space, args = line[1:].partition(" ")
            return self._event(EventKind.COMMAND, args.strip(), command=name.split("@")[0])
        return self._event(EventKind.TEXT, line)

    def _choose(self, choice: Button, message_id: int) -> Event | None:
        if choice.request_location or choice.request_contact:
            self._pending_request = choice
            with use_locale(self.language):
                prompt = (
                    _("Type the coordinates as latitude, longitude (e.g. -3.1712, 102.2154):")
                    if choice.request_location
                    else _("Type your phone number:")
                )
            self._print(prompt)
            return None
        if choice.data is not None:
            return self._event(
                EventKind.CALLBACK,
                choice.data,
                callback_id=f"console-{self._last_update_id}",
                message_id=message_id,
            )
        return self._event(EventKind.TEXT, choice.text)

    def _answer_request(self, line: str) -> Event | None:
        request, self._pending_request = self._pending_request, None
        if request is not None and request.request_contact:
            return self._event(EventKind.CONTACT, phone_number=line)
        match = re.fullmatch(r"\s*(-?\d+(?:[.,]\d+)?)\s*[,; ]\s*(-?\d+(?:[.,]\d+)?)\s*", line)
        if match is None:
            return self._event(EventKind.TEXT, line)
        latitude, longitude = (float(part.replace(",", ".")) for part in match.groups())
        return self._event(EventKind.LOCATION, latitude=latitude, longitude=longitude)

    def show(self, replies: list[Reply]) -> None:
        """Print replies; the buttons of this batch become the numbered choices."""
        self._fresh_choices = False
        for reply in replies:
            self._show_one(reply)

    async def send(self, reply: Reply) -> SendOutcome:
        """Print one reply (core.events.Transport); another chat's is marked with its recipient."""
        recipient = getattr(reply, "chat_id", self.chat_id)
        if recipient != self.chat_id:
            text = getattr(reply, "text", None) or getattr(reply, "caption", None) or ""
            self._print(f"→ [{recipient}] {_plain(text)}")
            return Delivered()
        return Delivered(self._show_one(reply))

    def _show_one(self, reply: Reply) -> int | None:
        if getattr(reply, "keyboard", None) is not None and not self._fresh_choices:
            self._choices = []
            self._fresh_choices = True
        if isinstance(reply, SendText):
            self._message_id += 1
            self._print(_plain(reply.text))
            self._offer(reply.keyboard, self._message_id)
            return self._message_id
        if isinstance(reply, EditText):
            self._print(_plain(reply.text))
            self._offer(reply.keyboard, reply.message_id)
        elif isinstance(reply, AnswerCallback) and reply.text:
            self._print(f"(i) {reply.text}")
        elif isinstance(reply, SendPhoto | SendDocument):
            name = reply.filename if isinstance(reply, SendDocument) else "foto"
            self._print(f"[{name}] {_plain(reply.caption or '')}".rstrip())
        return None

    def _offer(self, keyboard: Keyboard | None, message_id: int) -> None:
        if keyboard is None:
            return
        for choice in keyboard.buttons():
            label = f"{choice.text} ({choice.url})" if choice.url else choice.text
            self._choices.append((choice, message_id))
            self._print(f"  [{len(self._choices)}] {label}")

    async def talk(self, event: Event) -> None:
        """Apply one typed event and print the answer (through the outbox when wired)."""
        applied = await self.core.process(event)
        for update in applied:
            self._fresh_choices = False
            if self.sender is not None:
                await self.sender.send_replies(update.replies)
            else:
                self.show([queued.reply for queued in update.replies])

    def _print(self, text: str) -> None:
        print(text, file=self.output, flush=True)

    async def run(self, lines: TextIO) -> None:
        """Read lines until end of input, handing each to the core."""
        with use_locale(self.language):
            self._print(
                _(
                    "Musrenbang chat in the terminal. Type /start to begin, a number to press "
                    "a button, '#foto PATH' to send a photo, '#dokumen PATH' to send a file; "
                    "Ctrl+D to quit."
                )
            )
        loop = asyncio.get_running_loop()
        while True:
            line = await loop.run_in_executor(None, lines.readline)
            if not line:
                return
            if not line.strip():
                continue
            event = self.event_for(line)
            if event is not None:
                await self.talk(event)


class LocalFiles:
    """Reads the files typed as ``#dokumen PATH`` (``core.events.FileSource``)."""

    async def download(self, file_id: str) -> bytes:
        """Return the content of a local file."""
        try:
            return await asyncio.to_thread(Path(file_id.removeprefix(LOCAL_FILE)).read_bytes)
        except OSError as error:
            raise FileUnavailableError(file_id) from error


def _plain(text: str) -> str:
    """Strip Telegram HTML tags for the terminal."""
    return html.unescape(_TAG.sub("", text))
