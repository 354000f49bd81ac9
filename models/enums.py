"""Closed sets of values from the design card: roles, bidang, statuses, urgency, levels."""

from enum import StrEnum


class Role(StrEnum):
    """Who a person is in the Musrenbang process."""

    WARGA = "warga"
    LURAH = "lurah"
    CAMAT = "camat"
    BAPPEDA = "bappeda"


class Bidang(StrEnum):
    """The seed's three fields of development."""

    INFRASTRUKTUR = "infrastruktur"
    EKONOMI = "ekonomi"
    SOSIAL_BUDAYA = "sosial_budaya"


class Status(StrEnum):
    """Life of a proposal (DESIGN §4)."""

    DRAF = "draf"
    DIAJUKAN = "diajukan"
    DIVERIFIKASI = "diverifikasi"
    DIKEMBALIKAN = "dikembalikan"
    DITOLAK = "ditolak"
    DIBAHAS_KECAMATAN = "dibahas_kecamatan"
    DITERUSKAN_OPD = "diteruskan_opd"
    DIAKOMODIR = "diakomodir"
    TIDAK_DIAKOMODIR = "tidak_diakomodir"
    DITARIK = "ditarik"
    DIGABUNG = "digabung"


class Urgency(StrEnum):
    """How pressing the proposer says the need is."""

    SANGAT_MENDESAK = "sangat_mendesak"
    MENDESAK = "mendesak"
    BIASA = "biasa"


class RegionLevel(StrEnum):
    """Administrative level of a Kemendagri region code."""

    PROVINSI = "provinsi"
    KABUPATEN = "kabupaten"
    KECAMATAN = "kecamatan"
    DESA = "desa"
    KELURAHAN = "kelurahan"
