"""The check of one upload, in a process of its own (``python -m pyxl.pruefstelle.arbeit VORGANG``).

The same code as ``pyxl pruefen --ausgabe … --markieren`` and ``pyxl haushalt pruefen``: each file in a limited
worker process (:func:`pyxl.validators.pruefen.pruefe_dateien`), the same reports (HTML and JSON), marked copies and
overview. One process per upload: a hostile upload (a zip bomb, a file that runs into the time limit) costs its own
workers only, never another official's check or the server. Its output goes to the upload's folder; nothing to
the server's log (no file name, no content).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import secrets
import signal
import sys
from collections.abc import Mapping
from functools import partial
from pathlib import Path

from pyxl.pruefstelle.ablage import Vorgang
from pyxl.pruefstelle.seiten import ENDUNGEN
from pyxl.validators.ausgabe import uebersicht
from pyxl.validators.befund import Bericht, Schwere, Status
from pyxl.validators.grenzen import Grenzen

HAUSHALT = (".csv", ".txt")
TEIL = "uebersicht.teil.html"  # the overview's table for the desk's result page (not part of the ZIP)
DOWNLOADS = "downloads.json"


def pruefe_eingang(
    pfad: Path, grenzen: Grenzen, markieren: Path | None, vorgaben: Mapping[str, object] | None = None
) -> Bericht:
    """A recognised pyxl form goes to the form check, a budget table (CSV, text, or a workbook that is no pyxl
    form) to the budget check — as ``pyxl pruefen`` and ``pyxl haushalt pruefen`` would check it."""
    from pyxl.haushalt.datei import pruefe_haushaltsdatei
    from pyxl.validators.pruefen import pruefe_datei

    if pfad.suffix.lower() in HAUSHALT:
        return pruefe_haushaltsdatei(pfad, grenzen)
    bericht = pruefe_datei(pfad, grenzen, markieren, vorgaben)
    kein_formular = any(b.regel == "unbekanntes_formular" for b in bericht.befunde)
    if bericht.status is Status.NICHT_PRUEFBAR and kein_formular and pfad.suffix.lower() == ".xlsx":
        haushalt = pruefe_haushaltsdatei(pfad, grenzen)
        if haushalt.status is Status.GEPRUEFT:
            return haushalt
    return bericht


def _schreibe_json(ziel: Path, daten: object) -> None:
    zwischen = ziel.with_name(f".{ziel.name}.{secrets.token_hex(4)}")
    zwischen.write_text(json.dumps(daten, ensure_ascii=False), encoding="utf-8")
    os.replace(zwischen, ziel)  # the page never reads half a progress


def _eintrag(bericht: Bericht) -> dict:
    return {
        "datei": bericht.datei,
        "status": uebersicht.STATUS_DEUTSCH[bericht.status.value],
        **{s.value: bericht.anzahl(s) for s in Schwere},
    }


def pruefe_vorgang(vorgang: Vorgang, grenzen: Grenzen | None = None) -> None:
    """Check every upload of ``vorgang`` into its ``ergebnis`` folder, writing the progress as it goes."""
    from pyxl.validators.pruefen import pruefe_dateien
    from pyxl.validators.pruefung_cli import schreibe_berichte
    from pyxl.validators.vorgaben import VorgabenFehler, lies_anlage1, vorgaben_der_installation

    grenzen = grenzen or Grenzen()
    os.chdir(vorgang.eingang)  # reports name the files as uploaded, never the server's folders
    namen = sorted(os.listdir("."))
    dateien = [Path(n) for n in namen if Path(n).suffix.lower() in ENDUNGEN]
    uebersprungen = [
        uebersicht.Zeile(datei=n, grund=f"Endung {Path(n).suffix or '(keine)'} – geprüft werden {', '.join(ENDUNGEN)}")
        for n in namen
        if Path(n).suffix.lower() not in ENDUNGEN
    ]
    stand_datei = vorgang.ordner / "stand.json"
    fertig: list[dict] = []
    stand = {"fertig": False, "gesamt": len(dateien), "dateien": fertig}
    _schreibe_json(stand_datei, stand)
    anlage1 = vorgang.ordner / "anlage1.csv"
    try:  # the uploaded Anlage 1, else the county's own (pyxl serve --anlage1)
        vorgaben = {"anlage1": lies_anlage1(anlage1)} if anlage1.is_file() else vorgaben_der_installation()
    except VorgabenFehler as fehler:  # named "Anlage 1", never by the server's folder
        _schreibe_json(stand_datei, {**stand, "fertig": True, "fehler": str(fehler).replace(str(anlage1), "Anlage 1")})
        return

    def weiter(bericht: Bericht) -> None:
        fertig.append(_eintrag(bericht))
        _schreibe_json(stand_datei, stand)

    vorgang.ergebnis.mkdir(mode=0o700, exist_ok=True)
    berichte = list(
        pruefe_dateien(
            dateien,
            jobs=max(1, min(len(dateien), os.cpu_count() or 1)),
            grenzen=grenzen,
            markieren=vorgang.ergebnis,
            fortschritt=weiter,
            pruefung=partial(pruefe_eingang, vorgaben=vorgaben),
        )
    )
    html_namen = schreibe_berichte(berichte, "html", vorgang.ergebnis)
    json_namen = schreibe_berichte(berichte, "json", vorgang.ergebnis)
    zeilen = [
        uebersicht.Zeile(
            datei=b.datei,
            bericht=b,
            bericht_datei=h.name if h else None,
            kopie=b.kopie if b.kopie and (vorgang.ergebnis / b.kopie).is_file() else None,
        )
        for b, h in zip(berichte, html_namen, strict=True)
    ] + uebersprungen
    uebersicht.schreiben(vorgang.ergebnis, zeilen)
    (vorgang.ordner / TEIL).write_text(uebersicht.html_inhalt(uebersicht.sortiert(zeilen)), encoding="utf-8")
    downloads = [(z.kopie, f"Markierte Kopie: {z.kopie}") for z in uebersicht.sortiert(zeilen) if z.kopie]
    downloads += [(j.name, f"Prüfbericht als JSON: {j.name}") for j in json_namen if j]
    _schreibe_json(vorgang.ordner / DOWNLOADS, downloads)
    _schreibe_json(stand_datei, {**stand, "fertig": True})


def ergebnisteile(vorgang: Vorgang) -> tuple[str | None, list[tuple[str, str]]]:
    """The overview's table and the downloads of a finished check, for the result page; a check that failed as a
    whole gives its German reason instead of a table."""
    stand = vorgang.stand()
    if stand.get("fehler"):
        from pyxl.validators.ausgabe.html import escape

        return f'<p class="meldung" role="alert">{escape(stand["fehler"])}</p>', []
    try:
        teil = (vorgang.ordner / TEIL).read_text(encoding="utf-8")
        downloads = [tuple(d) for d in json.loads((vorgang.ordner / DOWNLOADS).read_text(encoding="utf-8"))]
    except (OSError, ValueError):
        return None, []
    return teil, downloads  # type: ignore[return-value]


async def starten(vorgang: Vorgang, grenzen: Grenzen | None = None) -> asyncio.subprocess.Process:
    """Start the check of ``vorgang`` in a new process (its own session: it and its workers can be ended together)."""
    argumente = [sys.executable, "-m", "pyxl.pruefstelle.arbeit", str(vorgang.ordner)]
    if grenzen is not None:
        argumente.append(grenzen.model_dump_json())
    return await asyncio.create_subprocess_exec(
        *argumente,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,  # names of uploads never reach the server's log
        start_new_session=True,
    )


async def abwarten(
    prozess: asyncio.subprocess.Process,
    vorgang: Vorgang,
    grenzen: Grenzen | None = None,
    hoechstens_s: float | None = None,
) -> None:
    """Wait for the check without blocking the server; past its longest possible time (``hoechstens_s``, else from
    the number of files and the time limit per file) it is ended with all its workers, and the page says so (every
    file's own limits end it long before)."""
    if hoechstens_s is None:
        grenzen, anzahl = grenzen or Grenzen(), 1
        with contextlib.suppress(OSError, ValueError):
            anzahl = max(1, int(vorgang.daten().get("anzahl", 1)))
        hoechstens_s = anzahl * (grenzen.zeit_s * 2 + 30) + 60
    try:
        await asyncio.wait_for(prozess.wait(), timeout=hoechstens_s)
    except TimeoutError:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(prozess.pid, signal.SIGKILL)
        await prozess.wait()
    if not vorgang.stand().get("fertig"):
        with contextlib.suppress(OSError):  # the retention time may have taken the folder meanwhile
            _schreibe_json(
                vorgang.ordner / "stand.json",
                {
                    **vorgang.stand(),
                    "fertig": True,
                    "fehler": "Die Prüfung wurde abgebrochen – bitte erneut hochladen oder die IT fragen",
                },
            )


def main(argumente: list[str]) -> int:
    grenzen = Grenzen.model_validate_json(argumente[1]) if len(argumente) > 1 else None
    pruefe_vorgang(Vorgang(Path(argumente[0])), grenzen)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
