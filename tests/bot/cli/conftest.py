"""Fixtures for the command-line tests."""

import pytest

from services.matching import loading


@pytest.fixture(autouse=True)
def _commands_keep_their_matchers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the matchers a command builds (with imported programs) away from other tests."""
    monkeypatch.setattr(loading, "_current", dict(loading._current))
