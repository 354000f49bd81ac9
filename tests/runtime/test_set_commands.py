"""The per-chat command menu reply becomes setMyCommands with a chat scope, in both runtimes."""

from __future__ import annotations

from core.events import SetCommands

CHAT = 4242


async def test_set_commands_sets_the_menu_of_one_chat(send, api) -> None:
    await send(SetCommands(CHAT, (("desa", "Usulan desa Anda"), ("usul", "Ajukan usulan"))))

    recorder, _base = api
    [(method, params)] = recorder.calls
    assert method == "setMyCommands"
    assert params["commands"] == [
        {"command": "desa", "description": "Usulan desa Anda"},
        {"command": "usul", "description": "Ajukan usulan"},
    ]
    assert params["scope"] == {"type": "chat", "chat_id": CHAT}
