"""Stated shares and changes in reports, recomputed from their counts at the precision they are printed with.

Input: a table (CSV or xlsx) with a header naming the columns — Bezeichnung (optional), Art ("Anteil" or
"Veränderung"; default Anteil), Anzahl/Teil/neu, Basis/Gesamt/alt, Prozent (as stated). "29,3" is checked to one
decimal, "60" to none: a statement is wrong only if it differs at its own printed precision (half-up).
"""

from __future__ import annotations

from decimal import Decimal

from pyxl import parameter
from pyxl.functions.eingabe import zahl
from pyxl.functions.fehler import Eingabefehler
from pyxl.functions.geld import runde
from pyxl.functions.zahlen import als_decimal, deutsch, lies_deutsch
from pyxl.haushalt.pruefung import HaushaltsBefund
from pyxl.pruefregeln import befund

SPALTEN = {
    "bezeichnung": ("bezeichnung", "aussage", "text"),
    "art": ("art",),
    "anzahl": ("anzahl", "teil", "neu", "wert"),
    "basis": ("basis", "gesamt", "alt", "vorjahr"),
    "prozent": ("prozent", "anteil %", "prozent (angegeben)", "angegeben", "%"),
}


def _kopf(zeile: list[object]) -> dict[str, int] | None:
    namen = [str(z).strip().lower() if z is not None else "" for z in zeile]
    zuordnung = {}
    for schluessel, moegliche in SPALTEN.items():
        for i, name in enumerate(namen):
            if name in moegliche and i not in zuordnung.values():
                zuordnung[schluessel] = i
                break
    return zuordnung if {"anzahl", "basis", "prozent"} <= set(zuordnung) else None


def _zahl_und_stellen(wert: object) -> tuple[Decimal, int] | None:
    if isinstance(wert, bool) or wert is None:
        return None
    if isinstance(wert, int | float | Decimal):
        d = als_decimal(wert)
        d = d.normalize() if d == d.to_integral_value() else d
    else:
        text = str(wert).replace("%", "").strip()
        d = lies_deutsch(text)
        if d is None:
            return None
    stellen = max(0, -d.as_tuple().exponent) if d != d.to_integral_value() else 0
    return d, stellen


def kopfspalten(zeilen: list[list[object]]) -> list[int] | None:
    """The columns a header among the first five rows names (in sheet order), or None: no table of statements."""
    for zeile in zeilen[:5]:
        kopf = _kopf(zeile)
        if kopf:
            return sorted(kopf.values())
    return None


def ist_aussagentabelle(zeilen: list[list[object]]) -> bool:
    return kopfspalten(zeilen) is not None


def pruefe_aussagen(
    zeilen: list[list[object]], *, statistik: parameter.Berichtsstatistik | None = None
) -> list[HaushaltsBefund]:
    REGEL = (statistik or parameter.berichtsstatistik()).ref  # the clause of every finding below
    befunde: list[HaushaltsBefund] = []
    kopf: dict[str, int] | None = None
    for nummer, zeile in enumerate(zeilen, 1):
        if kopf is None:
            kopf = _kopf(zeile)
            continue

        def feld(name: str, kopf: dict[str, int] = kopf, zeile: list[object] = zeile) -> object:
            i = kopf.get(name)
            return zeile[i] if i is not None and i < len(zeile) else None

        if all(feld(n) in (None, "") for n in ("anzahl", "basis", "prozent")):
            continue
        art = str(feld("art") or "Anteil").strip().lower()
        text = str(feld("bezeichnung") or f"Zeile {nummer}")
        angegeben = _zahl_und_stellen(feld("prozent"))
        try:
            teil, basis = (
                zahl(_zahl_und_stellen(feld("anzahl"))[0], "Anzahl", REGEL),
                zahl(_zahl_und_stellen(feld("basis"))[0], "Basis", REGEL),
            )
            if angegeben is None:
                raise Eingabefehler("Prozent", feld("prozent"), "keine Zahl", REGEL)
            if basis == 0:
                raise Eingabefehler("Basis", feld("basis"), "darf nicht 0 sein", REGEL)
        except (Eingabefehler, TypeError) as fehler:
            befunde.append(
                befund(
                    "aussage_unlesbar",
                    art=HaushaltsBefund,
                    fundstelle=REGEL,
                    meldung=f"{text}: nicht prüfbar ({fehler})",
                    zeile=str(nummer),
                )
            )
            continue
        wert, stellen = angegeben
        roh = (teil / basis - 1) * 100 if art.startswith("ver") else teil / basis * 100
        richtig = runde(roh, stellen)
        if richtig != wert:
            was = "Veränderung" if art.startswith("ver") else "Anteil"
            befunde.append(
                befund(
                    "aussage_falsch",
                    art=HaushaltsBefund,
                    fundstelle=REGEL,
                    zeile=str(nummer),
                    bezeichnung=text,
                    meldung=f"{text}: {was} angegeben {deutsch(wert)} %, aus {deutsch(teil)} und "
                    f"{deutsch(basis)} ergibt sich {deutsch(richtig)} % (gerundet wie angegeben)",
                    erwartet=f"{deutsch(richtig)} %",
                    gefunden=f"{deutsch(wert)} %",
                )
            )
    return befunde
