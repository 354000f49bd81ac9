"""Where an event goes: commands, button namespaces and conversation steps."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from handlers.context import Context

Handler = Callable[["Context"], Awaitable[None]]


@dataclass(frozen=True)
class Step:
    """One conversation step: `ask` puts the question, `handle` takes the answer.

    `buttons` lists the callback namespaces this step's keyboards use; a press on one of
    them while the chat is in another step comes from an old message.
    """

    name: str
    ask: Handler
    handle: Handler
    buttons: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Command:
    """A slash command; `menu_label` puts it in the main menu, `describe` in Telegram's list.

    `roles` limits the menus and lists it appears in to those roles (empty: everyone);
    the handler itself still checks who may use it.
    """

    name: str
    handler: Handler
    describe: str
    aliases: tuple[str, ...] = ()
    menu_label: str | None = None
    needs_consent: bool = True
    roles: frozenset[str] = frozenset()

    def shown_to(self, role: str) -> bool:
        """Return whether menus and command lists show this command to `role`."""
        return not self.roles or role in self.roles


@dataclass
class Router:
    """The tables the dispatcher looks events up in."""

    commands: dict[str, Command] = field(default_factory=dict)
    command_order: list[str] = field(default_factory=list)
    callbacks: dict[str, Handler] = field(default_factory=dict)
    open_callbacks: set[str] = field(default_factory=set)
    steps: dict[str, Step] = field(default_factory=dict)
    step_of_namespace: dict[str, str] = field(default_factory=dict)

    def add_command(self, command: Command) -> None:
        """Register a command under its name and aliases."""
        self.command_order.append(command.name)
        for name in (command.name, *command.aliases):
            if name in self.commands:
                msg = f"command registered twice: {name}"
                raise ValueError(msg)
            self.commands[name] = command

    def add_callback(
        self, namespace: str, handler: Handler, *, before_consent: bool = False
    ) -> None:
        """Register a handler for buttons of `namespace` that work whatever the step."""
        if namespace in self.callbacks:
            msg = f"callback namespace registered twice: {namespace}"
            raise ValueError(msg)
        self.callbacks[namespace] = handler
        if before_consent:
            self.open_callbacks.add(namespace)

    def add_step(self, step: Step) -> None:
        """Register a conversation step and the button namespaces it owns."""
        if step.name in self.steps:
            msg = f"step registered twice: {step.name}"
            raise ValueError(msg)
        self.steps[step.name] = step
        for namespace in step.buttons:
            self.step_of_namespace[namespace] = step.name

    def ordered_commands(self) -> list[Command]:
        """Return each command once, in registration order."""
        return [self.commands[name] for name in self.command_order]
