"""Consent to store personal data (UU 27/2022), asked before anything is stored."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from core.events import Keyboard
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
        "Before we start: to record your proposal we need to store your Telegram name and, "
        "if you share it, your phone number. They are used only for the Musrenbang and you "
        "can delete them at any time with /hapusdata (Law No. 27 of 2022 on Personal Data "
        "Protection).\n\nDo you agree?"
    )


async def ask_consent(context: Context, *, lead: str | None = None) -> None:
    """Ask for consent (again), because nothing can be stored without it.

    `lead` goes first in the same message (the greeting of /start).
    """
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
        first_time = user.consent_at is None
        user.consent_at = user.consent_at or context.now
        user.consent_refused_at = None
        user.name = context.event.first_name or user.name
        user.username = context.event.username
        context.answer_callback(_("Thank you!"))
        if first_time:
            context.edit(
                _("Thank you, {name}. Your consent is recorded.").format(
                    name=escape(user.name or "")
                )
            )
        await menu.show_menu(context)
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


def register(router: Router) -> None:
    """Add the consent buttons."""
    router.add_callback(ConsentAnswer, on_consent_button, before_consent=True)
