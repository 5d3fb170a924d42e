"""Benchmark of the Excel add-in server (not a test): what a call costs over HTTP against the same calculation
in-process, and whether a long synchronous calculation blocks the other clerks.

Run: .venv/bin/python bench/excel_server_bench.py
Measures, against a real `pyxl serve` on loopback (keep-alive connection, like the add-in's runtime):
1. one custom-function call (RZW_ZUWENDUNGSSATZ) — median over many calls;
2. one array call over 10.000 cells (OEPNV_ABSCHMELZUNG: 10.000 claims in, a column of 10.000 out);
3. the latency of that quick call while other clients keep the server busy with large array calls
   (the calculators are synchronous and run in worker threads, so the event loop stays free);
4. one call at the cell limit (AnfrageGrenzen.zellen_je_aufruf) and the refusal of one cell more (HTTP 413).
"""

from __future__ import annotations

import statistics
import sys
import threading
import time
from pathlib import Path

import httpx
import xlwings

sys.path.insert(0, str(Path(__file__).parents[1]))

from pyxl.excel.funktionen import berechne
from pyxl.functions import REGISTER
from pyxl.validators.grenzen import AnfrageGrenzen
from tests.excel_hilfen import laufender_server

ZELLEN = 10_000


def _aufruf(name: str, args: list) -> dict:
    return {
        "client": "Office.js",
        "func_name": name,
        "args": args,
        "caller_address": "[Mappe1.xlsx]Tabelle1!A1",
        "culture_info_name": "de-DE",
        "date_format": "TT.MM.JJJJ",
        "version": xlwings.__version__,
        "runtime": "1.4",
    }


def _zeiten(aufgabe, wiederholungen: int) -> list[float]:
    zeiten = []
    for _ in range(wiederholungen):
        start = time.perf_counter()
        aufgabe()
        zeiten.append(time.perf_counter() - start)
    return zeiten


def _ms(sekunden: float) -> str:
    return f"{sekunden * 1000:8.2f} ms"


def main() -> None:
    ansprueche = [[1000 + (i % 97) * 13.37] for i in range(ZELLEN)]
    gesamt = sum(z[0] for z in ansprueche) * 0.9
    einzeln = _aufruf("RZW_ZUWENDUNGSSATZ", [[[5000.5]], None])
    feld = _aufruf("OEPNV_ABSCHMELZUNG", [ansprueche, [[gesamt]]])
    gross = _aufruf("OEPNV_ABSCHMELZUNG", [ansprueche * 10, [[gesamt * 10]]])  # 100.000 cells: a long call
    grenze = AnfrageGrenzen().zellen_je_aufruf
    am_limit = _aufruf("OEPNV_ABSCHMELZUNG", [(ansprueche * (grenze // ZELLEN + 1))[: grenze - 1], [[gesamt]]])
    darueber = _aufruf("OEPNV_ABSCHMELZUNG", [(ansprueche * (grenze // ZELLEN + 1))[:grenze], [[gesamt]]])

    zuwendung, abschmelzung = REGISTER["RZW_ZUWENDUNGSSATZ"], REGISTER["OEPNV_ABSCHMELZUNG"]
    lokal_einzeln = statistics.median(_zeiten(lambda: berechne(zuwendung, [5000.5, None]), 2000))
    lokal_feld = statistics.median(_zeiten(lambda: berechne(abschmelzung, [ansprueche, gesamt]), 20))

    with laufender_server() as basis, httpx.Client(base_url=basis, timeout=120) as client:

        def rufe(daten: dict) -> None:
            antwort = client.post("/xlwings/custom-functions-call", json=daten)
            antwort.raise_for_status()

        _zeiten(lambda: rufe(einzeln), 50)  # warm up
        http_einzeln = statistics.median(_zeiten(lambda: rufe(einzeln), 500))
        http_feld = statistics.median(_zeiten(lambda: rufe(feld), 20))
        dauer_gross = statistics.median(_zeiten(lambda: rufe(gross), 3))
        dauer_limit = statistics.median(_zeiten(lambda: rufe(am_limit), 3))

        def abgewiesen() -> None:
            assert client.post("/xlwings/custom-functions-call", json=darueber).status_code == 413

        dauer_abgewiesen = statistics.median(_zeiten(abgewiesen, 3))

        stopp = threading.Event()

        def last() -> None:
            with httpx.Client(base_url=basis, timeout=120) as anderer:
                while not stopp.is_set():
                    anderer.post("/xlwings/custom-functions-call", json=gross).raise_for_status()

        belaster = [threading.Thread(target=last) for _ in range(2)]
        for faden in belaster:
            faden.start()
        time.sleep(0.5)
        unter_last = _zeiten(lambda: rufe(einzeln), 100)
        stopp.set()
        for faden in belaster:
            faden.join()

    print(f"pyxl Excel-Add-in-Server, Python {sys.version.split()[0]}, xlwings {xlwings.__version__}")
    print(f"1 Funktionsaufruf      in-process {_ms(lokal_einzeln)}   über HTTP {_ms(http_einzeln)}"
          f"   Faktor {http_einzeln / lokal_einzeln:7.1f}")  # fmt: skip
    print(f"Feld {ZELLEN:,} Zellen   in-process {_ms(lokal_feld)}   über HTTP {_ms(http_feld)}"
          f"   Faktor {http_feld / lokal_feld:7.1f}".replace(",", "."))  # fmt: skip
    print(f"langer Aufruf (100.000 Zellen) {_ms(dauer_gross)}; währenddessen 2 Dauer-Clients damit beschäftigt:")
    print(f"  kurzer Aufruf unter Last: Median {_ms(statistics.median(unter_last))}, "
          f"Maximum {_ms(max(unter_last))} (blockiert: ≈ {_ms(dauer_gross)})")  # fmt: skip
    print(f"Aufruf an der Grenze ({grenze:,} Zellen) {_ms(dauer_limit)}; "
          f"eine Zelle mehr: HTTP 413 nach {_ms(dauer_abgewiesen)}".replace(",", "."))  # fmt: skip


if __name__ == "__main__":
    main()
