"""The LibreOffice extension's costs, measured in one run.

``.venv/bin/python bench/libreoffice_bench.py [--zellen 500]``.

A sheet of N cells ``=RZW_ZUWENDUNGSSATZ(Bi)`` (each its own value) typed and recalculated in LibreOffice headless:
through the organisation's server over HTTP (the extension's normal way), in LibreOffice's own Python (no server
address, pyxl importable), and — for scale — the registry called N times in this process. Then "Vorlage prüfen" on
the faulty RZWas 3b example (export as xlsx, check in a worker on the server, marks applied).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pyxl.excel.funktionen import berechne
from pyxl.functions import REGISTER
from tests.libreoffice_hilfen import laufendes_calc

BEISPIELE = Path(__file__).resolve().parents[1] / "xlsx_templates" / "beispiele"
BEISPIEL = BEISPIELE / "RZWAS-3B_fehler_summe_geaendert.xlsx"


def _blatt(zellen: int) -> dict:
    werte = {f"B{i}": 1000.0 + i for i in range(1, zellen + 1)}
    formeln = {f"A{i}": f"=RZW_ZUWENDUNGSSATZ(B{i})" for i in range(1, zellen + 1)}
    return {"werte": werte, "formeln": formeln}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--zellen", type=int, default=500)
    zellen = parser.parse_args().zellen
    start = time.perf_counter()
    for i in range(1, zellen + 1):
        berechne(REGISTER["RZW_ZUWENDUNGSSATZ"], [1000.0 + i])
    im_python = time.perf_counter() - start
    with laufendes_calc() as calc:
        calc("formeln", _blatt(10))  # warm-up: the first call of each way imports and connects
        ueber_http = calc("formeln", _blatt(zellen))["dauer"]
        calc.einstellen("", token="")
        calc("formeln", _blatt(10))
        im_libreoffice = calc("formeln", _blatt(zellen))["dauer"]
        calc.einstellen(calc.server)
        with tempfile.TemporaryDirectory() as ordner:
            datei = Path(ordner) / "Antrag.xlsx"
            shutil.copy(BEISPIEL, datei)
            Path(ordner).chmod(0o755)
            runden = calc("pruefen", {"datei": str(datei), "korrekturen": [{}, {}]})["runden"]
    pruefen = [r["dauer"] for r in runden]
    print(f"| {zellen} Zellen neu berechnen | Sekunden | ms je Zelle | Faktor zu pyxl im Prozess |")
    print("|---|---|---|---|")
    for name, dauer in (("pyxl im Prozess (Register, ohne LibreOffice)", im_python),
                        ("LibreOffice, pyxl in LibreOffices Python", im_libreoffice),
                        ("LibreOffice über pyxl serve (HTTP)", ueber_http)):  # fmt: skip
        print(f"| {name} | {dauer:.2f} | {1000 * dauer / zellen:.2f} | {dauer / im_python:.0f} |")
    print(f"Vorlage prüfen (RZWas 3b, in LibreOffice, drei Mal): {', '.join(f'{d:.2f} s' for d in pruefen)}")


if __name__ == "__main__":
    main()
