"""The form's defined names must still name what the template names: a formula reads ``P_KA_max`` through its
name, so a name moved to another cell changes every result while each formula's text stays the same.

A name may move only as inserting rows moves it (the rows of its sheet, through the row anchors). A sheet-scoped
name that shadows a form's name or row anchor (Excel prefers it on its sheet) is manipulation, and so is a
name the template defines that is missing.
"""

from __future__ import annotations

from pyxl.pruefregeln import Befund, befund
from pyxl.templates.modell import ANKER_PRAEFIX, Formular
from pyxl.validators.ausrichten import Bezug, Zuordnung, bezug_lesen
from pyxl.validators.lesen import Mappe


def erwartete_namen(formular: Formular) -> dict[str, str]:
    """Every defined name of the template with its reference, as the builder writes them."""
    namen = dict(formular.bereiche)
    for feld in formular.felder:
        if feld.name:
            spalte = feld.zelle.rstrip("0123456789")
            namen[feld.name] = f"'{feld.blatt}'!${spalte}${feld.zelle[len(spalte) :]}"
    return namen


def _verschoben(bezug: Bezug, zuordnung: Zuordnung) -> Bezug | None:
    """The template's reference with its rows moved like the rows they name (None: a row was deleted)."""
    von, bis = zuordnung.zeile(bezug.blatt, bezug.von[1]), zuordnung.zeile(bezug.blatt, bezug.bis[1])
    if von is None or bis is None:
        return None
    return Bezug(bezug.blatt, (bezug.von[0], von), (bezug.bis[0], bis))


def pruefe_namen(formular: Formular, mappe: Mappe, zuordnung: Zuordnung) -> list[Befund]:
    befunde: list[Befund] = []

    def melde(regel: str, meldung: str, erwartet: str | None, gefunden: str | None) -> None:
        befunde.append(befund(regel, meldung=meldung, erwartet=erwartet, gefunden=gefunden))

    for name, vorlage in erwartete_namen(formular).items():
        soll = bezug_lesen(vorlage)
        ist_text = mappe.namen.get(name)
        if ist_text is None:
            melde("name_fehlt", f"Der Name „{name}“ des Vordrucks fehlt – Formeln, die ihn lesen, rechnen nicht mehr "
                   "nach der Regel", vorlage, None)  # fmt: skip
            continue
        erwartet = _verschoben(soll, zuordnung) if soll else None
        if erwartet is not None and bezug_lesen(ist_text) != erwartet:
            melde("name_geaendert", f"Der Name „{name}“ zeigt auf eine andere Zelle als im Vordruck – jede Formel, "
                   "die ihn liest, rechnet dann mit einem anderen Wert", vorlage, ist_text)  # fmt: skip
    geschuetzt = {n.lower() for n in erwartete_namen(formular)}
    for name, bezuege in mappe.lokale_namen.items():
        if name in geschuetzt or name.startswith(ANKER_PRAEFIX.lower()):
            melde("name_verdeckt", f"Ein blattbezogener Name „{name}“ verdeckt den gleichnamigen Namen des "
                   "Vordrucks – Excel rechnet auf diesem Blatt mit ihm (manipulierte Datei)", None,
                   ", ".join(bezuege[:3]))  # fmt: skip
    return befunde
