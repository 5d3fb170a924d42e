"""The references in ``docs/``, generated (tests keep them in step): the functions from the registry
(``funktionen.md``), the findings from the rule catalogue (``pruefregeln.md``)."""

from __future__ import annotations

from itertools import groupby

from pyxl.functions import REGISTER
from pyxl.pruefregeln import katalog

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


REGELN_KOPF = """# Prüfregeln

Automatisch erzeugt aus dem Regelkatalog `pyxl/pruefregeln/katalog.toml` (`pyxl doku`); nicht von Hand bearbeiten.
Jeder Befund eines Prüfberichts nennt seine Regel (im JSON-Bericht `rule`), die Schwere (`severity`: Fehler =
`error`, Warnung = `warning`, Hinweis = `info`) und die Fundstelle (`clause`). Hat ein Befund eine genauere
Fundstelle – die Regel seines Feldes, etwa „RZWas 2005 Anl. 2b Nr. 2“ –, trägt er diese, sonst die hier genannte.

Ein Fehler heißt: so nicht annehmbar (Exit-Code 1; ist die Datei gar nicht prüfbar, 2). Eine Warnung ist zu prüfen
und gegebenenfalls erläutern zu lassen, ein Hinweis dient der Kenntnis.
"""


def regelreferenz() -> str:
    """``docs/pruefregeln.md``: every rule of the catalogue, by area, with severity, meaning and clause."""
    teile = [REGELN_KOPF]
    for bereich, regeln in groupby(katalog().values(), key=lambda r: r.bereich):
        teile.append(f"\n## {bereich.titel}\n\n{bereich.text}\n")
        for regel in regeln:
            schwere = " oder ".join(s.deutsch for s in regel.schweren) + (
                " (je nach Fall)" if len(regel.schweren) > 1 else ""
            )
            teile.append(f"\n### `{regel.kennung}` – {regel.titel}\n\n")
            teile.append(f"- Schwere: {schwere}\n- Bedeutung: {regel.bedeutung}\n- Fundstelle: {regel.fundstelle}\n")
    return "".join(teile)
