"""Steps: volume ("150 m", "1,5 km") and beneficiaries ("200 KK"); "don't know" is allowed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.events import Keyboard
from bot.i18n import _
from bot.quantities import (
    Beneficiaries,
    Problem,
    Volume,
    format_number,
    parse_beneficiaries,
    parse_volume,
)
from handlers.callbacks import button, unpack
from handlers.context import escape
from handlers.intake import flow
from handlers.intake.inputs import read_text
from handlers.router import Step

if TYPE_CHECKING:
    from handlers.context import Context

VOLUME_NAMESPACE = "vol"
PEOPLE_NAMESPACE = "jiwa"
MAX_LENGTH = 100
UPPER_UNITS = {"kk", "rt", "rw"}


def _unknown_keyboard(namespace: str) -> Keyboard:
    return Keyboard.inline_rows([[button(_("🤷 Don't know"), namespace, "unknown")]])


def _problem_text(problem: Problem | None, amount: float | None, *, people: bool) -> str:
    if problem is Problem.MISSING_UNIT and amount is not None:
        if people:
            return _(
                "{amount} what? Please add the unit, e.g. “{amount} KK” or “{amount} jiwa”."
            ).format(amount=format_number(amount))
        return _(
            "{amount} what? Please add the unit, e.g. “{amount} m” or “{amount} unit”."
        ).format(amount=format_number(amount))
    if problem in {Problem.ZERO, Problem.NEGATIVE}:
        return _("The number must be more than zero. Please check it and send it again.")
    if problem is Problem.TOO_LARGE:
        return _("That number looks too large. Please check it and send it again.")
    if problem is Problem.NOT_WHOLE:
        return _("People are counted in whole numbers. Please send a whole number.")
    return _("I could not find a number in that answer. Please write a number and a unit.")


async def ask_volume(context: Context) -> None:
    """Ask how much is needed."""
    context.say(
        _(
            "How much is needed? Write the number and the unit.\n"
            "<i>Examples: 150 m, 1,5 km, 2 unit, 3 titik.</i> If you don't know, press the "
            "button."
        ),
        _unknown_keyboard(VOLUME_NAMESPACE),
    )


def _volume_record(volume: Volume) -> dict:
    if volume.unknown:
        return {"unknown": True, "text": volume.text}
    display = f"{format_number(volume.amount or 0)} {volume.unit}"
    if volume.approximate:
        display = "± " + display
    return {"value": volume.amount, "unit": volume.unit, "text": volume.text, "display": display}


async def handle_volume(context: Context) -> None:
    """Store the parsed volume, or explain what is missing."""
    if unpack(context.event.text) == (VOLUME_NAMESPACE, "unknown"):
        context.answer_callback()
        context.edit(_("Volume: not known"))
        context.update_draft(volume={"unknown": True, "text": ""})
        await flow.advance(context, "volume")
        return
    typed = await read_text(context, max_length=MAX_LENGTH)
    if typed is None:
        return
    volume = parse_volume(typed)
    if not volume.ok:
        context.say(
            _problem_text(volume.problem, volume.amount, people=False),
            _unknown_keyboard(VOLUME_NAMESPACE),
        )
        return
    record = _volume_record(volume)
    context.update_draft(volume=record)
    if not volume.unknown:
        context.say(_("Volume: {volume}").format(volume=escape(record["display"])))
    await flow.advance(context, "volume")


async def ask_beneficiaries(context: Context) -> None:
    """Ask who benefits."""
    context.say(
        _(
            "How many people will benefit?\n"
            "<i>Examples: 200 KK, about 300 jiwa, 1 dusun.</i> If you don't know, press the "
            "button."
        ),
        _unknown_keyboard(PEOPLE_NAMESPACE),
    )


def _people_record(people: Beneficiaries) -> dict:
    if people.unknown:
        return {"unknown": True, "text": people.text}
    value = people.quantity if people.group else people.count
    unit = people.unit or ""
    display = f"{format_number(value or 0)} {unit.upper() if unit in UPPER_UNITS else unit}"
    if people.approximate:
        display = "± " + display
    return {"value": value, "unit": people.unit, "text": people.text, "display": display}


async def handle_beneficiaries(context: Context) -> None:
    """Store the parsed beneficiaries, or explain what is missing."""
    if unpack(context.event.text) == (PEOPLE_NAMESPACE, "unknown"):
        context.answer_callback()
        context.edit(_("Beneficiaries: not known"))
        context.update_draft(beneficiaries={"unknown": True, "text": ""})
        await flow.advance(context, "beneficiaries")
        return
    typed = await read_text(context, max_length=MAX_LENGTH)
    if typed is None:
        return
    people = parse_beneficiaries(typed)
    if not people.ok:
        context.say(
            _problem_text(people.problem, people.quantity, people=True),
            _unknown_keyboard(PEOPLE_NAMESPACE),
        )
        return
    record = _people_record(people)
    context.update_draft(beneficiaries=record)
    if not people.unknown:
        context.say(_("Beneficiaries: {people}").format(people=escape(record["display"])))
    await flow.advance(context, "beneficiaries")


VOLUME_STEP = Step(
    flow.step_name("volume"), ask_volume, handle_volume, frozenset({VOLUME_NAMESPACE})
)
BENEFICIARIES_STEP = Step(
    flow.step_name("beneficiaries"),
    ask_beneficiaries,
    handle_beneficiaries,
    frozenset({PEOPLE_NAMESPACE}),
)
