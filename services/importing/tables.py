"""Read, check and store a regency's RPJMD program list and region list (CSV or XLSX).

RPJMD columns (header row; Indonesian or English names, any order):
    kode / code                      required, e.g. 1.03.10
    nama_program / program / name    required
    opd                              required, the responsible OPD
    indikator / indicator            optional
    target                           optional
    satuan / unit                    optional
    kata_kunci / keywords            optional, separated by ";"

Region columns: code, name, level (provinsi, kabupaten, kecamatan, desa, kelurahan),
parent_code, alt_names (optional, separated by ";"), as in bot/data/lebong_regions.csv.

Every row is checked first; when any row is wrong nothing is stored. Storing the same file
twice changes nothing.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

from openpyxl import load_workbook
from sqlmodel import col, select

from core.i18n import _
from models.catalogue import Program
from models.enums import RegionLevel
from models.regions import Region

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence
    from pathlib import Path

    from sqlmodel.ext.asyncio.session import AsyncSession

FIRST_DATA_ROW = 2  # row 1 is the header, as a spreadsheet numbers it
_CODE = re.compile(r"^[0-9A-Za-z]+(?:[.\-][0-9A-Za-z]+)*$")
_REGION_CODE = re.compile(r"^\d+(?:\.\d+)*$")

PROGRAM_ALIASES = {
    "code": ("kode", "code", "kode_program"),
    "name": ("nama_program", "program", "name", "nama", "program_name"),
    "opd": ("opd", "perangkat_daerah"),
    "indicator": ("indikator", "indicator"),
    "target": ("target",),
    "unit": ("satuan", "unit"),
    "keywords": ("kata_kunci", "keywords", "keyword"),
}
PROGRAM_REQUIRED = ("code", "name", "opd")
PROGRAM_LIMITS = {
    "code": 40,
    "name": 500,
    "opd": 200,
    "indicator": 1000,
    "target": 200,
    "unit": 100,
    "keywords": 2000,
}
REGION_ALIASES = {
    "code": ("code", "kode"),
    "name": ("name", "nama"),
    "level": ("level", "tingkat"),
    "parent_code": ("parent_code", "kode_induk", "induk"),
    "alt_names": ("alt_names", "nama_lain"),
}
REGION_REQUIRED = ("code", "name", "level")
REGION_LIMITS = {"code": 20, "name": 100, "level": 20, "parent_code": 20, "alt_names": 200}


class ImportFileError(Exception):
    """The file cannot be read as a table; the message is for the user."""


@dataclass(frozen=True, slots=True)
class RowError:
    """One problem in one row of the file."""

    row: int
    message: str

    def __str__(self) -> str:
        """Return the problem with its row number, in the current locale."""
        return _("Row {row}: {problem}").format(row=self.row, problem=self.message)


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


@dataclass(frozen=True, slots=True)
class RegionRow:
    """A checked region row."""

    code: str
    name: str
    level: RegionLevel
    parent_code: str | None
    alt_names: str


@dataclass(frozen=True, slots=True)
class ImportSummary:
    """How many rows were new, changed or already there."""

    added: int
    updated: int
    unchanged: int


def _header_key(name: object) -> str:
    return re.sub(r"[^a-z0-9]+", "_", str(name or "").strip().casefold()).strip("_")


def read_table(path: Path) -> list[dict[str, str]]:
    """Read the first sheet of an XLSX file or a CSV file into rows keyed by header.

    Raises:
        ImportFileError: the file is missing, empty or of another type.
    """
    suffix = path.suffix.casefold()
    if not path.is_file():
        raise ImportFileError(_("File {path} was not found.").format(path=path))
    if suffix == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as handle:
            table = [list(row) for row in csv.reader(handle)]
    elif suffix in {".xlsx", ".xlsm"}:
        workbook = load_workbook(path, read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            table = [
                ["" if cell is None else str(cell) for cell in row]
                for row in sheet.iter_rows(values_only=True)
            ]
        finally:
            workbook.close()
    else:
        raise ImportFileError(
            _("Send a .csv or .xlsx file; {name} is neither.").format(name=path.name)
        )
    if not table:
        raise ImportFileError(_("The file {name} is empty.").format(name=path.name))
    header = [_header_key(cell) for cell in table[0]]
    return [
        {key: value.strip() for key, value in zip(header, row, strict=False) if key}
        for row in table[1:]
    ]


def _pick_columns(
    rows: Sequence[Mapping[str, str]], aliases: Mapping[str, tuple[str, ...]]
) -> dict[str, str]:
    """Map our field names to the file's header keys."""
    present = set(rows[0]) if rows else set()
    return {
        field: next((alias for alias in names if alias in present), "")
        for field, names in aliases.items()
    }


def _missing_columns(columns: Mapping[str, str], required: Iterable[str]) -> list[RowError]:
    missing = [field for field in required if not columns[field]]
    if not missing:
        return []
    message = _("the header lacks the column(s) {columns}").format(columns=", ".join(missing))
    return [RowError(row=1, message=message)]


def _check_cells(
    values: Mapping[str, str],
    required: Iterable[str],
    limits: Mapping[str, int],
    row: int,
) -> list[RowError]:
    errors = [
        RowError(row, _("{column} is empty").format(column=field))
        for field in required
        if not values[field]
    ]
    errors.extend(
        RowError(
            row, _("{column} is longer than {limit} characters").format(column=field, limit=limit)
        )
        for field, limit in limits.items()
        if len(values[field]) > limit
    )
    return errors


def _is_blank(row: Mapping[str, str]) -> bool:
    return not any(row.values())


def _numbered_values(
    rows: Sequence[Mapping[str, str]], columns: Mapping[str, str]
) -> list[tuple[int, dict[str, str]]]:
    """Return each non-blank row's values by field, with its row number in the file."""
    return [
        (number, {field: raw.get(key, "") if key else "" for field, key in columns.items()})
        for number, raw in enumerate(rows, start=FIRST_DATA_ROW)
        if not _is_blank(raw)
    ]


def _repeated_code(code: str, number: int, seen: dict[str, int]) -> list[RowError]:
    """Remember where a code first appears; return an error when it appeared before."""
    first = seen.setdefault(code, number)
    if first == number:
        return []
    message = _("code {code} already appears in row {first}").format(code=code, first=first)
    return [RowError(number, message)]


def validate_programs(
    rows: Sequence[Mapping[str, str]],
) -> tuple[list[ProgramRow], list[RowError]]:
    """Check every RPJMD row; return the good rows and the errors (row numbers as in the file)."""
    columns = _pick_columns(rows, PROGRAM_ALIASES)
    errors = _missing_columns(columns, PROGRAM_REQUIRED)
    if errors:
        return [], errors
    programs: list[ProgramRow] = []
    seen: dict[str, int] = {}
    for number, values in _numbered_values(rows, columns):
        row_errors = _check_cells(values, PROGRAM_REQUIRED, PROGRAM_LIMITS, number)
        code = values["code"]
        if code and not _CODE.match(code):
            row_errors.append(
                RowError(
                    number,
                    _("code {code} is not a program code such as 1.03.10").format(code=code),
                )
            )
        row_errors.extend(_repeated_code(code, number, seen))
        errors.extend(row_errors)
        if not row_errors:
            programs.append(ProgramRow(**values))
    if not programs and not errors:
        errors.append(RowError(FIRST_DATA_ROW, _("the file has no data rows")))
    return programs, errors


def validate_regions(
    rows: Sequence[Mapping[str, str]], known_codes: Iterable[str] = ()
) -> tuple[list[RegionRow], list[RowError]]:
    """Check every region row; a parent must be in the file or already stored."""
    columns = _pick_columns(rows, REGION_ALIASES)
    errors = _missing_columns(columns, REGION_REQUIRED)
    if errors:
        return [], errors
    values_by_row = _numbered_values(rows, columns)
    codes = set(known_codes) | {values["code"] for _number, values in values_by_row}
    levels = {level.value for level in RegionLevel}
    regions: list[RegionRow] = []
    seen: dict[str, int] = {}
    for number, values in values_by_row:
        row_errors = _check_cells(values, REGION_REQUIRED, REGION_LIMITS, number)
        code, level, parent = values["code"], values["level"].casefold(), values["parent_code"]
        if code and not _REGION_CODE.match(code):
            row_errors.append(
                RowError(
                    number,
                    _("code {code} is not a Kemendagri code such as 17.07.01").format(code=code),
                )
            )
        if values["level"] and level not in levels:
            row_errors.append(
                RowError(
                    number,
                    _("level {level} is not one of {levels}").format(
                        level=values["level"], levels=", ".join(sorted(levels))
                    ),
                )
            )
        if parent and parent not in codes:
            row_errors.append(
                RowError(
                    number,
                    _("parent code {parent} is neither in the file nor stored").format(
                        parent=parent
                    ),
                )
            )
        row_errors.extend(_repeated_code(code, number, seen))
        errors.extend(row_errors)
        if not row_errors:
            regions.append(
                RegionRow(
                    code=code,
                    name=values["name"],
                    level=RegionLevel(level),
                    parent_code=parent or None,
                    alt_names=values["alt_names"],
                )
            )
    if not regions and not errors:
        errors.append(RowError(FIRST_DATA_ROW, _("the file has no data rows")))
    return regions, errors


def _differs(row: object, values: Mapping[str, object]) -> bool:
    return any(getattr(row, key) != value for key, value in values.items())


async def store_programs(session: AsyncSession, programs: Sequence[ProgramRow]) -> ImportSummary:
    """Insert or update RPJMD programs by code; rows already equal are left alone."""
    existing = {
        row.code: row
        for row in await session.exec(
            select(Program).where(col(Program.code).in_([p.code for p in programs]))
        )
    }
    added = updated = 0
    for program in programs:
        values = {field.name: getattr(program, field.name) for field in fields(ProgramRow)}
        row = existing.get(program.code)
        if row is None:
            session.add(Program(**values))
            added += 1
        elif _differs(row, values):
            for key, value in values.items():
                setattr(row, key, value)
            session.add(row)
            updated += 1
    await session.flush()
    return ImportSummary(added, updated, len(programs) - added - updated)


async def list_region_codes(session: AsyncSession) -> set[str]:
    """Return the codes of every stored region."""
    return set(await session.exec(select(Region.code)))


async def store_regions(session: AsyncSession, regions: Sequence[RegionRow]) -> ImportSummary:
    """Insert or update regions by code, parents first; rows already equal are left alone."""
    existing = {
        row.code: row
        for row in await session.exec(
            select(Region).where(col(Region.code).in_([r.code for r in regions]))
        )
    }
    added = updated = 0
    for region in sorted(regions, key=lambda item: item.code.count(".")):
        values = {field.name: getattr(region, field.name) for field in fields(RegionRow)}
        row = existing.get(region.code)
        if row is None:
            session.add(Region(**values))
            await session.flush()
            added += 1
        elif _differs(row, values):
            for key, value in values.items():
                setattr(row, key, value)
            session.add(row)
            updated += 1
    await session.flush()
    return ImportSummary(added, updated, len(regions) - added - updated)
