"""Every button the officials' screens use: namespaces and the shape of their values.

Kept in one place so the move to typed callback data touches one module. Values are
short (Telegram allows 64 bytes) and carry ids only; every press is checked again
against services.access with the person as stored now.
"""

from __future__ import annotations

from core.events import Button
from handlers.callbacks import button, unpack
from services.access import Action

OPEN = "up"  # up:<proposal id>                       open the card
ACT = "ac"  # ac:<action>:<proposal id>               an action on the card
PHOTOS = "ft"  # ft:<proposal id>                     send the photos
MERGE_LIST = "mg"  # mg:<duplicate id>:<page>         choose the proposal it duplicates
MERGE_ASK = "mt"  # mt:<duplicate id>:<target id>     confirm the merge
MERGE_DO = "mk"  # mk:<duplicate id>:<target id>      merge
NOTE = "nt"  # nt:skip | nt:cancel                    the note step's buttons
RANK = "rk"  # rk:start:<scope>:<bidang> | rk:add:<id> | rk:undo | rk:save | rk:stop
DESA = "ds"  # ds:<filter>:<order>:<page>             the lurah's list
KECAMATAN = "kc"  # kc:home | kc:<bidang>:<page>       the camat's views
FORWARD_ALL = "kf"  # kf:ask:<bidang> | kf:do:<bidang>  forward every ranked proposal
CORRECT = "kr"  # kr:<proposal id> | kr:<proposal id>:<option>   correct the program match

ACTION_CODES: dict[Action, str] = {
    Action.VERIFY: "v",
    Action.RETURN: "r",
    Action.REJECT: "x",
    Action.MERGE: "m",
    Action.TAKE_UP: "t",
    Action.FORWARD: "f",
    Action.ACCEPT: "a",
    Action.DECLINE: "d",
}
ACTION_OF_CODE = {code: action for action, code in ACTION_CODES.items()}


def action_button(text: str, action: Action, proposal_id: int) -> Button:
    """Return the button for an action on a proposal (correcting the program has its own)."""
    if action is Action.CORRECT_MATCH:
        return button(text, CORRECT, str(proposal_id))
    return button(text, ACT, f"{ACTION_CODES[action]}:{proposal_id}")


def parts(data: str) -> list[str]:
    """Return the value of callback data split at colons (the namespace left out)."""
    _namespace, value = unpack(data)
    return value.split(":") if value else []


def number(text: str) -> int | None:
    """Return a decimal id or page number, or None for anything else."""
    return int(text) if text.isdigit() and len(text) < 12 else None
