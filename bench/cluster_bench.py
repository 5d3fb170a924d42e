"""Benchmark of `pyxl pruefen --cluster` (not a test): the same batch locally and on a Dask LocalCluster.

Run: .venv/bin/python bench/cluster_bench.py [--dateien 400]
Locally: ``--jobs 2`` on this machine. Cluster: a LocalCluster on loopback with two worker processes, one thread
each — the same two cores, so the ratio is the cost of the cluster path (transport of the bytes and reports through
scheduler and worker, one pickle round trip to the worker's Prüfprozess), not a gain. The gain comes from more
machines: N worker machines with c cores each check up to N·c files at a time.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import dask
from distributed import LocalCluster

WURZEL = Path(__file__).parents[1]
BEISPIELE = sorted((WURZEL / "xlsx_templates" / "beispiele").glob("*.xlsx"))


def _lauf(eingang: Path, aus: Path, *optionen: str) -> float:
    start = time.perf_counter()
    ergebnis = subprocess.run(
        [sys.executable, "-m", "pyxl", "pruefen", str(eingang), "--ausgabe", str(aus), *optionen],
        capture_output=True,
        text=True,
        check=False,
        cwd=WURZEL,
        env={**os.environ, "PYTHONPATH": str(WURZEL)},
    )
    dauer = time.perf_counter() - start
    assert ergebnis.returncode in (0, 1), ergebnis.stderr
    return dauer


def main() -> None:
    argumente = argparse.ArgumentParser()
    argumente.add_argument("--dateien", type=int, default=400)
    anzahl = argumente.parse_args().dateien
    with tempfile.TemporaryDirectory() as tmp:
        eingang = Path(tmp) / "eingang"
        eingang.mkdir()
        for i in range(anzahl):
            shutil.copyfile(BEISPIELE[i % len(BEISPIELE)], eingang / f"einreichung_{i:04d}.xlsx")
        lokal = _lauf(eingang, Path(tmp) / "lokal", "--jobs", "2")
        with (
            dask.config.set({"distributed.scheduler.allowed-failures": 0}),
            LocalCluster(
                n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
            ) as cluster,
        ):
            _lauf(eingang, Path(tmp) / "warm", "--cluster", cluster.scheduler_address)  # workers' Prüfprozesse up
            entfernt = _lauf(eingang, Path(tmp) / "cluster", "--cluster", cluster.scheduler_address)
    print(f"{anzahl} Dateien, ganzer Aufruf von pyxl pruefen --ausgabe (Start, Prüfung, Berichte, Übersicht):")
    print(f"  lokal --jobs 2:            {lokal:6.1f} s  ({lokal / anzahl * 1000:5.1f} ms je Datei)")
    print(f"  LocalCluster, 2 Worker:    {entfernt:6.1f} s  ({entfernt / anzahl * 1000:5.1f} ms je Datei)")
    print(f"  Verhältnis Cluster/lokal:  {entfernt / lokal:6.2f}")
    print(f"  Mehrkosten je Datei:       {(entfernt - lokal) / anzahl * 1000:5.1f} ms")


if __name__ == "__main__":
    main()
