"""The access rules, role by role, on one proposal of Talang Ulu (Lebong Utara)."""

import pytest

from models.enums import Role, Status
from models.proposals import Proposal
from models.users import User
from services.access import (
    Action,
    bappeda_may_move,
    may,
    may_invite,
    may_review_desa,
    may_review_kecamatan,
    role_of,
)
from tests.proposal_factories import DESA, KECAMATAN, OTHER_DESA

ADMIN_BY_SETTING = 77
ADMINS = [ADMIN_BY_SETTING]
PROPOSER = User(telegram_id=1, role=Role.WARGA)
NEIGHBOUR = User(telegram_id=2, role=Role.WARGA)
LURAH = User(telegram_id=3, role=Role.LURAH, region_code=DESA)
OTHER_LURAH = User(telegram_id=4, role=Role.LURAH, region_code=OTHER_DESA)
CAMAT = User(telegram_id=5, role=Role.CAMAT, region_code=KECAMATAN)
OTHER_CAMAT = User(telegram_id=6, role=Role.CAMAT, region_code="17.07.02")
BAPPEDA = User(telegram_id=7, role=Role.BAPPEDA)
SETTING_ADMIN = User(telegram_id=ADMIN_BY_SETTING, role=Role.WARGA)
EVERYONE = [PROPOSER, NEIGHBOUR, LURAH, OTHER_LURAH, CAMAT, OTHER_CAMAT, BAPPEDA, SETTING_ADMIN]


def proposal(status: Status) -> Proposal:
    return Proposal(
        id=10,
        tracking_code="LBG-24-ABCDE",
        proposer_id=PROPOSER.telegram_id,
        kecamatan_code=KECAMATAN,
        desa_code=DESA,
        bidang="infrastruktur",
        title="Jalan",
        status=status,
    )


def who_may(action: Action, status: Status) -> set[int]:
    item = proposal(status)
    return {user.telegram_id for user in EVERYONE if may(user, action, item, admin_ids=ADMINS)}


def test_the_full_proposal_is_for_its_proposer_its_officials_and_bappeda():
    assert who_may(Action.VIEW_FULL, Status.DIAJUKAN) == {1, 3, 5, 7, 77}


@pytest.mark.parametrize("action", [Action.VERIFY, Action.MERGE])
def test_only_this_desas_lurah_verifies_and_merges(action):
    assert who_may(action, Status.DIAJUKAN) == {3}
    assert who_may(action, Status.DITOLAK) == set()


def test_returning_is_for_the_lurah_first_and_then_the_camat():
    assert who_may(Action.RETURN, Status.DIAJUKAN) == {3}
    assert who_may(Action.RETURN, Status.DIVERIFIKASI) == {3, 5}
    assert who_may(Action.RETURN, Status.DIBAHAS_KECAMATAN) == {5}
    assert who_may(Action.RETURN, Status.DITERUSKAN_OPD) == set()


def test_only_this_camat_takes_up_and_forwards():
    assert who_may(Action.TAKE_UP, Status.DIVERIFIKASI) == {5}
    assert who_may(Action.TAKE_UP, Status.DIAJUKAN) == set()
    assert who_may(Action.FORWARD, Status.DIBAHAS_KECAMATAN) == {5}
    assert who_may(Action.FORWARD, Status.DIVERIFIKASI) == set()


def test_ranking_needs_the_stage_of_the_rank():
    assert who_may(Action.RANK_DESA, Status.DIVERIFIKASI) == {3}
    assert who_may(Action.RANK_DESA, Status.DIAJUKAN) == set()
    assert who_may(Action.RANK_KECAMATAN, Status.DIBAHAS_KECAMATAN) == {5}


def test_results_and_corrections_are_bappedas():
    assert who_may(Action.ACCEPT, Status.DITERUSKAN_OPD) == {7, 77}
    assert who_may(Action.DECLINE, Status.DIVERIFIKASI) == {7, 77}
    assert who_may(Action.ACCEPT, Status.DITOLAK) == set()
    assert who_may(Action.CORRECT_MATCH, Status.DITOLAK) == {7, 77}


def test_only_the_proposer_resends_and_only_a_returned_proposal():
    assert who_may(Action.RESUBMIT, Status.DIKEMBALIKAN) == {1}
    assert who_may(Action.RESUBMIT, Status.DIAJUKAN) == set()


def test_a_deleted_proposer_is_nobody():
    item = proposal(Status.DIKEMBALIKAN)
    item.proposer_id = None
    assert not may(User(telegram_id=0), Action.RESUBMIT, item, admin_ids=ADMINS)


def test_bappeda_may_skip_forums_held_without_the_bot_but_not_reopen_closed_proposals():
    assert bappeda_may_move(Status.DIVERIFIKASI, Status.DIAKOMODIR)
    assert bappeda_may_move(Status.DIAJUKAN, Status.DITERUSKAN_OPD)
    assert bappeda_may_move(Status.DIAKOMODIR, Status.TIDAK_DIAKOMODIR)
    assert not bappeda_may_move(Status.DITERUSKAN_OPD, Status.DIVERIFIKASI)
    assert not bappeda_may_move(Status.DITOLAK, Status.DIAKOMODIR)
    assert not bappeda_may_move(Status.DIGABUNG, Status.DIAKOMODIR)
    assert not bappeda_may_move(Status.DIAKOMODIR, Status.DIAKOMODIR)


def test_roles_come_from_the_user_and_the_admin_setting():
    assert role_of(SETTING_ADMIN, ADMINS) is Role.BAPPEDA
    assert role_of(LURAH, ADMINS) is Role.LURAH
    assert role_of(None, ADMINS) is Role.WARGA
    assert may_invite(BAPPEDA, [])
    assert may_invite(SETTING_ADMIN, ADMINS)
    assert not may_invite(LURAH, ADMINS)
    assert may_review_desa(LURAH, DESA)
    assert not may_review_desa(OTHER_LURAH, DESA)
    assert not may_review_desa(CAMAT, DESA)
    assert may_review_kecamatan(CAMAT, KECAMATAN)
    assert not may_review_kecamatan(OTHER_CAMAT, KECAMATAN)
    assert not may_review_kecamatan(LURAH, None)
