"""The officials' work in the terminal chat: a status file sent with #dokumen."""

from sqlmodel import select

from models.db import session_scope
from models.enums import Status
from models.proposals import Proposal
from tests.handlers.officials import ADMIN, official_core
from tests.proposal_factories import add_proposal, add_regions
from tests.scenarios.drivers import ConsoleDriver
from tests.scenarios.roles_stories import results_workbook


async def test_console_admin_updates_statuses_from_a_local_file(engine, settings, tmp_path):
    core = official_core(engine, settings.database_url)
    async with session_scope(engine) as session:
        await add_regions(session)
        item = await add_proposal(session, status=Status.DITERUSKAN_OPD)
    path = tmp_path / "hasil.xlsx"
    path.write_bytes(results_workbook([(item.tracking_code, "Diakomodasi", "")]))
    admin = ConsoleDriver(core, chat_id=ADMIN, first_name="Bu Rina")
    await admin.send("/start", expect="Apakah Anda setuju?")
    await admin.press("✅ Setuju", expect="Impor status")
    await admin.send("/impor", expect="Kirim berkas Excel")
    await admin.send(f"#dokumen {path}", expect="1 perubahan")
    await admin.press("✅ Terapkan 1 perubahan", expect="1 perubahan diterapkan")
    await admin.send("/impor", expect="Kirim berkas Excel")
    await admin.send(f"#dokumen {tmp_path / 'hilang.xlsx'}", expect="tidak berhasil diunduh")
    async with session_scope(engine) as session:
        assert (await session.exec(select(Proposal))).one().status == Status.DIAKOMODIR
