"""Limits for untrusted files. Defaults fit real submissions with a wide margin; a TOML file can change them."""

from __future__ import annotations

import tomllib
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

MB = 1024 * 1024


class Grenzen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    dateigroesse: int = Field(50 * MB, description="größte Datei in Byte")
    zip_eintraege: int = Field(2000, description="höchstens so viele Teile im ZIP-Container")
    entpackt_gesamt: int = Field(500 * MB, description="Summe der entpackten Größen in Byte")
    kompression: float = Field(200.0, description="höchstes Verhältnis entpackt/gepackt je Teil")
    zellbereich: int = Field(20_000_000, description="größte erklärte Blattfläche (Zeilen × Spalten) ohne Warnung")
    zeit_s: float = Field(60.0, description="Zeit für die Prüfung einer Datei in Sekunden")
    speicher: int = Field(1536 * MB, description="Adressraum eines Prüfprozesses in Byte (RLIMIT_AS)")
    # What the check of one file may cost, counted before the expensive work (a 65-KB file can name 10.000 sheets)
    blaetter: int = Field(255, description="höchstens so viele Tabellenblätter")
    namen: int = Field(10_000, description="höchstens so viele definierte Namen")
    geteilte_texte: int = Field(500_000, description="höchstens so viele geteilte Texte (sharedStrings)")
    stile: int = Field(64_000, description="höchstens so viele Zellformate (xf) – Excels eigene Grenze")
    zellen: int = Field(2_000_000, description="höchstens so viele Zellen in allen Blättern zusammen")
    markieren_zellen: int = Field(
        300_000, description="größte Mappe (Zellen), von der eine markierte Kopie erstellt wird"
    )
    markieren_stile: int = Field(10_000, description="höchstens so viele Zellformate für eine markierte Kopie")

    @classmethod
    def aus_datei(cls, pfad: Path) -> Grenzen:
        return cls.model_validate(tomllib.loads(pfad.read_text(encoding="utf-8")))
