"""Pydantic models of a letter's metadata (fields of shared/letters/README.md)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from schemas.enums import Kind, Secrecy, Urgency

METADATA_FIELDS = (
    "kind",
    "number",
    "circular",
    "date",
    "subject",
    "to",
    "from_org",
    "secrecy",
    "urgency",
    "references",
    "enclosures",
)


class Reference(BaseModel):
    """An earlier letter cited under อ้างถึง."""

    number: str | None = None
    date: dt.date | None = None


class ReceiptStamp(BaseModel):
    """A receiving office's stamp: เลขรับ, วันที่, เวลา (never the letter's number)."""

    number: str
    date: dt.date | None = None
    time: str | None = None  # HH:MM


class LetterMetadata(BaseModel):
    """What extraction reads off a letter; every field may be unknown."""

    kind: Kind | None = None
    number: str | None = None
    circular: bool = False
    date: dt.date | None = None
    subject: str | None = None
    to: str | None = None
    from_org: str | None = None
    secrecy: Secrecy = Secrecy.none
    urgency: Urgency = Urgency.normal
    references: list[Reference] = Field(default_factory=list)
    enclosures: list[str] = Field(default_factory=list)
    signer: str | None = None
    receipt_stamps: list[ReceiptStamp] = Field(default_factory=list)
    confidence: dict[str, float] = Field(default_factory=dict)


class ExtractResult(LetterMetadata):
    """The JSON object of `saraban extract FILE --json`."""

    text: str = ""
    warnings: list[str] = Field(default_factory=list)
