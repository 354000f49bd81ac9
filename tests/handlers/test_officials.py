"""Invites in the bot, the camat's view and actions, Bappeda's results and corrections."""

from __future__ import annotations

import re

import pytest
from sqlmodel import select

from core.events import EventKind, SetCommands
from models.catalogue import MatchCorrection
from models.db import session_scope
from models.enums import RegionLevel, Role, Status
from models.invites import Invite
from models.regions import Region
from models.users import User
from services.invites import create_invite
from tests.factories import command, make_event, press, text
from tests.handlers.officials import (
    ADMIN,
    NOW,
    buttons,
    history,
    official_core,
    outbox,
    proposal,
    shown,
)
from tests.proposal_factories import DESA, KECAMATAN, OTHER_DESA, add_proposal, add_regions
from tests.role_factories import add_person
from tests.scenarios.drivers import MemoryFiles
from tests.scenarios.roles_stories import results_workbook

LURAH, CAMAT, SITI, NEWCOMER = 9001, 9002, 5001, 5002


@pytest.fixture
def core(engine, settings):
    return official_core(engine, settings.database_url)


async def _people(core) -> None:
    async with session_scope(core.engine) as session:
        await add_regions(session)
        await add_person(session, ADMIN, name="Bu Rina")
        await add_person(session, LURAH, name="Pak Harun", role=Role.LURAH, region_code=DESA)
        await add_person(session, CAMAT, name="Bu Camat", role=Role.CAMAT, region_code=KECAMATAN)
        await add_person(session, SITI, name="Siti")


async def _invite(core, *, days: int = 7, **fields) -> str:
    async with session_scope(core.engine) as session:
        _invite, token = await create_invite(
            session,
            role=fields.get("role", Role.LURAH),
            region_code=fields.get("region", DESA),
            created_by=ADMIN,
            now=NOW,
            valid_days=days,
        )
    return token


async def _user(core, telegram_id: int) -> User | None:
    async with session_scope(core.engine) as session:
        return await session.get(User, telegram_id)


# --- invites ---------------------------------------------------------------------------------


async def test_bappeda_invites_a_lurah_by_typing_the_desa(core):
    await _people(core)
    await core.handle(command("undang", chat_id=ADMIN))
    await core.handle(press("iv:lurah", chat_id=ADMIN))
    made = shown(await core.handle(text("talang ulu", chat_id=ADMIN)))
    assert (
        "Undangan #1 untuk <b>lurah / kepala desa Talang Ulu, Kecamatan Lebong Utara</b>" in made
    )
    assert "dipakai sekali dan berlaku sampai 27 Jan 2027 10.00 WIB" in made
    token = re.search(r"/start ([\w-]+)", made).group(1)
    async with session_scope(core.engine) as session:
        [invite] = (await session.exec(select(Invite))).all()
    assert token not in invite.token_hash
    listed = await core.handle(press("ivl", chat_id=ADMIN))
    assert "#1 lurah / kepala desa Talang Ulu" in shown(listed)
    revoked = await core.handle(press(buttons(listed)["🚫 Cabut #1"], chat_id=ADMIN))
    assert "Undangan #1 sudah dicabut" in shown(revoked)


async def test_an_ambiguous_or_unknown_place_is_asked_again(core):
    await _people(core)
    async with session_scope(core.engine) as session:
        session.add(
            Region(
                code="17.07.01.2099",
                name="Talang Ulu Baru",
                level=RegionLevel.DESA,
                parent_code=KECAMATAN,
            )
        )
    await core.handle(command("undang", chat_id=ADMIN))
    await core.handle(press("iv:camat", chat_id=ADMIN))
    unknown = shown(await core.handle(text("zzzzzz", chat_id=ADMIN)))
    assert "tidak menemukan tempat bernama “zzzzzz”" in unknown
    assert "Untuk kecamatan mana camat ini?" in unknown
    made = shown(await core.handle(press("uk:17.07.01", chat_id=ADMIN)))
    assert "camat Kecamatan Lebong Utara" in made


async def test_the_invite_shows_who_invites_whom_and_records_consent_on_accepting(core):
    await _people(core)
    token = await _invite(core)
    opened = await core.handle(command("start", token, chat_id=NEWCOMER, first_name="Pak Baru"))
    seen = shown(opened)
    assert "Bu Rina (Bappeda) mengundang Anda bergabung di bot ini sebagai <b>lurah" in seen
    assert "Talang Ulu" in seen
    assert "dipegang orang lain" in seen
    assert "UU No. 27 Tahun 2022" in seen
    accepted = await core.handle(
        press(buttons(opened)["✅ Terima"], chat_id=NEWCOMER, first_name="Pak Baru")
    )
    assert "Selamat datang, Pak Baru!" in shown(accepted)
    [menu] = [reply for reply in accepted if isinstance(reply, SetCommands)]
    assert menu.chat_id == NEWCOMER
    assert "desa" in [name for name, _text in menu.commands]
    newcomer, former = await _user(core, NEWCOMER), await _user(core, LURAH)
    assert (newcomer.role, newcomer.region_code, newcomer.name) == (Role.LURAH, DESA, "Pak Baru")
    assert newcomer.consent_at is not None
    assert (former.role, former.region_code) == (Role.WARGA, None)
    assert [(row.recipient_id, row.kind) for row in await outbox(core.engine)] == [
        (LURAH, "role_replaced"),
        (ADMIN, "invite_accepted"),
    ]


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        ("used", "sudah dipakai"),
        ("expired", "sudah kedaluwarsa (undangan berlaku 7 hari)"),
        ("revoked", "sudah dicabut oleh Bappeda"),
        ("wrong", "tidak berlaku"),
    ],
)
async def test_a_spoilt_invite_is_explained_and_changes_nothing(core, spoil, message):
    await _people(core)
    token = await _invite(core, days=-1 if spoil == "expired" else 7)
    async with session_scope(core.engine) as session:
        invite = (await session.exec(select(Invite))).one()
        if spoil == "used":
            invite.used_at, invite.used_by = NOW, SITI
        if spoil == "revoked":
            invite.revoked_at = NOW
    if spoil == "wrong":
        token = token[::-1]
    opened = shown(await core.handle(command("start", token, chat_id=NEWCOMER)))
    assert message in opened
    pressed = shown(await core.handle(press(f"ia:{token}", chat_id=NEWCOMER)))
    assert message in pressed
    assert (await _user(core, NEWCOMER)).role == Role.WARGA
    assert (await _user(core, LURAH)).role == Role.LURAH
    assert await outbox(core.engine) == []


async def test_not_now_keeps_the_invite_for_later(core):
    await _people(core)
    token = await _invite(core)
    await core.handle(command("start", token, chat_id=NEWCOMER))
    later = shown(await core.handle(press("ian", chat_id=NEWCOMER)))
    assert "tidak ada yang diubah" in later
    async with session_scope(core.engine) as session:
        assert (await session.exec(select(Invite))).one().used_at is None


async def test_officials_get_their_command_menu_on_start_and_in_help(core):
    await _people(core)
    started = await core.handle(command("start", chat_id=LURAH))
    [menu] = [reply for reply in started if isinstance(reply, SetCommands)]
    assert [name for name, _text in menu.commands][:2] == ["start", "desa"]
    resident = await core.handle(command("start", chat_id=SITI))
    assert not [reply for reply in resident if isinstance(reply, SetCommands)]
    assert "/desa" in shown(await core.handle(command("bantuan", chat_id=LURAH)))
    assert "/desa" not in shown(await core.handle(command("bantuan", chat_id=SITI)))
    assert "/undang" in shown(await core.handle(command("bantuan", chat_id=ADMIN)))


# --- camat -----------------------------------------------------------------------------------


async def test_the_camat_sees_every_villages_verified_proposals_with_their_rank(core):
    await _people(core)
    async with session_scope(core.engine) as session:
        await add_proposal(
            session, title="Jalan Talang Ulu", status=Status.DIVERIFIKASI, desa_rank=1
        )
        await add_proposal(
            session,
            title="Jalan Gandung",
            status=Status.DIVERIFIKASI,
            desa_code=OTHER_DESA,
            desa_rank=2,
        )
        await add_proposal(session, title="Belum diperiksa")
    home = await core.handle(command("kecamatan", chat_id=CAMAT))
    assert "Kecamatan Lebong Utara" in shown(home)
    listing = shown(await core.handle(press(buttons(home)["🏗 Infrastruktur (2)"], chat_id=CAMAT)))
    assert "Talang Ulu #1" in listing
    assert "Gandung #2" in listing
    assert "Belum diperiksa" not in listing


async def test_the_camat_returns_and_rejects_with_a_reason(core):
    await _people(core)
    async with session_scope(core.engine) as session:
        verified = await add_proposal(session, proposer_id=SITI, status=Status.DIVERIFIKASI)
        discussed = await add_proposal(session, proposer_id=SITI, status=Status.DIBAHAS_KECAMATAN)
    card = await core.handle(press(f"up:{discussed.id}", chat_id=CAMAT))
    assert set(buttons(card)) >= {
        "📤 Teruskan ke Forum OPD",
        "↩️ Kembalikan untuk diperbaiki",
        "❌ Tolak",
    }
    await core.handle(press(f"ac:r:{discussed.id}", chat_id=CAMAT))
    await core.handle(text("Lengkapi RAB sederhana", chat_id=CAMAT))
    await core.handle(press(f"ac:x:{verified.id}", chat_id=CAMAT))
    await core.handle(text("Sudah dianggarkan provinsi", chat_id=CAMAT))
    assert (await proposal(core.engine, discussed.id)).status == Status.DIKEMBALIKAN
    assert (await proposal(core.engine, verified.id)).status == Status.DITOLAK
    notes = [
        (row.payload["to"], row.payload["note"], row.payload["by_role"])
        for row in await outbox(core.engine)
    ]
    assert notes == [
        ("dikembalikan", "Lengkapi RAB sederhana", "camat"),
        ("ditolak", "Sudah dianggarkan provinsi", "camat"),
    ]


# --- Bappeda ---------------------------------------------------------------------------------


async def test_bappeda_records_results_from_status_with_an_optional_note(core):
    await _people(core)
    async with session_scope(core.engine) as session:
        forwarded = await add_proposal(session, proposer_id=SITI, status=Status.DITERUSKAN_OPD)
        verified = await add_proposal(session, proposer_id=SITI, status=Status.DIVERIFIKASI)
    card = await core.handle(command("status", forwarded.tracking_code, chat_id=ADMIN))
    assert {"✅ Diakomodasi", "❌ Tidak diakomodasi", "🔧 Koreksi program"} <= set(buttons(card))
    asked = await core.handle(press(buttons(card)["✅ Diakomodasi"], chat_id=ADMIN))
    done = await core.handle(press(buttons(asked)["➡️ Tanpa catatan"], chat_id=ADMIN))
    assert "sekarang “Diakomodasi”" in shown(done)
    await core.handle(press(f"ac:d:{verified.id}", chat_id=ADMIN))
    still = await core.handle(press("nt:skip", chat_id=ADMIN))
    assert "Mengapa" in shown(still)
    await core.handle(text("Bukan kewenangan kabupaten", chat_id=ADMIN))
    assert (await proposal(core.engine, forwarded.id)).status == Status.DIAKOMODIR
    assert (await proposal(core.engine, verified.id)).status == Status.TIDAK_DIAKOMODIR
    assert [c.changed_by_role for c in await history(core.engine, verified.id)][-1] == Role.BAPPEDA


async def test_koreksi_sets_the_program_and_teaches_the_running_matcher(core):
    await _people(core)
    phrase = "rehab balai adat dusun tiga yang lapuk"
    async with session_scope(core.engine) as session:
        item = await add_proposal(session, title=phrase, problem="", program_code=None)
    offered = await core.handle(command("koreksi", item.tracking_code, chat_id=ADMIN))
    assert "Koreksi program" in shown(offered)
    searched = await core.handle(text("2.13.05", chat_id=ADMIN))
    assert "1. <b>" in shown(searched)
    chosen = await core.handle(press(buttons(searched)["✅ Program 1"], chat_id=ADMIN))
    assert "sekarang masuk program" in shown(chosen)
    stored = await proposal(core.engine, item.id)
    assert (stored.program_code, stored.match_confirmed) == ("2.13.05", True)
    async with session_scope(core.engine) as session:
        [row] = (await session.exec(select(MatchCorrection))).all()
    assert (row.program_code, row.corrected_by, row.text) == ("2.13.05", ADMIN, phrase)
    matcher = await core.services.matcher()
    assert matcher.match(phrase).candidates[0].code == "2.13.05"


async def test_koreksi_is_for_bappeda_only(core):
    await _people(core)
    async with session_scope(core.engine) as session:
        item = await add_proposal(session)
    said = shown(await core.handle(command("koreksi", item.tracking_code, chat_id=LURAH)))
    assert "khusus untuk admin Bappeda" in said


async def test_impor_explains_a_wrong_file_and_applies_nothing_when_a_proposal_moved_meanwhile(
    core,
):

    await _people(core)
    async with session_scope(core.engine) as session:
        item = await add_proposal(session, proposer_id=SITI, status=Status.DITERUSKAN_OPD)
    files = MemoryFiles()
    files.content["bad"] = b"nama,jumlah\nA,1\n"
    files.content["good"] = results_workbook([(item.tracking_code, "diakomodasi", "")])
    core.files = files
    await core.handle(command("impor", chat_id=ADMIN))
    typed = shown(await core.handle(text("ini filenya", chat_id=ADMIN)))
    assert "sebagai dokumen" in typed

    bad = shown(await core.handle(make_event(EventKind.DOCUMENT, file_id="bad", chat_id=ADMIN)))
    assert "kolom “kode lacak” dan “status”" in bad
    preview = await core.handle(
        make_event(EventKind.DOCUMENT, file_id="good", file_name="hasil.xlsx", chat_id=ADMIN)
    )
    assert "1 perubahan" in shown(preview)
    async with session_scope(core.engine) as session:
        stored = await session.get(type(item), item.id)
        stored.status = Status.TIDAK_DIAKOMODIR
    applied = shown(
        await core.handle(press(buttons(preview)["✅ Terapkan 1 perubahan"], chat_id=ADMIN))
    )
    assert "tidak ada yang diterapkan" in applied
    assert (await proposal(core.engine, item.id)).status == Status.TIDAK_DIAKOMODIR
    assert await outbox(core.engine) == []
