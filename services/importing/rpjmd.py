"""A regency's RPJMD program list (CSV or XLSX): check every row, then store by code.

Columns (header row; Indonesian or English names, any order):
    kode / code                      required, e.g. 1.03.10
    nama_program / program / name    required
    opd                              required, the responsible OPD
    indikator / indicator            optional
    target                           optional
    satuan / unit                    optional
    kata_kunci / keywords            optional, separated by ";"
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from core.i18n import _
from models.catalogue import Program
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
    from collections.abc import Mapping, Sequence

    from sqlmodel.ext.asyncio.session import AsyncSession

    from services.importing.rows import ImportSummary

_CODE = re.compile(r"^[0-9A-Za-z]+(?:[.\-][0-9A-Za-z]+)*$")
ALIASES = {
    "code": ("kode", "code", "kode_program"),
    "name": ("nama_program", "program", "name", "nama", "program_name"),
    "opd": ("opd", "perangkat_daerah"),
    "indicator": ("indikator", "indicator"),
    "target": ("target",),
    "unit": ("satuan", "unit"),
    "keywords": ("kata_kunci", "keywords", "keyword"),
}
REQUIRED = ("code", "name", "opd")
LIMITS = {
    "code": 40,
    "name": 500,
    "opd": 200,
    "indicator": 1000,
    "target": 200,
    "unit": 100,
    "keywords": 2000,
}


@dataclass(frozen=True, slots=True)
class ProgramRow:
    """A checked RPJMD program row."""

    code: str
    name: str
    opd: str
    indicator: str
    target: str
    unit: str
    keywords: str


def validate_programs(
    rows: Sequence[Mapping[str, str]],
) -> tuple[list[ProgramRow], list[RowError]]:
    """Check every RPJMD row; return the good rows and the errors (row numbers as in the file)."""
    columns = pick_columns(rows, ALIASES)
    errors = missing_columns(columns, REQUIRED)
    if errors:
        return [], errors
    programs: list[ProgramRow] = []
    seen: dict[str, int] = {}
    for number, values in numbered_values(rows, columns):
        row_errors = check_cells(values, REQUIRED, LIMITS, number)
        code = values["code"]
        if code and not _CODE.match(code):
            row_errors.append(
                RowError(
                    number,
                    _("code {code} is not a program code such as 1.03.10").format(code=code),
                )
            )
        row_errors.extend(repeated_code(code, number, seen))
        errors.extend(row_errors)
        if not row_errors:
            programs.append(ProgramRow(**values))
    return programs, no_data_rows(programs, errors)


async def store_programs(session: AsyncSession, programs: Sequence[ProgramRow]) -> ImportSummary:
    """Insert or update RPJMD programs by code; rows already equal are left alone."""
    return await store_by_code(session, Program, programs)
