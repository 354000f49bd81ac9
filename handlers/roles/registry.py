"""Register everything officials use, and the pieces residents need for their moves."""

from __future__ import annotations

from typing import TYPE_CHECKING

from handlers.bappeda import correct, invite, status_import
from handlers.camat import kecamatan
from handlers.lurah import desa
from handlers.review import actions, ranking
from handlers.roles import accept
from handlers.tracking import resubmit

if TYPE_CHECKING:
    from handlers.router import Router


def register(router: Router) -> None:
    """Add the officials' commands (in menu order), their buttons and steps, and the invites."""
    desa.register(router)
    kecamatan.register(router)
    invite.register(router)
    status_import.register(router)
    correct.register(router)
    actions.register(router)
    ranking.register(router)
    accept.register(router)
    resubmit.register(router)
