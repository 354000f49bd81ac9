"""The terminal chat: the same stories typed into `musrenbang chat`."""

import io
import os
import select as io_select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlmodel import select

from bot.app import build_app, build_sender
from bot.console import ConsoleChat
from core.events import SendText
from models.base import utcnow
from models.db import create_engine_from_url, session_scope
from models.outbox import Outbox
from models.users import User
from services.notify.outbox import enqueue
from tests.factories import command
from tests.scenarios import stories
from tests.scenarios.drivers import ConsoleDriver

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.usefixtures("regions")
async def test_console_resident_submits_a_complete_proposal(core, engine):
    await stories.resident_submits_a_complete_proposal(ConsoleDriver(core), engine)


@pytest.mark.usefixtures("regions")
async def test_console_resident_supports_a_similar_proposal(core, engine):
    existing = await stories.resident_submits_a_complete_proposal(ConsoleDriver(core), engine)
    await stories.resident_supports_a_similar_proposal(
        ConsoleDriver(core, chat_id=99, first_name="Budi"), engine, existing
    )


async def test_console_prints_a_notification_for_someone_else_marked_with_the_recipient(
    core, engine
):
    async def render_reminder(rendering):
        return [SendText(rendering.recipient_id, f"Forum besok: {rendering.payload['code']}")]

    app = build_app(core.settings, core=core)
    app.renderers.add("forum_reminder", render_reminder)
    output = io.StringIO()
    chat = ConsoleChat(core, output=output, chat_id=4242)
    chat.sender = build_sender(app, chat)
    async with session_scope(engine) as session:
        await enqueue(
            session,
            recipient_id=777,
            kind="forum_reminder",
            payload={"code": "LBG-27-7K3QX"},
            dedup_key="forum:777",
            due_at=utcnow(),
        )

    await chat.sender.send_due()

    assert "→ [777] Forum besok: LBG-27-7K3QX" in output.getvalue()
    async with session_scope(engine) as session:
        [row] = (await session.exec(select(Outbox))).all()
    assert row.state == "sent"


async def test_console_answers_through_the_outbox_and_marks_the_reply_sent(core, engine):
    app = build_app(core.settings, core=core)
    output = io.StringIO()
    chat = ConsoleChat(core, output=output, chat_id=5001)
    chat.sender = build_sender(app, chat)

    await chat.talk(command("start", first_name="Siti"))

    assert "Halo, Siti!" in output.getvalue()
    assert "[1] ✅ Setuju" in output.getvalue()
    async with session_scope(engine) as session:
        rows = (await session.exec(select(Outbox))).all()
    assert {row.state for row in rows} == {"sent"}


def run_chat(tmp_path: Path, lines: str, *extra: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'chat.db'}"}
    environment.pop("TELEGRAM_BOT_TOKEN", None)
    return subprocess.run(
        [sys.executable, "-m", "bot", *extra],
        input=lines,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**environment, "PYTHONPATH": str(ROOT)},
        timeout=120,
        check=False,
    )


async def test_musrenbang_run_without_token_opens_the_terminal_chat(tmp_path):
    result = run_chat(tmp_path, "/start\n1\n", "run")
    assert result.returncode == 0, result.stderr
    assert "Halo, Warga!" in result.stdout
    assert "[1] ✅ Setuju" in result.stdout
    assert "Apa yang ingin Anda lakukan?" in result.stdout
    engine = create_engine_from_url(f"sqlite:///{tmp_path / 'chat.db'}")
    try:
        async with session_scope(engine) as session:
            [user] = (await session.exec(select(User))).all()
    finally:
        await engine.dispose()
    assert user.consent_at is not None


def test_chat_continues_a_draft_after_the_process_restarts(tmp_path):
    first = run_chat(tmp_path, "/start\n1\n/usul\nlebong utara\n", "chat")
    assert "Desa / kelurahan mana di Kecamatan Lebong Utara" in first.stdout, first.stdout
    second = run_chat(tmp_path, "gandung\n", "chat")
    assert "Desa / kelurahan: Gandung, Kecamatan Lebong Utara" in second.stdout, second.stdout
    assert "termasuk bidang apa?" in second.stdout


def read_until(process: subprocess.Popen, expected: str, timeout: float = 60.0) -> str:
    """Read the process's output until `expected` shows up."""
    seen = ""
    deadline = time.monotonic() + timeout
    while expected not in seen:
        remaining = deadline - time.monotonic()
        assert remaining > 0, f"never saw {expected!r}; saw:\n{seen}"
        ready, _, _ = io_select.select([process.stdout], [], [], remaining)
        if ready:
            chunk = os.read(process.stdout.fileno(), 65536).decode()
            assert chunk, f"process ended before {expected!r}; saw:\n{seen}"
            seen += chunk
    return seen


def test_chat_killed_mid_conversation_continues_where_it_was(tmp_path):
    environment = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'chat.db'}",
        "PYTHONPATH": str(ROOT),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "chat"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        cwd=tmp_path,
        env=environment,
    )
    try:
        process.stdin.write(b"/start\n1\n/usul\nlebong utara\n")
        process.stdin.flush()
        read_until(process, "Desa / kelurahan mana di Kecamatan Lebong Utara")
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    second = run_chat(tmp_path, "gandung\n", "chat")
    assert "Desa / kelurahan: Gandung, Kecamatan Lebong Utara" in second.stdout, second.stdout


def test_bad_configuration_stops_with_one_line_and_exit_code_2(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "bot", "chat"],
        input="",
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "BOT_FRAMEWORK": "django", "PYTHONPATH": str(ROOT)},
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "Configuration error: BOT_FRAMEWORK: Input should be 'aiogram' or 'ptb'"
    ]
