"""Bulk status update from XLSX/CSV: every row checked, all or nothing, twice is quiet."""

import io
from datetime import UTC, datetime

import pytest
from openpyxl import Workbook
from sqlmodel import select

from core.i18n import use_locale
from models.db import session_scope
from models.enums import Status
from models.outbox import Outbox
from models.proposals import Proposal
from services.importing.rows import ImportFileError
from services.status_import import (
    apply_status_import,
    parse_status,
    plan_status_import,
    read_status_rows,
)
from tests.proposal_factories import add_proposal, add_regions
from tests.role_factories import add_person

NOW = datetime(2024, 3, 20, 3, 0, tzinfo=UTC)
ADMIN = 900


def workbook(*sheets: list[list[object]]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for number, rows in enumerate(sheets):
        sheet = book.create_sheet(f"Sheet{number}")
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_the_status_columns_are_found_on_any_sheet_below_a_title():
    content = workbook(
        [["Ringkasan"], ["total", 3]],
        [
            ["Usulan Musrenbang 2027"],
            [],
            ["No", "Kode Lacak", "Judul", "Status", "Catatan"],
            [1, "LBG-27-AAAAA", "Jalan", "Diakomodasi", "masuk RKPD"],
            [None, None, None, None, None],
            [2, "LBG-27-BBBBB", "Sumur", "tidak diakomodasi", None],
        ],
    )
    assert read_status_rows(content) == [
        (4, "LBG-27-AAAAA", "Diakomodasi", "masuk RKPD"),
        (6, "LBG-27-BBBBB", "tidak diakomodasi", ""),
    ]


def test_a_csv_with_semicolons_is_read_too():
    content = b"kode;status;keterangan\nLBG-27-AAAAA;diakomodir;ok\n"
    assert read_status_rows(content) == [(2, "LBG-27-AAAAA", "diakomodir", "ok")]


@pytest.mark.parametrize(
    "content", [b"", b"nama,jumlah\nA,1\n", b"\x00\x01\x02binary", b"PK\x03\x04broken zip"]
)
def test_a_file_without_the_columns_is_refused_in_indonesian(content):
    with use_locale("id"), pytest.raises(ImportFileError) as refused:
        read_status_rows(content)
    assert str(refused.value)


@pytest.mark.parametrize(
    ("typed", "status"),
    [
        ("diakomodir", Status.DIAKOMODIR),
        ("Diakomodasi", Status.DIAKOMODIR),
        ("TIDAK DIAKOMODASI", Status.TIDAK_DIAKOMODIR),
        ("tidak_diakomodir", Status.TIDAK_DIAKOMODIR),
        ("Diteruskan ke OPD", Status.DITERUSKAN_OPD),
        ("Not accepted into the plan", Status.TIDAK_DIAKOMODIR),
        ("selesai", None),
        ("", None),
    ],
)
def test_statuses_are_read_as_bappeda_writes_them(typed, status):
    assert parse_status(typed) == status


async def _proposals(session) -> list[Proposal]:
    await add_regions(session)
    await add_person(session, 5001)
    forwarded = await add_proposal(session, proposer_id=5001, status=Status.DITERUSKAN_OPD)
    verified = await add_proposal(session, proposer_id=5001, status=Status.DIVERIFIKASI)
    done = await add_proposal(session, proposer_id=5001, status=Status.DIAKOMODIR)
    rejected = await add_proposal(session, proposer_id=5001, status=Status.DITOLAK)
    return [forwarded, verified, done, rejected]


async def test_every_wrong_row_is_named_and_nothing_is_planned_to_apply(engine):
    async with session_scope(engine) as session:
        forwarded, verified, done, rejected = await _proposals(session)
        rows = [
            (2, forwarded.tracking_code, "diakomodasi", ""),
            (3, "LBG-24-ZZZZZ", "diakomodasi", ""),
            (4, verified.tracking_code, "selesai", ""),
            (5, rejected.tracking_code, "diakomodasi", ""),
            (6, forwarded.tracking_code, "tidak diakomodasi", ""),
            (7, "", "", ""),
            (8, verified.tracking_code, "dikembalikan", ""),
            (9, done.tracking_code, "diakomodir", ""),
        ]
        with use_locale("id"):
            plan = await plan_status_import(session, rows, prefix="LBG")
            errors = [str(error) for error in plan.errors]
    assert not plan.ok
    assert plan.unchanged == 1
    assert [error.row for error in plan.errors] == [3, 4, 5, 6, 7, 7, 8]
    assert "LBG-24-ZZZZZ" in errors[0]
    assert "selesai" in errors[1]
    assert "Ditolak" in errors[2]
    assert "baris 2" in errors[3]


async def test_a_good_file_is_applied_in_one_go_and_tells_each_proposer(engine):
    async with session_scope(engine) as session:
        forwarded, verified, _done, _rejected = await _proposals(session)
        rows = [
            (2, forwarded.tracking_code.lower(), "Diakomodasi", "Masuk RKPD 2027"),
            (3, verified.tracking_code, "tidak diakomodasi", "Bukan kewenangan kabupaten"),
        ]
        plan = await plan_status_import(session, rows, prefix="LBG")
        assert plan.ok
        assert [change.to_status for change in plan.changes] == [
            Status.DIAKOMODIR,
            Status.TIDAK_DIAKOMODIR,
        ]
        assert await apply_status_import(session, plan, by=ADMIN, now=NOW) == 2
        again = await plan_status_import(session, rows, prefix="LBG")
    assert (again.changes, again.unchanged, again.errors) == ([], 2, [])
    async with session_scope(engine) as session:
        statuses = {
            p.tracking_code: p.status for p in (await session.exec(select(Proposal))).all()
        }
        told = (await session.exec(select(Outbox))).all()
    assert statuses[forwarded.tracking_code] == Status.DIAKOMODIR
    assert statuses[verified.tracking_code] == Status.TIDAK_DIAKOMODIR
    assert sorted(row.payload["note"] for row in told) == [
        "Bukan kewenangan kabupaten",
        "Masuk RKPD 2027",
    ]
    assert {row.payload["by_role"] for row in told} == {"bappeda"}
