"""RPJMD catalogue tables: imported programs and Bappeda's match corrections."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from models.base import timestamp_field


class Program(SQLModel, table=True):
    """A regency's own RPJMD program, imported on top of the national nomenclature."""

    code: str = Field(primary_key=True, max_length=40)
    name: str = Field(max_length=500)
    level: str = Field(default="program", max_length=20)
    parent_code: str | None = Field(default=None, max_length=40)
    opd: str = Field(default="", max_length=200)
    bidang: str = Field(default="", max_length=20)
    indicator: str = Field(default="", max_length=1000)
    target: str = Field(default="", max_length=200)
    unit: str = Field(default="", max_length=100)
    keywords: str = Field(default="", max_length=2000)
    imported_at: datetime = timestamp_field()


class MatchCorrection(SQLModel, table=True):
    """A program Bappeda chose by hand for a proposal text; evidence for later matches."""

    id: int | None = Field(default=None, primary_key=True)
    proposal_id: int | None = Field(default=None, foreign_key="proposal.id", index=True)
    text: str = Field(max_length=2000)
    program_code: str = Field(max_length=40, index=True)
    corrected_by: int | None = Field(default=None)
    created_at: datetime = timestamp_field()
