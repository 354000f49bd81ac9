"""Plain messages at idle, answered the way a helpful clerk would.

A greeting gets a greeting and the menu; a command's name typed without the slash ("usul",
"menu", "bantuan", "status LBG-27-7K3QX") does what the command does; a bare tracking code
shows its status; a message that is itself a proposal starts the intake with that text kept as
its title; a photo is kept for the proposal about to start; a message that is not a proposal
(a complaint, a question…) is told where it goes.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from core.events import EventKind
from core.i18n import _
from handlers.common import menu
from handlers.context import escape
from handlers.intake.title import has_words
from handlers.intake.verdicts import where_it_goes
from services.tracking_code import normalize_code

if TYPE_CHECKING:
    from handlers.context import Context

_WORD = re.compile(r"[a-z0-9]+")
GREETINGS = frozenset(
    {"assalamualaikum", "assalamu", "alaikum", "assalamualaikom", "asalamualaikum", "salam"}
    | {"halo", "hallo", "hai", "hi", "hei", "helo", "selamat", "pagi", "siang", "sore"}
    | {"malam", "permisi", "punten", "om", "swastiastu", "shalom", "salom", "sugeng", "wr", "wb"}
)
_POLITE = frozenset(
    {"pak", "bapak", "bu", "ibu", "kak", "min", "admin", "mas", "mbak", "dek", "bang", "semua"}
    | {"warahmatullahi", "wabarakatuh", "warahmatullah", "dan", "bot", "sobat", "ya", "nya"}
)
_ISLAMIC = frozenset({"assalamualaikum", "assalamu", "asalamualaikum", "assalamualaikom"})
# Words typed for a command, without the slash.
_COMMAND_WORDS = {
    "usul": "usul",
    "usulan": "usul",
    "usulkan": "usul",
    "buat usulan": "usul",
    "ajukan usulan": "usul",
    "usulan baru": "usul",
    "menu": "menu",
    "mulai": "menu",
    "start": "menu",
    "bantuan": "bantuan",
    "help": "bantuan",
    "panduan": "bantuan",
    "status": "status",
    "cek status": "status",
    "lacak": "status",
    "usulan saya": "usulansaya",
    "usulansaya": "usulansaya",
    "jadwal": "jadwal",
    "batal": "batal",
}
# A message needs this many words to be read as a proposal.
PROPOSAL_WORDS = 3


def words_of(text: str) -> list[str]:
    """Return the lower-case words of `text`, signs dropped."""
    return _WORD.findall(text.casefold().replace("'", ""))


async def answer_idle(context: Context) -> bool:
    """Answer a plain message at idle; return False when it means nothing the bot knows."""
    event = context.event
    if event.kind is EventKind.PHOTO and event.file_id:
        await _keep_photo(context, event.file_id)
        return True
    if event.kind is not EventKind.TEXT:
        return False
    text = " ".join(event.text.split())
    words = words_of(text)
    if not words:
        return False
    if await _as_command(context, text, words):
        return True
    if len(words) <= 3 and normalize_code(text, prefix=context.settings.tracking_prefix):
        await _run(context, "status", typed=text)
        return True
    if _is_greeting(words):
        _greet(context, words)
        await menu.show_menu(context)
        return True
    if len(words) >= PROPOSAL_WORDS and has_words(text):
        return await _as_proposal(context, text)
    return False


def _is_greeting(words: list[str]) -> bool:
    return any(word in GREETINGS for word in words) and all(
        word in GREETINGS or word in _POLITE for word in words
    )


def _greet(context: Context, words: list[str]) -> None:
    name = escape(context.user.name or context.event.first_name or "")
    if any(word in _ISLAMIC for word in words):
        context.say(_("Waalaikumsalam, {name}! 🙏").format(name=name))
    else:
        context.say(_("Hello, {name}! 👋").format(name=name))


async def _as_command(context: Context, text: str, words: list[str]) -> bool:
    """Run the command whose name (or usual word) the message starts with."""
    for length in (2, 1):
        phrase = " ".join(words[:length])
        name = _COMMAND_WORDS.get(phrase) or (
            phrase if length == 1 and phrase in context.router.commands else None
        )
        if name is None or (len(words) > length and name != "status"):
            continue
        rest = text.split(None, length)[length] if len(text.split()) > length else ""
        await _run(context, name, typed=rest)
        return True
    return False


async def _run(context: Context, name: str, *, typed: str = "") -> None:
    from handlers.tracking import status

    if name == "status":
        await status.status_command(context, typed)
        return
    await context.router.commands[name].handler(context)


async def _as_proposal(context: Context, text: str) -> bool:
    """Start the intake with a message that reads as a proposal, or say where it goes."""
    from handlers.intake import begin

    suggestion = await context.services.matching.suggest(text)
    if suggestion.verdict is not None:
        context.say(where_it_goes(suggestion.verdict))
        await menu.show_menu(context)
        return True
    if not suggestion.options:
        return False
    context.update_draft(chat_title=text[:200])
    context.say(
        _("Thank you! I keep your message as the proposal: <i>{title}</i>").format(
            title=escape(text[:200])
        )
    )
    await begin.begin(context)
    return True


async def _keep_photo(context: Context, file_id: str) -> None:
    """Keep the photo for the proposal about to start, and start it."""
    from handlers.intake import begin

    photos = [*context.draft.chat_photos, file_id][:3]
    context.update_draft(chat_photos=photos)
    context.say(_("Thank you for the photo! I keep it for the proposal we write now."))
    await begin.begin(context)
