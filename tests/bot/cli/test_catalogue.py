import argparse
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

from bot.cli import catalogue as commands
from bot.cli.catalogue import register, write_jsonl, write_matches
from core.config import load_settings
from services.data import DATA_DIR
from services.matching.loading import get_matcher

ROOT = Path(__file__).resolve().parents[3]


def parse(argv):
    parser = argparse.ArgumentParser(prog="musrenbang")
    register(parser.add_subparsers(dest="command", required=True))
    return parser.parse_args(argv)


def test_write_matches_prints_top_three_with_opd_and_score():
    matcher = get_matcher("2024")
    out = io.StringIO()
    write_matches(matcher, "minta sumur bor", out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 3
    code, name, opd, score = lines[0].split("\t")
    assert code == "1. 1.03.03"
    assert name
    assert opd
    assert 0 < float(score) <= 1


def test_write_jsonl_adds_matches_and_keeps_other_fields():
    matcher = get_matcher("2024")
    source = io.StringIO(
        json.dumps({"id": "x1", "text": "bantuan bibit kopi", "desa": "Gandung"})
        + "\n"
        + json.dumps({"id": "x2", "text": "wkwkwk"})
        + "\n"
        + "not json\n"
    )
    out = io.StringIO()
    invalid = write_jsonl(matcher, source, out)
    first, second, third = (json.loads(line) for line in out.getvalue().splitlines())
    assert invalid == 1
    assert first["id"] == "x1"
    assert first["desa"] == "Gandung"
    assert len(first["matches"]) == 5
    assert set(first["matches"][0]) == {"code", "name", "score"}
    assert first["matches"][0]["code"] == "3.27.02"
    assert first["confident"] is True
    assert second["confident"] is False
    assert third["confident"] is False


def test_import_rpjmd_stores_nothing_when_a_row_is_bad_and_is_idempotent(
    sqlite_url, tmp_path, capsys
):
    settings = load_settings(database_url=sqlite_url, telegram_bot_token="")
    bad = tmp_path / "bad.csv"
    bad.write_text("kode,nama_program,opd\n1.03.10,Jalan,PUPR\n,Tanpa kode,Dinas\n", "utf-8")
    args = parse(["import-rpjmd", str(bad)])
    assert args.func(args, settings) == 1
    assert "Baris 3" in capsys.readouterr().err
    good = tmp_path / "good.csv"
    good.write_text(
        "kode,nama_program,opd,kata_kunci\n1.03.10,Program Jalan Mulus,PUPR-Hub,aspal\n", "utf-8"
    )
    args = parse(["import-rpjmd", str(good)])
    assert args.func(args, settings) == 0
    assert "1 baru" in capsys.readouterr().out
    assert args.func(args, settings) == 0
    assert "0 baru, 0 diubah, 1 tetap" in capsys.readouterr().out
    match = parse(["match", "jalan berlubang"])
    assert match.func(match, settings) == 0
    assert "Program Jalan Mulus" in capsys.readouterr().out


def test_import_regions_loads_lebong_twice_without_change(sqlite_url, tmp_path, capsys):
    settings = load_settings(database_url=sqlite_url, telegram_bot_token="")
    path = tmp_path / "regions.csv"
    shutil.copy(DATA_DIR / "lebong_regions.csv", path)
    args = parse(["import-regions", str(path)])
    assert args.func(args, settings) == 0
    first = capsys.readouterr().out
    assert args.func(args, settings) == 0
    second = capsys.readouterr().out
    assert "118" in first
    assert "0 baru, 0 diubah, 118 tetap" in second


def test_match_without_text_explains_usage(capsys):
    settings = load_settings(database_url="sqlite:///missing.db", telegram_bot_token="")
    args = parse(["match"])
    assert commands.command_match(args, settings) == 1
    assert "--jsonl" in capsys.readouterr().err


def test_cli_match_jsonl_through_python_m_bot(tmp_path):
    line = json.dumps({"text": "jln rusak parah depan sd, tlg diaspal", "id": 7})
    done = subprocess.run(
        [sys.executable, "-m", "bot", "match", "--jsonl"],
        input=line + "\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"DATABASE_URL": f"sqlite:///{tmp_path / 'none.db'}", "PATH": ""},
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert answer["id"] == 7
    assert answer["matches"][0]["code"] == "1.03.10"
