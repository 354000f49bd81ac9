"""Read how villagers state a volume ("1,5 km") and who benefits ("200 KK")."""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

# How numbers are read (Indonesian writing, and phones that autocorrect to English):
# - A comma or dot followed by exactly three digits groups thousands when the integer
#   part is not zero: "1.200 m" and "1,200 m" are 1200 m, "1.200.000" is a million.
#   Everyday decimals have one or two digits ("1,5 km", "1.5 km", "2,25 ha"), so a
#   three-digit tail almost always means thousands; "0,750" stays 0.75.
# - Any other single separator is a decimal point: "1,5", "1.5", "2.75", "1,2345".
# - With both separators the last one is the decimal point ("1.200,5" and "1,200.5").
# - A range ("150-200 KK", "2 sampai 3 km") gives its lower bound, flagged approximate:
#   it is the figure the proposer is sure of.
# - With several numbers, the first one followed by a known unit wins
#   ("sudah 5 tahun rusak, panjang 300 m" gives 300 m).
# - Fractions are values: "½ km", "1½ km", "1/2 km" and "1 1/2 km" give 0.5 and 1.5 km;
#   "1e3 m" is 1000 m, and an exponent too large for any unit ("1e308 m") is refused.


class Problem(StrEnum):
    """Why an answer could not be used as a quantity."""

    EMPTY = "empty"
    NO_NUMBER = "no_number"
    MISSING_UNIT = "missing_unit"
    ZERO = "zero"
    NEGATIVE = "negative"
    TOO_LARGE = "too_large"
    NOT_WHOLE = "not_whole"
    WRONG_UNIT = "wrong_unit"  # a unit of the other question ("200 KK" as a volume)


@dataclass(frozen=True, slots=True)
class Volume:
    """A parsed volume.

    `amount` is positive and finite whenever it is set. It is also set when the only
    problem is `MISSING_UNIT` ("150"), so the next question can be "150 what?".
    `unknown` means the person said they do not know, which is an allowed answer.
    `recognised` is False when the unit is a word kept as typed ("10 lampu").
    """

    text: str
    amount: float | None = None
    unit: str | None = None
    approximate: bool = False
    unknown: bool = False
    recognised: bool = True
    problem: Problem | None = None

    @property
    def ok(self) -> bool:
        """Return whether the answer can be stored (a quantity, or an honest "don't know")."""
        return self.problem is None


@dataclass(frozen=True, slots=True)
class Beneficiaries:
    """A parsed statement of who benefits.

    `count` is the number of people or households in `unit` ("200 KK" → 200, "kk");
    it is None for a community unit ("satu dusun", "2 RT", "seluruh desa"), where
    `group` is True and `quantity` holds how many of them (1, 2, 1). `quantity` is
    positive and finite whenever it is set; with `MISSING_UNIT` ("200") it holds the
    number so the next question can be "200 KK or 200 people?".
    """

    text: str
    count: int | None = None
    quantity: float | None = None
    unit: str | None = None
    group: bool = False
    people: tuple[int, str] | None = None  # "2 dusun ± 400 KK": the count given with groups
    approximate: bool = False
    unknown: bool = False
    recognised: bool = True
    problem: Problem | None = None

    @property
    def ok(self) -> bool:
        """Return whether the answer can be stored (a figure, or an honest "don't know")."""
        return self.problem is None


# Spelling → normalised unit. Two-word spellings are matched before one-word ones.
VOLUME_UNITS: dict[str, str] = {
    **dict.fromkeys(("m", "meter", "mtr", "meteran", "metr", "mter"), "m"),
    **dict.fromkeys(("km", "kilometer", "kilo meter", "kilometre"), "km"),
    **dict.fromkeys(("m2", "meter persegi", "meter2", "mtr2", "persegi", "meter segi"), "m2"),
    **dict.fromkeys(("m3", "meter kubik", "meter3", "kubik"), "m3"),
    **dict.fromkeys(("ha", "hektar", "hektare", "hektaran"), "ha"),
    **dict.fromkeys(("unit", "buah", "bh", "biji", "bj", "pcs", "set"), "unit"),
    **dict.fromkeys(("titik", "ttk", "lokasi"), "titik"),
    **dict.fromkeys(("paket", "pkt"), "paket"),
    **dict.fromkeys(("kg", "kilogram"), "kg"),
    **dict.fromkeys(("ton",), "ton"),
    **dict.fromkeys(("ekor",), "ekor"),
    **dict.fromkeys(("batang", "pohon", "btg"), "batang"),
    **dict.fromkeys(("rumah",), "rumah"),
    **dict.fromkeys(("ruang", "lokal", "kelas"), "ruang"),
    **dict.fromkeys(("kelompok", "klp", "poktan"), "kelompok"),
    **dict.fromkeys(("orang", "org"), "orang"),
    **dict.fromkeys(("kegiatan", "keg"), "kegiatan"),
    **dict.fromkeys(("liter", "ltr", "l"), "liter"),
}

PEOPLE_UNITS: dict[str, str] = {
    **dict.fromkeys(
        ("kk", "kepala keluarga", "keluarga", "ruta", "rumah tangga", "kepala rumah"),
        "kk",
    ),
    **dict.fromkeys(("jiwa", "jw", "penduduk", "masyarakat"), "jiwa"),
    **dict.fromkeys(("orang", "org", "warga", "org2", "orang2"), "orang"),
    **dict.fromkeys(("siswa", "murid", "pelajar", "anak sekolah", "santri"), "siswa"),
    **dict.fromkeys(("mahasiswa",), "mahasiswa"),
    **dict.fromkeys(("petani", "pekebun"), "petani"),
    **dict.fromkeys(("nelayan",), "nelayan"),
    **dict.fromkeys(("peternak",), "peternak"),
    **dict.fromkeys(("pedagang", "umkm", "pelaku usaha"), "pelaku usaha"),
    **dict.fromkeys(("balita",), "balita"),
    **dict.fromkeys(("lansia",), "lansia"),
    **dict.fromkeys(("ibu hamil", "bumil"), "ibu hamil"),
    **dict.fromkeys(("anak",), "anak"),
    **dict.fromkeys(("pemuda",), "pemuda"),
    **dict.fromkeys(("rumah",), "rumah"),
    **dict.fromkeys(("kelompok", "klp", "poktan", "kelompok tani"), "kelompok"),
}

GROUP_UNITS: dict[str, str] = {
    **dict.fromkeys(("dusun", "dsn"), "dusun"),
    **dict.fromkeys(("rt", "rukun tetangga"), "rt"),
    **dict.fromkeys(("rw", "rukun warga"), "rw"),
    **dict.fromkeys(("desa", "ds"), "desa"),
    **dict.fromkeys(("kelurahan", "kel"), "kelurahan"),
    **dict.fromkeys(("kampung", "kampong"), "kampung"),
    **dict.fromkeys(("kecamatan", "kec"), "kecamatan"),
}

# Units that belong to the other question: people or places typed as a volume, and
# lengths, areas and things typed as who benefits.
_PEOPLE_OR_GROUP = (frozenset(PEOPLE_UNITS) | frozenset(GROUP_UNITS)) - frozenset(VOLUME_UNITS)
_VOLUME_ONLY = frozenset(VOLUME_UNITS) - frozenset(PEOPLE_UNITS) - frozenset(GROUP_UNITS)
# Words after "semua"/"seluruh" meaning everyone of the village.
_EVERYONE = frozenset({"warga", "masyarakat", "penduduk", "orang", "rakyat"})

# Largest believable value per normalised unit; anything above is a typo.
VOLUME_LIMITS: dict[str, float] = {"m": 100_000, "km": 500, "m2": 10_000_000, "ha": 100_000}
DEFAULT_VOLUME_LIMIT = 1_000_000.0
PEOPLE_LIMIT = 1_000_000.0
GROUP_LIMITS: dict[str, float] = {"dusun": 100, "rt": 1_000, "rw": 500, "kecamatan": 50}
DEFAULT_GROUP_LIMIT = 500.0

# Words that follow a number but are never a volume or beneficiary unit.
NOT_UNITS = frozenset(
    {"tahun", "thn", "th", "bulan", "bln", "hari", "minggu", "jam", "persen", "rp", "rupiah"}
)

DIGITS = {
    "nol": 0,
    "satu": 1,
    "dua": 2,
    "tiga": 3,
    "empat": 4,
    "lima": 5,
    "enam": 6,
    "tujuh": 7,
    "delapan": 8,
    "sembilan": 9,
}
SE_WORDS = {"sepuluh": 10, "sebelas": 11, "seratus": 100, "seribu": 1_000, "sejuta": 1_000_000}
SCALES = {"puluh": 10, "ratus": 100}
BIG_SCALES = {"ribu": 1_000, "rb": 1_000, "juta": 1_000_000, "jt": 1_000_000}
ROUGH_SCALES = {"puluhan": 10, "ratusan": 100, "ribuan": 1_000, "jutaan": 1_000_000}
FRACTIONS = {"setengah": 0.5, "seperempat": 0.25}

APPROXIMATE_WORDS = frozenset(
    {"±", "~", "<", ">", "sekitar", "sekira", "kurleb", "hampir", "lebih", "kurang", "an"}
    | {"kira", "kurang2", "perkiraan", "estimasi", "kl", "lbh", "krg", "ratarata", "minimal"}
)
RANGE_WORDS = frozenset({"-", "sampai", "sd", "hingga", "sampe"})
NEGATIVE_WORDS = frozenset({"-", "minus", "min"})
WHOLE_WORDS = frozenset({"seluruh", "semua", "segenap"})

_UNKNOWN = re.compile(
    r"\b(?:tidak|tdk|tak|gak|ga|gk|nggak|ngga|enggak|engga|ndak|belum|blm|kurang|krg)\s*"
    r"(?:tahu|tau|tw|tauk|pasti)\b"
    r"|\b(?:gatau|gatw|gktau|entah|belum\s+diukur|belum\s+dihitung|blm\s+diukur)\b"
    r"|\b(?:tidak|belum)\s+ada\s+data\b"
)
_APPROXIMATE_PHRASES = re.compile(
    r"\+\s*/?\s*-|kurang\s+lebih|lebih\s+kurang|kira\W*kira|kira2|rata\W*rata|\bk\.?\s?l\b"
)
_KK = re.compile(r"\bk\s?\.\s?k\b\.?")
_SD = re.compile(r"\bs\s?/\s?d\b")
_VULGAR_FRACTION = re.compile(r"([0-9]*)\s?([\u00bc-\u00be\u2150-\u215e])")
_SLASH_FRACTION = re.compile(
    r"(?<![0-9.,])(?:([0-9]+)\s+)?([1-9][0-9]*)\s?[/\u2044]\s?([1-9][0-9]*)(?![0-9.,])"
)
_DIGIT_LETTER = re.compile(r"(?<=[0-9])(?=[a-z±~])(?!e[+-]?[0-9])")
_TOKEN = re.compile(r"[0-9]+(?:[.,][0-9]+)*(?:e[+-]?[0-9]+)?|[a-z]+[0-9]?|[±~<>-]")
_NUMBER = re.compile(r"[0-9]+(?:[.,][0-9]+)*(?:e[+-]?[0-9]+)?")


@dataclass(frozen=True, slots=True)
class _Reading:
    """A number found in the text, with what follows it."""

    value: float
    negative: bool
    approximate: bool
    unit_start: int


def parse_volume(text: str) -> Volume:
    """Read a volume like "1,5 km", "dua unit", "sepanjang 300 meter" or "tidak tahu"."""
    if not text.strip():
        return Volume(text, problem=Problem.EMPTY)
    tokens, approximate, unknown = _prepare(text)
    found = _find_quantity(tokens, VOLUME_UNITS, {})
    if found is None:
        if unknown:
            return Volume(text, unknown=True)
        return Volume(text, problem=Problem.NO_NUMBER)
    reading, unit, recognised, _group = found
    approximate = approximate or reading.approximate or unknown
    problem = _check_sign(reading)
    if problem is None and not recognised and unit in _PEOPLE_OR_GROUP:
        problem = Problem.WRONG_UNIT
    if problem is None:
        limit = VOLUME_LIMITS.get(unit or "", DEFAULT_VOLUME_LIMIT)
        problem = Problem.TOO_LARGE if reading.value > limit else None
    if problem is not None:
        return Volume(text, approximate=approximate, problem=problem)
    if unit is None:
        return Volume(
            text, amount=reading.value, approximate=approximate, problem=Problem.MISSING_UNIT
        )
    return Volume(
        text, amount=reading.value, unit=unit, approximate=approximate, recognised=recognised
    )


def parse_beneficiaries(text: str) -> Beneficiaries:
    """Read who benefits, like "200 KK", "sekitar 300 jiwa", "satu dusun" or "tidak tahu"."""
    if not text.strip():
        return Beneficiaries(text, problem=Problem.EMPTY)
    tokens, approximate, unknown = _prepare(text)
    found = _find_quantity(tokens, PEOPLE_UNITS, GROUP_UNITS) or _whole_group(tokens)
    if found is None:
        if unknown:
            return Beneficiaries(text, unknown=True)
        return Beneficiaries(text, problem=Problem.NO_NUMBER)
    reading, unit, recognised, group = found
    approximate = approximate or reading.approximate or unknown
    value = reading.value
    problem = _check_sign(reading)
    if problem is None and not recognised and unit in _VOLUME_ONLY:
        problem = Problem.WRONG_UNIT
    if problem is None:
        limit = GROUP_LIMITS.get(unit or "", DEFAULT_GROUP_LIMIT) if group else PEOPLE_LIMIT
        if value > limit:
            problem = Problem.TOO_LARGE
        elif not group and unit is not None and value != int(value):
            problem = Problem.NOT_WHOLE
    if problem is not None:
        return Beneficiaries(text, approximate=approximate, problem=problem)
    if unit is None:
        return Beneficiaries(
            text, quantity=value, approximate=approximate, problem=Problem.MISSING_UNIT
        )
    people = None
    if group:
        counted = _find_quantity(tokens[reading.unit_start + 1 :], PEOPLE_UNITS, {})
        if counted is not None and counted[2] and counted[1] is not None:
            people = (int(counted[0].value), counted[1])
    return Beneficiaries(
        text,
        count=None if group else int(value),
        quantity=value,
        unit=unit,
        group=group,
        people=people,
        approximate=approximate,
        recognised=recognised,
    )


def format_number(value: float) -> str:
    """Write a number the Indonesian way: "1.200", "1,5", "0,25"."""
    value = round(value, 2)
    if value == int(value):
        return f"{int(value):,}".replace(",", ".")
    whole, _dot, fraction = f"{value:,.2f}".rstrip("0").partition(".")
    return f"{whole.replace(',', '.')},{fraction}"


def _prepare(text: str) -> tuple[list[str], bool, bool]:
    """Return the tokens, whether an approximation phrase was used, and "don't know"."""
    folded = _VULGAR_FRACTION.sub(_vulgar_value, text)
    folded = unicodedata.normalize("NFKC", folded).lower()
    folded = _SLASH_FRACTION.sub(_slash_value, folded)
    unknown = _UNKNOWN.search(folded) is not None
    folded, replaced = _APPROXIMATE_PHRASES.subn(" ± ", folded)
    folded = _KK.sub(" kk ", folded)
    folded = _SD.sub(" sd ", folded)
    folded = _DIGIT_LETTER.sub(" ", folded)
    return _TOKEN.findall(folded), replaced > 0, unknown


def _vulgar_value(match: re.Match[str]) -> str:
    """Write "1½" as a plain decimal; four digits keep it from reading as thousands."""
    return f" {int(match[1] or 0) + unicodedata.numeric(match[2]):.4f} "


def _slash_value(match: re.Match[str]) -> str:
    """Write "1 1/2" as a plain decimal (a written number never starts with 0: "02/03" stays)."""
    return f" {int(match[1] or 0) + int(match[2]) / int(match[3]):.4f} "


def _find_quantity(
    tokens: list[str], units: dict[str, str], groups: dict[str, str]
) -> tuple[_Reading, str | None, bool, bool] | None:
    """Return the best number with its unit: a known unit first, then any word, then none."""
    candidates: list[tuple[_Reading, str | None, bool, bool]] = []
    index = 0
    while index < len(tokens):
        reading = _read_number(tokens, index)
        if reading is None:
            prefixed = _se_unit(tokens[index], units, groups)
            if prefixed is not None:
                unit, group = prefixed
                candidates.append((_Reading(1.0, False, False, index + 1), unit, True, group))
            index += 1
            continue
        unit, group, recognised = _read_unit(tokens, reading.unit_start, units, groups)
        candidates.append((reading, unit, recognised, group))
        index = reading.unit_start + (1 if unit else 0)
    known = [candidate for candidate in candidates if candidate[1] and candidate[2]]
    worded = [candidate for candidate in candidates if candidate[1]]
    return next(iter(known or worded or candidates), None)


def _read_unit(
    tokens: list[str], start: int, units: dict[str, str], groups: dict[str, str]
) -> tuple[str | None, bool, bool]:
    """Return (unit, is a group, recognised) for the tokens at `start`."""
    if start >= len(tokens):
        return None, False, True
    pair = " ".join(tokens[start : start + 2])
    for table, group in ((units, False), (groups, True)):
        if pair in table:
            return table[pair], group, True
    word = tokens[start]
    for table, group in ((units, False), (groups, True)):
        if word in table:
            return table[word], group, True
    if word.isalpha() and len(word) >= 2 and word not in NOT_UNITS | APPROXIMATE_WORDS:
        return word[:20], False, False
    return None, False, True


def _se_unit(token: str, units: dict[str, str], groups: dict[str, str]) -> tuple[str, bool] | None:
    """Read "sebuah", "sepaket", "sedusun" as one of the unit."""
    if not token.startswith("se") or len(token) < 5:
        return None
    rest = token[2:]
    if rest in units:
        return units[rest], False
    if rest in groups:
        return groups[rest], True
    return None


def _whole_group(tokens: list[str]) -> tuple[_Reading, str, bool, bool] | None:
    """Read "seluruh desa" / "semua warga dusun" as one whole community ("semua warga": desa)."""
    for index, token in enumerate(tokens):
        if token not in WHOLE_WORDS:
            continue
        following = tokens[index + 1 : index + 4]
        for later in following:
            if later in GROUP_UNITS:
                return _Reading(1.0, False, False, index + 1), GROUP_UNITS[later], True, True
        if following and following[0] in _EVERYONE:
            return _Reading(1.0, False, False, index + 1), "desa", True, True
    return None


def _read_number(tokens: list[str], index: int) -> _Reading | None:
    """Read a number starting at `index`, with its sign, scale words and range."""
    parsed = _read_value(tokens, index)
    if parsed is None:
        return None
    value, end, approximate = parsed
    negative = index > 0 and tokens[index - 1] in NEGATIVE_WORDS
    if negative and index > 1 and _read_value(tokens, index - 2) is not None:
        negative = False
    if index > 0 and tokens[index - 1] in APPROXIMATE_WORDS:
        approximate = True
    if end < len(tokens) and tokens[end] in {"an", "lebih", "lbh", "lebihan"}:
        approximate = True
        end += 1
    if end + 1 < len(tokens) and tokens[end] in RANGE_WORDS:
        upper = _read_value(tokens, end + 1)
        if upper is not None:
            approximate = True
            end = upper[1]
    return _Reading(value, negative, approximate, end)


def _read_value(tokens: list[str], index: int) -> tuple[float, int, bool] | None:
    """Return (value, index after it, approximate) for digits or number words."""
    token = tokens[index]
    if _NUMBER.fullmatch(token):
        value = _parse_digits(token)
        if value is None:
            return None
        end = index + 1
        if end < len(tokens) and tokens[end] in FRACTIONS:
            value += FRACTIONS[tokens[end]]
            end += 1
        if end < len(tokens) and tokens[end] in BIG_SCALES | SCALES:
            value *= (BIG_SCALES | SCALES)[tokens[end]]
            end += 1
        return value, end, False
    return _parse_words(tokens, index)


def _parse_digits(token: str) -> float | None:
    """Turn "1.200", "1,5", "1.200,5", "2e3" into a number; None for shapes like "1.2.3"."""
    digits, _e, exponent = token.partition("e")
    value = _parse_grouped(digits)
    if value is None or not exponent:
        return value
    try:
        return value * 10.0 ** int(exponent)
    except OverflowError:
        return math.inf


def _parse_grouped(token: str) -> float | None:
    """Turn digits with thousands or decimal separators into a number."""
    separators = [char for char in token if char in ".,"]
    if not separators:
        return float(token)
    groups = re.split(r"[.,]", token)
    last = separators[-1]
    if len(set(separators)) == 1:
        thousands = all(len(group) == 3 for group in groups[1:]) and groups[0] != "0"
        if len(separators) > 1 and not thousands:
            return None
        if thousands:
            return float("".join(groups))
        return float(f"{groups[0]}.{groups[1]}")
    head, _sep, fraction = token.rpartition(last)
    parts = re.split(r"[.,]", head)
    if last in head or any(len(part) != 3 for part in parts[1:]):
        return None
    return float(f"{''.join(parts)}.{fraction}")


def _parse_words(tokens: list[str], index: int) -> tuple[float, int, bool] | None:
    """Read Indonesian number words ("dua ratus lima puluh", "satu setengah", "ratusan")."""
    total = 0.0
    current = 0.0
    pending: float | None = None
    fraction = 0.0
    approximate = False
    position = index
    while position < len(tokens):
        word = tokens[position]
        if word in DIGITS and pending is None:
            pending = DIGITS[word]
        elif word in SE_WORDS and pending is None:
            if SE_WORDS[word] >= 1_000:
                total += SE_WORDS[word]
            else:
                current += SE_WORDS[word]
        elif word == "belas" and pending is not None:
            current += pending + 10
            pending = None
        elif word in SCALES and pending is not None:
            current += pending * SCALES[word]
            pending = None
        elif word in BIG_SCALES and (pending is not None or current):
            total += (current + (pending or 0)) * BIG_SCALES[word]
            current, pending = 0.0, None
        elif word in ROUGH_SCALES:
            base = current + (pending or 0) or 1
            total += base * ROUGH_SCALES[word]
            current, pending = 0.0, None
            approximate = True
        elif word in FRACTIONS and not fraction:
            fraction = FRACTIONS[word]
        else:
            break
        position += 1
    if position == index:
        return None
    value = total + current + (pending or 0) + fraction
    return value, position, approximate


def _check_sign(reading: _Reading) -> Problem | None:
    """Return the problem with a number's sign or size, if any."""
    if not math.isfinite(reading.value):
        return Problem.TOO_LARGE
    if reading.negative and reading.value > 0:
        return Problem.NEGATIVE
    if reading.value <= 0:
        return Problem.ZERO
    return None
