"""Which proposals are not kabupaten business: provincial, national, or not a proposal at all."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Any

from core.i18n import N_, _
from services.data import DATA_DIR

# The reasons of authority.csv, written out so that Babel extracts them for translation.
REASONS = (
    N_("Senior high, vocational and special schools (SMA/SMK/SLB) are run by the province."),
    N_("Provincial roads and their bridges and drainage are maintained by the province."),
    N_("Forests outside conservation areas are managed by the province."),
    N_("Mining permits are issued by the province."),
    N_("Labour inspection of companies is done by the province."),
    N_("National roads and toll roads are built by the central government."),
    N_("The electricity grid is run by PLN under the central government."),
    N_("The police and the armed forces are national institutions."),
    N_(
        "Madrasah and pesantren schools and religious affairs offices belong to the Ministry "
        "of Religious Affairs."
    ),
    N_("Fuel supply and prices are set nationally (Pertamina)."),
    N_(
        "National parks and protected wildlife are handled by the central government (BKSDA/TNKS)."
    ),
    N_("Universities and colleges are a national affair."),
    N_("Land certificates are issued by the national land agency (BPN)."),
    N_("Airports, railways and seaports are national."),
    N_("Elections are run by the election commission (KPU) and its supervisors."),
    N_(
        "Mobile phone towers and signal are built by the operators and the national BAKTI "
        "programme, not by the regency."
    ),
    N_("This message does not look like a development proposal."),
    N_("This looks like a question about an earlier proposal rather than a new one."),
    N_("Personal requests cannot be funded as Musrenbang proposals, which serve the community."),
    N_(
        "Complaints about a person or an official go to the village consultative body or the "
        "inspectorate, not to Musrenbang."
    ),
    N_("Campaign and political messages are not development proposals."),
    N_("Adverts and offers are not development proposals."),
)

PROVINCIAL_NAMES_FILE = "nomenclature_2027_prov_names.csv"
# Provincial-only programs (absent from the kabupaten/kota nomenclature) whose kegiatan
# names teach the matcher what provincial work sounds like, keyed to a rule below.
PROVINCIAL_PROGRAMS = {
    "2.07.06": "labour_inspection",
    "3.28.02": "forest",
    "3.28.03": "forest",
    "3.28.05": "forest",
    "3.28.06": "forest",
    "3.29.03": "mining",
    "3.29.06": "electricity",
}


class Authority(StrEnum):
    """Who handles a request when the kabupaten does not."""

    PROVINSI = "provinsi"
    NASIONAL = "nasional"
    BUKAN_USULAN = "bukan_usulan"


class VerdictKind(StrEnum):
    """What a message is when it is not a kabupaten proposal; the intake answers each its way."""

    PROVINSI = "provinsi"
    NASIONAL = "nasional"
    COMPLAINT = "complaint"
    QUESTION = "question"
    PERSONAL = "personal"
    CAMPAIGN = "campaign"
    ADVERT = "advert"
    CHITCHAT = "chitchat"

    @property
    def authority(self) -> Authority:
        """Return the level that handles this kind of message."""
        if self is VerdictKind.PROVINSI:
            return Authority.PROVINSI
        if self is VerdictKind.NASIONAL:
            return Authority.NASIONAL
        return Authority.BUKAN_USULAN


@dataclass(frozen=True, slots=True)
class Verdict:
    """Why a message is not matched as a kabupaten proposal.

    `accuses_head` is set on a complaint that names the kepala desa or lurah, so that the
    complaint is never routed to the person it accuses. `rule` is the key of the table row
    that decided.
    """

    kind: VerdictKind
    reason_msgid: str
    rule: str
    accuses_head: bool = False

    @property
    def authority(self) -> Authority:
        """Return the level that handles the message."""
        return self.kind.authority

    @property
    def reason(self) -> str:
        """Return the reason in the current locale."""
        return _(self.reason_msgid)

    def as_dict(self) -> dict[str, Any]:
        """Return the verdict as JSON-ready data, without translated text."""
        return {"kind": self.kind.value, "rule": self.rule, "accuses_head": self.accuses_head}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Verdict:
        """Return the verdict stored by `as_dict`, its reason looked up again."""
        kind = VerdictKind(data["kind"])
        rules = load_rules()
        rule = rules.get(data["rule"]) or next(r for r in rules.values() if r.kind is kind)
        return cls(
            kind=kind,
            reason_msgid=rule.reason_msgid,
            rule=data["rule"],
            accuses_head=bool(data.get("accuses_head")),
        )


@dataclass(frozen=True, slots=True)
class AuthorityRule:
    """Words that mark a request for another level of government, and why.

    `decisive` terms (marked "!" in the table) settle the matter on their own: a text that
    says "jalan provinsi" or "madrasah" is not kabupaten business, however well it also
    matches a kabupaten program. The other terms compete with the programs' evidence.
    """

    key: str
    kind: VerdictKind
    terms: tuple[str, ...]
    reason_msgid: str
    decisive: tuple[str, ...] = ()

    @property
    def authority(self) -> Authority:
        """Return the level that handles what the rule describes."""
        return self.kind.authority

    @property
    def reason(self) -> str:
        """Return the reason in the current locale."""
        return _(self.reason_msgid)

    def verdict(self) -> Verdict:
        """Return the verdict this rule gives."""
        return Verdict(kind=self.kind, reason_msgid=self.reason_msgid, rule=self.key)


def _rule(row: dict[str, str]) -> AuthorityRule:
    raw = [term.strip() for term in row["terms"].split(";") if term.strip()]
    return AuthorityRule(
        key=row["key"],
        kind=VerdictKind(row["kind"]),
        terms=tuple(term.removeprefix("!").strip() for term in raw),
        reason_msgid=row["reason"],
        decisive=tuple(term[1:].strip() for term in raw if term.startswith("!")),
    )


@cache
def load_rules() -> dict[str, AuthorityRule]:
    """Read services/data/authority.csv."""
    with (DATA_DIR / "authority.csv").open(encoding="utf-8", newline="") as handle:
        return {row["key"]: _rule(row) for row in csv.DictReader(handle)}


@cache
def provincial_kegiatan() -> tuple[tuple[str, str], ...]:
    """Return (rule key, kegiatan name) for the kegiatan of provincial-only programs."""
    with (DATA_DIR / PROVINCIAL_NAMES_FILE).open(encoding="utf-8", newline="") as handle:
        return tuple(
            (PROVINCIAL_PROGRAMS[row["parent_code"]], row["name"])
            for row in csv.DictReader(handle)
            if row["level"] == "kegiatan" and row["parent_code"] in PROVINCIAL_PROGRAMS
        )
