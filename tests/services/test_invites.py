"""Invites: made for a place, stored as a hash, used once, replacing the previous holder."""

import hashlib
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from models.db import session_scope
from models.enums import Role
from models.invites import Invite, claim_invite
from models.outbox import Outbox
from models.users import User
from services.invites import (
    InviteError,
    InviteProblem,
    InviteRefusedError,
    accept_invite,
    create_invite,
    deep_link,
    revoke_invite,
)
from tests.proposal_factories import DESA, KECAMATAN, add_regions
from tests.role_factories import add_person

NOW = datetime(2024, 1, 10, 2, 0, tzinfo=UTC)
ADMIN, OLD_LURAH, NEW_LURAH = 900, 901, 902


async def _invite(engine, role=Role.LURAH, region=DESA, **fields) -> str:
    async with session_scope(engine) as session:
        await add_regions(session)
        await add_person(session, ADMIN, name="Bu Admin", role=Role.BAPPEDA)
        _invite, token = await create_invite(
            session,
            role=role,
            region_code=region,
            created_by=ADMIN,
            now=fields.get("now", NOW),
            valid_days=7,
        )
    return token


async def test_an_invite_stores_only_the_hash_of_its_token(engine):
    token = await _invite(engine)
    async with session_scope(engine) as session:
        [invite] = (await session.exec(select(Invite))).all()
    assert len(token) >= 24
    assert invite.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in invite.token_hash
    assert (invite.role, invite.region_code, invite.created_by) == (Role.LURAH, DESA, ADMIN)
    assert invite.expires_at - invite.created_at == timedelta(days=7)
    assert deep_link("musrenbang_bot", token) == f"https://t.me/musrenbang_bot?start={token}"


@pytest.mark.parametrize(
    ("role", "region"),
    [(Role.LURAH, KECAMATAN), (Role.CAMAT, DESA), (Role.LURAH, "99.99"), (Role.BAPPEDA, DESA)],
)
async def test_an_invite_needs_a_place_that_fits_the_role(engine, role, region):
    with pytest.raises(InviteError):
        await _invite(engine, role=role, region=region)
    async with session_scope(engine) as session:
        assert (await session.exec(select(Invite))).all() == []


async def test_accepting_replaces_the_old_lurah_who_is_told_and_stays_a_resident(engine):
    token = await _invite(engine)
    async with session_scope(engine) as session:
        await add_person(session, OLD_LURAH, role=Role.LURAH, region_code=DESA)
        newcomer = await add_person(session, NEW_LURAH, name="Pak Baru")
        acceptance = await accept_invite(session, token=token, user=newcomer, now=NOW)
    assert acceptance.replaced == [OLD_LURAH]
    async with session_scope(engine) as session:
        old = await session.get(User, OLD_LURAH)
        new = await session.get(User, NEW_LURAH)
        invite = (await session.exec(select(Invite))).one()
        rows = (await session.exec(select(Outbox).order_by(Outbox.id))).all()
    assert (old.role, old.region_code) == (Role.WARGA, None)
    assert (new.role, new.region_code) == (Role.LURAH, DESA)
    assert (invite.used_by, invite.used_at) == (NEW_LURAH, NOW)
    assert [(row.recipient_id, row.kind) for row in rows] == [
        (OLD_LURAH, "role_replaced"),
        (ADMIN, "invite_accepted"),
    ]
    assert rows[0].payload == {"role": "lurah", "region_code": DESA}
    assert rows[1].payload["user_id"] == NEW_LURAH


async def test_a_camat_invite_makes_a_camat_of_the_kecamatan(engine):
    token = await _invite(engine, role=Role.CAMAT, region=KECAMATAN)
    async with session_scope(engine) as session:
        person = await add_person(session, NEW_LURAH)
        await accept_invite(session, token=token, user=person, now=NOW)
        assert (person.role, person.region_code) == (Role.CAMAT, KECAMATAN)


async def test_an_admin_invite_has_no_place_and_replaces_nobody(engine):
    token = await _invite(engine, role=Role.BAPPEDA, region=None)
    async with session_scope(engine) as session:
        other_admin = await add_person(session, 903, role=Role.BAPPEDA)
        person = await add_person(session, NEW_LURAH)
        acceptance = await accept_invite(session, token=token, user=person, now=NOW)
        assert acceptance.replaced == []
        assert (person.role, other_admin.role) == (Role.BAPPEDA, Role.BAPPEDA)


async def _refused(engine, token: str, *, now=NOW) -> InviteProblem:
    async with session_scope(engine) as session:
        person = await session.get(User, NEW_LURAH) or await add_person(session, NEW_LURAH)
        with pytest.raises(InviteRefusedError) as refused:
            await accept_invite(session, token=token, user=person, now=now)
    async with session_scope(engine) as session:
        assert (await session.get(User, NEW_LURAH)).role == Role.WARGA
    return refused.value.problem


async def test_wrong_used_expired_and_revoked_tokens_change_nothing(engine):
    token = await _invite(engine)
    assert await _refused(engine, "not-a-token") is InviteProblem.UNKNOWN
    assert await _refused(engine, token[:-1] + ("A" if token[-1] != "A" else "B")) is (
        InviteProblem.UNKNOWN
    )
    assert await _refused(engine, token, now=NOW + timedelta(days=8)) is InviteProblem.EXPIRED
    async with session_scope(engine) as session:
        invite = (await session.exec(select(Invite))).one()
        await revoke_invite(session, invite.id, now=NOW)
    assert await _refused(engine, token) is InviteProblem.REVOKED
    async with session_scope(engine) as session:
        assert (await session.exec(select(Outbox))).all() == []


async def test_an_invite_works_once(engine):
    token = await _invite(engine)
    async with session_scope(engine) as session:
        first = await add_person(session, OLD_LURAH)
        await accept_invite(session, token=token, user=first, now=NOW)
    assert await _refused(engine, token) is InviteProblem.USED
    async with session_scope(engine) as session:
        invite = (await session.exec(select(Invite))).one()
        with pytest.raises(InviteRefusedError):
            await revoke_invite(session, invite.id, now=NOW)


async def test_claiming_is_one_conditional_update_so_a_second_claim_loses(engine):
    await _invite(engine)
    async with session_scope(engine) as session:
        invite = (await session.exec(select(Invite))).one()
        assert await claim_invite(session, invite.id, user_id=OLD_LURAH, now=NOW)
        assert not await claim_invite(session, invite.id, user_id=NEW_LURAH, now=NOW)
    async with session_scope(engine) as session:
        assert (await session.exec(select(Invite))).one().used_by == OLD_LURAH
