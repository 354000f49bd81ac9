import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.db import session_scope
from services import tracking_code
from services.tracking_code import (
    ALPHABET,
    RANDOM_LENGTH,
    TrackingCodeExhaustedError,
    generate_code,
    new_tracking_code,
    normalize_code,
    pick_free_code,
)
from tests.proposal_factories import add_proposal, add_regions


def test_generate_code_has_prefix_two_digit_year_and_random_tail():
    code = generate_code(prefix="LBG", year=2024)
    prefix, year, tail = code.split("-")
    assert (prefix, year) == ("LBG", "24")
    assert len(tail) == RANDOM_LENGTH
    assert set(tail) <= set(ALPHABET)


def test_generate_code_pads_the_year():
    assert generate_code(prefix="LBG", year=2005).startswith("LBG-05-")


def test_alphabet_has_no_lookalikes():
    assert not set("01OILU") & set(ALPHABET)
    assert len(set(ALPHABET)) == len(ALPHABET) == 30


async def test_tracking_code_is_unique_across_100000_generated_proposals():
    taken: set[str] = set()
    collisions = 0

    async def is_taken(code: str) -> bool:
        nonlocal collisions
        if code in taken:
            collisions += 1
            return True
        return False

    started = time.monotonic()
    for _ in range(100_000):
        taken.add(await pick_free_code(is_taken, prefix="LBG", year=2024))
    assert len(taken) == 100_000
    assert collisions < 1_000  # ≈ 206 expected from the birthday estimate
    assert time.monotonic() - started < 10


async def test_pick_free_code_gives_up_after_the_attempt_limit():
    async def always_taken(code: str) -> bool:
        return True

    with pytest.raises(TrackingCodeExhaustedError):
        await pick_free_code(always_taken, prefix="LBG", year=2024, max_attempts=3)


async def test_new_tracking_code_retries_when_the_code_exists(engine, monkeypatch):
    async with session_scope(engine) as session:
        await add_regions(session)
        await add_proposal(session, tracking_code="LBG-24-AAAAA")
    draws = iter(["LBG-24-AAAAA", "LBG-24-AAAAA", "LBG-24-BBBBB"])
    monkeypatch.setattr(tracking_code, "generate_code", lambda **_: next(draws))
    async with session_scope(engine) as session:
        code = await new_tracking_code(session, prefix="LBG", year=2024)
    assert code == "LBG-24-BBBBB"


@pytest.mark.parametrize(
    "typed",
    [
        "LBG-24-7K3QX",
        "lbg-24-7k3qx",
        "lbg 24 7k3qx",
        "LBG247K3QX",
        "LBG-24-7K3QX.",
        "  LBG.24.7K3QX  ",
        "LBG_24_7K3QX",
        "kode saya LBG-24-7K3QX, terima kasih",
        "/status LBG-24-7K3QX",
        "24-7K3QX",
        "247k3qx",
    ],
)
def test_normalize_code_accepts_what_people_type(typed):
    assert normalize_code(typed, prefix="LBG") == "LBG-24-7K3QX"


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("LBG-3O-7K3QX", "LBG-30-7K3QX"),
        ("lbg-2l-7k3qx", "LBG-21-7K3QX"),
        ("LBG-I9-7K3QX", "LBG-19-7K3QX"),
    ],
)
def test_normalize_code_reads_lookalikes_in_the_year(typed, code):
    assert normalize_code(typed, prefix="LBG") == code


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "halo",
        "LBG-24",
        "LBG-24-7K3Q",
        "LBG-24-7K3QXY",
        "LBG-24-7K0QX",
        "LBG-24-7K3QU",
        "LBG-2024-7K3QX",
        "jalan rusak 24 tahun",
    ],
)
def test_normalize_code_refuses_what_is_not_a_code(typed):
    assert normalize_code(typed, prefix="LBG") is None


def test_normalize_code_without_prefix_needs_the_default():
    assert normalize_code("24-7K3QX") is None
    assert normalize_code("BKL-24-7K3QX") == "BKL-24-7K3QX"


@given(
    year=st.integers(min_value=2000, max_value=2099),
    separator=st.sampled_from(["-", " ", ".", ""]),
)
def test_normalize_code_round_trips_generated_codes(year, separator):
    code = generate_code(prefix="LBG", year=year)
    typed = code.replace("-", separator).lower()
    assert normalize_code(typed, prefix="LBG") == code
    assert normalize_code(code) == code
