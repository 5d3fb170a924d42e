"""What the checking authority supplies beside a submission: the Anlage 1 Fahrplan-km of its companies.

A county keeps Anlage 1 (Liniennetzverzeichnis) in Excel; saved as CSV (semicolon, German numbers, as Excel writes
it) it becomes the values the Trennungsrechnung check compares the submitted Teilnetz Fahrplan-km with::

    Unternehmen;Teilnetz;Fahrplan-km
    Musterbus GmbH;ROW Süd 1;1.150.000
"""

from __future__ import annotations

import csv
import os
from decimal import Decimal
from pathlib import Path

from pyxl import parameter
from pyxl.functions.zahlen import lies_deutsch
from pyxl.parameter import OEPNVParameter

SPALTEN = ("Unternehmen", "Teilnetz", "Fahrplan-km")


class VorgabenFehler(ValueError):
    """The supplied file is unusable: German text naming file, line and value."""


def lies_anlage1(pfad: Path, satzung: OEPNVParameter | None = None) -> dict[str, dict[str, Decimal]]:
    """Company → Teilnetz → Fahrplan-km from a CSV file (first line: the column names above); the Teilnetze those of
    ``satzung`` (default: the current Rotenburg edition)."""
    s = satzung or parameter.oepnv()
    teilnetze = s.trennungsrechnung.teilnetze
    regel = s.regel(s.ziffern.anlage1)
    try:
        text = pfad.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as fehler:
        raise VorgabenFehler(f"Anlage-1-Datei {pfad} nicht lesbar (UTF-8-CSV erwartet): {fehler}") from None
    zeilen = list(csv.reader(text.splitlines(), delimiter=";"))
    if not zeilen or tuple(z.strip() for z in zeilen[0][:3]) != SPALTEN:
        raise VorgabenFehler(f"Anlage-1-Datei {pfad}: erste Zeile muss „{';'.join(SPALTEN)}“ lauten ({regel})")
    werte: dict[str, dict[str, Decimal]] = {}
    for nummer, zeile in enumerate(zeilen[1:], 2):
        if not any(feld.strip() for feld in zeile):
            continue
        if len(zeile) < 3:
            raise VorgabenFehler(f"Anlage-1-Datei {pfad}, Zeile {nummer}: drei Spalten erwartet ({regel})")
        unternehmen, teilnetz, km = (feld.strip() for feld in zeile[:3])
        if teilnetz not in teilnetze:
            raise VorgabenFehler(f"Anlage-1-Datei {pfad}, Zeile {nummer}: Teilnetz „{teilnetz}“ unbekannt – "
                                 f"zulässig: {', '.join(teilnetze)} ({regel})")  # fmt: skip
        zahl = lies_deutsch(km)
        if zahl is None or zahl < 0:
            raise VorgabenFehler(f"Anlage-1-Datei {pfad}, Zeile {nummer}: Fahrplan-km „{km}“ ist keine Zahl ≥ 0 "
                                 f"({regel})")  # fmt: skip
        werte.setdefault(unternehmen, {})[teilnetz] = zahl
    return werte


UMGEBUNG = "PYXL_ANLAGE1"  # the county's Anlage 1 for checks without a file of their own (add-in, web desk)


def vorgaben_der_installation() -> dict[str, object]:
    """What this installation supplies to every check that brings none: the Anlage 1 named by ``PYXL_ANLAGE1``
    (``pyxl serve --anlage1`` sets it); ``{}`` without. A file that became unreadable since: :class:`VorgabenFehler`.
    """
    pfad = os.environ.get(UMGEBUNG)
    return {"anlage1": lies_anlage1(Path(pfad))} if pfad else {}
