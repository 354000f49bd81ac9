"""The fake Bot API server behaves like Telegram for real aiogram and PTB clients."""

from __future__ import annotations

import asyncio
import datetime as dt
import socket
import time
from typing import TYPE_CHECKING, Any

import pytest
import telegram
from aiogram import Bot as AiogramBot
from aiogram import Dispatcher
from aiogram import exceptions as aiogram_errors
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import (
    BotCommand,
    BufferedInputFile,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    ReplyParameters,
)
from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from aiohttp import ClientSession, web
from telegram import error as ptb_errors

from tests.e2e.fake_bot_api import TINY_PNG
from tests.e2e.fake_bot_objects import make_png

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from tests.e2e.fake_bot_api import FakeBotApi

pytestmark = pytest.mark.e2e

CHAT = 4242
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)


def inline(*pairs: tuple[str, str]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [InlineKeyboardButton(text=text, callback_data=data)] for text, data in pairs
        ]
    )


@pytest.fixture(name="aiogram_bot")
async def fixture_aiogram_bot(fake_api: FakeBotApi) -> AsyncIterator[AiogramBot]:
    session = AiohttpSession(api=TelegramAPIServer.from_base(fake_api.base_url))
    bot = AiogramBot(fake_api.token, session=session)
    yield bot
    await bot.session.close()


@pytest.fixture(name="ptb_bot")
async def fixture_ptb_bot(
    fake_api: FakeBotApi, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[telegram.Bot]:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    bot = telegram.Bot(
        fake_api.token,
        base_url=f"{fake_api.base_url}/bot",
        base_file_url=f"{fake_api.base_url}/file/bot",
    )
    async with bot:
        yield bot


@pytest.fixture(name="http")
async def fixture_http() -> AsyncIterator[ClientSession]:
    async with ClientSession() as session:
        yield session


class WebhookReceiver:
    """A tiny aiohttp app on 127.0.0.1 that records webhook POSTs and answers scripted statuses."""

    def __init__(self) -> None:
        self.requests: list[tuple[dict[str, str], dict[str, Any]]] = []
        self.statuses: list[int] = []
        self.answer: dict[str, Any] = {}
        self.url = ""
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/hook", self.handle)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        await web.SockSite(self._runner, sock).start()
        self.url = f"http://127.0.0.1:{sock.getsockname()[1]}/hook"

    async def stop(self) -> None:
        assert self._runner is not None
        await self._runner.cleanup()

    async def handle(self, request: web.Request) -> web.Response:
        self.requests.append((dict(request.headers), await request.json()))
        status = self.statuses.pop(0) if self.statuses else 200
        return web.json_response(self.answer, status=status)


@pytest.fixture(name="receiver")
async def fixture_receiver() -> AsyncIterator[WebhookReceiver]:
    receiver = WebhookReceiver()
    await receiver.start()
    yield receiver
    await receiver.stop()


# --- getMe, tokens, URL layout -----------------------------------------------------------------


async def test_get_me_answers_aiogram_bot(fake_api: FakeBotApi, aiogram_bot: AiogramBot) -> None:
    me = await aiogram_bot.get_me()

    assert me.id == aiogram_bot.id == fake_api.bot_id
    assert me.is_bot
    assert me.username == "musrenbang_test_bot"


async def test_get_me_answers_ptb_bot(fake_api: FakeBotApi, ptb_bot: telegram.Bot) -> None:
    me = await ptb_bot.get_me()

    assert me.id == fake_api.bot_id
    assert ptb_bot.username == "musrenbang_test_bot"


async def test_wrong_token_is_unauthorized_and_malformed_token_not_found(
    fake_api: FakeBotApi, http: ClientSession
) -> None:
    session = AiohttpSession(api=TelegramAPIServer.from_base(fake_api.base_url))
    stranger = AiogramBot("987654321:AAAnotherBotsTokenThatIsNotOurs", session=session)
    with pytest.raises(aiogram_errors.TelegramUnauthorizedError, match="Unauthorized"):
        await stranger.get_me()
    await session.close()

    async with http.get(f"{fake_api.base_url}/botnot-a-token/getMe") as response:
        assert response.status == 404
        assert await response.json() == {
            "ok": False,
            "error_code": 404,
            "description": "Not Found",
        }


async def test_methods_accept_json_get_and_any_case(
    fake_api: FakeBotApi, http: ClientSession
) -> None:
    fake_api.add_user(CHAT)
    url = f"{fake_api.base_url}/bot{fake_api.token}"

    async with http.post(f"{url}/SENDMESSAGE", json={"chat_id": CHAT, "text": "halo"}) as resp:
        assert (await resp.json())["result"]["text"] == "halo"
    async with http.get(f"{url}/getme") as resp:
        assert (await resp.json())["result"]["is_bot"] is True
    async with http.get(f"{url}/noSuchMethod") as resp:
        assert resp.status == 404
    assert [call.method for call in fake_api.calls()] == ["sendMessage", "getMe"]


# --- sending and editing -----------------------------------------------------------------------


async def test_aiogram_sends_and_edits_a_message_with_a_keyboard(
    fake_api: FakeBotApi, aiogram_bot: AiogramBot
) -> None:
    fake_api.add_user(CHAT)
    sent = await aiogram_bot.send_message(CHAT, "Pilih:", reply_markup=inline(("Ya", "yes")))
    assert sent.message_id == 1
    assert sent.from_user is not None
    assert sent.from_user.id == fake_api.bot_id
    assert sent.reply_markup is not None
    assert sent.reply_markup.inline_keyboard[0][0].callback_data == "yes"

    edited = await aiogram_bot.edit_message_text(
        "Dipilih: Ya", chat_id=CHAT, message_id=sent.message_id
    )

    assert not isinstance(edited, bool)
    assert edited.edit_date is not None
    assert edited.reply_markup is None  # editing the text without a markup drops the keyboard
    assert fake_api.texts(CHAT) == ["Dipilih: Ya"]
    with pytest.raises(aiogram_errors.TelegramBadRequest) as not_modified:
        await aiogram_bot.edit_message_text(
            "Dipilih: Ya", chat_id=CHAT, message_id=sent.message_id
        )
    assert not_modified.value.message == f"Bad Request: {NOT_MODIFIED}"
    with pytest.raises(aiogram_errors.TelegramBadRequest, match="message to edit not found"):
        await aiogram_bot.edit_message_text("x", chat_id=CHAT, message_id=99)


async def test_ptb_sends_and_edits_the_reply_markup(
    fake_api: FakeBotApi, ptb_bot: telegram.Bot
) -> None:
    fake_api.add_user(CHAT)
    keyboard = telegram.InlineKeyboardMarkup(
        [[telegram.InlineKeyboardButton("A", callback_data="a")]]
    )
    sent = await ptb_bot.send_message(
        CHAT, "<b>Usulan</b> baru", parse_mode="HTML", reply_markup=keyboard
    )
    assert sent.text == "Usulan baru"
    assert sent.entities[0].type == "bold"

    await ptb_bot.edit_message_reply_markup(CHAT, sent.message_id, reply_markup=None)

    assert "reply_markup" not in fake_api.last_message(CHAT)
    with pytest.raises(ptb_errors.BadRequest, match="Message is not modified"):
        await ptb_bot.edit_message_reply_markup(CHAT, sent.message_id, reply_markup=None)
    assert [call.method for call in fake_api.sent(CHAT)] == [
        "sendMessage",
        "editMessageReplyMarkup",
    ]


async def test_too_long_text_raises_bad_request_in_both_libraries(
    fake_api: FakeBotApi, aiogram_bot: AiogramBot, ptb_bot: telegram.Bot
) -> None:
    fake_api.add_user(CHAT)
    await aiogram_bot.send_message(CHAT, "a" * 4096)

    with pytest.raises(aiogram_errors.TelegramBadRequest) as aiogram_error:
        await aiogram_bot.send_message(CHAT, "a" * 4097)
    with pytest.raises(ptb_errors.BadRequest) as ptb_error:
        await ptb_bot.send_message(CHAT, "😀" * 2049)  # Telegram counts UTF-16 units

    assert aiogram_error.value.message == "Bad Request: message is too long"
    assert ptb_error.value.message == "Message is too long"
    assert len(fake_api.messages(CHAT)) == 1


async def test_empty_text_and_long_caption_are_refused(
    fake_api: FakeBotApi, aiogram_bot: AiogramBot
) -> None:
    fake_api.add_user(CHAT)
    with pytest.raises(aiogram_errors.TelegramBadRequest, match="message text is empty"):
        await aiogram_bot.send_message(CHAT, "  ")
    photo = BufferedInputFile(TINY_PNG, "chart.png")
    with pytest.raises(aiogram_errors.TelegramBadRequest, match="message caption is too long"):
        await aiogram_bot.send_photo(CHAT, photo, caption="x" * 1025)


async def test_callback_data_longer_than_64_bytes_is_button_data_invalid(
    fake_api: FakeBotApi, aiogram_bot: AiogramBot, ptb_bot: telegram.Bot
) -> None:
    fake_api.add_user(CHAT)
    await aiogram_bot.send_message(CHAT, "ok", reply_markup=inline(("A", "x" * 64)))

    with pytest.raises(aiogram_errors.TelegramBadRequest) as aiogram_error:
        await aiogram_bot.send_message(CHAT, "no", reply_markup=inline(("A", "é" * 33)))
    too_long = telegram.InlineKeyboardButton("A", callback_data="y" * 65)
    with pytest.raises(ptb_errors.BadRequest, match=r"(?i)button_data_invalid"):
        await ptb_bot.send_message(
            CHAT, "no", reply_markup=telegram.InlineKeyboardMarkup([[too_long]])
        )

    assert aiogram_error.value.message == "Bad Request: BUTTON_DATA_INVALID"


async def test_unsupported_html_tag_cannot_be_parsed(
    fake_api: FakeBotApi, aiogram_bot: AiogramBot
) -> None:
    fake_api.add_user(CHAT)
    with pytest.raises(aiogram_errors.TelegramBadRequest) as error:
        await aiogram_bot.send_message(CHAT, "Jalan <desa> rusak", parse_mode="HTML")

    assert error.value.message == (
        'Bad Request: can\'t parse entities: Unsupported start tag "desa" at byte offset 6'
    )


async def test_unknown_chat_is_chat_not_found(aiogram_bot: AiogramBot) -> None:
    with pytest.raises(aiogram_errors.TelegramBadRequest, match="Bad Request: chat not found"):
        await aiogram_bot.send_message(777, "halo")


# --- faults ------------------------------------------------------------------------------------


async def test_injected_429_surfaces_retry_after_in_both_libraries(
    fake_api: FakeBotApi, aiogram_bot: AiogramBot, ptb_bot: telegram.Bot
) -> None:
    fake_api.add_user(CHAT)
    fake_api.inject_429("sendMessage", retry_after=3, times=2)

    with pytest.raises(aiogram_errors.TelegramRetryAfter) as aiogram_error:
        await aiogram_bot.send_message(CHAT, "satu")
    with pytest.raises(ptb_errors.RetryAfter) as ptb_error:
        await ptb_bot.send_message(CHAT, "satu")
    await aiogram_bot.send_message(CHAT, "dua")

    assert aiogram_error.value.retry_after == 3
    assert aiogram_error.value.message.endswith(
        "Original description: Too Many Requests: retry after 3"
    )
    assert ptb_error.value.retry_after == dt.timedelta(seconds=3)
    assert fake_api.texts(CHAT) == ["dua"]
    assert [call.ok for call in fake_api.calls("sendMessage")] == [False, False, True]


async def test_blocked_user_answers_403_in_both_libraries(
    fake_api: FakeBotApi, aiogram_bot: AiogramBot, ptb_bot: telegram.Bot
) -> None:
    fake_api.block_user(CHAT)

    with pytest.raises(aiogram_errors.TelegramForbiddenError) as aiogram_error:
        await aiogram_bot.send_message(CHAT, "halo")
    with pytest.raises(ptb_errors.Forbidden, match="bot was blocked by the user"):
        await ptb_bot.send_message(CHAT, "halo")

    assert aiogram_error.value.message == "Forbidden: bot was blocked by the user"
    fake_api.unblock_user(CHAT)
    await aiogram_bot.send_message(CHAT, "halo lagi")


async def test_network_failure_and_latency(
    fake_api: FakeBotApi, aiogram_bot: AiogramBot, ptb_bot: telegram.Bot
) -> None:
    fake_api.fail_network(times=2)
    with pytest.raises(aiogram_errors.TelegramNetworkError):
        await aiogram_bot.get_me()
    with pytest.raises(ptb_errors.NetworkError):
        await ptb_bot.get_me()

    fake_api.latency = 0.3
    started = time.monotonic()
    await aiogram_bot.get_me()
    assert time.monotonic() - started >= 0.25


# --- updates: pushing and polling --------------------------------------------------------------


async def test_get_updates_offset_acknowledges_earlier_updates(
    fake_api: FakeBotApi, aiogram_bot: AiogramBot
) -> None:
    first = fake_api.push_text(CHAT, "satu")
    second = fake_api.push_text(CHAT, "dua")

    assert [u.update_id for u in await aiogram_bot.get_updates()] == [
        first["update_id"],
        second["update_id"],
    ]
    assert [u.update_id for u in await aiogram_bot.get_updates(limit=1)] == [first["update_id"]]
    acknowledged = await aiogram_bot.get_updates(offset=second["update_id"])
    assert [u.update_id for u in acknowledged] == [second["update_id"]]
    assert await aiogram_bot.get_updates(offset=second["update_id"] + 1) == []
    assert fake_api.pending_updates == []


async def test_get_updates_long_poll_returns_as_soon_as_an_update_arrives(
    fake_api: FakeBotApi, ptb_bot: telegram.Bot
) -> None:
    async def push_later() -> None:
        await asyncio.sleep(0.2)
        fake_api.push_text(CHAT, "halo")

    pusher = asyncio.create_task(push_later())
    started = time.monotonic()
    updates = await ptb_bot.get_updates(timeout=10)
    await pusher

    assert time.monotonic() - started < 5
    assert updates[0].message.text == "halo"
    started = time.monotonic()
    assert await ptb_bot.get_updates(offset=updates[0].update_id + 1, timeout=1) == ()
    assert time.monotonic() - started >= 0.9


async def test_allowed_updates_filters_later_updates(
    fake_api: FakeBotApi, aiogram_bot: AiogramBot
) -> None:
    await aiogram_bot.get_updates(allowed_updates=["callback_query"])
    fake_api.push_text(CHAT, "diabaikan")

    assert await aiogram_bot.get_updates() == []
    assert len(fake_api.updates) == 1


def push_every_kind(fake_api: FakeBotApi) -> None:
    fake_api.push_command(CHAT, "start", "undangan-123", language_code="en")
    fake_api.push_location(CHAT, -6.9175, 107.6191)
    fake_api.push_photo(CHAT, caption="jalan rusak")
    fake_api.push_document(CHAT, b"%PDF-1.4", "proposal.pdf", "application/pdf")
    fake_api.push_contact(CHAT)
    fake_api.push_sticker(CHAT)
    fake_api.push_voice(CHAT)


async def test_every_pushed_update_kind_parses_in_both_libraries(
    fake_api: FakeBotApi, aiogram_bot: AiogramBot, ptb_bot: telegram.Bot
) -> None:
    push_every_kind(fake_api)
    await aiogram_bot.send_message(CHAT, "Pilih", reply_markup=inline(("Ya", "yes")))
    fake_api.press(CHAT, "Ya")

    aiogram_updates = await aiogram_bot.get_updates()
    ptb_updates = await ptb_bot.get_updates()

    command = aiogram_updates[0].message
    assert command is not None
    assert command.text == "/start undangan-123"
    assert command.entities is not None
    assert command.entities[0].type == "bot_command"
    assert command.from_user is not None
    assert command.from_user.language_code == "en"
    assert ptb_updates[1].message.location.latitude == pytest.approx(-6.9175)
    assert ptb_updates[2].message.caption == "jalan rusak"
    assert ptb_updates[3].message.document.file_name == "proposal.pdf"
    assert ptb_updates[4].message.contact.user_id == CHAT
    assert ptb_updates[5].message.sticker is not None
    assert ptb_updates[6].message.voice is not None
    callback = aiogram_updates[7].callback_query
    assert callback is not None
    assert callback.data == "yes"
    assert callback.message is not None
    assert callback.message.message_id == fake_api.last_message(CHAT)["message_id"]
    assert ptb_updates[7].callback_query.from_user.language_code == "en"


async def test_user_language_defaults_to_indonesian(fake_api: FakeBotApi) -> None:
    update = fake_api.push_text(CHAT, "halo")

    assert update["message"]["from"]["language_code"] == "id"
    assert update["message"]["chat"] == {"id": CHAT, "type": "private", "first_name": "Budi"}


async def test_redelivered_update_keeps_its_id_and_passes_the_offset(
    fake_api: FakeBotApi, aiogram_bot: AiogramBot
) -> None:
    update = fake_api.push_text(CHAT, "halo")
    await aiogram_bot.get_updates()
    assert await aiogram_bot.get_updates(offset=update["update_id"] + 1) == []

    fake_api.redeliver(update)

    again = await aiogram_bot.get_updates(offset=update["update_id"] + 1)
    assert [u.update_id for u in again] == [update["update_id"]]
    assert await aiogram_bot.get_updates(offset=update["update_id"] + 1) == []


async def test_press_answers_and_a_second_answer_is_too_old(
    fake_api: FakeBotApi, aiogram_bot: AiogramBot
) -> None:
    fake_api.add_user(CHAT)
    await aiogram_bot.send_message(CHAT, "Lama", reply_markup=inline(("Ya", "old")))
    await aiogram_bot.send_message(
        CHAT, "Baru", reply_markup=inline(("Ya", "new"), ("Tidak", "no"))
    )

    update = fake_api.press(CHAT, "Ya")
    query_id = update["callback_query"]["id"]
    await aiogram_bot.answer_callback_query(query_id, text="Tersimpan")

    assert update["callback_query"]["data"] == "new"
    assert fake_api.callback_answer(query_id) == {
        "callback_query_id": query_id,
        "text": "Tersimpan",
    }
    with pytest.raises(aiogram_errors.TelegramBadRequest, match="query is too old"):
        await aiogram_bot.answer_callback_query(query_id)
    with pytest.raises(LookupError, match="Mungkin"):
        fake_api.press(CHAT, "Mungkin")


async def test_reply_keyboard_is_shown_pressed_and_removed(
    fake_api: FakeBotApi, ptb_bot: telegram.Bot
) -> None:
    fake_api.add_user(CHAT)
    keyboard = telegram.ReplyKeyboardMarkup(
        [[telegram.KeyboardButton("Kirim lokasi", request_location=True)], ["Lewati"]],
        one_time_keyboard=True,
    )
    await ptb_bot.send_message(CHAT, "Lokasi usulan?", reply_markup=keyboard)
    assert fake_api.reply_keyboard(CHAT) == [["Kirim lokasi"], ["Lewati"]]

    update = fake_api.press(CHAT, "Kirim lokasi", location=(-6.2, 106.8))

    assert update["message"]["location"] == {"latitude": -6.2, "longitude": 106.8}
    assert fake_api.reply_keyboard(CHAT) is None  # one-time keyboards hide after use
    await ptb_bot.send_message(CHAT, "Lagi", reply_markup=telegram.ReplyKeyboardMarkup([["A"]]))
    await ptb_bot.send_message(CHAT, "Hapus", reply_markup=telegram.ReplyKeyboardRemove())
    assert fake_api.reply_keyboard(CHAT) is None


async def test_wait_for_returns_messages_sent_after_the_last_push(
    fake_api: FakeBotApi, aiogram_bot: AiogramBot
) -> None:
    fake_api.add_user(CHAT)
    await aiogram_bot.send_message(CHAT, "sebelum")
    fake_api.push_text(CHAT, "/start")

    async def reply_later() -> None:
        await asyncio.sleep(0.1)
        await aiogram_bot.send_message(CHAT, "Selamat datang")
        await aiogram_bot.send_message(CHAT, "Setuju?")

    replier = asyncio.create_task(reply_later())
    replies = await fake_api.wait_for(CHAT, 2)
    await replier

    assert [m["text"] for m in replies] == ["Selamat datang", "Setuju?"]
    assert (await fake_api.wait_for(CHAT, text="datang"))[0]["text"] == "Selamat datang"
    with pytest.raises(AssertionError, match="Selamat datang"):
        await fake_api.wait_for(CHAT, text="tidak ada", timeout=0.2)


async def test_set_my_commands_is_recorded(fake_api: FakeBotApi, aiogram_bot: AiogramBot) -> None:
    commands = [BotCommand(command="mulai", description="Mulai usulan")]
    await aiogram_bot.set_my_commands(commands, language_code="id")

    assert fake_api.commands(language_code="id") == [
        {"command": "mulai", "description": "Mulai usulan"}
    ]
    assert fake_api.calls("setMyCommands")[0].params["language_code"] == "id"
    with pytest.raises(aiogram_errors.TelegramBadRequest, match="BOT_COMMAND_INVALID"):
        await aiogram_bot.set_my_commands([BotCommand(command="Mulai!", description="x")])


# --- files -------------------------------------------------------------------------------------


async def test_aiogram_uploads_photo_and_document_and_downloads_them(
    fake_api: FakeBotApi, aiogram_bot: AiogramBot
) -> None:
    fake_api.add_user(CHAT)
    chart = make_png(640, 480)

    photo_message = await aiogram_bot.send_photo(CHAT, BufferedInputFile(chart, "chart.png"))
    document_message = await aiogram_bot.send_document(
        CHAT, BufferedInputFile(b"PK\x03\x04xlsx", "rekap.xlsx"), caption="Rekap"
    )

    assert photo_message.photo is not None
    assert (photo_message.photo[-1].width, photo_message.photo[-1].height) == (640, 480)
    downloaded = await aiogram_bot.download(photo_message.photo[-1].file_id)
    assert downloaded is not None
    assert downloaded.read() == chart
    document = document_message.document
    assert document is not None
    assert document.file_name == "rekap.xlsx"
    file = await aiogram_bot.get_file(document.file_id)
    assert file.file_path is not None
    assert file.file_size == len(b"PK\x03\x04xlsx")
    resent = await aiogram_bot.send_photo(CHAT, photo_message.photo[-1].file_id)
    assert resent.photo == photo_message.photo
    with pytest.raises(aiogram_errors.TelegramBadRequest, match="IMAGE_PROCESS_FAILED"):
        await aiogram_bot.send_photo(CHAT, BufferedInputFile(b"not an image", "x.png"))


async def test_ptb_uploads_a_document_and_downloads_a_pushed_photo(
    fake_api: FakeBotApi, ptb_bot: telegram.Bot
) -> None:
    pushed = fake_api.push_photo(CHAT, make_png(30, 20), caption="foto lokasi")

    sent = await ptb_bot.send_document(CHAT, b"a;b\n1;2\n", filename="usulan.csv")
    photo_file = await ptb_bot.get_file(pushed["message"]["photo"][-1]["file_id"])
    document_file = await ptb_bot.get_file(sent.document.file_id)

    assert await photo_file.download_as_bytearray() == make_png(30, 20)
    assert await document_file.download_as_bytearray() == b"a;b\n1;2\n"
    assert sent.document.mime_type == "text/csv"
    with pytest.raises(ptb_errors.BadRequest, match="Invalid file_id"):
        await ptb_bot.get_file("no-such-file")


# --- webhook -----------------------------------------------------------------------------------


async def test_webhook_delivers_updates_with_the_secret_header(
    fake_api: FakeBotApi, aiogram_bot: AiogramBot, receiver: WebhookReceiver
) -> None:
    pending = fake_api.push_text(CHAT, "sebelum webhook")
    await aiogram_bot.set_webhook(receiver.url, secret_token="rahasia-123")
    later = fake_api.push_text(CHAT, "sesudah webhook")

    await fake_api.wait_until(lambda: len(receiver.requests) == 2)

    assert [body["update_id"] for _, body in receiver.requests] == [
        pending["update_id"],
        later["update_id"],
    ]
    assert receiver.requests[0][0]["X-Telegram-Bot-Api-Secret-Token"] == "rahasia-123"
    info = await aiogram_bot.get_webhook_info()
    assert info.url == receiver.url
    assert info.pending_update_count == 0
    with pytest.raises(aiogram_errors.TelegramConflictError, match="webhook is active"):
        await aiogram_bot.get_updates()

    fake_api.redeliver(later)
    await fake_api.wait_until(lambda: len(receiver.requests) == 3)
    assert receiver.requests[2][1] == later

    await aiogram_bot.delete_webhook()
    fake_api.push_text(CHAT, "polling lagi")
    assert len(await aiogram_bot.get_updates()) == 1


async def test_webhook_retries_a_failing_receiver_a_bounded_number_of_times(
    fake_api: FakeBotApi, aiogram_bot: AiogramBot, receiver: WebhookReceiver
) -> None:
    receiver.statuses = [500, 502, 500, 500]
    await aiogram_bot.set_webhook(receiver.url)
    first = fake_api.push_text(CHAT, "gagal terus")
    second = fake_api.push_text(CHAT, "berhasil")

    await fake_api.wait_until(lambda: len(receiver.requests) == 5)

    statuses = [(a.update_id, a.status) for a in fake_api.webhook_attempts]
    assert statuses == [
        (first["update_id"], 500),
        (first["update_id"], 502),
        (first["update_id"], 500),
        (second["update_id"], 500),
        (second["update_id"], 200),
    ]
    info = await aiogram_bot.get_webhook_info()
    assert info.last_error_message == "Wrong response from the webhook: 500 Internal Server Error"


async def test_webhook_answer_with_a_method_is_executed(
    fake_api: FakeBotApi, aiogram_bot: AiogramBot, receiver: WebhookReceiver
) -> None:
    receiver.answer = {"method": "sendMessage", "chat_id": CHAT, "text": "Dibalas lewat webhook"}
    await aiogram_bot.set_webhook(receiver.url)
    fake_api.push_text(CHAT, "halo")

    replies = await fake_api.wait_for(CHAT)

    assert replies[0]["text"] == "Dibalas lewat webhook"


async def test_webhook_must_stay_on_localhost(aiogram_bot: AiogramBot) -> None:
    with pytest.raises(aiogram_errors.TelegramBadRequest, match="bad webhook"):
        await aiogram_bot.set_webhook("https://example.org/hook")


async def test_aiogram_webhook_handler_answering_in_the_response_gets_its_message_sent(
    fake_api: FakeBotApi, aiogram_bot: AiogramBot
) -> None:
    dispatcher = Dispatcher()

    @dispatcher.message()
    async def echo(message: Message) -> Any:
        return message.answer(f"Gema: {message.text}")  # a method object: sent as the answer

    app = web.Application()
    SimpleRequestHandler(
        dispatcher, aiogram_bot, handle_in_background=False, secret_token="s3cret"
    ).register(app, path="/hook")
    runner = web.AppRunner(app)
    await runner.setup()
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    await web.SockSite(runner, sock).start()
    try:
        await aiogram_bot.set_webhook(
            f"http://127.0.0.1:{sock.getsockname()[1]}/hook", secret_token="s3cret"
        )
        fake_api.push_text(CHAT, "halo")

        replies = await fake_api.wait_for(CHAT)
    finally:
        await runner.cleanup()

    assert replies[0]["text"] == "Gema: halo"


# --- smaller methods and chats -----------------------------------------------------------------


async def test_chat_action_delete_and_caption_edit(
    fake_api: FakeBotApi, ptb_bot: telegram.Bot
) -> None:
    fake_api.add_user(CHAT)
    await ptb_bot.send_chat_action(CHAT, "upload_photo")
    photo = await ptb_bot.send_photo(CHAT, TINY_PNG, caption="Grafik")
    note = await ptb_bot.send_message(CHAT, "sementara")

    await ptb_bot.edit_message_caption(CHAT, photo.message_id, caption="Grafik harian")
    await ptb_bot.delete_message(CHAT, note.message_id)

    assert fake_api.texts(CHAT) == ["Grafik harian"]
    assert [c.method for c in fake_api.sent(CHAT)] == [
        "sendPhoto",
        "sendMessage",
        "editMessageCaption",
        "deleteMessage",
    ]
    with pytest.raises(ptb_errors.BadRequest, match="There is no text in the message to edit"):
        await ptb_bot.edit_message_text("teks", CHAT, photo.message_id)


async def test_group_messages_and_replies(fake_api: FakeBotApi, aiogram_bot: AiogramBot) -> None:
    group = fake_api.add_group(-100123, "Forum Desa")
    update = fake_api.push_text(group["id"], "/ringkasan", user_id=CHAT, first_name="Sari")
    asked = update["message"]["message_id"]

    reply = await aiogram_bot.send_message(
        group["id"], "Ringkasan hari ini", reply_parameters=ReplyParameters(message_id=asked)
    )

    assert update["message"]["chat"]["type"] == "group"
    assert update["message"]["from"]["first_name"] == "Sari"
    assert reply.reply_to_message is not None
    assert reply.reply_to_message.text == "/ringkasan"
    with pytest.raises(ValueError, match="user_id"):
        fake_api.push_text(group["id"], "siapa?")
