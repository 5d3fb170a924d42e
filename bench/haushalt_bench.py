"""Benchmark of `pyxl haushalt pruefen` on hostile inputs (not a test): time at 30 KB and 300 KB, and their ratio.

Run: .venv/bin/python bench/haushalt_bench.py [--muster NAME …] [--grenze 120]
Target (issue 11, item 6): every input is checked in linear time, so the ratio 300 KB / 30 KB is about 10, not 100.
Each measurement runs in its own process (the file check only, without start-up), ended after ``--grenze`` seconds.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

WURZEL = Path(__file__).parents[1]
sys.path.insert(0, str(WURZEL))

from bench.im_prozess import ausgabe  # noqa: E402
from tests.feindlich_haushalt import MUSTER, schreiben  # noqa: E402

GROESSEN = (30_000, 300_000)
_MESSEN = """
import sys, time
from pathlib import Path
from pyxl.haushalt.datei import pruefe_haushaltsdatei
start = time.perf_counter()
bericht = pruefe_haushaltsdatei(Path(sys.argv[1]))
print(time.perf_counter() - start, bericht.status.value, len(bericht.befunde))
"""


def messen(pfad: Path, grenze: float) -> tuple[float | None, str]:
    """Seconds for one check in a fresh process (None after ``grenze`` seconds), and what it found."""
    woerter = ausgabe(_MESSEN, pfad, grenze)
    if woerter is None:
        return None, "abgebrochen"
    dauer, status, anzahl = woerter
    return float(dauer), f"{status}, {anzahl} Befunde"


def _zeit(dauer: float | None, grenze: float) -> str:
    return f"> {grenze:.0f} s" if dauer is None else f"{dauer:.3f} s"


def main() -> None:
    argumente = argparse.ArgumentParser(description=__doc__)
    argumente.add_argument("--muster", nargs="*", choices=sorted(MUSTER), default=list(MUSTER))
    argumente.add_argument("--grenze", type=float, default=120.0, help="Sekunden je Messung")
    optionen = argumente.parse_args()
    print(f"{'Muster':<28} {'30 KB':>10} {'300 KB':>10} {'Verhältnis':>10}  Ergebnis (300 KB)")
    with tempfile.TemporaryDirectory(prefix="pyxl-haushalt-bench-") as ordner:
        for name in optionen.muster:
            zeiten, ergebnis = [], ""
            for groesse in GROESSEN:
                dauer, ergebnis = messen(schreiben(name, groesse, Path(ordner)), optionen.grenze)
                zeiten.append(dauer)
            klein, gross = zeiten
            verhaeltnis = f"{gross / klein:.1f}" if klein and gross else "–"
            print(
                f"{name:<28} {_zeit(klein, optionen.grenze):>10} {_zeit(gross, optionen.grenze):>10} "
                f"{verhaeltnis:>10}  {ergebnis}",
                flush=True,
            )


if __name__ == "__main__":
    main()
