"""The add-in server: xlwings Server's protocol on a small FastAPI app — self-hosted, calling no outside service.

Routes as the xlwings Server add-in expects them (``/xlwings/custom-functions-meta.json``,
``/xlwings/custom-functions-code.js``, ``POST /xlwings/custom-functions-call``,
``POST /xlwings/custom-scripts-call/{name}``), plus the manifest, the task pane and its files from ``macros/``, and
pyxl's own ``POST /pyxl/erklaeren``: the trace of one cell's function for the task pane's "Rechenweg", and
``GET /pyxl/anmeldung.json`` with ``/anmeldung.html``: the server's version and the OIDC sign-in dialog's parameters
(the pane is a public client doing PKCE itself; this server never sees its verifier or a refresh token).

Calculators and scripts are synchronous; each call runs in a worker thread, so one long call (an array over
10.000 cells, a check) never blocks the event loop for the other clerks. On Windows, ``pyxl serve`` sets
``XLWINGS_ON_SERVER=true`` before this module is imported (see :mod:`pyxl.excel.xw`).
"""

from __future__ import annotations

import asyncio
import html
import json
import logging
import os
import re
import sys
import tempfile
import threading
import traceback
import urllib.parse
import uuid
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal, TypeVar
from xml.sax.saxutils import escape

import xlwings.server
from fastapi import Depends, FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, PlainTextResponse, Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from pyxl import __version__
from pyxl.excel import anfrage, formularwahl, funktionen, skripte, xw
from pyxl.excel.anfrage import ZuGross
from pyxl.excel.anmeldung import Abgewiesen, Anmeldung
from pyxl.functions import REGISTER
from pyxl.functions.zahlen import deutsch
from pyxl.pruefstelle.routen import Pruefstelle, lebenszeit, router
from pyxl.templates import formulare
from pyxl.validators.grenzen import MB, AnfrageGrenzen

log = logging.getLogger("pyxl.excel")

MACROS = Path(__file__).resolve().parents[2] / "macros"
# A fixed add-in id: Excel recognises an updated manifest as the same add-in
ADDIN_ID = uuid.uuid5(uuid.NAMESPACE_URL, "https://pyxl.invalid/excel-add-in")
DATEINAME = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}")  # the task pane's files in macros/static/
NAMENSRAUM = "PYXL"  # Office.js custom functions always carry a namespace: =PYXL.RZW_ZUWENDUNGSSATZ(…)
# The task pane loads scripts only from this server and Office.js from Microsoft's CDN; it calls only this server
CSP = (
    "default-src 'self'; script-src 'self' https://appsforoffice.microsoft.com; "
    "connect-src 'self'; img-src 'self' data:; style-src 'self'; frame-ancestors https: 'self'"
)
# an error answer is text and nothing else: not sniffed into HTML, not framed, never running or loading anything
FEHLERKOPF = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    "Cache-Control": "no-store",
}
ANMELDESEITE = "anmeldung.html"  # the sign-in dialog's page, also the redirect URI registered at the OIDC issuer


@dataclass
class Einstellungen:
    basis_url: str = "https://localhost:8000"  # where Excel reaches the server (manifest, task pane)
    anmeldung: Anmeldung = field(default_factory=Anmeldung)
    macros: Path = MACROS
    grenzen: AnfrageGrenzen = field(default_factory=AnfrageGrenzen)  # bytes, cells, depth per request
    # the web desk (/pruefen): its private folder (checks, sessions; one for all processes) and retention time
    ablage: Path | None = None
    aufbewahrung_s: int = 3600
    # without sign-in: the only names the browser may call the server by (loopback, the base URL's host) — a web
    # page that re-points its own name at 127.0.0.1 (DNS rebinding) reaches nothing; None: any name
    hosts: frozenset[str] | None = None


class Funktionsaufruf(BaseModel):
    """What the add-in's custom-functions code posts (see macros/custom-functions.js)."""

    model_config = ConfigDict(extra="allow")
    func_name: str
    args: list[Any]
    caller_address: str | None = None
    culture_info_name: str | None = None
    date_format: str | None = None
    version: str = xlwings.__version__
    client: Literal["Office.js"] = "Office.js"  # xlwings answers other clients in English; this server has none
    runtime: str = Field("1.3", pattern=r"^\d{1,2}\.\d{1,2}$")  # xlwings reads it with float()


class Erklaerungsanfrage(BaseModel):
    """What the task pane posts for "Rechenweg": the cell's formula (or a function name) and its argument values,
    resolved in Excel as Office.js passes them to a custom function (a value, or a range as rows of cells)."""

    model_config = ConfigDict(extra="ignore")
    formel: str = Field(max_length=8192)  # Excel's longest formula
    argumente: list[Any] = Field(default_factory=list)


# "=PYXL.KZ_ANTEIL(A1,B1)", "=@PYXL.KZ_ANTEIL(…)", "_xldudf_PYXL_KZ_ANTEIL(…)" (a custom function as a file stores
# it), "PYXL.KZ_ANTEIL" or "KZ_ANTEIL": the name of the outermost call, in the add-in's namespace or without one
FORMEL = re.compile(
    rf"\s*=?\s*@?\s*(?:{NAMENSRAUM}\.|_xldudf_{NAMENSRAUM}_)?([A-Za-z][A-Za-z0-9_]*)\s*(?:\(.*)?", re.I | re.S
)


def funktionsname(formel: str) -> str:
    """The pyxl function a formula calls (see :data:`FORMEL`); else a German ``XlwingsError``."""
    treffer = FORMEL.fullmatch(formel)
    name = treffer.group(1).upper() if treffer else ""
    if name in funktionen.__all__:
        return name
    gezeigt = formel if len(formel) <= 80 else formel[:79] + "…"
    if formel.lstrip().startswith("="):
        raise xw.XlwingsError(
            f"Die Formel „{gezeigt}“ ruft keine pyxl-Funktion auf – erwartet: ={NAMENSRAUM}.NAME(…) "
            "(Liste: pyxl fn --list)"
        )
    raise xw.XlwingsError(f"Unbekannte Funktion „{gezeigt}“ – Liste: pyxl fn --list")


async def _koerper(request: Request, hoechstens: int) -> bytes:
    """The request body, read up to the limit (a missing or false Content-Length does not get past it)."""
    teile, groesse = [], 0
    async for teil in request.stream():
        groesse += len(teil)
        if groesse > hoechstens:
            raise ZuGross(f"Anfrage zu groß (höchstens {deutsch(hoechstens // MB)} MB)")
        teile.append(teil)
    return b"".join(teile)


_faden = threading.local()


def _in_eigener_schleife(koroutine) -> Any:
    # one event loop per worker thread, kept: a fresh asyncio.run() per call would cost more than the calculation
    schleife = getattr(_faden, "schleife", None)
    if schleife is None:
        schleife = _faden.schleife = asyncio.new_event_loop()
    return schleife.run_until_complete(koroutine)


def _unvollstaendig(fehler: ValidationError) -> xw.XlwingsError:
    felder = ", ".join(".".join(str(t) for t in f["loc"]) or "Inhalt" for f in fehler.errors()[:5])
    return xw.XlwingsError(f"Anfrage unvollständig oder fehlerhaft: {felder}")


# The two calls run whole in a worker thread — parsing the JSON body (10.000 cells and more), calculating,
# writing the answer — so the event loop only moves bytes and stays free for the other clerks.


M = TypeVar("M", bound=BaseModel)


def _aufruf(modell: type[M], inhalt: bytes, grenzen: AnfrageGrenzen | None) -> M:
    """A function call's body, checked before it is parsed (bytes, depth, cells per call) and then read into its
    model; an incomplete body is a German error."""
    grenzen = grenzen or AnfrageGrenzen()
    anfrage.pruefe_zellen_des_aufrufs(anfrage.vorpruefen(inhalt, grenzen), grenzen)
    try:
        return modell.model_validate_json(inhalt)
    except ValidationError as fehler:
        raise _unvollstaendig(fehler) from None


def funktion_berechnen(inhalt: bytes, grenzen: AnfrageGrenzen | None = None) -> bytes:
    """One custom-function call: the add-in's JSON in, ``{"result": …}`` out."""
    aufruf = _aufruf(Funktionsaufruf, inhalt, grenzen)
    if aufruf.func_name not in funktionen.__all__:
        raise xw.XlwingsError(f"Unbekannte Funktion „{aufruf.func_name}“ – Liste: pyxl fn --list")
    anfrage.pruefe_argumente(aufruf.func_name, aufruf.args)
    # our own reading and writing of whole ranges (funktionen.excel_aufruf), xlwings' answer without its per-cell
    # pipeline; no model_dump: it would copy every cell once more
    daten = {"args": aufruf.args, "runtime": aufruf.runtime, "date_format": aufruf.date_format,
             "culture_info_name": aufruf.culture_info_name}  # fmt: skip
    ergebnis = _in_eigener_schleife(funktionen.excel_aufruf(aufruf.func_name, daten))
    return json.dumps({"result": ergebnis}, ensure_ascii=False).encode()


def funktion_erklaeren(inhalt: bytes, grenzen: AnfrageGrenzen | None = None) -> bytes:
    """One cell's function with its trace: ``{"formel", "argumente"}`` in, the JSON of ``pyxl fn --json
    --erklaeren`` out. Checked like a custom-function call: depth, cells, the shape of every argument."""
    daten = _aufruf(Erklaerungsanfrage, inhalt, grenzen)
    name = funktionsname(daten.formel)
    anfrage.pruefe_argumente(name, daten.argumente)
    return json.dumps(funktionen.erklaere(name, daten.argumente), ensure_ascii=False).encode()


def skript_ausfuehren(name: str, inhalt: bytes, grenzen: AnfrageGrenzen | None = None) -> bytes:
    """One script on the workbook the task pane sent; the answer is xlwings' list of actions."""
    grenzen = grenzen or AnfrageGrenzen()
    if name not in skripte.__all__:
        raise xw.XlwingsError(f"Unbekanntes Skript „{name}“ – verfügbar: {', '.join(skripte.__all__)}")
    anfrage.pruefe_werte_der_mappe(anfrage.vorpruefen(inhalt, grenzen), grenzen)
    try:
        daten = json.loads(inhalt)
    except ValueError:  # not JSON, not UTF-8, an integer beyond 4.300 digits
        raise xw.XlwingsError(anfrage.MAPPE_UNLESBAR) from None
    anfrage.pruefe_mappe(daten, grenzen)
    try:
        book = xw.Book(json=daten)
    except (ValueError, KeyError, TypeError, AttributeError):
        raise xw.XlwingsError(anfrage.MAPPE_UNLESBAR) from None
    argumente = [str(a) for a in daten.get("args") or []]
    book = _in_eigener_schleife(
        xlwings.server.custom_scripts_call(skripte, name, typehint_to_value={xw.Book: book}, args=argumente)
    )
    return json.dumps(book.json(), ensure_ascii=False).encode()


@cache
def funktionsmetadaten() -> dict:
    return xlwings.server.custom_functions_meta(funktionen)


def manifest(einstellungen: Einstellungen) -> str:
    vorlage = (einstellungen.macros / "manifest.xml").read_text(encoding="utf-8")
    ersetzungen = {
        "{{ID}}": str(ADDIN_ID),
        "{{VERSION}}": f"{__version__}.0",
        "{{BASIS_URL}}": escape(einstellungen.basis_url.rstrip("/")),
        "{{NAMENSRAUM}}": NAMENSRAUM,
    }
    for platzhalter, wert in ersetzungen.items():
        vorlage = vorlage.replace(platzhalter, wert)
    return vorlage


def funktionscode_js(einstellungen: Einstellungen) -> str:
    """macros/custom-functions.js with the xlwings version and the association of every function in the metadata."""
    code = (einstellungen.macros / "custom-functions.js").read_text(encoding="utf-8")
    namen = [f["id"] for f in funktionsmetadaten()["functions"]]
    code = code.replace("placeholder_xlwings_version", xlwings.__version__).replace(
        "placeholder_namensraum", NAMENSRAUM
    )
    # the list stays a constant: the task pane recognises pyxl's functions in a cell's formula by it; the cell
    # limit per call comes from its one source (AnfrageGrenzen), so the pane refuses what the server would
    zellen = einstellungen.grenzen.zellen_je_aufruf
    return (
        code
        + f"\nconst PYXL_FUNKTIONEN = {json.dumps(namen)};\nconst PYXL_HOECHSTENS_ZELLEN = {zellen};\n"
        + "pyxlRegistrieren(PYXL_FUNKTIONEN);\n"
    )


def csp(einstellungen: Einstellungen) -> str:
    """The task pane's CSP; with an OIDC issuer it may also call the issuer's host: the pane exchanges the code and
    renews the token there itself (a public client with PKCE — the verifier never reaches this server)."""
    issuer = einstellungen.anmeldung.oidc_issuer
    if not issuer:
        return CSP
    teile = urllib.parse.urlsplit(issuer)
    return CSP.replace("connect-src 'self'", f"connect-src 'self' {teile.scheme}://{teile.netloc}")


def anmeldeangaben(einstellungen: Einstellungen) -> dict:
    """What the task pane and its sign-in dialog need, no secret in it: the server's pyxl version (the pane compares
    it with the manifest's), whether a token from the list is accepted, and with an OIDC issuer the public client's
    parameters (endpoints from the issuer's discovery, on its own host only)."""
    anmeldung = einstellungen.anmeldung
    angaben: dict[str, Any] = {"version": __version__, "zugangsschluessel": bool(anmeldung.tokens), "oidc": None}
    if anmeldung.oidc_issuer:
        try:
            angaben["oidc"] = {
                "issuer": anmeldung.oidc_issuer,
                "client_id": anmeldung.oidc_audience,
                "authorization_endpoint": anmeldung.endpunkt("authorization_endpoint"),
                "token_endpoint": anmeldung.endpunkt("token_endpoint"),
                "revocation_endpoint": anmeldung.endpunkt("revocation_endpoint", pflicht=False),
                "redirect_uri": f"{einstellungen.basis_url.rstrip('/')}/{ANMELDESEITE}",
                "scope": "openid profile",
            }
        except Abgewiesen as fehler:
            angaben["fehler"] = str(fehler)
    return angaben


def aufgabenbereich(einstellungen: Einstellungen) -> str:
    """The task pane page with the forms to choose and the function list, both from their one source."""
    alle = formulare()
    erstes = next(iter(alle.values()))
    liste = "\n".join(
        f"          <li><code>{html.escape(f.signatur)}</code> – {html.escape(f.hilfe)}</li>" for f in REGISTER.values()
    )
    seite = (einstellungen.macros / "taskpane.html").read_text(encoding="utf-8")
    oidc, tokens = einstellungen.anmeldung.oidc_issuer, einstellungen.anmeldung.tokens
    for platzhalter, wert in (
        ("{{FORMULARE}}", formularwahl.optionen(alle)),
        ("{{FORMULARNAME}}", html.escape(formularwahl.vollname(erstes.untertitel, erstes.titel))),
        ("{{FUNKTIONEN}}", liste),
        ("{{NAMENSRAUM}}", NAMENSRAUM),
        # sign-in: the issuer's dialog with OIDC, the field for a token from the list with a list (or no sign-in)
        ("{{OIDC_VERBORGEN}}", "" if oidc else " hidden"),
        ("{{TOKEN_VERBORGEN}}", " hidden" if oidc and not tokens else ""),
    ):
        seite = seite.replace(platzhalter, wert)
    return seite


def pruefstelle_aus(einstellungen: Einstellungen) -> Pruefstelle:
    """The web desk of this server; without a folder given (tests), a private temporary one."""
    wurzel = einstellungen.ablage or Path(tempfile.mkdtemp(prefix="pyxl-pruefstelle-"))
    return Pruefstelle(
        wurzel,
        einstellungen.anmeldung,
        einstellungen.grenzen,
        einstellungen.basis_url,
        aufbewahrung_s=einstellungen.aufbewahrung_s,
    )


def erstelle_app(einstellungen: Einstellungen | None = None) -> FastAPI:
    einstellungen = einstellungen or Einstellungen()
    pruefstelle = pruefstelle_aus(einstellungen)
    app = FastAPI(
        title="pyxl Excel-Add-in",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        lifespan=lambda _app: lebenszeit(pruefstelle),
    )
    app.include_router(router(pruefstelle))
    if einstellungen.hosts is not None:
        app.add_middleware(NurBekannteHosts, hosts=einstellungen.hosts)

    def angemeldet(request: Request) -> str:
        return einstellungen.anmeldung.pruefe(request.headers.get("authorization"))

    @app.exception_handler(Abgewiesen)
    async def abgewiesen(_request: Request, fehler: Abgewiesen) -> JSONResponse:
        return JSONResponse({"detail": str(fehler)}, status_code=401, headers={"WWW-Authenticate": "Bearer"})

    @app.exception_handler(ZuGross)
    async def zu_gross(_request: Request, fehler: ZuGross) -> PlainTextResponse:
        return PlainTextResponse(str(fehler), status_code=413)

    @app.exception_handler(xw.XlwingsError)
    async def eingabefehler(_request: Request, fehler: xw.XlwingsError) -> PlainTextResponse:
        return PlainTextResponse(str(fehler), status_code=400)  # the add-in shows the text in the cell's error

    @app.exception_handler(StarletteHTTPException)
    async def http_fehler(_request: Request, fehler: StarletteHTTPException) -> PlainTextResponse:
        texte = {404: "Adresse nicht gefunden", 405: "Methode nicht erlaubt"}
        return PlainTextResponse(
            texte.get(fehler.status_code, "Anfrage abgelehnt"), status_code=fehler.status_code, headers=FEHLERKOPF
        )

    @app.exception_handler(Exception)
    async def intern(request: Request, fehler: Exception) -> PlainTextResponse:
        if request.url.path.startswith("/pruefen"):
            # the web desk's errors may carry a path with an uploaded file's name: where it failed, not the message
            stelle = "".join(traceback.format_tb(fehler.__traceback__))
            log.error("interner Fehler der Prüfstelle (%s)\n%s", type(fehler).__name__, stelle)
        else:
            log.exception("interner Fehler")
        return PlainTextResponse(
            f"Interner Fehler im pyxl-Add-in-Server ({type(fehler).__name__}) – bitte der IT melden",
            status_code=500,
            headers=FEHLERKOPF,
        )

    @app.get("/gesund", response_class=PlainTextResponse)
    async def gesund() -> str:
        return "bereit"

    @app.get("/xlwings/custom-functions-meta.json")
    async def metadaten() -> dict:
        return funktionsmetadaten()

    @app.get("/xlwings/custom-functions-code.js")
    async def funktionscode() -> Response:
        return Response(funktionscode_js(einstellungen), media_type="text/javascript")

    @app.post("/xlwings/custom-functions-call")
    async def funktion_aufrufen(request: Request, nutzer: str = Depends(angemeldet)) -> Response:
        inhalt = await _koerper(request, einstellungen.grenzen.koerper)
        antwort = await run_in_threadpool(funktion_berechnen, inhalt, einstellungen.grenzen)
        return Response(antwort, media_type="application/json")

    @app.post("/pyxl/erklaeren")
    async def erklaeren(request: Request, nutzer: str = Depends(angemeldet)) -> Response:
        inhalt = await _koerper(request, einstellungen.grenzen.koerper)
        antwort = await run_in_threadpool(funktion_erklaeren, inhalt, einstellungen.grenzen)
        return Response(antwort, media_type="application/json")

    @app.get("/xlwings/custom-scripts-meta.json")
    async def skriptmetadaten() -> list:
        return xlwings.server.custom_scripts_meta(skripte)

    @app.post("/xlwings/custom-scripts-call/{name}")
    async def skript_aufrufen(name: str, request: Request, nutzer: str = Depends(angemeldet)) -> Response:
        log.info("Skript %s von %s", name, nutzer)
        inhalt = await _koerper(request, einstellungen.grenzen.koerper)
        antwort = await run_in_threadpool(skript_ausfuehren, name, inhalt, einstellungen.grenzen)
        return Response(antwort, media_type="application/json")

    @app.get("/manifest.xml")
    async def manifest_xml() -> Response:
        return Response(manifest(einstellungen), media_type="application/xml")

    @app.get("/taskpane.html")
    async def taskpane() -> HTMLResponse:
        return HTMLResponse(aufgabenbereich(einstellungen), headers={"Content-Security-Policy": csp(einstellungen)})

    @app.get("/pyxl/anmeldung.json")
    def anmeldung_json() -> JSONResponse:  # sync: the first call fetches the issuer's discovery (in a thread)
        return JSONResponse(anmeldeangaben(einstellungen), headers={"Cache-Control": "no-store"})

    @app.get(f"/{ANMELDESEITE}")
    async def anmeldeseite() -> Response:
        # the sign-in dialog: sends on to the issuer, and back from it hands code and state to the pane
        seite = (einstellungen.macros / ANMELDESEITE).read_text(encoding="utf-8")
        return HTMLResponse(seite, headers={"Content-Security-Policy": CSP, "Cache-Control": "no-store",
                                            "Referrer-Policy": "no-referrer"})  # fmt: skip

    @app.get("/static/{datei}")
    async def statisch(datei: str) -> Response:
        if not DATEINAME.fullmatch(datei):  # NUL, "..", overlong names: no file of the task pane looks like that
            return PlainTextResponse("Datei nicht gefunden", status_code=404)
        pfad = (einstellungen.macros / "static" / datei).resolve()
        if pfad.parent != (einstellungen.macros / "static").resolve() or not pfad.is_file():
            return PlainTextResponse(f"Datei „{datei}“ nicht gefunden", status_code=404)
        return FileResponse(pfad)

    return app


LOKALE_NAMEN = frozenset({"127.0.0.1", "localhost", "::1"})


def lokale_hosts(host: str, basis_url: str) -> frozenset[str]:
    """The names a server without sign-in answers to: loopback, the listening address, the base URL's host."""
    namen = {*LOKALE_NAMEN, host.strip("[]").lower()}
    if basis := urllib.parse.urlsplit(basis_url).hostname:
        namen.add(basis)
    return frozenset(namen)


class NurBekannteHosts:
    """ASGI: a request whose Host header names another machine is refused (421, German) before any route."""

    def __init__(self, app, hosts: frozenset[str]) -> None:
        self.app, self.hosts = app, hosts

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http":
            kopf = dict(scope.get("headers") or [])
            name = urllib.parse.urlsplit("//" + kopf.get(b"host", b"").decode("latin-1")).hostname
            if name not in self.hosts:
                text = "Unbekannte Adresse – dieser Server ohne Anmeldung antwortet nur auf dem eigenen Rechner"
                antwort = PlainTextResponse(text, status_code=421, headers=FEHLERKOPF)
                await antwort(scope, receive, send)
                return
        await self.app(scope, receive, send)


UMGEBUNG = "PYXL_SERVE_EINSTELLUNGEN"  # settings for the worker processes of `pyxl serve --prozesse N`


def _prozess_einrichten() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    # Calculators hold the GIL in their worker threads; switching more often gives the event loop (and with it the
    # other clerks' short calls) its turn sooner. Costs a little throughput of long calls.
    sys.setswitchinterval(0.001)


def app_aus_umgebung() -> FastAPI:
    """The app of one worker process: uvicorn starts each by import, so the settings travel in the environment."""
    _prozess_einrichten()
    daten = json.loads(os.environ[UMGEBUNG])
    anmeldung = Anmeldung(frozenset(daten["tokens"]), daten["oidc_issuer"], daten["oidc_audience"])
    grenzen = AnfrageGrenzen.model_validate(daten["grenzen"])
    ablage = Path(daten["ablage"]) if daten.get("ablage") else None
    hosts = frozenset(daten["hosts"]) if daten.get("hosts") is not None else None
    return erstelle_app(
        Einstellungen(
            daten["basis_url"], anmeldung, Path(daten["macros"]), grenzen, ablage, daten["aufbewahrung_s"], hosts
        )
    )


def starte(
    einstellungen: Einstellungen,
    host: str,
    port: int,
    zertifikat: str | None = None,
    schluessel: str | None = None,
    prozesse: int = 1,
) -> None:
    """Run the server; with ``prozesse`` > 1 as that many processes on one port (one GIL each: more cores)."""
    import uvicorn

    optionen = {
        "host": host,
        "port": port,
        "log_level": "warning",  # uvicorn speaks English; pyxl logs its own lines
        "access_log": False,
        "timeout_graceful_shutdown": 5,  # a stop does not wait for a long calculation to finish
        "ssl_certfile": zertifikat,
        "ssl_keyfile": schluessel,
        # behind nginx on this machine (deploy/nginx-pyxl.conf): scheme and client address from X-Forwarded-Proto
        # and -For, believed from loopback only; another proxy's address in FORWARDED_ALLOW_IPS (uvicorn's variable)
        "proxy_headers": True,
        "forwarded_allow_ips": os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1"),
    }
    if prozesse == 1:
        _prozess_einrichten()
        uvicorn.run(erstelle_app(einstellungen), **optionen)
        return
    anmeldung = einstellungen.anmeldung
    # the tokens reach the child processes like any inherited environment: readable only by the service account
    os.environ[UMGEBUNG] = json.dumps(
        {
            "basis_url": einstellungen.basis_url,
            "tokens": sorted(anmeldung.tokens),
            "oidc_issuer": anmeldung.oidc_issuer,
            "oidc_audience": anmeldung.oidc_audience,
            "macros": str(einstellungen.macros),
            "grenzen": einstellungen.grenzen.model_dump(),
            "ablage": str(einstellungen.ablage) if einstellungen.ablage else None,
            "aufbewahrung_s": einstellungen.aufbewahrung_s,
            "hosts": sorted(einstellungen.hosts) if einstellungen.hosts is not None else None,
        }
    )
    uvicorn.run("pyxl.excel.server:app_aus_umgebung", factory=True, workers=prozesse, **optionen)
