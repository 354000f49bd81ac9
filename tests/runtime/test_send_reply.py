"""Each core reply becomes the right Bot API call, the same through aiogram and PTB."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.events import (
    AnswerCallback,
    Button,
    EditText,
    Keyboard,
    SendDocument,
    SendPhoto,
    SendText,
)
from tests.runtime.bot_api_recorder import Upload

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from core.events import Reply
    from tests.runtime.bot_api_recorder import BotApiRecorder

    Send = Callable[[Reply], Awaitable[object]]

CHAT = 4242


def _only_call(api: tuple[BotApiRecorder, str]) -> tuple[str, dict[str, object]]:
    recorder, _base = api
    assert len(recorder.calls) == 1
    return recorder.calls[0]


async def test_send_text_uses_html_and_an_inline_keyboard(send: Send, api) -> None:
    keyboard = Keyboard.inline_rows(
        [[Button("✅ Setuju", "consent:yes"), Button("❌ Tidak", "consent:no")]]
    )

    await send(SendText(CHAT, "<b>Halo</b>", keyboard))

    method, params = _only_call(api)
    assert method == "sendMessage"
    assert int(params["chat_id"]) == CHAT
    assert params["text"] == "<b>Halo</b>"
    assert params["parse_mode"] == "HTML"
    assert params["reply_markup"] == {
        "inline_keyboard": [
            [
                {"text": "✅ Setuju", "callback_data": "consent:yes"},
                {"text": "❌ Tidak", "callback_data": "consent:no"},
            ]
        ]
    }


async def test_send_text_reply_keyboard_requests_location_and_contact(send: Send, api) -> None:
    keyboard = Keyboard.reply_rows(
        [
            [Button("📍 Kirim lokasi", request_location=True)],
            [Button("📞 Kirim nomor", request_contact=True), Button("Lewati")],
        ],
        one_time=True,
    )

    await send(SendText(CHAT, "Di mana lokasinya?", keyboard))

    _method, params = _only_call(api)
    assert params["reply_markup"] == {
        "keyboard": [
            [{"text": "📍 Kirim lokasi", "request_location": True}],
            [{"text": "📞 Kirim nomor", "request_contact": True}, {"text": "Lewati"}],
        ],
        "resize_keyboard": True,
        "one_time_keyboard": True,
    }


async def test_send_text_removes_the_reply_keyboard_when_asked(send: Send, api) -> None:
    await send(SendText(CHAT, "Terima kasih", remove_keyboard=True))

    _method, params = _only_call(api)
    assert params["reply_markup"] == {"remove_keyboard": True}


async def test_send_text_without_keyboard_sends_no_markup(send: Send, api) -> None:
    await send(SendText(CHAT, "Halo"))

    _method, params = _only_call(api)
    assert "reply_markup" not in params


async def test_edit_text_replaces_text_and_inline_keyboard(send: Send, api) -> None:
    keyboard = Keyboard.inline_rows([[Button("Kembali", "menu:back")]])

    await send(EditText(CHAT, 77, "Diperbarui", keyboard))

    method, params = _only_call(api)
    assert method == "editMessageText"
    assert (int(params["chat_id"]), int(params["message_id"])) == (CHAT, 77)
    assert params["text"] == "Diperbarui"
    assert params["parse_mode"] == "HTML"
    assert params["reply_markup"] == {
        "inline_keyboard": [[{"text": "Kembali", "callback_data": "menu:back"}]]
    }


async def test_answer_callback_stops_the_spinner_with_a_notice(send: Send, api) -> None:
    await send(AnswerCallback("cb-1", "Terima kasih!"))

    method, params = _only_call(api)
    assert method == "answerCallbackQuery"
    assert params["callback_query_id"] == "cb-1"
    assert params["text"] == "Terima kasih!"


async def test_send_photo_uploads_bytes_with_caption(send: Send, api) -> None:
    await send(
        SendPhoto(CHAT, content=b"\x89PNG fake", filename="grafik.png", caption="Ringkasan")
    )

    method, params = _only_call(api)
    assert method == "sendPhoto"
    assert params["photo"] == Upload("grafik.png", b"\x89PNG fake")
    assert params["caption"] == "Ringkasan"
    assert params["parse_mode"] == "HTML"


async def test_send_photo_by_file_id_uploads_nothing(send: Send, api) -> None:
    await send(SendPhoto(CHAT, file_id="AgACAgQAAxkBAAIB"))

    method, params = _only_call(api)
    assert method == "sendPhoto"
    assert params["photo"] == "AgACAgQAAxkBAAIB"


async def test_send_document_uploads_the_workbook(send: Send, api) -> None:
    await send(SendDocument(CHAT, b"PK\x03\x04xlsx", "usulan.xlsx", caption="Semua usulan"))

    method, params = _only_call(api)
    assert method == "sendDocument"
    assert params["document"] == Upload("usulan.xlsx", b"PK\x03\x04xlsx")
    assert params["caption"] == "Semua usulan"


async def test_send_message_returns_the_new_message_id(send: Send, api) -> None:
    message = await send(SendText(CHAT, "Halo"))

    assert message.message_id == 101
