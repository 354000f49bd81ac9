"""A step answered by one button out of a fixed set (bidang, urgency)."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from core.events import EventKind, Keyboard
from core.i18n import _
from handlers.callbacks import CallbackData
from handlers.intake import flow
from handlers.intake.inputs import ask_for_button
from handlers.router import Step

if TYPE_CHECKING:
    from handlers.context import Context
    from services.drafts import Draft


_LETTERS = re.compile(r"[a-z]+")


class Chosen(CallbackData):
    """The shape of a choice button's data; each step's kind narrows `value` to its enum."""

    value: str


def fold_label(text: str) -> str:
    """Return the words of a label or answer, lower case, without emoji or signs."""
    return " ".join(_LETTERS.findall(text.casefold().replace("_", " ")))


@dataclass(frozen=True)
class ChoiceStep:
    """One button per value; the chosen value is stored in the draft under `short`.

    `labels` maps stored values to untranslated (N_) button labels; `question` and
    `confirmation` return translated texts, the latter with a `{choice}` slot; `preview`
    returns the preview line showing a translated label. `after`, when set, runs once the
    value is stored and returns True when it has moved the conversation on itself.
    """

    short: str
    kind: type[Chosen]
    labels: dict[str, str]
    question: Callable[[], str]
    confirmation: Callable[[], str]
    preview: Callable[[str], str]
    after: Callable[[Context], Awaitable[bool]] | None = None

    def label(self, value: str) -> str:
        """Return the translated label of a stored value (the value itself if unknown)."""
        return _(self.labels[value]) if value in self.labels else value

    async def summary(self, _context: Context, draft: Draft) -> str:
        """Return the preview line of the chosen value."""
        return self.preview(self.label(getattr(draft, self.short) or ""))

    async def ask(self, context: Context) -> None:
        """Put the question with one button per value."""
        rows = [[self.kind(value=value).button(_(label))] for value, label in self.labels.items()]
        context.say(self.question(), Keyboard.inline_rows(rows))

    def typed_value(self, text: str) -> str | None:
        """Return the value whose button label (or name) was typed, e.g. "sangat mendesak"."""
        typed = fold_label(text)
        return next(
            (
                value
                for value, label in self.labels.items()
                if typed and typed in {fold_label(_(label)), fold_label(value)}
            ),
            None,
        )

    async def handle(self, context: Context) -> None:
        """Store the pressed (or typed) value, or ask for a button again."""
        pressed = context.pressed(self.kind)
        event = context.event
        if pressed is not None and pressed.value in self.labels:
            value = pressed.value
        elif event.kind is EventKind.TEXT and (typed := self.typed_value(event.text)):
            value = typed
        else:
            await ask_for_button(context)
            return
        context.answer_callback()
        context.edit(self.confirmation().format(choice=self.label(value)))
        context.update_draft(**{self.short: value})
        if self.after is not None and await self.after(context):
            return
        await flow.advance(context, self.short)

    def step(self) -> Step:
        """Return the step to register."""
        return Step(flow.step_name(self.short), self.ask, self.handle, frozenset({self.kind}))
