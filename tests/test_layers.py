"""Imports flow one way: runtimes → handlers → services (bot/) → models."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RUNTIME_MODULES = ("bot/runtime/", "bot/console.py", "bot/cli.py", "bot/__main__.py")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def sources(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


def relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


@pytest.mark.parametrize("path", sources("models"), ids=relative)
def test_models_import_nothing_of_ours(path):
    ours = {m for m in imported_modules(path) if m.split(".")[0] in {"bot", "handlers"}}
    assert ours == set()


@pytest.mark.parametrize(
    "path",
    [p for p in sources("bot") if not relative(p).startswith(RUNTIME_MODULES)],
    ids=relative,
)
def test_services_never_import_handlers_or_runtimes(path):
    bad = {
        m
        for m in imported_modules(path)
        if m.split(".")[0] in {"handlers", "aiogram", "telegram"}
        or m.startswith(("bot.runtime", "bot.console", "bot.cli"))
    }
    assert bad == set()


@pytest.mark.parametrize("path", sources("handlers"), ids=relative)
def test_handlers_know_no_framework(path):
    bad = {
        m
        for m in imported_modules(path)
        if m.split(".")[0] in {"aiogram", "telegram"}
        or m.startswith(("bot.runtime", "bot.console", "bot.cli"))
    }
    assert bad == set()
