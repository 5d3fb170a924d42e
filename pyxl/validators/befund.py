"""A validation report as data: findings with rule, severity, place, German message, expected, found, clause.

Attribute names are German like the rest of the code; the JSON keys are the English ones users script against.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, SerializeAsAny

from pyxl import __version__
from pyxl.functions.antwort import regeln_text

# the finding itself lives below templates (forms' cross rules make findings too); re-exported here for the reports
from pyxl.pruefregeln.befund import KURZ, MELDUNG_MAX, Befund, Schwere, gekuerzt

__all__ = ["KURZ", "MELDUNG_MAX", "Befund", "Bericht", "Schwere", "Status", "Teil", "exit_code", "gekuerzt"]


def _jetzt() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


class Status(StrEnum):
    GEPRUEFT = "checked"
    NICHT_PRUEFBAR = "not_checkable"


class Teil(BaseModel):
    """One table of a file that holds many (a product's plan in a whole budget): where it stands, the scheme it
    follows and its findings counted — a row of the overview at the top of the report."""

    model_config = ConfigDict(populate_by_name=True)

    produkt: str | None = Field(default=None, serialization_alias="product")
    plan: str | None = Field(default=None, serialization_alias="plan")
    zeilenschema: str | None = Field(default=None, serialization_alias="scheme")
    blatt: str | None = Field(default=None, serialization_alias="sheet")
    anzahl: dict[Schwere, int] = Field(default_factory=lambda: dict.fromkeys(Schwere, 0), serialization_alias="summary")

    @classmethod
    def aus(cls, befunde: list[Befund], **ort: str | None) -> Teil:
        """The row of a table with these findings."""
        anzahl = dict.fromkeys(Schwere, 0)
        for befund in befunde:
            anzahl[befund.schwere] += 1
        return cls(anzahl=anzahl, **ort)


class Bericht(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    datei: str = Field(serialization_alias="file")
    formular: str | None = Field(default=None, serialization_alias="form")
    version: str | None = Field(default=None, serialization_alias="version")
    titel: str | None = Field(default=None, serialization_alias="title")
    status: Status = Field(default=Status.GEPRUEFT, serialization_alias="status")
    # a file with many tables (a whole budget): one row per table, shown above the findings; empty otherwise
    teile: list[Teil] = Field(default_factory=list, serialization_alias="products")
    befunde: list[SerializeAsAny[Befund]] = Field(default_factory=list, serialization_alias="findings")
    # what the check was computed with: pyxl's version as `pyxl --version` prints it, and each parameter set
    # (edition, validity, source, SHA-256 of its data) — an auditor can tell which law a finding applied
    pyxl_version: str = Field(default=__version__, serialization_alias="pyxl_version")
    # the record of the check (issue 15): when, and exactly which bytes — a report that can be filed
    geprueft_am: str = Field(default_factory=_jetzt, serialization_alias="checked_at")  # ISO 8601, local, with offset
    groesse: int | None = Field(default=None, serialization_alias="size")  # bytes read; None: not readable
    sha256: str | None = Field(default=None, serialization_alias="sha256")  # lowercase hex of exactly those bytes
    kopie: str | None = Field(default=None, serialization_alias="annotated_copy")  # its file name in --ausgabe
    regeln: list[dict[str, object]] = Field(default_factory=list, serialization_alias="rules")

    def bytes_vermerken(self, daten: bytes) -> None:
        """Size and SHA-256 of the bytes that were checked (read once; the file may change afterwards)."""
        self.groesse, self.sha256 = len(daten), hashlib.sha256(daten).hexdigest()

    def regeln_aus(self, regelwerke: object) -> None:
        """Record the parameter sets (:class:`~pyxl.parameter.Regelwerk`) the check used, each once."""
        for regelwerk in regelwerke:  # type: ignore[attr-defined]
            herkunft = regelwerk.herkunft()
            if herkunft not in self.regeln:
                self.regeln.append(herkunft)

    def regeln_text(self) -> str:
        """``Regeln: RZWas 2005 (Prüfsumme 35d820917fc6) · pyxl 0.1.0`` — the footer of text, HTML and sheet."""
        return regeln_text(self.regeln, self.pyxl_version)

    def anzahl(self, schwere: Schwere) -> int:
        return sum(1 for b in self.befunde if b.schwere is schwere)

    @property
    def hat_fehler(self) -> bool:
        return self.anzahl(Schwere.FEHLER) > 0

    def als_json(self) -> dict:
        daten = self.model_dump(mode="json", by_alias=True)
        daten["summary"] = {s.value: self.anzahl(s) for s in Schwere}
        if not self.teile:
            del daten["products"]
        return daten


def exit_code(berichte: list[Bericht]) -> int:
    """0: no errors; 1: errors found; 2: a file could not be checked."""
    if any(b.status is Status.NICHT_PRUEFBAR for b in berichte):
        return 2
    return 1 if any(b.hat_fehler for b in berichte) else 0
