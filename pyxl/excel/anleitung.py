"""The function table of the clerks' guide ``docs/excel.md``, generated from the registry and the example calls.

Run ``python -m pyxl.excel.anleitung`` to rewrite the table between its markers; a test keeps it current.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from pyxl.excel.beispielaufrufe import BEISPIELAUFRUFE
from pyxl.excel.server import NAMENSRAUM
from pyxl.functions import REGISTER
from pyxl.functions.zahlen import als_decimal, deutsch

ANFANG, ENDE = "<!-- funktionstabelle:anfang -->", "<!-- funktionstabelle:ende -->"
DATEI = Path(__file__).resolve().parents[2] / "docs" / "excel.md"


def _formelwert(wert: object, spalte: str) -> str:
    """An argument as a clerk types it in German Excel."""
    if isinstance(wert, list):
        return f"{spalte}2:{spalte}{len(wert) + 1}"
    if isinstance(wert, dt.date):
        return f"DATUM({wert.year};{wert.month};{wert.day})"
    if isinstance(wert, str):
        return f'"{wert}"'
    return deutsch(als_decimal(wert), tausender=False)


def _ergebnis(wert: Decimal | list[Decimal]) -> str:
    if isinstance(wert, list):
        return (
            f"Spalte mit {len(wert)} Werten: {'; '.join(deutsch(w) for w in wert[:3])}{' …' if len(wert) > 3 else ''}"
        )
    return deutsch(wert)


def funktionstabelle() -> str:
    zeilen = ["| Funktion | Beispiel | Ergebnis |", "|---|---|---|"]
    for name, eintrag in REGISTER.items():
        argumente = list(BEISPIELAUFRUFE[name])
        while argumente and argumente[-1] is None:
            argumente.pop()
        formel = "; ".join("" if a is None else _formelwert(a, "ABCDEFGH"[i]) for i, a in enumerate(argumente))
        ergebnis = eintrag.auswerten(list(BEISPIELAUFRUFE[name])).wert
        zeilen.append(
            f"| `{eintrag.signatur}` | `={NAMENSRAUM}.{name}({formel})` | {_ergebnis(ergebnis)} {eintrag.einheit} |"
        )
    return "\n".join(zeilen)


def aktualisiert(text: str) -> str:
    """``text`` with the table between the markers replaced by the current one."""
    vorne, rest = text.split(ANFANG, 1)
    _alt, hinten = rest.split(ENDE, 1)
    return f"{vorne}{ANFANG}\n{funktionstabelle()}\n{ENDE}{hinten}"


if __name__ == "__main__":
    DATEI.write_text(aktualisiert(DATEI.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"geschrieben: {DATEI}")
