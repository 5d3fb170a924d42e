"""The web desk's routes under ``/pruefen`` (see :mod:`pyxl.pruefstelle`).

Access like the add-in: with a token list or an OIDC issuer configured, every route but the sign-in needs a signed-in
session; every POST needs the session's CSRF token (a hidden input) and, when the browser names one, our own Origin.
Without sign-in configured the server listens on loopback only (``pyxl serve`` refuses otherwise) and the page asks
for no login — the CSRF token is required all the same, so no other web page can upload in the clerk's name.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import hashlib
import logging
import re
import time
import urllib.parse
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile

from pyxl.excel.anmeldung import Abgewiesen, Anmeldung
from pyxl.pruefstelle import arbeit, seiten
from pyxl.pruefstelle.ablage import ZIP_NAME, Ablage, Vorgang, besitzer
from pyxl.pruefstelle.oidc import abschliessen, anmeldeadresse, konto
from pyxl.pruefstelle.sitzung import ANMELDEZEIT_S, KEKS, Sitzung, Sitzungen
from pyxl.validators.ausgabe.schreiben import AusgabeFehler
from pyxl.validators.ausgabe.text import sichtbar
from pyxl.validators.grenzen import MB, AnfrageGrenzen, Grenzen

log = logging.getLogger("pyxl.pruefstelle")

BASIS = seiten.BASIS
FEHLERCODE = re.compile(r"[a-z_]{1,40}")  # access_denied, login_required, … (RFC 6749, 4.1.2.1)
ANMELDEKEKS = "pyxl_anmeldung"  # SameSite=Lax: it must come back with the issuer's redirect (a cross-site navigation)
SICHERHEIT = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",  # "no-referrer" would make the browser send "Origin: null" with our forms
    "X-Frame-Options": "DENY",
    # JSON, downloads, redirects: nothing in them may run or load (a page sets its own policy over this one)
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
}
# a report page holds text from the submission: it may run no script at all, load nothing, post nowhere
BERICHT_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'"
)
# the desk's stylesheet and script: read as what they are, never as a page of their own
DATEIKOPF = {
    "Cache-Control": "no-cache",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
}


@dataclass
class Pruefstelle:
    """What the routes need: where checks and sessions live, how long, and who may enter."""

    wurzel: Path
    anmeldung: Anmeldung
    grenzen: AnfrageGrenzen
    basis_url: str
    aufbewahrung_s: int = 3600
    sitzung_s: int = 8 * 3600
    pruefgrenzen: Grenzen | None = None

    def __post_init__(self) -> None:
        self.ablage = Ablage(self.wurzel / "vorgaenge", self.aufbewahrung_s)
        anonym_s = ANMELDEZEIT_S if self.anmeldung.aktiv else self.sitzung_s  # without sign-in: the clerk's session
        self.sitzungen = Sitzungen(self.wurzel / "sitzungen", self.sitzung_s, anonym_s)
        self.hochladend: dict[str, int] = {}  # uploads being received in this process, per owner
        self.aufgaben: set[asyncio.Task] = set()  # the waits for checks answered with 202 (kept until they end)

    @property
    def zugang(self) -> bool:
        return self.anmeldung.aktiv

    def csp(self) -> str:
        formularziele = "'self'"
        if self.anmeldung.oidc_issuer:  # the sign-in form's answer redirects to the issuer
            teile = urllib.parse.urlsplit(self.anmeldung.oidc_issuer)
            formularziele += f" {teile.scheme}://{teile.netloc}"
        return (
            "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; "
            f"form-action {formularziele}; frame-ancestors 'none'; base-uri 'none'"
        )

    async def aufraeumen_laufend(self) -> None:
        """Every minute: expired checks and sessions go (each process of ``pyxl serve`` may do it)."""
        while True:
            with contextlib.suppress(OSError):
                await asyncio.to_thread(self.ablage.aufraeumen)
                await asyncio.to_thread(self.sitzungen.aufraeumen)
            await asyncio.sleep(60)


def _sicher(request: Request) -> bool:
    """HTTPS directly, or behind a proxy that says so: the cookies get the Secure flag."""
    weitergeleitet = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    return request.url.scheme == "https" or weitergeleitet == "https"


def _eigene_herkunft(request: Request, pruefstelle: Pruefstelle) -> set[str]:
    schema = "https" if _sicher(request) else request.url.scheme
    host = request.headers.get("x-forwarded-host") or request.headers.get("host") or ""
    eigene = {f"{schema}://{host.split(',')[0].strip()}"}
    basis = urllib.parse.urlsplit(pruefstelle.basis_url)
    if basis.scheme and basis.netloc:
        eigene.add(f"{basis.scheme}://{basis.netloc}")
    return eigene


def _keks(antwort: Response, request: Request, name: str, wert: str, sekunden: int, samesite: str = "strict") -> None:
    antwort.set_cookie(
        name, wert, max_age=sekunden, path=BASIS, httponly=True, secure=_sicher(request), samesite=samesite
    )


def _sitzungskeks(antwort: Response, request: Request, sitzung: Sitzung) -> None:
    """The session's cookie, lasting as long as the session itself."""
    _keks(antwort, request, KEKS, sitzung.schluessel, max(1, int(sitzung.ablauf - time.time())))


def _html(text: str, pruefstelle: Pruefstelle, status: int = 200) -> HTMLResponse:
    return HTMLResponse(text, status_code=status, headers={**SICHERHEIT, "Content-Security-Policy": pruefstelle.csp()})


class _Abgelehnt(Exception):
    def __init__(self, status: int, titel: str, text: str) -> None:
        super().__init__(text)
        self.status, self.titel, self.text = status, titel, text


async def _begrenztes_formular(request: Request, hoechstens: int, dateien: int = 0, zu_gross: str = ""):
    """The form (multipart or urlencoded), read only up to ``hoechstens`` bytes and ``dateien`` files: a false or
    missing Content-Length gets no further, nor do more files or fields than allowed."""
    zu_gross = zu_gross or f"Anfrage zu groß: höchstens {hoechstens // 1024} KB"
    laenge = request.headers.get("content-length")
    if laenge and laenge.isdigit() and int(laenge) > hoechstens:
        raise _Abgelehnt(413, "Zu groß", zu_gross)
    gelesen = 0
    empfangen = request.receive

    async def zaehlend() -> dict:
        nonlocal gelesen
        nachricht = await empfangen()
        gelesen += len(nachricht.get("body", b""))
        if gelesen > hoechstens:
            raise _Abgelehnt(413, "Zu groß", zu_gross)
        return nachricht

    begrenzt = Request(request.scope, zaehlend)
    try:
        return await begrenzt.form(max_files=dateien, max_fields=20, max_part_size=64 * 1024)
    except _Abgelehnt:
        raise
    except Exception as fehler:  # python-multipart's and Starlette's errors are English
        if "Too many files" in str(fehler):
            text = f"Zu viele Dateien: höchstens {max(dateien - 1, 0)} je Hochladen"
            raise _Abgelehnt(413, "Zu viele Dateien", text) from None
        raise _Abgelehnt(400, "Anfrage unlesbar", "Das Formular kam unvollständig oder beschädigt an") from None


KLEIN = 64 * 1024  # a sign-in or sign-out form: a key and a token, never more


def _zu_gross(grenzen: AnfrageGrenzen) -> str:
    return f"Hochladen zu groß: höchstens {grenzen.upload_gesamt // MB} MB zusammen"


def router(pruefstelle: Pruefstelle) -> APIRouter:
    r = APIRouter()

    def sitzung_von(request: Request) -> Sitzung | None:
        return pruefstelle.sitzungen.lies(request.cookies.get(KEKS))

    def angemeldet(sitzung: Sitzung | None) -> bool:
        return sitzung is not None and (not pruefstelle.zugang or sitzung.nutzer is not None)

    def eigentuemer(sitzung: Sitzung) -> str:
        return besitzer(sitzung.nutzer, sitzung.schluessel, sitzung.konto)

    def herkunft_ok(request: Request) -> bool:
        herkunft = request.headers.get("origin")
        return herkunft is None or herkunft in _eigene_herkunft(request, pruefstelle)

    def anmeldeseite(sitzung: Sitzung | None, fehler: str | None = None, status: int = 200) -> HTMLResponse:
        """The issuer's sign-in button (needs no session), or the key form with the session's CSRF token."""
        if pruefstelle.anmeldung.oidc_issuer or sitzung is None:
            text = seiten.anmeldung_oidc(fehler)
        else:
            text = seiten.anmeldung_token(sitzung.csrf, fehler)
        return _html(text, pruefstelle, status)

    def mit_sitzung(
        seite: Callable[[Request, Sitzung], Awaitable[Response]],
    ) -> Callable[[Request], Awaitable[Response]]:
        """A page for signed-in users: anyone else gets the sign-in page (GET) or a refusal."""

        async def aufruf(request: Request) -> Response:
            sitzung, neu = sitzung_von(request), None
            # a new session only where one is needed: the clerk's own (no sign-in configured), or the CSRF token of
            # the sign-in form — a stranger's requests leave nothing else on disk
            tokenformular = request.method == "GET" and not pruefstelle.anmeldung.oidc_issuer
            if sitzung is None and (not pruefstelle.zugang or tokenformular):
                sitzung = neu = pruefstelle.sitzungen.neu()
            if sitzung is None or not angemeldet(sitzung):
                if request.method == "GET":
                    antwort: Response = anmeldeseite(sitzung, status=401)
                else:
                    antwort = _html(seiten.fehler("Nicht angemeldet", "Bitte zuerst anmelden."), pruefstelle, 403)
            else:
                try:
                    antwort = await seite(request, sitzung)
                except _Abgelehnt as abgelehnt:
                    if "application/json" in request.headers.get("accept", ""):  # the page's script
                        return JSONResponse({"fehler": abgelehnt.text}, abgelehnt.status, headers=SICHERHEIT)
                    antwort = _html(
                        seiten.fehler(abgelehnt.titel, abgelehnt.text, sitzung.nutzer, sitzung.csrf),
                        pruefstelle,
                        abgelehnt.status,
                    )
            if neu is not None:
                _sitzungskeks(antwort, request, neu)
            return antwort

        return aufruf

    def post_pruefen(request: Request, sitzung: Sitzung, csrf: str | None) -> None:
        if not herkunft_ok(request):
            raise _Abgelehnt(403, "Abgelehnt", "Anfrage von einer fremden Seite abgelehnt (Origin)")
        if not sitzung.csrf_passt(csrf):
            raise _Abgelehnt(403, "Abgelehnt", "Formular abgelaufen oder gefälscht (CSRF) – bitte die Seite neu laden")

    # -- sign-in

    @r.get(BASIS + "/anmelden")
    async def anmelden_beginnen(request: Request) -> Response:
        sitzung = sitzung_von(request) or pruefstelle.sitzungen.neu()
        if not pruefstelle.anmeldung.oidc_issuer:
            antwort: Response = anmeldeseite(sitzung) if pruefstelle.zugang else RedirectResponse(BASIS, 303)
            _sitzungskeks(antwort, request, sitzung)
            return antwort
        beginn = pruefstelle.sitzungen.anmeldung_beginnen(sitzung)
        try:
            ziel = await asyncio.to_thread(anmeldeadresse, pruefstelle.anmeldung, _rueckkehr(request), beginn)
        except Abgewiesen as fehler:
            return anmeldeseite(sitzung, str(fehler), 502)
        antwort = RedirectResponse(ziel, 303, headers=SICHERHEIT)
        _keks(antwort, request, ANMELDEKEKS, sitzung.schluessel, 600, samesite="lax")
        return antwort

    def _rueckkehr(request: Request) -> str:
        return f"{pruefstelle.basis_url.rstrip('/')}{BASIS}/rueckkehr"

    @r.get(BASIS + "/rueckkehr")
    async def rueckkehr(request: Request, code: str = "", state: str = "", error: str = "") -> Response:
        if not pruefstelle.anmeldung.oidc_issuer:
            return RedirectResponse(BASIS, 303, headers=SICHERHEIT)
        wartend = pruefstelle.sitzungen.lies(request.cookies.get(ANMELDEKEKS))
        beginn = wartend.anmeldebeginn() if wartend else None
        neu = None  # the issuer's sign-in page needs no session of ours
        if beginn is None or wartend is None:
            return anmeldeseite(neu, "Anmeldung abgelaufen oder in einem anderen Browser begonnen – bitte neu", 400)
        if error or not code:
            # only an error code as RFC 6749 spells them is shown: no text of a stranger's link on our page
            grund = error if FEHLERCODE.fullmatch(error) else ("Fehler des Anmeldedienstes" if error else "kein Code")
            return anmeldeseite(neu, f"Anmeldung abgebrochen ({grund})", 401)
        try:
            nutzer, eigenes_konto = await asyncio.to_thread(
                abschliessen, pruefstelle.anmeldung, _rueckkehr(request), beginn, code, state
            )
        except Abgewiesen as fehler:
            return anmeldeseite(neu, str(fehler), 401)
        sitzung = pruefstelle.sitzungen.anmelden(wartend, nutzer, eigenes_konto)
        log.info("Prüfstelle: %s angemeldet", sichtbar(nutzer))  # a name with a line break forges no log line
        antwort = _html(seiten.weiter(BASIS, f"Angemeldet als {nutzer}."), pruefstelle)
        _keks(antwort, request, KEKS, sitzung.schluessel, pruefstelle.sitzung_s)
        antwort.delete_cookie(ANMELDEKEKS, path=BASIS)
        return antwort

    @r.post(BASIS + "/anmelden")
    async def anmelden_token(request: Request) -> Response:
        sitzung = sitzung_von(request)
        if not pruefstelle.zugang or (pruefstelle.anmeldung.oidc_issuer and not (pruefstelle.anmeldung.tokens)):
            return _html(
                seiten.fehler("Abgelehnt", "Anmeldung mit Zugangsschlüssel hier nicht möglich"), pruefstelle, 403
            )
        if sitzung is None:  # no session, or the sign-in form's ten minutes are over
            text = "Anmeldeformular abgelaufen oder von einer fremden Seite – bitte die Seite neu laden"
            return _html(seiten.fehler("Abgelehnt", text), pruefstelle, 403)
        try:
            formular = await _begrenztes_formular(request, KLEIN)
            post_pruefen(request, sitzung, _text(formular.get("csrf")))
        except _Abgelehnt as abgelehnt:
            return _html(seiten.fehler(abgelehnt.titel, abgelehnt.text), pruefstelle, abgelehnt.status)
        token = _text(formular.get("token")) or ""
        try:
            nutzer = pruefstelle.anmeldung.pruefe(f"Bearer {token}")
            if nutzer == "Token aus der Liste":  # each key its own owner of results; shown by a short fingerprint
                fingerabdruck = hashlib.sha256(token.encode()).hexdigest()
                nutzer, eigenes_konto = f"Zugangsschlüssel {fingerabdruck[:8]}", f"token:{fingerabdruck}"
            else:  # a token of the issuer: its account, as after the sign-in there
                eigenes_konto = konto(await asyncio.to_thread(pruefstelle.anmeldung.angaben, token))
        except Abgewiesen:
            return anmeldeseite(sitzung, "Zugangsschlüssel unbekannt", 401)
        neu = pruefstelle.sitzungen.anmelden(sitzung, nutzer, eigenes_konto)
        antwort = RedirectResponse(BASIS, 303, headers=SICHERHEIT)
        _keks(antwort, request, KEKS, neu.schluessel, pruefstelle.sitzung_s)
        return antwort

    @r.post(BASIS + "/abmelden")
    async def abmelden(request: Request) -> Response:
        sitzung = sitzung_von(request)
        try:
            formular = await _begrenztes_formular(request, KLEIN)
        except _Abgelehnt as abgelehnt:
            return _html(seiten.fehler(abgelehnt.titel, abgelehnt.text), pruefstelle, abgelehnt.status)
        if sitzung is None or not herkunft_ok(request) or not sitzung.csrf_passt(_text(formular.get("csrf"))):
            return _html(seiten.fehler("Abgelehnt", "Abmelden nur aus der eigenen Sitzung"), pruefstelle, 403)
        pruefstelle.sitzungen.loeschen(sitzung.schluessel)
        antwort = RedirectResponse(BASIS, 303, headers=SICHERHEIT)
        antwort.delete_cookie(KEKS, path=BASIS)
        return antwort

    # -- the desk

    async def startseite(request: Request, sitzung: Sitzung) -> Response:
        return _html(seiten.hochladen(sitzung.csrf, pruefstelle.grenzen, sitzung.nutzer), pruefstelle)

    async def hochladen(request: Request, sitzung: Sitzung) -> Response:
        grenzen = pruefstelle.grenzen
        if not herkunft_ok(request):  # before a byte of the body is read
            raise _Abgelehnt(403, "Abgelehnt", "Anfrage von einer fremden Seite abgelehnt (Origin)")
        eigen = eigentuemer(sitzung)
        laufend, groesse = await asyncio.to_thread(pruefstelle.ablage.belegt, eigen)  # running in any process
        laufend += pruefstelle.hochladend.get(eigen, 0)  # and being uploaded here; no await from here to the count
        if laufend >= grenzen.pruefungen_je_nutzer:  # one official's many uploads: not all at once
            raise _Abgelehnt(429, "Bitte warten", f"Ihre {grenzen.pruefungen_je_nutzer} letzten Prüfungen laufen noch "
                             "– bitte warten, bis eine fertig ist, und dann erneut hochladen")  # fmt: skip
        angekuendigt = request.headers.get("content-length", "0")
        if groesse + (int(angekuendigt) if angekuendigt.isdigit() else 0) > grenzen.speicher_je_nutzer:
            raise _Abgelehnt(507, "Speicher voll", f"Ihre Ergebnisse belegen schon {groesse // MB} MB von höchstens "
                             f"{grenzen.speicher_je_nutzer // MB} MB – sie werden {dauer(pruefstelle.aufbewahrung_s)} "
                             "nach dem Hochladen gelöscht; bitte bis dahin warten")  # fmt: skip
        pruefstelle.hochladend[eigen] = pruefstelle.hochladend.get(eigen, 0) + 1
        try:
            vorgang, anzahl = await _annehmen(request, sitzung, eigen)
        finally:
            pruefstelle.hochladend[eigen] -= 1
            if not pruefstelle.hochladend[eigen]:
                del pruefstelle.hochladend[eigen]
        log.info("Prüfstelle: %d Dateien zur Prüfung angenommen", anzahl)
        prozess = await arbeit.starten(vorgang, pruefstelle.pruefgrenzen)
        ziel = f"{BASIS}/vorgang/{vorgang.kennung}/"
        if "application/json" in request.headers.get("accept", ""):  # the page's script shows the progress
            aufgabe = asyncio.get_running_loop().create_task(
                arbeit.abwarten(prozess, vorgang, pruefstelle.pruefgrenzen)
            )
            pruefstelle.aufgaben.add(aufgabe)  # a task nobody holds may be collected before its end
            aufgabe.add_done_callback(pruefstelle.aufgaben.discard)
            return JSONResponse({"ergebnis": ziel, "stand": f"{ziel}stand.json"}, 202, headers=SICHERHEIT)
        await arbeit.abwarten(prozess, vorgang, pruefstelle.pruefgrenzen)
        return RedirectResponse(ziel, 303, headers=SICHERHEIT)

    async def _annehmen(request: Request, sitzung: Sitzung, eigen: str) -> tuple[Vorgang, int]:
        """The upload read within its limits and stored in a new check's folder; the check's folder and the spooled
        parts go whatever fails (a full disk is answered in German, naming no file)."""
        grenzen = pruefstelle.grenzen
        formular = await _begrenztes_formular(
            request, grenzen.upload_formular, grenzen.upload_dateien + 1, _zu_gross(grenzen)
        )
        vorgang = None
        try:
            post_pruefen(request, sitzung, _text(formular.get("csrf")))
            dateien = [d for d in formular.getlist("dateien") if isinstance(d, UploadFile) and d.filename]
            if not dateien:
                raise _Abgelehnt(400, "Keine Datei", "Keine Datei ausgewählt – bitte mindestens eine Datei wählen")
            if len(dateien) > grenzen.upload_dateien:
                raise _Abgelehnt(413, "Zu viele Dateien", f"Zu viele Dateien: höchstens {grenzen.upload_dateien}")
            vorgang = pruefstelle.ablage.neu(eigen, [d.filename or "" for d in dateien])
            for datei in dateien:
                await asyncio.to_thread(vorgang.ablegen, datei.filename, datei.file)
            anlage1 = formular.get("anlage1")
            if isinstance(anlage1, UploadFile) and anlage1.filename:
                await asyncio.to_thread(vorgang.anlage1_ablegen, anlage1.file)
            return vorgang, len(dateien)
        except BaseException as fehler:
            if vorgang is not None:
                pruefstelle.ablage.loeschen(vorgang)
            if not isinstance(fehler, (OSError, AusgabeFehler)):
                raise
            # its text names the file and the folder: never shown, never logged — only the kind of failure
            log.warning("Prüfstelle: Hochgeladenes ließ sich nicht ablegen (%s)", _grund(fehler))
            raise _Abgelehnt(507, "Kein Platz", "Die Dateien ließen sich nicht ablegen (Speicher voll?) – bitte "
                             "später erneut hochladen oder die IT fragen") from None  # fmt: skip
        finally:
            await formular.close()  # the spooled temporary files go at once, whatever happened

    def vorgang_von(sitzung: Sitzung, kennung: str) -> Vorgang:
        vorgang = pruefstelle.ablage.finde(kennung, eigentuemer(sitzung))
        if vorgang is None:
            raise _Abgelehnt(404, "Nicht gefunden", "Diese Prüfung gibt es nicht (mehr) – Ergebnisse werden nach "
                             f"{dauer(pruefstelle.aufbewahrung_s)} gelöscht")  # fmt: skip
        return vorgang

    async def ergebnis(request: Request, sitzung: Sitzung) -> Response:
        vorgang = vorgang_von(sitzung, request.path_params["kennung"])
        stand = vorgang.stand()
        uebersicht = downloads = None
        if stand.get("fertig"):
            uebersicht, downloads = arbeit.ergebnisteile(vorgang)
        seite = seiten.ergebnis(vorgang.kennung, stand, uebersicht, downloads or [], sitzung.nutzer, sitzung.csrf)
        return _html(seite, pruefstelle)

    async def stand(request: Request, sitzung: Sitzung) -> Response:
        vorgang = vorgang_von(sitzung, request.path_params["kennung"])
        return JSONResponse(vorgang.stand(), headers=SICHERHEIT)

    async def datei(request: Request, sitzung: Sitzung) -> Response:
        vorgang = vorgang_von(sitzung, request.path_params["kennung"])
        name = request.path_params["name"]
        if name == ZIP_NAME:
            if not vorgang.stand().get("fertig"):
                raise _Abgelehnt(409, "Noch nicht fertig", "Die Prüfung läuft noch – das ZIP gibt es danach")
            pfad = await asyncio.to_thread(vorgang.zip)
            return FileResponse(pfad, filename=f"pyxl-pruefung-{vorgang.kennung[:8]}.zip", headers=SICHERHEIT)
        pfad = vorgang.datei(name)
        if pfad is None:
            raise _Abgelehnt(404, "Nicht gefunden", "Diese Datei gibt es in dieser Prüfung nicht")
        if pfad.suffix == ".html":
            return FileResponse(pfad, media_type="text/html; charset=utf-8",
                                headers={**SICHERHEIT, "Content-Security-Policy": BERICHT_CSP})  # fmt: skip
        return FileResponse(pfad, filename=pfad.name, headers=SICHERHEIT)  # a download, never shown inline

    r.add_api_route(BASIS, mit_sitzung(startseite), methods=["GET"])
    r.add_api_route(BASIS, mit_sitzung(hochladen), methods=["POST"])
    r.add_api_route(BASIS + "/vorgang/{kennung}/", mit_sitzung(ergebnis), methods=["GET"])
    r.add_api_route(BASIS + "/vorgang/{kennung}/stand.json", mit_sitzung(stand), methods=["GET"])
    r.add_api_route(BASIS + "/vorgang/{kennung}/{name}", mit_sitzung(datei), methods=["GET"])

    @r.get(BASIS + "/pruefstelle.css")
    async def stil() -> Response:
        return Response(seiten.stil(), media_type="text/css", headers=DATEIKOPF)

    @r.get(BASIS + "/pruefstelle.js")
    async def skript() -> Response:
        return Response(
            (Path(__file__).parent / "pruefstelle.js").read_text(encoding="utf-8"),
            media_type="text/javascript",
            headers=DATEIKOPF,
        )

    return r


def dauer(sekunden: int) -> str:
    """``3600`` → ``1 Stunde``, ``5400`` → ``90 Minuten``, ``1`` → ``1 Sekunde``."""
    for einheit, eins, mehr in ((3600, "Stunde", "Stunden"), (60, "Minute", "Minuten"), (1, "Sekunde", "Sekunden")):
        if sekunden >= einheit and sekunden % einheit == 0:
            anzahl = sekunden // einheit
            return f"{anzahl} {eins if anzahl == 1 else mehr}"
    return f"{sekunden} Sekunden"


def _grund(fehler: BaseException) -> str:
    """``ENOSPC``, ``EACCES``, …: why a file could not be written, without its name."""
    ursache = fehler if isinstance(fehler, OSError) else fehler.__cause__
    return errno.errorcode.get(getattr(ursache, "errno", None) or 0, type(fehler).__name__)


def _text(wert: object) -> str | None:
    return wert if isinstance(wert, str) else None


@contextlib.asynccontextmanager
async def lebenszeit(pruefstelle: Pruefstelle) -> AsyncIterator[None]:
    aufgabe = asyncio.get_running_loop().create_task(pruefstelle.aufraeumen_laufend())
    try:
        yield
    finally:
        aufgabe.cancel()


__all__ = ["Pruefstelle", "lebenszeit", "router"]
