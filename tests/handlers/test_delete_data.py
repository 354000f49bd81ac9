from datetime import UTC, datetime

from sqlmodel import select

from core.events import EditText, SendText
from handlers.dispatch import Core
from models.conversations import Conversation
from models.db import session_scope
from models.enums import Role
from models.outbox import Outbox
from models.proposals import Proposal, Supporter
from models.users import User
from tests.factories import command, press
from tests.proposal_factories import add_proposal, add_regions, add_supporters

ME = 5001
OTHER = 7002


def texts(replies) -> list[str]:
    return [reply.text for reply in replies if isinstance(reply, SendText | EditText)]


async def consent(core: Core, chat_id: int = ME) -> None:
    await core.handle(command("start", chat_id=chat_id, username="siti_l"))
    await core.handle(press("consent:yes", chat_id=chat_id, username="siti_l"))


async def seed(core: Core) -> tuple[int, int]:
    async with session_scope(core.engine) as session:
        await add_regions(session)
        mine = await add_proposal(session, proposer_id=ME, title="Sumur bor")
        theirs = await add_proposal(session, proposer_id=OTHER, title="Jalan tani")
        await add_supporters(session, theirs, [ME, 8003])
        user = await session.get(User, ME)
        user.phone = "+6281234567890"
        conversation = await session.get(Conversation, ME)
        conversation.draft = {"title": "lampu jalan"}
        session.add(Outbox(recipient_id=ME, kind="status", dedup_key="a"))
        session.add(
            Outbox(
                recipient_id=ME,
                kind="status",
                dedup_key="b",
                sent_at=datetime(2024, 1, 1, tzinfo=UTC),
            )
        )
        session.add(Outbox(recipient_id=OTHER, kind="status", dedup_key="c"))
        return mine.id, theirs.id


async def test_delete_data_asks_first_and_deletes_nothing_yet(core: Core):
    await consent(core)
    await seed(core)
    replies = await core.handle(command("hapusdata"))
    asked = texts(replies)[0]
    assert "nama, username Telegram, nomor HP" in asked
    assert "Usulan Anda (1) tetap ada" in asked
    assert [button.data for button in replies[-1].keyboard.buttons()] == [
        "hapusdata:yes",
        "hapusdata:no",
    ]
    assert "sebagai petugas" not in asked
    async with session_scope(core.engine) as session:
        assert (await session.get(User, ME)).name == "Siti"


async def test_delete_data_tells_an_official_the_registration_goes_too(core: Core):
    await consent(core)
    async with session_scope(core.engine) as session:
        (await session.get(User, ME)).role = Role.BAPPEDA
    asked = texts(await core.handle(command("hapusdata")))[0]
    assert "Pendaftaran Anda sebagai petugas juga ikut dihapus" in asked


async def test_delete_data_removes_the_person_and_keeps_proposals_anonymised(core: Core):
    await consent(core)
    mine, theirs = await seed(core)
    await core.handle(command("hapusdata"))
    replies = await core.handle(press("hapusdata:yes", message_id=77))
    done = next(reply for reply in replies if isinstance(reply, EditText))
    assert done.message_id == 77
    assert "sudah dihapus" in done.text
    assert "1 usulan dan 1 dukungan" in done.text
    assert "/start" in done.text
    async with session_scope(core.engine) as session:
        assert await session.get(User, ME) is None
        assert await session.get(Conversation, ME) is None
        assert (await session.get(Proposal, mine)).proposer_id is None
        assert (await session.get(Proposal, theirs)).proposer_id == OTHER
        supporters = (await session.exec(select(Supporter.user_id))).all()
        outbox = (await session.exec(select(Outbox.dedup_key).where(Outbox.kind != "reply"))).all()
    assert sorted(user_id or 0 for user_id in supporters) == [0, 8003]
    assert sorted(outbox) == ["b", "c"]


async def test_delete_data_refused_changes_nothing(core: Core):
    await consent(core)
    mine, _theirs = await seed(core)
    await core.handle(command("hapusdata", username="siti_l"))
    replies = await core.handle(press("hapusdata:no", username="siti_l"))
    assert any("tidak ada yang dihapus" in t for t in texts(replies))
    async with session_scope(core.engine) as session:
        user = await session.get(User, ME)
        conversation = await session.get(Conversation, ME)
        assert (user.name, user.username, user.phone) == ("Siti", "siti_l", "+6281234567890")
        assert conversation.draft == {"title": "lampu jalan"}
        assert (await session.get(Proposal, mine)).proposer_id == ME


async def test_after_deleting_data_start_asks_for_consent_again(core: Core):
    await consent(core)
    await core.handle(command("hapusdata"))
    await core.handle(press("hapusdata:yes"))
    replies = await core.handle(command("start"))
    assert any("Apakah Anda setuju" in t for t in texts(replies))
    async with session_scope(core.engine) as session:
        user = await session.get(User, ME)
    assert user.name is None
    assert user.consent_at is None


async def test_delete_data_works_without_consent(core: Core):
    await core.handle(command("start"))
    await core.handle(press("consent:no"))
    await core.handle(command("hapusdata"))
    replies = await core.handle(press("hapusdata:yes"))
    assert any("sudah dihapus" in t for t in texts(replies))
    async with session_scope(core.engine) as session:
        assert await session.get(User, ME) is None


async def test_delete_data_old_button_pressed_again_is_harmless(core: Core):
    await consent(core)
    await core.handle(command("hapusdata"))
    await core.handle(press("hapusdata:yes"))
    replies = await core.handle(press("hapusdata:yes"))
    assert any("sudah dihapus" in t for t in texts(replies))
    async with session_scope(core.engine) as session:
        assert await session.get(User, ME) is None
