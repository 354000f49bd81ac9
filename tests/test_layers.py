"""Imports flow one way, package by package: bot → handlers → services → models; core beside."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FRAMEWORKS = {"aiogram", "telegram"}
# What each layer may import of ours; anything else of ours is an arrow pointing up.
ALLOWED = {
    "bot": {"bot", "core", "handlers", "services", "models", "locales"},
    "handlers": {"core", "handlers", "services", "models"},
    "services": {"core", "services", "models"},
    "core": {"core", "locales"},
    "models": {"models"},
}
OURS = set(ALLOWED) | {"locales", "tests"}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def layer_sources() -> list[tuple[str, Path]]:
    return [(layer, path) for layer in ALLOWED for path in sorted((ROOT / layer).rglob("*.py"))]


@pytest.mark.parametrize(
    ("layer", "path"), layer_sources(), ids=lambda v: v if isinstance(v, str) else v.name
)
def test_layer_imports_only_downwards(layer, path):
    packages = {module.split(".")[0] for module in imported_modules(path)}
    upwards = {p for p in packages if p in OURS and p not in ALLOWED[layer]}
    assert upwards == set(), f"{path.relative_to(ROOT)} imports {upwards}"


@pytest.mark.parametrize(
    ("layer", "path"),
    [(layer, path) for layer, path in layer_sources() if layer != "bot"],
    ids=lambda v: v if isinstance(v, str) else v.name,
)
def test_only_bot_knows_the_telegram_frameworks(layer, path):
    packages = {module.split(".")[0] for module in imported_modules(path)}
    assert packages & FRAMEWORKS == set()


def test_layer_rule_notices_an_upward_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from bot.cli import main\nimport handlers.dispatch\n")
    packages = {module.split(".")[0] for module in imported_modules(bad)}
    assert {p for p in packages if p in OURS and p not in ALLOWED["services"]} == {
        "bot",
        "handlers",
    }
