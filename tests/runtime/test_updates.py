"""Updates from aiogram and PTB become the same core Event."""

from __future__ import annotations

from typing import Any

import pytest
from aiogram.types import Update as AiogramUpdate
from telegram import Update as PtbUpdate

from bot.runtime.updates import event_from_update, menu_commands
from core.events import Event, EventKind

BOT = "musrenbang_test_bot"
USER = {
    "id": 555,
    "is_bot": False,
    "first_name": "Siti",
    "username": "siti_lebong",
    "language_code": "id",
}
CHAT = {"id": 555, "type": "private", "first_name": "Siti"}


def _message(**content: Any) -> dict[str, Any]:
    return {"message_id": 10, "date": 1_700_000_000, "chat": CHAT, "from": USER, **content}


@pytest.fixture(name="translate", params=["aiogram", "ptb"])
def translate_fixture(request: pytest.FixtureRequest):
    """Return a function parsing raw update JSON with one framework and translating it."""

    def translate(data: dict[str, Any]) -> Event | None:
        if request.param == "aiogram":
            update = AiogramUpdate.model_validate(data)
        else:
            update = PtbUpdate.de_json(data, None)
        return event_from_update(update, bot_username=BOT)

    return translate


def test_translate_command_strips_slash_and_keeps_sender(translate) -> None:
    event = translate({"update_id": 1, "message": _message(text="/start")})

    assert event == Event(
        update_id=1,
        user_id=555,
        chat_id=555,
        kind=EventKind.COMMAND,
        command="start",
        text="",
        message_id=10,
        language="id",
        first_name="Siti",
        username="siti_lebong",
        chat_type="private",
    )


def test_translate_command_strips_own_bot_name_and_keeps_arguments(translate) -> None:
    event = translate({"update_id": 2, "message": _message(text=f"/status@{BOT} LBG-24-7K3Q")})

    assert (event.kind, event.command, event.text) == (EventKind.COMMAND, "status", "LBG-24-7K3Q")


def test_translate_command_for_another_bot_is_ignored(translate) -> None:
    assert translate({"update_id": 3, "message": _message(text="/start@other_bot")}) is None


def test_translate_text(translate) -> None:
    event = translate({"update_id": 4, "message": _message(text="jalan rusak depan SD")})

    assert (event.kind, event.text, event.command) == (
        EventKind.TEXT,
        "jalan rusak depan SD",
        None,
    )


def test_translate_callback_carries_data_callback_id_and_message_id(translate) -> None:
    query = {
        "id": "cb-77",
        "from": USER,
        "chat_instance": "ci",
        "data": "consent:yes",
        "message": _message(message_id=31, text="Setuju?"),
    }
    event = translate({"update_id": 5, "callback_query": query})

    assert (event.kind, event.text, event.callback_id, event.message_id, event.chat_id) == (
        EventKind.CALLBACK,
        "consent:yes",
        "cb-77",
        31,
        555,
    )


def test_translate_location(translate) -> None:
    event = translate(
        {"update_id": 6, "message": _message(location={"latitude": -3.03, "longitude": 102.2})}
    )

    assert (event.kind, event.latitude, event.longitude) == (EventKind.LOCATION, -3.03, 102.2)


def test_translate_photo_takes_the_largest_size_and_caption(translate) -> None:
    sizes = [
        {"file_id": "small", "file_unique_id": "s", "width": 90, "height": 60, "file_size": 1000},
        {"file_id": "large", "file_unique_id": "l", "width": 1280, "height": 853},
        {"file_id": "mid", "file_unique_id": "m", "width": 320, "height": 213, "file_size": 9000},
    ]
    event = translate({"update_id": 7, "message": _message(photo=sizes, caption="jembatan")})

    assert (event.kind, event.file_id, event.text) == (EventKind.PHOTO, "large", "jembatan")


def test_translate_document_keeps_file_id_and_mime_type(translate) -> None:
    document = {"file_id": "doc-1", "file_unique_id": "d", "mime_type": "application/pdf"}
    event = translate({"update_id": 8, "message": _message(document=document)})

    assert (event.kind, event.file_id, event.mime_type) == (
        EventKind.DOCUMENT,
        "doc-1",
        "application/pdf",
    )


def test_translate_contact_keeps_phone_number(translate) -> None:
    contact = {"phone_number": "+6281234567890", "first_name": "Siti", "user_id": 555}
    event = translate({"update_id": 9, "message": _message(contact=contact)})

    assert (event.kind, event.phone_number) == (EventKind.CONTACT, "+6281234567890")


def test_translate_sticker_is_other(translate) -> None:
    sticker = {
        "file_id": "st",
        "file_unique_id": "st",
        "type": "regular",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
    }
    event = translate({"update_id": 10, "message": _message(sticker=sticker)})

    assert (event.kind, event.chat_id, event.user_id) == (EventKind.OTHER, 555, 555)


def test_translate_edited_message_is_other(translate) -> None:
    event = translate({"update_id": 11, "edited_message": _message(text="ralat", edit_date=1)})

    assert event.kind is EventKind.OTHER


def test_translate_group_message_keeps_chat_and_type(translate) -> None:
    group = {"id": -100123, "type": "supergroup", "title": "Desa Tes"}
    event = translate({"update_id": 12, "message": _message(text="halo", chat=group)})

    assert (event.chat_id, event.user_id, event.chat_type) == (-100123, 555, "supergroup")


def test_translate_channel_post_without_sender_is_ignored(translate) -> None:
    channel = {"id": -100999, "type": "channel", "title": "Info"}
    post = {"message_id": 1, "date": 1_700_000_000, "chat": channel, "text": "pengumuman"}

    assert translate({"update_id": 13, "channel_post": post}) is None


def test_menu_commands_are_indonesian_and_include_start() -> None:
    commands = dict(menu_commands())

    assert "start" in commands
    assert "bantuan" in commands
