"""Button data: one typed class per kind of button, packed as `prefix:field:…` in ≤ 64 bytes.

A kind is declared once, next to the handler that reads it::

    class DesaPage(CallbackData, prefix="desap"):
        page: int = Field(ge=0, le=99)

`DesaPage(page=2).pack()` gives `"desap:2"`; `DesaPage.parse(data)` gives the typed value, or
None for data of another kind, from an old button or made by hand (`"desap:²"`).
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from core.events import Button

MAX_CALLBACK_BYTES = 64
SEPARATOR = ":"
_PREFIXES: set[str] = set()

#: A row's id as the database holds it (PostgreSQL integer), never zero or negative.
RecordId = Annotated[int, Field(ge=1, le=2**31 - 1)]
#: A page of a list.
Page = Annotated[int, Field(ge=0, le=999)]
#: A kecamatan, desa or kelurahan code such as 17.07.01.2001.
RegionCode = Annotated[str, Field(pattern=r"^[0-9]{2}(\.[0-9]{2,4}){1,3}$")]


class CallbackData(BaseModel):
    """The data of one kind of button; subclasses name their `prefix` and typed fields.

    A subclass without a prefix is a shared shape for other kinds, not a kind itself.
    """

    model_config = ConfigDict(frozen=True)
    prefix: ClassVar[str]

    def __init_subclass__(cls, *, prefix: str | None = None, **kwargs: Any) -> None:
        """Register the kind's prefix, refusing one taken by another kind."""
        super().__init_subclass__(**kwargs)
        if prefix is None:
            return
        if not prefix or SEPARATOR in prefix or prefix in _PREFIXES:
            msg = f"callback prefix empty, with {SEPARATOR!r} or taken: {prefix!r}"
            raise ValueError(msg)
        _PREFIXES.add(prefix)
        cls.prefix = prefix

    def pack(self) -> str:
        """Return the data for Telegram, refusing what it would reject or we could not read."""
        values = [str(value) for value in self.model_dump(mode="json").values()]
        if any(SEPARATOR in value for value in values):
            msg = f"callback value contains {SEPARATOR!r}: {values!r}"
            raise ValueError(msg)
        data = SEPARATOR.join([self.prefix, *values])
        if len(data.encode()) > MAX_CALLBACK_BYTES:
            msg = f"callback data over {MAX_CALLBACK_BYTES} bytes: {data!r}"
            raise ValueError(msg)
        return data

    @classmethod
    def parse(cls, data: str) -> Self | None:
        """Return the typed data, or None unless `data` is exactly what `pack` writes."""
        prefix, *values = data.split(SEPARATOR)
        names = list(cls.model_fields)
        if prefix != cls.prefix or len(values) != len(names):
            return None
        try:
            parsed = cls.model_validate(dict(zip(names, values, strict=True)))
        except ValidationError:
            return None
        return parsed if parsed.pack() == data else None

    def button(self, text: str) -> Button:
        """Return an inline button carrying this data."""
        return Button(text=text, data=self.pack())


def prefix_of(data: str) -> str:
    """Return the kind of button some data claims to come from."""
    return data.partition(SEPARATOR)[0]


def in_rows(buttons: list[Button], per_row: int = 2) -> list[list[Button]]:
    """Lay buttons out `per_row` to a row."""
    return [buttons[index : index + per_row] for index in range(0, len(buttons), per_row)]
