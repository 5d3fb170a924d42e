"""What ``pyxl pruefen`` does with its options: run the checks, show progress, write and print the reports."""

from __future__ import annotations

import json
import os
from pathlib import Path

from pydantic import ValidationError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from pyxl.validators.ausgabe import html, text
from pyxl.validators.befund import Bericht, exit_code
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
) -> int:
    grenzen = _grenzen(grenzen_datei)
    if markieren and ausgabe is None:
        ausgabe = Path("pruefung")
    staemme = [d.stem for d in dateien]
    doppelt = sorted({s for s in staemme if staemme.count(s) > 1})
    if ausgabe is not None and doppelt:
        raise SystemExit(
            f"Fehler: gleichnamige Dateien ({', '.join(doppelt[:3])}) würden sich in {ausgabe} "
            "überschreiben – bitte getrennt prüfen"
        )
    jobs = jobs or min(len(dateien), os.cpu_count() or 1)
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
                pruefe_dateien(
                    dateien,
                    jobs=jobs,
                    grenzen=grenzen,
                    markieren=ausgabe if markieren else None,
                    fortschritt=lambda _b: fortschritt.advance(aufgabe),
                    pruefung=pruefung,
                )
            )
    else:
        berichte = list(
            pruefe_dateien(
                dateien, jobs=1, grenzen=grenzen, markieren=ausgabe if markieren else None, pruefung=pruefung
            )
        )
    if ausgabe is not None:
        _schreibe_berichte(berichte, format_, ausgabe)
    _ausgeben(berichte, format_)
    return exit_code(berichte)


def _ausgeben(berichte: list[Bericht], format_: str) -> None:
    if format_ == "json":
        daten = [b.als_json() for b in berichte]
        print(json.dumps(daten[0] if len(daten) == 1 else daten, ensure_ascii=False, indent=2))
    elif format_ == "html":
        print(html.seite(berichte))
    else:
        konsole = Console(highlight=False, soft_wrap=True)  # no hard breaks: the report greps well
        for bericht in berichte:
            text.drucke(bericht, konsole)
        if len(berichte) > 1:
            konsole.print(f"{len(berichte)} Dateien geprüft: {sum(b.hat_fehler for b in berichte)} mit Fehlern")


def _schreibe_berichte(berichte: list[Bericht], format_: str, ordner: Path) -> None:
    ordner.mkdir(parents=True, exist_ok=True)
    for bericht in berichte:
        stamm = f"{Path(bericht.datei).stem}.pruefbericht"
        if format_ == "json":
            (ordner / f"{stamm}.json").write_text(json.dumps(bericht.als_json(), ensure_ascii=False, indent=2), "utf-8")
        elif format_ == "html":
            (ordner / f"{stamm}.html").write_text(html.seite([bericht]), "utf-8")
        else:
            konsole = Console(file=None, record=True, width=140, highlight=False, force_terminal=False)
            with konsole.capture():
                text.drucke(bericht, konsole)
            (ordner / f"{stamm}.txt").write_text(konsole.export_text(), "utf-8")
