"""`musrenbang role` and `correct`: the set-up Bappeda does from the command line."""

import pytest
from sqlmodel import select

from bot.cli import main
from bot.cli.database import run_in_session
from models.catalogue import MatchCorrection
from models.enums import Bidang
from models.proposals import Proposal
from models.users import User


@pytest.fixture
def cli_database(tmp_path, monkeypatch) -> str:
    url = f"sqlite:///{tmp_path / 'admin.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    assert main(["db", "upgrade"]) == 0
    return url


def fetch_all(url, model):
    async def fetch(session):
        return (await session.exec(select(model))).all()

    return run_in_session(url, fetch)


def test_role_makes_someone_the_lurah_of_a_desa(cli_database, capsys):
    assert main(["role", "555", "lurah", "--desa", "17.07.01.2002"]) == 0
    [user] = fetch_all(cli_database, User)
    assert (user.telegram_id, user.role, user.region_code) == (555, "lurah", "17.07.01.2002")
    assert "555" in capsys.readouterr().out


def test_role_lurah_without_a_desa_is_refused(cli_database, capsys):
    assert main(["role", "555", "lurah", "--desa", "17.07.01"]) == 2
    assert "desa" in capsys.readouterr().out
    assert fetch_all(cli_database, User) == []


def add_proposal(url: str, title: str) -> str:
    async def add(session) -> None:
        session.add(
            Proposal(
                tracking_code="LBG-27-ABCDE",
                kecamatan_code="17.07.01",
                desa_code="17.07.01.2002",
                bidang=Bidang.SOSIAL_BUDAYA,
                title=title,
            )
        )

    run_in_session(url, add)
    return "LBG-27-ABCDE"


def top_program(text: str, capsys) -> str:
    assert main(["match", text]) == 0
    return capsys.readouterr().out.splitlines()[0].split("\t")[0].removeprefix("1. ")


def test_correct_maps_the_proposal_and_teaches_later_matches(cli_database, capsys):
    phrase = "pengadaan gong dan kulintang untuk sanggar"
    code = add_proposal(cli_database, phrase)
    before = top_program(phrase, capsys)
    target = "2.22.02" if before != "2.22.02" else "2.19.03"
    assert main(["correct", code.lower().replace("-", " "), target, "--by", "77"]) == 0
    [proposal] = fetch_all(cli_database, Proposal)
    assert (proposal.program_code, proposal.match_confirmed) == (target, True)
    [correction] = fetch_all(cli_database, MatchCorrection)
    assert (correction.program_code, correction.corrected_by) == (target, 77)
    capsys.readouterr()
    assert top_program("gong dan kulintang sanggar", capsys) == target


def test_correct_refuses_an_unknown_program(cli_database, capsys):
    code = add_proposal(cli_database, "jalan rusak")
    assert main(["correct", code, "9.99.99"]) == 2
    assert "not a program" in capsys.readouterr().out
