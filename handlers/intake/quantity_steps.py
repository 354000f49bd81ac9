"""Steps: volume ("150 m", "1,5 km") and beneficiaries ("200 KK"); "don't know" is allowed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from core.events import Keyboard
from core.formatting import format_number
from core.i18n import _
from handlers.callbacks import CallbackData
from handlers.context import escape
from handlers.intake import flow
from handlers.intake.inputs import read_text
from handlers.router import Step
from services.drafts import Quantity
from services.quantities import (
    Beneficiaries,
    Problem,
    Volume,
    parse_beneficiaries,
    parse_volume,
)

if TYPE_CHECKING:
    from handlers.context import Context
    from services.drafts import Draft

MAX_LENGTH = 100
UPPER_UNITS = {"kk", "rt", "rw"}


class VolumeUnknown(CallbackData, prefix="vol"):
    """The volume is not known."""


class PeopleUnknown(CallbackData, prefix="jiwa"):
    """The number of beneficiaries is not known."""


Parsed = Volume | Beneficiaries


def _amount(parsed: Parsed) -> float | None:
    """Return the figure read: a volume's amount, or how many people or groups ("2 RT")."""
    return parsed.amount if isinstance(parsed, Volume) else parsed.quantity


def _record(parsed: Parsed) -> Quantity:
    if parsed.unknown:
        return Quantity(unknown=True, text=parsed.text)
    unit = parsed.unit or ""
    display = (
        f"{format_number(_amount(parsed) or 0)} {unit.upper() if unit in UPPER_UNITS else unit}"
    )
    if parsed.approximate:
        display = "± " + display
    if isinstance(parsed, Beneficiaries) and parsed.people is not None:
        count, people_unit = parsed.people
        shown_unit = people_unit.upper() if people_unit in UPPER_UNITS else people_unit
        display += f" ({format_number(count)} {shown_unit})"
    return Quantity(value=_amount(parsed), unit=parsed.unit, text=parsed.text, display=display)


def _problem_text(
    parsed: Parsed, unit_examples: Callable[[], str], wrong_unit: Callable[[], str]
) -> str:
    amount = _amount(parsed)
    if parsed.problem is Problem.WRONG_UNIT:
        return wrong_unit().format(typed=escape(parsed.text.strip()))
    if parsed.problem is Problem.MISSING_UNIT and amount is not None:
        return unit_examples().format(amount=format_number(amount))
    if parsed.problem in {Problem.ZERO, Problem.NEGATIVE}:
        return _("The number must be more than zero. Please check it and send it again.")
    if parsed.problem is Problem.TOO_LARGE:
        return _("That number looks too large. Please check it and send it again.")
    if parsed.problem is Problem.NOT_WHOLE:
        return _("People are counted in whole numbers. Please send a whole number.")
    return _("I could not find a number in that answer. Please write a number and a unit.")


@dataclass(frozen=True)
class QuantityStep:
    """A step answered with a number and a unit, or with "don't know"."""

    short: str
    unknown: type[CallbackData]
    read: Callable[[str], Parsed]
    question: Callable[[], str]
    unit_examples: Callable[[], str]
    wrong_unit: Callable[[], str]
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
        parsed = self.read(typed)
        if not parsed.ok:
            context.say(
                _problem_text(parsed, self.unit_examples, self.wrong_unit), self._keyboard()
            )
            return
        record = _record(parsed)
        context.update_draft(**{self.short: record})
        if not parsed.unknown:
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
    read=parse_volume,
    question=lambda: _(
        "How much is needed? Write the number and the unit.\n"
        "<i>Examples: 150 m, 1,5 km, 2 unit, 3 titik.</i> If you don't know, press the "
        "button."
    ),
    unit_examples=lambda: _(
        "{amount} what? Please add the unit, e.g. “{amount} m” or “{amount} unit”."
    ),
    wrong_unit=lambda: _(
        "“{typed}” counts people or places, not how much is needed. Please write the volume "
        "with a unit such as m, km, unit or titik; who benefits is asked next."
    ),
    confirmation=lambda: _("Volume: {value}"),
    not_known=lambda: _("Volume: not known"),
    preview=lambda value: _("<b>Volume:</b> {volume}").format(volume=value),
)
BENEFICIARIES = QuantityStep(
    short="beneficiaries",
    unknown=PeopleUnknown,
    read=parse_beneficiaries,
    question=lambda: _(
        "How many people will benefit?\n"
        "<i>Examples: 200 KK, about 300 jiwa, 1 dusun.</i> If you don't know, press the "
        "button."
    ),
    unit_examples=lambda: _(
        "{amount} what? Please add the unit, e.g. “{amount} KK” or “{amount} jiwa”."
    ),
    wrong_unit=lambda: _(
        "“{typed}” is a length or a number of things, not people. Please write how many "
        "people or households benefit, e.g. 200 KK or 300 jiwa."
    ),
    confirmation=lambda: _("Beneficiaries: {value}"),
    not_known=lambda: _("Beneficiaries: not known"),
    preview=lambda value: _("<b>Beneficiaries:</b> {beneficiaries}").format(beneficiaries=value),
)
VOLUME_STEP = VOLUME.step()
BENEFICIARIES_STEP = BENEFICIARIES.step()
