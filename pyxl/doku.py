"""The function reference ``docs/funktionen.md``, generated from the registry (a test keeps it in step)."""

from __future__ import annotations

from itertools import groupby

from pyxl.functions import REGISTER

KOPF = """# Funktionsreferenz

Automatisch erzeugt aus dem Funktionsregister (`pyxl doku`); nicht von Hand bearbeiten.
Dieselben Funktionen stehen in Excel (Add-in) und auf der Kommandozeile zur Verfügung:
`pyxl fn NAME ARG…` (deutsche Zahlen wie `1.060.000,50`, auch `5000.5`; mehrdeutiges wie `7.850` wird abgelehnt),
Liste mit `pyxl fn --list`.
Argumente in eckigen Klammern sind optional. Ungültige Eingaben ergeben eine Fehlermeldung mit der Regel
(in Excel: `#WERT!`; wo die Regel keinen Richtwert kennt: `#NV`).
"""


def funktionsreferenz() -> str:
    teile = [KOPF]
    for bereich, funktionen in groupby(REGISTER.values(), key=lambda f: f.bereich):
        teile.append(f"\n## {bereich}\n")
        for eintrag in funktionen:
            teile.append(f"\n### `{eintrag.signatur}`\n\n{eintrag.hilfe}\n")
            teile.append(f"\n- Ergebnis in: {eintrag.einheit}\n- Regel: {eintrag.regel}\n")
            for argument in eintrag.argumente:
                zusatz = " (optional)" if argument.optional else ""
                teile.append(f"- `{argument.name}`{zusatz}: {argument.hilfe}\n")
    return "".join(teile)
