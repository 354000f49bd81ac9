"""Everything one step needs while handling one event, and the replies it collects."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from core.events import AnswerCallback, EditText, Event, EventKind, Keyboard, Reply, SendText
from services.drafts import Draft

if TYPE_CHECKING:
    from datetime import datetime

    from sqlmodel.ext.asyncio.session import AsyncSession

    from core.config import Settings
    from core.events import FileSource
    from handlers.callbacks import CallbackData
    from handlers.router import Router
    from models.conversations import Conversation
    from models.users import User
    from services.registry import Services

PressedT = TypeVar("PressedT", bound="CallbackData")


def escape(text: str) -> str:
    """Escape user-supplied text for Telegram's HTML parse mode."""
    return html.escape(text, quote=False)


@dataclass
class Context:
    """The event being handled, its chat's state, and the replies so far."""

    event: Event
    session: AsyncSession
    conversation: Conversation
    user: User
    settings: Settings
    now: datetime
    services: Services
    router: Router[Context]
    files: FileSource | None = None
    bot_username: str | None = None
    replies: list[Reply] = field(default_factory=list)
    _callback_answered: bool = False

    @property
    def chat_id(self) -> int:
        """Return the chat the replies go to."""
        return self.event.chat_id

    @property
    def step(self) -> str:
        """Return the conversation step the chat is in."""
        return self.conversation.step

    def pressed(self, kind: type[PressedT]) -> PressedT | None:
        """Return the pressed button's data if it is of `kind` and well formed, else None."""
        if self.event.kind is not EventKind.CALLBACK:
            return None
        return kind.parse(self.event.text)

    @property
    def draft(self) -> Draft:
        """Return a copy of the draft; store changes with `save_draft` or `update_draft`."""
        return Draft.load(self.conversation.draft or {})

    def save_draft(self, draft: Draft) -> None:
        """Store the whole draft (a new dict, so the JSON column sees the change)."""
        self.conversation.draft = draft.dump()

    def update_draft(self, **fields: Any) -> None:
        """Change some fields of the draft; a name the draft does not have is an error."""
        self.save_draft(Draft.model_validate({**self.draft.model_dump(), **fields}))

    def screen(self, key: str) -> dict[str, Any]:
        """Return a copy of the state an official's screen keeps between presses."""
        return dict(self.draft.screens.get(key) or {})

    def set_screen(self, key: str, state: dict[str, Any]) -> None:
        """Keep a screen's state until the next press."""
        draft = self.draft
        self.save_draft(draft.model_copy(update={"screens": {**draft.screens, key: state}}))

    def leave_screen(self, key: str) -> dict[str, Any]:
        """Forget a screen's state and return what it was."""
        draft = self.draft
        screens = dict(draft.screens)
        state = screens.pop(key, None) or {}
        self.save_draft(draft.model_copy(update={"screens": screens}))
        return state

    def go(self, step: str) -> None:
        """Move the chat to `step`."""
        self.conversation.step = step

    def say(
        self, text: str, keyboard: Keyboard | None = None, *, remove_keyboard: bool = False
    ) -> None:
        """Send a message to the chat."""
        self.replies.append(
            SendText(self.chat_id, text, keyboard=keyboard, remove_keyboard=remove_keyboard)
        )

    def edit(self, text: str, keyboard: Keyboard | None = None) -> None:
        """Edit the message whose button was pressed, or send anew when there is none."""
        if self.event.kind is EventKind.CALLBACK and self.event.message_id is not None:
            self.replies.append(EditText(self.chat_id, self.event.message_id, text, keyboard))
        else:
            self.say(text, keyboard)

    def answer_callback(self, text: str | None = None) -> None:
        """Stop the pressed button's spinner, once per event."""
        if self.event.callback_id and not self._callback_answered:
            self._callback_answered = True
            self.replies.append(AnswerCallback(self.event.callback_id, text))

    async def ask_current_step(self) -> bool:
        """Put the current step's question again; return False when the chat is idle."""
        step = self.router.steps.get(self.step)
        if step is None:
            return False
        await step.ask(self)
        return True

    def finish(self) -> list[Reply]:
        """Return the replies, answering a pressed button if no step did."""
        self.answer_callback()
        return self.replies
