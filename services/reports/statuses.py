"""Which proposals each part of the summary counts, and the labels it shows."""

from __future__ import annotations

from core.i18n import N_, _
from models.enums import Bidang, Status, Urgency

#: Every proposal that reached Bappeda (a draft has not).
SUBMITTED = tuple(status for status in Status if status is not Status.DRAF)
#: Proposals that still stand: not withdrawn, rejected or merged into another.
COUNTED = tuple(
    status
    for status in SUBMITTED
    if status not in {Status.DITARIK, Status.DITOLAK, Status.DIGABUNG}
)
#: Proposals still to be decided: the ones a forum can still put first.
OPEN = (Status.DIAJUKAN, Status.DIVERIFIKASI, Status.DIBAHAS_KECAMATAN, Status.DITERUSKAN_OPD)

BIDANG_ORDER = (Bidang.INFRASTRUKTUR, Bidang.EKONOMI, Bidang.SOSIAL_BUDAYA)
BIDANG_LABELS = {
    Bidang.INFRASTRUKTUR: N_("Infrastructure"),
    Bidang.EKONOMI: N_("Economy"),
    Bidang.SOSIAL_BUDAYA: N_("Social and culture"),
}
URGENCY_LABELS = {
    Urgency.SANGAT_MENDESAK: N_("Very urgent"),
    Urgency.MENDESAK: N_("Urgent"),
    Urgency.BIASA: N_("Normal"),
}


def bidang_label(bidang: str) -> str:
    """Return the bidang's name in the current locale."""
    return _(BIDANG_LABELS[Bidang(bidang)])


def urgency_label(urgency: str) -> str:
    """Return the urgency's name in the current locale."""
    return _(URGENCY_LABELS[Urgency(urgency)])
