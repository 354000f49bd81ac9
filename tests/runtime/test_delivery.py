"""Bot-wide calls (the command menu, the webhook) are retried a few times; tokens stay quiet."""

from __future__ import annotations

import logging

import pytest

from bot.runtime import delivery
from bot.runtime.delivery import call_with_retries, quiet_url_loggers
from core.events import Rejected, RetryAfter, Unreachable


class _Api:
    """Fails with the given outcomes in turn, then succeeds."""

    def __init__(self, *outcomes: object) -> None:
        self.outcomes = list(outcomes)
        self.calls = 0

    async def call(self) -> None:
        self.calls += 1
        if self.outcomes:
            raise _FailedError(self.outcomes.pop(0))


class _FailedError(Exception):
    def __init__(self, outcome: object) -> None:
        super().__init__(str(outcome))
        self.outcome = outcome


def _classify(error: Exception) -> object:
    assert isinstance(error, _FailedError)
    return error.outcome


@pytest.fixture(autouse=True)
def _quick_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(delivery, "SETUP_BACKOFF_SECONDS", 0.001)


async def test_setup_call_waits_out_429_and_network_errors() -> None:
    api = _Api(RetryAfter(0.01), Unreachable("TimedOut"))

    assert await call_with_retries(api.call, classify=_classify, what="SetMyCommands")
    assert api.calls == 3


async def test_setup_call_gives_up_after_the_attempts_without_raising(caplog) -> None:
    api = _Api(*[Unreachable("TimedOut")] * 10)

    assert not await call_with_retries(api.call, classify=_classify, what="SetMyCommands")
    assert api.calls == delivery.SETUP_ATTEMPTS
    assert "going on without it" in caplog.text


async def test_setup_call_refused_is_not_retried() -> None:
    api = _Api(Rejected("Bad Request: bad command"))

    assert not await call_with_retries(api.call, classify=_classify, what="SetMyCommands")
    assert api.calls == 1


def test_quiet_url_loggers_hides_request_urls_carrying_the_token() -> None:
    logging.getLogger("httpx").setLevel(logging.INFO)

    quiet_url_loggers()

    assert not logging.getLogger("httpx").isEnabledFor(logging.INFO)
