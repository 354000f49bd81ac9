from datetime import UTC, datetime

from core.events import EditText, SendText
from handlers.dispatch import Core
from models.conversations import Conversation
from models.db import session_scope
from models.enums import Role, Status
from models.proposals import find_by_code
from models.regions import Region
from models.users import User
from services.lifecycle import change_status
from tests.factories import command, press, text
from tests.proposal_factories import DESA, KECAMATAN, OTHER_DESA, add_proposal, add_regions

ME = 5001
OTHER = 7002
LURAH = 9001
CAMAT = 9002
CODE = "LBG-24-7K3QX"


def texts(replies) -> list[str]:
    return [reply.text for reply in replies if isinstance(reply, SendText | EditText)]


async def consent(core: Core, chat_id: int = ME) -> None:
    await core.handle(command("start", chat_id=chat_id))
    await core.handle(press("consent:yes", chat_id=chat_id))


async def add_returned_proposal(core: Core, proposer_id: int) -> None:
    async with session_scope(core.engine) as session:
        await add_regions(session)
        proposal = await add_proposal(
            session, proposer_id=proposer_id, tracking_code=CODE, title="Sumur bor <dalam>"
        )
        await change_status(
            session,
            proposal,
            Status.DIKEMBALIKAN,
            by=LURAH,
            note="Mohon lengkapi foto & lokasi",
            now=datetime(2024, 1, 20, 7, 5, tzinfo=UTC),
        )


async def step_of(core: Core, chat_id: int = ME) -> str:
    async with session_scope(core.engine) as session:
        return (await session.get(Conversation, chat_id)).step


async def test_status_shows_own_proposal_with_history_in_wib(core: Core):
    await consent(core)
    await add_returned_proposal(core, ME)
    shown = texts(await core.handle(command("status", CODE)))[0]
    assert CODE in shown
    assert "Sumur bor &lt;dalam&gt;" in shown
    assert "Talang Ulu, Lebong Utara" in shown
    assert "Status: <b>Dikembalikan ke pengusul</b>" in shown
    assert "<b>Riwayat</b>" in shown
    assert "15 Jan 2024 09.30 WIB: Diajukan" in shown
    assert "20 Jan 2024 14.05 WIB: Dikembalikan ke pengusul" in shown
    assert "Mohon lengkapi foto &amp; lokasi" in shown


async def test_status_of_someone_elses_proposal_shows_only_the_public_part(core: Core):
    await consent(core)
    await add_returned_proposal(core, OTHER)
    shown = texts(await core.handle(command("status", CODE)))[0]
    assert "Sumur bor &lt;dalam&gt;" in shown
    assert "Talang Ulu" in shown
    assert "Dikembalikan ke pengusul" in shown
    assert "Riwayat" not in shown
    assert "Mohon lengkapi" not in shown
    assert "WIB" not in shown
    assert "diajukan oleh orang lain" in shown


async def test_status_shows_the_history_to_the_lurah_of_the_desa(core: Core):
    await consent(core, LURAH)
    await add_returned_proposal(core, OTHER)
    async with session_scope(core.engine) as session:
        lurah = await session.get(User, LURAH)
        lurah.role = Role.LURAH
        lurah.region_code = DESA
    shown = texts(await core.handle(command("status", CODE, chat_id=LURAH)))[0]
    assert "Mohon lengkapi" in shown


async def make_official(core: Core, chat_id: int, role: Role, region_code: str | None) -> None:
    await consent(core, chat_id)
    async with session_scope(core.engine) as session:
        user = await session.get(User, chat_id)
        user.role = role
        user.region_code = region_code


async def test_status_shows_only_the_public_part_to_officials_elsewhere(core: Core):
    await add_returned_proposal(core, OTHER)
    async with session_scope(core.engine) as session:
        session.add(
            Region(code="17.07.02", name="Lebong Selatan", level="kecamatan", parent_code="17.07")
        )
    await make_official(core, LURAH, Role.LURAH, OTHER_DESA)
    await make_official(core, CAMAT, Role.CAMAT, "17.07.02")
    for official in (LURAH, CAMAT):
        shown = texts(await core.handle(command("status", CODE, chat_id=official)))[0]
        assert "Dikembalikan ke pengusul" in shown
        assert "Mohon lengkapi" not in shown


async def test_status_shows_the_history_to_the_camat_and_to_bappeda_admins(engine, settings):
    core = Core(engine=engine, settings=settings.model_copy(update={"bappeda_admin_ids": [ME]}))
    await add_returned_proposal(core, OTHER)
    await consent(core)
    await make_official(core, CAMAT, Role.CAMAT, KECAMATAN)
    for reader in (ME, CAMAT):
        shown = texts(await core.handle(command("status", CODE, chat_id=reader)))[0]
        assert "Mohon lengkapi" in shown, reader


async def test_status_accepts_a_code_typed_loosely(core: Core):
    await consent(core)
    await add_returned_proposal(core, ME)
    shown = texts(await core.handle(command("status", "lbg 24 7k3qx.")))[0]
    assert CODE in shown


async def test_status_without_code_asks_for_it_and_takes_the_next_text(core: Core):
    await consent(core)
    await add_returned_proposal(core, ME)
    replies = await core.handle(command("status"))
    asked = texts(replies)
    assert "Tekan salah satu usulan Anda" in asked[0]
    assert "/batal" in asked[0]
    assert CODE in str(replies[0].keyboard)
    assert await step_of(core) == "status.code"
    shown = texts(await core.handle(text("LBG-24-7K3QX")))
    assert "Riwayat" in shown[0]
    assert await step_of(core) == "idle"


async def test_status_without_code_offers_own_proposals_to_press(core: Core):
    await consent(core)
    await add_returned_proposal(core, ME)
    async with session_scope(core.engine) as session:
        proposal = await find_by_code(session, CODE)
    await core.handle(command("status"))
    shown = texts(await core.handle(press(f"statuspilih:{proposal.id}")))
    assert "Riwayat" in shown[0]
    assert await step_of(core) == "idle"


async def test_text_that_is_no_code_stops_waiting_for_one(core: Core):
    await consent(core)
    await core.handle(command("status"))
    said = texts(await core.handle(text("hmm ok")))[0]
    assert "bukan kode lacak" in said
    assert "/status LBG-" in said
    assert await step_of(core) == "idle"


async def test_public_status_of_a_code_needs_no_consent(core: Core):
    await add_returned_proposal(core, ME)
    stranger = 999
    shown = texts(await core.handle(command("status", CODE, user_id=stranger, chat_id=stranger)))
    assert "Status:" in shown[0]
    assert "diajukan oleh orang lain" in shown[0]
    assert "setuju" not in shown[0]


async def test_status_menu_button_asks_for_the_code(core: Core):
    await consent(core)
    asked = texts(await core.handle(press("menu:status")))
    assert "kirim kode usulan" in asked[0]
    assert await step_of(core) == "status.code"


async def test_status_bad_code_explains_with_an_example_and_waits_for_another(core: Core):
    await consent(core)
    await add_returned_proposal(core, ME)
    said = texts(await core.handle(command("status", "jalan rusak")))[0]
    assert "bukan kode usulan" in said
    assert "LBG-" in said
    assert "Kirim lagi" in said
    assert await step_of(core) == "status.code"
    shown = texts(await core.handle(text(CODE)))[0]
    assert "Riwayat" in shown


async def test_status_unknown_code_says_so(core: Core):
    await consent(core)
    await core.handle(command("status"))
    said = texts(await core.handle(text("LBG-24-22222")))[0]
    assert "Tidak ada usulan dengan kode LBG-24-22222" in said
    assert await step_of(core) == "status.code"


async def test_status_step_is_left_with_batal(core: Core):
    await consent(core)
    await core.handle(command("status"))
    await core.handle(command("batal"))
    await core.handle(press("batal:discard"))
    assert await step_of(core) == "idle"
