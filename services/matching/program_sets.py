"""Sets of programs from services/data: families a planner treats alike, single-level programs."""

from __future__ import annotations

import csv
from functools import cache

from services.data import DATA_DIR

FAMILIES_FILE = "program_families.csv"
LEVEL_FILE = "level_programs.csv"


@cache
def program_families() -> dict[str, frozenset[str]]:
    """Return, per program, the programs a planner accepts for the same needs (itself included)."""
    with (DATA_DIR / FAMILIES_FILE).open(encoding="utf-8", newline="") as handle:
        family: dict[str, set[str]] = {}
        for row in csv.DictReader(handle):
            codes = set(row["codes"].split())
            for code in codes:
                family.setdefault(code, set()).update(codes)
    return {code: frozenset(codes) for code, codes in family.items()}


@cache
def single_level_programs() -> dict[str, str]:
    """Return the programs that serve only a desa or only a kelurahan, with that level."""
    with (DATA_DIR / LEVEL_FILE).open(encoding="utf-8", newline="") as handle:
        return {row["code"]: row["level"] for row in csv.DictReader(handle)}
