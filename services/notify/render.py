"""Turn an outbox row into replies at send time, in the recipient's language.

A feature registers one renderer per kind (in its handlers module; the composition root in
``bot/app.py`` passes them to the sender). Rows of kind ``"reply"`` hold a reply rendered
while the update was handled and need no renderer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from core.i18n import DEFAULT_LOCALE, use_locale
from models.users import get_user
from services.notify.outbox import REPLY_KIND
from services.notify.replies import reply_from_payload

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Mapping
    from datetime import datetime

    from sqlmodel.ext.asyncio.session import AsyncSession

    from core.config import Settings
    from core.events import Reply
    from models.users import User


@dataclass(frozen=True, slots=True)
class Rendering:
    """What a renderer gets: the row's payload, its recipient, and a session to look names up."""

    session: AsyncSession
    recipient_id: int
    recipient: User | None
    payload: dict[str, Any]
    settings: Settings
    now: datetime


class UnknownKindError(LookupError):
    """No renderer is registered for a row's kind."""


class Renderers:
    """The renderer of each notification kind."""

    def __init__(
        self, renderers: Mapping[str, Callable[[Rendering], Awaitable[list[Reply]]]] | None = None
    ) -> None:
        self._table: dict[str, Callable[[Rendering], Awaitable[list[Reply]]]] = {}
        for kind, renderer in (renderers or {}).items():
            self.add(kind, renderer)

    def add(self, kind: str, renderer: Callable[[Rendering], Awaitable[list[Reply]]]) -> None:
        """Register the renderer of `kind`; a kind has exactly one."""
        if kind == REPLY_KIND or kind in self._table:
            msg = f"a renderer for {kind!r} is registered already"
            raise ValueError(msg)
        self._table[kind] = renderer

    def kinds(self) -> list[str]:
        """Return the registered kinds."""
        return sorted(self._table)

    async def render(
        self,
        session: AsyncSession,
        *,
        kind: str,
        recipient_id: int,
        payload: dict[str, Any],
        settings: Settings,
        now: datetime,
    ) -> list[Reply]:
        """Return the replies for one row, in the recipient's language.

        Raises:
            UnknownKindError: Nothing renders `kind`.
        """
        if kind == REPLY_KIND:
            return [reply_from_payload(payload)]
        renderer = self._table.get(kind)
        if renderer is None:
            msg = f"no renderer for {kind!r}"
            raise UnknownKindError(msg)
        recipient = await get_user(session, recipient_id)
        locale = recipient.language if recipient is not None else DEFAULT_LOCALE
        with use_locale(locale):
            return await renderer(
                Rendering(
                    session=session,
                    recipient_id=recipient_id,
                    recipient=recipient,
                    payload=payload,
                    settings=settings,
                    now=now,
                )
            )
