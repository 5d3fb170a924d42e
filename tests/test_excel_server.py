"""The Excel add-in, called exactly as the Office.js add-in calls it: a real `pyxl serve` on loopback.

Issue #6: custom functions for every registered function (2-D argument lists, de-DE, dates as serials), bad input →
HTTP 400 with the German message, metadata and manifest, the three scripts with workbooks built from real templates,
and a refused unauthenticated call.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import logging
import os
import re
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import httpx
import openpyxl
import pytest
import xlwings
from defusedxml import ElementTree

import pyxl
from pyxl.excel.beispielaufrufe import BEISPIELAUFRUFE
from pyxl.excel.funktionen import beschreibung, excel_wert
from pyxl.functions import REGISTER
from pyxl.templates import formulare
from pyxl.templates.beispiele import BEISPIELE
from tests.excel_hilfen import laufender_server, nutzlast, officejs_argument

WURZEL = Path(__file__).parents[1]
VORLAGEN = WURZEL / "xlsx_templates"
TOKEN = "test-token-0123456789"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`pyxl serve` in a subprocess with a static token list; stopped when the module is done."""
    tokens = tmp_path_factory.mktemp("anmeldung") / "tokens.txt"
    tokens.write_text(f"# erlaubte Tokens\n{TOKEN}\n", encoding="utf-8")
    with (
        laufender_server("--token-datei", str(tokens)) as basis,
        httpx.Client(base_url=basis, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=60) as client,
    ):
        yield client


def _aufruf(name: str, *argumente: object, runtime: str = "1.4") -> dict:
    return {
        "client": "Office.js",
        "func_name": name,
        "args": [officejs_argument(a) for a in argumente],
        "caller_address": "[Mappe1.xlsx]Tabelle1!B2",
        "culture_info_name": "de-DE",
        "date_format": "TT.MM.JJJJ",
        "version": xlwings.__version__,
        "runtime": runtime,
    }


def _rufe(server, name: str, *argumente: object) -> httpx.Response:
    return server.post("/xlwings/custom-functions-call", json=_aufruf(name, *argumente))


# -- clause 4: authentication


def test_4_unauthenticated_call_refused_with_german_reason(server):
    antwort = httpx.post(f"{server.base_url}/xlwings/custom-functions-call", json=_aufruf("RZW_ZUWENDUNGSSATZ", 5000.5))
    assert antwort.status_code == 401
    assert antwort.json()["detail"].startswith("Anmeldung erforderlich")
    falsch = httpx.post(
        f"{server.base_url}/xlwings/custom-functions-call",
        json=_aufruf("RZW_ZUWENDUNGSSATZ", 5000.5),
        headers={"Authorization": "Bearer falsch"},
    )
    assert falsch.status_code == 401 and falsch.json()["detail"] == "Anmeldung abgelehnt: Token unbekannt"
    skript = httpx.post(f"{server.base_url}/xlwings/custom-scripts-call/vorlage_pruefen", json={})
    assert skript.status_code == 401


# -- clause 5: every registered function, called as the add-in calls it


def test_5_every_registered_function_has_an_example_call():
    fehlend = sorted(set(REGISTER) - set(BEISPIELAUFRUFE))
    assert not fehlend, f"Beispielaufruf fehlt in pyxl/excel/beispielaufrufe.py für: {fehlend}"


@pytest.mark.parametrize("name", sorted(BEISPIELAUFRUFE))
def test_5_every_function_over_http_equals_the_registry(server, name):
    argumente = BEISPIELAUFRUFE[name]
    antwort = _rufe(server, name, *argumente)
    assert antwort.status_code == 200, antwort.text
    roh = [officejs_argument(a) for a in argumente]  # the same cell values, evaluated in-process
    erwartet = excel_wert(REGISTER[name].auswerten([a if a is None or len(a) > 1 else a[0][0] for a in roh]).wert)
    assert antwort.json()["result"] == (erwartet if isinstance(erwartet, list) else [[erwartet]])


def test_5_known_values_rzwas_anl2a_nr3_1_and_anl2b_nr2_7(server):
    assert _rufe(server, "RZW_ZUWENDUNGSSATZ", 5000.5, None).json()["result"] == [[63.57]]
    assert _rufe(server, "RZW_ZUWENDUNGSSATZ", "5000,5").json()["result"] == [[63.57]]  # German text from a cell
    assert _rufe(server, "RZW_KRW_KLAERANLAGE", 2000).json()["result"] == [[547.45]]


def test_5_array_result_is_a_column_that_adds_up_satzung_rotenburg_ziffer_1_8(server):
    ergebnis = _rufe(server, "OEPNV_ABSCHMELZUNG", [[600_000], [300_000], [100_000.01]], 900_000).json()["result"]
    assert ergebnis == [[539999.99], [270000.0], [90000.01]]
    assert sum(Decimal(str(z[0])) for z in ergebnis) == Decimal("900000")


def test_5_dates_arrive_as_serial_numbers(server):
    serien = _rufe(server, "OEPNV_RUECKZAHLUNGSZINS", 10_000, dt.date(2024, 3, 1), dt.date(2024, 12, 31))
    text = _rufe(server, "OEPNV_RUECKZAHLUNGSZINS", 10_000, "01.03.2024", "31.12.2024")
    assert serien.json()["result"] == text.json()["result"] == [[457.08]]


def test_5_no_kostenrichtwert_is_na_anl2a_nr2_6(server):
    assert _rufe(server, "RZW_KRW_WASSERLEITUNG", 400).json()["result"] == [
        [{"type": "Error", "errorType": "NotAvailable"}]
    ]


@pytest.mark.parametrize(
    ("name", "argumente", "meldung"),
    [
        ("RZW_ZUWENDUNGSSATZ", ("1.060",), "RZW_ZUWENDUNGSSATZ: AK = „1.060“: mehrdeutig: 1060 (Punkt trennt"),
        ("RZW_ZUWENDUNGSSATZ", ("5.000.5",), "RZW_ZUWENDUNGSSATZ: AK = „5.000.5“: keine Zahl"),
        ("RZW_KRW_KLAERANLAGE", ("",), "RZW_KRW_KLAERANLAGE: EW = leer: Pflichtangabe fehlt"),
        ("RZW_KRW_KLAERANLAGE", ([[1], [2]],), "EW = Bereich mit 2 Zellen: ein einzelner Wert erwartet"),
        ("RZW_KRW_DRUCKLEITUNG", ("gebaggert",), "RZW_KRW_DRUCKLEITUNG: Verfahren = „gebaggert“"),
    ],
)
def test_5_bad_input_is_http_400_with_the_german_message(server, name, argumente, meldung):
    antwort = _rufe(server, name, *argumente)
    assert antwort.status_code == 400
    assert antwort.text.startswith(meldung) or meldung in antwort.text
    assert "Traceback" not in antwort.text


def test_5_unknown_function_and_incomplete_request(server):
    assert _rufe(server, "RZW_GIBTSNICHT", 1).text == "Unbekannte Funktion „RZW_GIBTSNICHT“ – Liste: pyxl fn --list"
    unvollstaendig = server.post("/xlwings/custom-functions-call", json={"args": []})
    assert unvollstaendig.status_code == 400 and "func_name" in unvollstaendig.text


def test_5_metadata_lists_every_function_with_its_german_help(server):
    metadaten = server.get("/xlwings/custom-functions-meta.json").json()
    funktionen = {f["id"]: f for f in metadaten["functions"]}
    assert set(funktionen) == set(REGISTER)
    for name, eintrag in REGISTER.items():
        meta = funktionen[name]
        assert meta["description"] == beschreibung(eintrag)
        assert [p["name"] for p in meta["parameters"]] == [a.name for a in eintrag.argumente]
        assert [p["description"] for p in meta["parameters"]] == [a.hilfe for a in eintrag.argumente]
        assert [p.get("optional", False) for p in meta["parameters"]] == [a.optional for a in eintrag.argumente]
    code = server.get("/xlwings/custom-functions-code.js")
    assert code.headers["content-type"].startswith("text/javascript")
    assert all(f'"{name}"' in code.text for name in REGISTER)
    assert "placeholder" not in code.text


def test_5_manifest_is_valid_xml_with_german_names_and_the_server_urls(server):
    antwort = server.get("/manifest.xml")
    wurzel = ElementTree.fromstring(antwort.content)
    ns = {"o": "http://schemas.microsoft.com/office/appforoffice/1.1"}
    assert wurzel.find("o:DefaultLocale", ns).text == "de-DE"
    assert wurzel.find("o:DisplayName", ns).get("DefaultValue").startswith("pyxl – ")
    basis = str(server.base_url).rstrip("/")
    urls = {e.get("id"): e.get("DefaultValue") for e in wurzel.iter() if e.tag.endswith("}Url")}
    assert urls["Functions.Metadata.Url"] == f"{basis}/xlwings/custom-functions-meta.json"
    assert urls["Functions.Script.Url"] == f"{basis}/xlwings/custom-functions-code.js"
    assert urls["Taskpane.Url"] == f"{basis}/taskpane.html?v={pyxl.__version__}.0"  # the pane compares versions
    texte = {e.get("id"): e.get("DefaultValue") for e in wurzel.iter() if e.tag.endswith("}String")}
    assert texte["Functions.Namespace"] == "PYXL"
    assert texte["Pruefen.Label"] == "Vorlage prüfen"
    assert "{{" not in antwort.text
    for groesse in (16, 32, 64, 80):
        assert server.get(f"/static/icon-{groesse}.png").content.startswith(b"\x89PNG")


def test_5_task_pane_is_german_and_accessible(server):
    antwort = server.get("/taskpane.html")
    seite = antwort.text
    assert '<html lang="de">' in seite
    assert '<label for="formular">' in seite and '<label for="token">' in seite
    assert 'role="status"' in seite and 'role="alert"' in seite
    assert all(f'<option value="{k}" title="' in seite for k in formulare())
    assert all(f"<code>{f.signatur}</code>" in seite for f in REGISTER.values())
    assert "script-src 'self' https://appsforoffice.microsoft.com" in antwort.headers["content-security-policy"]


# -- clause 5: the scripts, with workbooks built from real templates


def _skript(server, name: str, daten: dict) -> httpx.Response:
    return server.post(f"/xlwings/custom-scripts-call/{name}", json=daten)


def test_5_vorlage_pruefen_writes_the_report_sheet_links_and_marks_the_cell(server):
    daten = nutzlast(VORLAGEN / "beispiele" / "RZWAS-3B_fehler_formel_ueberschrieben.xlsx")
    antwort = _skript(server, "vorlage_pruefen", daten)
    assert antwort.status_code == 200, antwort.text
    aktionen = antwort.json()["actions"]
    assert aktionen[0]["func"] == "addSheet" and aktionen[0]["args"] == [2, "Prüfbericht"]
    werte = next(a for a in aktionen if a["func"] == "setValues")["values"]
    # the record of the check (issue 15, 3.), as in the marked copy's sheet: rows 4-9, header row 11
    vermerk = {z[0]: z[1] for z in werte[3:9]}
    assert list(vermerk) == ["Geprüft am", "Datei", "Größe", "SHA-256", "Formular und Version", "Ergebnis"]
    assert vermerk["Datei"] == daten["book"]["name"] and vermerk["Formular und Version"] == "RZWAS-3B, Version 2005.1"
    assert re.fullmatch(r"\d\d\.\d\d\.20\d\d, \d\d:\d\d Uhr \(UTC[+-]\d\d:\d\d\)", vermerk["Geprüft am"])
    assert vermerk["Ergebnis"] == "geprüft – 1 Fehler, 0 Warnungen, 0 Hinweise"
    assert vermerk["Größe"].startswith("– (geprüft wurde der Stand in Excel") and vermerk["SHA-256"] == "–"
    assert werte[2][0].startswith("Regeln: RZWas 2005")
    assert werte[10] == ["Schwere", "Blatt", "Zelle", "Meldung", "Erwartet", "Gefunden", "Regel", "Fundstelle"]
    befund = werte[11]
    assert befund[:3] == ["Fehler", "Anlage 3b", "H36"] and befund[6] == "formel_ueberschrieben"
    assert befund[4].startswith("'=WENN(")  # German, as the copy shows it; the apostrophe keeps it text in Excel
    link = next(a for a in aktionen if a["func"] == "addHyperlink")
    assert link["args"][:2] == ["#'Anlage 3b'!H36", "H36"] and (link["start_row"], link["start_column"]) == (11, 2)
    farbe = next(a for a in aktionen if a["func"] == "setRangeColor")
    assert farbe["args"] == ["#F4CCCC"]
    assert (farbe["sheet_position"], farbe["start_row"], farbe["start_column"]) == (0, 35, 7)  # Anlage 3b!H36
    # printed like the copy's sheet (issue 15, 4.): header row 11 repeated, widths, wrapped message columns
    druck = next(a for a in aktionen if a["func"] == "pyxlDruckbild")
    assert druck["sheet_position"] == 2 and druck["args"] == [11, [10, 14, 9, 55, 32, 32, 22, 28], [1, 3, 4, 5, 7], 2]


def test_5_a_second_check_takes_back_the_marks_of_the_first(server):
    """Issue 17, 5.: the clerk corrects H36 and checks again — the red fill of the first check goes back to the
    form's own look (a formula cell: no fill), and an input cell named in the old report gets its pale yellow."""
    erster = _skript(
        server, "vorlage_pruefen", nutzlast(VORLAGEN / "beispiele" / "RZWAS-3B_fehler_formel_ueberschrieben.xlsx")
    )
    bericht = next(a for a in erster.json()["actions"] if a["func"] == "setValues")["values"]
    bericht = [*bericht, ["Warnung", "Anlage 3b", "E36", "von Hand ergänzt", "", "", "test", ""]]  # an input cell
    korrigiert = nutzlast(VORLAGEN / "beispiele" / "RZWAS-3B_richtig.xlsx")
    korrigiert["sheets"].append(
        {"name": "Prüfbericht", "values": bericht, "formulas": bericht, "pictures": [], "tables": []}
    )
    aktionen = _skript(server, "vorlage_pruefen", korrigiert).json()["actions"]
    farben = [(a["sheet_position"], a["start_row"], a["start_column"], a["args"]) for a in aktionen
              if a["func"] == "setRangeColor"]  # fmt: skip
    assert farben == [(0, 35, 7, [None]), (0, 35, 4, ["#FFF8DC"])]  # H36 plain again, E36 an input cell again
    assert aktionen.index(next(a for a in aktionen if a["func"] == "setRangeColor")) < aktionen.index(
        next(a for a in aktionen if a["func"] == "sheetClear")
    )  # read from the old report before it is cleared


def test_5_a_second_check_survives_an_edited_earlier_report(server):
    """The earlier report is the clerk's sheet: a range or a word typed into its column Zelle is no cell of the form
    — the new check runs all the same (no internal error), and only real cells get their fill back."""
    erster = _skript(
        server, "vorlage_pruefen", nutzlast(VORLAGEN / "beispiele" / "RZWAS-3B_fehler_formel_ueberschrieben.xlsx")
    )
    bericht = next(a for a in erster.json()["actions"] if a["func"] == "setValues")["values"]
    bericht = [*bericht, ["Warnung", "Anlage 3b", "E36:E37", "", "", "", "", ""], ["", "Anlage 3b", "Summe"] + [""] * 5]
    korrigiert = nutzlast(VORLAGEN / "beispiele" / "RZWAS-3B_richtig.xlsx")
    korrigiert["sheets"].append(
        {"name": "Prüfbericht", "values": bericht, "formulas": bericht, "pictures": [], "tables": []}
    )
    antwort = _skript(server, "vorlage_pruefen", korrigiert)
    assert antwort.status_code == 200, antwort.text


def test_5_vorlage_pruefen_on_a_correct_example_finds_no_error(server):
    aktionen = _skript(server, "vorlage_pruefen", nutzlast(VORLAGEN / "beispiele" / "RZWAS-4_richtig.xlsx")).json()
    werte = next(a for a in aktionen["actions"] if a["func"] == "setValues")["values"]
    assert werte[8][:2] == ["Ergebnis", "geprüft – 0 Fehler, 0 Warnungen, 0 Hinweise"]
    assert not any(a["func"] == "setRangeColor" and a["args"] == ["#F4CCCC"] for a in aktionen["actions"])


def test_5_vorlage_pruefen_refuses_a_workbook_sent_without_formulas(server):
    daten = nutzlast(VORLAGEN / "beispiele" / "RZWAS-4_richtig.xlsx")
    for blatt in daten["sheets"]:
        del blatt["formulas"]
    antwort = _skript(server, "vorlage_pruefen", daten)
    assert antwort.status_code == 400 and antwort.text.startswith("Die Arbeitsmappe kam ohne Formeln an")


def _leere_mappe(args: list[str] | None = None) -> dict:
    daten = {
        "client": "Office.js",
        "version": xlwings.__version__,
        "book": {"name": "Mappe1.xlsx", "active_sheet_index": 0, "selection": "A1"},
        "names": [],
        "sheets": [{"name": "Tabelle1", "values": [[""]], "formulas": [[""]], "pictures": [], "tables": []}],
        "properties": {},
    }
    if args is not None:
        daten["args"] = args
    return daten


def test_5_neue_vorlage_inserts_the_built_form_with_names_and_form_id(server):
    aktionen = _skript(server, "neue_vorlage", _leere_mappe(["RZWAS-4"])).json()["actions"]
    assert [a["func"] for a in aktionen] == ["pyxlInsertWorksheets", "pyxlAddNames", "pyxlSetProperties"]
    mappe = openpyxl.load_workbook(io.BytesIO(base64.b64decode(aktionen[0]["args"][0])))
    formular = formulare()["RZWAS-4"]
    assert mappe.sheetnames == [b.name for b in formular.blaetter]
    assert {p.name: p.value for p in mappe.custom_doc_props}["pyxl_formular"] == "RZWAS-4"
    namen = {n for n, _bezug, _versteckt in aktionen[1]["args"]}
    assert set(formular.zeilenanker()) <= namen and set(formular.bereiche) <= namen
    assert aktionen[2]["args"][:4] == ["pyxl_formular", "RZWAS-4", "pyxl_formularversion", formular.version]


def test_5_neue_vorlage_names_the_forms_when_the_id_is_unknown(server):
    antwort = _skript(server, "neue_vorlage", _leere_mappe(["RZWAS-9"]))
    assert antwort.status_code == 400
    assert antwort.text.startswith("Formular = „RZWAS-9“: unbekannt – verfügbar: RZWAS-3A, RZWAS-3B, RZWAS-4")


def test_5_beispiel_laden_writes_the_examples_inputs_into_their_cells(server):
    daten = nutzlast(VORLAGEN / "RZWas2005_Anlage3b_zwf_Kosten_Abwasseranlagen.xlsx")
    aktionen = _skript(server, "beispiel_laden", daten).json()["actions"]
    formular = formulare()["RZWAS-3B"]
    beispiel = next(b for b in BEISPIELE if b.datei == "RZWAS-3B_richtig.xlsx")
    geschrieben = {(a["start_row"], a["start_column"]): a["values"][0][0] for a in aktionen if a["func"] == "setValues"}
    for schluessel, wert in beispiel.eingaben.items():
        zelle = openpyxl.utils.cell.coordinate_from_string(formular.feld(schluessel).zelle)
        ort = (zelle[1] - 1, openpyxl.utils.cell.column_index_from_string(zelle[0]) - 1)
        assert geschrieben[ort] == (float(wert) if isinstance(wert, Decimal) else wert), schluessel
    assert aktionen[-1]["func"] == "activateSheet"


def test_5_beispiel_laden_without_a_form_says_what_to_do(server):
    antwort = _skript(server, "beispiel_laden", _leere_mappe())
    assert antwort.status_code == 400
    assert antwort.text == "Keine pyxl-Vorlage in dieser Arbeitsmappe gefunden – zuerst „Neue Vorlage“ einfügen"


def test_5_unknown_script_and_non_workbook_payload(server):
    assert _skript(server, "format_c", _leere_mappe()).text.startswith("Unbekanntes Skript „format_c“")
    kaputt = server.post("/xlwings/custom-scripts-call/vorlage_pruefen", content=b"kein json")
    assert kaputt.status_code == 400 and kaputt.text.startswith("Arbeitsmappe nicht lesbar")


def test_7_guide_function_table_is_current():
    from pyxl.excel.anleitung import DATEI, aktualisiert

    text = DATEI.read_text(encoding="utf-8")
    assert text == aktualisiert(text), "docs/excel.md veraltet: python -m pyxl.excel.anleitung"


@pytest.mark.parametrize(
    ("optionen", "meldung"),
    [
        (["--oidc-issuer", "http://sso.kreis.example", "--oidc-audience", "pyxl"], "nur https"),
        (["--oidc-issuer", "https://sso.kreis.example"], "ohne Audience"),
        (["--tls-zertifikat", __file__], "TLS braucht beides"),
        (["--macros", str(WURZEL / "docs")], "kein macros/-Verzeichnis mit manifest.xml"),
    ],
)
def test_4_serve_refuses_an_unsafe_or_incomplete_configuration_in_german(optionen, meldung):
    ergebnis = subprocess.run(
        [sys.executable, "-m", "pyxl", "serve", "--port", "1", *optionen], capture_output=True, text=True, timeout=60
    )
    assert ergebnis.returncode == 2
    assert ergebnis.stderr.startswith("Fehler: ") and meldung in ergebnis.stderr


def test_5_oversized_request_is_refused_without_reading_it_all(server):
    def koerper():
        yield b'{"func_name": "KZ_ANTEIL", "args": ['
        for _ in range(60):
            yield b"[[1]]," * 200_000  # 1,2 MB each, no Content-Length (chunked)
        yield b"[[1]]]}"

    antwort = server.post("/xlwings/custom-functions-call", content=koerper())
    assert antwort.status_code == 413 and antwort.text == "Anfrage zu groß (höchstens 50 MB)"


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js fehlt (nur für diesen Test der JS-Verbindung)")
def test_5_the_served_js_glue_calls_the_server_as_excel_would(server):
    """macros/custom-functions.js in Node with a stand-in for Excel's runtime, against the real server."""
    ergebnis = subprocess.run(
        ["node", str(WURZEL / "tests" / "js" / "funktionen_aufrufen.mjs"), str(server.base_url).rstrip("/"), TOKEN],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    zeilen = [json.loads(z) for z in ergebnis.stdout.splitlines()]
    assert zeilen[0]["registriert"] == sorted(REGISTER)
    assert zeilen[1] == {"name": "RZW_ZUWENDUNGSSATZ", "ergebnis": [[63.57]]}
    assert zeilen[2] == {"name": "OEPNV_ABSCHMELZUNG", "ergebnis": [[539999.99], [270000.0], [90000.01]]}
    assert zeilen[3]["code"] == "#WERT!" and zeilen[3]["fehler"].startswith(
        "RZW_ZUWENDUNGSSATZ: AK = „abc“: keine Zahl"
    )


def _aufgabenbereich(server, tmp_path, daten: dict, skript: str, argument: str | None = None) -> dict:
    namen_der_blaetter = [b["name"] for b in daten["sheets"]]
    mappe = {
        "name": daten["book"]["name"],
        "sheets": [{k: b[k] for k in ("name", "values", "formulas")} for b in daten["sheets"]],
        "names": [
            {"name": n["name"], "sheet": namen_der_blaetter[n["sheet_index"]], "address": n["address"]}
            for n in daten["names"]
        ],
        "properties": daten["properties"],
    }
    datei = tmp_path / "mappe.json"
    datei.write_text(json.dumps(mappe), encoding="utf-8")
    befehl = ["node", str(WURZEL / "tests" / "js" / "aufgabenbereich.mjs"), str(server.base_url).rstrip("/"), TOKEN]
    ergebnis = subprocess.run(
        [*befehl, str(datei), skript, *([argument] if argument else [])],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(ergebnis.stdout)


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js fehlt (nur für diesen Test der JS-Verbindung)")
def test_2_task_pane_sends_formulas_and_applies_the_report_actions(server, tmp_path):
    """static/pyxl-addin.js in Node with a stand-in workbook: "Vorlage prüfen" as its button runs it."""
    daten = nutzlast(VORLAGEN / "beispiele" / "RZWAS-3B_fehler_formel_ueberschrieben.xlsx")
    protokoll = _aufgabenbereich(server, tmp_path, daten, "vorlage_pruefen")["protokoll"]
    assert ["blatt", "Prüfbericht"] in protokoll
    werte = next(p[4] for p in protokoll if p[0] == "werte" and p[1] == "Prüfbericht")
    assert werte[6][0] == "SHA-256" and werte[11][:3] == ["Fehler", "Anlage 3b", "H36"]
    assert ["farbe", "Anlage 3b", 35, 7, "#F4CCCC"] in protokoll
    verweis = next(p for p in protokoll if p[0] == "verweis")
    assert verweis[1:4] == ["Prüfbericht", 11, 2] and verweis[4]["documentReference"] == "'Anlage 3b'!H36"
    # the page layout as Excel is told it: A4 landscape, one page wide, header row 11 on every page
    druck = {p[2]: p[3] for p in protokoll if p[0] == "druck" and p[1] == "Prüfbericht"}
    assert druck == {
        "orientation": "Landscape",
        "paperSize": "A4",
        "zoom": {"horizontalFitToPages": 1, "verticalFitToPages": 0},
        "printGridlines": True,
        "printTitleRows": "$11:$11",
    }
    assert ["breite", "Prüfbericht", 0, 3, 55 * 5.6] in protokoll  # the message column
    assert ["umbruch", "Prüfbericht", 10, 3, True] in protokoll
    assert protokoll[-1] == ["aktiv", "Prüfbericht"]


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js fehlt (nur für diesen Test der JS-Verbindung)")
def test_2_task_pane_inserts_a_form_with_names_and_form_id(server, tmp_path):
    protokoll = _aufgabenbereich(server, tmp_path, _leere_mappe(), "neue_vorlage", "NKF-TEP")["protokoll"]
    assert protokoll[0][0] == "einfuegen" and protokoll[0][1] > 1000
    assert ["eigenschaft", "pyxl_formular", "NKF-TEP"] in protokoll
    assert any(p[0] == "name" and p[1] == "NKF_TEP" for p in protokoll)


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js fehlt (nur für diesen Test der JS-Verbindung)")
def test_2_task_pane_shows_the_servers_german_message(server, tmp_path):
    antwort = _aufgabenbereich(server, tmp_path, _leere_mappe(), "beispiel_laden")
    assert antwort == {"fehler": "Keine pyxl-Vorlage in dieser Arbeitsmappe gefunden – zuerst „Neue Vorlage“ einfügen"}


def test_6_several_server_processes_answer_on_one_port():
    with laufender_server("--prozesse", "2") as basis:
        antwort = httpx.post(f"{basis}/xlwings/custom-functions-call", json=_aufruf("RZW_KRW_KLAERANLAGE", 2000))
        assert antwort.json() == {"result": [[547.45]]}


def test_1_the_same_module_gives_classic_xlwings_its_vba_wrappers():
    """Classic xlwings' decorators on the same module: one VBA function per registry entry, German argument names."""
    ergebnis = subprocess.run(
        [sys.executable, str(WURZEL / "tests" / "excel_klassisch.py")],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
        env={k: v for k, v in os.environ.items() if k != "XLWINGS_ON_SERVER"},
    )
    vba = ergebnis.stdout
    for name, eintrag in REGISTER.items():
        argumente = ", ".join(f"Optional {a.name}" if a.optional else a.name for a in eintrag.argumente)
        assert f"Function {name}({argumente})\n" in vba
        assert f'XLPy.CallUDF("pyxl.excel.funktionen", "{name}"' in vba
    assert "Kategorie: pyxl" in vba and "Aufruf: 63.57" in vba


# -- issue 14, point 4: the trace of a cell's function ("Rechenweg der markierten Zelle")

ERKLAEREN = "/pyxl/erklaeren"
BERICHTSSTATISTIK = "Berichtsstatistik (KRM-Bericht 2020)"


def _erklaere(server, formel: str, *argumente: object) -> httpx.Response:
    return server.post(ERKLAEREN, json={"formel": formel, "argumente": list(argumente)})


def test_14_4_kz_anteil_29_of_99_with_its_steps_parameters_and_rules(server):
    """29 / 99 × 100 = 29,2929…, shown unrounded as the step; rounded to `stellen` = 1 place: 29,3 %."""
    antwort = _erklaere(server, "=PYXL.KZ_ANTEIL(A1;B1)", [[29]], [[99]])
    assert antwort.status_code == 200, antwort.text
    daten = antwort.json()
    assert set(daten) == {"function", "value", "unit", "clause", "notes", "pyxl_version", "rules", "trace",
                          "parameters"}  # fmt: skip
    assert (daten["function"], daten["value"], daten["unit"]) == ("KZ_ANTEIL", "29.3", "%")
    assert daten["clause"] and daten["notes"] == []
    assert daten["pyxl_version"] == pyxl.__version__
    schritt = daten["trace"][0]
    assert Decimal(schritt["value"]) == Decimal(29) / Decimal(99) * 100  # 28 digits, as the calculator has it
    assert schritt["value"].startswith("29.292929292929") and schritt["clause"] and schritt["step"]
    assert daten["trace"][-1]["value"] == "29.3"
    (parameter,) = daten["parameters"]
    assert (parameter["name"], parameter["value"], parameter["edition"]) == ("stellen", "1", BERICHTSSTATISTIK)
    assert parameter["ref"]
    (regeln,) = daten["rules"]
    assert regeln == _kz_regeln().herkunft() and regeln["edition"] == BERICHTSSTATISTIK


def _kz_regeln():
    """The parameter set KZ_ANTEIL computes with, as the registry chooses it (today's edition)."""
    return REGISTER["KZ_ANTEIL"].auswerten([29, 99]).regelwerke[0]


def test_14_4_the_endpoint_answers_what_pyxl_fn_json_erklaeren_prints():
    """One builder for both (pyxl.functions.antwort): the CLI's JSON and the endpoint's are the same dict."""
    from click.testing import CliRunner

    from pyxl import cli
    from pyxl.excel.server import funktion_erklaeren

    lauf = CliRunner().invoke(cli.pyxl, ["fn", "KZ_VERAENDERUNG", "1200", "1350", "--json", "--erklaeren"])
    assert lauf.exit_code == 0, lauf.output
    inhalt = json.dumps({"formel": "KZ_VERAENDERUNG", "argumente": [[[1200]], [[1350]]]}).encode()
    assert json.loads(funktion_erklaeren(inhalt)) == json.loads(lauf.output)
    assert json.loads(lauf.output)["value"] == "12.5"


@pytest.mark.parametrize(
    "formel",
    [
        "KZ_ANTEIL",
        "kz_anteil",
        "PYXL.KZ_ANTEIL",
        "=PYXL.KZ_ANTEIL(A1,B1)",
        "=@pyxl.kz_anteil(A1;B1)",
        "=_xldudf_PYXL_KZ_ANTEIL(A1,B1)",
    ],
)
def test_14_4_formula_or_name_in_the_add_ins_namespace(server, formel):
    assert _erklaere(server, formel, 29, 99).json()["value"] == "29.3"


def test_14_4_arguments_are_read_as_for_the_custom_function(server):
    # German number text from a cell, a one-cell range, a plain value: as the custom function reads them
    assert _erklaere(server, "KZ_ANTEIL", [["29,0"]], 99.0).json()["value"] == "29.3"
    # a range argument: a column of cells, a column of results
    daten = _erklaere(server, "OEPNV_ABSCHMELZUNG", [[600_000], [300_000], [100_000.01]], [[900_000]]).json()
    assert daten["value"] == ["539999.99", "270000.00", "90000.01"] and daten["notes"]
    # an omitted optional argument
    assert _erklaere(server, "RZW_ZUWENDUNGSSATZ", [[5000.5]], None).json()["value"] == "63.57"


def test_14_4_an_rzw_function_has_a_trace_and_its_rules(server):
    daten = _erklaere(server, "=PYXL.RZW_ZUWENDUNGSSATZ(B2)", [[5000.5]]).json()
    assert daten["value"] == "63.57" and len(daten["trace"]) >= 1
    assert isinstance(daten["rules"], list) and isinstance(daten["parameters"], list)


@pytest.mark.parametrize(
    ("formel", "argumente", "meldung"),
    [
        ("KZ_ANTEIL", ([["abc"]], [[99]]), "KZ_ANTEIL: Teil = „abc“: keine Zahl (z. B. 1.060,50 oder 1060,5) (Ber"),
        ("KZ_ANTEIL", ([[""]], [[99]]), "KZ_ANTEIL: Teil = leer: Pflichtangabe fehlt (Berichtsstatistik"),
        ("KZ_ANTEIL", ([[1], [2]], [[99]]), "KZ_ANTEIL: Teil = Bereich mit 2 Zellen: ein einzelner Wert erwartet"),
        ("KZ_ANTEIL", ([[29]],), "KZ_ANTEIL: KZ_ANTEIL erwartet 2 Argumente, erhalten: 1"),
        ("RZW_KRW_WASSERLEITUNG", ([[400]],), "RZW_KRW_WASSERLEITUNG: DN = 400: über DN 300 kein Kostenrichtwert"),
        ("=SUMME(A1:B1)", ([[1]],), "Die Formel „=SUMME(A1:B1)“ ruft keine pyxl-Funktion auf – erwartet: =PYXL.NAME"),
        ("=ANDERE.KZ_ANTEIL(A1,B1)", (29, 99), "Die Formel „=ANDERE.KZ_ANTEIL(A1,B1)“ ruft keine pyxl-Funktion auf"),
        ("KZ_GIBTSNICHT", (1,), "Unbekannte Funktion „KZ_GIBTSNICHT“ – Liste: pyxl fn --list"),
        ("KZ_ANTEIL", ({"type": "Entity"}, 99), "KZ_ANTEIL: Argument 1 (Teil) ist ein Objekt"),
    ],
)
def test_14_4_bad_input_is_http_400_with_the_german_message(server, formel, argumente, meldung):
    antwort = _erklaere(server, formel, *argumente)
    assert antwort.status_code == 400
    assert antwort.text.startswith(meldung), antwort.text
    assert "Traceback" not in antwort.text


def test_14_4_incomplete_request_names_the_field(server):
    antwort = server.post(ERKLAEREN, json={"argumente": [1]})
    assert (antwort.status_code, antwort.text) == (400, "Anfrage unvollständig oder fehlerhaft: formel")
    antwort = server.post(ERKLAEREN, json={"formel": "=PYXL.KZ_ANTEIL(" + "A1," * 5000 + ")", "argumente": []})
    assert (antwort.status_code, antwort.text) == (400, "Anfrage unvollständig oder fehlerhaft: formel")


def test_14_4_refused_without_a_valid_token(server):
    ohne = httpx.post(f"{server.base_url}{ERKLAEREN}", json={"formel": "KZ_ANTEIL", "argumente": [29, 99]})
    assert ohne.status_code == 401 and ohne.json()["detail"].startswith("Anmeldung erforderlich")
    falsch = httpx.post(
        f"{server.base_url}{ERKLAEREN}",
        json={"formel": "KZ_ANTEIL", "argumente": [29, 99]},
        headers={"Authorization": "Bearer falsch"},
    )
    assert falsch.status_code == 401 and falsch.json()["detail"] == "Anmeldung abgelehnt: Token unbekannt"


def test_14_4_oversized_body_and_too_many_cells_are_refused(server):
    def koerper():
        yield b'{"formel": "OEPNV_ABSCHMELZUNG", "argumente": ['
        for _ in range(60):
            yield b"[[1]]," * 200_000  # 1,2 MB each, no Content-Length (chunked)
        yield b"[[1]]]}"

    antwort = server.post(ERKLAEREN, content=koerper())
    assert antwort.status_code == 413 and antwort.text == "Anfrage zu groß (höchstens 50 MB)"
    zellen = b'{"formel": "OEPNV_ABSCHMELZUNG", "argumente": [[' + b"[1]," * 200_000 + b"[1]], 900000]}"
    antwort = server.post(ERKLAEREN, content=zellen)
    assert antwort.status_code == 413 and antwort.text.startswith("Funktionsaufruf zu groß: 200.002 Zellen")


def test_14_4_task_pane_has_the_section_and_renders_no_server_text_as_markup(server):
    seite = server.get("/taskpane.html").text
    assert '<h2 id="titel-rechenweg">Rechenweg der markierten Zelle</h2>' in seite
    assert '<button type="button" id="rechenweg-zeigen"' in seite and "={{" not in seite
    code = (WURZEL / "macros" / "static" / "pyxl-addin.js").read_text(encoding="utf-8")
    assert not any(s in code for s in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write"))
    funktionscode = server.get("/xlwings/custom-functions-code.js").text
    assert 'const PYXL_NAMENSRAUM = "PYXL";' in funktionscode and "const PYXL_FUNKTIONEN = [" in funktionscode


def _blatt(name: str, zellen: dict[str, object]) -> dict:
    """A sheet of the stand-in workbook: each cell a value, or (value, formula, local formula) as Office.js gives
    them — `formulas` in English syntax, `formulasLocal` as German Excel shows it."""
    orte = {a: (int(a[1:]) - 1, ord(a[0]) - 65) for a in zellen}
    zeilen, spalten = max(z for z, _ in orte.values()) + 1, max(s for _, s in orte.values()) + 1
    blatt = {k: [[""] * spalten for _ in range(zeilen)] for k in ("values", "formulas", "formulasLocal")}
    for adresse, inhalt in zellen.items():
        z, s = orte[adresse]
        wert, formel, lokal = inhalt if isinstance(inhalt, tuple) else (inhalt, inhalt, inhalt)
        blatt["values"][z][s], blatt["formulas"][z][s], blatt["formulasLocal"][z][s] = wert, formel, lokal
    return {"name": name, **blatt}


RECHENWEG_MAPPE = {
    "name": "Kennzahlen.xlsx",
    "properties": {},
    "names": [{"name": "Teil", "sheet": "Tabelle1", "address": "$A$1"}],
    "sheets": [
        _blatt(
            "Tabelle1",
            {
                "A1": 29,
                "B1": 99,
                "C1": (29.3, "=PYXL.KZ_ANTEIL(A1,B1)", "=PYXL.KZ_ANTEIL(A1;B1)"),
                "C2": (128, "=SUM(A1:B1)", "=SUMME(A1:B1)"),
                "C3": (
                    12.5,
                    "=PYXL.KZ_VERAENDERUNG(Vorjahr!A1,'Daten 2024'!B2)",
                    "=PYXL.KZ_VERAENDERUNG(Vorjahr!A1;'Daten 2024'!B2)",
                ),
                "C4": ("", "=PYXL.KZ_ANTEIL(DATE(2024,1,1),99)", "=PYXL.KZ_ANTEIL(DATUM(2024;1;1);99)"),
                "C5": (58.6, "=PYXL.KZ_ANTEIL(A1,B1)*2", "=PYXL.KZ_ANTEIL(A1;B1)*2"),
                "C6": (63.57, "=PYXL.RZW_ZUWENDUNGSSATZ(5000.5)", "=PYXL.RZW_ZUWENDUNGSSATZ(5000,5)"),
                "C7": (29.3, "=PYXL.KZ_ANTEIL(Teil,B1)", "=PYXL.KZ_ANTEIL(Teil;B1)"),
                "A8": "<b>abc</b>",
                "C8": ("#VALUE!", "=PYXL.KZ_ANTEIL(A8,B1)", "=PYXL.KZ_ANTEIL(A8;B1)"),
                "C9": (
                    539999.99,
                    "=PYXL.OEPNV_ABSCHMELZUNG(Vorjahr!B1:B3,900000)",
                    "=PYXL.OEPNV_ABSCHMELZUNG(Vorjahr!B1:B3;900000)",
                ),
                "C10": 42,
                "A11": "#DIV/0!",
                "C11": ("#DIV/0!", "=PYXL.KZ_ANTEIL(A11,B1)", "=PYXL.KZ_ANTEIL(A11;B1)"),
                "C12": ("#REF!", "=PYXL.KZ_ANTEIL(Fehlt!A1,B1)", "=PYXL.KZ_ANTEIL(Fehlt!A1;B1)"),
            },
        ),
        _blatt("Vorjahr", {"A1": 1200, "B1": 600_000, "B2": 300_000, "B3": 100_000.01}),
        _blatt("Daten 2024", {"B2": 1350}),
    ],
}


@pytest.fixture(scope="module")
def rechenwege(server, tmp_path_factory) -> dict[str, dict]:
    """static/pyxl-addin.js in Node with the stand-in workbook: each cell selected, "Rechenweg anzeigen" pressed."""
    datei = tmp_path_factory.mktemp("rechenweg") / "mappe.json"
    datei.write_text(json.dumps(RECHENWEG_MAPPE), encoding="utf-8")
    zellen = [f"Tabelle1!C{n}" for n in range(1, 13)]
    befehl = ["node", str(WURZEL / "tests" / "js" / "aufgabenbereich.mjs"), str(server.base_url).rstrip("/"), TOKEN]
    lauf = subprocess.run(
        [*befehl, str(datei), "rechenweg", *zellen], capture_output=True, text=True, timeout=120, check=True
    )
    ergebnisse = [json.loads(z) for z in lauf.stdout.splitlines()]
    assert all(e["knopf_frei"] for e in ergebnisse)  # the button is usable again after each run
    return {e["zelle"].split("!")[1]: e for e in ergebnisse}


OHNE_NODE = pytest.mark.skipif(
    shutil.which("node") is None, reason="Node.js fehlt (nur für diesen Test der JS-Verbindung)"
)


@OHNE_NODE
def test_14_4_task_pane_shows_value_steps_parameters_and_rules(rechenwege):
    c1 = rechenwege["C1"]
    assert c1["status"] == "Rechenweg für Tabelle1!C1 angezeigt." and c1["fehler"] == ""
    markup = c1["markup"]
    assert "<code>=PYXL.KZ_ANTEIL(A1;B1)</code>" in markup  # the formula as the clerk sees it
    assert "<h3>Ergebnis: 29,3 %</h3>" in markup
    assert "<li>A1 = 29 (Tabelle1!A1)</li><li>B1 = 99 (Tabelle1!B1)</li>" in markup
    schritte = re.search(r'<ol class="rechenschritte">(.*?)</ol>', markup).group(1)
    assert schritte.startswith("<li><span>Teil / Gesamt × 100 = 29,29292929292929292929292929</span>")
    assert '<span class="klausel"> (Berichtsstatistik (Darstellung' in schritte
    assert "<li><span>Ergebnis KZ_ANTEIL = 29,3</span>" in schritte
    assert "<caption>Gelesene Parameter</caption>" in markup
    assert '<th scope="col">Parameter</th><th scope="col">Wert</th><th scope="col">Ausgabe</th>' in markup
    assert f'<tr><th scope="row">stellen</th><td>1</td><td>{BERICHTSSTATISTIK}</td>' in markup
    regeln = _kz_regeln()
    ab = regeln.ausgabe.gueltig_ab.strftime("%d.%m.%Y")
    assert f"<li>{BERICHTSSTATISTIK}, gültig ab {ab}, Prüfsumme {regeln.kurzsumme}</li>" in markup
    assert f"Berechnet mit pyxl {pyxl.__version__}" in c1["text"]


@OHNE_NODE
def test_14_4_task_pane_reads_arguments_from_other_sheets_names_ranges_and_constants(rechenwege):
    c3 = rechenwege["C3"]["markup"]
    assert "<h3>Ergebnis: 12,5 %</h3>" in c3
    assert "<li>Vorjahr!A1 = 1.200</li><li>'Daten 2024'!B2 = 1.350</li>" in c3
    assert "(neu / alt − 1) × 100 = 12,500" in c3
    assert "<li>Teil = 29 (Tabelle1!A1)</li>" in rechenwege["C7"]["markup"]  # a name of a cell
    assert "<h3>Ergebnis: 29,3 %</h3>" in rechenwege["C7"]["markup"]
    c9 = rechenwege["C9"]["markup"]  # a range on another sheet, a column of results
    assert "<h3>Ergebnis: 539.999,99; 270.000,00; 90.000,01 €</h3>" in c9
    assert "<li>Vorjahr!B1:B3 = 600.000; 300.000; 100.000,01 (3 Zellen)</li><li>900000 (fester Wert)</li>" in c9
    assert "<h3>Hinweise der Regel</h3>" in c9
    c6 = rechenwege["C6"]  # an RZW function with a constant in German notation
    assert "<h3>Ergebnis: 63,57 %</h3>" in c6["markup"] and "<li>5000,5 (fester Wert)</li>" in c6["markup"]
    assert "<h3>Regeln</h3>" in c6["markup"]


@OHNE_NODE
@pytest.mark.parametrize(
    ("zelle", "meldung"),
    [
        ("C2", "Die markierte Zelle enthält keine pyxl-Funktion (Zelle Tabelle1!C2)."),
        ("C10", "Die markierte Zelle enthält keine pyxl-Funktion (Zelle Tabelle1!C10)."),
        ("C5", "Die markierte Zelle enthält keine pyxl-Funktion als äußersten Aufruf"),
        ("C4", "Argument 1 („DATUM(2024;1;1)“) kann der Aufgabenbereich nicht auflösen"),
        ("C11", "Argument 1 („A11“): eine Zelle zeigt den Fehler #DIV/0!"),
        ("C12", "Argument 1 („Fehlt!A1“): Blatt „Fehlt“ nicht gefunden."),
        ("C8", "KZ_ANTEIL: Teil = „<b>abc</b>“: keine Zahl"),
    ],
)
def test_14_4_task_pane_says_in_german_why_it_shows_no_trace(rechenwege, zelle, meldung):
    ergebnis = rechenwege[zelle]
    assert ergebnis["fehler"].startswith(meldung) and ergebnis["status"] == ""
    assert ergebnis["text"] == ergebnis["fehler"]  # shown in the section too, next to the button
    assert ergebnis["markup"].startswith('<div><p class="hinweis">') and "<b>" not in ergebnis["markup"]


ANLAGE1 = "Unternehmen;Teilnetz;Fahrplan-km\nMusterbus GmbH;ROW Süd 1;1.150.000\nMusterbus GmbH;ROW Süd 2;1.080.000\n" \
    "Musterbus GmbH;ROW Süd 3;800.000\n"  # fmt: skip


def test_5_vorlage_pruefen_takes_the_countys_anlage_1(tmp_path):
    """Issue 17, 5.: `pyxl serve --anlage1` gives "Vorlage prüfen" the county's Fahrplan-km per Teilnetz, as
    `pyxl pruefen --anlage1` does: Süd 3 submits 860.000 km, Anlage 1 says 800.000 (+7,5 % > 2 %, Ziffer 7.2)."""
    datei = tmp_path / "anlage1.csv"
    datei.write_text(ANLAGE1, encoding="utf-8")
    daten = nutzlast(VORLAGEN / "beispiele" / "OEPNV-TR_richtig.xlsx")
    with laufender_server("--anlage1", str(datei)) as basis:
        antwort = httpx.post(f"{basis}/xlwings/custom-scripts-call/vorlage_pruefen", json=daten, timeout=60)
        werte = next(a for a in antwort.json()["actions"] if a["func"] == "setValues")["values"]
        assert ("Warnung", "fahrplan_km_7_2", "860.000") in [(z[0], z[6], z[5]) for z in werte[11:]]
        datei.write_text("kaputt", encoding="utf-8")  # broken since the start: German, no traceback
        kaputt = httpx.post(f"{basis}/xlwings/custom-scripts-call/vorlage_pruefen", json=daten, timeout=60)
        assert kaputt.status_code == 400 and "erste Zeile muss" in kaputt.text


def test_serve_refuses_an_unusable_anlage_1(tmp_path):
    from tests.befehl import pyxl

    datei = tmp_path / "anlage1.csv"
    datei.write_text("Unternehmen;Teilnetz;Fahrplan-km\nMusterbus GmbH;ROW Nord 9;1\n", encoding="utf-8")
    lauf = pyxl("serve", "--anlage1", datei, "--port", "1")
    assert lauf.returncode == 2 and "Teilnetz „ROW Nord 9“ unbekannt" in lauf.stderr


def test_the_functions_log_names_field_and_clause_never_a_value(caplog):
    """docs/excel.md, Protokoll: no value from a cell reaches the server log — not the DN without Kostenrichtwert
    (#NV, RZWas 2005 Anl. 2a), not the amounts of a capped compensation (Hinweis, Satzung Ziffer 6)."""
    from pyxl.excel.funktionen import NV, berechne
    from pyxl.functions import REGISTER

    caplog.set_level(logging.INFO, logger="pyxl.excel.funktionen")
    assert berechne(REGISTER["RZW_KRW_WASSERLEITUNG"], [987]) == NV
    berechne(REGISTER["OEPNV_DECKELUNG"], [1_333_333, 1_200_000])
    text = caplog.text
    assert "RZW_KRW_WASSERLEITUNG: kein Wert (#NV) für DN nach RZWas 2005" in text
    assert "OEPNV_DECKELUNG: Hinweis nach" in text
    assert "987" not in text and "1.333.333" not in text and "1333333" not in text and "1.200.000" not in text


def test_classic_xlwings_gets_a_real_error_value_for_nv(monkeypatch):
    """Issue 17, 5.: classic xlwings (Windows, VBA wrappers) shows a returned text as text — "#N/A" would be a
    string in the cell. The value is a COM error instead: win32com.client.VARIANT(VT_ERROR, 0x800A07FA), the code
    Excel gives #NV/#N/A (xlErrNA 2042). pywin32 is stood in here (Windows only); docs/excel.md has the manual check."""
    import types

    from pyxl.excel import funktionen, xw
    from pyxl.functions import REGISTER

    class VARIANT:  # as win32com.client.VARIANT: pywin32 reads .varianttype and .value
        def __init__(self, vt: int, value: object) -> None:
            self.varianttype, self.value = vt, value

    monkeypatch.setitem(sys.modules, "pythoncom", types.SimpleNamespace(VT_ERROR=10))
    monkeypatch.setitem(sys.modules, "win32com", types.ModuleType("win32com"))
    monkeypatch.setitem(sys.modules, "win32com.client", types.SimpleNamespace(VARIANT=VARIANT))
    monkeypatch.setattr(xw, "KLASSISCH", True)
    wert = funktionen.berechne(REGISTER["RZW_KRW_WASSERLEITUNG"], [400])  # DN 400: no Kostenrichtwert (Anl. 2a)
    assert isinstance(wert, VARIANT) and wert.varianttype == 10 and wert.value == -2146826246
    assert wert.value & 0xFFFF == 2042 and wert.value & 0xFFFFFFFF == 0x800A07FA
    monkeypatch.setattr(xw, "KLASSISCH", False)  # xlwings Server: the text, which it writes as the error
    assert funktionen.berechne(REGISTER["RZW_KRW_WASSERLEITUNG"], [400]) == "#N/A"
