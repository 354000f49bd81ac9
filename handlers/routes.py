"""Every command, button namespace and step, registered in one place.

Order matters for the menu and Telegram's command list: commands appear as registered.
"""

from __future__ import annotations

from handlers import cancel, consent, delete_data, help, menu, my_proposals, start, status
from handlers.intake import steps as intake
from handlers.router import Router


def build_router() -> Router:
    """Return the router with every handler module registered."""
    router = Router()
    start.register(router)
    intake.register(router)
    my_proposals.register(router)
    status.register(router)
    consent.register(router)
    menu.register(router)
    help.register(router)
    cancel.register(router)
    delete_data.register(router)
    return router
