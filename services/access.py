"""Who may see and do what: every rule about roles, places and proposals in one module.

Handlers ask here before showing a button and again when it is pressed, with the person
as stored now: a button left on the screen after a role was taken away does nothing.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from models.enums import Role, Status
from services.lifecycle import can_move

if TYPE_CHECKING:
    from collections.abc import Collection

    from models.proposals import Proposal
    from models.users import User


class Action(StrEnum):
    """Something an official or a proposer does to one proposal."""

    VIEW_FULL = "view_full"
    VERIFY = "verify"
    RETURN = "return"
    REJECT = "reject"
    MERGE = "merge"
    RANK_DESA = "rank_desa"
    TAKE_UP = "take_up"
    FORWARD = "forward"
    RANK_KECAMATAN = "rank_kecamatan"
    ACCEPT = "accept"
    DECLINE = "decline"
    CORRECT_MATCH = "correct_match"
    RESUBMIT = "resubmit"


#: The status each moving action leads to.
TARGET_STATUS: dict[Action, Status] = {
    Action.VERIFY: Status.DIVERIFIKASI,
    Action.RETURN: Status.DIKEMBALIKAN,
    Action.REJECT: Status.DITOLAK,
    Action.MERGE: Status.DIGABUNG,
    Action.TAKE_UP: Status.DIBAHAS_KECAMATAN,
    Action.FORWARD: Status.DITERUSKAN_OPD,
    Action.ACCEPT: Status.DIAKOMODIR,
    Action.DECLINE: Status.TIDAK_DIAKOMODIR,
    Action.RESUBMIT: Status.DIAJUKAN,
}

#: The statuses a lurah works on (the Musrenbang Desa) and a camat (the Musrenbangcam).
DESA_STAGE = frozenset({Status.DIAJUKAN, Status.DIKEMBALIKAN, Status.DIVERIFIKASI})
KECAMATAN_STAGE = frozenset({Status.DIVERIFIKASI, Status.DIBAHAS_KECAMATAN})

LURAH_ACTIONS = frozenset({Action.VERIFY, Action.RETURN, Action.REJECT, Action.MERGE})
CAMAT_ACTIONS = frozenset({Action.TAKE_UP, Action.FORWARD, Action.RETURN, Action.REJECT})
BAPPEDA_ACTIONS = frozenset({Action.ACCEPT, Action.DECLINE})

#: The road a proposal travels; Bappeda may record a later point on it directly, because
#: the forums also happen where nobody used the bot.
MAIN_ROAD = (
    Status.DIAJUKAN,
    Status.DIVERIFIKASI,
    Status.DIBAHAS_KECAMATAN,
    Status.DITERUSKAN_OPD,
)
RESULTS = frozenset({Status.DIAKOMODIR, Status.TIDAK_DIAKOMODIR})


def is_bappeda(user: User | None, admin_ids: Collection[int]) -> bool:
    """Return whether the person is a Bappeda admin (by setting or by invite)."""
    if user is None:
        return False
    return user.telegram_id in admin_ids or user.role == Role.BAPPEDA


def role_of(user: User | None, admin_ids: Collection[int]) -> Role:
    """Return the role the person acts in now."""
    if user is None:
        return Role.WARGA
    if is_bappeda(user, admin_ids):
        return Role.BAPPEDA
    return Role(user.role)


def is_lurah_of(user: User | None, desa_code: str) -> bool:
    """Return whether the person is the lurah / kepala desa of `desa_code`."""
    return user is not None and user.role == Role.LURAH and user.region_code == desa_code


def is_camat_of(user: User | None, kecamatan_code: str) -> bool:
    """Return whether the person is the camat of `kecamatan_code`."""
    return user is not None and user.role == Role.CAMAT and user.region_code == kecamatan_code


def is_proposer(user: User | None, proposal: Proposal) -> bool:
    """Return whether the person submitted the proposal."""
    return (
        user is not None
        and proposal.proposer_id is not None
        and proposal.proposer_id == user.telegram_id
    )


def bappeda_may_move(from_status: Status, to_status: Status) -> bool:
    """Return whether Bappeda may record this move (a regular one, a skip ahead, a result fix)."""
    if from_status == to_status:
        return False
    if can_move(from_status, to_status):
        return True
    if from_status in RESULTS and to_status in RESULTS:
        return True
    if from_status not in MAIN_ROAD:
        return False
    later = [*MAIN_ROAD[MAIN_ROAD.index(from_status) + 1 :], *RESULTS]
    return to_status in later


def may(
    user: User | None, action: Action, proposal: Proposal, *, admin_ids: Collection[int]
) -> bool:
    """Return whether the person may do `action` to `proposal` now."""
    status = Status(proposal.status)
    if action is Action.VIEW_FULL:
        return (
            is_proposer(user, proposal)
            or is_bappeda(user, admin_ids)
            or is_lurah_of(user, proposal.desa_code)
            or is_camat_of(user, proposal.kecamatan_code)
        )
    if action is Action.RESUBMIT:
        return is_proposer(user, proposal) and status == Status.DIKEMBALIKAN
    if action is Action.CORRECT_MATCH:
        return is_bappeda(user, admin_ids)
    if action is Action.RANK_DESA:
        return is_lurah_of(user, proposal.desa_code) and status == Status.DIVERIFIKASI
    if action is Action.RANK_KECAMATAN:
        return is_camat_of(user, proposal.kecamatan_code) and status in KECAMATAN_STAGE
    target = TARGET_STATUS[action]
    if action in BAPPEDA_ACTIONS:
        return is_bappeda(user, admin_ids) and bappeda_may_move(status, target)
    if not can_move(status, target):
        return False
    if action in LURAH_ACTIONS and is_lurah_of(user, proposal.desa_code) and status in DESA_STAGE:
        return True
    return (
        action in CAMAT_ACTIONS
        and is_camat_of(user, proposal.kecamatan_code)
        and status in KECAMATAN_STAGE
    )


def allowed_actions(
    user: User | None,
    proposal: Proposal,
    candidates: Collection[Action],
    *,
    admin_ids: Collection[int],
) -> list[Action]:
    """Return the candidates the person may do to the proposal now, in the given order."""
    return [action for action in candidates if may(user, action, proposal, admin_ids=admin_ids)]


def may_see_proposer_name(
    user: User | None, proposal: Proposal, *, admin_ids: Collection[int]
) -> bool:
    """Return whether the person may see who proposed it (officials of its place, Bappeda).

    Phone numbers and Telegram ids are never shown to anyone.
    """
    return may(user, Action.VIEW_FULL, proposal, admin_ids=admin_ids)


def may_review_desa(user: User | None, desa_code: str | None) -> bool:
    """Return whether the person may open the village view of `desa_code`."""
    return desa_code is not None and is_lurah_of(user, desa_code)


def may_review_kecamatan(user: User | None, kecamatan_code: str | None) -> bool:
    """Return whether the person may open the kecamatan view of `kecamatan_code`."""
    return kecamatan_code is not None and is_camat_of(user, kecamatan_code)


def may_invite(user: User | None, admin_ids: Collection[int]) -> bool:
    """Return whether the person may invite lurah, camat and Bappeda admins."""
    return is_bappeda(user, admin_ids)
