"""The webhook server both runtimes share: secret-token check, updates in, /healthz."""

from __future__ import annotations

import hmac
import logging
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from aiohttp import web

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Awaitable, Callable

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
HEALTH_PATH = "/healthz"


def webhook_path(url: str) -> str:
    """Return the path Telegram posts to, taken from the public webhook URL."""
    return urlsplit(url).path or "/"


def build_webhook_app(
    *, path: str, secret: str, feed: Callable[[dict[str, Any]], Awaitable[None]]
) -> web.Application:
    """Build the aiohttp app: POST `path` hands authentic updates to `feed`; GET /healthz.

    A request without the right ``X-Telegram-Bot-Api-Secret-Token`` gets 401 and is dropped.
    `feed` stores the update (Telegram waits for the answer, so only that); when it raises,
    the answer is 500 and Telegram sends the update again later.

    Raises:
        ValueError: `secret` is empty, which would let anybody forge updates.
    """
    if not secret:
        msg = "a webhook needs a secret token (WEBHOOK_SECRET)"
        raise ValueError(msg)
    expected = secret.encode()

    async def receive(request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, expected):
            logger.warning("Webhook call with a wrong secret token rejected")
            return web.Response(status=401, text="unauthorized")
        try:
            update = await request.json()
        except ValueError:
            return web.Response(status=400, text="not JSON")
        if not isinstance(update, dict) or not isinstance(update.get("update_id"), int):
            return web.Response(status=400, text="not an update")
        try:
            await feed(update)
        except Exception:
            logger.exception(
                "Update %s could not be stored; Telegram will resend it", update["update_id"]
            )
            return web.Response(status=500, text="not stored")
        return web.Response(text="ok")

    async def health(_request: web.Request) -> web.Response:
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_post(path, receive)
    app.router.add_get(HEALTH_PATH, health)
    return app


@asynccontextmanager
async def serving(app: web.Application, *, host: str, port: int) -> AsyncIterator[None]:
    """Serve `app` on host:port inside the block; stop accepting requests on exit."""
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    try:
        await web.TCPSite(runner, host, port).start()
        logger.info("Webhook server listening on %s:%s", host, port)
        yield
    finally:
        await runner.cleanup()
