"""Step: what is proposed (free text); then RPJMD matches and similar proposals are found."""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

from core.events import EventKind
from core.i18n import _
from handlers.context import escape
from handlers.intake import flow, matching
from handlers.intake.inputs import read_text
from handlers.router import Step
from services.support import similar_in_desa

if TYPE_CHECKING:
    from handlers.context import Context
    from services.drafts import Draft

MAX_LENGTH = 200
MIN_LENGTH = 5
_WORD = re.compile(r"[^\W\d_]{2,}")
# A run this long of consonants is a hand across the keyboard ("asdfghjkl"), not a word;
# chat abbreviations ("jln", "jmbtn", "sklh") stay words.
_CONSONANT_RUN = re.compile(r"[b-df-hj-np-tv-z]{6,}")


def has_words(text: str) -> bool:
    """Return whether `text` holds at least one word (not only emoji, signs, digits, mashing)."""
    return any(not _CONSONANT_RUN.search(word) for word in _WORD.findall(text.casefold()))


def _visible(text: str) -> bool:
    """Return whether `text` shows anything (not only spaces or invisible characters)."""
    return any(not unicodedata.category(char).startswith(("C", "Z")) for char in text)


async def ask(context: Context) -> None:
    """Ask what is proposed; a message kept from the chat is matched as the title instead."""
    draft = context.draft
    if draft.title_from_chat and draft.title:
        context.update_draft(title_from_chat=False)
        context.say(
            _("Your proposal, as you wrote it: <i>{title}</i>").format(title=escape(draft.title))
        )
        await take_title(context, draft.title)
        return
    context.say(
        _(
            "What do you propose? Write it in one sentence (at most {limit} characters).\n"
            "<i>Example: Asphalt the 800 m road of Dusun 2 to the rice fields.</i>"
        ).format(limit=MAX_LENGTH)
    )


async def handle(context: Context) -> None:
    """Store the title, look up matching programs and similar proposals, then show them."""
    event = context.event
    text = event.text
    if (
        event.kind is EventKind.TEXT
        and len(text) <= MAX_LENGTH
        and _visible(text)
        and not has_words(text)
    ):
        context.say(
            _(
                "I could not find any words in that. Please write what you propose in a few "
                "words.\n<i>Example: Build a footbridge over the river in Dusun 3.</i>"
            )
        )
        return
    value = await read_text(context, max_length=MAX_LENGTH, min_length=MIN_LENGTH)
    if value is None:
        return
    await take_title(context, value)


async def take_title(context: Context, value: str) -> None:
    """Match `value` as the draft's title and show the programs (the program step)."""
    context.update_draft(title=value)
    suggestion = await matching.suggest(context, context.draft)
    similar = await similar_in_desa(
        context.session,
        desa_code=context.draft.desa_code or "",
        title=value,
        program_code=suggestion.best.code if suggestion.best else None,
    )
    context.update_draft(**matching.match_fields(suggestion), similar_ids=similar)
    await flow.goto(context, "program")


async def summary(_context: Context, draft: Draft) -> str:
    """Return the preview line of the title."""
    return _("<b>Proposal:</b> {title}").format(title=escape(draft.title or ""))


STEP = Step(flow.step_name("title"), ask, handle)
