"""Bappeda's bulk status update from a spreadsheet (XLSX or CSV, e.g. the summary workbook).

Columns (header row, found on any sheet within its first rows, any order):
    kode lacak / kode / tracking code     required, e.g. LBG-27-7K3QX
    status / hasil                        required: a status value (``diakomodir``), its
                                          label (``Diakomodasi``) or ``tidak diakomodasi``
    catatan / keterangan / alasan / note  optional; required for returns and rejections

Every row is checked first; when any row is wrong nothing is applied. Rows that already
have their status change nothing, so the same file applied twice tells nobody twice.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from openpyxl import load_workbook

from core.i18n import _, use_locale
from models.enums import Role, Status
from models.review import proposals_by_code
from services.access import bappeda_may_move
from services.importing.rows import ImportFileError, RowError
from services.lifecycle import (
    NOTE_REQUIRED,
    StatusChangeError,
    can_move,
    change_status,
    status_label,
)
from services.tracking_code import normalize_code

if TYPE_CHECKING:
    from datetime import datetime

    from sqlmodel.ext.asyncio.session import AsyncSession

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
HEADER_SEARCH_ROWS = 10
NOTE_LIMIT = 1000
CODE_ALIASES = ("kode_lacak", "tracking_code", "kode_usulan", "kode", "code")
STATUS_ALIASES = ("status", "status_usulan", "hasil", "status_baru")
NOTE_ALIASES = ("catatan", "keterangan", "alasan", "note", "catatan_status")
#: Common ways of writing a result that are neither a status value nor its label.
STATUS_SYNONYMS = {
    "diakomodasi": Status.DIAKOMODIR,
    "terakomodasi": Status.DIAKOMODIR,
    "tidak_diakomodasi": Status.TIDAK_DIAKOMODIR,
    "tidak_terakomodasi": Status.TIDAK_DIAKOMODIR,
    "belum_diakomodasi": Status.TIDAK_DIAKOMODIR,
}


@dataclass(frozen=True, slots=True)
class PlannedChange:
    """One row that moves one proposal."""

    row: int
    code: str
    from_status: Status
    to_status: Status
    note: str


@dataclass
class ImportPlan:
    """What the file would do: the changes, the rows already up to date, and the errors."""

    changes: list[PlannedChange] = field(default_factory=list)
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Return whether the file may be applied."""
        return not self.errors


def _key(name: object) -> str:
    return re.sub(r"[^a-z0-9]+", "_", str(name or "").strip().casefold()).strip("_")


def _read_cells(content: bytes) -> list[list[list[str]]]:
    """Return the sheets of an XLSX file, or the one table of a CSV file, as text cells."""
    if len(content) > MAX_BYTES:
        raise ImportFileError(
            _("The file is larger than {size} MB. Send only the columns needed.").format(
                size=MAX_BYTES // (1024 * 1024)
            )
        )
    if zipfile.is_zipfile(io.BytesIO(content)):
        try:
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as error:
            raise ImportFileError(
                _("The file cannot be opened as an Excel workbook (.xlsx).")
            ) from error
        try:
            return [
                [
                    ["" if cell is None else str(cell).strip() for cell in row]
                    for row in sheet.iter_rows(values_only=True)
                ]
                for sheet in workbook.worksheets
            ]
        finally:
            workbook.close()
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252", errors="replace")
    if "\x00" in text:
        raise ImportFileError(_("Send an Excel (.xlsx) or CSV file; this file is neither."))
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [[[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), dialect)]]


@dataclass(frozen=True, slots=True)
class _Columns:
    header_row: int
    code: int
    status: int
    note: int | None


def _find_columns(table: list[list[str]]) -> _Columns | None:
    for index, row in enumerate(table[:HEADER_SEARCH_ROWS]):
        keys = [_key(cell) for cell in row]

        def position(aliases: tuple[str, ...], keys: list[str] = keys) -> int | None:
            return next((keys.index(alias) for alias in aliases if alias in keys), None)

        code, status = position(CODE_ALIASES), position(STATUS_ALIASES)
        if code is not None and status is not None:
            return _Columns(index, code, status, position(NOTE_ALIASES))
    return None


def read_status_rows(content: bytes) -> list[tuple[int, str, str, str]]:
    """Return (row number, code, status, note) for every non-blank data row.

    Raises:
        ImportFileError: the file cannot be read, or no sheet has the needed columns.
    """
    for table in _read_cells(content):
        columns = _find_columns(table)
        if columns is None:
            continue
        rows = []
        first_data_row = columns.header_row + 2  # as a spreadsheet numbers its rows
        for number, row in enumerate(table[columns.header_row + 1 :], start=first_data_row):

            def cell(index: int | None, row: list[str] = row) -> str:
                return row[index] if index is not None and index < len(row) else ""

            values = (cell(columns.code), cell(columns.status), cell(columns.note))
            if any(values):
                rows.append((number, *values))
        if len(rows) > MAX_ROWS:
            raise ImportFileError(
                _("The file has more than {limit} rows; split it into smaller files.").format(
                    limit=MAX_ROWS
                )
            )
        return rows
    raise ImportFileError(
        _(
            "No sheet has the columns “kode lacak” and “status” in its header row. Add them "
            "(the daily summary workbook already has them) and send the file again."
        )
    )


def parse_status(text: str) -> Status | None:
    """Read a status as Bappeda may write it: its value, its label (id or en), or a synonym."""
    key = _key(text)
    if not key:
        return None
    if key in {status.value for status in Status}:
        return Status(key)
    if key in STATUS_SYNONYMS:
        return STATUS_SYNONYMS[key]
    for locale in ("id", "en"):
        with use_locale(locale):
            for status in Status:
                if _key(status_label(status)) == key:
                    return status
    return None


async def plan_status_import(
    session: AsyncSession, rows: list[tuple[int, str, str, str]], *, prefix: str
) -> ImportPlan:
    """Check every row against the stored proposals; return the changes and the errors."""
    plan = ImportPlan()
    seen: dict[str, int] = {}
    codes = {
        number: normalize_code(code, prefix=prefix) if code else None for number, code, *_ in rows
    }
    stored = await proposals_by_code(session, [code for code in codes.values() if code])
    for number, typed_code, typed_status, note in rows:
        problems = []
        code = codes[number]
        status = parse_status(typed_status)
        if not typed_code:
            problems.append(_("the tracking code is empty"))
        elif code is None:
            problems.append(_("“{code}” is not a tracking code").format(code=typed_code[:40]))
        if not typed_status:
            problems.append(_("the status is empty"))
        elif status is None:
            problems.append(_("the status “{status}” is unknown").format(status=typed_status[:40]))
        if len(note) > NOTE_LIMIT:
            problems.append(
                _("the note is longer than {limit} characters").format(limit=NOTE_LIMIT)
            )
        if code is not None:
            first = seen.setdefault(code, number)
            if first != number:
                problems.append(
                    _("code {code} already appears in row {first}").format(code=code, first=first)
                )
        proposal = stored.get(code) if code is not None else None
        if code is not None and proposal is None and not problems:
            problems.append(_("there is no proposal with the code {code}").format(code=code))
        if proposal is not None and status is not None and not problems:
            current = Status(proposal.status)
            if current == status:
                plan.unchanged += 1
                continue
            if not bappeda_may_move(current, status):
                problems.append(
                    _("{code} cannot go from “{current}” to “{status}”").format(
                        code=code, current=status_label(current), status=status_label(status)
                    )
                )
            elif status in NOTE_REQUIRED and not note.strip():
                problems.append(
                    _("“{status}” needs a note for the proposer in the catatan column").format(
                        status=status_label(status)
                    )
                )
            else:
                plan.changes.append(
                    PlannedChange(number, proposal.tracking_code, current, status, note.strip())
                )
                continue
        plan.errors.extend(RowError(number, problem) for problem in problems)
    return plan


async def apply_status_import(
    session: AsyncSession, plan: ImportPlan, *, by: int | None, now: datetime
) -> int:
    """Apply every planned change in the caller's transaction; return how many were applied.

    Raises:
        StatusChangeError: a proposal moved since the plan was made; the caller rolls back.
    """
    stored = await proposals_by_code(session, [change.code for change in plan.changes])
    for change in plan.changes:
        proposal = stored.get(change.code)
        if proposal is None or Status(proposal.status) != change.from_status:
            msg = f"{change.code} changed since the file was checked"
            raise StatusChangeError(msg)
        await change_status(
            session,
            proposal,
            change.to_status,
            by=by,
            by_role=Role.BAPPEDA,
            note=change.note,
            now=now,
            correction=not can_move(change.from_status, change.to_status),
        )
    return len(plan.changes)
