"""Telegram's wire format for the fake Bot API: parameters in, objects and errors out, limits.

Objects are plain dicts shaped as the Bot API sends them as JSON, built by pure functions, so the
server in ``fake_bot_api.py`` stays about state. Error wording follows what the real Bot API
answers, because runtimes and tests match on it.
"""

from __future__ import annotations

import json
import struct
import time
import zlib
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from aiohttp import ClientResponse, MultipartReader, web

if TYPE_CHECKING:
    from collections.abc import Callable

MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_DATA_BYTES = 64

#: Update types delivered when a bot never asked for specific ones (Telegram's default).
DEFAULT_ALLOWED_UPDATES = frozenset(
    {
        "message",
        "edited_message",
        "channel_post",
        "edited_channel_post",
        "inline_query",
        "chosen_inline_result",
        "callback_query",
        "shipping_query",
        "pre_checkout_query",
        "poll",
        "poll_answer",
        "my_chat_member",
        "chat_join_request",
    }
)


class ApiError(Exception):
    """A Bot API error answer: HTTP status, Telegram's description and optional parameters."""

    def __init__(
        self, status: int, description: str, parameters: dict[str, Any] | None = None
    ) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters

    @classmethod
    def bad_request(cls, detail: str) -> ApiError:
        """Build a 400 answer worded ``Bad Request: <detail>``."""
        return cls(400, f"Bad Request: {detail}")

    def to_json(self) -> dict[str, Any]:
        """Return the JSON body Telegram sends for this error."""
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.status,
            "description": self.description,
        }
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def not_found() -> ApiError:
    """Answer for a malformed token, an unknown method or a missing file."""
    return ApiError(404, "Not Found")


def unauthorized() -> ApiError:
    """Answer for a well-formed token that is not the bot's."""
    return ApiError(401, "Unauthorized")


def blocked() -> ApiError:
    """Answer for a chat whose user blocked the bot."""
    return ApiError(403, "Forbidden: bot was blocked by the user")


def chat_not_found() -> ApiError:
    """Answer for a chat the bot never met."""
    return ApiError.bad_request("chat not found")


def button_data_invalid() -> ApiError:
    """Answer for callback_data that is empty or longer than 64 bytes."""
    return ApiError.bad_request("BUTTON_DATA_INVALID")


def not_modified() -> ApiError:
    """Answer for an edit that changes nothing."""
    return ApiError.bad_request(
        "message is not modified: specified new message content and reply markup are exactly "
        "the same as a current content and reply markup of the message"
    )


def message_to_edit_not_found() -> ApiError:
    """Answer for editing a message that is not in the chat."""
    return ApiError.bad_request("message to edit not found")


def query_invalid() -> ApiError:
    """Answer for an unknown or already answered callback query."""
    return ApiError.bad_request(
        "query is too old and response timeout expired or query ID is invalid"
    )


def webhook_conflict() -> ApiError:
    """Answer for getUpdates while a webhook is set."""
    return ApiError(
        409,
        "Conflict: can't use getUpdates method while webhook is active; "
        "use deleteWebhook to delete the webhook first",
    )


def too_many_requests(retry_after: int) -> ApiError:
    """Build the 429 flood-control answer with ``parameters.retry_after``."""
    return ApiError(
        429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after}
    )


def now() -> int:
    """Return the current Unix time as Telegram dates it."""
    return int(time.time())


def utf16_len(text: str) -> int:
    """Return the length Telegram counts: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


# --- users, chats, messages, updates -------------------------------------------------------


def user_object(
    user_id: int, first_name: str, *, language_code: str, username: str | None = None
) -> dict[str, Any]:
    """Build a human User."""
    user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
    if username:
        user["username"] = username
    user["language_code"] = language_code
    return user


def bot_user_object(bot_id: int, first_name: str, username: str) -> dict[str, Any]:
    """Build the bot's User as it appears in ``from`` of its messages."""
    return {"id": bot_id, "is_bot": True, "first_name": first_name, "username": username}


def get_me_object(bot_id: int, first_name: str, username: str) -> dict[str, Any]:
    """Build the User answered by getMe, with the bot-only capability flags."""
    return {
        **bot_user_object(bot_id, first_name, username),
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
        "can_connect_to_business": False,
        "has_main_web_app": False,
    }


def private_chat_object(user: dict[str, Any]) -> dict[str, Any]:
    """Build the private Chat between the bot and ``user``."""
    chat: dict[str, Any] = {"id": user["id"], "type": "private", "first_name": user["first_name"]}
    if "username" in user:
        chat["username"] = user["username"]
    return chat


def message_object(
    message_id: int, chat: dict[str, Any], sender: dict[str, Any], **content: Any
) -> dict[str, Any]:
    """Build a Message; ``content`` holds text/photo/location/... fields (``None`` dropped)."""
    message = {"message_id": message_id, "from": sender, "chat": chat, "date": now()}
    message.update({key: value for key, value in content.items() if value is not None})
    return message


def command_entities(text: str) -> list[dict[str, Any]] | None:
    """Return the ``bot_command`` entity Telegram adds when a text starts with ``/``."""
    if not text.startswith("/") or len(text) < 2:
        return None
    command = text.split(maxsplit=1)[0]
    return [{"type": "bot_command", "offset": 0, "length": utf16_len(command)}]


def message_content(message: dict[str, Any]) -> dict[str, Any]:
    """Return the parts of a message an edit can change, for the not-modified check."""
    keys = ("text", "entities", "caption", "caption_entities", "reply_markup")
    return {key: message.get(key) for key in keys}


# --- files -----------------------------------------------------------------------------------


def make_png(width: int = 1, height: int = 1) -> bytes:
    """Return a valid black PNG image of the given size."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    pixels = b"".join(b"\x00" + b"\x00" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(pixels))
        + chunk(b"IEND", b"")
    )


_IMAGE_SIGNATURES = {
    b"\x89PNG\r\n\x1a\n": "png",
    b"\xff\xd8\xff": "jpg",
    b"GIF87a": "gif",
    b"GIF89a": "gif",
    b"BM": "bmp",
}


def image_extension(content: bytes) -> str | None:
    """Return the image file extension recognised from the bytes, or ``None``."""
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "webp"
    return next(
        (ext for magic, ext in _IMAGE_SIGNATURES.items() if content.startswith(magic)), None
    )


def image_size(content: bytes) -> tuple[int, int]:
    """Return (width, height): read from a PNG header, a plausible photo size otherwise."""
    if image_extension(content) == "png" and len(content) >= 24:
        width, height = struct.unpack(">II", content[16:24])
        return width, height
    return 800, 600


def photo_size_object(
    file_id: str, file_unique_id: str, width: int, height: int, file_size: int
) -> dict[str, Any]:
    """Build one PhotoSize."""
    return {
        "file_id": file_id,
        "file_unique_id": file_unique_id,
        "width": width,
        "height": height,
        "file_size": file_size,
    }


def thumbnail_size(width: int, height: int, longest: int = 90) -> tuple[int, int]:
    """Scale (width, height) so the longest side is at most ``longest``."""
    scale = min(1.0, longest / max(width, height, 1))
    return max(1, round(width * scale)), max(1, round(height * scale))


# --- limits ----------------------------------------------------------------------------------


def check_text(text: str) -> None:
    """Refuse message text the way sendMessage/editMessageText do."""
    if not text.strip():
        msg = "message text is empty"
        raise ApiError.bad_request(msg)
    if utf16_len(text) > MAX_TEXT_LENGTH:
        msg = "message is too long"
        raise ApiError.bad_request(msg)


def check_caption(caption: str | None) -> None:
    """Refuse a caption longer than Telegram's 1024 characters."""
    if caption is not None and utf16_len(caption) > MAX_CAPTION_LENGTH:
        msg = "message caption is too long"
        raise ApiError.bad_request(msg)


def normalize_reply_markup(markup: Any) -> dict[str, Any]:
    """Check a reply_markup object and return it with keyboard buttons as dicts."""
    if not isinstance(markup, dict):
        msg = "can't parse reply keyboard markup JSON object"
        raise ApiError.bad_request(msg)
    if "inline_keyboard" in markup:
        return {"inline_keyboard": _check_rows(markup["inline_keyboard"], _check_inline_button)}
    if "keyboard" in markup:
        rows = _check_rows(markup["keyboard"], _check_keyboard_button)
        return {**markup, "keyboard": rows}
    if markup.get("remove_keyboard") or markup.get("force_reply"):
        return dict(markup)
    msg = "can't parse reply keyboard markup JSON object"
    raise ApiError.bad_request(msg)


def _check_rows(
    rows: Any, check_button: Callable[[Any], dict[str, Any]]
) -> list[list[dict[str, Any]]]:
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        msg = "can't parse reply keyboard markup JSON object"
        raise ApiError.bad_request(msg)
    return [[check_button(button) for button in row] for row in rows]


def _check_inline_button(button: Any) -> dict[str, Any]:
    if not isinstance(button, dict) or not button.get("text"):
        msg = "can't parse inline keyboard button: Text must be non-empty"
        raise ApiError.bad_request(msg)
    if "callback_data" in button:
        data = str(button["callback_data"]).encode()
        if not 1 <= len(data) <= MAX_CALLBACK_DATA_BYTES:
            raise button_data_invalid()
    elif "url" in button:
        if not str(button["url"]).startswith(("http://", "https://", "tg://")):
            msg = "BUTTON_URL_INVALID"
            raise ApiError.bad_request(msg)
    elif len(button) == 1:
        msg = (
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )
        raise ApiError.bad_request(msg)
    return dict(button)


def _check_keyboard_button(button: Any) -> dict[str, Any]:
    if isinstance(button, str):
        button = {"text": button}
    if not isinstance(button, dict) or not button.get("text"):
        msg = "can't parse keyboard button: Text must be non-empty"
        raise ApiError.bad_request(msg)
    return dict(button)


# --- HTML parse mode -------------------------------------------------------------------------

_HTML_ENTITY_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "code": "code",
    "pre": "pre",
    "a": "text_link",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}


class _TelegramHtmlParser(HTMLParser):
    """Turn Telegram's HTML subset into plain text plus entities, refusing other tags."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.source = source
        self.parts: list[str] = []
        self.length = 0
        self.open: list[tuple[str, int, dict[str, Any]]] = []
        self.entities: list[dict[str, Any]] = []

    def byte_offset(self) -> int:
        line, column = self.getpos()
        lines = self.source.split("\n")
        before = "\n".join([*lines[: line - 1], lines[line - 1][:column]])
        return len(before.encode())

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _HTML_ENTITY_TYPES:
            detail = f'Unsupported start tag "{tag}" at byte offset {self.byte_offset()}'
            msg = f"can't parse entities: {detail}"
            raise ApiError.bad_request(msg)
        extra = _entity_extra(tag, dict(attrs))
        self.open.append((tag, self.length, extra))

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open[-1][0] != tag:
            expected = f'expected "</{self.open[-1][0]}>", ' if self.open else ""
            offset = self.byte_offset()
            detail = f'Unmatched end tag at byte offset {offset}, {expected}found "</{tag}>"'
            msg = f"can't parse entities: {detail}"
            raise ApiError.bad_request(msg)
        _, start, extra = self.open.pop()
        if self.length > start:
            entity = {"offset": start, "length": self.length - start, **extra}
            self.entities.append(entity)

    def handle_data(self, data: str) -> None:
        self.parts.append(data)
        self.length += utf16_len(data)

    def finish(self) -> tuple[str, list[dict[str, Any]]]:
        self.feed(self.source)
        self.close()
        if self.open:
            tag = self.open[-1][0]
            detail = f'Can\'t find end tag corresponding to start tag "{tag}"'
            msg = f"can't parse entities: {detail}"
            raise ApiError.bad_request(msg)
        return "".join(self.parts), sorted(self.entities, key=lambda e: e["offset"])


def _entity_extra(tag: str, attrs: dict[str, str | None]) -> dict[str, Any]:
    kind = _HTML_ENTITY_TYPES[tag]
    extra: dict[str, Any] = {"type": kind}
    if tag == "a":
        extra["url"] = attrs.get("href") or ""
    elif tag == "tg-emoji":
        extra["custom_emoji_id"] = attrs.get("emoji-id") or ""
    elif tag == "blockquote" and "expandable" in attrs:
        extra["type"] = "expandable_blockquote"
    return extra


def parse_formatted(text: str, parse_mode: str | None) -> tuple[str, list[dict[str, Any]] | None]:
    """Return (plain text, entities) as Telegram stores a message sent with ``parse_mode``.

    Only HTML is parsed (unsupported or unbalanced tags are refused like Telegram does);
    Markdown modes are passed through unchanged.
    """
    if not parse_mode or parse_mode.lower() != "html":
        return text, None
    plain, entities = _TelegramHtmlParser(text).finish()
    return plain, entities or None


# --- wire format: parameters in -------------------------------------------------------------

JSON_PARAMS = frozenset(
    {
        "reply_markup",
        "allowed_updates",
        "commands",
        "scope",
        "entities",
        "caption_entities",
        "reply_parameters",
        "link_preview_options",
    }
)


@dataclass
class Upload:
    """A file part of a multipart request."""

    filename: str
    content_type: str
    content: bytes


class Params:
    """Typed access to a call's parameters, refusing bad values with Telegram's wording."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self.raw = raw

    def get_str(self, name: str, *, required: bool = False) -> str | None:
        """Return a string parameter; a missing required one is ``<name> is empty``."""
        value = self.raw.get(name)
        if value is None or value == "":
            if required:
                msg = f"{name} is empty"
                raise ApiError.bad_request(msg)
            return None
        return str(value)

    def get_int(self, name: str, *, default: int | None = None, required: bool = False) -> Any:
        """Return an integer parameter (or ``default``)."""
        value = self.get_str(name, required=required)
        if value is None:
            return default
        try:
            return int(value)
        except ValueError:
            msg = f"invalid {name} specified"
            raise ApiError.bad_request(msg) from None

    def get_float(self, name: str) -> float:
        """Return a required number parameter."""
        value = self.get_str(name, required=True)
        try:
            return float(str(value))
        except ValueError:
            msg = f"invalid {name} specified"
            raise ApiError.bad_request(msg) from None

    def get_bool(self, name: str) -> bool:
        """Return a boolean parameter (``true``/``false`` in forms), ``False`` when absent."""
        value = self.raw.get(name)
        if isinstance(value, str):
            return value.lower() in {"true", "1"}
        return bool(value)

    def get_json(self, name: str) -> Any:
        """Return a JSON-valued parameter, decoding it when it arrived as a form string."""
        value = self.raw.get(name)
        if not isinstance(value, str):
            return value
        try:
            return json.loads(value)
        except ValueError:
            msg = f"can't parse {name} JSON object"
            raise ApiError.bad_request(msg) from None

    def get_file(self, name: str) -> Upload | str | None:
        """Return an uploaded file part, following ``attach://<part>``, or a file id/URL."""
        value = self.raw.get(name)
        if isinstance(value, str) and value.startswith("attach://"):
            value = self.raw.get(value.removeprefix("attach://"))
            if not isinstance(value, Upload):
                msg = f"{name} attachment not found"
                raise ApiError.bad_request(msg)
        return value

    def decoded(self) -> dict[str, Any]:
        """Return the parameters with JSON-valued ones decoded, for recording."""
        decoded = dict(self.raw)
        for name in JSON_PARAMS & decoded.keys():
            try:
                decoded[name] = self.get_json(name)
            except ApiError:
                continue
        return decoded


async def read_request_params(request: web.Request) -> dict[str, Any]:
    """Merge query string and body (JSON, url-encoded or multipart) into one dict."""
    params: dict[str, Any] = dict(request.query)
    if not request.body_exists:
        return params
    if request.content_type == "application/json":
        try:
            body = await request.json()
        except ValueError:
            msg = "can't parse JSON body"
            raise ApiError.bad_request(msg) from None
        if isinstance(body, dict):
            params.update(body)
        return params
    form = await request.post()
    for key, value in form.items():
        if isinstance(value, web.FileField):
            params[key] = Upload(value.filename, value.content_type, value.file.read())
        else:
            params[key] = value
    return params


async def read_response_params(resp: ClientResponse) -> dict[str, Any]:
    """Read a webhook answer body (JSON, url-encoded or multipart) into a dict."""
    if resp.content_type == "application/json":
        body = await resp.json()
        return body if isinstance(body, dict) else {}
    if resp.content_type == "application/x-www-form-urlencoded":
        return dict(parse_qsl(await resp.text()))
    if resp.content_type != "multipart/form-data":
        return {}
    params: dict[str, Any] = {}
    async for part in MultipartReader.from_response(resp):
        data = await part.read()
        if part.filename:
            params[part.name] = Upload(part.filename, part.headers.get("Content-Type", ""), data)
        else:
            params[part.name] = data.decode()
    return params
