"""The overview of a batch in ``--ausgabe``: ``index.html`` (accessible), ``uebersicht.csv`` (for German Excel)
and ``uebersicht.json`` — one row per file, failures first, with links to each file's report and annotated copy.

Nothing is overwritten: a folder that already holds an overview gets this run's outputs in a new subfolder named
by date and time (:func:`zielordner`); every file is created through :mod:`.schreiben`.
"""

from __future__ import annotations

import csv
import io
import json
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

from pyxl import __version__
from pyxl.functions.zahlen import deutsch
from pyxl.validators.ausgabe.html import eigenstaendig, escape
from pyxl.validators.ausgabe.schreiben import AusgabeFehler, schreibe_neu
from pyxl.validators.ausgabe.text import sichtbar
from pyxl.validators.befund import Bericht, Schwere, Status

NAMEN = ("index.html", "uebersicht.csv", "uebersicht.json")
SPALTEN = (
    "Datei",
    "Formular",
    "Version",
    "Status",
    "Fehler",
    "Warnungen",
    "Hinweise",
    "Größe (Bytes)",
    "SHA-256",
    "Bericht",
    "markierte Kopie",
)
STATUS_DEUTSCH = {"checked": "geprüft", "not_checkable": "nicht prüfbar", "skipped": "übersprungen"}
# a cell starting like a formula would be run by Excel (CSV injection): such text gets a leading apostrophe
FORMELZEICHEN = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Zeile:
    """One file of the batch: checked (``bericht``) or skipped (``grund``); links relative to the overview."""

    datei: str
    bericht: Bericht | None = None
    bericht_datei: str | None = None
    kopie: str | None = None
    grund: str | None = None

    @property
    def status(self) -> str:
        return "skipped" if self.bericht is None else self.bericht.status.value

    def anzahl(self, schwere: Schwere) -> int:
        return 0 if self.bericht is None else self.bericht.anzahl(schwere)

    @property
    def rang(self) -> int:
        """Failures first: not checkable, errors, warnings, clean; skipped files last."""
        if self.bericht is None:
            return 4
        if self.bericht.status is Status.NICHT_PRUEFBAR:
            return 0
        if self.anzahl(Schwere.FEHLER):
            return 1
        return 2 if self.anzahl(Schwere.WARNUNG) else 3


def hat_uebersicht(ordner: Path) -> bool:
    return any(os.path.lexists(ordner / name) for name in NAMEN)


def zielordner(ordner: Path, jetzt: datetime | None = None) -> Path:
    """``ordner`` itself, or — if it holds an overview already — a new subfolder ``YYYY-MM-DD_HH-MM-SS`` (``_2``, …
    if taken), created exclusively so that two runs never share one."""
    if not hat_uebersicht(ordner):
        return ordner
    stempel = (jetzt or datetime.now()).strftime("%Y-%m-%d_%H-%M-%S")
    for nummer in range(1, 1000):
        neu = ordner / (stempel if nummer == 1 else f"{stempel}_{nummer}")
        try:
            neu.mkdir()
        except FileExistsError:
            continue
        except OSError as fehler:
            raise AusgabeFehler(f"{neu} lässt sich nicht anlegen ({fehler.strerror or fehler})") from fehler
        return neu
    raise AusgabeFehler(f"kein freier Unterordner {stempel} in {ordner}")


def sortiert(zeilen: list[Zeile]) -> list[Zeile]:
    return sorted(zeilen, key=lambda z: (z.rang, z.datei))


def zaehlen(zeilen: list[Zeile]) -> dict[str, int]:
    ränge = [z.rang for z in zeilen]
    return {
        "files": len(zeilen),
        "checked": sum(z.status == "checked" for z in zeilen),
        "not_checkable": ränge.count(0),
        "with_errors": ränge.count(1),
        "with_warnings": ränge.count(2),
        "without_errors_or_warnings": ränge.count(3),
        "skipped": ränge.count(4),
    }


ZAEHLER_DEUTSCH = {
    "files": "Dateien insgesamt",
    "checked": "geprüft",
    "not_checkable": "nicht prüfbar",
    "with_errors": "mit Fehlern",
    "with_warnings": "mit Warnungen, ohne Fehler",
    "without_errors_or_warnings": "ohne Fehler und Warnungen",
    "skipped": "übersprungen",
}


def schreiben(ordner: Path, zeilen: list[Zeile]) -> list[Path]:
    """index.html, uebersicht.csv and uebersicht.json in ``ordner`` (new files); returns the paths written."""
    zeilen = sortiert(zeilen)
    return [
        schreibe_neu(ordner, "index", ".html", html_seite(zeilen)),
        schreibe_neu(ordner, "uebersicht", ".csv", csv_text(zeilen).encode("utf-8-sig", "backslashreplace")),
        schreibe_neu(ordner, "uebersicht", ".json", json.dumps(json_daten(zeilen), ensure_ascii=False, indent=2)),
    ]


def _zellen(zeile: Zeile) -> list[str | int]:
    b = zeile.bericht
    return [
        zeile.datei,
        (b and b.formular) or "",
        (b and b.version) or "",
        STATUS_DEUTSCH[zeile.status],
        zeile.anzahl(Schwere.FEHLER),
        zeile.anzahl(Schwere.WARNUNG),
        zeile.anzahl(Schwere.HINWEIS),
        "" if b is None or b.groesse is None else b.groesse,
        (b and b.sha256) or "",
        zeile.bericht_datei or "",
        zeile.kopie or "",
    ]


def _csv_sicher(wert: str | int) -> str | int:
    if isinstance(wert, int):
        return wert
    wert = sichtbar(wert)
    return f"'{wert}" if wert.startswith(FORMELZEICHEN) else wert


def csv_text(zeilen: list[Zeile]) -> str:
    """Exactly one header row, then one row per file; no ``sep=`` line, no totals (the BOM tells Excel UTF-8)."""
    puffer = io.StringIO()
    schreiber = csv.writer(puffer, delimiter=";", lineterminator="\r\n")
    schreiber.writerow(SPALTEN)
    for zeile in zeilen:
        schreiber.writerow([_csv_sicher(z) for z in _zellen(zeile)])
    return puffer.getvalue()


def json_daten(zeilen: list[Zeile]) -> dict:
    return {
        "pyxl_version": __version__,
        "created_at": datetime.now().astimezone().isoformat(timespec="seconds"),
        "counts": zaehlen(zeilen),
        "files": [
            {
                "file": z.datei,
                "form": z.bericht and z.bericht.formular,
                "version": z.bericht and z.bericht.version,
                "status": z.status,
                "summary": {s.value: z.anzahl(s) for s in Schwere},
                "size": z.bericht and z.bericht.groesse,
                "sha256": z.bericht and z.bericht.sha256,
                "report": z.bericht_datei,
                "annotated_copy": z.kopie,
                **({"reason": z.grund} if z.grund else {}),
            }
            for z in zeilen
        ],
    }


def _verweis(ziel: str | None, text: str) -> str:
    return f'<a href="{escape(quote(ziel))}">{text}</a>' if ziel else ""


def html_seite(zeilen: list[Zeile]) -> str:
    """``index.html``: a whole page around :func:`html_inhalt`."""
    fuss = f"<p>Erstellt mit pyxl {escape(__version__)}.</p>"
    return eigenstaendig("Übersicht der Prüfung", f"{html_inhalt(zeilen)}\n{fuss}")


def html_inhalt(zeilen: list[Zeile]) -> str:
    """The counts and the table of every file, below an ``h1`` (the web desk shows the same in its own page)."""
    e = escape
    zaehler = zaehlen(zeilen)
    teile = [
        '<h2 id="zahlen">Zahlen</h2>\n<dl aria-labelledby="zahlen">',
        *(f"<dt>{ZAEHLER_DEUTSCH[k]}</dt><dd>{v}</dd>" for k, v in zaehler.items()),
        "</dl>",
        '<h2 id="dateien">Dateien</h2>',
        "<table>\n<caption>Alle Dateien, nicht prüfbare und fehlerhafte zuerst</caption>\n<thead><tr>",
        *(f'<th scope="col">{s}</th>' for s in SPALTEN),
        "</tr></thead>\n<tbody>",
    ]
    for zeile in zeilen:
        z = _zellen(zeile)
        klasse = {0: "error", 1: "error", 2: "warning"}.get(zeile.rang)
        status = e(str(z[3])) + (f" ({e(zeile.grund)})" if zeile.grund else "")  # the status in words, not colour
        teile.append(
            (f'<tr class="{klasse}">' if klasse else "<tr>")
            + f'<th scope="row" class="pfad">{e(str(z[0]))}</th>'
            + f"<td>{e(str(z[1]))}</td><td>{e(str(z[2]))}</td><td>{status}</td>"
            + "".join(f'<td class="zahl">{deutsch(v) if isinstance(v, int) else v}</td>' for v in z[4:8])
            + f'<td class="pfad hash"><code>{e(str(z[8]))}</code></td>'  # a hash may wrap, a number never
            + f"<td>{_verweis(zeile.bericht_datei, 'Bericht')}</td>"
            + f"<td>{_verweis(zeile.kopie, 'markierte Kopie')}</td></tr>"
        )
    teile.append("</tbody>\n</table>")
    return "\n".join(teile)
