"""The delivery policy: 429 waited out, network errors retried with back-off, 403 → inactive."""

from __future__ import annotations

import logging

import pytest

from bot.runtime.delivery import (
    DeliveryPolicy,
    Failure,
    FailureKind,
    backoff_delay,
    deliver_with_policy,
    quiet_url_loggers,
)

POLICY = DeliveryPolicy(
    network_attempts=3, first_backoff=0.001, max_backoff=0.004, rate_limit_attempts=2
)


class _ApiError(Exception):
    def __init__(self, failure: Failure) -> None:
        super().__init__(failure.kind.value)
        self.failure = failure


def _classify(error: Exception) -> Failure:
    if isinstance(error, _ApiError):
        return error.failure
    return Failure(FailureKind.UNKNOWN)


class _Api:
    """Fails with the given errors in turn, then answers "sent"."""

    def __init__(self, *errors: Exception) -> None:
        self.errors = list(errors)
        self.calls = 0

    async def send(self) -> str:
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return "sent"


class _Blocked:
    def __init__(self) -> None:
        self.chats = 0

    async def __call__(self) -> None:
        self.chats += 1


def _error(kind: FailureKind, **fields: object) -> _ApiError:
    return _ApiError(Failure(kind, **fields))


async def _deliver(api: _Api, on_blocked: _Blocked | None = None) -> str | None:
    return await deliver_with_policy(
        api.send,
        classify=_classify,
        on_blocked=on_blocked or _Blocked(),
        what="SendText",
        chat_id=42,
        update_id=7,
        policy=POLICY,
    )


async def test_delivery_waits_retry_after_then_sends(monkeypatch: pytest.MonkeyPatch) -> None:
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    monkeypatch.setattr("bot.runtime.delivery.asyncio.sleep", sleep)
    api = _Api(_error(FailureKind.RATE_LIMITED, retry_after=3.0))

    assert await _deliver(api) == "sent"
    assert waits == [3.0]
    assert api.calls == 2


async def test_delivery_gives_up_when_still_rate_limited_after_the_allowed_waits() -> None:
    api = _Api(*[_error(FailureKind.RATE_LIMITED, retry_after=0.0)] * 5)

    assert await _deliver(api) is None
    assert api.calls == POLICY.rate_limit_attempts + 1


async def test_delivery_retries_network_errors_until_they_pass() -> None:
    api = _Api(_error(FailureKind.NETWORK), _error(FailureKind.NETWORK))

    assert await _deliver(api) == "sent"
    assert api.calls == 3


async def test_delivery_gives_up_after_the_network_attempts_without_raising() -> None:
    api = _Api(*[_error(FailureKind.NETWORK)] * 10)

    assert await _deliver(api) is None
    assert api.calls == POLICY.network_attempts


async def test_delivery_reports_a_blocked_chat_once_and_gives_up() -> None:
    blocked = _Blocked()
    api = _Api(_error(FailureKind.BLOCKED))

    assert await _deliver(api, blocked) is None
    assert (api.calls, blocked.chats) == (1, 1)


async def test_delivery_survives_a_failing_blocked_callback() -> None:
    async def broken() -> None:
        msg = "database down"
        raise RuntimeError(msg)

    result = await deliver_with_policy(
        _Api(_error(FailureKind.BLOCKED)).send,
        classify=_classify,
        on_blocked=broken,
        what="SendText",
        chat_id=42,
    )

    assert result is None


async def test_delivery_does_not_retry_a_rejected_call(caplog: pytest.LogCaptureFixture) -> None:
    api = _Api(_error(FailureKind.REJECTED, detail="Bad Request: chat not found"))

    assert await _deliver(api) is None
    assert api.calls == 1
    assert "Bad Request: chat not found" in caplog.text


async def test_delivery_never_raises_on_an_unexpected_error() -> None:
    api = _Api(ValueError("bug"))

    assert await _deliver(api) is None
    assert api.calls == 1


async def test_delivery_logs_chat_and_update_ids(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)

    await _deliver(_Api(_error(FailureKind.NETWORK, detail="ServerDisconnectedError")))

    [record] = caplog.records
    assert "chat 42" in record.getMessage()
    assert "update 7" in record.getMessage()


def test_backoff_doubles_up_to_the_maximum() -> None:
    policy = DeliveryPolicy(first_backoff=1.0, max_backoff=5.0)

    delays = [backoff_delay(policy, attempt) for attempt in range(1, 6)]

    assert 0.75 <= delays[0] <= 1.0
    assert 1.5 <= delays[1] <= 2.0
    assert 3.0 <= delays[2] <= 4.0
    assert all(3.75 <= delay <= 5.0 for delay in delays[3:])


def test_quiet_url_loggers_hides_request_urls_carrying_the_token() -> None:
    logging.getLogger("httpx").setLevel(logging.INFO)

    quiet_url_loggers()

    assert not logging.getLogger("httpx").isEnabledFor(logging.INFO)
