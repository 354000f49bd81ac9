"""aiogram and PTB exceptions map onto the same send outcomes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.methods import SendMessage
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.runtime import aiogram_app, ptb_app
from core.events import Blocked, Rejected, Unreachable
from core.events import RetryAfter as RetryLater

METHOD = SendMessage(chat_id=1, text="x")


@pytest.mark.parametrize(
    ("error", "outcome"),
    [
        (TelegramRetryAfter(METHOD, "Too Many Requests", retry_after=7), RetryLater(7.0)),
        (
            TelegramForbiddenError(METHOD, "Forbidden: bot was blocked"),
            Blocked("Forbidden: bot was blocked"),
        ),
        (
            TelegramNetworkError(METHOD, "ServerDisconnectedError"),
            Unreachable("TelegramNetworkError"),
        ),
        (TelegramServerError(METHOD, "Bad Gateway"), Unreachable("TelegramServerError")),
        (
            TelegramBadRequest(METHOD, "Bad Request: chat not found"),
            Rejected("Bad Request: chat not found"),
        ),
        (KeyError("bug"), Unreachable("KeyError")),
    ],
)
def test_aiogram_errors_are_classified(error: Exception, outcome: object) -> None:
    assert aiogram_app.classify_error(error) == outcome


@pytest.mark.parametrize(
    ("error", "outcome"),
    [
        (
            Forbidden("Forbidden: bot was blocked by the user"),
            Blocked("Forbidden: bot was blocked by the user"),
        ),
        (BadRequest("Chat not found"), Rejected("Chat not found")),
        (TimedOut(), Unreachable("TimedOut")),
        (NetworkError("httpx.ConnectError"), Unreachable("NetworkError")),
        (KeyError("bug"), Unreachable("KeyError")),
    ],
)
def test_ptb_errors_are_classified(error: Exception, outcome: object) -> None:
    assert ptb_app.classify_error(error) == outcome


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
def test_ptb_rate_limit_carries_retry_after_in_seconds() -> None:
    assert ptb_app.classify_error(RetryAfter(timedelta(seconds=7))) == RetryLater(7.0)
