import csv

from models.enums import Bidang
from services.data import DATA_DIR
from services.matching.bidang import assign_code


def test_every_bidang_urusan_of_the_nomenclature_is_mapped():
    with (DATA_DIR / "nomenclature.csv").open(encoding="utf-8") as handle:
        codes = [r["code"] for r in csv.DictReader(handle) if r["level"] == "bidang_urusan"]
    unmapped = [c for c in codes if not c.startswith(("X", "9")) and assign_code(c) is None]
    assert unmapped == []


def test_assign_code_uses_the_longest_prefix():
    assert assign_code("1.05.03").opd.startswith("Badan Penanggulangan Bencana")
    assert assign_code("1.05.02.2.01").opd.startswith("Satuan Polisi Pamong Praja")
    assert assign_code("1.03.10").bidang is Bidang.INFRASTRUKTUR
    assert assign_code("3.27.02").bidang is Bidang.EKONOMI
    assert assign_code("2.22.03").bidang is Bidang.SOSIAL_BUDAYA
