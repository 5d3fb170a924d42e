"""One budget file, whatever its form: printed-plan text, CSV, or xlsx (through the validator's gate)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

from pyxl import parameter
from pyxl.haushalt.aussagen import ist_aussagentabelle, kopfspalten, pruefe_aussagen
from pyxl.haushalt.kennzahlen import pruefe_kennzahlen, pruefe_stellenplan
from pyxl.haushalt.lang import lies_lang, rollen
from pyxl.haushalt.plaene import Plantabelle, lies_text
from pyxl.haushalt.pruefung import erkenne as erkenne_schema
from pyxl.haushalt.pruefung import pruefe_tabelle
from pyxl.haushalt.raster import Gesehen, Zeile, lies_raster
from pyxl.pruefregeln import Befund, befund
from pyxl.validators.befund import Bericht, Status, Teil
from pyxl.validators.erkennen import erkenne
from pyxl.validators.grenzen import Grenzen
from pyxl.validators.lesen import Mappe, lies_mappe
from pyxl.validators.regeln import pruefe_formular
from pyxl.validators.tor import Abgelehnt, lies_datei, oeffne_container

KEIN_TEXTPLAN = (
    "keine Überschrift „Teilergebnisplan“, „Finanzplan“ … mit Spalten „Ergebnis/Ansatz/Plan JJJJ“ und nummerierten "
    "Zeilen im Text"
)


def _text(daten: bytes) -> str:
    if b"\0" in daten[:4096]:
        raise Abgelehnt("kein_text", "Weder Text noch CSV noch .xlsx (Binärdatei)")
    try:
        return daten.decode("utf-8-sig")
    except UnicodeDecodeError:
        return daten.decode("cp1252", errors="replace")  # older exports from Windows


def _csv_zeilen(text: str) -> list[Zeile]:
    try:
        dialekt: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:8192], delimiters=";\t,")
    except csv.Error:
        dialekt = csv.excel
        dialekt.delimiter = ";"
    return [{c: w for c, w in enumerate(z) if w.strip()} for z in csv.reader(io.StringIO(text), dialekt)]


def _spaltennummer(spalte: str) -> int:
    nummer = 0
    for buchstabe in spalte:
        nummer = nummer * 26 + ord(buchstabe) - 64
    return nummer - 1


def _xlsx_blaetter(mappe: Mappe) -> list[tuple[str | None, list[Zeile], list[int] | None]]:
    """Each sheet's rows (cached values) as column → value — never as a full rows × columns grid, which a sparse
    sheet (one cell per row and column) makes quadratic; with each row's number, for the cell a finding names."""
    blaetter = []
    for name, blatt in mappe.blaetter.items():
        zeilen: dict[int, Zeile] = {}
        for adresse, zelle in blatt.zellen.items():
            if zelle.wert is None or zelle.wert == "":
                continue
            spalte = adresse.rstrip("0123456789")
            zeilen.setdefault(int(adresse[len(spalte) :]), {})[_spaltennummer(spalte)] = zelle.wert
        nummern = sorted(zeilen)
        blaetter.append((name, [zeilen[i] for i in nummern], nummern))
    return blaetter


def _tabellen(
    zeilen: list[Zeile], nummern: list[int] | None, blatt: str | None, quelle: str
) -> tuple[list[Plantabelle], Gesehen]:
    """Long data (one line per value) or a plan table as printed, whichever the rows are."""
    nummern = nummern or list(range(1, len(zeilen) + 1))
    erste = next((i for i, z in enumerate(zeilen) if z), None)
    if erste is not None:
        rolle = rollen(zeilen[erste])
        if rolle is not None:
            return lies_lang(zeilen[erste:], nummern[erste:], rolle, blatt), Gesehen()
    tabellen, gesehen = lies_raster(zeilen, nummern, blatt, quelle)
    if not tabellen:  # a printed plan pasted into a sheet: one line of text per row
        tabellen = lies_text("\n".join(" ".join(_zelltext(w) for _, w in sorted(z.items())) for z in zeilen))
    return tabellen, gesehen


def _zelltext(wert: object) -> str:
    if isinstance(wert, float) and wert.is_integer():
        wert = int(wert)
    if isinstance(wert, int | float | Decimal) and not isinstance(wert, bool):
        return str(wert).replace(".", ",")  # a number cell, as the printed text would show it
    return str(wert).strip()


def _pruefe_tabellen(tabellen: list[Plantabelle], teile: list[Teil]) -> list[Befund]:
    """Each table's findings; and for each its row of the overview (product, plan, scheme, counts)."""
    befunde: list[Befund] = []
    for tabelle in tabellen:
        erkennung = erkenne_schema(tabelle)
        eigene = pruefe_tabelle(tabelle, erkennung)
        schema = f"{erkennung.schema.name}, {erkennung.land.meta.kurz}" if erkennung else None
        plan = tabelle.plan or (erkennung.schema.name if erkennung else None)
        teile.append(Teil.aus(eigene, produkt=tabelle.produkt or None, plan=plan, zeilenschema=schema,
                              blatt=tabelle.blatt))  # fmt: skip
        befunde.extend(eigene)
    return befunde


def _pruefe_zeilen(
    blaetter: list[tuple[str | None, list[Zeile], list[int] | None]], quelle: str, teile: list[Teil]
) -> tuple[bool, list[Befund], str]:
    """Plan tables or a table of stated percentages, whichever the rows are; and, where none, what was seen."""
    befunde: list[Befund] = []
    gefunden = False
    gesehen: list[str] = []
    for blatt, zeilen, nummern in blaetter:
        dicht = [[z[c] for c in sorted(z)] for z in zeilen]
        if ist_aussagentabelle(dicht):
            kopf = kopfspalten(dicht[:5])
            if kopf is not None:
                spalten = sorted({c for z in zeilen[:5] for c in z})
                auswahl = [spalten[i] for i in kopf]
                dicht = [[z.get(c) for c in auswahl] for z in zeilen]
            gefunden = True
            befunde.extend(pruefe_aussagen(dicht))
            continue
        tabellen, sicht = _tabellen(zeilen, nummern, blatt, quelle)
        gefunden = gefunden or bool(tabellen)
        befunde.extend(_pruefe_tabellen(tabellen, teile))
        if not tabellen:
            gesehen.append((f"Blatt „{blatt}“: " if blatt else "") + sicht.text())
    return gefunden, befunde, "; ".join(gesehen)


def _lies_und_pruefe(pfad: Path, grenzen: Grenzen, bericht: Bericht) -> tuple[bool, list[Befund], str]:
    daten = lies_datei(pfad, grenzen)  # once: regular file, size limit
    bericht.bytes_vermerken(daten)
    if daten.startswith((b"PK", bytes.fromhex("D0CF11E0"))) or pfad.suffix.lower() in (".xlsx", ".xls"):
        container = oeffne_container(daten, grenzen)  # the validator's gate: the file is untrusted
        with container.zip:
            mappe = lies_mappe(container)
        bericht.befunde.extend(mappe.befunde)
        erkennung = erkenne(mappe)
        if erkennung.formular is not None:  # a pyxl template: checked cell by cell against its spec
            bericht.formular, bericht.version = erkennung.kennung, erkennung.version
            bericht.titel = f"{erkennung.formular.untertitel}: {erkennung.formular.titel}"
            bericht.regeln_aus(erkennung.formular.regelwerke)
            return True, [*erkennung.befunde, *pruefe_formular(erkennung.formular, mappe, grenzen.zellbereich)], ""
        return _pruefe_zeilen(_xlsx_blaetter(mappe), pfad.stem, bericht.teile)
    text = _text(daten)
    if pfad.suffix.lower() == ".csv":
        return _pruefe_zeilen([(None, _csv_zeilen(text), None)], pfad.stem, bericht.teile)
    tabellen = lies_text(text)
    befunde = _pruefe_tabellen(tabellen, bericht.teile)
    gesehen = "" if tabellen else KEIN_TEXTPLAN
    return bool(tabellen), befunde + pruefe_kennzahlen(text) + pruefe_stellenplan(text), gesehen


def pruefe_haushaltsdatei(pfad: Path, grenzen: Grenzen | None = None, _markieren: Path | None = None) -> Bericht:
    """The report for one budget file: every plan table (each sum row in every column), the Kennzahlen against
    their targets and the Stellenplan sums — or, for a table of stated percentages, each statement. A file with
    more than one plan table (a whole budget) gets an overview: one row per table with its counts."""
    grenzen = grenzen or Grenzen()
    bericht = Bericht(datei=str(pfad), formular="NKF-Haushalt", titel="Haushaltspläne (NKF) und Berichtsstatistik")
    try:
        gefunden, befunde, gesehen = _lies_und_pruefe(pfad, grenzen, bericht)
    except Abgelehnt as abgelehnt:  # the record of the bytes read (if they were) stays
        return Bericht(datei=str(pfad), status=Status.NICHT_PRUEFBAR, befunde=[abgelehnt.befund],
                       groesse=bericht.groesse, sha256=bericht.sha256)  # fmt: skip
    except OSError:
        return Bericht(
            datei=str(pfad),
            status=Status.NICHT_PRUEFBAR,
            befunde=[befund("nicht_lesbar", meldung="Datei nicht lesbar")],
        )
    if not gefunden:
        bericht.status = Status.NICHT_PRUEFBAR
        bericht.befunde.append(
            befund(
                "keine_plantabelle",
                meldung="Kein Ergebnis- oder Finanzplan und keine Tabelle mit Anzahl/Basis/Prozent gefunden: "
                + gesehen,
            )
        )
        return bericht
    bericht.befunde.extend(befunde)
    if not bericht.regeln:  # plan tables: every state's schemes were candidates of the recognition
        bericht.regeln_aus(parameter.nkf(land) for land in parameter.nkf_laender())
    if len(bericht.teile) < 2:  # the overview only where a file holds many tables
        bericht.teile = []
    return bericht
