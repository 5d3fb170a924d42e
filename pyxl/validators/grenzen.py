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


class AnfrageGrenzen(BaseModel):
    """Limits of the Excel add-in server per request, checked before any expensive work (``pyxl serve``).

    A clerk's call stays far below them; an oversized or hostile one is refused in German (HTTP 413/400) before it
    costs seconds and hundreds of MB. Cost of a function call at the cell limit: bench/excel_server_bench.py.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    koerper: int = Field(50 * MB, description="größte Anfrage in Byte (das Arbeitsmappen-JSON des Aufgabenbereichs)")
    zellen_je_aufruf: int = Field(
        200_000, description="Zellen in den Argumenten eines Funktionsaufrufs (zwei Spalten mit je 100.000 Zeilen)"
    )
    tiefe: int = Field(16, description="tiefste Verschachtelung des JSON (Funktionsaufruf 4, Arbeitsmappe 5 Ebenen)")
    mappe_zellen: int = Field(2_000_000, description="Zellen im Arbeitsmappen-JSON eines Skriptaufrufs")
    mappe_blaetter: int = Field(1000, description="Blätter im Arbeitsmappen-JSON eines Skriptaufrufs")
    # the web desk (GET/POST /pruefen): what one upload may bring; each file is then checked within Grenzen
    upload_dateien: int = Field(200, description="Dateien je Hochladen in der Prüfstelle")
    upload_gesamt: int = Field(200 * MB, description="Byte je Hochladen in der Prüfstelle (alle Dateien zusammen)")
    speicher_je_nutzer: int = Field(
        1024 * MB, description="Byte, die eine Person in der Prüfstelle innerhalb der Aufbewahrungszeit belegen kann"
    )
    pruefungen_je_nutzer: int = Field(
        3, description="Prüfungen, die eine Person in der Prüfstelle zugleich hochladen oder laufen lassen kann"
    )

    @property
    def upload_formular(self) -> int:
        """Bytes of one upload form: the files plus 1 MB for the form around them (boundaries, part headers, fields).
        The web desk reads no further; nginx in front refuses above it (:mod:`pyxl.bereitstellung`)."""
        return self.upload_gesamt + MB
