"""The pyxl extension's core: talking to the organisation's pyxl server — standard library only.

LibreOffice runs this in the Python it ships (on Windows an older one, without pyxl's dependencies), so nothing
here imports more than the standard library, and nothing uses syntax newer than Python 3.8. The UNO side
(``pyxl_lo.py``) turns cells into the values this module sends and its answers back into cells.

Every call goes to one address, the one configured in the options (loopback by default): never through a proxy
from the environment, never following a redirect — the clerk's numbers go to the pyxl server and nowhere else.
"""

from __future__ import annotations

import base64
import http.client
import io
import json
import os
import re
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile

STANDARD_URL = "http://127.0.0.1:8000"
STANDARD_ZEITLIMIT_S = 20
# after the server was unreachable, further calls fail at once for this long: a sheet with 200 formulas must not
# wait 200 timeouts
SPERRE_S = 15
HOECHSTENS_ANTWORT = 64 * 1024 * 1024  # bytes read from an answer (a form's actions are a few hundred KB)
OPTIONEN = "Extras › Optionen › pyxl › Server"
NV = "#N/A"  # the server's answer where the rule has no value: the cell shows #NV


_BESCHREIBUNG = {}


def beschreibung() -> dict:
    """What the build wrote beside this module from pyxl (pyxl_lo_funktionen.json): the functions' texts, the
    server's limit of cells per call, the names the server's scripts use."""
    if not _BESCHREIBUNG:
        pfad = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pyxl_lo_funktionen.json")
        with open(pfad, encoding="utf-8") as datei:
            _BESCHREIBUNG.update(json.load(datei))
    return _BESCHREIBUNG


class PyxlFehler(Exception):
    """A German message for the clerk: the server's own, or why the server could not answer."""


class Einstellungen:
    """Where the pyxl server is and how to sign in (the options page stores them per user)."""

    def __init__(self, url: str = STANDARD_URL, token: str = "", zeitlimit_s: float = STANDARD_ZEITLIMIT_S):
        self.url = (url or "").strip().rstrip("/")
        self.token = (token or "").strip()
        self.zeitlimit_s = zeitlimit_s if zeitlimit_s and zeitlimit_s > 0 else STANDARD_ZEITLIMIT_S


def adresse_pruefen(url: str) -> str:
    """The server address as typed in the options: http(s), a host, nothing else; else a German error."""
    if not url:
        raise PyxlFehler(
            f"Keine Adresse des pyxl-Servers eingestellt, und pyxl ist in der Python-Umgebung von LibreOffice nicht "
            f"installiert – bitte die Adresse in {OPTIONEN} eintragen"
        )
    teile = urllib.parse.urlsplit(url)
    if teile.scheme not in ("http", "https") or not teile.hostname:
        raise PyxlFehler(
            f"Server-Adresse „{url}“ ungültig – erwartet z. B. {STANDARD_URL} oder https://pyxl.kreis.de ({OPTIONEN})"
        )
    if teile.username or teile.password or teile.query or teile.fragment:
        raise PyxlFehler(f"Server-Adresse „{url}“: bitte ohne Benutzername, Parameter oder # angeben ({OPTIONEN})")
    return url


class _KeineWeiterleitung(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        raise PyxlFehler(
            f"Der pyxl-Server leitet nach „{lesbar(newurl, 200)}“ weiter – pyxl folgt keiner Weiterleitung; bitte die "
            f"Adresse in {OPTIONEN} prüfen"
        )


class _Frist:
    """The time limit for the whole request: when it is up, the connection is shut, whatever is still being read.
    The socket's own timeout bounds each read only — a server dripping one byte a second would hold Calc for hours."""

    def __init__(self, sekunden: float):
        self.abgelaufen = False
        self._sockets = []
        self._sperre = threading.Lock()
        self._uhr = threading.Timer(sekunden, self._ablaufen)
        self._uhr.daemon = True
        self._uhr.start()

    def _ablaufen(self):
        with self._sperre:
            self.abgelaufen = True
            for sock in self._sockets:
                _schliessen(sock)

    def _merken(self, sock):
        with self._sperre:
            self._sockets.append(sock)
            if self.abgelaufen:
                _schliessen(sock)

    def verbindung(self, klasse):
        """``klasse`` (HTTPConnection, HTTPSConnection) whose socket this time limit shuts."""
        frist = self

        def bauen(*argumente, **benannt):
            verbindung = klasse(*argumente, **benannt)
            verbinden = verbindung.connect

            def connect():
                verbinden()
                frist._merken(verbindung.sock)

            verbindung.connect = connect
            return verbindung

        return bauen

    def oeffner(self):
        """Only the configured address: no proxy from the environment, no redirect, this time limit."""
        frist = self

        class Http(urllib.request.HTTPHandler):
            def do_open(self, http_class, req, **argumente):
                return super().do_open(frist.verbindung(http_class), req, **argumente)

        class Https(urllib.request.HTTPSHandler):
            def do_open(self, http_class, req, **argumente):
                return super().do_open(frist.verbindung(http_class), req, **argumente)

        return urllib.request.build_opener(urllib.request.ProxyHandler({}), _KeineWeiterleitung(), Http(), Https())

    def beenden(self):
        self._uhr.cancel()


def _schliessen(sock):
    try:
        sock.shutdown(socket.SHUT_RDWR)  # wakes a read blocked in another thread
    except OSError:
        pass


_gesperrt_bis = {}  # server address → monotonic time until which it counts as unreachable
_sperrgrund = {}


def anfrage(einstellungen: Einstellungen, pfad: str, daten: dict) -> object:
    """POST ``daten`` as JSON to the server, the answer's JSON; :class:`PyxlFehler` with a German text otherwise."""
    basis = adresse_pruefen(einstellungen.url)
    jetzt = time.monotonic()
    if _gesperrt_bis.get(basis, 0) > jetzt:
        raise PyxlFehler(_sperrgrund[basis])
    kopf = {"Content-Type": "application/json", "Accept": "application/json"}
    if einstellungen.token:
        kopf["Authorization"] = "Bearer " + einstellungen.token
    inhalt = json.dumps(daten, ensure_ascii=False).encode("utf-8")
    bitte = urllib.request.Request(basis + pfad, data=inhalt, headers=kopf, method="POST")
    frist = _Frist(einstellungen.zeitlimit_s)
    try:
        with frist.oeffner().open(bitte, timeout=einstellungen.zeitlimit_s) as antwort:
            roh = antwort.read(HOECHSTENS_ANTWORT + 1)
    except urllib.error.HTTPError as fehler:
        raise PyxlFehler(_fehlertext(fehler)) from None
    except (urllib.error.URLError, http.client.HTTPException, OSError) as fehler:
        grund = getattr(fehler, "reason", fehler)
        if frist.abgelaufen or isinstance(grund, socket.timeout) or isinstance(fehler, socket.timeout):
            warum = f"keine Antwort nach {einstellungen.zeitlimit_s:g} s"
        elif isinstance(grund, ConnectionRefusedError):
            warum = "Verbindung abgelehnt – läuft pyxl serve?"
        elif isinstance(grund, socket.gaierror):
            warum = "Rechnername unbekannt"
        else:
            warum = "Verbindung fehlgeschlagen"
        text = (
            f"pyxl-Server {basis} nicht erreichbar ({warum}) – bitte die Adresse in {OPTIONEN} prüfen oder die "
            "IT fragen"
        )
        _gesperrt_bis[basis], _sperrgrund[basis] = jetzt + SPERRE_S, text
        raise PyxlFehler(text) from None
    finally:
        frist.beenden()
    _gesperrt_bis.pop(basis, None)
    if len(roh) > HOECHSTENS_ANTWORT:
        raise PyxlFehler(f"Antwort des pyxl-Servers zu groß (höchstens {HOECHSTENS_ANTWORT // 2**20} MB)")
    try:
        return json.loads(roh.decode("utf-8"))
    except (ValueError, RecursionError):
        raise PyxlFehler(
            f"Antwort von {basis} ist keine Antwort eines pyxl-Servers – bitte die Adresse in {OPTIONEN} prüfen"
        ) from None


def _fehlertext(fehler: urllib.error.HTTPError) -> str:
    """pyxl's own message (plain text, or JSON's "detail"); a proxy's or web server's HTML page is no message."""
    try:
        text = fehler.read(64 * 1024).decode("utf-8", "replace").strip()
    except (OSError, http.client.HTTPException):  # the time limit shut the connection meanwhile
        text = ""
    try:
        text = json.loads(text).get("detail") or text
    except (ValueError, AttributeError, RecursionError):
        pass
    art = (fehler.headers.get("Content-Type") or "") if fehler.headers else ""
    if not isinstance(text, str) or "html" in art.lower() or text.startswith("<"):
        text = ""
    text = lesbar(text, 500)
    if fehler.code == 401:
        return f"{text or 'Anmeldung abgelehnt'} – bitte das Token in {OPTIONEN} prüfen"
    if fehler.code == 404:
        return "Unter dieser Adresse antwortet kein pyxl-Server (404) – bitte die Adresse in " + OPTIONEN + " prüfen"
    return text or f"pyxl-Server antwortet mit Fehler {fehler.code}"


_STEUERZEICHEN = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]+")


def lesbar(text: str, hoechstens: int) -> str:
    """A server's text as the clerk may see it: no control or direction characters, at most ``hoechstens`` long."""
    text = _STEUERZEICHEN.sub(" ", text).strip()
    return text if len(text) <= hoechstens else text[: hoechstens - 1] + "…"


def _json_wert(wert: object) -> object:
    """A value as Calc hands it over (float, text, None, rows as tuples) as the add-in's JSON sends it."""
    if isinstance(wert, (tuple, list)):
        return [_json_wert(w) for w in wert]
    if wert == "":
        return None  # an empty cell of a range: Office.js sends "" and xlwings reads it as empty
    return wert


def argumente(werte: tuple) -> list:
    """The call's arguments: trailing omitted ones (``None``) left out, as Excel leaves them out."""
    liste = [_json_wert(w) for w in werte]
    while liste and liste[-1] is None:
        liste.pop()
    return liste


FUNKTION = "/xlwings/custom-functions-call"
ERKLAEREN = "/pyxl/erklaeren"
SKRIPT = "/xlwings/custom-scripts-call/"


def zellen_pruefen(name: str, werte: tuple, hoechstens: int) -> None:
    """The server's limit of cells per call, said before a million cells are encoded and sent (a whole column)."""
    anzahl = sum(sum(len(zeile) for zeile in w) if isinstance(w, (tuple, list)) else 1 for w in werte)
    if anzahl > hoechstens:
        raise PyxlFehler(
            f"{name}: {_deutsch(anzahl)} Zellen in den Argumenten (höchstens {_deutsch(hoechstens)} je Aufruf) – "
            "bitte nur den benutzten Bereich übergeben, keine ganzen Spalten"
        )


def _deutsch(zahl: int) -> str:
    return f"{zahl:,}".replace(",", ".")  # 200.000


def funktion(senden, name: str, werte: tuple, hoechstens: int | None = None) -> object:
    """One function call: a number, a column as rows (a tuple of 1-tuples), or ``None`` for #NV.
    ``senden(pfad, daten)`` is :func:`anfrage` with the user's settings, or pyxl in this process; ``hoechstens``:
    the server's limit of cells per call."""
    if hoechstens is not None:
        zellen_pruefen(name, werte, hoechstens)
    daten = {"func_name": name, "args": argumente(werte), "runtime": "1.4", "culture_info_name": "de-DE"}
    antwort = senden(FUNKTION, daten)
    return zellwert(antwort.get("result") if isinstance(antwort, dict) else None)


def warum_nv(senden, name: str, werte: tuple) -> str:
    """Why the rule has no value for this call (the cell shows #NV): the server's trace says it, in German."""
    try:
        senden(ERKLAEREN, {"formel": name, "argumente": argumente(werte)})
    except PyxlFehler as fehler:
        return str(fehler)
    return ""


def zellwert(ergebnis: object) -> object:
    if not isinstance(ergebnis, list) or not ergebnis or not all(isinstance(z, list) and z for z in ergebnis):
        raise PyxlFehler("Antwort des pyxl-Servers unvollständig")
    zeilen = tuple(tuple(_zelle(w) for w in zeile) for zeile in ergebnis)
    if len(zeilen) == 1 and len(zeilen[0]) == 1:
        return zeilen[0][0]
    return zeilen


def _zelle(wert: object) -> object:
    """One cell of the answer: a number or text, or ``None`` for #NV (runtime 1.4 sends it as an error object)."""
    if wert == NV or (isinstance(wert, dict) and wert.get("errorType") == "NotAvailable"):
        return None
    if isinstance(wert, dict) or isinstance(wert, (list, tuple)):
        raise PyxlFehler("Antwort des pyxl-Servers mit einem unbekannten Zellwert")
    return wert


def skript(senden, name: str, mappe: dict) -> list:
    """A script of the add-in ("vorlage_pruefen", …) on the document's data: the actions to apply."""
    antwort = senden(SKRIPT + name, mappe)
    aktionen = antwort.get("actions") if isinstance(antwort, dict) else None
    if not isinstance(aktionen, list):
        raise PyxlFehler("Antwort des pyxl-Servers unvollständig")
    return aktionen


# parts of an .xlsx that run code, read other files or send cells elsewhere: a pyxl form has none of them
VORLAGE_VERBOTEN = ("vbaproject", "activex", "externallinks/", "embeddings/", "connections.xml", "querytables/")
# in a formula (<f>…</f>): functions that fetch from the network or call programs and libraries
VORLAGE_AUFRUFE = re.compile(rb"<(?:\w+:)?f\b[^>]*>[^<]*?\b(?:WEBSERVICE|FILTERXML|DDE|CALL|REGISTER\.ID)\s*\(", re.I)
VORLAGE_HOECHSTENS = 100 * 1024 * 1024  # bytes unpacked (a form is some hundred KB)


def vorlage_lesen(text: object) -> bytes:
    """The form the server sends ("Neue Vorlage", base64 .xlsx), checked before LibreOffice opens it: a ZIP without
    macros, controls, links to other files or data sources, no formula that calls out; else a German error."""
    try:
        daten = base64.b64decode(text, validate=True)
        archiv = zipfile.ZipFile(io.BytesIO(daten))
        teile = archiv.infolist()
    except (TypeError, ValueError, zipfile.BadZipFile):
        raise PyxlFehler("Vorlage vom Server abgelehnt: keine .xlsx-Datei") from None
    if sum(t.file_size for t in teile) > VORLAGE_HOECHSTENS:
        raise PyxlFehler("Vorlage vom Server abgelehnt: zu groß")
    for teil in teile:
        name = teil.filename.lower()
        if any(verboten in name for verboten in VORLAGE_VERBOTEN):
            raise PyxlFehler(f"Vorlage vom Server abgelehnt: enthält „{teil.filename}“ (Makros oder Verknüpfungen)")
        if name.startswith("xl/") and name.endswith(".xml") and VORLAGE_AUFRUFE.search(archiv.read(teil)):
            raise PyxlFehler(f"Vorlage vom Server abgelehnt: „{teil.filename}“ ruft andere Dateien oder Dienste auf")
    return daten


def datei_base64(pfad: str) -> str:
    with open(pfad, "rb") as datei:
        return base64.b64encode(datei.read()).decode("ascii")


# -- PYXL_MELDUNG: the call of a cell, read back from its formula

# the outermost call of a formula as Calc's API prints it: "=RZW_ZUWENDUNGSSATZ(A1;5000)", with or without the
# service name before it ("=ORG.PYXL.LIBREOFFICE.FUNKTIONEN.RZW_ZUWENDUNGSSATZ(…)")
AUFRUF = re.compile(r"\s*=\s*(?:[A-Za-z_][A-Za-z0-9_]*\.)*([A-Za-z_][A-Za-z0-9_]*)\s*\((.*)\)\s*", re.S)
# one way to match each text (no "\d+\.?\d*": on 10.000 digits and a letter it backtracks for seconds)
ZAHL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
# A1, $A$1, A1:B4, $Tabelle1.A1, $'Blatt 2'.A1:$'Blatt 2'.B4 (the API's notation, sheet before the dot)
BEZUG = re.compile(
    r"(?:\$?(?P<blatt>'(?:[^']|'')+'|[^'.:;()\s]+)\.)?(?P<von>\$?[A-Za-z]{1,3}\$?\d{1,7})"
    r"(?::(?:\$?(?:'(?:[^']|'')+'|[^'.:;()\s]+)\.)?(?P<bis>\$?[A-Za-z]{1,3}\$?\d{1,7}))?"
)


# C:C, $A:$B, 3:3, $Tabelle1.C:C — Calc writes C1:C1048576 so too
GANZ = re.compile(
    r"(?:\$?(?:'(?:[^']|'')+'|[^'.:;()\s]+)\.)?(?:\$?[A-Za-z]{1,3}|\$?\d{1,7})"
    r":(?:\$?(?:'(?:[^']|'')+'|[^'.:;()\s]+)\.)?(?:\$?[A-Za-z]{1,3}|\$?\d{1,7})"
)


class Ausdruck(PyxlFehler):
    """An argument that is neither a value nor a cell reference."""


class GanzeSpalte(Ausdruck):
    """An argument that is a whole column or row: a million cells, which the server refuses anyway."""


def zerlege_aufruf(formel: str):
    """(function name, [argument texts]) of the formula's outermost call, or ``None`` for no call."""
    treffer = AUFRUF.fullmatch(formel or "")
    if not treffer:
        return None
    teile, tiefe, text, start = [], 0, False, 0
    innen = treffer.group(2)
    for i, zeichen in enumerate(innen):
        if zeichen == '"':
            text = not text
        elif not text and zeichen in "({":
            tiefe += 1
        elif not text and zeichen in ")}":
            tiefe -= 1
            if tiefe < 0:
                return None  # "=A(1)+B(2)": not one call
        elif not text and tiefe == 0 and zeichen == ";":
            teile.append(innen[start:i].strip())
            start = i + 1
    if tiefe or text:
        return None
    letzter = innen[start:].strip()
    if teile or letzter:
        teile.append(letzter)
    return treffer.group(1).upper(), teile


def argument_lesen(text: str):
    """An argument text: ("wert", value) for a number or text literal, ("bezug", (sheet, from, to)) for a reference,
    ``("fehlt", None)`` for an omitted one; :class:`Ausdruck` for anything computed."""
    if text == "":
        return "fehlt", None
    if ZAHL.fullmatch(text):
        return "wert", float(text)
    if len(text) >= 2 and text[0] == text[-1] == '"':
        return "wert", text[1:-1].replace('""', '"')
    treffer = BEZUG.fullmatch(text)
    if treffer:
        blatt = treffer.group("blatt")
        if blatt and blatt.startswith("'"):
            blatt = blatt[1:-1].replace("''", "'")
        von = treffer.group("von").replace("$", "")
        bis = (treffer.group("bis") or "").replace("$", "")
        return "bezug", (blatt, von, bis)
    if GANZ.fullmatch(text):
        raise GanzeSpalte(text)
    raise Ausdruck(text)
