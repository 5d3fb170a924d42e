"""What ``pyxl pruefen`` does with its options: run the checks, show progress, write and print the reports.

Outputs in ``--ausgabe`` never replace anything (:mod:`pyxl.validators.ausgabe.schreiben`). If the folder cannot
take them, a German line on stderr says so, the findings are still printed, and the exit code is 2: the run did
not deliver what was asked for.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from pathlib import Path

from pydantic import ValidationError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from pyxl.validators.ausgabe import html, text, uebersicht
from pyxl.validators.ausgabe.schreiben import AusgabeFehler, kandidaten, ordner_bereit, schreibe_neu
from pyxl.validators.befund import Bericht, exit_code
from pyxl.validators.eingabe_dateien import Uebersprungen
from pyxl.validators.grenzen import Grenzen
from pyxl.validators.pruefen import Pruefung, pruefe_datei, pruefe_dateien


def _grenzen(datei: Path | None) -> Grenzen:
    if datei is None:
        return Grenzen()
    try:
        return Grenzen.aus_datei(datei)
    except (ValidationError, ValueError) as fehler:
        raise SystemExit(f"Fehler: Grenzwertdatei {datei} ungültig: {str(fehler).splitlines()[0]}") from None


def pruefen_ausfuehren(
    dateien: list[Path],
    format_: str,
    ausgabe: Path | None,
    markieren: bool,
    jobs: int | None,
    grenzen_datei: Path | None,
    pruefung: Pruefung = pruefe_datei,
    erklaeren: bool = False,
    uebersprungen: Sequence[Uebersprungen] = (),
    ausfuehrlich: bool = False,
    pruefer: Pruefer | None = None,
) -> int:
    """``erklaeren``: text reports show under each finding about a result how pyxl's value came about.

    A batch (more than one file, or files skipped in a folder) with ``--ausgabe`` gets an overview there
    (:mod:`pyxl.validators.ausgabe.uebersicht`); the terminal then shows a short summary, unless ``ausfuehrlich``.
    ``pruefer`` checks the files elsewhere (``--cluster``: :func:`pyxl.validators.cluster.pruefe_im_cluster`);
    default: local worker processes, ``jobs`` of them, each file through ``pruefung``."""
    grenzen = _grenzen(grenzen_datei)
    if markieren and ausgabe is None:
        ausgabe = Path("pruefung")
    stapel = ausgabe is not None and (len(dateien) > 1 or bool(uebersprungen))
    unterordner_hinweis = None
    # same-named inputs (a/X.xlsx, b/X.xlsx) need no check: the second one's outputs get free names
    ausgabe_fehlt = False
    if ausgabe is not None and (grund := ordner_bereit(ausgabe)):
        _stoerung(
            f"Fehler: Ausgabeordner {ausgabe}: {grund} – keine Berichte und keine markierten Kopien geschrieben; "
            "die Befunde folgen hier"
        )
        ausgabe, markieren, ausgabe_fehlt = None, False, True
        stapel = False
    if stapel and ausgabe is not None:
        # an overview there already: this run's reports, copies and overview go into a new dated subfolder
        try:
            ziel = uebersicht.zielordner(ausgabe)
        except AusgabeFehler as fehler:
            _stoerung(f"Fehler: {fehler} – keine Berichte und keine markierten Kopien geschrieben")
            return 2
        if ziel != ausgabe:
            unterordner_hinweis = f"{ausgabe} enthält schon eine Übersicht – dieser Lauf steht in {ziel}"
            ausgabe = ziel
    jobs = jobs or min(len(dateien), os.cpu_count() or 1)
    if pruefer is None:
        pruefer = partial(_lokal, jobs=jobs, pruefung=pruefung)
    fehlerkonsole = Console(stderr=True)
    berichte: list[Bericht] = []
    if len(dateien) > 1:
        with Progress(
            TextColumn("Prüfe"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=fehlerkonsole,
            transient=True,
        ) as fortschritt:
            aufgabe = fortschritt.add_task("prüfen", total=len(dateien))
            berichte = list(
                pruefer(
                    dateien,
                    grenzen,
                    ausgabe if markieren else None,
                    lambda _b: fortschritt.advance(aufgabe),
                )
            )
    else:
        berichte = list(pruefer(dateien, grenzen, ausgabe if markieren else None, None))
    berichtsdateien: list[Path | None] = []
    if ausgabe is not None:
        berichtsdateien = schreibe_berichte(berichte, format_, ausgabe, erklaeren)
        ausgabe_fehlt = ausgabe_fehlt or None in berichtsdateien
    if stapel and ausgabe is not None:
        zeilen = [
            uebersicht.Zeile(
                datei=b.datei,
                bericht=b,
                bericht_datei=pfad.name if pfad else None,
                kopie=_kopie(b, ausgabe) if markieren else None,
            )
            for b, pfad in zip(berichte, berichtsdateien, strict=True)
        ] + [uebersicht.Zeile(datei=str(u.pfad), grund=u.grund) for u in uebersprungen]
        try:
            geschrieben = uebersicht.schreiben(ausgabe, zeilen)
        except (AusgabeFehler, OSError) as fehler:
            _stoerung(f"Fehler: Übersicht in {ausgabe} nicht geschrieben – {fehler}")
            geschrieben, ausgabe_fehlt = [], True
        if ausfuehrlich:
            _ausgeben(berichte, format_, erklaeren)
        _zusammenfassen(zeilen, geschrieben, unterordner_hinweis)
    else:
        _ausgeben(berichte, format_, erklaeren)
    return 2 if ausgabe_fehlt else exit_code(berichte)


# checks files and gives their reports in input order: (files, limits, folder for marked copies, progress)
Pruefer = Callable[[Sequence[Path], Grenzen, Path | None, Callable[[Bericht], None] | None], Iterable[Bericht]]


def _lokal(
    dateien: Sequence[Path],
    grenzen: Grenzen,
    markieren: Path | None,
    fortschritt: Callable[[Bericht], None] | None,
    *,
    jobs: int,
    pruefung: Pruefung,
) -> Iterable[Bericht]:
    return pruefe_dateien(
        dateien, jobs=jobs if len(dateien) > 1 else 1, grenzen=grenzen, markieren=markieren,
        fortschritt=fortschritt, pruefung=pruefung,
    )  # fmt: skip


def _zusammenfassen(zeilen: list[uebersicht.Zeile], geschrieben: list[Path], unterordner: str | None) -> None:
    """At most five lines: the counts, where the overview is (the reports are there, not on the terminal)."""
    z = uebersicht.zaehlen(zeilen)
    konsole = Console(highlight=False, soft_wrap=True)
    if unterordner:
        konsole.print(text.sichtbar(f"Hinweis: {unterordner}"), markup=False)
    konsole.print(
        f"{z['files']} Dateien: {z['checked']} geprüft, {z['not_checkable']} nicht prüfbar, {z['skipped']} übersprungen"
    )
    konsole.print(
        f"Ergebnis: {z['with_errors']} mit Fehlern, {z['with_warnings']} mit Warnungen (ohne Fehler), "
        f"{z['without_errors_or_warnings']} ohne Fehler und Warnungen"
    )
    if geschrieben:
        konsole.print(text.sichtbar(f"Übersicht: {geschrieben[0]} (dazu {', '.join(p.name for p in geschrieben[1:])})"),
                      markup=False)  # fmt: skip


def _kopie(bericht: Bericht, ordner: Path) -> str | None:
    """The annotated copy's file name as the worker that wrote it recorded it; ``None`` if there is none."""
    return bericht.kopie if bericht.kopie and (ordner / bericht.kopie).is_file() else None


def _stoerung(zeile: str) -> None:
    """One German line on stderr; names from the command line may carry control characters too."""
    print(text.sichtbar(zeile), file=sys.stderr, flush=True)


def _ausgeben(berichte: list[Bericht], format_: str, erklaeren: bool = False) -> None:
    if format_ == "json":
        daten = [b.als_json() for b in berichte]
        ausgabe = json.dumps(daten[0] if len(daten) == 1 else daten, ensure_ascii=False, indent=2)
        print(ausgabe.encode("utf-8", "backslashreplace").decode("utf-8"))  # a lone surrogate: \udcxx, valid JSON
    elif format_ == "html":
        print(html.seite(berichte))
    else:
        konsole = Console(highlight=False, soft_wrap=True)  # no hard breaks: the report greps well
        for bericht in berichte:
            text.drucke(bericht, konsole, erklaeren=erklaeren)
        if len(berichte) > 1:
            konsole.print(f"{len(berichte)} Dateien geprüft: {sum(b.hat_fehler for b in berichte)} mit Fehlern")


def schreibe_berichte(
    berichte: list[Bericht], format_: str, ordner: Path, erklaeren: bool = False
) -> list[Path | None]:
    """One report file per input, each a new file (a free name if taken); the paths, ``None`` where one could not
    be written."""
    endung = {"json": ".pruefbericht.json", "html": ".pruefbericht.html"}.get(format_, ".pruefbericht.txt")
    pfade: list[Path | None] = []
    for bericht in berichte:
        stamm = Path(bericht.datei).stem
        try:
            ziel = schreibe_neu(ordner, stamm, endung, _berichtstext(bericht, format_, erklaeren))
        except (AusgabeFehler, OSError) as fehler:
            grund = str(fehler) if isinstance(fehler, AusgabeFehler) else f"{ordner}: {fehler.strerror or fehler}"
            _stoerung(f"Fehler: Bericht zu {bericht.datei} nicht geschrieben – {grund}")
            pfade.append(None)
            continue
        pfade.append(ziel)
        if ziel.name != next(kandidaten(stamm, endung)):
            _stoerung(f"Hinweis: Bericht zu {bericht.datei} gespeichert als {ziel} (der Name war schon vergeben)")
    return pfade


def _berichtstext(bericht: Bericht, format_: str, erklaeren: bool = False) -> str:
    if format_ == "json":
        return json.dumps(bericht.als_json(), ensure_ascii=False, indent=2) + "\n"
    if format_ == "html":
        return html.seite([bericht])
    return text.klartext(bericht, erklaeren)  # plain: no colour codes, no hard line breaks (the report greps well)
