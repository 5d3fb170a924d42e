"""Benchmark of the tracer (not a test): what the trace costs when it is off, and when it is on.

Run: .venv/bin/python bench/spur_bench.py [--aufrufe 20000]
Target (issue 14, point 4): the tracer costs nothing measurable when off. Three ways through the same calls of the
registry (``Funktion.auswerten``, as the add-in and ``pyxl fn`` call them), interleaved in rounds, median per call:
1. ``ohne Spurcode``: ``schritt`` and ``beobachtet`` replaced in every calculator module by a bare return of their
   argument — as if the calculators had no trace calls at all (a step text that formats numbers or dates is a
   function, and nothing calls it here: no text is built);
2. ``Spur aus``: as shipped, no trace open (each call looks at one global counter of open traces);
3. ``Spur an``: ``erklaeren=True`` (steps recorded, parameter reads recorded through a view).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1]))

from pyxl.functions import REGISTER, funktion
from pyxl.functions import spur as spuren

AUFRUFE = (  # (name, arguments): calculators with several steps each, from every family
    ("RZW_ZUWENDUNG", ["1000000", "5000", "1"]),
    ("RZW_KRW_KLAERANLAGE", ["5000"]),
    ("OEPNV_EXANTE", ["-10000", "-50000", "1000000"]),
    ("KZ_FRISTQUOTE", ["2020-01-01;2020-01-05", "2020-01-10;2020-01-06", "5"]),
)


def _module() -> list[object]:
    return [sys.modules[f.berechnung.__module__] for f in REGISTER.values()]


def _runde(anzahl: int, erklaeren: bool) -> float:
    aufrufe = [(funktion(name), argumente) for name, argumente in AUFRUFE]
    start = time.perf_counter()
    for _ in range(anzahl):
        for eintrag, argumente in aufrufe:
            eintrag.auswerten(argumente, erklaeren=erklaeren)
    return (time.perf_counter() - start) / (anzahl * len(aufrufe))


def _ohne(_klausel: str, _text: object, wert: object) -> object:
    return wert


def _selbst(regelwerk: object) -> object:
    return regelwerk


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--aufrufe", type=int, default=20000, help="Aufrufe je Funktion und Variante")
    anzahl = parser.parse_args().aufrufe
    module = [m for m in set(_module()) if getattr(m, "schritt", None) is spuren.schritt]
    beobachtend = [m for m in module if getattr(m, "beobachtet", None) is spuren.beobachtet]
    gemessen: dict[str, list[float]] = {"ohne": [], "aus": [], "an": []}
    runden = 10
    for runde in range(runden):
        for art in ("ohne", "aus", "an") if runde % 2 else ("aus", "ohne", "an"):  # alternating: no order bias
            for modul in module:
                modul.schritt = _ohne if art == "ohne" else spuren.schritt  # type: ignore[attr-defined]
            for modul in beobachtend:
                modul.beobachtet = _selbst if art == "ohne" else spuren.beobachtet  # type: ignore[attr-defined]
            teil = anzahl // runden if art != "an" else max(1, anzahl // (runden * 10))
            gemessen[art].append(_runde(teil, erklaeren=art == "an"))
    ohne, aus, an = gemessen["ohne"], gemessen["aus"], gemessen["an"]
    o, a, e = (statistics.median(x) * 1e6 for x in (ohne, aus, an))
    print(f"Aufrufe je Variante: {anzahl} × {len(AUFRUFE)} Funktionen, {runden} Runden im Wechsel, Median je Aufruf")
    print(f"ohne Spurcode : {o:8.2f} µs")
    print(f"Spur aus      : {a:8.2f} µs  ({a / o:.3f} × ohne Spurcode)")
    print(f"Spur an       : {e:8.2f} µs  ({e / o:.2f} × ohne Spurcode)")


if __name__ == "__main__":
    main()
