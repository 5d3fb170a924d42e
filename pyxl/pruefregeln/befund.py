"""A finding as data: rule, severity, place, German message, expected, found, clause — one type for the gate,
the form checks, the forms' own cross rules and the budget checks.

Attribute names are German like the rest of the code; the JSON keys are the English ones users script against.
Create findings with :func:`pyxl.pruefregeln.befund`, which takes severity and clause from the catalogue.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, SerializationInfo, model_serializer, model_validator

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
    # how the expected value of a formula cell came about: {"trace": [...], "parameters": [...]} as `pyxl fn
    # --erklaeren --json` gives it; only on findings about a recomputed result (absent in JSON otherwise)
    erklaerung: dict[str, list[dict[str, object]]] | None = Field(default=None, serialization_alias="explanation")

    @model_serializer(mode="wrap")
    def _ohne_leere_erklaerung(self, weiter: object, info: SerializationInfo) -> dict:
        """The explanation key only where there is one: the JSON of every other finding stays as it was."""
        daten = weiter(self)  # type: ignore[operator]
        for name in ("explanation", "erklaerung"):
            if daten.get(name, 0) is None:
                del daten[name]
        return daten

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
