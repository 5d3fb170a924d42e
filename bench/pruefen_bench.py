"""Benchmark of `pyxl pruefen` (not a test): batch throughput, per-file cost against raw readers, peak memory.

Run: .venv/bin/python bench/pruefen_bench.py [--dateien 1000]
Targets (2 cores): 1.000 filled templates in one batch ≤ 30 s; a whole check ≤ 1,5 × openpyxl's read_only load
of the same file; a submission with a 100.000-row sheet checked with ≤ 500 MB peak memory.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import openpyxl
import python_calamine

from pyxl.validators.pruefen import pruefe_datei, pruefe_dateien

WURZEL = Path(__file__).parents[1]
BEISPIELE = sorted((WURZEL / "xlsx_templates" / "beispiele").glob("*.xlsx"))


def _median(aufgabe, wiederholungen: int = 15) -> float:
    zeiten = []
    for _ in range(wiederholungen):
        start = time.perf_counter()
        aufgabe()
        zeiten.append(time.perf_counter() - start)
    return statistics.median(zeiten)


def _openpyxl_read_only(datei: Path) -> None:
    wb = openpyxl.load_workbook(datei, read_only=True)
    for ws in wb.worksheets:
        for _ in ws.iter_rows(values_only=True):
            pass
    wb.close()


def _calamine(datei: Path) -> None:
    mappe = python_calamine.CalamineWorkbook.from_path(str(datei))
    for name in mappe.sheet_names:
        mappe.get_sheet_by_name(name).to_python()


def stapel(anzahl: int, ordner: Path) -> None:
    dateien = []
    for i in range(anzahl):
        ziel = ordner / f"einreichung_{i:04d}.xlsx"
        shutil.copyfile(BEISPIELE[i % len(BEISPIELE)], ziel)
        dateien.append(ziel)
    start = time.perf_counter()
    berichte = list(pruefe_dateien(dateien, jobs=os.cpu_count() or 1))
    dauer = time.perf_counter() - start
    print(
        f"Stapel: {anzahl} Dateien in {dauer:.1f} s ({anzahl / dauer:.0f} Dateien/s, {os.cpu_count()} Kerne); "
        f"Ziel ≤ 30 s für 1.000 → {'erfüllt' if dauer * 1000 / anzahl <= 30 else 'verfehlt'}; "
        f"{sum(b.hat_fehler for b in berichte)} mit Fehlern"
    )


def je_datei() -> None:
    datei = WURZEL / "xlsx_templates" / "beispiele" / "RZWAS-3B_richtig.xlsx"
    pruefung = _median(lambda: pruefe_datei(datei))
    lesen = _median(lambda: _openpyxl_read_only(datei))
    roh = _median(lambda: _calamine(datei))
    print(
        f"Je Datei ({datei.name}): Prüfung {pruefung * 1000:.1f} ms, openpyxl read_only {lesen * 1000:.1f} ms, "
        f"calamine {roh * 1000:.1f} ms"
    )
    print(
        f"  Verhältnis Prüfung / openpyxl read_only = {pruefung / lesen:.2f} (Ziel ≤ 1,5); "
        f"Prüfung / calamine = {pruefung / roh:.1f}"
    )


def grosse_einreichung(ordner: Path, zeilen: int = 100_000) -> None:
    """The correct example with 100.000 extra rows pasted below the form (nine numbers each)."""
    quelle = WURZEL / "xlsx_templates" / "beispiele" / "RZWAS-3B_richtig.xlsx"
    ziel = ordner / "gross.xlsx"
    with zipfile.ZipFile(quelle) as alt, zipfile.ZipFile(ziel, "w", zipfile.ZIP_DEFLATED) as neu:
        for info in alt.infolist():
            daten = alt.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                zusatz = b"".join(
                    b'<row r="%d">' % r
                    + b"".join(b'<c r="%s%d"><v>%d.5</v></c>' % (bytes([s]), r, r) for s in b"ABCDEFGHI")
                    + b"</row>"
                    for r in range(1000, 1000 + zeilen)
                )
                daten = daten.replace(b"</sheetData>", zusatz + b"</sheetData>", 1)
            neu.writestr(info, daten)
    befehl = [
        sys.executable,
        "-c",
        "import sys; from pathlib import Path; from pyxl.validators.pruefen import "
        "pruefe_datei; b = pruefe_datei(Path(sys.argv[1])); print(len(b.befunde))",
        str(ziel),
    ]
    start = time.perf_counter()
    subprocess.run(befehl, check=True, capture_output=True)
    dauer = time.perf_counter() - start
    spitze = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    anzahl = f"{zeilen:_}".replace("_", ".")
    print(
        f"Große Einreichung ({anzahl} Zeilen, {ziel.stat().st_size / 2**20:.1f} MB): {dauer:.1f} s, "
        f"Spitzenspeicher {spitze:.0f} MB (Ziel ≤ 500 MB → {'erfüllt' if spitze <= 500 else 'verfehlt'})"
    )


def main() -> None:
    argumente = argparse.ArgumentParser(description=__doc__)
    argumente.add_argument("--dateien", type=int, default=1000)
    optionen = argumente.parse_args()
    with tempfile.TemporaryDirectory(prefix="pyxl-bench-") as ordner:
        je_datei()
        stapel(optionen.dateien, Path(ordner))
        grosse_einreichung(Path(ordner))


if __name__ == "__main__":
    main()
