"""One budget file, whatever its form: printed-plan text, CSV, or xlsx (through the validator's gate)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from pyxl.haushalt.plaene import Plantabelle, lies_text, lies_zeilen
from pyxl.haushalt.pruefung import pruefe_tabelle
from pyxl.validators.befund import Befund, Bericht, Schwere, Status
from pyxl.validators.grenzen import MB, Grenzen
from pyxl.validators.lesen import lies_mappe
from pyxl.validators.tor import REGEL, Abgelehnt, oeffne_container


def _text(pfad: Path, grenzen: Grenzen) -> str:
    if pfad.stat().st_size > grenzen.dateigroesse:
        raise Abgelehnt("dateigroesse", f"Datei größer als erlaubt ({grenzen.dateigroesse // MB} MB)")
    daten = pfad.read_bytes()
    if b"\0" in daten[:4096]:
        raise Abgelehnt("kein_text", "Weder Text noch CSV noch .xlsx (Binärdatei)")
    try:
        return daten.decode("utf-8-sig")
    except UnicodeDecodeError:
        return daten.decode("cp1252", errors="replace")  # older exports from Windows


def _csv(text: str) -> list[Plantabelle]:
    try:
        dialekt = csv.Sniffer().sniff(text[:8192], delimiters=";,\t")
    except csv.Error:
        dialekt = csv.excel
        dialekt.delimiter = ";"
    return lies_zeilen(csv.reader(io.StringIO(text), dialekt))


def _xlsx(pfad: Path, grenzen: Grenzen) -> tuple[list[Plantabelle], list[Befund]]:
    container = oeffne_container(pfad, grenzen)
    with container.zip:
        mappe = lies_mappe(container)
    tabellen: list[Plantabelle] = []
    for blatt in mappe.blaetter.values():
        zeilen: dict[int, dict[str, object]] = {}
        for adresse, zelle in blatt.zellen.items():
            spalte = adresse.rstrip("0123456789")
            zeilen.setdefault(int(adresse[len(spalte) :]), {})[spalte] = zelle.wert
        geordnet = [[z[s] for s in sorted(z, key=lambda s: (len(s), s))] for _, z in sorted(zeilen.items())]
        tabellen.extend(lies_zeilen(geordnet))
    return tabellen, list(mappe.befunde)


def pruefe_haushaltsdatei(pfad: Path, grenzen: Grenzen | None = None, _markieren: Path | None = None) -> Bericht:
    """The report for one budget file: every table found, every sum row in every column."""
    grenzen = grenzen or Grenzen()
    bericht = Bericht(datei=str(pfad), formular="NKF-Haushalt", titel="Teilergebnis- und Teilfinanzpläne (NKF)")
    try:
        with pfad.open("rb") as datei:
            kopf = datei.read(8)
        if (
            kopf.startswith(b"PK")
            or kopf.startswith(bytes.fromhex("D0CF11E0"))
            or pfad.suffix.lower() in (".xlsx", ".xls")
        ):
            tabellen, befunde = _xlsx(pfad, grenzen)
            bericht.befunde.extend(befunde)
        else:
            text = _text(pfad, grenzen)
            tabellen = _csv(text) if pfad.suffix.lower() == ".csv" else lies_text(text)
    except Abgelehnt as abgelehnt:
        return Bericht(datei=str(pfad), status=Status.NICHT_PRUEFBAR, befunde=[abgelehnt.befund])
    except OSError as fehler:
        return Bericht(
            datei=str(pfad),
            status=Status.NICHT_PRUEFBAR,
            befunde=[
                Befund(
                    regel="nicht_lesbar",
                    schwere=Schwere.FEHLER,
                    meldung=f"Datei nicht lesbar: {fehler.strerror or fehler}",
                    fundstelle=REGEL,
                )
            ],
        )
    if not tabellen:
        bericht.status = Status.NICHT_PRUEFBAR
        bericht.befunde.append(
            Befund(
                regel="keine_plantabelle",
                schwere=Schwere.FEHLER,
                fundstelle=REGEL,
                meldung="Kein Teilergebnis- oder Teilfinanzplan gefunden (Überschrift, Spalten "
                "„Ergebnis/Ansatz/Plan JJJJ“ und nummerierte Zeilen 01 …)",
            )
        )
        return bericht
    for tabelle in tabellen:
        bericht.befunde.extend(pruefe_tabelle(tabelle))
    return bericht
