"""Where an event goes: commands, button kinds and conversation steps.

The tables are generic in the context their handlers take, so this module needs nothing of
`handlers.context` (which holds the router it is given).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from handlers.callbacks import CallbackData

ContextT = TypeVar("ContextT")
Handler = Callable[[ContextT], Awaitable[None]]


@dataclass(frozen=True)
class Step(Generic[ContextT]):
    """One conversation step: `ask` puts the question, `handle` takes the answer.

    `buttons` lists the kinds of button this step's keyboards use; a press on one of them
    while the chat is in another step comes from an old message. `next` names the step
    that follows once this one is answered, in a sequence of steps.
    """

    name: str
    ask: Handler[ContextT]
    handle: Handler[ContextT]
    buttons: frozenset[type[CallbackData]] = frozenset()
    next: str | None = None


@dataclass(frozen=True)
class Command(Generic[ContextT]):
    """A slash command; `menu_label` puts it in the main menu, `describe` in Telegram's list.

    `roles` limits the menus and lists it appears in to those roles (empty: everyone);
    the handler itself still checks who may use it.
    """

    name: str
    handler: Handler[ContextT]
    describe: str
    aliases: tuple[str, ...] = ()
    menu_label: str | None = None
    needs_consent: bool = True
    roles: frozenset[str] = frozenset()

    def shown_to(self, role: str) -> bool:
        """Return whether menus and command lists show this command to `role`."""
        return not self.roles or role in self.roles


@dataclass
class Router(Generic[ContextT]):
    """The tables the dispatcher looks events up in."""

    commands: dict[str, Command[ContextT]] = field(default_factory=dict)
    command_order: list[str] = field(default_factory=list)
    callbacks: dict[str, Handler[ContextT]] = field(default_factory=dict)
    open_callbacks: set[str] = field(default_factory=set)
    steps: dict[str, Step[ContextT]] = field(default_factory=dict)
    step_of_prefix: dict[str, str] = field(default_factory=dict)

    def add_command(self, command: Command[ContextT]) -> None:
        """Register a command under its name and aliases."""
        self.command_order.append(command.name)
        for name in (command.name, *command.aliases):
            if name in self.commands:
                msg = f"command registered twice: {name}"
                raise ValueError(msg)
            self.commands[name] = command

    def add_callback(
        self,
        kind: type[CallbackData],
        handler: Handler[ContextT],
        *,
        before_consent: bool = False,
    ) -> None:
        """Register a handler for buttons of `kind` that work whatever the step."""
        prefix = kind.prefix
        if prefix in self.callbacks:
            msg = f"callback kind registered twice: {prefix}"
            raise ValueError(msg)
        self.callbacks[prefix] = handler
        if before_consent:
            self.open_callbacks.add(prefix)

    def add_step(self, step: Step[ContextT]) -> None:
        """Register a conversation step and the button kinds it owns."""
        if step.name in self.steps:
            msg = f"step registered twice: {step.name}"
            raise ValueError(msg)
        self.steps[step.name] = step
        for kind in step.buttons:
            self.step_of_prefix[kind.prefix] = step.name

    def ordered_commands(self) -> list[Command[ContextT]]:
        """Return each command once, in registration order."""
        return [self.commands[name] for name in self.command_order]
