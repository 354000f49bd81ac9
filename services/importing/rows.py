"""Reading a CSV or XLSX table and checking its cells: what every import shares.

Every row is checked first; when any row is wrong nothing is stored. Storing the same file
twice changes nothing.
"""

from __future__ import annotations

import csv
import re
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from openpyxl import load_workbook
from sqlmodel import col, select

from core.i18n import _

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence
    from pathlib import Path

    from sqlmodel import SQLModel
    from sqlmodel.ext.asyncio.session import AsyncSession

FIRST_DATA_ROW = 2  # row 1 is the header, as a spreadsheet numbers it


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


def pick_columns(
    rows: Sequence[Mapping[str, str]], aliases: Mapping[str, tuple[str, ...]]
) -> dict[str, str]:
    """Map our field names to the file's header keys ("" for a column the file lacks)."""
    present = set(rows[0]) if rows else set()
    return {
        field: next((alias for alias in names if alias in present), "")
        for field, names in aliases.items()
    }


def missing_columns(columns: Mapping[str, str], required: Iterable[str]) -> list[RowError]:
    """Return an error on the header row when a required column is absent."""
    missing = [field for field in required if not columns[field]]
    if not missing:
        return []
    message = _("the header lacks the column(s) {columns}").format(columns=", ".join(missing))
    return [RowError(row=1, message=message)]


def check_cells(
    values: Mapping[str, str],
    required: Iterable[str],
    limits: Mapping[str, int],
    row: int,
) -> list[RowError]:
    """Return the empty required cells and the cells longer than their column allows."""
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


def numbered_values(
    rows: Sequence[Mapping[str, str]], columns: Mapping[str, str]
) -> list[tuple[int, dict[str, str]]]:
    """Return each non-blank row's values by field, with its row number in the file."""
    return [
        (number, {field: raw.get(key, "") if key else "" for field, key in columns.items()})
        for number, raw in enumerate(rows, start=FIRST_DATA_ROW)
        if any(raw.values())
    ]


def repeated_code(code: str, number: int, seen: dict[str, int]) -> list[RowError]:
    """Remember where a code first appears; return an error when it appeared before."""
    first = seen.setdefault(code, number)
    if first == number:
        return []
    message = _("code {code} already appears in row {first}").format(code=code, first=first)
    return [RowError(number, message)]


def no_data_rows(checked: Sequence[object], errors: list[RowError]) -> list[RowError]:
    """Return the errors, plus one when the file had nothing to import and no other problem."""
    if checked or errors:
        return errors
    return [RowError(FIRST_DATA_ROW, _("the file has no data rows"))]


async def store_by_code(
    session: AsyncSession, table: type[SQLModel], rows: Sequence[Any]
) -> ImportSummary:
    """Insert or update checked rows (dataclasses with a `code`) in order; equal rows stay."""
    code_column = col(table.code)  # type: ignore[attr-defined]
    existing = {
        stored.code: stored
        for stored in await session.exec(
            select(table).where(code_column.in_([row.code for row in rows]))
        )
    }
    added = updated = 0
    for row in rows:
        values = asdict(row)
        stored = existing.get(row.code)
        if stored is None:
            session.add(table(**values))
            await session.flush()  # a later row may name this one as its parent
            added += 1
        elif any(getattr(stored, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(stored, key, value)
            session.add(stored)
            updated += 1
    await session.flush()
    return ImportSummary(added, updated, len(rows) - added - updated)
