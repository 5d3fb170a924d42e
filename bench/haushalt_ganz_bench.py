"""Benchmark of a whole budget in one file (not a test): `pyxl haushalt pruefen` on 500 products at once.

Run: .venv/bin/python bench/haushalt_ganz_bench.py [--produkte 500] [--formen csv xlsx lang] [--grenze 120]
Target (issue 13, item 12): 500 product tables in ≤ 10 s on 2 cores. Each product has a Teilergebnisplan and an
investive Teilfinanzplan in Münster's layout (two header rows, zero rows left out, trailing minus; built by
``tests/ganzer_haushalt.py``), so 500 products are 1.000 plan tables; one product has one wrong sum. Forms: the
CSV export, the same rows on one xlsx sheet (through the validator's gate), Ostbevern's long format. Each
measurement runs in its own process (the file check only, without start-up), ended after ``--grenze`` seconds.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

WURZEL = Path(__file__).parents[1]
sys.path.insert(0, str(WURZEL))

from bench.im_prozess import ausgabe  # noqa: E402
from tests.ganzer_haushalt import schreiben  # noqa: E402

ZIEL_S = 10.0
FALSCH = {7: ("tep", 29)}  # one wrong sum: the report must show exactly one error
_MESSEN = """
import sys, time
from pathlib import Path
from pyxl.haushalt.datei import pruefe_haushaltsdatei
from pyxl.validators.befund import Schwere
start = time.perf_counter()
bericht = pruefe_haushaltsdatei(Path(sys.argv[1]))
print(time.perf_counter() - start, len(bericht.teile), bericht.anzahl(Schwere.FEHLER), len(bericht.befunde))
"""


def messen(pfad: Path, grenze: float) -> tuple[float | None, str]:
    """Seconds for one check in a fresh process (None after ``grenze`` seconds), and what it found."""
    woerter = ausgabe(_MESSEN, pfad, grenze)
    if woerter is None:
        return None, "abgebrochen"
    dauer, tabellen, fehler, befunde = woerter
    return float(dauer), f"{tabellen} Tabellen, {fehler} Fehler, {befunde} Befunde"


def main() -> None:
    argumente = argparse.ArgumentParser(description=__doc__)
    argumente.add_argument("--produkte", type=int, default=500)
    argumente.add_argument("--formen", nargs="*", choices=("csv", "xlsx", "lang"), default=["csv", "xlsx", "lang"])
    argumente.add_argument("--grenze", type=float, default=120.0, help="Sekunden je Messung")
    optionen = argumente.parse_args()
    print(f"{'Form':<6} {'Größe':>9} {'Zeit':>9} {'Zeit/Ziel':>10}  Ergebnis")
    with tempfile.TemporaryDirectory(prefix="pyxl-haushalt-ganz-") as ordner:
        for form in optionen.formen:
            pfad = schreiben(Path(ordner), form, optionen.produkte, FALSCH)
            dauer, ergebnis = messen(pfad, optionen.grenze)
            zeit = f"> {optionen.grenze:.0f} s" if dauer is None else f"{dauer:.2f} s"
            anteil = "–" if dauer is None else f"{dauer / ZIEL_S:.2f}"
            groesse = f"{pfad.stat().st_size / 1e6:.1f} MB"
            print(f"{form:<6} {groesse:>9} {zeit:>9} {anteil:>10}  {ergebnis}", flush=True)


if __name__ == "__main__":
    main()
