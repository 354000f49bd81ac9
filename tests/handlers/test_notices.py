"""The notifications' text, rendered at send time in each recipient's language."""

from __future__ import annotations

from core.events import SendText, SetCommands
from handlers.tracking.notices import RENDERERS, render_status_changed
from models.db import session_scope
from models.enums import Role, Status
from services.status_notices import INVITE_ACCEPTED, ROLE_REPLACED, STATUS_CHANGED
from tests.proposal_factories import DESA, add_proposal, add_regions
from tests.role_factories import add_person

SITI, JOHN, ADMIN, NEWCOMER = 5001, 5002, 900, 901


def _payload(proposal, to: Status, **fields) -> dict:
    return {
        "proposal_id": proposal.id,
        "code": proposal.tracking_code,
        "from": "diajukan",
        "to": to.value,
        "note": "",
        "by_role": "lurah",
        "merged_into": None,
        "relation": "proposer",
        **fields,
    }


async def test_a_returned_proposal_tells_its_proposer_what_to_fix_with_a_resend_button(engine):
    async with session_scope(engine) as session:
        await add_regions(session)
        siti = await add_person(session, SITI, name="Siti")
        proposal = await add_proposal(session, proposer_id=SITI, title="Sumur bor <dalam>")
        payload = _payload(proposal, Status.DIKEMBALIKAN, note="Tambahkan foto & lokasi")
        [reply] = await render_status_changed(payload, session=session, recipient=siti)
    assert isinstance(reply, SendText)
    assert reply.chat_id == SITI
    assert f"Kabar tentang usulan Anda {proposal.tracking_code}" in reply.text
    assert "Sumur bor &lt;dalam&gt;" in reply.text
    assert "Status baru: <b>Dikembalikan ke pengusul</b> (oleh lurah / kepala desa)" in reply.text
    assert "Catatan: <i>Tambahkan foto &amp; lokasi</i>" in reply.text
    assert f"/status {proposal.tracking_code}" in reply.text
    [button] = reply.keyboard.buttons()
    assert (button.text, button.data) == ("✏️ Perbaiki dan kirim ulang", f"ulang:{proposal.id}")


async def test_a_supporter_reads_it_in_english_without_the_resend_button(engine):
    async with session_scope(engine) as session:
        await add_regions(session)
        john = await add_person(session, JOHN, name="John", language="en")
        proposal = await add_proposal(session)
        payload = _payload(proposal, Status.DIKEMBALIKAN, note="Add a photo", relation="supporter")
        [reply] = await RENDERERS[STATUS_CHANGED](payload, session=session, recipient=john)
    assert f"News about {proposal.tracking_code}, a proposal you support" in reply.text
    assert "Returned to the proposer" in reply.text
    assert "The proposer has been asked to fix it." in reply.text
    assert reply.keyboard is None


async def test_each_status_says_what_happens_next(engine):
    expected = {
        Status.DIVERIFIKASI: "Musrenbang Kecamatan",
        Status.DITOLAK: "/usul",
        Status.DIBAHAS_KECAMATAN: "dibahas di Musrenbang Kecamatan",
        Status.DITERUSKAN_OPD: "Forum OPD",
        Status.DIAKOMODIR: "diakomodasi",
        Status.TIDAK_DIAKOMODIR: "belum dapat diakomodasi",
        Status.DIAJUKAN: "dikirim ulang",
    }
    async with session_scope(engine) as session:
        await add_regions(session)
        siti = await add_person(session, SITI)
        proposal = await add_proposal(session, proposer_id=SITI)
        for status, words in expected.items():
            [reply] = await render_status_changed(
                _payload(proposal, status), session=session, recipient=siti
            )
            assert words in reply.text, status


async def test_a_merged_proposal_names_the_one_it_joined_and_a_deleted_one_still_renders(engine):
    async with session_scope(engine) as session:
        await add_regions(session)
        siti = await add_person(session, SITI)
        proposal = await add_proposal(session, proposer_id=SITI)
        payload = _payload(
            proposal, Status.DIGABUNG, note="LBG-24-TTTTT", merged_into="LBG-24-TTTTT"
        )
        [merged] = await render_status_changed(payload, session=session, recipient=siti)
        payload = _payload(proposal, Status.DITOLAK, note="Bukan kewenangan desa", proposal_id=0)
        [gone] = await render_status_changed(payload, session=session, recipient=siti)
    assert "/status LBG-24-TTTTT" in merged.text
    assert "Catatan" not in merged.text
    assert proposal.title not in gone.text
    assert "Bukan kewenangan desa" in gone.text


async def test_a_replaced_lurah_is_thanked_and_gets_the_residents_menu_back(engine):
    async with session_scope(engine) as session:
        await add_regions(session)
        former = await add_person(session, SITI)
        replies = await RENDERERS[ROLE_REPLACED](
            {"role": "lurah", "region_code": DESA}, session=session, recipient=former
        )
    text, commands = replies
    assert isinstance(text, SendText)
    assert "lurah / kepala desa Talang Ulu, Kecamatan Lebong Utara" in text.text
    assert "sebagai warga" in text.text
    assert isinstance(commands, SetCommands)
    assert commands.chat_id == SITI
    names = [name for name, _description in commands.commands]
    assert "usul" in names
    assert "desa" not in names


async def test_the_inviting_admin_hears_who_accepted(engine):
    async with session_scope(engine) as session:
        await add_regions(session)
        admin = await add_person(session, ADMIN, role=Role.BAPPEDA)
        await add_person(session, NEWCOMER, name="Pak Harun", role=Role.LURAH, region_code=DESA)
        payload = {"invite_id": 3, "role": "lurah", "region_code": DESA, "user_id": NEWCOMER}
        [reply] = await RENDERERS[INVITE_ACCEPTED](payload, session=session, recipient=admin)
    assert reply.text == (
        "✅ Undangan #3 sudah diterima: Pak Harun sekarang menjadi lurah / kepala desa "
        "Talang Ulu, Kecamatan Lebong Utara."
    )
