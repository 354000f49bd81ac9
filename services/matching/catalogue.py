"""Programs of a nomenclature version, with every text that is evidence for each program."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import cache
from typing import TYPE_CHECKING

from models.enums import Bidang
from services.data import DATA_DIR
from services.matching.bidang import assign_code

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence
    from pathlib import Path

CATALOGUE_FILES = {"2024": "nomenclature.csv", "2027": "nomenclature_2027_kabkot.csv"}
DEFINITIONS_FILE = "nomenclature_2027_kabkot.csv"
KEYWORDS_FILE = "program_keywords.csv"
# Kegiatan codes have a digit after the program: 2 is an ordinary kabupaten/kota, while
# 3, 4, 5 and 7 are the special regions (Papua, Papua Barat, Aceh, DIY). Lebong is ordinary.
_ORDINARY_KEGIATAN = "2"
_PROGRAM_PREFIX = re.compile(r"^program\s+", re.IGNORECASE)


class EvidenceKind(StrEnum):
    """Where a piece of evidence comes from; the ranker weighs kinds differently."""

    PROGRAM = "program"
    KEGIATAN = "kegiatan"
    SUB_KEGIATAN = "sub_kegiatan"
    DEFINITION = "definisi"
    KEYWORD = "keyword"
    CORRECTION = "correction"


@dataclass(frozen=True, slots=True)
class Evidence:
    """One text that speaks for a program; `label` names the kegiatan/sub-kegiatan it is."""

    program_code: str
    kind: EvidenceKind
    text: str
    label: str = ""


@dataclass(frozen=True, slots=True)
class CatalogueProgram:
    """A program a proposal can be matched to."""

    code: str
    name: str
    opd: str
    bidang: Bidang
    imported: bool = False


@dataclass(frozen=True, slots=True)
class ImportedProgram:
    """A program of the regency's own RPJMD, as plain data (see models.catalogue.Program)."""

    code: str
    name: str
    opd: str = ""
    bidang: str = ""
    indicator: str = ""
    keywords: str = ""


@dataclass(frozen=True, slots=True)
class CorrectionEvidence:
    """A proposal text Bappeda mapped to a program by hand."""

    text: str
    program_code: str


@dataclass(frozen=True)
class Catalogue:
    """The programs of one version and the evidence for each."""

    version: str
    programs: dict[str, CatalogueProgram]
    evidence: tuple[Evidence, ...] = field(repr=False)


def _read_rows(name: str) -> list[dict[str, str]]:
    path: Path = DATA_DIR / name
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _program_of(code: str) -> str:
    return ".".join(code.split(".")[:3])


def _is_ordinary(code: str) -> bool:
    """Return whether a kegiatan or sub-kegiatan code applies to an ordinary kabupaten."""
    parts = code.split(".")
    return len(parts) > 3 and parts[3] == _ORDINARY_KEGIATAN and not code.startswith("X")


# Abbreviations in program names that stay in capitals after title-casing.
ACRONYMS = frozenset(
    {
        "B3",
        "DPRD",
        "KB",
        "KEHATI",
        "KS",
        "KSP",
        "LLAJ",
        "MAA",
        "MHA",
        "MPU",
        "PHA",
        "PPLH",
        "PSU",
        "SDA",
        "SDM",
        "UMKM",
        "USP",
    }
)
_LOWER_WORDS = {"Dan": "dan", "Di": "di", "Yang": "yang", "Atau": "atau"}


def display_name(name: str) -> str:
    """Return a program name without its "PROGRAM" prefix, in title case, acronyms kept."""
    words = _PROGRAM_PREFIX.sub("", name.strip()).title().split(" ")
    shown = [
        word.upper() if word.strip("()").upper() in ACRONYMS else _LOWER_WORDS.get(word, word)
        for word in words
    ]
    if shown:
        shown[0] = shown[0][:1].upper() + shown[0][1:]
    return " ".join(shown)


def _join(*parts: str) -> str:
    return ". ".join(part for part in parts if part)


def _nomenclature_evidence(rows: Iterable[dict[str, str]], codes: set[str]) -> Iterator[Evidence]:
    for row in rows:
        level, code = row["level"], row["code"]
        if level == "program" and code in codes:
            yield Evidence(code, EvidenceKind.PROGRAM, _PROGRAM_PREFIX.sub("", row["name"]))
        elif level in {"kegiatan", "sub_kegiatan"} and _program_of(code) in codes:
            kind = EvidenceKind.KEGIATAN if level == "kegiatan" else EvidenceKind.SUB_KEGIATAN
            text = _join(row["name"], row["kinerja"], row["indicator"])
            yield Evidence(_program_of(code), kind, text, label=row["name"])


def _definition_evidence(codes: set[str]) -> Iterator[Evidence]:
    """Yield the 2027 operational definitions of sub-kegiatan, by shared program code."""
    for row in _read_rows(DEFINITIONS_FILE):
        code = row["code"]
        if (
            row["level"] == "sub_kegiatan"
            and row["definisi_operasional"]
            and _is_ordinary(code)
            and _program_of(code) in codes
        ):
            text = _join(row["name"], row["definisi_operasional"])
            yield Evidence(_program_of(code), EvidenceKind.DEFINITION, text, label=row["name"])


def _keyword_evidence(codes: set[str]) -> Iterator[Evidence]:
    for row in _read_rows(KEYWORDS_FILE):
        if row["code"] in codes:
            for keyword in row["keywords"].split(";"):
                if keyword.strip():
                    yield Evidence(row["code"], EvidenceKind.KEYWORD, keyword.strip())


@cache
def load_catalogue(version: str) -> Catalogue:
    """Load the kabupaten programs of a nomenclature version with their evidence.

    Raises:
        ValueError: the version is not one of CATALOGUE_FILES.
    """
    if version not in CATALOGUE_FILES:
        msg = f"unknown catalogue version {version!r}; known: {sorted(CATALOGUE_FILES)}"
        raise ValueError(msg)
    rows = _read_rows(CATALOGUE_FILES[version])
    ordinary = {
        _program_of(r["code"])
        for r in rows
        if r["level"] == "kegiatan" and _is_ordinary(r["code"])
    }
    programs: dict[str, CatalogueProgram] = {}
    for row in rows:
        if row["level"] == "program" and row["code"] in ordinary:
            assignment = assign_code(row["code"])
            if assignment is None:
                continue
            programs[row["code"]] = CatalogueProgram(
                code=row["code"],
                name=display_name(row["name"]),
                opd=assignment.opd,
                bidang=assignment.bidang,
            )
    codes = set(programs)
    ordinary_rows = (r for r in rows if r["level"] == "program" or _is_ordinary(r["code"]))
    evidence = (
        *_nomenclature_evidence(ordinary_rows, codes),
        *_definition_evidence(codes),
        *_keyword_evidence(codes),
    )
    return Catalogue(version=version, programs=programs, evidence=evidence)


def merge_imported(catalogue: Catalogue, imported: Sequence[ImportedProgram]) -> Catalogue:
    """Return the catalogue with the regency's RPJMD programs laid over it.

    An imported program replaces the name and OPD of a nomenclature program with the same
    code and keeps that program's kegiatan and sub-kegiatan as evidence; an imported code
    unknown to the nomenclature becomes a program of its own.
    """
    if not imported:
        return catalogue
    programs = dict(catalogue.programs)
    extra: list[Evidence] = []
    for item in imported:
        known = programs.get(item.code)
        assignment = assign_code(item.code)
        if item.bidang in set(Bidang):
            bidang = Bidang(item.bidang)
        elif known is not None:
            bidang = known.bidang
        else:
            bidang = assignment.bidang if assignment else Bidang.SOSIAL_BUDAYA
        opd = item.opd or (known.opd if known else assignment.opd if assignment else "")
        base = known or CatalogueProgram(item.code, item.name, opd, bidang)
        programs[item.code] = replace(base, name=item.name, opd=opd, bidang=bidang, imported=True)
        extra.append(Evidence(item.code, EvidenceKind.PROGRAM, _join(item.name, item.indicator)))
        extra.extend(
            Evidence(item.code, EvidenceKind.KEYWORD, keyword.strip())
            for keyword in re.split(r"[;,]", item.keywords)
            if keyword.strip()
        )
    return Catalogue(catalogue.version, programs, (*catalogue.evidence, *extra))


def correction_evidence(
    catalogue: Catalogue, corrections: Iterable[CorrectionEvidence]
) -> list[Evidence]:
    """Turn Bappeda's corrections into evidence, skipping codes the catalogue lacks."""
    return [
        Evidence(item.program_code, EvidenceKind.CORRECTION, item.text)
        for item in corrections
        if item.program_code in catalogue.programs
    ]
