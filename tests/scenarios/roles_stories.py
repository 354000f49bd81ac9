"""The whole Musrenbang chain in the bot, written once, run through the core and a runtime.

Bappeda invites a lurah and a camat; residents submit; the lurah verifies one, returns one
(the resident fixes and resends it), rejects one, merges a duplicate and ranks; the camat
ranks and forwards; Bappeda marks the results with an Excel file; each resident's outbox
holds exactly the notifications of their proposal's moves.
"""

from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING, Protocol

from openpyxl import Workbook
from sqlmodel import select

from models.db import session_scope
from models.enums import Role, Status
from models.proposals import Proposal, Supporter
from models.users import User
from tests.scenarios import stories
from tests.scenarios.outbox import deliver_outbox, notifications

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from sqlalchemy.ext.asyncio import AsyncEngine

    from core.events import Reply
    from tests.scenarios.drivers import Driver

ADMIN, LURAH, CAMAT = 900, 901, 902
ANI, BUDI, CICI, DEDI, EKO = 701, 702, 703, 704, 705
DESA = "17.07.01.2002"  # Gandung
KECAMATAN = "17.07.01"  # Lebong Utara
ROAD = stories.ROAD
WELL = "Pembangunan sumur bor untuk air bersih warga dusun 3"
COFFEE = "Bantuan bibit kopi untuk kelompok tani dusun 1"
SAME_ROAD = "Jalan dusun 2 ke sawah rusak parah dan berlubang, mohon diaspal"
TOKEN = re.compile(r"/start ([A-Za-z0-9_-]{16,64})")
TAG = re.compile(r"</?[a-z]+>")


class FileDriver(Protocol):
    """A driver that can also send a file (Bappeda's spreadsheet)."""

    chat_id: int

    async def send(self, text: str, *, expect: str) -> None: ...
    async def press(self, label: str, *, expect: str) -> None: ...
    async def send_file(self, content: bytes, filename: str, *, expect: str) -> None: ...
    def transcript(self) -> str: ...


async def _proposal_of(engine: AsyncEngine, proposer_id: int) -> Proposal:
    async with session_scope(engine) as session:
        return (
            await session.exec(select(Proposal).where(Proposal.proposer_id == proposer_id))
        ).one()


async def _submit(driver: Driver, title: str) -> None:
    await stories.agree(driver)
    await stories.fill_until_preview(driver, title=title, photo=False, location=False)
    await driver.press("✅ Kirim usulan", expect=stories.SENT)


async def _invite(admin: Driver, role_button: str, place: list[tuple[str, str]]) -> str:
    """Make an invite in the bot and return its token as the admin sees it."""
    await admin.send("/undang", expect="Siapa yang ingin Anda undang?")
    await admin.press(role_button, expect="kecamatan")
    for action, value in place:
        if action == "press":
            await admin.press(value, expect="")
        else:
            await admin.send(value, expect="")
    assert "sudah siap" in admin.transcript()
    return TOKEN.findall(admin.transcript())[-1]


async def _accept(driver: Driver, token: str, role_text: str) -> None:
    await driver.send(f"/start {token}", expect="mengundang Anda")
    await driver.press("✅ Terima", expect=f"Anda sekarang {role_text}")


def results_workbook(rows: list[tuple[str, str, str]]) -> bytes:
    """Return the kind of workbook Bappeda sends back: a title row, then the table."""
    book = Workbook()
    sheet = book.active
    sheet.append(["Hasil Forum OPD 2027"])
    sheet.append(["Kode Lacak", "Judul", "Status", "Catatan"])
    for code, status, note in rows:
        sheet.append([code, "", status, note])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


async def whole_chain(
    person: Callable[[int, str], Driver],
    admin: FileDriver,
    engine: AsyncEngine,
    deliver: Callable[[Reply], Awaitable[None]],
) -> None:
    """Run the chain from invites to results; check the database and every outbox."""
    await stories.agree(admin)
    lurah_token = await _invite(
        admin, "👤 Lurah / kepala desa", [("press", "Lebong Utara"), ("press", "Gandung")]
    )
    camat_token = await _invite(admin, "🏛 Camat", [("send", "lebong utara")])
    lurah, camat = person(LURAH, "Pak Harun"), person(CAMAT, "Bu Camat")
    await _accept(lurah, lurah_token, "lurah / kepala desa Gandung")
    await _accept(camat, camat_token, "camat Kecamatan Lebong Utara")
    async with session_scope(engine) as session:
        officials = {
            user.telegram_id: (user.role, user.region_code)
            for user in (await session.exec(select(User))).all()
        }
    assert officials[LURAH] == (Role.LURAH, DESA)
    assert officials[CAMAT] == (Role.CAMAT, KECAMATAN)

    ani, budi, cici = person(ANI, "Ani"), person(BUDI, "Budi"), person(CICI, "Cici")
    dedi, eko = person(DEDI, "Dedi"), person(EKO, "Eko")
    for resident, title in ((ani, ROAD), (budi, WELL), (cici, COFFEE), (dedi, SAME_ROAD)):
        await _submit(resident, title)
    road, well, coffee, same_road = [
        await _proposal_of(engine, who) for who in (ANI, BUDI, CICI, DEDI)
    ]
    await stories.agree(eko)
    await eko.send("/usul", expect=stories.KECAMATAN_QUESTION)
    await eko.press("Lebong Utara", expect=stories.DESA_QUESTION)
    await eko.press("Gandung", expect=stories.BIDANG_QUESTION)
    await eko.press("🏗 Infrastruktur", expect=stories.TITLE_QUESTION)
    await eko.send("aspal jalan dusun 2 ke sawah yang rusak", expect="usulan serupa")
    await eko.press(f"👍 Dukung {same_road.tracking_code}", expect="Draf Anda sendiri tetap")
    await eko.press("👍 Ya, dukung", expect="Dukungan Anda")

    await lurah.send("/desa", expect="Desa Gandung")
    assert "Perlu diperiksa (4)" in TAG.sub("", lurah.transcript())
    await lurah.press(f"1. {same_road.title[:27]}…", expect="Pengusul: Dedi (warga)")
    await lurah.press("🔗 Tandai sebagai duplikat", expect="diulanginya")
    await lurah.press(f"{road.tracking_code} · {road.title[:27]}…", expect="Gabungkan")
    await lurah.press("🔗 Ya, gabungkan", expect="digabung ke")
    await lurah.send(f"/status {road.tracking_code}", expect="Pengusul: Ani (warga)")
    await lurah.press("✅ Verifikasi", expect="Selesai")
    await lurah.send(f"/status {well.tracking_code}", expect=WELL)
    await lurah.press("↩️ Kembalikan untuk diperbaiki", expect="Apa yang perlu diperbaiki")
    await lurah.send("Mohon jelaskan berapa KK yang belum punya air bersih", expect="Selesai")
    await lurah.send(f"/status {coffee.tracking_code}", expect=COFFEE)
    await lurah.press("❌ Tolak", expect="Mengapa")
    await lurah.send("Bibit kopi sudah dibagikan dinas tahun ini", expect="Selesai")

    await deliver_outbox(engine, deliver)
    await budi.press("✏️ Perbaiki dan kirim ulang", expect="Yang perlu diperbaiki")
    await budi.press("✏️ Ubah isian", expect="Bagian mana yang ingin diubah?")
    await budi.press("Masalah", expect=stories.PROBLEM_QUESTION)
    await budi.send(
        "Sebanyak 40 KK di dusun 3 belum punya air bersih dan mengambil air dari sungai.",
        expect=stories.PREVIEW,
    )
    await budi.press("✅ Kirim usulan", expect="sudah dikirim ulang")
    await lurah.send(f"/status {well.tracking_code}", expect="40 KK")
    await lurah.press("✅ Verifikasi", expect="Selesai")

    await lurah.send("/desa", expect="Desa Gandung")
    await lurah.press("🏅 Peringkat 🏗 Infrastruktur", expect="Peringkat: 🏗 Infrastruktur")
    await lurah.press(f"{well.tracking_code} · {well.title[:27]}…", expect="1. ")
    await lurah.press(f"{road.tracking_code} · {road.title[:27]}…", expect="2. ")
    await lurah.press("💾 Simpan", expect="Tersimpan")

    await camat.send("/kecamatan", expect="Kecamatan Lebong Utara")
    await camat.press("🏗 Infrastruktur (2)", expect="2 usulan")
    await camat.press("🏅 Peringkat 🏗 Infrastruktur", expect="Peringkat: 🏗 Infrastruktur")
    await camat.press(f"Gandung #2 · {road.title[:27]}…", expect="1. ")
    await camat.press(f"Gandung #1 · {well.title[:27]}…", expect="2. ")
    await camat.press("💾 Simpan", expect="2 usulan sekarang dibahas di kecamatan")
    await camat.press("🔙 Daftar usulan kecamatan", expect="Dibahas di kecamatan")
    await camat.press("📤 Teruskan yang berperingkat ke Forum OPD", expect="Teruskan usulan")
    await camat.press("📤 Ya, teruskan", expect="2 usulan diteruskan ke Forum OPD")

    results = results_workbook(
        [
            (road.tracking_code, "Diakomodasi", "Masuk RKPD 2027, Dinas PUPR"),
            (well.tracking_code, "Tidak diakomodasi", "Anggaran belum mencukupi"),
        ]
    )
    await admin.send("/impor", expect="Kirim berkas Excel")
    await admin.send_file(results, "hasil-forum-opd.xlsx", expect="2 perubahan")
    await admin.press("✅ Terapkan 2 perubahan", expect="2 perubahan diterapkan")
    await deliver_outbox(engine, deliver)

    async with session_scope(engine) as session:
        stored = {p.tracking_code: p for p in (await session.exec(select(Proposal))).all()}
        supporters = {
            row.user_id
            for row in (
                await session.exec(select(Supporter).where(Supporter.proposal_id == road.id))
            ).all()
        }
    assert stored[road.tracking_code].status == Status.DIAKOMODIR
    assert stored[well.tracking_code].status == Status.TIDAK_DIAKOMODIR
    assert stored[coffee.tracking_code].status == Status.DITOLAK
    assert stored[same_road.tracking_code].status == Status.DIGABUNG
    assert (stored[well.tracking_code].desa_rank, stored[road.tracking_code].desa_rank) == (1, 2)
    assert (
        stored[road.tracking_code].kecamatan_rank,
        stored[well.tracking_code].kecamatan_rank,
    ) == (
        1,
        2,
    )
    assert supporters == {DEDI, EKO}

    later_road = [
        (road.tracking_code, "dibahas_kecamatan"),
        (road.tracking_code, "diteruskan_opd"),
        (road.tracking_code, "diakomodir"),
    ]
    assert await notifications(engine, ANI) == [(road.tracking_code, "diverifikasi"), *later_road]
    assert await notifications(engine, BUDI) == [
        (well.tracking_code, "dikembalikan"),
        (well.tracking_code, "diverifikasi"),
        (well.tracking_code, "dibahas_kecamatan"),
        (well.tracking_code, "diteruskan_opd"),
        (well.tracking_code, "tidak_diakomodir"),
    ]
    assert await notifications(engine, CICI) == [(coffee.tracking_code, "ditolak")]
    merged = (same_road.tracking_code, "digabung")
    road_since_merge = [(road.tracking_code, "diverifikasi"), *later_road]
    assert await notifications(engine, DEDI) == [merged, *road_since_merge]
    assert await notifications(engine, EKO) == [merged, *road_since_merge]
    for official in (ADMIN, LURAH, CAMAT):
        assert await notifications(engine, official) == []
    assert "Anggaran belum mencukupi" in budi.transcript()
    assert f"/status {road.tracking_code}" in dedi.transcript()
