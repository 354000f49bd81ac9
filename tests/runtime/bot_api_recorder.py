"""A tiny Bot API stand-in that records each call as (method, parameters), for both frameworks.

aiogram posts every call as a multipart form (files as ``attach://<part>``); PTB posts JSON, or
a form when uploading. Both are normalised to plain values, uploads to ``Upload``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from aiohttp import web
from aiohttp.test_utils import TestServer

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

BOT_USERNAME = "musrenbang_test_bot"
TOKEN = "123456:TEST-token"


@dataclass(frozen=True)
class Upload:
    """A file part of a request."""

    filename: str
    content: bytes


class BotApiRecorder:
    """Answers every method plausibly and remembers what was asked."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self._next_message_id = 100

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._handle)
        return app

    def methods(self) -> list[str]:
        return [method for method, _ in self.calls]

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await _parameters(request)
        if method != "getMe":
            self.calls.append((method, params))
        return web.json_response({"ok": True, "result": self._result(method, params)})

    def _result(self, method: str, params: dict[str, Any]) -> object:
        if method == "getMe":
            return {
                "id": 123456,
                "is_bot": True,
                "first_name": "Musrenbang",
                "username": BOT_USERNAME,
            }
        if method.startswith(("send", "edit")):
            self._next_message_id += 1
            return {
                "message_id": params.get("message_id", self._next_message_id),
                "date": 1_700_000_000,
                "chat": {"id": int(params["chat_id"]), "type": "private"},
                "text": params.get("text", ""),
            }
        return True


async def _parameters(request: web.Request) -> dict[str, Any]:
    if request.content_type == "application/json":
        return await request.json()
    form = await request.post()
    uploads = {
        key: Upload(value.filename, value.file.read())
        for key, value in form.items()
        if isinstance(value, web.FileField)
    }
    params: dict[str, Any] = {}
    for key, value in form.items():
        if isinstance(value, web.FileField):
            continue
        params[key] = _plain(value, uploads)
    for key, upload in uploads.items():
        if not any(value is upload for value in params.values()):
            params[key] = upload
    return params


def _plain(value: str, uploads: dict[str, Upload]) -> Any:
    if value.startswith("attach://"):
        return uploads[value.removeprefix("attach://")]
    if value[:1] in "[{":
        return json.loads(value)
    return value


async def serve_recorder() -> AsyncIterator[tuple[BotApiRecorder, str]]:
    """Start a recorder; yield it with its base URL (for TELEGRAM_API_BASE)."""
    recorder = BotApiRecorder()
    server = TestServer(recorder.app())
    await server.start_server()
    try:
        yield recorder, str(server.make_url("")).rstrip("/")
    finally:
        await server.close()
