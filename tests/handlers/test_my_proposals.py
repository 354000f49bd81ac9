from datetime import UTC, datetime, timedelta

from core.events import EditText, SendText
from handlers.dispatch import Core
from models.db import session_scope
from models.enums import Status
from tests.factories import command, press
from tests.proposal_factories import OTHER_DESA, add_proposal, add_regions, add_supporters

ME = 5001
OTHER = 7002


def texts(replies) -> list[str]:
    return [reply.text for reply in replies if isinstance(reply, SendText | EditText)]


async def consent(core: Core) -> None:
    await core.handle(command("start"))
    await core.handle(press("consent:yes"))


async def test_my_proposals_lists_own_proposals_newest_first_with_details(core: Core):
    await consent(core)
    async with session_scope(core.engine) as session:
        await add_regions(session)
        old = await add_proposal(
            session,
            proposer_id=ME,
            tracking_code="LBG-24-AAAA2",
            title="Sumur bor",
            created_at=datetime(2024, 1, 10, 2, 0, tzinfo=UTC),
        )
        await add_proposal(
            session,
            proposer_id=ME,
            tracking_code="LBG-24-BBBB3",
            title="Jalan usaha tani",
            desa_code=OTHER_DESA,
            status=Status.DIVERIFIKASI,
            created_at=datetime(2024, 1, 15, 20, 0, tzinfo=UTC),  # 16/01 03:00 WIB
        )
        await add_proposal(session, proposer_id=OTHER, title="Bukan milik saya")
        await add_supporters(session, old, [OTHER, 8003])
    replies = await core.handle(command("usulansaya"))
    listing = texts(replies)[0]
    assert "Usulan Anda</b> (2)" in listing
    assert listing.index("LBG-24-BBBB3") < listing.index("LBG-24-AAAA2")
    assert "Diverifikasi desa/kelurahan" in listing
    assert "Diajukan" in listing
    assert "Gandung" in listing
    assert "Talang Ulu" in listing
    assert "16 Jan 2024" in listing
    assert "10 Jan 2024" in listing
    assert "2 pendukung" in listing
    assert "0 pendukung" in listing
    assert "Bukan milik saya" not in listing
    assert "/status" in listing
    assert replies[0].keyboard is None


async def test_my_proposals_escapes_the_title(core: Core):
    await consent(core)
    async with session_scope(core.engine) as session:
        await add_regions(session)
        await add_proposal(session, proposer_id=ME, title="Lampu <jalan> & gang")
    listing = texts(await core.handle(command("usulansaya")))[0]
    assert "Lampu &lt;jalan&gt; &amp; gang" in listing


async def test_my_proposals_when_empty_is_friendly_and_shows_the_menu(core: Core):
    await consent(core)
    replies = await core.handle(command("usulansaya"))
    said = texts(replies)
    assert "belum pernah mengajukan usulan" in said[0]
    assert "/usul" in said[0]
    assert replies[-1].keyboard is not None
    menu = [button.data for button in replies[-1].keyboard.buttons()]
    assert "menu:usulansaya" in menu
    assert "menu:status" in menu


async def test_my_proposals_menu_labels_are_indonesian(core: Core):
    await consent(core)
    replies = await core.handle(command("menu_does_not_exist"))
    labels = [button.text for button in replies[-1].keyboard.buttons()]
    assert "📋 Usulan saya" in labels
    assert "🔎 Cek status" in labels


async def test_my_proposals_pages_more_than_ten(core: Core):
    await consent(core)
    start = datetime(2024, 1, 1, tzinfo=UTC)
    async with session_scope(core.engine) as session:
        await add_regions(session)
        for number in range(12):
            await add_proposal(
                session,
                proposer_id=ME,
                title=f"Usulan nomor {number}",
                created_at=start + timedelta(days=number),
            )
    replies = await core.handle(command("usulansaya"))
    first = texts(replies)[0]
    assert "halaman 1 dari 2" in first
    assert "Usulan nomor 11" in first
    assert "Usulan nomor 2" in first
    assert "Usulan nomor 1\n" not in first
    buttons = replies[0].keyboard.buttons()
    assert [(button.text, button.data) for button in buttons] == [("Berikutnya ▶️", "usulansaya:1")]
    replies = await core.handle(press("usulansaya:1", message_id=42))
    edited = [reply for reply in replies if isinstance(reply, EditText)]
    assert edited[0].message_id == 42
    assert "halaman 2 dari 2" in edited[0].text
    assert "Usulan nomor 1\n" in edited[0].text
    assert "Usulan nomor 0" in edited[0].text
    assert "Usulan nomor 11" not in edited[0].text
    assert [button.data for button in edited[0].keyboard.buttons()] == ["usulansaya:0"]
    beyond = texts(await core.handle(press("usulansaya:99", message_id=42)))
    assert "halaman 2 dari 2" in beyond[0]
    assert "Usulan nomor 0" in beyond[0]


async def test_my_proposals_answers_to_the_alias_and_the_menu_button(core: Core):
    await consent(core)
    async with session_scope(core.engine) as session:
        await add_regions(session)
        await add_proposal(session, proposer_id=ME, title="Sumur bor")
    assert any("Sumur bor" in t for t in texts(await core.handle(command("usulan_saya"))))
    assert any("Sumur bor" in t for t in texts(await core.handle(press("menu:usulansaya"))))


async def test_my_proposals_needs_consent(core: Core):
    await core.handle(command("start"))
    replies = await core.handle(command("usulansaya"))
    assert any("Apakah Anda setuju" in t for t in texts(replies))
