"""Fixing a returned proposal from the notification's button, without losing another draft."""

from __future__ import annotations

import pytest

from models.conversations import Conversation
from models.db import session_scope
from models.enums import Status
from models.proposals import Proposal
from tests.factories import press
from tests.handlers.officials import buttons, official_core, proposal, shown
from tests.proposal_factories import add_proposal, add_regions
from tests.role_factories import add_person

SITI = 5001


@pytest.fixture
def core(engine, settings):
    return official_core(engine, settings.database_url)


async def _returned(core, *, draft: dict | None = None) -> int:
    async with session_scope(core.engine) as session:
        await add_regions(session)
        await add_person(session, SITI, name="Siti")
        item = await add_proposal(
            session,
            proposer_id=SITI,
            status=Status.DIKEMBALIKAN,
            urgency="mendesak",
            volume=2,
            volume_unit="titik",
            volume_text="2 titik",
            location_detail="RT 01",
        )
        if draft is not None:
            session.add(Conversation(chat_id=SITI, user_id=SITI, step="idle", draft=draft))
        return item.id


async def _draft(core) -> dict:
    async with session_scope(core.engine) as session:
        return (await session.get(Conversation, SITI)).draft


async def test_an_unfinished_draft_is_only_replaced_after_asking(core):
    item = await _returned(
        core, draft={"title": "Lampu jalan dusun 4", "resume_step": "usul.problem"}
    )
    asked = await core.handle(press(f"ulang:{item}", chat_id=SITI))
    assert "Lampu jalan dusun 4" in shown(asked)
    kept = await core.handle(press(buttons(asked)["↩️ Tidak, simpan draf saya"], chat_id=SITI))
    assert "tetap disimpan" in shown(kept)
    assert (await _draft(core))["title"] == "Lampu jalan dusun 4"
    asked = await core.handle(press(f"ulang:{item}", chat_id=SITI))
    fix = buttons(asked)[f"✏️ Ya, perbaiki {(await proposal(core.engine, item)).tracking_code}"]
    replaced = await core.handle(press(fix, chat_id=SITI))
    assert "Periksa usulan Anda" in shown(replaced)
    assert "<b>Volume:</b> 2 titik" in shown(replaced)
    assert (await _draft(core))["resubmit_of"] == item


async def test_sending_again_after_the_proposal_was_closed_changes_nothing(core):
    item = await _returned(core)
    await core.handle(press(f"ulang:{item}", chat_id=SITI))
    async with session_scope(core.engine) as session:
        stored = await session.get(Proposal, item)
        stored.status = Status.DITOLAK
    refused = await core.handle(press("prev:send", chat_id=SITI))
    assert "tidak bisa dikirim ulang lagi" in shown(refused)
    assert (await proposal(core.engine, item)).status == Status.DITOLAK
    again = await core.handle(press(f"ulang:{item}", chat_id=SITI))
    assert "sekarang berstatus “Ditolak”" in shown(again)
