"""Fixtures for the import tests: a table file written in a temporary folder."""

from collections.abc import Callable
from pathlib import Path

import pytest


@pytest.fixture(name="write")
def write_fixture(tmp_path: Path) -> Callable[..., Path]:
    """Return a function that writes `text` to a file and returns its path."""

    def write(text: str, name: str = "rpjmd.csv") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write
