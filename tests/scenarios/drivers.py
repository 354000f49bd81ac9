"""One way to talk to the bot per runtime, so the same user stories run through each.

Every action names the text the person waits to see (`expect`); the driver fails with
what the person did see when it does not come.
"""

from __future__ import annotations

import asyncio
import io
import itertools
import re
from typing import TYPE_CHECKING, Protocol

from bot.console import ConsoleChat
from core.events import AnswerCallback, EditText, Event, EventKind, Keyboard, Reply, SendText

if TYPE_CHECKING:
    from handlers.dispatch import Core
    from tests.e2e.fake_bot_api import FakeBotApi


class Driver(Protocol):
    """What a person can do in a chat."""

    chat_id: int

    async def send(self, text: str, *, expect: str) -> None: ...
    async def press(self, label: str, *, expect: str) -> None: ...
    async def share_location(self, latitude: float, longitude: float, *, expect: str) -> None: ...
    async def send_photo(self, *, expect: str) -> None: ...
    async def send_sticker(self, *, expect: str) -> None: ...
    def transcript(self) -> str: ...


class CoreDriver:
    """Talks to the core directly, as a runtime would."""

    _update_ids = itertools.count(10_000)

    def __init__(self, core: Core, chat_id: int = 4242, first_name: str = "Siti") -> None:
        self.core = core
        self.chat_id = chat_id
        self.first_name = first_name
        self.messages: dict[int, tuple[str, Keyboard | None]] = {}
        self._message_ids = itertools.count(1)
        self._last_texts: list[str] = []

    def _event(self, kind: EventKind, text: str = "", **fields: object) -> Event:
        return Event(
            update_id=next(self._update_ids),
            user_id=self.chat_id,
            chat_id=self.chat_id,
            kind=kind,
            text=text,
            language="id",
            first_name=self.first_name,
            **fields,  # type: ignore[arg-type]
        )

    async def _handle(self, event: Event, expect: str) -> None:
        self._last_texts = []
        replies = await self.core.handle(event)
        answers = [reply for reply in replies if isinstance(reply, AnswerCallback)]
        assert len(answers) == (event.kind is EventKind.CALLBACK), (event, answers)
        for reply in replies:
            if isinstance(reply, SendText):
                self.messages[next(self._message_ids)] = (reply.text, reply.keyboard)
                self._last_texts.append(reply.text)
            elif isinstance(reply, EditText):
                self.messages[reply.message_id] = (reply.text, reply.keyboard)
                self._last_texts.append(reply.text)
        seen = "\n---\n".join(self._last_texts)
        assert expect in seen, f"expected {expect!r}; the bot said:\n{seen}"

    async def send(self, text: str, *, expect: str) -> None:
        if text.startswith("/"):
            name, _space, args = text[1:].partition(" ")
            await self._handle(self._event(EventKind.COMMAND, args, command=name), expect)
            return
        await self._handle(self._event(EventKind.TEXT, text), expect)

    async def press(self, label: str, *, expect: str) -> None:
        for message_id in sorted(self.messages, reverse=True):
            _text, keyboard = self.messages[message_id]
            for button in keyboard.buttons() if keyboard else []:
                if button.text == label and button.data is not None:
                    event = self._event(
                        EventKind.CALLBACK,
                        button.data,
                        callback_id=f"cb{message_id}",
                        message_id=message_id,
                    )
                    await self._handle(event, expect)
                    return
        msg = f"no button {label!r} is shown"
        raise LookupError(msg)

    async def press_data(self, data: str, *, expect: str) -> None:
        """Press a button with data no keyboard showed (an old or a hand-made one)."""
        event = self._event(EventKind.CALLBACK, data, callback_id="cb-made", message_id=1)
        await self._handle(event, expect)

    async def share_location(self, latitude: float, longitude: float, *, expect: str) -> None:
        event = self._event(EventKind.LOCATION, latitude=latitude, longitude=longitude)
        await self._handle(event, expect)

    async def send_photo(self, *, expect: str) -> None:
        event = self._event(EventKind.PHOTO, file_id=f"photo-{next(self._update_ids)}")
        await self._handle(event, expect)

    async def send_sticker(self, *, expect: str) -> None:
        await self._handle(self._event(EventKind.OTHER), expect)

    async def send_document(
        self, mime_type: str, *, expect: str, file_name: str | None = None
    ) -> None:
        event = self._event(
            EventKind.DOCUMENT,
            file_id=f"doc-{next(self._update_ids)}",
            mime_type=mime_type,
            file_name=file_name,
        )
        await self._handle(event, expect)

    async def send_file(self, content: bytes, filename: str, *, expect: str) -> None:
        """Send a file whose bytes the core can download (through `core.files`)."""
        file_id = f"file-{next(self._update_ids)}"
        files = self.core.files if isinstance(self.core.files, MemoryFiles) else MemoryFiles()
        files.content[file_id] = content
        self.core.files = files
        event = self._event(EventKind.DOCUMENT, file_id=file_id, file_name=filename)
        await self._handle(event, expect)

    def receive(self, reply: Reply) -> None:
        """Show a message the bot sent outside an update (a notification from the outbox)."""
        if isinstance(reply, SendText):
            self.messages[next(self._message_ids)] = (reply.text, reply.keyboard)

    def transcript(self) -> str:
        return "\n".join(text for text, _keyboard in self.messages.values())


class MemoryFiles:
    """Files a test driver sent, by file id (``core.events.FileSource``)."""

    def __init__(self) -> None:
        self.content: dict[str, bytes] = {}

    async def download(self, file_id: str) -> bytes:
        return self.content[file_id]


class FakeApiDriver:
    """Talks to a running aiogram or PTB runtime through the fake Bot API server."""

    QUIET_SECONDS = 0.05

    def __init__(self, api: FakeBotApi, chat_id: int = 4242, first_name: str = "Siti") -> None:
        self.api = api
        self.chat_id = chat_id
        self.first_name = first_name

    async def _wait(self, expect: str) -> None:
        """Wait for the expected text, then until the bot has finished this update's replies."""
        await self.api.wait_for(self.chat_id, text=expect, timeout=15)
        seen = -1
        while len(self.api.calls()) != seen:
            seen = len(self.api.calls())
            await asyncio.sleep(self.QUIET_SECONDS)

    async def send(self, text: str, *, expect: str) -> None:
        self.api.push_text(self.chat_id, text, first_name=self.first_name)
        await self._wait(expect)

    async def press(self, label: str, *, expect: str) -> None:
        self.api.press(self.chat_id, label)
        await self._wait(expect)

    async def share_location(self, latitude: float, longitude: float, *, expect: str) -> None:
        self.api.push_location(self.chat_id, latitude, longitude)
        await self._wait(expect)

    async def send_photo(self, *, expect: str) -> None:
        self.api.push_photo(self.chat_id)
        await self._wait(expect)

    async def send_sticker(self, *, expect: str) -> None:
        self.api.push_sticker(self.chat_id)
        await self._wait(expect)

    async def send_document(self, mime_type: str, *, expect: str) -> None:
        self.api.push_document(self.chat_id, b"%PDF-1.4 test", "surat.pdf", mime_type)
        await self._wait(expect)

    async def send_file(self, content: bytes, filename: str, *, expect: str) -> None:
        self.api.push_document(self.chat_id, content, filename)
        await self._wait(expect)

    def transcript(self) -> str:
        return "\n".join(self.api.texts(self.chat_id))


class ConsoleDriver:
    """Types into the terminal runtime and reads what it prints."""

    _CHOICE = re.compile(r"^\s*\[(\d+)\] (.+)$")

    def __init__(self, core: Core, chat_id: int = 4242, first_name: str = "Siti") -> None:
        self.output = io.StringIO()
        self.chat = ConsoleChat(core, output=self.output, chat_id=chat_id, first_name=first_name)
        self.core = core
        self.chat_id = chat_id
        self._photos = itertools.count(1)

    async def _type(self, line: str, expect: str | None) -> None:
        start = self.output.tell()
        event = self.chat.event_for(line)
        if event is not None:
            self.chat.show(await self.core.handle(event))
        if expect is not None:
            printed = self.output.getvalue()[start:]
            assert expect in printed, f"expected {expect!r}; the terminal showed:\n{printed}"

    def _number_of(self, label: str) -> str:
        choices = {}
        for line in self.output.getvalue().splitlines():
            match = self._CHOICE.match(line)
            if match:
                choices[match.group(2)] = match.group(1)
        if label not in choices:
            msg = f"no choice {label!r} is shown"
            raise LookupError(msg)
        return choices[label]

    async def send(self, text: str, *, expect: str) -> None:
        await self._type(text, expect)

    async def press(self, label: str, *, expect: str) -> None:
        await self._type(self._number_of(label), expect)

    async def share_location(self, latitude: float, longitude: float, *, expect: str) -> None:
        await self._type(self._number_of("📍 Kirim lokasi saya"), None)
        await self._type(f"{latitude}, {longitude}", expect)

    async def send_photo(self, *, expect: str) -> None:
        await self._type(f"#foto /tmp/foto-{next(self._photos)}.jpg", expect)

    async def send_sticker(self, *, expect: str) -> None:
        event = self.chat._event(EventKind.OTHER)
        self.chat.show(await self.core.handle(event))
        assert expect in self.output.getvalue()

    def transcript(self) -> str:
        return self.output.getvalue()
