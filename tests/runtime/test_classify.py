"""aiogram and PTB exceptions map onto the same delivery failures."""

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
from bot.runtime.delivery import FailureKind

METHOD = SendMessage(chat_id=1, text="x")


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (TelegramRetryAfter(METHOD, "Too Many Requests", retry_after=7), FailureKind.RATE_LIMITED),
        (TelegramForbiddenError(METHOD, "Forbidden: bot was blocked"), FailureKind.BLOCKED),
        (TelegramNetworkError(METHOD, "ServerDisconnectedError"), FailureKind.NETWORK),
        (TelegramServerError(METHOD, "Bad Gateway"), FailureKind.NETWORK),
        (TelegramBadRequest(METHOD, "Bad Request: chat not found"), FailureKind.REJECTED),
        (KeyError("bug"), FailureKind.UNKNOWN),
    ],
)
def test_aiogram_errors_are_classified(error: Exception, kind: FailureKind) -> None:
    assert aiogram_app.classify_error(error).kind is kind


def test_aiogram_rate_limit_carries_retry_after() -> None:
    error = TelegramRetryAfter(METHOD, "Too Many Requests", retry_after=7)

    assert aiogram_app.classify_error(error).retry_after == 7.0


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (Forbidden("Forbidden: bot was blocked by the user"), FailureKind.BLOCKED),
        (BadRequest("Chat not found"), FailureKind.REJECTED),
        (TimedOut(), FailureKind.NETWORK),
        (NetworkError("httpx.ConnectError"), FailureKind.NETWORK),
        (KeyError("bug"), FailureKind.UNKNOWN),
    ],
)
def test_ptb_errors_are_classified(error: Exception, kind: FailureKind) -> None:
    assert ptb_app.classify_error(error).kind is kind


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
def test_ptb_rate_limit_carries_retry_after_in_seconds() -> None:
    failure = ptb_app.classify_error(RetryAfter(timedelta(seconds=7)))

    assert (failure.kind, failure.retry_after) == (FailureKind.RATE_LIMITED, 7.0)
