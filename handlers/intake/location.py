"""Step: where it is, as a shared location, a description (RT/RW, street, landmark), or both."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.events import Button, EventKind, Keyboard
from core.i18n import _
from handlers.callbacks import CallbackData
from handlers.context import escape
from handlers.intake import flow
from handlers.intake.inputs import read_text
from handlers.router import Step

if TYPE_CHECKING:
    from handlers.context import Context

MAX_LENGTH = 300
LOCATION_LIMITS = {"latitude": 90.0, "longitude": 180.0}


class ContinueLocation(CallbackData, prefix="loc"):
    """Go on with what was given so far."""


def location_keyboard() -> Keyboard:
    """Return the reply keyboard with Telegram's share-location button."""
    return Keyboard.reply_rows([[Button(_("📍 Send my location"), request_location=True)]])


async def ask(context: Context) -> None:
    """Ask where the proposal is."""
    draft = context.draft
    if draft.get("latitude") is not None and not draft.get("location_detail"):
        context.say(
            _(
                "Location received ✅. Add a description so it is easy to find (RT/RW, street, "
                "landmark), or press Continue."
            ),
            Keyboard.inline_rows([[ContinueLocation().button(_("Continue ➡️"))]]),
        )
        return
    context.say(
        _(
            "Where exactly is it? Press <b>📍 Send my location</b> while you are at the spot, "
            "or type a description (RT/RW, street, landmark), or both.\n"
            "<i>Example: RT 02 / RW 01, Jalan Poros Dusun 2, near the mosque.</i>"
        ),
        location_keyboard(),
    )


async def handle(context: Context) -> None:
    """Store the shared location and/or the description."""
    event = context.event
    if event.kind is EventKind.LOCATION:
        if not _valid_point(event.latitude, event.longitude):
            context.say(_("That location could not be read. Please send it again."))
            await ask(context)
            return
        context.update_draft(latitude=event.latitude, longitude=event.longitude)
        if context.draft.get("location_detail"):
            await _done(context)
            return
        await ask(context)
        return
    if context.pressed(ContinueLocation) is not None:
        context.answer_callback()
        if context.draft.get("latitude") is None:
            await ask(context)
            return
        await _done(context)
        return
    value = await read_text(context, max_length=MAX_LENGTH, min_length=3)
    if value is None:
        return
    context.update_draft(location_detail=value)
    await _done(context)


async def _done(context: Context) -> None:
    draft = context.draft
    parts = []
    if draft.get("location_detail"):
        parts.append(escape(draft["location_detail"]))
    if draft.get("latitude") is not None:
        parts.append(_("📍 point on the map"))
    context.say(_("Location: {location}").format(location=", ".join(parts)), remove_keyboard=True)
    await flow.advance(context, "location")


def _valid_point(latitude: float | None, longitude: float | None) -> bool:
    if latitude is None or longitude is None:
        return False
    return (
        abs(latitude) <= LOCATION_LIMITS["latitude"]
        and abs(longitude) <= LOCATION_LIMITS["longitude"]
    )


STEP = Step(flow.step_name("location"), ask, handle, frozenset({ContinueLocation}))
