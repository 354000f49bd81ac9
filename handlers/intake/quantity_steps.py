"""Steps: volume ("150 m", "1,5 km") and beneficiaries ("200 KK"); "don't know" is allowed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from core.events import Keyboard
from core.i18n import _
from handlers.callbacks import CallbackData
from handlers.context import escape
from handlers.intake import flow
from handlers.intake.inputs import read_text
from handlers.router import Step
from services.drafts import Quantity
from services.quantities import Problem, format_number, parse_beneficiaries, parse_volume

if TYPE_CHECKING:
    from handlers.context import Context
    from services.drafts import Draft

MAX_LENGTH = 100
UPPER_UNITS = {"kk", "rt", "rw"}


class VolumeUnknown(CallbackData, prefix="vol"):
    """The volume is not known."""


class PeopleUnknown(CallbackData, prefix="jiwa"):
    """The number of beneficiaries is not known."""


@dataclass(frozen=True)
class Reading:
    """What one quantity answer says, whichever parser read it."""

    ok: bool
    unknown: bool
    value: float | None
    unit: str | None
    approximate: bool
    problem: Problem | None
    text: str


def read_volume(text: str) -> Reading:
    """Read a volume answer."""
    volume = parse_volume(text)
    return Reading(
        volume.ok,
        volume.unknown,
        volume.amount,
        volume.unit,
        volume.approximate,
        volume.problem,
        volume.text,
    )


def read_people(text: str) -> Reading:
    """Read a beneficiaries answer; a group ("2 RT") keeps how many groups."""
    people = parse_beneficiaries(text)
    value = people.quantity if people.group or people.count is None else people.count
    return Reading(
        people.ok,
        people.unknown,
        value,
        people.unit,
        people.approximate,
        people.problem,
        people.text,
    )


def _record(reading: Reading) -> Quantity:
    if reading.unknown:
        return Quantity(unknown=True, text=reading.text)
    unit = reading.unit or ""
    display = (
        f"{format_number(reading.value or 0)} {unit.upper() if unit in UPPER_UNITS else unit}"
    )
    if reading.approximate:
        display = "± " + display
    return Quantity(value=reading.value, unit=reading.unit, text=reading.text, display=display)


def _problem_text(reading: Reading, unit_examples: Callable[[], str]) -> str:
    if reading.problem is Problem.MISSING_UNIT and reading.value is not None:
        return unit_examples().format(amount=format_number(reading.value))
    if reading.problem in {Problem.ZERO, Problem.NEGATIVE}:
        return _("The number must be more than zero. Please check it and send it again.")
    if reading.problem is Problem.TOO_LARGE:
        return _("That number looks too large. Please check it and send it again.")
    if reading.problem is Problem.NOT_WHOLE:
        return _("People are counted in whole numbers. Please send a whole number.")
    return _("I could not find a number in that answer. Please write a number and a unit.")


@dataclass(frozen=True)
class QuantityStep:
    """A step answered with a number and a unit, or with "don't know"."""

    short: str
    unknown: type[CallbackData]
    read: Callable[[str], Reading]
    question: Callable[[], str]
    unit_examples: Callable[[], str]
    confirmation: Callable[[], str]
    not_known: Callable[[], str]
    preview: Callable[[str], str]

    def _keyboard(self) -> Keyboard:
        return Keyboard.inline_rows([[self.unknown().button(_("🤷 Don't know"))]])

    async def ask(self, context: Context) -> None:
        """Put the question with a "don't know" button."""
        context.say(self.question(), self._keyboard())

    async def handle(self, context: Context) -> None:
        """Store the parsed answer, or explain what is missing and keep the step."""
        if context.pressed(self.unknown) is not None:
            context.answer_callback()
            context.edit(self.not_known())
            context.update_draft(**{self.short: Quantity(unknown=True)})
            await flow.advance(context, self.short)
            return
        typed = await read_text(context, max_length=MAX_LENGTH)
        if typed is None:
            return
        reading = self.read(typed)
        if not reading.ok:
            context.say(_problem_text(reading, self.unit_examples), self._keyboard())
            return
        record = _record(reading)
        context.update_draft(**{self.short: record})
        if not reading.unknown:
            context.say(self.confirmation().format(value=escape(record.display)))
        await flow.advance(context, self.short)

    async def summary(self, _context: Context, draft: Draft) -> str:
        """Return the preview line: the figure as read, or "not known"."""
        quantity: Quantity | None = getattr(draft, self.short)
        if quantity is None or quantity.unknown:
            return self.preview(_("not known"))
        return self.preview(escape(quantity.display or quantity.text))

    def step(self) -> Step:
        """Return the step to register."""
        return Step(flow.step_name(self.short), self.ask, self.handle, frozenset({self.unknown}))


VOLUME = QuantityStep(
    short="volume",
    unknown=VolumeUnknown,
    read=read_volume,
    question=lambda: _(
        "How much is needed? Write the number and the unit.\n"
        "<i>Examples: 150 m, 1,5 km, 2 unit, 3 titik.</i> If you don't know, press the "
        "button."
    ),
    unit_examples=lambda: _(
        "{amount} what? Please add the unit, e.g. “{amount} m” or “{amount} unit”."
    ),
    confirmation=lambda: _("Volume: {value}"),
    not_known=lambda: _("Volume: not known"),
    preview=lambda value: _("<b>Volume:</b> {volume}").format(volume=value),
)
BENEFICIARIES = QuantityStep(
    short="beneficiaries",
    unknown=PeopleUnknown,
    read=read_people,
    question=lambda: _(
        "How many people will benefit?\n"
        "<i>Examples: 200 KK, about 300 jiwa, 1 dusun.</i> If you don't know, press the "
        "button."
    ),
    unit_examples=lambda: _(
        "{amount} what? Please add the unit, e.g. “{amount} KK” or “{amount} jiwa”."
    ),
    confirmation=lambda: _("Beneficiaries: {value}"),
    not_known=lambda: _("Beneficiaries: not known"),
    preview=lambda value: _("<b>Beneficiaries:</b> {beneficiaries}").format(beneficiaries=value),
)
VOLUME_STEP = VOLUME.step()
BENEFICIARIES_STEP = BENEFICIARIES.step()
