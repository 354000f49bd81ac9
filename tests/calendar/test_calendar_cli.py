"""`musrenbang deadline list|add|change|delete|import`, as Bappeda's IT staff use it."""

import asyncio
from datetime import UTC, datetime

import pytest
from sqlmodel import select

from bot.cli import main
from models.calendar import Stage
from models.db import create_engine_from_url, session_scope
from services.data import DATA_DIR
from services.importing.reference import load_bundled_regions
from tests.proposal_factories import add_proposal

EXAMPLE = DATA_DIR / "musrenbang_calendar_example.csv"


@pytest.fixture
def cli_database(tmp_path, monkeypatch) -> str:
    url = f"sqlite:///{tmp_path / 'calendar.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    assert main(["db", "upgrade"]) == 0
    return url


def stored_stages(url) -> list[Stage]:
    async def fetch():
        engine = create_engine_from_url(url)
        try:
            async with session_scope(engine) as session:
                return list((await session.exec(select(Stage).order_by(Stage.id))).all())
        finally:
            await engine.dispose()

    return asyncio.run(fetch())


def add(*arguments: str) -> int:
    return main(["deadline", "add", *arguments])


def test_add_reads_dates_as_typed_in_wib(cli_database, capsys):
    code = add(
        "Musrenbang Kecamatan Lebong Utara 2027",
        "--level",
        "kecamatan",
        "--region",
        "17.07.01",
        "--opens",
        "1 Feb 2027 08.00",
        "--closes",
        "5/2/2027 16.00",
        "--forum",
        "2027-02-08T09:00",
    )
    assert code == 0
    [stage] = stored_stages(cli_database)
    assert (stage.level, stage.region_code) == ("kecamatan", "17.07.01")
    assert stage.closes_at == datetime(2027, 2, 5, 9, 0, tzinfo=UTC)
    assert stage.forum_at == datetime(2027, 2, 8, 2, 0, tzinfo=UTC)
    out = capsys.readouterr().out
    assert "Tahap ditambahkan:" in out
    assert "Ditutup: Jumat, 5 Februari 2027, 16.00 WIB" in out


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            ["--opens", "1 Feb 2027", "--closes", "31/2/2027"],
            "--closes: Bulan Februari 2027 hanya",
        ),
        (["--opens", "1 Feb 2027", "--closes", "1 Jan 2027"], "Waktu penutupan harus sesudah"),
        (
            ["--opens", "1 Feb 2027", "--closes", "5 Feb 2027", "--forum", "4 Feb 2027"],
            "Forum harus pada atau sesudah",
        ),
        (
            ["--region", "99.99", "--opens", "1 Feb 2027", "--closes", "5 Feb 2027"],
            "Tidak ada kecamatan atau desa dengan kode 99.99",
        ),
        (["--opens", "kapan2", "--closes", "5 Feb 2027"], "--opens: Maaf, tanggal itu"),
    ],
    ids=["no such day", "closes before opens", "forum before close", "unknown area", "unreadable"],
)
def test_add_refuses_a_wrong_stage_in_indonesian(cli_database, capsys, arguments, message):
    assert add("Musrenbang Desa 2027", *arguments) == 2
    assert message in capsys.readouterr().err
    assert stored_stages(cli_database) == []


def test_add_names_an_overlap_and_still_saves(cli_database, capsys):
    assert add("Musrenbang Desa 2027", "--opens", "4 Jan 2027", "--closes", "29 Jan 2027") == 0
    assert (
        add(
            "Musrenbang Desa Gandung",
            "--region",
            "17.07.01.2002",
            "--opens",
            "20 Jan 2027",
            "--closes",
            "2 Feb 2027",
        )
        == 0
    )
    assert "Perhatian: Masa pengajuannya bertumpang tindih" in capsys.readouterr().out
    assert len(stored_stages(cli_database)) == 2


def test_import_list_change_and_delete_a_season(cli_database, capsys):
    assert main(["deadline", "import", str(EXAMPLE)]) == 0
    assert "Tahap ditambahkan: 15, diubah: 0, tetap: 0." in capsys.readouterr().out
    assert main(["deadline", "import", str(EXAMPLE)]) == 0
    assert "Tahap ditambahkan: 0, diubah: 0, tetap: 15." in capsys.readouterr().out

    assert main(["deadline", "list"]) == 0
    listing = capsys.readouterr().out
    assert listing.startswith("#1 Musrenbang Desa/Kelurahan 2027 (desa, seluruh kabupaten)")
    assert "#2 Musrenbang Kecamatan Lebong Utara 2027 (kecamatan, Lebong Utara)" in listing

    assert main(["deadline", "change", "2", "--closes", "6 Feb 2027 16.00", "--no-forum"]) == 0
    changed = stored_stages(cli_database)[1]
    assert (changed.closes_at, changed.forum_at) == (datetime(2027, 2, 6, 9, 0, tzinfo=UTC), None)

    assert main(["deadline", "delete", "2"]) == 2
    assert "jalankan perintahnya lagi dengan --yes" in capsys.readouterr().err
    assert len(stored_stages(cli_database)) == 15
    assert main(["deadline", "delete", "2", "--yes"]) == 0
    assert "Tahap dihapus:" in capsys.readouterr().out
    assert len(stored_stages(cli_database)) == 14


def test_a_stage_with_proposals_is_not_deleted(cli_database, capsys):
    assert add("Musrenbang Desa 2027", "--opens", "4 Jan 2027", "--closes", "29 Jan 2027") == 0

    async def propose():
        engine = create_engine_from_url(cli_database)
        try:
            async with session_scope(engine) as session:
                await load_bundled_regions(session)
                await add_proposal(session, stage_id=1)
        finally:
            await engine.dispose()

    asyncio.run(propose())
    assert main(["deadline", "delete", "1", "--yes"]) == 2
    assert "sudah ada 1 usulan" in capsys.readouterr().err


def test_import_with_errors_imports_nothing_and_names_the_lines(cli_database, capsys, tmp_path):
    bad = tmp_path / "musim.csv"
    bad.write_text(
        "name,level,region_code,opens_wib,closes_wib,forum_wib\n"
        "Musrenbang Desa 2027,desa,,2027-01-04,2027-01-29,\n"
        "Musrenbangcam Amen,camat,17.07.10,2027-02-01,2027-02-05,\n",
        encoding="utf-8",
    )
    assert main(["deadline", "import", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "Tidak ada yang diimpor" in err
    assert 'Baris 3: Tingkat "camat" tidak dikenal' in err
    assert stored_stages(cli_database) == []


def test_unknown_stage_and_missing_file_are_refused(cli_database, capsys, tmp_path):
    assert main(["deadline", "change", "9", "--name", "X"]) == 2
    assert "Tidak ada tahap #9" in capsys.readouterr().err
    assert main(["deadline", "import", str(tmp_path / "none.csv")]) == 2
    assert "tidak bisa dibaca" in capsys.readouterr().err
