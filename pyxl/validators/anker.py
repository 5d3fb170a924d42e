"""The row anchors must lead to the form the official sees, not to a clean copy somewhere else in the workbook.

Anchors (hidden names, one per template row) are moved by Excel only as inserting or deleting rows moves them:
they stay on their own sheet and in the form's order. Anything else is manipulation — and so is an anchor that
skips the visible row carrying its label: each anchor must point at the first row, from the top and in the
form's order, that shows its row's label and is not hidden. Where it does not, the visible row is checked
instead and the anchor reported. A second copy of the labelled block anywhere in the workbook is an error too:
the official cannot tell which copy counts.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from pyxl.functions.zahlen import als_decimal
from pyxl.pruefregeln import Befund, befund
from pyxl.templates.modell import Formular, Rolle
from pyxl.validators.ausrichten import Zuordnung, bezug_lesen
from pyxl.validators.lesen import Mappe, Tabellenblatt
from pyxl.validators.zeichen import vergleichbar

KOPIE_MINDESTENS = 3  # labels seen again before a second copy of the form is assumed (one stray "Summe" is none)


@dataclass(frozen=True)
class _Zeile:
    vorlage: int  # row in the template
    spalte: str  # column of its label
    schluessel: str  # the label, normalised


def beschriftung(wert: object) -> str | None:
    """A label as compared: case, spacing, look-alike letters and number spelling do not tell two rows apart."""
    if wert is None or isinstance(wert, bool):
        return None
    if isinstance(wert, int | float | Decimal):
        try:
            return "#" + format(als_decimal(wert).normalize(), "f")
        except (InvalidOperation, ValueError):
            return None
    return vergleichbar(str(wert)) or None


_BESCHRIFTET: dict[tuple[int, str], tuple[Formular, list[_Zeile]]] = {}


def _beschriftete_zeilen(formular: Formular, blatt: str) -> list[_Zeile]:
    """Each template row of ``blatt`` with its leftmost text label (a word rather than a number if it has one).
    Computed once per form (the form keeps its entry alive, so its id is not reused)."""
    schluessel = (id(formular), blatt)
    if schluessel not in _BESCHRIFTET:
        _BESCHRIFTET[schluessel] = (formular, _beschriftungen(formular, blatt))
    return _BESCHRIFTET[schluessel][1]


def _beschriftungen(formular: Formular, blatt: str) -> list[_Zeile]:
    zeilen: dict[int, list[tuple[bool, int, str, str]]] = {}
    for feld in formular.felder:
        if feld.blatt != blatt or feld.rolle is not Rolle.TEXT:
            continue
        schluessel = beschriftung(feld.wert)
        if schluessel is None:
            continue
        spalte = feld.zelle.rstrip("0123456789")
        zeile = int(feld.zelle[len(spalte) :])
        zeilen.setdefault(zeile, []).append((schluessel.startswith("#"), len(spalte), spalte, schluessel))
    return [_Zeile(z, min(k)[2], min(k)[3]) for z, k in sorted(zeilen.items())]


def _vorkommen(blatt: Tabellenblatt, spalten: set[str]) -> dict[tuple[str, str], list[int]]:
    """(column, label) -> rows where it stands, ascending; one pass over the sheet's cells."""
    index: dict[tuple[str, str], list[int]] = {}
    for adresse, zelle in blatt.zellen.items():
        spalte = adresse.rstrip("0123456789")
        if spalte in spalten and zelle.formel is None:
            schluessel = beschriftung(zelle.wert)
            if schluessel is not None:
                index.setdefault((spalte, schluessel), []).append(int(adresse[len(spalte) :]))
    for zeilen in index.values():
        zeilen.sort()
    return index


def _ankerblatt(bezug: str) -> str | None:
    gelesen = bezug_lesen(bezug)
    return None if gelesen is None else gelesen.blatt


def pruefe_anker(formular: Formular, mappe: Mappe, zuordnung: Zuordnung) -> list[Befund]:
    """Findings on the anchors; ``zuordnung`` is corrected to the visible rows where an anchor skipped them."""
    befunde: list[Befund] = []

    def melde(regel: str, blatt: str, zelle: str | None, meldung: str, **mehr: str | None) -> None:
        befunde.append(befund(regel, blatt=blatt, zelle=zelle, meldung=meldung, **mehr))

    for name, (blattname, zeile) in formular.zeilenanker().items():
        bezug = mappe.namen.get(name)
        if bezug is not None and "#REF" not in bezug and _ankerblatt(bezug) != blattname:
            melde("zeilenanker_manipuliert", blattname, f"A{zeile}",
                   f"Zeilenanker der Vordruckzeile {zeile} zeigt auf ein anderes Blatt – so verschiebt Excel keine "
                   "Namen (manipulierte Datei)", erwartet=blattname, gefunden=bezug[:80])  # fmt: skip
    for vorlage_blatt in formular.blaetter:
        blatt = mappe.blaetter.get(vorlage_blatt.name)
        if blatt is not None:
            befunde.extend(_pruefe_blatt(formular, mappe, blatt, zuordnung, melde))
    return befunde


def _pruefe_blatt(formular: Formular, mappe: Mappe, blatt: Tabellenblatt, zuordnung: Zuordnung, melde) -> list:
    name = blatt.name
    zeilen = zuordnung.zeilen.get(name, {})
    vorher = 0
    for vorlage in sorted(zeilen):
        ziel = zeilen[vorlage]
        if ziel is None:
            continue
        if ziel <= vorher:  # inserting or deleting rows never changes the order of the rows that remain
            melde("zeilenanker_manipuliert", name, f"A{ziel}",
                   f"Zeilenanker der Vordruckzeile {vorlage} steht nicht mehr in der Reihenfolge des Vordrucks "
                   "(manipulierte Datei)", erwartet=f"nach Zeile {vorher}", gefunden=f"Zeile {ziel}")  # fmt: skip
            return []
        vorher = ziel
    beschriftet = _beschriftete_zeilen(formular, name)
    index = _vorkommen(blatt, {z.spalte for z in beschriftet})
    verschoben: list[tuple[int, int, int]] = []  # template row, visible row, anchored row
    vorher = 0
    for zeile in beschriftet:
        ziel = zeilen.get(zeile.vorlage, zeile.vorlage)
        if ziel is None:
            continue
        treffer = index.get((zeile.spalte, zeile.schluessel), [])
        stelle = bisect.bisect_right(treffer, vorher)
        sichtbar = next((r for r in treffer[stelle:] if r < ziel and not blatt.zeile_versteckt(r)), None)
        if sichtbar is not None:
            verschoben.append((zeile.vorlage, sichtbar, ziel))
            zeilen[zeile.vorlage] = ziel = sichtbar
        vorher = ziel
    if verschoben:
        vorlage, sichtbar, ziel = verschoben[0]
        melde("zeilenanker_verschoben", name, f"A{sichtbar}",
               f"{len(verschoben)} Zeilenanker zeigen nicht auf die sichtbare Zeile mit ihrer Beschriftung, sondern "
               f"weiter nach unten (zuerst Vordruckzeile {vorlage}: sichtbar in Zeile {sichtbar}, Anker auf Zeile "
               f"{ziel}) – geprüft werden die sichtbaren Zeilen (Vordruck doppelt oder Anker verschoben)",
               erwartet=f"Zeile {sichtbar}", gefunden=f"Zeile {ziel}")  # fmt: skip
    versteckt = sorted(z for z in zeilen.values() if z is not None and blatt.zeile_versteckt(z))
    if versteckt:
        melde("zeile_ausgeblendet", name, f"A{versteckt[0]}",
               f"Zeilen des Vordrucks sind ausgeblendet ({', '.join(map(str, versteckt[:10]))}) – geprüft wird, "
               "was die Prüferin nicht sieht; bitte einblenden", gefunden=f"{len(versteckt)} Zeilen")  # fmt: skip
    return _kopien(beschriftet, index, zeilen, mappe, blatt, {b.name for b in formular.blaetter})


def _kopien(beschriftet: list[_Zeile], index: dict, zeilen: dict[int, int | None], mappe: Mappe,
            blatt: Tabellenblatt, vordruckblaetter: set[str]) -> list[Befund]:  # fmt: skip
    """A second copy of the labelled block: on this sheet beside the form, or on any other sheet."""
    belegt: dict[tuple[str, str], set[int]] = {}
    for zeile in beschriftet:
        ziel = zeilen.get(zeile.vorlage, zeile.vorlage)
        belegt.setdefault((zeile.spalte, zeile.schluessel), set()).add(ziel if ziel is not None else -1)
    fremd = sorted(
        (min(r for r in reihe if r not in belegt[k]), k)
        for k, reihe in index.items()
        if k in belegt and any(r not in belegt[k] for r in reihe)
    )
    orte = [(blatt.name, f"{k[0]}{r}") for r, k in fremd]
    if len(fremd) < min(KOPIE_MINDESTENS, len(belegt)):
        orte = []
        for anderes in mappe.blaetter.values():
            if anderes.name in vordruckblaetter:  # the form's own sheets may share labels (Parameter)
                continue
            gesehen = _vorkommen(anderes, {k[0] for k in belegt})
            gleich = sorted((min(reihe), k) for k, reihe in gesehen.items() if k in belegt)
            if len(gleich) >= min(KOPIE_MINDESTENS, len(belegt)):
                orte = [(anderes.name, f"{k[0]}{r}") for r, k in gleich]
                break
    if not orte:
        return []
    blattname, zelle = orte[0]
    return [
        befund(
            "vordruck_doppelt",
            blatt=blattname,
            zelle=zelle,
            meldung=f"Die Mappe enthält eine zweite Kopie des Vordrucks „{blatt.name}“ ({len(orte)} Beschriftungen "
            "doppelt) – es ist nicht erkennbar, welche gilt; bitte nur den Vordruck einreichen",
            gefunden=", ".join(f"{b}!{z}" for b, z in orte[:5]),
        )
    ]
