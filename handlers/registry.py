"""Every command, button kind and step, registered in one place.

Order matters for the menu and Telegram's command list: commands appear as registered.
"""

from __future__ import annotations

from handlers.bappeda import summary
from handlers.calendar import commands as calendar
from handlers.common import cancel, consent, delete_data, help, menu, start
from handlers.context import Context
from handlers.intake import steps as intake
from handlers.roles import registry as officials
from handlers.router import Router
from handlers.tracking import my_proposals, status


def build_router() -> Router[Context]:
    """Return the router with every handler module registered."""
    router: Router[Context] = Router()
    start.register(router)
    officials.register(router)
    intake.register(router)
    my_proposals.register(router)
    status.register(router)
    calendar.register(router)
    consent.register(router)
    menu.register(router)
    help.register(router)
    cancel.register(router)
    delete_data.register(router)
    summary.register(router)
    return router
