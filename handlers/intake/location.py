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
    from services.drafts import Draft

MAX_LENGTH = 300
# Kabupaten Lebong lies at about 2.65-3.60° S, 101.9-102.6° E; this box adds some 20 km on
# each side. A shared point outside it is not the place of a proposal (south, north, west, east).
REGENCY_AREA = (-3.8, -2.45, 101.7, 102.8)


class ContinueLocation(CallbackData, prefix="loc"):
    """Go on with what was given so far."""


class RemovePoint(CallbackData, prefix="lochapus"):
    """Remove the shared map point from the proposal."""


def location_keyboard() -> Keyboard:
    """Return the reply keyboard with Telegram's share-location button."""
    return Keyboard.reply_rows([[Button(_("📍 Send my location"), request_location=True)]])


async def ask(context: Context) -> None:
    """Ask where the proposal is."""
    draft = context.draft
    if draft.latitude is not None and not draft.location_detail:
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
    if draft.editing and draft.latitude is not None:
        context.say(
            _("The proposal has a point on the map. Remove it?"),
            Keyboard.inline_rows([[RemovePoint().button(_("🗑 Remove the map point"))]]),
        )


async def handle(context: Context) -> None:
    """Store the shared location and/or the description."""
    event = context.event
    if context.pressed(RemovePoint) is not None:
        context.answer_callback()
        context.update_draft(latitude=None, longitude=None)
        context.edit(_("The map point is removed."))
        if context.draft.location_detail:
            await _done(context)
        else:
            await ask(context)
        return
    if event.kind is EventKind.LOCATION:
        await _take_point(context, event.latitude, event.longitude)
        return
    if context.pressed(ContinueLocation) is not None:
        context.answer_callback()
        draft = context.draft
        if draft.latitude is None and not draft.location_detail:
            await ask(context)
            return
        await _done(context)
        return
    value = await read_text(context, max_length=MAX_LENGTH, min_length=3)
    if value is None:
        return
    context.update_draft(location_detail=value)
    await _done(context)


async def _take_point(context: Context, latitude: float | None, longitude: float | None) -> None:
    """Store a shared point inside the regency; refuse one that cannot be the place."""
    if latitude is None or longitude is None:
        context.say(_("That location could not be read. Please send it again."))
        await ask(context)
        return
    south, north, west, east = REGENCY_AREA
    if not (south <= latitude <= north and west <= longitude <= east):
        context.say(
            _(
                "That point is far outside {regency}, so it cannot be the place of the "
                "proposal (perhaps your phone sent an old position). Send the location again "
                "while you are at the spot, or continue without a map point."
            ).format(regency=escape(context.settings.regency_name)),
            Keyboard.inline_rows(
                [[ContinueLocation().button(_("Continue without a map point ➡️"))]]
            ),
        )
        return
    context.update_draft(latitude=latitude, longitude=longitude)
    if context.draft.location_detail:
        await _done(context)
        return
    await ask(context)


async def _done(context: Context) -> None:
    context.say(
        _("Location: {location}").format(location=_describe(context.draft)), remove_keyboard=True
    )
    await flow.advance(context, "location")


def _describe(draft: Draft) -> str:
    parts = [escape(draft.location_detail)] if draft.location_detail else []
    if draft.latitude is not None:
        parts.append(_("📍 point on the map"))
    return ", ".join(parts) or "-"


async def summary(_context: Context, draft: Draft) -> str:
    """Return the preview line of the location."""
    return _("<b>Location:</b> {location}").format(location=_describe(draft))


STEP = Step(flow.step_name("location"), ask, handle, frozenset({ContinueLocation, RemovePoint}))
