"""Seed bidang and responsible OPD of a nomenclature code, from bot/data/bidang_urusan.csv.

The table maps each bidang urusan (and a few programs whose OPD differs) to one of the
seed's three fields and to an OPD name; its `reason` column says why each falls where it
does, following the usual split of a Bappeda into infrastructure, economy and human
development (government affairs sit with human development, as the seed has no fourth
field).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache

from models.enums import Bidang
from services.data import DATA_DIR


@dataclass(frozen=True, slots=True)
class Assignment:
    """Where a code belongs: seed field and OPD."""

    bidang: Bidang
    opd: str


@cache
def _table() -> dict[str, Assignment]:
    with (DATA_DIR / "bidang_urusan.csv").open(encoding="utf-8", newline="") as handle:
        return {
            row["code"]: Assignment(bidang=Bidang(row["bidang"]), opd=row["opd"])
            for row in csv.DictReader(handle)
        }


def assign_code(code: str) -> Assignment | None:
    """Return the assignment of the longest table code that prefixes `code`."""
    table = _table()
    parts = code.split(".")
    for size in range(len(parts), 0, -1):
        found = table.get(".".join(parts[:size]))
        if found is not None:
            return found
    return None
