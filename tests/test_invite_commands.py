"""`musrenbang invite` and `musrenbang status-import`: Bappeda's work from the command line."""

import asyncio
import io
import re

import pytest
from openpyxl import Workbook
from sqlmodel import select

from bot.cli import main
from models.db import create_engine_from_url, session_scope
from models.enums import Status
from models.invites import Invite
from models.outbox import Outbox
from models.proposals import Proposal
from services.invites import hash_token
from tests.proposal_factories import add_proposal
from tests.role_factories import add_person


@pytest.fixture
def cli_database(tmp_path, monkeypatch) -> str:
    url = f"sqlite:///{tmp_path / 'admin.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("BOT_USERNAME", "@musrenbang_lebong_bot")
    assert main(["db", "upgrade"]) == 0
    return url


def run(url, work):
    async def go():
        engine = create_engine_from_url(url)
        try:
            async with session_scope(engine) as session:
                return await work(session)
        finally:
            await engine.dispose()

    return asyncio.run(go())


def invites(url) -> list[Invite]:
    async def work(session):
        return list((await session.exec(select(Invite).order_by(Invite.id))).all())

    return run(url, work)


def test_invite_for_a_desa_prints_the_deep_link_and_stores_only_the_hash(cli_database, capsys):
    assert main(["invite", "--desa", "17.07.01.2002", "--by", "900"]) == 0
    printed = capsys.readouterr().out
    token = re.search(r"https://t\.me/musrenbang_lebong_bot\?start=([\w-]+)", printed).group(1)
    assert f"/start {token}" in printed
    [invite] = invites(cli_database)
    assert (invite.role, invite.region_code, invite.created_by) == ("lurah", "17.07.01.2002", 900)
    assert invite.token_hash == hash_token(token)


def test_invite_for_a_kecamatan_and_an_admin(cli_database, capsys):
    assert main(["invite", "--kecamatan", "17.07.01"]) == 0
    assert main(["invite", "--bappeda"]) == 0
    assert [(i.role, i.region_code) for i in invites(cli_database)] == [
        ("camat", "17.07.01"),
        ("bappeda", None),
    ]


def test_invite_for_a_wrong_place_is_refused(cli_database, capsys):
    assert main(["invite", "--desa", "17.07.01"]) == 2
    assert main(["invite", "--kecamatan", "99.99.99"]) == 2
    assert "No invite made" in capsys.readouterr().out
    assert invites(cli_database) == []


def test_invites_are_listed_and_revoked_once(cli_database, capsys):
    main(["invite", "--desa", "17.07.01.2002"])
    capsys.readouterr()
    assert main(["invite", "--list"]) == 0
    assert "#1 lurah 17.07.01.2002" in capsys.readouterr().out
    assert main(["invite", "--revoke", "1"]) == 0
    assert main(["invite", "--revoke", "1"]) == 2
    assert "cannot be revoked" in capsys.readouterr().out
    assert main(["invite", "--list"]) == 0
    assert capsys.readouterr().out == ""
    assert invites(cli_database)[0].revoked_at is not None


def spreadsheet(tmp_path, rows) -> str:
    book = Workbook()
    book.active.append(["kode_lacak", "status", "catatan"])
    for row in rows:
        book.active.append(list(row))
    path = tmp_path / "hasil.xlsx"
    buffer = io.BytesIO()
    book.save(buffer)
    path.write_bytes(buffer.getvalue())
    return str(path)


def forwarded_proposal(url) -> str:
    async def work(session):
        await add_person(session, 5001)
        proposal = await add_proposal(
            session,
            proposer_id=5001,
            kecamatan_code="17.07.01",
            desa_code="17.07.01.2002",
            status=Status.DITERUSKAN_OPD,
        )
        return proposal.tracking_code

    return run(url, work)


def state(url) -> tuple[str, int]:
    async def work(session):
        proposal = (await session.exec(select(Proposal))).one()
        return proposal.status, len((await session.exec(select(Outbox))).all())

    return run(url, work)


def test_status_import_shows_the_errors_in_indonesian_and_applies_nothing(
    cli_database, tmp_path, capsys
):
    code = forwarded_proposal(cli_database)
    path = spreadsheet(tmp_path, [(code, "diakomodasi", ""), ("LBG-27-ZZZZZ", "diakomodasi", "")])
    assert main(["status-import", path, "--yes"]) == 1
    printed = capsys.readouterr().out
    assert "1 perubahan" in printed
    assert "Baris 3: tidak ada usulan dengan kode LBG-27-ZZZZZ" in printed
    assert "Tidak ada yang diterapkan" in printed
    assert state(cli_database) == ("diteruskan_opd", 0)


def test_status_import_applies_after_confirmation_and_tells_the_proposer(
    cli_database, tmp_path, capsys, monkeypatch
):
    code = forwarded_proposal(cli_database)
    path = spreadsheet(tmp_path, [(code, "Tidak diakomodasi", "Anggaran belum cukup")])
    monkeypatch.setattr("sys.stdin", io.StringIO("n\n"))
    assert main(["status-import", path]) == 0
    assert state(cli_database) == ("diteruskan_opd", 0)
    monkeypatch.setattr("sys.stdin", io.StringIO("y\n"))
    assert main(["status-import", path]) == 0
    assert "Terapkan 1 perubahan? [y/N]" in capsys.readouterr().out
    assert state(cli_database) == ("tidak_diakomodir", 1)
    assert main(["status-import", path]) == 0
    assert "Tidak ada yang perlu diubah" in capsys.readouterr().out


def test_status_import_of_a_missing_file_says_so(cli_database, tmp_path, capsys):
    assert main(["status-import", str(tmp_path / "tidak-ada.xlsx")]) == 1
    assert "tidak-ada.xlsx" in capsys.readouterr().out
