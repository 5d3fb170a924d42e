"""Issue 11, item 8: the add-in server caps work per call and answers hostile bodies in German, never with 500.

Every body is built here on the spot and sent to a real `pyxl serve` on loopback, each call guarded by a 10 s
timeout against hangs. The limits live in :class:`pyxl.validators.grenzen.AnfrageGrenzen`; what a call at the
cell limit costs is measured in bench/excel_server_bench.py, not here.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import httpx
import pytest

from pyxl.excel.anfrage import ZuGross, pruefe_zellen_des_aufrufs, vorpruefen
from pyxl.excel.server import funktion_berechnen, skript_ausfuehren
from pyxl.functions import REGISTER
from pyxl.validators.grenzen import AnfrageGrenzen
from tests.excel_hilfen import laufender_server

TOKEN = "test-token-grenzen-0123456789"
WACHE = 10  # seconds: no hostile body may keep the server busy longer
FUNKTION = "/xlwings/custom-functions-call"
SKRIPT = "/xlwings/custom-scripts-call/vorlage_pruefen"
ABSCHMELZUNG = REGISTER["OEPNV_ABSCHMELZUNG"].regel


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tokens = tmp_path_factory.mktemp("anmeldung") / "tokens.txt"
    tokens.write_text(f"{TOKEN}\n", encoding="utf-8")
    with (
        laufender_server("--token-datei", str(tokens)) as basis,
        httpx.Client(base_url=basis, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=WACHE) as client,
    ):
        yield client


def _aufruf(args: object, name: object = "OEPNV_ABSCHMELZUNG", **weiteres: object) -> bytes:
    return json.dumps({"func_name": name, "args": args, "client": "Office.js", "runtime": "1.4", **weiteres}).encode()


def _roh(args: bytes, name: bytes = b"OEPNV_ABSCHMELZUNG") -> bytes:
    return b'{"func_name": "' + name + b'", "args": ' + args + b"}"


def _mappe(werte: object = (("",),), **weiteres: object) -> dict:
    return {
        "client": "Office.js",
        "book": {"name": "Mappe1.xlsx", "active_sheet_index": 0, "selection": "A1"},
        "names": [],
        "sheets": [{"name": "Tabelle1", "values": werte, "formulas": werte, "pictures": [], "tables": []}],
        "properties": {},
        **weiteres,
    }


KEIN_BEREICH = (
    "OEPNV_ABSCHMELZUNG: Argument 1 (Ansprueche) ist kein Bereich aus gleich langen Zeilen einzelner Werte – "
    "erwartet: ein Wert oder ein Zellbereich"
)
ZU_TIEF = "Anfrage fehlerhaft: JSON tiefer als 16 Ebenen verschachtelt"
UNVOLLSTAENDIG = "Anfrage unvollständig oder fehlerhaft: "
KEINE_MAPPE = "Arbeitsmappe nicht lesbar: die Anfrage ist kein Arbeitsmappen-JSON"

FEHLERHAFT = {
    # -- custom-functions-call
    "Argument ist ein Objekt": (
        FUNKTION,
        _aufruf([{"type": "Entity"}, [[5]]]),
        "OEPNV_ABSCHMELZUNG: Argument 1 (Ansprueche) ist ein Objekt – erwartet: ein Wert oder ein Zellbereich",
    ),
    "args ist Text": (FUNKTION, _aufruf("[[1]]"), UNVOLLSTAENDIG + "args"),
    "args fehlt": (FUNKTION, json.dumps({"func_name": "KZ_ANTEIL"}).encode(), UNVOLLSTAENDIG + "args"),
    "Zeilen sind keine Listen": (FUNKTION, _aufruf([[1, 2, 3], [[5]]]), KEIN_BEREICH),
    "Listen drei tief": (FUNKTION, _aufruf([[[[1]]], [[5]]]), KEIN_BEREICH),
    "ungleich lange Zeilen": (FUNKTION, _aufruf([[[1], [2, 3]], [[5]]]), KEIN_BEREICH),
    "leerer Bereich": (FUNKTION, _aufruf([[], [[5]]]), KEIN_BEREICH),
    "func_name null": (FUNKTION, _aufruf([[[1]]], name=None), UNVOLLSTAENDIG + "func_name"),
    "anderer Client": (FUNKTION, _aufruf([[[1]], [[5]]], client="VBA"), UNVOLLSTAENDIG + "client"),
    "Laufzeit keine Version": (FUNKTION, _aufruf([[[1]], [[5]]], runtime="neu"), UNVOLLSTAENDIG + "runtime"),
    "riesige Ganzzahl": (
        FUNKTION,
        _aufruf([[[10**400]], [[5]]]),
        f"OEPNV_ABSCHMELZUNG: Ansprueche[1] = 1E+400: zu groß: höchstens 15 Stellen vor dem Komma ({ABSCHMELZUNG})",
    ),
    "Ganzzahl mit 5000 Stellen": (FUNKTION, _roh(b"[[[" + b"9" * 5000 + b"]], [[5]]]"), UNVOLLSTAENDIG + "Inhalt"),
    "1e300": (
        FUNKTION,
        _aufruf([[[1e300]], [[5]]]),
        f"OEPNV_ABSCHMELZUNG: Ansprueche[1] = 1E+300: zu groß: höchstens 15 Stellen vor dem Komma ({ABSCHMELZUNG})",
    ),
    "NaN-Token": (
        FUNKTION,
        _roh(b"[[[NaN]], [[5]]]"),
        f"OEPNV_ABSCHMELZUNG: Ansprueche[1] = NaN: keine endliche Zahl ({ABSCHMELZUNG})",
    ),
    "Infinity-Token": (
        FUNKTION,
        _roh(b"[[[1]], [[Infinity]]]"),
        f"OEPNV_ABSCHMELZUNG: Gesamtausgleich = Infinity: keine endliche Zahl ({ABSCHMELZUNG})",
    ),
    "10.000 Ebenen": (FUNKTION, _roh(b"[" * 10_000 + b"]" * 10_000), ZU_TIEF),
    "1.000.000 Ebenen": (FUNKTION, _roh(b"[" * 1_000_000 + b"]" * 1_000_000), ZU_TIEF),
    "1.000.000 Ebenen, nie geschlossen": (FUNKTION, b"[" * 1_000_000, ZU_TIEF),
    "schließende Klammer zuerst": (FUNKTION, _roh(b"]]][[["), "Anfrage fehlerhaft: JSON mit Klammern ohne Gegenstück"),
    "kein UTF-8": (FUNKTION, _roh(b"[[[1]], [[5]]]", name=b"KZ_\xff\xfe"), UNVOLLSTAENDIG + "Inhalt"),
    "leerer Körper": (FUNKTION, b"", UNVOLLSTAENDIG + "Inhalt"),
    "JSON-Liste statt Objekt": (FUNKTION, b"[1, 2]", UNVOLLSTAENDIG + "Inhalt"),
    # brackets inside a string are text: neither depth nor cells
    "Klammern im Text": (
        FUNKTION,
        _aufruf([[["[" * 100]], [[5]]], name="KZ_ANTEIL"),
        "KZ_ANTEIL: Teil = „" + "[" * 100 + "“: keine Zahl (z. B. 1.060,50 oder 1060,5) "
        f"({REGISTER['KZ_ANTEIL'].regel})",
    ),
    # -- custom-scripts-call
    "Skript: 100.000 Ebenen": (SKRIPT, b'{"sheets": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", ZU_TIEF),
    "Skript: 1.000.000 Ebenen": (SKRIPT, b"{" * 1_000_000, ZU_TIEF),
    "Skript: Zeilen keine Listen": (
        SKRIPT,
        json.dumps(_mappe(["", 1])).encode(),
        "Arbeitsmappe nicht lesbar: Blatt „Tabelle1“, values: Zeilen aus einzelnen Werten erwartet",
    ),
    "Skript: Zelle ist ein Objekt": (
        SKRIPT,
        json.dumps(_mappe([[{"a": 1}]])).encode(),
        "Arbeitsmappe nicht lesbar: Blatt „Tabelle1“, values: Zeilen aus einzelnen Werten erwartet",
    ),
    "Skript: Liste statt Objekt": (SKRIPT, b"[]", KEINE_MAPPE),
    "Skript: leeres Objekt": (SKRIPT, b"{}", KEINE_MAPPE),
    "Skript: leerer Körper": (SKRIPT, b"", KEINE_MAPPE),
    "Skript: kein UTF-8": (SKRIPT, b'{"\xff": 1}', KEINE_MAPPE),
    "Skript: sheets ein Objekt": (SKRIPT, json.dumps({**_mappe(), "sheets": {"a": 1}}).encode(), KEINE_MAPPE),
    "Skript: args ein Objekt": (SKRIPT, json.dumps(_mappe(args={"a": 1})).encode(), KEINE_MAPPE),
    "Skript: names keine Objekte": (SKRIPT, json.dumps({**_mappe(), "names": [1]}).encode(), KEINE_MAPPE),
    "Skript: Ganzzahl mit 5000 Stellen": (SKRIPT, b'{"book": {}, "sheets": [' + b"9" * 5000 + b"]}", KEINE_MAPPE),
}


@pytest.mark.parametrize(("pfad", "inhalt", "meldung"), FEHLERHAFT.values(), ids=FEHLERHAFT.keys())
def test_malformed_body_is_400_with_german_text(server, pfad, inhalt, meldung):
    antwort = server.post(pfad, content=inhalt)
    assert (antwort.status_code, antwort.text) == (400, meldung)


@pytest.mark.parametrize(
    ("pfad", "meldung"),
    [
        ("/static/x%00", "Datei nicht gefunden"),
        ("/static/x%00.png", "Datei nicht gefunden"),
        ("/static/" + "a" * 5000, "Datei nicht gefunden"),
        ("/static/%ff", "Datei nicht gefunden"),
        ("/static/..%2fmanifest.xml", "Adresse nicht gefunden"),
        ("/static/gibtsnicht.png", "Datei „gibtsnicht.png“ nicht gefunden"),
    ],
)
def test_odd_static_paths_are_404_in_german(server, pfad, meldung):
    antwort = server.get(pfad)
    assert (antwort.status_code, antwort.text) == (404, meldung)


def test_a_million_cells_are_refused_with_count_and_limit(server):
    antwort = server.post(FUNKTION, content=_roh(b"[[" + b"[1.5]," * 999_999 + b"[1.5]], [[5]]]"))
    assert antwort.status_code == 413
    assert antwort.text == (
        "Funktionsaufruf zu groß: 1.000.001 Zellen (höchstens 200.000 je Aufruf) – bitte nur den benutzten Bereich "
        "übergeben, keine ganzen Spalten"
    )


def test_the_cell_limit_counts_every_value_of_the_arguments():
    grenzen = AnfrageGrenzen(zellen_je_aufruf=4)
    pruefe_zellen_des_aufrufs(vorpruefen(_aufruf([[[100], [200], [300.5]], [[500]]]), grenzen), grenzen)  # 4: passes
    with pytest.raises(ZuGross, match=r"^Funktionsaufruf zu groß: 5 Zellen \(höchstens 4 je Aufruf\)"):
        funktion_berechnen(_aufruf([[[100], [200], [300], [400]], [[500]]]), grenzen)
    # null for an omitted argument and a single value count as one cell each, text as one whatever it holds
    assert vorpruefen(_aufruf([[["a,b"], ["[c]"]], None, 5]), grenzen) == 4


def test_script_workbook_limits_sheets_and_cells():
    grenzen = AnfrageGrenzen(mappe_zellen=6, mappe_blaetter=2)
    blaetter = json.dumps({**_mappe(), "sheets": [_mappe()["sheets"][0]] * 3}).encode()
    with pytest.raises(ZuGross, match=r"^Arbeitsmappe zu groß für das Add-in: 3 Blätter \(höchstens 2\)"):
        skript_ausfuehren("vorlage_pruefen", blaetter, grenzen)
    sieben = json.dumps(_mappe([["", "", "", "", "", "", ""]])).encode()  # 7 values and 7 formulas
    with pytest.raises(
        ZuGross, match=r"^Arbeitsmappe zu groß für das Add-in: 14 Werte und Formeln, höchstens 6 Zellen –"
    ):
        skript_ausfuehren("vorlage_pruefen", sieben, grenzen)
    ohne_formeln = _mappe([["", "", "", "", "", "", ""]])
    del ohne_formeln["sheets"][0]["formulas"]  # under twice the limit before parsing; counted exactly after
    with pytest.raises(ZuGross, match=r"^Arbeitsmappe zu groß für das Add-in: 7 Zellen \(höchstens 6\)"):
        skript_ausfuehren("vorlage_pruefen", json.dumps(ohne_formeln).encode(), grenzen)


def test_oversized_bodies_are_refused_within_256_mib_of_memory():
    """RLIMIT_AS after the imports: refusing 1.000.000 cells, or 12.000.000 in a script body under the byte limit,
    needs no more than 256 MiB — parsing them alone would take 0,1 and 0,9 GB, calculating the first 0,7 GB."""
    programm = textwrap.dedent(
        """
        import resource
        from pyxl.excel.anfrage import ZuGross
        from pyxl.excel.server import funktion_berechnen, skript_ausfuehren

        groesse = int(open("/proc/self/status").read().split("VmSize:")[1].split()[0]) * 1024
        resource.setrlimit(resource.RLIMIT_AS, (groesse + 256 * 2**20, resource.RLIM_INFINITY))
        zellen = b'{"func_name": "OEPNV_ABSCHMELZUNG", "args": [[' + b"[1.5]," * 999_999 + b'[1.5]], [[5]]]}'
        mappe = b'{"book": {}, "sheets": [{"name": "T", "values": [' + b"[0]," * 12_000_000 + b'[0]]}]}'
        for aufgabe in (lambda: funktion_berechnen(zellen), lambda: skript_ausfuehren("vorlage_pruefen", mappe)):
            try:
                aufgabe()
            except ZuGross as fehler:
                print(fehler)
        """
    )
    ergebnis = subprocess.run(
        [sys.executable, "-c", programm], capture_output=True, text=True, timeout=WACHE, check=True
    )
    zeilen = ergebnis.stdout.splitlines()
    assert zeilen[0].startswith("Funktionsaufruf zu groß: 1.000.001 Zellen")
    assert zeilen[1].startswith(
        "Arbeitsmappe zu groß für das Add-in: 12.000.001 Werte und Formeln, höchstens 2.000.000 Zellen"
    )
