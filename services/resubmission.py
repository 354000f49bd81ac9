"""A returned proposal, fixed by its proposer and sent again: proposal → draft → proposal."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from models.enums import Bidang, Role, Status, Urgency
from services.lifecycle import StatusChangeError, change_status, verify_own_proposal
from services.quantities import format_number

if TYPE_CHECKING:
    from datetime import datetime

    from sqlmodel.ext.asyncio.session import AsyncSession

    from models.proposals import Proposal, StatusChange
    from models.users import User

RESUBMIT_KEY = "resubmit_of"
UPPER_UNITS = {"kk", "rt", "rw"}


def _quantity_record(value: float | None, unit: str, text: str) -> dict[str, Any]:
    """Return a stored quantity in the draft's shape (see the intake's quantity steps).

    It is shown as the proposer wrote it ("sekitar 120 KK").
    """
    if value is None:
        return {"unknown": True, "text": text}
    shown_unit = unit.upper() if unit in UPPER_UNITS else unit
    return {
        "value": value,
        "unit": unit,
        "text": text,
        "display": text or f"{format_number(value)} {shown_unit}".strip(),
    }


def draft_from_proposal(proposal: Proposal) -> dict[str, Any]:
    """Return a complete intake draft holding the proposal, marked as its resubmission."""
    draft: dict[str, Any] = {
        RESUBMIT_KEY: proposal.id,
        "kecamatan_code": proposal.kecamatan_code,
        "desa_code": proposal.desa_code,
        "bidang": str(proposal.bidang),
        "title": proposal.title,
        "match_options": list(proposal.match_alternatives),
        "match_confident": proposal.match_confirmed,
        "program_code": proposal.program_code,
        "match_score": proposal.match_score,
        "match_confirmed": proposal.match_confirmed,
        "program_decided": True,
        "problem": proposal.problem,
        "location_detail": proposal.location_detail,
        "volume": _quantity_record(proposal.volume, proposal.volume_unit, proposal.volume_text),
        "beneficiaries": _quantity_record(
            proposal.beneficiaries, proposal.beneficiaries_unit, proposal.beneficiaries_text
        ),
        "urgency": str(proposal.urgency),
        "photo_file_ids": list(proposal.photo_file_ids),
        "photos_done": True,
    }
    if proposal.latitude is not None:
        draft["latitude"] = proposal.latitude
        draft["longitude"] = proposal.longitude
    return draft


def _quantity_fields(draft: dict[str, Any], key: str) -> tuple[float | None, str, str]:
    value = draft.get(key) or {}
    if value.get("unknown"):
        return None, "", value.get("text", "")
    return value.get("value"), value.get("unit", ""), value.get("text", "")


async def send_again(
    session: AsyncSession, proposal: Proposal, draft: dict[str, Any], *, user: User, now: datetime
) -> StatusChange:
    """Store the fixed fields and move the proposal from `dikembalikan` back to `diajukan`.

    A lurah's own proposal is verified again at once.

    Raises:
        StatusChangeError: the proposal is no longer returned.
    """
    if Status(proposal.status) != Status.DIKEMBALIKAN:
        msg = f"proposal {proposal.tracking_code} is {proposal.status}, not returned"
        raise StatusChangeError(msg)
    volume, volume_unit, volume_text = _quantity_fields(draft, "volume")
    people, people_unit, people_text = _quantity_fields(draft, "beneficiaries")
    proposal.kecamatan_code = draft["kecamatan_code"]
    proposal.desa_code = draft["desa_code"]
    proposal.bidang = Bidang(draft["bidang"])
    proposal.title = draft["title"]
    proposal.problem = draft.get("problem", "")
    proposal.location_detail = draft.get("location_detail", "")
    proposal.latitude = draft.get("latitude")
    proposal.longitude = draft.get("longitude")
    proposal.volume, proposal.volume_unit, proposal.volume_text = (
        volume,
        volume_unit,
        volume_text,
    )
    proposal.beneficiaries = int(people) if people is not None else None
    proposal.beneficiaries_unit = people_unit
    proposal.beneficiaries_text = people_text
    proposal.urgency = Urgency(draft["urgency"])
    proposal.photo_file_ids = list(draft.get("photo_file_ids", []))
    proposal.program_code = draft.get("program_code")
    proposal.match_score = draft.get("match_score")
    proposal.match_alternatives = list(draft.get("match_options", []))
    proposal.match_confirmed = bool(draft.get("match_confirmed"))
    role = Role.LURAH if user.role == Role.LURAH else Role.WARGA
    change = await change_status(
        session, proposal, Status.DIAJUKAN, by=user.telegram_id, by_role=role, note="", now=now
    )
    verified = await verify_own_proposal(session, proposal, user=user, now=now)
    return verified or change
