"""Issue 18, attacked: the LibreOffice extension's core and the server route it uses, against hostile input.

The HTTP core against a server that drips, floods or answers in HTML; PYXL_MELDUNG's formula reading against
pathological formulas; "Neue Vorlage" against a form with macros; the server's "Vorlage prüfen" against a sent
file or document name that is no such thing. The real-LibreOffice attacks (a hostile server's actions) are in
tests/test_libreoffice_erweiterung.py, which has LibreOffice running.
"""

from __future__ import annotations

import base64
import contextlib
import io
import json
import re
import socket
import threading
import time
import zipfile
from collections.abc import Iterator

import pytest

from pyxl.excel import skripte
from pyxl.excel.server import skript_ausfuehren
from pyxl.excel.xw import XlwingsError
from pyxl.templates import formulare
from pyxl.templates.builder import baue
from pyxl.validators.grenzen import Grenzen
from tests.test_libreoffice_erweiterung import BEISPIELE, _mappe, _senden, _server, kern

# -- the HTTP core


@contextlib.contextmanager
def _tropfend(kopf: bytes, rumpf: bytes, pause_s: float) -> Iterator[str]:
    """A server that sends its answer one byte at a time, ``pause_s`` apart (head, then body)."""
    lauscher = socket.socket()
    lauscher.bind(("127.0.0.1", 0))
    lauscher.listen(5)
    aus = threading.Event()

    def bedienen():
        with contextlib.suppress(OSError):
            verbindung, _ = lauscher.accept()
            with verbindung:
                verbindung.recv(65536)
                for byte in kopf + rumpf:
                    if aus.wait(pause_s):
                        return
                    verbindung.sendall(bytes([byte]))

    faden = threading.Thread(target=bedienen, daemon=True)
    faden.start()
    try:
        yield f"http://127.0.0.1:{lauscher.getsockname()[1]}"
    finally:
        aus.set()
        lauscher.close()
        faden.join(5)
        kern._gesperrt_bis.clear()


@pytest.mark.parametrize("wo", ["kopf", "rumpf"])
def test_a_server_dripping_its_answer_is_stopped_by_the_time_limit(wo):
    """The time limit bounds the whole answer, not each read: 1 byte every 0.2 s would otherwise take minutes."""
    rumpf = b'{"result": [[1.0]]}' + b" " * 2000
    kopf = f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {len(rumpf)}\r\n\r\n".encode()
    if wo == "rumpf":  # the head at once, then the body drips
        kopf, rumpf = b"", kopf + rumpf
    with _tropfend(kopf, rumpf, 0.2) as url:
        start = time.monotonic()
        with pytest.raises(kern.PyxlFehler, match=r"keine (vollständige )?Antwort nach 1 s"):
            kern.funktion(_senden(url, zeitlimit=1), "KZ_ANTEIL", (45.0, 180.0))
        assert time.monotonic() - start < 2.5


@pytest.mark.parametrize(
    ("antwort", "erwartet"),
    [
        (b"[" * 100_000 + b"]" * 100_000, "keine Antwort eines pyxl-Servers"),  # nested beyond recursion
        ('{"result": [["Straße"]]}'.encode("latin-1"), "keine Antwort eines pyxl-Servers"),  # no UTF-8
        (b'{"result": 5}', "unvollständig"),
        (b'{"result": [[{"a": 1}]]}', "unbekannten Zellwert"),
        (b'{"result": [[[[1]]]]}', "unbekannten Zellwert"),
    ],
)
def test_a_malformed_answer_is_a_german_message(antwort, erwartet):
    with _server({kern.FUNKTION: (200, {}, antwort)}) as url:
        with pytest.raises(kern.PyxlFehler, match=erwartet):
            kern.funktion(_senden(url), "KZ_ANTEIL", (45.0, 180.0))


def test_an_oversized_answer_is_refused_without_reading_it_all(monkeypatch):
    monkeypatch.setattr(kern, "HOECHSTENS_ANTWORT", 1000)
    with _server({kern.FUNKTION: (200, {}, b'{"result": [["' + b"x" * 5000 + b'"]]}')}) as url:
        with pytest.raises(kern.PyxlFehler, match="Antwort des pyxl-Servers zu groß"):
            kern.funktion(_senden(url), "KZ_ANTEIL", (45.0, 180.0))


HTML = b"<html><head><title>502 Bad Gateway</title></head><body><center>nginx</center></body></html>"


@pytest.mark.parametrize(
    ("status", "kopf", "inhalt", "erwartet"),
    [
        (502, {"Content-Type": "text/html"}, HTML, "pyxl-Server antwortet mit Fehler 502"),
        (500, {"Content-Type": "text/html"}, b"<!DOCTYPE html><h1>Internal Server Error</h1>", "Fehler 500"),
        (401, {"Content-Type": "text/html"}, b"<html>401 Authorization Required</html>", "Anmeldung abgelehnt"),
        (403, {}, b"<html><body>Forbidden</body></html>", "pyxl-Server antwortet mit Fehler 403"),
        (404, {"Content-Type": "text/html"}, b"<html>Not Found</html>", "Unter dieser Adresse antwortet kein"),
        (300, {}, b"<html>Multiple Choices</html>", "pyxl-Server antwortet mit Fehler 300"),
        (400, {}, "Zeile\x1b[31m rot\u202e".encode() + b"x" * 5000, "Zeile"),
    ],
)
def test_an_html_or_foreign_error_page_is_not_shown_to_the_clerk(status, kopf, inhalt, erwartet):
    """A proxy's error page (nginx: 502, 413, 401) is HTML: the clerk gets a German sentence, not the markup."""
    with _server({kern.FUNKTION: (status, kopf, inhalt)}) as url:
        with pytest.raises(kern.PyxlFehler) as fehler:
            kern.funktion(_senden(url), "KZ_ANTEIL", (45.0, 180.0))
    text = str(fehler.value)
    assert erwartet in text and "<" not in text
    assert len(text) < 700 and not re.search(r"[\x00-\x1f\x7f\u202a-\u202e]", text)


# -- "Neue Vorlage": the form the server sends, checked before LibreOffice opens it


def _als_base64(mappe) -> str:
    puffer = io.BytesIO()
    mappe.save(puffer)
    return base64.b64encode(puffer.getvalue()).decode()


def test_every_pyxl_form_passes_the_extensions_check_of_a_sent_form():
    for formular in formulare().values():
        assert kern.vorlage_lesen(_als_base64(baue(formular)))[:2] == b"PK"


def _mit_teil(name: str, inhalt: bytes) -> str:
    puffer = io.BytesIO(base64.b64decode(_als_base64(baue(formulare()["RZWAS-3B"]))))
    with zipfile.ZipFile(puffer, "a") as archiv:
        archiv.writestr(name, inhalt)
    return base64.b64encode(puffer.getvalue()).decode()


@pytest.mark.parametrize(
    ("text", "erwartet"),
    [
        ("kein base64 ☹", "keine .xlsx-Datei"),
        (12345, "keine .xlsx-Datei"),
        (base64.b64encode(b"%PDF-1.4").decode(), "keine .xlsx-Datei"),
        (_mit_teil("xl/vbaProject.bin", b"\0"), "„xl/vbaProject.bin“ (Makros oder Verknüpfungen)"),
        (_mit_teil("xl/activeX/activeX1.xml", b"<x/>"), "Makros oder Verknüpfungen"),
        (_mit_teil("xl/externalLinks/externalLink1.xml", b"<x/>"), "Makros oder Verknüpfungen"),
        (_mit_teil("xl/connections.xml", b"<x/>"), "Makros oder Verknüpfungen"),
        (_mit_teil("xl/worksheets/sheet9.xml", b'<c><x:f t="shared">webservice ("http://a/"&amp;A1)</x:f></c>'),
         "ruft andere Dateien oder Dienste auf"),
        (_mit_teil("xl/worksheets/sheet9.xml", b"<f>_xlfn.FILTERXML(A1;A2)</f>"), "ruft andere Dateien"),
        (_mit_teil("xl/worksheets/sheet9.xml", b"<f>DDE(\"cmd\";\"/c calc\";\"A1\")</f>"), "ruft andere Dateien"),
    ],
)  # fmt: skip
def test_a_sent_form_with_macros_links_or_calls_out_is_refused(text, erwartet):
    with pytest.raises(kern.PyxlFehler, match=re.escape(erwartet)):
        kern.vorlage_lesen(text)


def test_a_sent_form_that_unpacks_to_gigabytes_is_refused_unread():
    puffer = io.BytesIO()
    with zipfile.ZipFile(puffer, "w", zipfile.ZIP_DEFLATED) as archiv:
        for nummer in range(3):
            archiv.writestr(f"xl/worksheets/sheet{nummer}.xml", b"<f>" + b" " * 40_000_000)
    start = time.monotonic()
    with pytest.raises(kern.PyxlFehler, match="zu groß"):
        kern.vorlage_lesen(base64.b64encode(puffer.getvalue()).decode())
    assert time.monotonic() - start < 1


# -- PYXL_MELDUNG: a hostile document's formulas, read back


N = 100_000
PATHOLOGISCH = {
    "viele Argumente": "=KZ_ANTEIL(" + "1;" * N + "1)",
    "viele Anführungszeichen": "=KZ_ANTEIL(" + '"' * N + ")",
    "verdoppelte Anführungszeichen": '=KZ_ANTEIL("' + '""' * N + '")',
    "tief verschachtelt": "=KZ_ANTEIL(" + "(" * N + ")" * N + ")",
    "Klammern offen": "=KZ_ANTEIL(" + "(" * N,
    "Klammern danach": "=KZ_ANTEIL(" + ") " * N + "x",
    "Punkte im Namen": "=" + "A." * N + "B(1)",
    "Leerraum": "=" + " " * N + "KZ(" + " " * N,
    "Zahl mit Buchstabe": "=KZ_ANTEIL(" + "1" * N + "e;1)",
    "Zahl mit Punkt": "=KZ_ANTEIL(" + "1" * N + ".5.;1)",
    "Blatt aus Apostrophen": "=KZ_ANTEIL($'" + "''" * N + ".A1;1)",
    "Apostrophe": "=KZ_ANTEIL(" + "'" * N + ".A1;1)",
    "langer Blattname": "=KZ_ANTEIL(" + "x" * N + ".A1:" + "y" * N + ".;1)",
}


@pytest.mark.parametrize("fall", list(PATHOLOGISCH))
def test_a_pathological_formula_is_read_in_linear_time(fall):
    start = time.monotonic()
    aufruf = kern.zerlege_aufruf(PATHOLOGISCH[fall])
    for text in aufruf[1][:3] if aufruf else []:
        with contextlib.suppress(kern.Ausdruck):
            kern.argument_lesen(text)
    assert time.monotonic() - start < 0.5


def test_references_with_apostrophes_and_other_sheets_are_read_and_outside_files_are_not():
    assert kern.argument_lesen("$'O''Brien'.$A$1") == ("bezug", ("O'Brien", "A1", ""))
    assert kern.argument_lesen("'Blatt.mit.Punkt'.B2:'Blatt.mit.Punkt'.B9") == (
        "bezug",
        ("Blatt.mit.Punkt", "B2", "B9"),
    )
    for fremd in ["'file:///etc/passwd'#$Sheet1.A1", "'https://example.org/x.ods'#$Sheet1.A1:B2"]:
        with pytest.raises(kern.Ausdruck):
            kern.argument_lesen(fremd)


# -- the server: "Vorlage prüfen" with the document sent as .xlsx


FEHLERHAFT = BEISPIELE / "RZWAS-3B_fehler_summe_geaendert.xlsx"


def _pruefen(mappe: dict) -> list[dict]:
    return json.loads(skript_ausfuehren("vorlage_pruefen", json.dumps(mappe).encode()))["actions"]


def _bericht(aktionen: list[dict]) -> list[list]:
    return next(a["values"] for a in aktionen if a["func"] == "setValues")


@pytest.mark.parametrize("name", [None, 123, ["x.xlsx"], {"a": 1}])
def test_a_document_name_that_is_no_text_is_a_german_error(name):
    mappe = _mappe(FEHLERHAFT, pyxl_datei=base64.b64encode(FEHLERHAFT.read_bytes()).decode())
    mappe["book"]["name"] = name
    with pytest.raises(XlwingsError, match=r"„book.name“ = .* ist kein Dateiname"):
        _pruefen(mappe)


@pytest.mark.parametrize(
    "name",
    ['=HYPERLINK("http://example.org/";"hier")', "+1-1", "@SUM(A1)", "\x1b[31mrot\u202egnp.xlsx", "x" * 100_000],
)
def test_a_document_name_that_looks_like_a_formula_or_hides_text_stays_plain_text_in_the_report(name):
    mappe = _mappe(FEHLERHAFT, pyxl_datei=base64.b64encode(FEHLERHAFT.read_bytes()).decode())
    mappe["book"]["name"] = name
    for zeile in _bericht(_pruefen(mappe)):
        for wert in zeile:
            assert not (isinstance(wert, str) and wert[:1] and wert[:1] in "=+-@"), wert
            assert not (isinstance(wert, str) and re.search("[\x00-\x1f\u202a-\u202e]", wert)), wert


@pytest.mark.parametrize("notizen", ["yes", 1, [True], None])
def test_notes_only_when_asked_for_with_true(notizen):
    mappe = _mappe(FEHLERHAFT, pyxl_datei=base64.b64encode(FEHLERHAFT.read_bytes()).decode(), pyxl_notizen=notizen)
    assert "pyxlNotizen" not in [a["func"] for a in _pruefen(mappe)]


def _zip_bombe() -> bytes:
    puffer = io.BytesIO()
    with zipfile.ZipFile(puffer, "w", zipfile.ZIP_DEFLATED) as archiv:
        archiv.writestr("[Content_Types].xml", "<Types/>")
        archiv.writestr("xl/workbook.xml", b"\0" * 100_000_000)
    return puffer.getvalue()


@pytest.mark.parametrize(
    ("daten", "erwartet"),
    [
        (b"", "kein ZIP-Container"),
        (b"%PDF-1.4 Antrag", "kein ZIP-Container"),
        (_zip_bombe(), "mögliche ZIP-Bombe"),
        (b"PK\x03\x04" + b"\0" * 100, "beschädigt"),
    ],
)
def test_a_sent_file_that_is_no_workbook_is_a_report_not_a_crash(daten, erwartet):
    mappe = _mappe(FEHLERHAFT, pyxl_datei=base64.b64encode(daten).decode())
    zeilen = _bericht(_pruefen(mappe))
    assert any("nicht prüfbar" in str(w) for z in zeilen for w in z)
    assert any(erwartet in str(w) for z in zeilen for w in z), zeilen


def test_a_sent_file_over_the_size_limit_is_refused_before_it_is_checked(monkeypatch):
    monkeypatch.setattr(skripte, "Grenzen", lambda: Grenzen(dateigroesse=10_000))
    mappe = _mappe(FEHLERHAFT, pyxl_datei=base64.b64encode(FEHLERHAFT.read_bytes()).decode())
    zeilen = _bericht(_pruefen(mappe))
    assert any("Datei größer als erlaubt" in str(w) for z in zeilen for w in z), zeilen


def test_a_sent_file_is_checked_in_a_worker_with_its_memory_capped(monkeypatch):
    """As every submitted file (pyxl pruefen, the web desk): a hostile document costs its own worker process, with
    memory and time capped, never the add-in server — here a memory cap no check can meet."""
    monkeypatch.setattr(skripte, "Grenzen", lambda: Grenzen(speicher=1 << 20))
    mappe = _mappe(FEHLERHAFT, pyxl_datei=base64.b64encode(FEHLERHAFT.read_bytes()).decode())
    zeilen = _bericht(_pruefen(mappe))
    assert any("Speicher" in str(w) for z in zeilen for w in z), zeilen
    assert ["Datei", FEHLERHAFT.name] == [w for w in zeilen[4] if w]  # the clerk's name, not the worker's copy


@pytest.mark.parametrize("text", ["C:C", "$C:$D", "3:3", "$Tabelle1.C:C", "$'Blatt 2'.$A:$'Blatt 2'.$B", "1:1048576"])
def test_a_whole_column_or_row_is_named_as_such_not_read(text):
    with pytest.raises(kern.GanzeSpalte):
        kern.argument_lesen(text)


def test_a_long_whole_column_pattern_is_read_in_linear_time():
    start = time.monotonic()
    for text in ["$'" + "''" * N + ".A:A", "x" * N + ".A:" + "y" * N, "A" + ":" * N]:
        with contextlib.suppress(kern.Ausdruck):
            kern.argument_lesen(text)
    assert time.monotonic() - start < 0.5
