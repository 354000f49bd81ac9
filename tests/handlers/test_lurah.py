"""/desa and the lurah's actions on a proposal card."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.events import EditText, EventKind, SendPhoto
from models.calendar import Stage
from models.db import session_scope
from models.enums import Role, Status, Urgency
from tests.factories import command, make_event, press, text
from tests.handlers.officials import NOW, buttons, history, official_core, outbox, proposal, shown
from tests.proposal_factories import DESA, OTHER_DESA, SUBMITTED_AT, add_proposal, add_regions
from tests.role_factories import add_person
from tests.scenarios import stories
from tests.scenarios.drivers import CoreDriver
from tests.scenarios.people import make_lurah

LURAH, SITI = 9001, 5001


@pytest.fixture
def core(engine, settings):
    return official_core(engine, settings.database_url)


async def _village(core, **first_fields) -> list[int]:
    """Store a lurah of Talang Ulu, Siti, and proposals in several statuses; return their ids."""
    async with session_scope(core.engine) as session:
        await add_regions(session)
        await add_person(session, LURAH, name="Pak Harun", role=Role.LURAH, region_code=DESA)
        await add_person(session, SITI, name="Siti")
        made = [
            await add_proposal(session, proposer_id=SITI, title="Sumur bor", **first_fields),
            await add_proposal(session, proposer_id=SITI, title="Lampu jalan"),
            await add_proposal(
                session, proposer_id=SITI, title="Talud sungai", urgency=Urgency.SANGAT_MENDESAK
            ),
            await add_proposal(session, title="Posyandu", status=Status.DIVERIFIKASI),
            await add_proposal(session, title="Jembatan", status=Status.DITOLAK),
            await add_proposal(session, title="Di desa lain", desa_code=OTHER_DESA),
        ]
        return [item.id for item in made]


async def test_desa_shows_counts_days_to_the_deadline_and_what_to_check(core):
    await _village(core)
    async with session_scope(core.engine) as session:
        session.add(
            Stage(
                name="Musrenbang Desa 2027",
                level="desa",
                opens_at=NOW - timedelta(days=10),
                closes_at=NOW + timedelta(days=5, hours=2),
            )
        )
    seen = shown(await core.handle(command("desa", chat_id=LURAH)))
    assert "Desa Talang Ulu" in seen
    assert "Usulan: 5" in seen
    assert "Diajukan: 3" in seen
    assert "Ditolak: 1" in seen
    assert "Musrenbang Desa 2027: batas waktu 25 Jan 2027 12.00 WIB (5 hari lagi)" in seen
    assert "<b>Perlu diperiksa</b> (3), terbaru dulu, halaman 1 dari 1" in seen
    assert "Di desa lain" not in seen
    assert "Posyandu" not in seen


async def test_desa_filters_orders_and_pages(core):
    ids = await _village(core)
    async with session_scope(core.engine) as session:
        for number in range(8):
            await add_proposal(
                session,
                title=f"Usulan {number}",
                created_at=SUBMITTED_AT + timedelta(hours=number),
            )
    first = await core.handle(command("desa", chat_id=LURAH))
    assert "halaman 1 dari 2" in shown(first)
    second = await core.handle(press(buttons(first)["Berikutnya ▶️"], chat_id=LURAH))
    assert isinstance(second[-1], EditText)
    assert "halaman 2 dari 2" in shown(second)
    verified = await core.handle(press(buttons(first)["Diverifikasi"], chat_id=LURAH))
    assert "Posyandu" in shown(verified)
    assert "Sumur bor" not in shown(verified)
    by_priority = await core.handle(press("ds:s:p:0", chat_id=LURAH))
    assert "prioritas dulu" in shown(by_priority)
    assert buttons(by_priority)["1. Talud sungai"] == f"up:{ids[2]}"


async def test_returning_needs_a_note_and_tells_the_proposer(core):
    ids = await _village(core, estimated_cost=125_000_000)
    card = await core.handle(press(f"up:{ids[0]}", chat_id=LURAH))
    assert "👤 Pengusul: Siti (warga)" in shown(card)
    assert "💰 Perkiraan biaya: Rp 125.000.000" in shown(card)
    asked = await core.handle(press(buttons(card)["↩️ Kembalikan untuk diperbaiki"], chat_id=LURAH))
    assert "Apa yang perlu diperbaiki" in shown(asked)
    assert "antara 3 dan 500 karakter" in shown(await core.handle(text("ok", chat_id=LURAH)))
    stray = await core.handle(press("nt:unknown", chat_id=LURAH))
    assert "Apa yang perlu diperbaiki" in shown(stray)
    photo = await core.handle(make_event(EventKind.PHOTO, file_id="x", chat_id=LURAH))
    assert "Silakan ketik catatannya sebagai teks." in shown(photo)
    done = await core.handle(text("Tolong tambahkan foto sumur lama", chat_id=LURAH))
    assert "Selesai: " in shown(done)
    stored = await proposal(core.engine, ids[0])
    assert stored.status == Status.DIKEMBALIKAN
    last = (await history(core.engine, ids[0]))[-1]
    assert (last.note, last.changed_by, last.changed_by_role) == (
        "Tolong tambahkan foto sumur lama",
        LURAH,
        Role.LURAH,
    )
    [row] = await outbox(core.engine)
    assert (row.recipient_id, row.payload["to"]) == (SITI, "dikembalikan")


async def test_cancelling_the_note_changes_nothing(core):
    ids = await _village(core)
    await core.handle(press(f"ac:x:{ids[0]}", chat_id=LURAH))
    cancelled = await core.handle(press("nt:cancel", chat_id=LURAH))
    assert "tidak ada yang diubah" in shown(cancelled)
    assert (await proposal(core.engine, ids[0])).status == Status.DIAJUKAN
    assert "Desa Talang Ulu" in shown(await core.handle(command("desa", chat_id=LURAH)))


async def test_a_second_press_of_verify_is_one_change_and_one_message(core):
    ids = await _village(core)
    await core.handle(press(f"ac:v:{ids[0]}", chat_id=LURAH))
    again = await core.handle(press(f"ac:v:{ids[0]}", chat_id=LURAH))
    assert "Sudah dilakukan." in [getattr(reply, "text", None) for reply in again]
    assert [change.to_status for change in await history(core.engine, ids[0])] == [
        Status.DIAJUKAN,
        Status.DIVERIFIKASI,
    ]
    assert len(await outbox(core.engine)) == 1


async def test_the_card_sends_the_photos_on_request(core):
    ids = await _village(core, photo_file_ids=["photo-1", "photo-2"])
    card = await core.handle(press(f"up:{ids[0]}", chat_id=LURAH))
    sent = await core.handle(press(buttons(card)["🖼 Lihat foto (2)"], chat_id=LURAH))
    photos = [reply for reply in sent if isinstance(reply, SendPhoto)]
    assert [photo.file_id for photo in photos] == ["photo-1", "photo-2"]


async def test_a_note_asked_mid_proposal_returns_to_the_proposal(core):
    ids = await _village(core)
    await core.handle(command("start", chat_id=LURAH))
    await core.handle(command("usul", chat_id=LURAH))
    await core.handle(press(f"ac:x:{ids[1]}", chat_id=LURAH))
    back = await core.handle(text("Lampu sudah dipasang PLN", chat_id=LURAH))
    assert "Selesai: " in shown(back)
    assert "termasuk bidang apa?" in shown(back)


async def test_the_lurahs_own_proposals_are_verified_on_submission(core, regions):
    await make_lurah(core.engine, 4242, "17.07.01.2002")
    await stories.lurah_submits_three_proposals_in_a_row(CoreDriver(core), core.engine)
    for proposal_id in (1, 2, 3):
        changes = await history(core.engine, proposal_id)
        assert [(c.from_status, c.to_status, c.changed_by_role) for c in changes] == [
            (Status.DRAF, Status.DIAJUKAN, Role.LURAH),
            (Status.DIAJUKAN, Status.DIVERIFIKASI, Role.LURAH),
        ]
    assert await outbox(core.engine) == []
