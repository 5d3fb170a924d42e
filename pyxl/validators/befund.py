"""A validation report as data: findings with rule, severity, place, German message, expected, found, clause.

Attribute names are German like the rest of the code; the JSON keys are the English ones users script against.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, SerializeAsAny, model_validator

# Text from a submission can be huge (a 45 MB cell): reports show its start, cut here once for every renderer.
KURZ = 200
MELDUNG_MAX = 500


def gekuerzt(text: str | None, laenge: int = KURZ) -> str | None:
    """``text`` cut to ``laenge`` characters, with "…" marking the cut."""
    if text is None or len(text) <= laenge:
        return text
    return text[:laenge] + "…"


class Schwere(StrEnum):
    FEHLER = "error"
    WARNUNG = "warning"
    HINWEIS = "info"

    @property
    def deutsch(self) -> str:
        return {"error": "Fehler", "warning": "Warnung", "info": "Hinweis"}[self.value]


class Befund(BaseModel):
    model_config = ConfigDict(populate_by_name=True, frozen=True)

    regel: str = Field(serialization_alias="rule", description="Kennung der Prüfregel, z. B. formel_ueberschrieben")
    schwere: Schwere = Field(serialization_alias="severity")
    blatt: str | None = Field(default=None, serialization_alias="sheet")
    zelle: str | None = Field(default=None, serialization_alias="cell")
    meldung: str = Field(serialization_alias="message")
    erwartet: str | None = Field(default=None, serialization_alias="expected")
    gefunden: str | None = Field(default=None, serialization_alias="found")
    fundstelle: str | None = Field(default=None, serialization_alias="clause")
    schluessel: str | None = Field(default=None, serialization_alias="key", description="Feld der Vorlage")

    @model_validator(mode="before")
    @classmethod
    def _kurz(cls, daten: object) -> object:
        """Every text field, also those of subclasses (a budget row's label): the message up to
        :data:`MELDUNG_MAX`, the rest up to :data:`KURZ` characters."""
        if not isinstance(daten, dict):
            return daten
        return {
            k: gekuerzt(v, MELDUNG_MAX if k in ("meldung", "message") else KURZ) if isinstance(v, str) else v
            for k, v in daten.items()
        }


class Status(StrEnum):
    GEPRUEFT = "checked"
    NICHT_PRUEFBAR = "not_checkable"


class Bericht(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    datei: str = Field(serialization_alias="file")
    formular: str | None = Field(default=None, serialization_alias="form")
    version: str | None = Field(default=None, serialization_alias="version")
    titel: str | None = Field(default=None, serialization_alias="title")
    status: Status = Field(default=Status.GEPRUEFT, serialization_alias="status")
    befunde: list[SerializeAsAny[Befund]] = Field(default_factory=list, serialization_alias="findings")

    def anzahl(self, schwere: Schwere) -> int:
        return sum(1 for b in self.befunde if b.schwere is schwere)

    @property
    def hat_fehler(self) -> bool:
        return self.anzahl(Schwere.FEHLER) > 0

    def als_json(self) -> dict:
        daten = self.model_dump(mode="json", by_alias=True)
        daten["summary"] = {s.value: self.anzahl(s) for s in Schwere}
        return daten


def exit_code(berichte: list[Bericht]) -> int:
    """0: no errors; 1: errors found; 2: a file could not be checked."""
    if any(b.status is Status.NICHT_PRUEFBAR for b in berichte):
        return 2
    return 1 if any(b.hat_fehler for b in berichte) else 0
