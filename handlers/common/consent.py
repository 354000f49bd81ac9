"""Consent to store personal data (UU 27/2022), asked before anything is stored."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Literal

from core.events import EventKind, Keyboard
from core.i18n import _
from handlers.callbacks import CallbackData
from handlers.common import menu
from handlers.context import escape

if TYPE_CHECKING:
    from handlers.context import Context
    from handlers.router import Router


class ConsentAnswer(CallbackData, prefix="consent"):
    answer: Literal["yes", "no"]


def has_consent(context: Context) -> bool:
    """Return whether the person agreed to have their name and contact stored."""
    return context.user.consent_at is not None


def consent_keyboard() -> Keyboard:
    """Return the agree / refuse buttons."""
    return Keyboard.inline_rows(
        [
            [
                ConsentAnswer(answer="yes").button(_("✅ I agree")),
                ConsentAnswer(answer="no").button(_("❌ I do not agree")),
            ]
        ]
    )


def consent_question() -> str:
    """Return the consent request, naming what is stored and why."""
    return _(
        "Before we start: to record your proposals we store your Telegram name and username "
        "with them. They are used only for the Musrenbang, and you can delete them at any "
        "time with /hapusdata (Law No. 27 of 2022 on Personal Data Protection).\n\n"
        "Do you agree?"
    )


# Typed answers that mean "I agree" (the button's words typed out).
_TYPED_YES = frozenset({"setuju", "ya setuju", "saya setuju", "iya setuju", "ya saya setuju"})


def _typed_yes(context: Context) -> bool:
    event = context.event
    if event.kind is not EventKind.TEXT:
        return False
    typed = " ".join(re.findall(r"[a-z]+", event.text.casefold()))
    return typed in _TYPED_YES or typed == " ".join(
        re.findall(r"[a-z]+", _("✅ I agree").casefold())
    )


async def ask_consent(context: Context, *, lead: str | None = None) -> None:
    """Ask for consent (again), because nothing can be stored without it.

    `lead` goes first in the same message (the greeting of /start). Typing the agree
    button's words ("ya setuju") counts as pressing it.
    """
    if lead is None and _typed_yes(context):
        await _agree(context)
        return
    context.answer_callback()
    parts = [lead] if lead else []
    if context.user.consent_refused_at is not None:
        parts.append(_("You have not agreed to data storage yet, so I cannot record anything."))
    parts.append(consent_question())
    context.say("\n\n".join(parts), consent_keyboard())


async def on_consent_button(context: Context) -> None:
    """Record the answer to the consent question."""
    pressed = context.pressed(ConsentAnswer)
    if pressed is None:
        await ask_consent(context)
        return
    user = context.user
    if pressed.answer == "yes":
        await _agree(context)
        return
    user.consent_refused_at = context.now
    user.consent_at = None
    user.name = None
    user.username = None
    user.phone = None
    context.answer_callback()
    context.edit(
        _(
            "All right, we will not store your personal data. Without consent you cannot "
            "submit a proposal yet, but you can still read /bantuan. If you change your "
            "mind, type /start."
        )
    )


async def _agree(context: Context) -> None:
    """Record the consent and show the menu."""
    user = context.user
    first_time = user.consent_at is None
    user.consent_at = user.consent_at or context.now
    user.consent_refused_at = None
    user.name = context.event.first_name or user.name
    user.username = context.event.username
    context.answer_callback(_("Thank you!"))
    if first_time:
        context.edit(
            _("Thank you, {name}. Your consent is recorded.").format(name=escape(user.name or ""))
        )
    await menu.show_menu(context)


def register(router: Router) -> None:
    """Add the consent buttons."""
    router.add_callback(ConsentAnswer, on_consent_button, before_consent=True)
