"""The buttons the officials' screens share: one typed kind each, carrying ids only.

Kept in one place because the card, the lists and the ranking point at each other's
screens. Every press is checked again against services.access with the person as stored
now, so a button left on the screen or made by hand changes nothing it may not.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from core.events import Button
from handlers.callbacks import CallbackData, Page, RecordId
from models.enums import Bidang
from services.access import Action

ActionCode = Literal["v", "r", "x", "m", "t", "f", "a", "d"]
ACTION_CODES: dict[Action, ActionCode] = {
    Action.VERIFY: "v",
    Action.RETURN: "r",
    Action.REJECT: "x",
    Action.MERGE: "m",
    Action.TAKE_UP: "t",
    Action.FORWARD: "f",
    Action.ACCEPT: "a",
    Action.DECLINE: "d",
}
ACTION_OF_CODE: dict[str, Action] = {code: action for action, code in ACTION_CODES.items()}


class OpenCard(CallbackData, prefix="up"):
    """Open a proposal's card."""

    proposal: RecordId


class CardAction(CallbackData, prefix="ac"):
    """An action on the card (correcting the program has its own kind)."""

    code: ActionCode
    proposal: RecordId

    @property
    def action(self) -> Action:
        """Return the action the code stands for."""
        return ACTION_OF_CODE[self.code]


class ShowPhotos(CallbackData, prefix="ft"):
    """Send a proposal's photos."""

    proposal: RecordId


class MergeTargets(CallbackData, prefix="mg"):
    """A page of the proposals a duplicate may join."""

    duplicate: RecordId
    page: Page


class MergeAsk(CallbackData, prefix="mt"):
    """Ask to confirm merging `duplicate` into `target`."""

    duplicate: RecordId
    target: RecordId


class MergeDo(CallbackData, prefix="mk"):
    """Merge `duplicate` into `target`."""

    duplicate: RecordId
    target: RecordId


class NoteChoice(CallbackData, prefix="nt"):
    """Go on without a note, or cancel the action waiting for one."""

    choice: Literal["skip", "cancel"]


class RankStart(CallbackData, prefix="rks"):
    """Start ranking one bidang, of the desa (`d`) or of the kecamatan (`k`)."""

    scope: Literal["d", "k"]
    bidang: Bidang


class RankPick(CallbackData, prefix="rka"):
    """Put a proposal next in the ranking."""

    proposal: RecordId


class RankMove(CallbackData, prefix="rk"):
    """Undo, start over, save or stop the ranking."""

    move: Literal["undo", "reset", "save", "stop"]


class DesaList(CallbackData, prefix="ds"):
    """The lurah's list: which proposals (see handlers.lurah.desa.FILTERS), order and page."""

    shown: Literal["s", "v", "k", "l", "t", "a"]
    order: Literal["n", "p"]
    page: Page


class KecamatanHome(CallbackData, prefix="kch"):
    """The camat's overview."""


class KecamatanList(CallbackData, prefix="kc"):
    """A page of one bidang in the camat's view."""

    bidang: Bidang
    page: Page


class ForwardAll(CallbackData, prefix="kf"):
    """Ask to forward every ranked proposal of a bidang, or do it."""

    step: Literal["ask", "do"]
    bidang: Bidang


class CorrectMatch(CallbackData, prefix="kr"):
    """Open the correction of a proposal's program."""

    proposal: RecordId


class CorrectPick(CallbackData, prefix="krp"):
    """Choose the offered program number `option` for the proposal."""

    proposal: RecordId
    option: int = Field(ge=1, le=9)


class CorrectClose(CallbackData, prefix="krx"):
    """Close the correction without changing the program."""

    proposal: RecordId


def action_button(text: str, action: Action, proposal_id: int) -> Button:
    """Return the button for an action on a proposal."""
    if action is Action.CORRECT_MATCH:
        return CorrectMatch(proposal=proposal_id).button(text)
    return CardAction(code=ACTION_CODES[action], proposal=proposal_id).button(text)
