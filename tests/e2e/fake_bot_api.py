"""Fake Telegram Bot API server on 127.0.0.1 that real aiogram and python-telegram-bot talk to.

The HTTP side mimics ``https://api.telegram.org``: ``{base}/bot{token}/{method}`` accepting
JSON, url-encoded and multipart bodies, ``{base}/file/bot{token}/{file_path}`` for downloads,
``{"ok": ...}`` answers with Telegram's error wording and limits (4096-character texts, 1024-
character captions, 64-byte callback data). Updates are served by long-polling ``getUpdates``
or POSTed to a webhook with the secret-token header.

The test side is the same object, used in-process::

    api = FakeBotApi()
    await api.start()                     # api.base_url, api.token
    api.push_text(42, "/start")           # a user writes to the bot
    [reply] = await api.wait_for(42)      # the bot's first message after that push
    api.press(42, "Setuju")               # taps an inline (or reply-keyboard) button
    api.inject_429("sendMessage", retry_after=2)
    api.rate_limits = RateLimits()         # answer 429 when the bot sends faster than Telegram
    hold = api.hold_call("sendMessage")    # block that call until hold.release(), e.g. to
    await hold.reached.wait()              # kill -9 the bot at that exact moment
    await api.stop()

Every call is logged (`calls()`), 429 answers included.

Everything runs on the test's event loop, so state changes need no locks.
"""

from __future__ import annotations

import asyncio
import copy
import json
import logging
import math
import mimetypes
import re
import socket
import time
from dataclasses import dataclass, field
from itertools import count
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from aiohttp import ClientError, ClientResponse, ClientSession, ClientTimeout, web

from tests.e2e.fake_bot_objects import (
    DEFAULT_ALLOWED_UPDATES,
    ApiError,
    Params,
    Upload,
    blocked,
    bot_user_object,
    chat_not_found,
    check_caption,
    check_text,
    command_entities,
    get_me_object,
    image_extension,
    image_size,
    make_png,
    message_content,
    message_object,
    message_to_edit_not_found,
    normalize_reply_markup,
    not_found,
    not_modified,
    now,
    parse_formatted,
    photo_size_object,
    private_chat_object,
    query_invalid,
    read_request_params,
    read_response_params,
    thumbnail_size,
    too_many_requests,
    unauthorized,
    user_object,
    webhook_conflict,
)

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

logger = logging.getLogger(__name__)

DEFAULT_TOKEN = "123456789:AAFakeTokenForMusrenbangTests_0123456"
TOKEN_PATTERN = re.compile(r"^\d+:[A-Za-z0-9_-]+$")
SECRET_TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
COMMAND_PATTERN = re.compile(r"^[a-z0-9_]{1,32}$")
CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
TINY_PNG = make_png(2, 2)


@dataclass
class StoredFile:
    """A file the server knows: uploaded by the bot or pushed by the test side."""

    file_id: str
    file_unique_id: str
    kind: str
    content: bytes
    file_path: str

    def to_json(self) -> dict[str, Any]:
        """Return the File object getFile answers."""
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.content),
            "file_path": self.file_path,
        }


@dataclass
class RecordedCall:
    """One Bot API call as the server saw it (JSON-valued parameters decoded)."""

    method: str
    params: dict[str, Any]
    result: Any = None
    error: ApiError | None = None
    #: When the server answered (time.monotonic()).
    at: float = field(default_factory=time.monotonic)

    @property
    def ok(self) -> bool:
        """Tell whether the call succeeded."""
        return self.error is None

    @property
    def chat_id(self) -> int | None:
        """Return the target chat id, if the call had one."""
        value = self.params.get("chat_id")
        return int(value) if value is not None else None


@dataclass
class WebhookAttempt:
    """One POST of an update to the webhook: the HTTP status or the connection error."""

    update_id: int
    status: int | None
    error: str | None = None


@dataclass
class ChatState:
    """One chat: its messages (edits applied), keyboard shown, and whether the bot is blocked."""

    chat: dict[str, Any]
    messages: dict[int, dict[str, Any]] = field(default_factory=dict)
    bot_message_ids: list[int] = field(default_factory=list)
    touched: dict[int, int] = field(default_factory=dict)
    baseline: int = 0
    next_message_id: int = 1
    reply_keyboard: dict[str, Any] | None = None
    blocked: bool = False

    def take_message_id(self) -> int:
        """Return the next message id of this chat (shared by the bot and the user)."""
        message_id = self.next_message_id
        self.next_message_id += 1
        return message_id

    def bot_messages(self) -> list[dict[str, Any]]:
        """Return the bot's messages still in the chat, oldest first."""
        ids = (i for i in self.bot_message_ids if i in self.messages)
        return [self.messages[i] for i in ids]


#: Methods that put a message in a chat, which Telegram's sending limits count.
MESSAGE_METHODS = frozenset(
    {"sendmessage", "sendphoto", "senddocument", "sendlocation", "editmessagetext"}
)


@dataclass
class RateLimits:
    """Telegram's sending limits as the fake enforces them: token buckets, 429 when empty.

    Overall ``per_second`` (bursts up to ``burst``), per private chat ``per_chat_per_second``
    (bursts up to ``per_chat_burst``: the few messages of one answer) and per group
    ``per_group_per_minute``.
    """

    per_second: float = 30.0
    burst: float = 30.0
    per_chat_per_second: float = 1.0
    per_chat_burst: float = 3.0
    per_group_per_minute: float = 20.0
    per_group_burst: float = 3.0


@dataclass
class _Bucket:
    rate: float
    capacity: float
    tokens: float
    stamp: float

    def take(self, now: float) -> float:
        """Take a token; return 0, or the seconds until one is there (then nothing is taken)."""
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return 0.0
        return (1.0 - self.tokens) / self.rate


@dataclass
class CallHold:
    """A call the server blocks: `reached` is set when it arrives, `release()` lets it go.

    With ``after=True`` the call is executed (and logged) first and only its answer waits.
    """

    method: str
    chat_id: int | None
    after: bool
    reached: asyncio.Event = field(default_factory=asyncio.Event)
    released: asyncio.Event = field(default_factory=asyncio.Event)
    call: RecordedCall | None = None

    def release(self) -> None:
        """Let the held call go on."""
        self.released.set()


@dataclass
class _Fault:
    method: str | None
    times: int
    error: ApiError | None


@dataclass
class _Pending:
    update: dict[str, Any]
    redelivered: bool = False


class FakeBotApi:
    """Fake Bot API server plus the test side that pushes user actions and reads the bot's."""

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        bot_first_name: str = "Musrenbang Test Bot",
        bot_username: str = "musrenbang_test_bot",
    ) -> None:
        self.token = token
        self.bot_id = int(token.split(":", 1)[0])
        self.bot_user = bot_user_object(self.bot_id, bot_first_name, bot_username)
        self._me = get_me_object(self.bot_id, bot_first_name, bot_username)
        #: Seconds added before every API call is answered.
        self.latency = 0.0
        #: How many times one update is POSTed to a webhook answering non-2xx before it is dropped.
        self.webhook_max_attempts = 3
        self.webhook_retry_delay = 0.05
        self.updates: list[dict[str, Any]] = []
        self.webhook_attempts: list[WebhookAttempt] = []
        self.server_errors: list[BaseException] = []
        #: Sending limits to enforce (None: no limits, as by default).
        self.rate_limits: RateLimits | None = None
        #: Called after each webhook POST with (update_id, HTTP status or None).
        self.on_webhook_answer: Callable[[int, int | None], None] | None = None
        #: Every call as it arrives (method, parameters), before it is executed or held.
        self.arrivals: list[tuple[str, dict[str, Any]]] = []
        self._buckets: dict[int | None, _Bucket] = {}
        self._holds: list[CallHold] = []
        self._calls: list[RecordedCall] = []
        self._chats: dict[int, ChatState] = {}
        self._users: dict[int, dict[str, Any]] = {}
        self._files: dict[str, StoredFile] = {}
        self._photo_groups: dict[str, list[dict[str, Any]]] = {}
        self._callbacks: dict[str, dict[str, Any] | None] = {}
        self._commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self._faults: list[_Fault] = []
        self._pending: list[_Pending] = []
        self._allowed_updates = DEFAULT_ALLOWED_UPDATES
        self._webhook: dict[str, Any] | None = None
        self._webhook_error: tuple[int, str] | None = None
        self._update_ids = count(100_001)
        self._file_numbers = count(1)
        self._callback_ids = count(4_410_000_000_000_001)
        self._seq = 0
        self._changed = asyncio.Event()
        self._closing = False
        self._methods = self._method_table()
        self._runner: web.AppRunner | None = None
        self._client: ClientSession | None = None
        self._webhook_task: asyncio.Task[None] | None = None
        self.base_url = ""

    # --- lifecycle ----------------------------------------------------------------------------

    async def start(self) -> None:
        """Listen on a free 127.0.0.1 port and start the webhook sender."""
        app = web.Application(client_max_size=50 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_get("/file/bot{token}/{file_path:.+}", self._handle_file)
        self._runner = web.AppRunner(
            app, handle_signals=False, handler_cancellation=True, shutdown_timeout=1
        )
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        await web.SockSite(self._runner, sock).start()
        self.base_url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        self._client = ClientSession(timeout=ClientTimeout(total=10))
        self._webhook_task = asyncio.create_task(self._send_webhooks())

    async def stop(self) -> None:
        """Wake long polls, stop the webhook sender and close the server."""
        self._closing = True
        self._notify()
        if self._webhook_task:
            self._webhook_task.cancel()
            await asyncio.gather(self._webhook_task, return_exceptions=True)
        if self._client:
            await self._client.close()
        if self._runner:
            await self._runner.cleanup()

    async def __aenter__(self) -> FakeBotApi:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    # --- HTTP side ----------------------------------------------------------------------------

    async def _handle_api(self, request: web.Request) -> web.StreamResponse:
        try:
            self._check_token(request.match_info["token"])
            method = self._canonical_method(request.match_info["method"])
            params = Params(await read_request_params(request))
        except ApiError as error:
            return _error_response(error)
        self.arrivals.append((method, params.decoded()))
        self._notify()
        if self.latency:
            await asyncio.sleep(self.latency)
        hold = self._take_hold(method, params)
        if hold is not None and not hold.after:
            hold.reached.set()
            await hold.released.wait()
        fault = self._take_fault(method)
        if fault and fault.error is None:
            return _drop_connection(request)
        injected = fault.error if fault else self._over_limit(method, params)
        call = await self._execute(method, params, injected=injected)
        if hold is not None and hold.after:
            hold.call = call
            hold.reached.set()
            await hold.released.wait()
        if call.error:
            return _error_response(call.error)
        return web.json_response({"ok": True, "result": call.result})

    def _over_limit(self, method: str, params: Params) -> ApiError | None:
        """Return a 429 when this message would exceed the configured limits."""
        limits = self.rate_limits
        if limits is None or method.lower() not in MESSAGE_METHODS:
            return None
        now = time.monotonic()
        chat_id = params.get_int("chat_id")
        chat_bucket = self._chat_bucket(limits, chat_id, now)
        overall = self._buckets.get(None)
        if overall is None:
            overall = self._buckets[None] = _Bucket(
                limits.per_second, limits.burst, limits.burst, now
            )
        wait = overall.take(now)
        if wait == 0.0 and chat_bucket is not None:
            wait = chat_bucket.take(now)
            if wait:
                overall.tokens += 1.0
        if wait == 0.0:
            return None
        return too_many_requests(max(1, math.ceil(wait)))

    def _chat_bucket(self, limits: RateLimits, chat_id: int | None, now: float) -> _Bucket | None:
        if chat_id is None:
            return None
        bucket = self._buckets.get(chat_id)
        if bucket is None:
            if chat_id < 0:
                rate, burst = limits.per_group_per_minute / 60.0, limits.per_group_burst
            else:
                rate, burst = limits.per_chat_per_second, limits.per_chat_burst
            bucket = self._buckets[chat_id] = _Bucket(rate, burst, burst, now)
        return bucket

    def _take_hold(self, method: str, params: Params) -> CallHold | None:
        chat_id = params.get_int("chat_id")
        for hold in self._holds:
            if hold.method == method.lower() and hold.chat_id in (None, chat_id):
                self._holds.remove(hold)
                return hold
        return None

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        try:
            self._check_token(request.match_info["token"])
        except ApiError as error:
            return _error_response(error)
        path = request.match_info["file_path"]
        stored = next((f for f in self._files.values() if f.file_path == path), None)
        if stored is None:
            return _error_response(not_found())
        content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
        return web.Response(body=stored.content, content_type=content_type)

    def _check_token(self, token: str) -> None:
        if not TOKEN_PATTERN.match(token):
            raise not_found()
        if token != self.token:
            raise unauthorized()

    def _canonical_method(self, name: str) -> str:
        method = self._methods.get(name.lower())
        if method is None:
            raise not_found()
        return method[0]

    async def _execute(
        self, method: str, params: Params, *, injected: ApiError | None = None
    ) -> RecordedCall:
        call = RecordedCall(method, params.decoded(), error=injected)
        if injected is None:
            await self._run(call, params)
        self._calls.append(call)
        self._notify()
        return call

    async def _run(self, call: RecordedCall, params: Params) -> None:
        try:
            result = await self._methods[call.method.lower()][1](params)
            call.result = json.loads(json.dumps(result))
        except ApiError as error:
            call.error = error
        except Exception as error:
            logger.exception("Fake Bot API failed on %s", call.method)
            self.server_errors.append(error)
            call.error = ApiError(500, "Internal Server Error")

    # --- Bot API methods ----------------------------------------------------------------------

    def _method_table(
        self,
    ) -> dict[str, tuple[str, Callable[[Params], Awaitable[Any]]]]:
        handlers = {
            "getMe": self._get_me,
            "getUpdates": self._get_updates,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "sendMessage": self._send_message,
            "sendPhoto": self._send_photo,
            "sendDocument": self._send_document,
            "sendLocation": self._send_location,
            "sendChatAction": self._send_chat_action,
            "editMessageText": self._edit_message_text,
            "editMessageCaption": self._edit_message_caption,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "deleteMessage": self._delete_message,
            "answerCallbackQuery": self._answer_callback_query,
            "getFile": self._get_file,
            "setMyCommands": self._set_my_commands,
            "getMyCommands": self._get_my_commands,
            "deleteMyCommands": self._delete_my_commands,
        }
        return {name.lower(): (name, handler) for name, handler in handlers.items()}

    async def _get_me(self, params: Params) -> dict[str, Any]:
        return self._me

    async def _get_updates(self, params: Params) -> list[dict[str, Any]]:
        if self._webhook:
            raise webhook_conflict()
        offset = params.get_int("offset", default=0)
        limit = min(max(params.get_int("limit", default=100), 1), 100)
        timeout = params.get_float("timeout") if "timeout" in params.raw else 0.0
        self._set_allowed_updates(params.get_json("allowed_updates"))
        self._acknowledge(offset)
        if not self._pending and timeout > 0:
            await self._wait(lambda: bool(self._pending) or self._closing, timeout)
        batch = self._pending[:limit]
        for entry in batch:
            entry.redelivered = False
        return [entry.update for entry in batch]

    async def _set_webhook(self, params: Params) -> bool:
        url = params.get_str("url")
        if not url:
            self._webhook = None
            return True
        parts = urlsplit(url)
        if parts.scheme not in {"http", "https"} or parts.hostname not in LOCAL_HOSTS:
            msg = "bad webhook: the fake Bot API only delivers to 127.0.0.1"
            raise ApiError.bad_request(msg)
        secret = params.get_str("secret_token")
        if secret is not None and not SECRET_TOKEN_PATTERN.match(secret):
            msg = "secret token contains unallowed characters"
            raise ApiError.bad_request(msg)
        if params.get_bool("drop_pending_updates"):
            self._pending.clear()
        self._set_allowed_updates(params.get_json("allowed_updates"))
        self._webhook = {
            "url": url,
            "secret_token": secret,
            "max_connections": params.get_int("max_connections", default=40),
        }
        self._webhook_error = None
        self._notify()
        return True

    async def _delete_webhook(self, params: Params) -> bool:
        self._webhook = None
        if params.get_bool("drop_pending_updates"):
            self._pending.clear()
        return True

    async def _get_webhook_info(self, params: Params) -> dict[str, Any]:
        info: dict[str, Any] = {
            "url": self._webhook["url"] if self._webhook else "",
            "has_custom_certificate": False,
            "pending_update_count": len(self._pending),
        }
        if self._webhook:
            info["max_connections"] = self._webhook["max_connections"]
            info["allowed_updates"] = sorted(self._allowed_updates)
        if self._webhook_error:
            info["last_error_date"], info["last_error_message"] = self._webhook_error
        return info

    async def _send_message(self, params: Params) -> dict[str, Any]:
        chat = self._target_chat(params)
        text, entities = self._formatted(params, "text", "entities")
        check_text(text)
        return self._post_bot_message(chat, params, text=text, entities=entities)

    async def _send_photo(self, params: Params) -> dict[str, Any]:
        chat = self._target_chat(params)
        caption, entities = self._formatted(params, "caption", "caption_entities")
        check_caption(caption)
        photo = self._input_photo(params.get_file("photo"))
        return self._post_bot_message(
            chat, params, photo=photo, caption=caption or None, caption_entities=entities
        )

    async def _send_document(self, params: Params) -> dict[str, Any]:
        chat = self._target_chat(params)
        caption, entities = self._formatted(params, "caption", "caption_entities")
        check_caption(caption)
        document = self._input_document(params.get_file("document"))
        return self._post_bot_message(
            chat, params, document=document, caption=caption or None, caption_entities=entities
        )

    async def _send_location(self, params: Params) -> dict[str, Any]:
        chat = self._target_chat(params)
        location = {
            "latitude": params.get_float("latitude"),
            "longitude": params.get_float("longitude"),
        }
        return self._post_bot_message(chat, params, location=location)

    async def _send_chat_action(self, params: Params) -> bool:
        self._target_chat(params)
        if params.get_str("action") not in CHAT_ACTIONS:
            msg = "wrong parameter action in request"
            raise ApiError.bad_request(msg)
        return True

    async def _edit_message_text(self, params: Params) -> dict[str, Any]:
        message = self._message_to_edit(params)
        if "text" not in message:
            msg = "there is no text in the message to edit"
            raise ApiError.bad_request(msg)
        text, entities = self._formatted(params, "text", "entities")
        check_text(text)
        return self._apply_edit(params, message, text=text, entities=entities)

    async def _edit_message_caption(self, params: Params) -> dict[str, Any]:
        message = self._message_to_edit(params)
        if "text" in message or "location" in message:
            msg = "there is no caption in the message to edit"
            raise ApiError.bad_request(msg)
        caption, entities = self._formatted(params, "caption", "caption_entities")
        check_caption(caption)
        return self._apply_edit(
            params, message, caption=caption or None, caption_entities=entities
        )

    async def _edit_message_reply_markup(self, params: Params) -> dict[str, Any]:
        message = self._message_to_edit(params)
        return self._apply_edit(params, message)

    async def _delete_message(self, params: Params) -> bool:
        chat = self._target_chat(params)
        message_id = params.get_int("message_id", required=True)
        if chat.messages.pop(message_id, None) is None:
            msg = "message to delete not found"
            raise ApiError.bad_request(msg)
        self._touch(chat, message_id)
        return True

    async def _answer_callback_query(self, params: Params) -> bool:
        query_id = params.get_str("callback_query_id", required=True) or ""
        if query_id not in self._callbacks or self._callbacks[query_id] is not None:
            raise query_invalid()
        self._callbacks[query_id] = params.decoded()
        return True

    async def _get_file(self, params: Params) -> dict[str, Any]:
        stored = self._files.get(params.get_str("file_id", required=True) or "")
        if stored is None:
            msg = "invalid file_id"
            raise ApiError.bad_request(msg)
        return stored.to_json()

    async def _set_my_commands(self, params: Params) -> bool:
        commands = params.get_json("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            msg = "can't parse commands JSON object"
            raise ApiError.bad_request(msg)
        for command in commands:
            if not COMMAND_PATTERN.match(str(command.get("command", ""))):
                msg = "BOT_COMMAND_INVALID"
                raise ApiError.bad_request(msg)
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                msg = "command description must be non-empty"
                raise ApiError.bad_request(msg)
        self._commands[_commands_key(params)] = commands
        return True

    async def _get_my_commands(self, params: Params) -> list[dict[str, Any]]:
        return self._commands.get(_commands_key(params), [])

    async def _delete_my_commands(self, params: Params) -> bool:
        self._commands.pop(_commands_key(params), None)
        return True

    # --- messages and files -------------------------------------------------------------------

    def _target_chat(self, params: Params) -> ChatState:
        chat = self._chats.get(params.get_int("chat_id", required=True))
        if chat is None:
            raise chat_not_found()
        if chat.blocked:
            raise blocked()
        return chat

    def _formatted(
        self, params: Params, name: str, entities_name: str
    ) -> tuple[str, list[dict[str, Any]] | None]:
        text, entities = parse_formatted(params.get_str(name) or "", params.get_str("parse_mode"))
        return text, entities or params.get_json(entities_name)

    def _markup(self, params: Params) -> dict[str, Any] | None:
        markup = params.get_json("reply_markup")
        return normalize_reply_markup(markup) if markup is not None else None

    def _post_bot_message(self, chat: ChatState, params: Params, **content: Any) -> dict[str, Any]:
        markup = self._markup(params)
        inline = markup if markup and "inline_keyboard" in markup else None
        message = message_object(
            chat.take_message_id(),
            chat.chat,
            self.bot_user,
            **content,
            reply_to_message=self._replied_message(chat, params),
            reply_markup=inline,
        )
        chat.messages[message["message_id"]] = message
        chat.bot_message_ids.append(message["message_id"])
        if markup and "keyboard" in markup:
            chat.reply_keyboard = markup
        elif markup and markup.get("remove_keyboard"):
            chat.reply_keyboard = None
        self._touch(chat, message["message_id"])
        return message

    def _replied_message(self, chat: ChatState, params: Params) -> dict[str, Any] | None:
        reply = params.get_json("reply_parameters") or {}
        message_id = reply.get("message_id") or params.get_int("reply_to_message_id")
        if message_id is None:
            return None
        replied = chat.messages.get(int(message_id))
        if replied is None:
            msg = "message to be replied not found"
            raise ApiError.bad_request(msg)
        return {key: value for key, value in replied.items() if key != "reply_to_message"}

    def _message_to_edit(self, params: Params) -> dict[str, Any]:
        if params.get_str("inline_message_id"):
            msg = "inline messages are not supported by the fake Bot API"
            raise ApiError.bad_request(msg)
        chat = self._target_chat(params)
        message = chat.messages.get(params.get_int("message_id", required=True))
        if message is None:
            raise message_to_edit_not_found()
        if not message["from"]["is_bot"]:
            msg = "message can't be edited"
            raise ApiError.bad_request(msg)
        return message

    def _apply_edit(
        self, params: Params, message: dict[str, Any], **content: Any
    ) -> dict[str, Any]:
        markup = self._markup(params)
        if markup is not None and "inline_keyboard" not in markup:
            msg = "inline keyboard expected"
            raise ApiError.bad_request(msg)
        edited = {**message, **content, "reply_markup": markup}
        edited = {key: value for key, value in edited.items() if value is not None}
        if message_content(edited) == message_content(message):
            raise not_modified()
        message.clear()
        message.update(edited, edit_date=now())
        self._touch(self._chats[message["chat"]["id"]], message["message_id"])
        return message

    def _touch(self, chat: ChatState, message_id: int) -> None:
        self._seq += 1
        chat.touched[message_id] = self._seq

    def _input_photo(self, value: Upload | str | None) -> list[dict[str, Any]]:
        if isinstance(value, Upload):
            return self._store_photo(value.content)
        stored = self._existing_file(value, "photo")
        return self._photo_groups[stored.file_id]

    def _input_document(self, value: Upload | str | None) -> dict[str, Any]:
        if isinstance(value, Upload):
            return self._store_document(value.content, value.filename, value.content_type)
        stored = self._existing_file(value, "document")
        return {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id}

    def _existing_file(self, value: str | None, kind: str) -> StoredFile:
        if not value:
            msg = "there is no file in the request"
            raise ApiError.bad_request(msg)
        if value.startswith(("http://", "https://")):
            msg = "failed to get HTTP URL content"
            raise ApiError.bad_request(msg)
        stored = self._files.get(value)
        if stored is None:
            msg = "wrong file identifier/HTTP URL specified"
            raise ApiError.bad_request(msg)
        if stored.kind != kind:
            msg = "type of file mismatch"
            raise ApiError.bad_request(msg)
        return stored

    def _store_file(self, kind: str, content: bytes, extension: str) -> StoredFile:
        if not content:
            msg = "file must be non-empty"
            raise ApiError.bad_request(msg)
        number = next(self._file_numbers)
        folder = {"photo": "photos", "document": "documents"}.get(kind, f"{kind}s")
        stored = StoredFile(
            file_id=f"{kind.upper()}-{number:05d}-{self.bot_id}",
            file_unique_id=f"U{number:05d}",
            kind=kind,
            content=content,
            file_path=f"{folder}/file_{number}.{extension}",
        )
        self._files[stored.file_id] = stored
        return stored

    def _store_photo(self, content: bytes) -> list[dict[str, Any]]:
        extension = image_extension(content)
        if extension is None:
            msg = "IMAGE_PROCESS_FAILED"
            raise ApiError.bad_request(msg)
        width, height = image_size(content)
        sizes = []
        for size_width, size_height in (thumbnail_size(width, height), (width, height)):
            stored = self._store_file("photo", content, extension)
            sizes.append(
                photo_size_object(
                    stored.file_id, stored.file_unique_id, size_width, size_height, len(content)
                )
            )
        for size in sizes:
            self._photo_groups[size["file_id"]] = sizes
        return sizes

    def _store_document(
        self, content: bytes, filename: str, content_type: str | None = None
    ) -> dict[str, Any]:
        mime_type = mimetypes.guess_type(filename)[0] or content_type or "application/octet-stream"
        extension = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
        stored = self._store_file("document", content, extension)
        return {
            "file_name": filename,
            "mime_type": mime_type,
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(content),
        }

    # --- updates: polling and webhook ---------------------------------------------------------

    def _set_allowed_updates(self, allowed: Any) -> None:
        if allowed is not None:
            self._allowed_updates = frozenset(allowed) or DEFAULT_ALLOWED_UPDATES

    def _acknowledge(self, offset: int) -> None:
        """Forget updates before ``offset`` (a negative offset keeps the last ``-offset``)."""
        if offset < 0:
            del self._pending[:offset]
            return
        self._pending = [
            entry
            for entry in self._pending
            if entry.update["update_id"] >= offset or entry.redelivered
        ]

    def _enqueue(self, kind: str, payload: dict[str, Any]) -> dict[str, Any]:
        update = {"update_id": next(self._update_ids), kind: payload}
        self.updates.append(update)
        if kind in self._allowed_updates:
            self._pending.append(_Pending(copy.deepcopy(update)))
        self._notify()
        return copy.deepcopy(update)

    async def _send_webhooks(self) -> None:
        while True:
            await self._wait(lambda: bool(self._webhook and self._pending), None)
            if self._closing:
                return
            entry = self._pending[0]
            if await self._post_update(entry.update) and entry in self._pending:
                self._pending.remove(entry)

    async def _post_update(self, update: dict[str, Any]) -> bool:
        """POST one update, retrying a bounded number of times; tell whether it is done with.

        It is done with when delivered or given up on; not when the webhook went away meanwhile.
        """
        for attempt in range(self.webhook_max_attempts):
            if attempt:
                await asyncio.sleep(self.webhook_retry_delay)
            if self._webhook is None:
                return False
            status, error = await self._post_once(self._webhook, update)
            self.webhook_attempts.append(WebhookAttempt(update["update_id"], status, error))
            if self.on_webhook_answer is not None:
                self.on_webhook_answer(update["update_id"], status)
            self._notify()
            if error is None:
                return True
            self._webhook_error = (now(), error)
        logger.warning("Webhook gave up on update %s", update["update_id"])
        return True

    async def _post_once(
        self, webhook: dict[str, Any], update: dict[str, Any]
    ) -> tuple[int | None, str | None]:
        headers = {}
        if webhook["secret_token"]:
            headers["X-Telegram-Bot-Api-Secret-Token"] = webhook["secret_token"]
        assert self._client is not None
        try:
            async with self._client.post(webhook["url"], json=update, headers=headers) as resp:
                if not 200 <= resp.status < 300:
                    return (
                        resp.status,
                        f"Wrong response from the webhook: {resp.status} {resp.reason}",
                    )
                await self._run_webhook_reply(resp)
                return resp.status, None
        except (ClientError, TimeoutError) as error:
            return None, f"Connection failed: {type(error).__name__}"

    async def _run_webhook_reply(self, resp: ClientResponse) -> None:
        """Execute a method call the webhook answered with, as Telegram does."""
        params = await read_response_params(resp)
        name = str(params.pop("method", ""))
        if name.lower() in self._methods:
            await self._execute(self._methods[name.lower()][0], Params(params))

    # --- waiting ------------------------------------------------------------------------------

    def _notify(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    async def _wait(self, condition: Callable[[], bool], seconds: float | None) -> bool:
        """Wait until ``condition()`` holds or the server closes; return whether it holds."""
        try:
            async with asyncio.timeout(seconds):
                while not (condition() or self._closing):
                    await self._changed.wait()
        except TimeoutError:
            return False
        return condition()

    # --- test side: users pushing updates -----------------------------------------------------

    def add_user(
        self,
        user_id: int,
        *,
        first_name: str | None = None,
        language_code: str | None = None,
        username: str | None = None,
    ) -> dict[str, Any]:
        """Create (or update) a user and the private chat with them; return the User."""
        user = self._users.get(user_id)
        if user is None:
            user = user_object(user_id, first_name or "Budi", language_code=language_code or "id")
            self._users[user_id] = user
        user.update(
            {
                key: value
                for key, value in (
                    ("first_name", first_name),
                    ("language_code", language_code),
                    ("username", username),
                )
                if value is not None
            }
        )
        if user_id not in self._chats:
            self._chats[user_id] = ChatState(private_chat_object(user))
        return copy.deepcopy(user)

    def add_group(self, chat_id: int, title: str = "Forum Musrenbang") -> dict[str, Any]:
        """Create a group chat (negative id) the bot is a member of; return the Chat."""
        chat = {"id": chat_id, "type": "group", "title": title}
        self._chats.setdefault(chat_id, ChatState(chat))
        return dict(chat)

    def push_text(
        self,
        chat_id: int,
        text: str,
        *,
        user_id: int | None = None,
        first_name: str | None = None,
        language_code: str | None = None,
    ) -> dict[str, Any]:
        """Push a text message from the user; ``/cmd`` gets a ``bot_command`` entity.

        ``first_name``/``language_code`` default to the user's earlier values ("Budi", "id").
        """
        return self._push_message(
            chat_id,
            user_id,
            first_name,
            language_code,
            text=text,
            entities=command_entities(text),
        )

    def push_command(
        self, chat_id: int, command: str, args: str = "", **user: Any
    ) -> dict[str, Any]:
        """Push ``/command args`` (``command`` without the slash)."""
        return self.push_text(chat_id, f"/{command} {args}".strip(), **user)

    def push_location(
        self, chat_id: int, latitude: float, longitude: float, **user: Any
    ) -> dict[str, Any]:
        """Push a shared location."""
        location = {"latitude": latitude, "longitude": longitude}
        return self._push_message(chat_id, **_user_args(user), location=location)

    def push_photo(
        self,
        chat_id: int,
        content: bytes = TINY_PNG,
        *,
        caption: str | None = None,
        **user: Any,
    ) -> dict[str, Any]:
        """Push a photo (its bytes downloadable through getFile) with an optional caption."""
        photo = self._store_photo(content)
        return self._push_message(chat_id, **_user_args(user), photo=photo, caption=caption)

    def push_document(
        self,
        chat_id: int,
        content: bytes,
        filename: str,
        mime_type: str | None = None,
        *,
        caption: str | None = None,
        **user: Any,
    ) -> dict[str, Any]:
        """Push a document (its bytes downloadable through getFile)."""
        document = self._store_document(content, filename)
        if mime_type:
            document["mime_type"] = mime_type
        return self._push_message(chat_id, **_user_args(user), document=document, caption=caption)

    def push_contact(
        self,
        chat_id: int,
        phone_number: str = "+6281234567890",
        *,
        contact_user_id: int | None = None,
        **user: Any,
    ) -> dict[str, Any]:
        """Push a shared contact; by default the user's own (as a request_contact button does)."""
        args = _user_args(user)
        sender_id = args["user_id"] or chat_id
        self.add_user(sender_id, first_name=args["first_name"])
        contact = {
            "phone_number": phone_number,
            "first_name": self._users[sender_id]["first_name"],
            "user_id": contact_user_id or sender_id,
        }
        return self._push_message(chat_id, **args, contact=contact)

    def push_sticker(self, chat_id: int, emoji: str = "👍", **user: Any) -> dict[str, Any]:
        """Push a sticker, the typical "something else" message."""
        stored = self._store_file("sticker", b"RIFF\x00\x00\x00\x00WEBPVP8 ", "webp")
        sticker = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
        }
        return self._push_message(chat_id, **_user_args(user), sticker=sticker)

    def push_voice(self, chat_id: int, duration: int = 3, **user: Any) -> dict[str, Any]:
        """Push a voice note."""
        stored = self._store_file("voice", b"OggS\x00fake-voice", "oga")
        voice = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "duration": duration,
            "mime_type": "audio/ogg",
            "file_size": len(stored.content),
        }
        return self._push_message(chat_id, **_user_args(user), voice=voice)

    def push_callback(
        self,
        chat_id: int,
        data: str,
        *,
        message_id: int,
        user_id: int | None = None,
        first_name: str | None = None,
        language_code: str | None = None,
    ) -> dict[str, Any]:
        """Push a button press on the bot's message ``message_id`` carrying ``data``."""
        chat = self._chats.get(chat_id)
        message = chat.messages.get(message_id) if chat else None
        if chat is None or message is None:
            msg = f"chat {chat_id} has no message {message_id} to press a button on"
            raise LookupError(msg)
        user = self._sender(chat_id, user_id, first_name, language_code)
        query_id = str(next(self._callback_ids))
        self._callbacks[query_id] = None
        chat.baseline = self._seq
        callback = {
            "id": query_id,
            "from": user,
            "message": copy.deepcopy(message),
            "chat_instance": str(abs(hash((self.bot_id, chat_id)))),
            "data": data,
        }
        return self._enqueue("callback_query", callback)

    def press(
        self,
        chat_id: int,
        button_text: str,
        *,
        location: tuple[float, float] = (-6.2, 106.8),
        **user: Any,
    ) -> dict[str, Any]:
        """Tap the newest inline button with this text, else the reply-keyboard button.

        A reply-keyboard button sends its text, or the contact/location it requests.

        Raises:
            LookupError: the chat shows no such button (the message lists the ones it shows).
        """
        for message in reversed(self._chat(chat_id).bot_messages()):
            for button in _inline_buttons(message):
                if button["text"] == button_text and "callback_data" in button:
                    return self.push_callback(
                        chat_id, button["callback_data"], message_id=message["message_id"], **user
                    )
        keyboard = self._chat(chat_id).reply_keyboard or {}
        for button in (b for row in keyboard.get("keyboard", []) for b in row):
            if button["text"] == button_text:
                if button.get("request_contact"):
                    return self.push_contact(chat_id, **user)
                if button.get("request_location"):
                    return self.push_location(chat_id, *location, **user)
                return self.push_text(chat_id, button_text, **user)
        msg = f"chat {chat_id} shows no button {button_text!r}; it shows {self.buttons(chat_id)}"
        raise LookupError(msg)

    def push_raw(self, kind: str, payload: dict[str, Any]) -> dict[str, Any]:
        """Push an update as given, however odd (e.g. a message without a chat)."""
        return self._enqueue(kind, copy.deepcopy(payload))

    def redeliver(self, update: dict[str, Any]) -> dict[str, Any]:
        """Deliver an update again with the same update_id (polling ignores the offset once)."""
        self._pending.append(_Pending(copy.deepcopy(update), redelivered=True))
        self._notify()
        return update

    def _sender(
        self,
        chat_id: int,
        user_id: int | None,
        first_name: str | None,
        language_code: str | None,
    ) -> dict[str, Any]:
        if user_id is None and chat_id < 0:
            msg = "pushing into a group needs user_id"
            raise ValueError(msg)
        return self.add_user(
            user_id or chat_id, first_name=first_name, language_code=language_code
        )

    def _push_message(
        self,
        chat_id: int,
        user_id: int | None = None,
        first_name: str | None = None,
        language_code: str | None = None,
        **content: Any,
    ) -> dict[str, Any]:
        user = self._sender(chat_id, user_id, first_name, language_code)
        chat = self._chats[chat_id]
        message = message_object(chat.take_message_id(), chat.chat, user, **content)
        chat.messages[message["message_id"]] = message
        chat.baseline = self._seq
        if chat.reply_keyboard and chat.reply_keyboard.get("one_time_keyboard"):
            chat.reply_keyboard = None
        return self._enqueue("message", copy.deepcopy(message))

    # --- test side: faults --------------------------------------------------------------------

    def inject_429(
        self, method: str | None = None, *, retry_after: int = 1, times: int = 1
    ) -> None:
        """Answer the next ``times`` calls of ``method`` with 429 and ``retry_after``.

        ``method=None`` hits any method except getUpdates, which a polling runtime calls
        constantly; name ``"getUpdates"`` to hit polling.
        """
        self._faults.append(_Fault(_lower(method), times, too_many_requests(retry_after)))

    def inject_error(
        self, method: str | None, status: int, description: str, *, times: int = 1
    ) -> None:
        """Answer the next ``times`` calls of ``method`` with this HTTP error (500, 400...)."""
        self._faults.append(_Fault(_lower(method), times, ApiError(status, description)))

    def hold_call(
        self, method: str, *, chat_id: int | None = None, after: bool = False
    ) -> CallHold:
        """Block the next call of ``method`` (to ``chat_id``) until the hold is released."""
        hold = CallHold(method.lower(), chat_id, after)
        self._holds.append(hold)
        return hold

    def rate_limited(self) -> list[RecordedCall]:
        """Return the calls answered with 429."""
        return [c for c in self._calls if c.error is not None and c.error.status == 429]

    def fail_network(self, times: int = 1, *, method: str | None = None) -> None:
        """Close the connection without an answer on the next ``times`` matching calls."""
        self._faults.append(_Fault(_lower(method), times, None))

    def block_user(self, chat_id: int) -> None:
        """Make every call to this chat answer 403 "bot was blocked by the user"."""
        if chat_id not in self._chats:
            self.add_user(chat_id)
        self._chats[chat_id].blocked = True

    def unblock_user(self, chat_id: int) -> None:
        """Let the bot write to this chat again."""
        self._chat(chat_id).blocked = False

    def _take_fault(self, method: str) -> _Fault | None:
        name = method.lower()
        for fault in self._faults:
            if fault.method == name or (fault.method is None and name != "getupdates"):
                fault.times -= 1
                if fault.times <= 0:
                    self._faults.remove(fault)
                return fault
        return None

    # --- test side: reading what the bot did --------------------------------------------------

    def calls(self, method: str | None = None) -> list[RecordedCall]:
        """Return every recorded call (failed ones too), optionally of one method."""
        name = _lower(method)
        return [c for c in self._calls if name is None or c.method.lower() == name]

    def sent(self, chat_id: int) -> list[RecordedCall]:
        """Return the successful calls the bot made to this chat (chat actions left out)."""
        return [
            c
            for c in self._calls
            if c.ok and c.chat_id == chat_id and c.method != "sendChatAction"
        ]

    def messages(self, chat_id: int) -> list[dict[str, Any]]:
        """Return the bot's messages as the chat sees them now (edits applied, deletes gone)."""
        return copy.deepcopy(self._chat(chat_id).bot_messages())

    def history(self, chat_id: int) -> list[dict[str, Any]]:
        """Return every message in the chat, the user's and the bot's, oldest first."""
        chat = self._chat(chat_id)
        return copy.deepcopy([chat.messages[i] for i in sorted(chat.messages)])

    def texts(self, chat_id: int) -> list[str]:
        """Return the text (or caption, or "") of each bot message the chat sees."""
        return [_message_text(m) for m in self._chat(chat_id).bot_messages()]

    def last_message(self, chat_id: int) -> dict[str, Any]:
        """Return the bot's newest message in the chat."""
        messages = self._chat(chat_id).bot_messages()
        if not messages:
            msg = f"the bot has sent nothing to chat {chat_id}"
            raise LookupError(msg)
        return copy.deepcopy(messages[-1])

    def inline_keyboard(
        self, chat_id: int, message_id: int | None = None
    ) -> list[list[dict[str, Any]]]:
        """Return the inline keyboard rows of a message (default: the newest one with buttons)."""
        messages = self._chat(chat_id).bot_messages()
        for message in reversed(messages):
            if message_id in {None, message["message_id"]} and _inline_buttons(message):
                return copy.deepcopy(message["reply_markup"]["inline_keyboard"])
        return []

    def reply_keyboard(self, chat_id: int) -> list[list[str]] | None:
        """Return the texts of the reply keyboard the chat shows now, or ``None``."""
        keyboard = self._chat(chat_id).reply_keyboard
        if keyboard is None:
            return None
        return [[button["text"] for button in row] for row in keyboard["keyboard"]]

    def buttons(self, chat_id: int) -> list[str]:
        """Return every button text the chat can tap now: inline ones first, then reply ones."""
        inline = [
            b["text"] for m in self._chat(chat_id).bot_messages() for b in _inline_buttons(m)
        ]
        reply = [text for row in self.reply_keyboard(chat_id) or [] for text in row]
        return inline + reply

    def callback_answer(self, callback_query_id: str) -> dict[str, Any] | None:
        """Return the answerCallbackQuery parameters for a pushed press, or ``None``."""
        return self._callbacks.get(callback_query_id)

    def commands(
        self, *, scope: dict[str, Any] | None = None, language_code: str = ""
    ) -> list[dict[str, Any]]:
        """Return the command menu set with setMyCommands for a scope and language."""
        key = (json.dumps(scope or {"type": "default"}, sort_keys=True), language_code)
        return copy.deepcopy(self._commands.get(key, []))

    def file_content(self, file_id: str) -> bytes:
        """Return the bytes behind a file id."""
        return self._files[file_id].content

    @property
    def pending_updates(self) -> list[dict[str, Any]]:
        """Return the updates not yet acknowledged (polling) or delivered (webhook)."""
        return [copy.deepcopy(entry.update) for entry in self._pending]

    @property
    def webhook_url(self) -> str | None:
        """Return the webhook URL set by the bot, if any."""
        return self._webhook["url"] if self._webhook else None

    async def wait_for(
        self,
        chat_id: int,
        count: int = 1,
        *,
        text: str | None = None,
        predicate: Callable[[dict[str, Any]], bool] | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> list[dict[str, Any]]:
        """Wait until ``count`` bot messages sent or edited since the last push match; return them.

        A message matches when its text/caption contains ``text`` and ``predicate(message)``
        holds (each when given).

        Raises:
            AssertionError: the bot did not get there within ``timeout`` seconds.
        """

        def matching() -> list[dict[str, Any]]:
            chat = self._chats.get(chat_id)
            if chat is None:
                return []
            fresh = [
                m for m in chat.bot_messages() if chat.touched[m["message_id"]] > chat.baseline
            ]
            return [
                m
                for m in fresh
                if (text is None or text in _message_text(m))
                and (predicate is None or predicate(m))
            ]

        if await self._wait(lambda: len(matching()) >= count, timeout):
            return copy.deepcopy(matching())
        seen = self.texts(chat_id) if chat_id in self._chats else []
        msg = (
            f"chat {chat_id}: waited {timeout}s for {count} message(s) {text or ''!r}; saw {seen}"
        )
        raise AssertionError(msg)

    async def wait_for_call(
        self,
        method: str,
        count: int = 1,
        *,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> list[RecordedCall]:
        """Wait until the bot has called ``method`` ``count`` times; return those calls."""
        if await self._wait(lambda: len(self.calls(method)) >= count, timeout):
            return self.calls(method)
        msg = f"waited {timeout}s for {count} {method} call(s); saw {len(self.calls(method))}"
        raise AssertionError(msg)

    async def wait_until(
        self,
        condition: Callable[[], bool],
        *,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> None:
        """Wait until ``condition()`` holds, re-checking whenever the server's state changes."""
        if not await self._wait(condition, timeout):
            msg = f"condition still false after {timeout}s"
            raise AssertionError(msg)

    def _chat(self, chat_id: int) -> ChatState:
        chat = self._chats.get(chat_id)
        if chat is None:
            msg = f"no chat {chat_id}: push something from it or add_user() first"
            raise LookupError(msg)
        return chat


# --- helpers ---------------------------------------------------------------------------------


def _lower(method: str | None) -> str | None:
    return method.lower() if method else None


def _user_args(user: dict[str, Any]) -> dict[str, Any]:
    allowed = {"user_id", "first_name", "language_code"}
    unknown = user.keys() - allowed
    if unknown:
        msg = f"unexpected arguments {sorted(unknown)}"
        raise TypeError(msg)
    return {name: user.get(name) for name in sorted(allowed)}


def _inline_buttons(message: dict[str, Any]) -> list[dict[str, Any]]:
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    return [button for row in rows for button in row]


def _message_text(message: dict[str, Any]) -> str:
    return message.get("text") or message.get("caption") or ""


def _commands_key(params: Params) -> tuple[str, str]:
    scope = params.get_json("scope") or {"type": "default"}
    return json.dumps(scope, sort_keys=True), params.get_str("language_code") or ""


def _error_response(error: ApiError) -> web.Response:
    return web.json_response(error.to_json(), status=error.status)


def _drop_connection(request: web.Request) -> web.Response:
    if request.transport is not None:
        request.transport.close()
    return web.Response(status=500)
