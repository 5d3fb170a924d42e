"""Benchmark of `pyxl pruefen` (not a test): the official's batch through the whole CLI, per-file cost against raw
readers, the overview alone, peak memory of a big submission.

Run: .venv/bin/python bench/pruefen_bench.py [--dateien 1000] [--runden 3] [--ohne-gross]
Targets (issue #15, 2 cores): 1.000 submissions through ``pyxl pruefen ORDNER --ausgabe DIR`` (interpreter start,
checks, reports, overview) ≤ 15 s; a whole check ≤ 1,0 × openpyxl's read_only load of the same file;
index.html (with CSV and JSON) for 1.000 files < 1 s; a 100.000-row submission with ≤ 500 MB peak memory.
Ratios come from one run: the variants are measured alternately, ``--runden`` times, and the medians compared.
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

WURZEL = Path(__file__).parents[1]
sys.path.insert(0, str(WURZEL))  # this checkout's pyxl, also in-process (the CLI runs start in it)

from pyxl.validators.ausgabe import uebersicht  # noqa: E402
from pyxl.validators.pruefen import pruefe_datei, pruefe_dateien  # noqa: E402
from pyxl.validators.pruefung_cli import schreibe_berichte  # noqa: E402

BEISPIELE = sorted((WURZEL / "xlsx_templates" / "beispiele").glob("*.xlsx"))
# what the official adds to `pyxl pruefen ORDNER --ausgabe DIR`; copies and HTML reports cost more
VARIANTEN = {"Text-Berichte": [], "--format html": ["--format", "html"], "--markieren": ["--markieren"]}


def zahl(wert: float, stellen: int = 1) -> str:
    """German decimal comma, as the README writes figures."""
    return f"{wert:.{stellen}f}".replace(".", ",")


def abwechselnd(aufgaben: dict, runden: int, wiederholungen: int = 1) -> dict[str, float]:
    """Median process time (s) of each task, the tasks run in turn so that a busy machine hits them alike."""
    zeiten: dict[str, list[float]] = {name: [] for name in aufgaben}
    for _ in range(runden):
        for name, aufgabe in aufgaben.items():
            start = time.process_time()
            for _ in range(wiederholungen):
                aufgabe()
            zeiten[name].append((time.process_time() - start) / wiederholungen)
    return {name: statistics.median(werte) for name, werte in zeiten.items()}


def openpyxl_read_only(datei: Path) -> None:
    wb = openpyxl.load_workbook(datei, read_only=True)
    for ws in wb.worksheets:
        for _ in ws.iter_rows(values_only=True):
            pass
    wb.close()


def calamine(datei: Path) -> None:
    mappe = python_calamine.CalamineWorkbook.from_path(str(datei))
    for name in mappe.sheet_names:
        mappe.get_sheet_by_name(name).to_python()


def je_datei(runden: int) -> None:
    """All examples (correct and faulty) once per round and reader, in process time; and the example the
    figures before issue #15 were taken from, RZWAS-3B_richtig.xlsx, alone."""
    alle = lambda f: lambda: [f(d) for d in BEISPIELE]  # noqa: E731
    einzeln = WURZEL / "xlsx_templates" / "beispiele" / "RZWAS-3B_richtig.xlsx"
    runden = max(runden, 5)
    m = abwechselnd(
        {
            "pruefung": alle(pruefe_datei),
            "openpyxl": alle(openpyxl_read_only),
            "calamine": alle(calamine),
            "pruefung_einzeln": lambda: [pruefe_datei(einzeln) for _ in range(5)],
            "openpyxl_einzeln": lambda: [openpyxl_read_only(einzeln) for _ in range(5)],
        },
        runden,
    )
    n = len(BEISPIELE)
    print(
        f"Je Datei (Mittel über {n} Beispiele, Median aus {runden} Runden, Prozesszeit): Prüfung "
        f"{zahl(m['pruefung'] / n * 1000)} ms, openpyxl read_only {zahl(m['openpyxl'] / n * 1000)} ms, "
        f"calamine {zahl(m['calamine'] / n * 1000, 2)} ms"
    )
    verhaeltnis, roh = m["pruefung"] / m["openpyxl"], m["pruefung"] / m["calamine"]
    ziel = "erfüllt" if verhaeltnis <= 1.0 else "verfehlt"
    print(f"  Prüfung / openpyxl read_only = {zahl(verhaeltnis, 2)} (Ziel ≤ 1,0 → {ziel}); "
          f"Prüfung / calamine = {zahl(roh)}")  # fmt: skip
    print(f"  nur {einzeln.name}: Prüfung / openpyxl read_only = "
          f"{zahl(m['pruefung_einzeln'] / m['openpyxl_einzeln'], 2)}")  # fmt: skip


def einreichungen(anzahl: int, ordner: Path) -> list[Path]:
    """``anzahl`` submissions in ``ordner``: the examples (correct and faulty) in turn, each a file of its own."""
    ordner.mkdir(parents=True, exist_ok=True)
    dateien = []
    for i in range(anzahl):
        beispiel = BEISPIELE[i % len(BEISPIELE)]
        ziel = ordner / f"einreichung_{i:04d}_{beispiel.name}"
        shutil.copyfile(beispiel, ziel)
        dateien.append(ziel)
    return dateien


def cli_lauf(eingang: Path, ausgabe: Path, zusatz: list[str], wurzel: Path = WURZEL) -> tuple[float, float]:
    """Wall and processor time of ``pyxl pruefen`` as an official starts it: a new interpreter, into a fresh
    output folder (processor time says more than wall time when the machine is shared).
    ``wurzel``: the checkout whose pyxl runs (``python -m`` imports it from the working directory)."""
    befehl = [sys.executable, "-m", "pyxl", "pruefen", str(eingang), "--ausgabe", str(ausgabe), *zusatz]
    umgebung = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    start, cpu = time.perf_counter(), _cpu_kinder()
    lauf = subprocess.run(befehl, capture_output=True, text=True, cwd=wurzel, env=umgebung)
    dauer, cpu = time.perf_counter() - start, _cpu_kinder() - cpu
    if lauf.returncode not in (0, 1) or not (ausgabe / "index.html").is_file():
        raise SystemExit(f"pyxl pruefen schlug fehl ({lauf.returncode}): {lauf.stderr[-2000:]}")
    return dauer, cpu


def _cpu_kinder() -> float:
    """Processor seconds of finished child processes and theirs (the CLI waits for its workers)."""
    verbrauch = resource.getrusage(resource.RUSAGE_CHILDREN)
    return verbrauch.ru_utime + verbrauch.ru_stime


def stapel(anzahl: int, ordner: Path, runden: int, vorher: Path | None) -> None:
    """``vorher``: another checkout (e.g. the main branch) run alternately with this one, variant by variant."""
    eingang = ordner / "eingang"
    einreichungen(anzahl, eingang)
    laeufe = [(name, zusatz, WURZEL) for name, zusatz in VARIANTEN.items()]
    if vorher:
        laeufe = [
            lauf for name, zusatz, w in laeufe for lauf in ((name, zusatz, w), (f"{name} vorher", zusatz, vorher))
        ]
    zeiten: dict[str, list[tuple[float, float]]] = {name: [] for name, _, _ in laeufe}
    for runde in range(runden):
        for nummer, (name, zusatz, wurzel) in enumerate(laeufe):
            ausgabe = ordner / f"ausgabe_{runde}_{nummer}"
            zeiten[name].append(cli_lauf(eingang, ausgabe, zusatz, wurzel))
            shutil.rmtree(ausgabe)
    start_allein = statistics.median(_prozessstart() for _ in range(5))
    print(
        f"Stapel über die ganze Kommandozeile ({anzahl} Einreichungen, {os.cpu_count()} Kerne, Median aus {runden}; "
        f"Programmstart allein {zahl(start_allein, 2)} s):"
    )
    for name, laeufe_je_variante in zeiten.items():
        werte = [wand for wand, _ in laeufe_je_variante]
        dauer, cpu = statistics.median(werte), statistics.median(c for _, c in laeufe_je_variante)
        ziel = ""
        if name.startswith("Text-Berichte") and anzahl == 1000:  # the start is a fixed cost: no extrapolation
            ziel = f"; Ziel ≤ 15 s → {'erfüllt' if dauer <= 15 else 'verfehlt'}"
        print(f"  {name}: {zahl(dauer)} s ({anzahl / dauer:.0f} Dateien/s; Läufe {', '.join(map(zahl, werte))}; "
              f"Prozessorzeit {zahl(cpu)} s){ziel}")  # fmt: skip
    teile(eingang, ordner)


def _prozessstart() -> float:
    """Interpreter start and the imports of ``pyxl pruefen``, nothing checked."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import pyxl.cli, pyxl.validators.pruefung_cli"], check=True, cwd=WURZEL)
    return time.perf_counter() - start


def teile(eingang: Path, ordner: Path) -> None:
    """The batch's parts in this process: the checks alone (worker pool, no outputs), then the report files."""
    dateien = sorted(eingang.glob("*.xlsx"))
    start = time.perf_counter()
    berichte = list(pruefe_dateien(dateien, jobs=os.cpu_count() or 1))
    dauer = time.perf_counter() - start
    print(f"  davon Prüfungen allein (Prozesspool, ohne Ausgaben): {zahl(dauer)} s; "
          f"{sum(b.hat_fehler for b in berichte)} mit Fehlern")  # fmt: skip
    for format_ in ("text", "html"):
        ziel = ordner / f"berichte_{format_}"
        ziel.mkdir()
        start = time.perf_counter()
        schreibe_berichte(berichte, format_, ziel)
        print(f"  davon Berichte schreiben ({format_}, ein Prozess): {zahl(time.perf_counter() - start, 2)} s")


def uebersicht_allein(anzahl: int, ordner: Path, runden: int) -> None:
    """index.html, uebersicht.csv and uebersicht.json for ``anzahl`` checked files, written into a fresh folder."""
    berichte = [pruefe_datei(d) for d in BEISPIELE]
    zeilen = [
        uebersicht.Zeile(
            datei=f"einreichung_{i:04d}_{BEISPIELE[i % len(BEISPIELE)].name}",
            bericht=berichte[i % len(berichte)].model_copy(update={"datei": f"einreichung_{i:04d}.xlsx"}),
            bericht_datei=f"einreichung_{i:04d}.pruefbericht.txt",
        )
        for i in range(anzahl)
    ]
    zeiten = []
    for runde in range(max(runden, 5)):
        ziel = ordner / f"uebersicht_{runde}"
        ziel.mkdir()
        start = time.perf_counter()
        uebersicht.schreiben(ziel, zeilen)
        zeiten.append(time.perf_counter() - start)
    dauer = statistics.median(zeiten) * 1000 / anzahl
    print(f"Übersicht (index.html, CSV, JSON) für 1.000 Dateien: {zahl(dauer, 2)} s "
          f"(Ziel < 1 s → {'erfüllt' if dauer < 1 else 'verfehlt'})")  # fmt: skip


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
    subprocess.run(befehl, check=True, capture_output=True, cwd=WURZEL)
    dauer = time.perf_counter() - start
    spitze = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    anzahl = f"{zeilen:_}".replace("_", ".")
    print(
        f"Große Einreichung ({anzahl} Zeilen, {zahl(ziel.stat().st_size / 2**20)} MB): {zahl(dauer)} s, "
        f"Spitzenspeicher {spitze:.0f} MB (Ziel ≤ 500 MB → {'erfüllt' if spitze <= 500 else 'verfehlt'})"
    )


def main() -> None:
    argumente = argparse.ArgumentParser(description=__doc__)
    argumente.add_argument("--dateien", type=int, default=1000)
    argumente.add_argument("--runden", type=int, default=3, help="Wiederholungen je Variante (Median)")
    argumente.add_argument("--ohne-gross", action="store_true", help="ohne die Einreichung mit 100.000 Zeilen")
    argumente.add_argument("--vorher", type=Path, help="ein anderer Stand (Checkout), abwechselnd mitgemessen")
    optionen = argumente.parse_args()
    with tempfile.TemporaryDirectory(prefix="pyxl-bench-") as ordner:
        je_datei(optionen.runden)
        uebersicht_allein(optionen.dateien, Path(ordner), optionen.runden)
        stapel(optionen.dateien, Path(ordner), optionen.runden, optionen.vorher)
        if not optionen.ohne_gross:
            grosse_einreichung(Path(ordner))


if __name__ == "__main__":
    main()
