"""A region list (CSV or XLSX): check every row, then store by code, parents first.

Columns: code, name, level (provinsi, kabupaten, kecamatan, desa, kelurahan), parent_code,
alt_names (optional, separated by ";"), as in services/data/lebong_regions.csv.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from core.i18n import _
from models.enums import RegionLevel
from models.regions import Region
from services.importing.rows import (
    RowError,
    check_cells,
    missing_columns,
    no_data_rows,
    numbered_values,
    pick_columns,
    repeated_code,
    store_by_code,
)

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    from sqlmodel.ext.asyncio.session import AsyncSession

    from services.importing.rows import ImportSummary

_REGION_CODE = re.compile(r"^\d+(?:\.\d+)*$")
ALIASES = {
    "code": ("code", "kode"),
    "name": ("name", "nama"),
    "level": ("level", "tingkat"),
    "parent_code": ("parent_code", "kode_induk", "induk"),
    "alt_names": ("alt_names", "nama_lain"),
}
REQUIRED = ("code", "name", "level")
LIMITS = {"code": 20, "name": 100, "level": 20, "parent_code": 20, "alt_names": 200}


@dataclass(frozen=True, slots=True)
class RegionRow:
    """A checked region row."""

    code: str
    name: str
    level: RegionLevel
    parent_code: str | None
    alt_names: str


def _row_problems(
    number: int, values: Mapping[str, str], codes: set[str], seen: dict[str, int]
) -> list[RowError]:
    """Return what is wrong with one region row."""
    errors = check_cells(values, REQUIRED, LIMITS, number)
    code, level, parent = values["code"], values["level"], values["parent_code"]
    levels = {item.value for item in RegionLevel}
    if code and not _REGION_CODE.match(code):
        message = _("code {code} is not a Kemendagri code such as 17.07.01").format(code=code)
        errors.append(RowError(number, message))
    if level and level.casefold() not in levels:
        message = _("level {level} is not one of {levels}").format(
            level=level, levels=", ".join(sorted(levels))
        )
        errors.append(RowError(number, message))
    if parent and parent not in codes:
        message = _("parent code {parent} is neither in the file nor stored").format(parent=parent)
        errors.append(RowError(number, message))
    return errors + repeated_code(code, number, seen)


def validate_regions(
    rows: Sequence[Mapping[str, str]], known_codes: Iterable[str] = ()
) -> tuple[list[RegionRow], list[RowError]]:
    """Check every region row; a parent must be in the file or already stored."""
    columns = pick_columns(rows, ALIASES)
    errors = missing_columns(columns, REQUIRED)
    if errors:
        return [], errors
    values_by_row = numbered_values(rows, columns)
    codes = set(known_codes) | {values["code"] for _number, values in values_by_row}
    regions: list[RegionRow] = []
    seen: dict[str, int] = {}
    for number, values in values_by_row:
        row_errors = _row_problems(number, values, codes, seen)
        errors.extend(row_errors)
        if not row_errors:
            regions.append(
                RegionRow(
                    code=values["code"],
                    name=values["name"],
                    level=RegionLevel(values["level"].casefold()),
                    parent_code=values["parent_code"] or None,
                    alt_names=values["alt_names"],
                )
            )
    return regions, no_data_rows(regions, errors)


async def store_regions(session: AsyncSession, regions: Sequence[RegionRow]) -> ImportSummary:
    """Insert or update regions by code, parents first; rows already equal are left alone."""
    parents_first = sorted(regions, key=lambda region: region.code.count("."))
    return await store_by_code(session, Region, parents_first)
