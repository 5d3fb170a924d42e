"""Benchmark of `pyxl fn` from start to answer (not a test): median wall time against the bare interpreter.

Run: .venv/bin/python bench/fn_start_bench.py [--laeufe 15] [--alt VERZEICHNIS]
Target (issue 12, point 6): `pyxl fn RZW_ZUWENDUNGSSATZ 5000,5` answers within 0,15 s on 2 cores. Each run is a
fresh process, as a clerk's shell or a script starts it; `python -c pass` (same interpreter, same site-packages)
is the floor no command goes below. ``--alt`` measures an older checkout (e.g. ``git archive REV | tar -x -C DIR``)
with the same interpreter, alternating run by run with this one, so a busy shared machine hits both alike.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

AUFRUF = ("fn", "RZW_ZUWENDUNGSSATZ", "5000,5")
ZIEL = 0.15  # seconds


def _pyxl() -> list[str]:
    """The installed console script next to this interpreter (what the clerk types), else ``python -m pyxl``."""
    skript = Path(sys.executable).with_name("pyxl")
    return [str(skript)] if skript.is_file() else [sys.executable, "-m", "pyxl"]


def _dauer(befehl: list[str], umgebung: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(befehl, env=umgebung, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def _s(sekunden: float) -> str:
    return f"{sekunden:.3f} s".replace(".", ",")


def main() -> None:
    argumente = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    argumente.add_argument("--laeufe", type=int, default=15, help="Läufe je Messung (Median).")
    argumente.add_argument("--alt", type=Path, default=None, help="Verzeichnis einer älteren pyxl-Fassung.")
    optionen = argumente.parse_args()

    messungen: dict[str, tuple[list[str], dict[str, str] | None]] = {
        "python -c pass": ([sys.executable, "-c", "pass"], None),
        "pyxl " + " ".join(AUFRUF): ([*_pyxl(), *AUFRUF], None),
    }
    if optionen.alt:
        # PYTHONPATH comes before the editable install's finder: the console script imports the old pyxl
        alt = {**os.environ, "PYTHONPATH": str(optionen.alt.resolve())}
        messungen["dasselbe, --alt"] = ([*_pyxl(), *AUFRUF], alt)
    for befehl, umgebung in messungen.values():  # warm the file cache and the .pyc files
        _dauer(befehl, umgebung)
    zeiten: dict[str, list[float]] = {name: [] for name in messungen}
    for _ in range(optionen.laeufe):
        for name, (befehl, umgebung) in messungen.items():
            zeiten[name].append(_dauer(befehl, umgebung))
    median = {name: statistics.median(werte) for name, werte in zeiten.items()}

    basis = median["python -c pass"]
    python = sys.version.split()[0]
    print(f"pyxl fn, Start bis Antwort: Median aus {optionen.laeufe} Läufen, Python {python}, {os.cpu_count()} Kerne")
    for name, wert in median.items():
        print(f"  {name:<40} {_s(wert)}   Faktor zu python -c pass {wert / basis:5.1f}".replace(".", ",", 1))
    neu = median["pyxl " + " ".join(AUFRUF)]
    urteil = "erreicht" if neu <= ZIEL else "verfehlt"
    print(f"  Ziel ≤ {_s(ZIEL)}: {urteil}; pyxl selbst (ohne Interpreter) {_s(neu - basis)}")
    if optionen.alt:
        alt = median["dasselbe, --alt"]
        print(f"  --alt / neu: {alt / neu:.1f}× ({_s(alt)} → {_s(neu)})".replace(".", ",", 1))


if __name__ == "__main__":
    main()
