"""Short, human-readable, unique tracking codes like ``LBG-24-7K3QX``.

A code is the regency prefix, the planning year's last two digits, and five random
symbols from an alphabet of 30 that a villager reading a cheap phone screen or a printed
list cannot confuse: digits 2-9 and the letters A-Z without I and L (look like 1), O
(looks like 0) and U (read as V; also keeps words out of codes). 0 and 1 themselves are
left out for the same reason.

Why five symbols: 30**4 = 810,000 codes per prefix and year. With 100,000 proposals in
one year the birthday estimate gives n**2 / 2N ≈ 6,200 collisions to retry, and the last
proposals would collide 12 % of the time; worse, one in eight random or mistyped codes
would open someone else's proposal. 30**5 = 24.3 million makes that ≈ 206 retries over
the whole year, a 0.4 % chance per draw at the very end, and mistyped codes almost always
miss. The unique constraint on ``proposal.tracking_code`` stays the final guarantee.
"""

from __future__ import annotations

import re
import secrets
from typing import TYPE_CHECKING

from sqlmodel import select

from models.proposals import Proposal

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from sqlmodel.ext.asyncio.session import AsyncSession

ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
RANDOM_LENGTH = 5
MAX_ATTEMPTS = 20

# What people type for the year's digits when they misread or mistype them.
_YEAR_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_CODE = re.compile(
    rf"(?<![A-Z0-9])(?:(?P<prefix>[A-Z]{{2,5}})[\s._/-]*)?"
    rf"(?P<year>[0-9OIL]{{2}})[\s._/-]*(?P<tail>[0-9A-Z]{{{RANDOM_LENGTH}}})(?![A-Z0-9])"
)


class TrackingCodeExhaustedError(RuntimeError):
    """Every attempt to draw a free code collided; the code space is nearly full."""


def format_code(*, prefix: str, year: int, tail: str) -> str:
    """Join the parts into the canonical form ``PREFIX-YY-TAIL``."""
    return f"{prefix.upper()}-{year % 100:02d}-{tail}"


def generate_code(*, prefix: str, year: int) -> str:
    """Draw one random code for `year` (the planning year, e.g. 2024) with `secrets`."""
    tail = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH))
    return format_code(prefix=prefix, year=year, tail=tail)


def normalize_code(text: str, *, prefix: str | None = None) -> str | None:
    """Return the canonical code in what someone typed, or None when there is none.

    Accepts lower case, spaces or dots instead of dashes, no separators at all, a full
    stop after it, surrounding words, and O / I / L typed for 0 / 1 in the year. The
    prefix may be left out when `prefix` is given.
    """
    match = _CODE.search(text.upper())
    if match is None:
        return None
    typed_prefix = match["prefix"] or (prefix.upper() if prefix else None)
    tail = match["tail"]
    if typed_prefix is None or any(symbol not in ALPHABET for symbol in tail):
        return None
    year = match["year"].translate(_YEAR_LOOKALIKES)
    return f"{typed_prefix}-{year}-{tail}"


async def pick_free_code(
    is_taken: Callable[[str], Awaitable[bool]],
    *,
    prefix: str,
    year: int,
    max_attempts: int = MAX_ATTEMPTS,
) -> str:
    """Draw codes until `is_taken` says one is free.

    Raises:
        TrackingCodeExhaustedError: after `max_attempts` collisions in a row.
    """
    for _attempt in range(max_attempts):
        code = generate_code(prefix=prefix, year=year)
        if not await is_taken(code):
            return code
    msg = f"no free tracking code for {prefix} {year} after {max_attempts} attempts"
    raise TrackingCodeExhaustedError(msg)


async def new_tracking_code(session: AsyncSession, *, prefix: str, year: int) -> str:
    """Return a code no proposal has yet, for a proposal added in this same transaction.

    Two transactions drawing the same free code at once is a one-in-millions event; the
    unique constraint then fails that update, and the person is asked to try again.
    """

    async def is_taken(code: str) -> bool:
        result = await session.exec(select(Proposal.id).where(Proposal.tracking_code == code))
        return result.first() is not None

    return await pick_free_code(is_taken, prefix=prefix, year=year)
