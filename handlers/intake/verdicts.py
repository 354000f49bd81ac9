"""What a text that is not a kabupaten proposal is, and where the person can take it instead."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.i18n import _
from services.matching.authority import VerdictKind

if TYPE_CHECKING:
    from services.matching.authority import Verdict

LAPOR_URL = "https://www.lapor.go.id"


def where_it_goes(verdict: Verdict) -> str:
    """Return, in the current locale, what the text is and the channel that handles it."""
    kind = verdict.kind
    if kind is VerdictKind.COMPLAINT:
        text = _(
            "This reads as a complaint, not a development proposal. Complaints go to "
            "SP4N-LAPOR! ({url}) or to the regency's Inspektorat."
        ).format(url=LAPOR_URL)
        if verdict.accuses_head:
            return text + " " + _("It is not sent to your kepala desa or lurah.")
        return text
    if kind is VerdictKind.QUESTION:
        return _(
            "This looks like a question about an earlier proposal. Type /status to see how "
            "your proposals are doing (with a tracking code, or without one to choose from "
            "your own)."
        )
    if kind is VerdictKind.PERSONAL:
        return _(
            "This is a request for one household, and Musrenbang funds what serves the "
            "community. For house repairs (RTLH), medical costs or business capital, ask your "
            "desa or kelurahan office to register you for social assistance or the RTLH "
            "program."
        )
    if kind is VerdictKind.PROVINSI:
        return _(
            "This is handled by the Province of Bengkulu, not the regency: it goes through "
            "the provincial Musrenbang or your member of the provincial parliament (DPRD)."
        )
    if kind is VerdictKind.NASIONAL:
        return _(
            "This is handled by the central government or a national agency, not the regency."
        )
    if kind is VerdictKind.CAMPAIGN:
        return _("This is a campaign or political message, not a development proposal.")
    if kind is VerdictKind.ADVERT:
        return _("This is an advert or an offer, not a development proposal.")
    return _("This does not look like a development proposal.")
