"""One budget file, whatever its form: printed-plan text, CSV, or xlsx (through the validator's gate)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from pyxl.haushalt.aussagen import ist_aussagentabelle, kopfspalten, pruefe_aussagen
from pyxl.haushalt.kennzahlen import pruefe_kennzahlen, pruefe_stellenplan
from pyxl.haushalt.plaene import lies_text, lies_zeilen
from pyxl.haushalt.pruefung import pruefe_tabelle
from pyxl.validators.befund import Befund, Bericht, Schwere, Status
from pyxl.validators.erkennen import erkenne
from pyxl.validators.grenzen import Grenzen
from pyxl.validators.lesen import Mappe, lies_mappe
from pyxl.validators.regeln import pruefe_formular
from pyxl.validators.tor import REGEL, Abgelehnt, lies_datei, oeffne_container


def _text(daten: bytes) -> str:
    if b"\0" in daten[:4096]:
        raise Abgelehnt("kein_text", "Weder Text noch CSV noch .xlsx (Binärdatei)")
    try:
        return daten.decode("utf-8-sig")
    except UnicodeDecodeError:
        return daten.decode("cp1252", errors="replace")  # older exports from Windows


def _csv_zeilen(text: str) -> list[list[object]]:
    try:
        dialekt = csv.Sniffer().sniff(text[:8192], delimiters=";\t,")
    except csv.Error:
        dialekt = csv.excel
        dialekt.delimiter = ";"
    return [list(z) for z in csv.reader(io.StringIO(text), dialekt)]


def _spaltenfolge(spalte: str) -> tuple[int, str]:
    return len(spalte), spalte  # "B" before "AA"


def _xlsx_zeilen(mappe: Mappe) -> list[list[list[object]]]:
    """Each sheet's rows (cached values) — never as a full rows × columns grid, which a sparse sheet (one cell per
    row and column) makes quadratic. A table of stated percentages keeps only the columns its header names, each
    row in the same places; any other sheet keeps each row's own cells in column order."""
    blaetter = []
    for blatt in mappe.blaetter.values():
        zeilen: dict[int, dict[str, object]] = {}
        for adresse, zelle in blatt.zellen.items():
            spalte = adresse.rstrip("0123456789")
            zeilen.setdefault(int(adresse[len(spalte) :]), {})[spalte] = zelle.wert
        geordnet = [z for _, z in sorted(zeilen.items())]
        spalten = sorted({s for z in geordnet[:5] for s in z}, key=_spaltenfolge)  # the header is in the first five
        kopf = kopfspalten([[z.get(s) for s in spalten] for z in geordnet[:5]])
        if kopf is not None:
            auswahl = [spalten[i] for i in kopf]
            blaetter.append([[z.get(s) for s in auswahl] for z in geordnet])
        else:
            blaetter.append([[z[s] for s in sorted(z, key=_spaltenfolge)] for z in geordnet])
    return blaetter


def _pruefe_zeilen(blaetter: list[list[list[object]]]) -> tuple[bool, list[Befund]]:
    """Plan tables or a table of stated percentages, whichever the rows are."""
    befunde: list[Befund] = []
    gefunden = False
    for zeilen in blaetter:
        if ist_aussagentabelle(zeilen):
            gefunden = True
            befunde.extend(pruefe_aussagen(zeilen))
            continue
        for tabelle in lies_zeilen([[z for z in zeile if z not in (None, "")] for zeile in zeilen]):
            gefunden = True
            befunde.extend(pruefe_tabelle(tabelle))
    return gefunden, befunde


def _lies_und_pruefe(pfad: Path, grenzen: Grenzen, bericht: Bericht) -> tuple[bool, list[Befund]]:
    daten = lies_datei(pfad, grenzen)  # once: regular file, size limit
    if daten.startswith((b"PK", bytes.fromhex("D0CF11E0"))) or pfad.suffix.lower() in (".xlsx", ".xls"):
        container = oeffne_container(daten, grenzen)  # the validator's gate: the file is untrusted
        with container.zip:
            mappe = lies_mappe(container)
        bericht.befunde.extend(mappe.befunde)
        erkennung = erkenne(mappe)
        if erkennung.formular is not None:  # a pyxl template: checked cell by cell against its spec
            bericht.formular, bericht.version = erkennung.kennung, erkennung.version
            bericht.titel = f"{erkennung.formular.untertitel}: {erkennung.formular.titel}"
            return True, [*erkennung.befunde, *pruefe_formular(erkennung.formular, mappe, grenzen.zellbereich)]
        return _pruefe_zeilen(_xlsx_zeilen(mappe))
    text = _text(daten)
    if pfad.suffix.lower() == ".csv":
        return _pruefe_zeilen([_csv_zeilen(text)])
    tabellen = lies_text(text)
    befunde = [b for t in tabellen for b in pruefe_tabelle(t)]
    return bool(tabellen), befunde + pruefe_kennzahlen(text) + pruefe_stellenplan(text)


def pruefe_haushaltsdatei(pfad: Path, grenzen: Grenzen | None = None, _markieren: Path | None = None) -> Bericht:
    """The report for one budget file: every plan table (each sum row in every column), the Kennzahlen against
    their targets and the Stellenplan sums — or, for a table of stated percentages, each statement."""
    grenzen = grenzen or Grenzen()
    bericht = Bericht(datei=str(pfad), formular="NKF-Haushalt", titel="Haushaltspläne (NKF) und Berichtsstatistik")
    try:
        gefunden, befunde = _lies_und_pruefe(pfad, grenzen, bericht)
    except Abgelehnt as abgelehnt:
        return Bericht(datei=str(pfad), status=Status.NICHT_PRUEFBAR, befunde=[abgelehnt.befund])
    except OSError:
        return Bericht(
            datei=str(pfad),
            status=Status.NICHT_PRUEFBAR,
            befunde=[
                Befund(regel="nicht_lesbar", schwere=Schwere.FEHLER, meldung="Datei nicht lesbar", fundstelle=REGEL)
            ],
        )
    if not gefunden:
        bericht.status = Status.NICHT_PRUEFBAR
        bericht.befunde.append(
            Befund(
                regel="keine_plantabelle",
                schwere=Schwere.FEHLER,
                fundstelle=REGEL,
                meldung="Kein Teilergebnis- oder Teilfinanzplan und keine Tabelle mit Anzahl/Basis/Prozent gefunden "
                "(Überschrift, Spalten „Ergebnis/Ansatz/Plan JJJJ“ und nummerierte Zeilen 01 …)",
            )
        )
        return bericht
    bericht.befunde.extend(befunde)
    return bericht
