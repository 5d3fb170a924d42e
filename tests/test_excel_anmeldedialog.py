"""Issue 17, points 2 and 4: the add-in signs the clerk in at the own OIDC issuer through Office's dialog (code flow
with PKCE, done in the task pane), keeps and renews the token in the shared runtime, signs out; and it says when the
manifest Excel loaded is older than the server.

A real ``pyxl serve --oidc-issuer`` and the tests' issuer (tests/oidc_aussteller.py); the real task pane and dialog
page in headless Chromium (tests/browser), with a stand-in for Office.js (it cannot load here): its
``displayDialogAsync`` opens the dialog page in a window of the same browser and hands ``messageParent`` back to the
pane; ``CustomFunctions.associate`` keeps the functions so the test calls them as Excel would.
"""

from __future__ import annotations

import json
import time

import httpx
import jwt
import pytest
from fastapi.testclient import TestClient

import pyxl
from pyxl.excel.anmeldung import Anmeldung
from pyxl.excel.server import Einstellungen, anmeldeangaben, erstelle_app
from tests.browser import AXE, WCAG_TAGS, axe_pruefen, verstoesse_lesbar
from tests.excel_hilfen import laufender_server
from tests.oidc_aussteller import KENNWORT, Aussteller

OFFICE_CDN = "*appsforoffice.microsoft.com*"

# Office.js as far as the task pane uses it, inside Excel; records the Authorization header of every call to the
# pyxl server (never anything else)
OFFICE_AUFGABENBEREICH = """
(() => {
  const test = (window.__pyxlTest = { funktionen: {}, kopfzeilen: [], dialoge: [] });
  const echt = window.fetch.bind(window);
  window.fetch = (adresse, optionen = {}) => {
    if (String(adresse).startsWith(location.origin + "/")) {
      const kopf = (optionen.headers || {}).Authorization;
      if (kopf !== undefined) test.kopfzeilen.push(kopf);
    }
    return echt(adresse, optionen);
  };
  class ExcelFehler extends Error {
    constructor(code, text) { super(text); this.code = code; }
  }
  window.CustomFunctions = {
    associate: (name, f) => { test.funktionen[name] = f; },
    Error: ExcelFehler,
    ErrorCode: { invalidValue: "#WERT!", notAvailable: "#NV" },
  };
  // the selected cell: a pyxl function with a constant, for "Rechenweg anzeigen"
  const zelle = { address: "Tabelle1!B2", formulas: [["=PYXL.RZW_ZUWENDUNGSSATZ(5000.5)"]],
                  formulasLocal: [["=PYXL.RZW_ZUWENDUNGSSATZ(5000,5)"]], load() { return this; } };
  window.Excel = { run: async (arbeit) => arbeit({ sync: async () => {},
    workbook: { getSelectedRange: () => ({ getCell: () => zelle }) } }) };
  const bereit = { host: "Excel", platform: "PC" };
  window.Office = {
    onReady: (f) => new Promise((fertig) => setTimeout(() => { if (f) f(bereit); fertig(bereit); }, 0)),
    actions: { associate() {} },
    AsyncResultStatus: { Succeeded: "succeeded", Failed: "failed" },
    EventType: { DialogMessageReceived: "dialogMessageReceived", DialogEventReceived: "dialogEventReceived" },
    context: {
      contentLanguage: "de-DE",
      requirements: { isSetSupported: () => true },
      ui: {
        displayDialogAsync(adresse, optionen, rueckruf) {
          test.dialoge.push({ adresse, optionen });
          const fenster = window.open(adresse, "pyxl-anmeldung", "popup,width=480,height=640");
          const behandler = {};
          window.__pyxlDialogNachricht = (nachricht) =>
            behandler.dialogMessageReceived({ message: nachricht, origin: location.origin });
          rueckruf({ status: "succeeded", value: {
            addEventHandler: (art, f) => { behandler[art] = f; },
            close: () => fenster.close(),
          } });
        },
      },
    },
  };
})();
"""

# Office.js in the dialog: messageParent reaches the pane that opened it
OFFICE_DIALOG = """
window.Office = {
  onReady: (f) => new Promise((fertig) => setTimeout(() => { if (f) f({}); fertig({}); }, 0)),
  context: { ui: { messageParent: (nachricht) => window.opener.__pyxlDialogNachricht(nachricht) } },
};
"""


@pytest.fixture(scope="module")
def oidc():
    """`pyxl serve` signing in at the tests' issuer, whose tokens live 4 s (renewal after 3 s); the issuer lets the
    server's origin call its token endpoint (Keycloak: Web Origins)."""
    aussteller = Aussteller(client_id="pyxl", gueltig_s=4).starten()
    try:
        with laufender_server("--oidc-issuer", aussteller.url, "--oidc-audience", "pyxl") as basis:
            aussteller.web_origins.append(basis)
            yield basis, aussteller
    finally:
        aussteller.stoppen()


# -- what the server says, without a browser


def test_the_server_names_issuer_endpoints_and_version_but_no_secret(oidc):
    basis, aussteller = oidc
    antwort = httpx.get(f"{basis}/pyxl/anmeldung.json")
    assert antwort.headers["cache-control"] == "no-store"
    assert antwort.json() == {
        "version": pyxl.__version__,
        "zugangsschluessel": False,
        "oidc": {
            "issuer": aussteller.url,
            "client_id": "pyxl",
            "authorization_endpoint": f"{aussteller.url}/authorize",
            "token_endpoint": f"{aussteller.url}/token",
            "revocation_endpoint": f"{aussteller.url}/revoke",
            "redirect_uri": f"{basis}/anmeldung.html",
            "scope": "openid profile",
        },
    }
    seite = httpx.get(f"{basis}/taskpane.html")
    # the pane calls the issuer itself (code exchange, renewal): its CSP allows that host and no other
    assert f"connect-src 'self' {aussteller.url};" in seite.headers["content-security-policy"]
    assert '<div id="oidc-anmeldung">' in seite.text and '<div id="token-anmeldung" hidden>' in seite.text
    dialog = httpx.get(f"{basis}/anmeldung.html")
    assert '<html lang="de">' in dialog.text and "<title>pyxl – Anmeldung</title>" in dialog.text
    assert dialog.headers["content-security-policy"].startswith("default-src 'self'; script-src 'self' https://")
    assert dialog.headers["referrer-policy"] == "no-referrer"
    assert httpx.get(f"{basis}/static/anmeldung.js").headers["content-type"].startswith("text/javascript")


def test_a_token_list_alone_shows_the_field_and_names_no_issuer():
    einstellungen = Einstellungen(anmeldung=Anmeldung(frozenset({"geheim"})))
    client = TestClient(erstelle_app(einstellungen))
    assert client.get("/pyxl/anmeldung.json").json() == {
        "version": pyxl.__version__,
        "zugangsschluessel": True,
        "oidc": None,
    }
    seite = client.get("/taskpane.html")
    assert '<div id="oidc-anmeldung" hidden>' in seite.text and '<div id="token-anmeldung">' in seite.text
    assert "connect-src 'self';" in seite.headers["content-security-policy"]


def test_an_endpoint_on_another_host_is_not_followed():
    anmeldung = Anmeldung(oidc_issuer="https://sso.kreis.example/realms/v", oidc_audience="pyxl")
    anmeldung.__dict__["konfiguration"] = {  # the discovery document, as if fetched
        "authorization_endpoint": "https://sso.kreis.example/realms/v/auth",
        "token_endpoint": "https://fremd.example/token",
    }
    angaben = anmeldeangaben(Einstellungen(anmeldung=anmeldung))
    assert angaben["oidc"] is None
    assert angaben["fehler"].endswith("/realms/v: token_endpoint liegt auf einem anderen Rechner")


# -- in the browser


def _tab_bis(treiber, beschreibung: str, passt, hoechstens: int = 40):
    """The focused element once it ``passt`` (pressing Tab as often as needed: keyboard only)."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    for _ in range(hoechstens):
        element = treiber.switch_to.active_element
        if passt(element):
            return element
        ActionChains(treiber).send_keys(Keys.TAB).perform()
    raise AssertionError(f"mit Tab nicht erreichbar: {beschreibung}")


def _knopf(text: str):
    return lambda e: e.tag_name == "button" and e.text == text


def _enter(treiber) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    ActionChains(treiber).send_keys(Keys.ENTER).perform()


def _warte(bedingung, text: str, sekunden: float = 20):
    ende = time.monotonic() + sekunden
    while not (ergebnis := bedingung()):
        if time.monotonic() > ende:
            raise AssertionError(f"nach {sekunden} s nicht eingetreten: {text}")
        time.sleep(0.05)
    return ergebnis


def _text(treiber, element_id: str) -> str:
    return treiber.execute_script("return document.getElementById(arguments[0]).textContent", element_id)


def _ohne_verstoss_hier(treiber, seite: str) -> None:
    """axe-core on the page as it is now (the sign-in lives in memory: no reload)."""
    treiber.execute_script(AXE.read_text(encoding="utf-8"))
    verstoesse = treiber.execute_async_script(
        """const fertig = arguments[arguments.length - 1];
        axe.run(document, {runOnly: {type: "tag", values: arguments[0]}}).then(r => fertig(r.violations));""",
        WCAG_TAGS,
    )
    assert not verstoesse, f"{seite}:\n{verstoesse_lesbar(verstoesse)}"


def _funktion(treiber, name: str, *argumente) -> dict:
    """A custom function called as Excel calls it: {"ergebnis": …} or {"fehler": text, "code": …}."""
    return treiber.execute_async_script(
        """const [name, argumente, fertig] = [arguments[0], arguments[1], arguments[arguments.length - 1]];
        window.__pyxlTest.funktionen[name](...argumente, {address: "Tabelle1!B2"})
          .then((e) => fertig({ergebnis: e}), (f) => fertig({fehler: f.message, code: f.code}));""",
        name,
        list(argumente),
    )


def _letzter_token(treiber) -> str:
    kopf = treiber.execute_script("return window.__pyxlTest.kopfzeilen.at(-1)")
    assert kopf.startswith("Bearer ")
    return kopf.removeprefix("Bearer ")


class _Reiter:
    """A tab of its own with Office.js stood in and Microsoft's CDN blocked; closed after, the session's browser
    back on its first tab."""

    def __init__(self, treiber, office: str):
        self.treiber, self.office = treiber, office

    def __enter__(self):
        self.zurueck = self.treiber.current_window_handle
        self.treiber.switch_to.new_window("tab")
        self.handle = self.treiber.current_window_handle
        einrichten(self.treiber, self.office)
        return self

    def __exit__(self, *_fehler):
        for handle in self.treiber.window_handles:
            if handle != self.zurueck:
                self.treiber.switch_to.window(handle)
                self.treiber.close()
        self.treiber.switch_to.window(self.zurueck)


def einrichten(treiber, office: str) -> None:
    treiber.execute_cdp_cmd("Network.enable", {})
    treiber.execute_cdp_cmd("Network.setBlockedURLs", {"urls": [OFFICE_CDN]})
    treiber.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": office})


def test_version_line_and_notice_when_the_manifest_is_older(browser, oidc):
    basis, _aussteller = oidc
    with _Reiter(browser, OFFICE_AUFGABENBEREICH):
        browser.get(f"{basis}/taskpane.html?v=0.0.9.0&_host_Info=Excel$Win32$16.01$de-DE$$$$0")
        _warte(lambda: _text(browser, "version"), "Versionszeile")
        assert _text(browser, "version") == f"pyxl-Server {pyxl.__version__}, Add-in (Manifest) 0.0.9"
        hinweis = browser.find_element("id", "versionshinweis")
        assert hinweis.is_displayed()
        assert hinweis.text.startswith(
            f"Das Add-in in Excel ist älter als der Server (Manifest 0.0.9, Server {pyxl.__version__}) – bitte die "
            f"IT, das Manifest neu zu verteilen ({basis}/manifest.xml)"
        )
        # the manifest as the server hands it out now: its task pane address carries the same version
        manifest = httpx.get(f"{basis}/manifest.xml").text
        assert f'"{basis}/taskpane.html?v={pyxl.__version__}.0"' in manifest
        browser.get(f"{basis}/taskpane.html?v={pyxl.__version__}.0")
        _warte(lambda: _text(browser, "version"), "Versionszeile")
        assert _text(browser, "version") == f"pyxl-Server {pyxl.__version__}, Add-in (Manifest) {pyxl.__version__}"
        assert not browser.find_element("id", "versionshinweis").is_displayed()
        browser.get(f"{basis}/taskpane.html?v=9.0.0.0")
        _warte(lambda: _text(browser, "versionshinweis"), "Hinweis")
        assert _text(browser, "versionshinweis").startswith("Das Add-in in Excel ist neuer als der Server")
        # compared part by part as numbers, not as text: 0.10 is newer than 0.9
        hinweis = "return versionshinweis(arguments[0], arguments[1])"
        assert browser.execute_script(hinweis, "0.9.0.0", "0.10.0").startswith("Das Add-in in Excel ist älter")
        assert browser.execute_script(hinweis, "0.10.0.0", "0.9.0").startswith("Das Add-in in Excel ist neuer")
        assert browser.execute_script(hinweis, "0.10.0.0", "0.10.0") == ""


def test_the_dialog_page_opened_alone_says_what_it_is_for_and_passes_axe(browser, oidc):
    basis, _aussteller = oidc
    with _Reiter(browser, OFFICE_DIALOG):
        verstoesse = axe_pruefen(browser, f"{basis}/anmeldung.html")
        assert not verstoesse, verstoesse_lesbar(verstoesse)
        assert _text(browser, "fehler").startswith("Diese Seite öffnet der Aufgabenbereich von pyxl zur Anmeldung")


# Office.js in a dialog opened alone: messageParent keeps what it would send
OFFICE_DIALOG_ALLEIN = """
window.Office = {
  onReady: (f) => new Promise((fertig) => setTimeout(() => { if (f) f({}); fertig({}); }, 0)),
  context: { ui: { messageParent: (nachricht) => { window.__pyxlGesendet = nachricht; } } },
};
"""


def test_the_issuers_refusal_reaches_the_pane_as_its_code_not_its_english_description(browser, oidc):
    basis, _aussteller = oidc
    with _Reiter(browser, OFFICE_DIALOG_ALLEIN):
        browser.get(f"{basis}/anmeldung.html?error=access_denied&error_description=User+denied+access&state=s1")
        gesendet = _warte(lambda: browser.execute_script("return window.__pyxlGesendet"), "messageParent")
        assert json.loads(gesendet) == {"fehler": "access_denied", "state": "s1"}
        assert "?" not in browser.current_url  # the answer left the address bar


@pytest.mark.langsam
def test_sign_in_in_the_office_dialog_renewal_and_sign_out(browser, oidc):
    basis, aussteller = oidc
    aussteller.tokenanfragen.clear()
    with _Reiter(browser, OFFICE_AUFGABENBEREICH) as reiter:
        verstoesse = axe_pruefen(browser, f"{basis}/taskpane.html?v={pyxl.__version__}.0")
        assert not verstoesse, verstoesse_lesbar(verstoesse)
        _warte(lambda: _text(browser, "version"), "Versionszeile")
        assert _text(browser, "anmeldestand") == "Nicht angemeldet."

        # not signed in: the server's German 401, with what to do
        _tab_bis(browser, "Rechenweg anzeigen", _knopf("Rechenweg anzeigen"))
        _enter(browser)
        _warte(lambda: _text(browser, "fehler"), "Fehlermeldung")
        assert _text(browser, "fehler") == (
            "Anmeldung erforderlich: Kopfzeile „Authorization: Bearer <Token>“ fehlt – "
            "bitte unter „Anmeldung“ anmelden."
        )

        # "Anmelden" by keyboard: the dialog opens at our own page, which sends on to the issuer
        vorher = set(browser.window_handles)
        _tab_bis(browser, "Anmelden", _knopf("Anmelden"))
        _enter(browser)
        dialog = _warte(lambda: set(browser.window_handles) - vorher, "Anmeldefenster").pop()
        browser.switch_to.window(dialog)
        einrichten(browser, OFFICE_DIALOG)  # for the page the issuer sends back to
        _warte(lambda: browser.current_url.startswith(f"{aussteller.url}/authorize?"), "Seite des Anmeldedienstes")
        _tab_bis(browser, "Benutzername", lambda e: e.get_attribute("id") == "nutzer").send_keys("e.beispiel")
        _tab_bis(browser, "Kennwort", lambda e: e.get_attribute("id") == "kennwort").send_keys(KENNWORT)
        _enter(browser)
        _warte(lambda: dialog not in browser.window_handles, "Anmeldefenster geschlossen")
        browser.switch_to.window(reiter.handle)
        _warte(lambda: _text(browser, "anmeldestand") == "Angemeldet als e.beispiel.", "angemeldet")
        assert _text(browser, "status") == "Angemeldet als e.beispiel."
        assert browser.switch_to.active_element.text == "Abmelden"  # focus on the button that replaced "Anmelden"
        eroeffnet = browser.execute_script("return window.__pyxlTest.dialoge")
        assert len(eroeffnet) == 1 and eroeffnet[0]["adresse"].startswith(f"{basis}/anmeldung.html?state=")
        assert "verifier" not in eroeffnet[0]["adresse"]
        # the code was exchanged by the pane itself (the browser's Origin), with the verifier only it knew
        assert aussteller.tokenanfragen[0] == {"pfad": "/token", "grant_type": "authorization_code", "origin": basis}

        # the task pane's call and a custom function carry the access token; the server accepts it
        _tab_bis(browser, "Rechenweg anzeigen", _knopf("Rechenweg anzeigen"))
        _enter(browser)
        _warte(lambda: _text(browser, "status") == "Rechenweg für Tabelle1!B2 angezeigt.", "Rechenweg")
        assert "Ergebnis: 63,57" in _text(browser, "rechenweg")
        angaben = jwt.decode(_letzter_token(browser), options={"verify_signature": False})
        assert angaben["preferred_username"] == "e.beispiel" and angaben["aud"] == "pyxl"
        assert _funktion(browser, "RZW_ZUWENDUNGSSATZ", [[5000.5]], None) == {"ergebnis": [[63.57]]}
        erster = _letzter_token(browser)
        angaben = jwt.decode(erster, options={"verify_signature": False})
        assert angaben["preferred_username"] == "e.beispiel" and angaben["aud"] == "pyxl"

        # renewed with the refresh token before it expires (3 of 4 s), and the new token used
        _warte(lambda: any(a["grant_type"] == "refresh_token" for a in aussteller.tokenanfragen), "Erneuerung", 8)
        _warte(lambda: browser.execute_script("return pyxlZugang && pyxlZugang.token") != erster, "neues Token", 5)
        assert _funktion(browser, "RZW_ZUWENDUNGSSATZ", [[5000.5]], None) == {"ergebnis": [[63.57]]}
        zweiter = _letzter_token(browser)
        assert zweiter != erster and jwt.decode(zweiter, options={"verify_signature": False})["iat"] > angaben["iat"]
        erneuert = [a for a in aussteller.tokenanfragen if a["grant_type"] == "refresh_token"]
        assert all(a["origin"] == basis for a in erneuert)
        _ohne_verstoss_hier(browser, "Aufgabenbereich angemeldet")

        # nothing of the sign-in in the browser's storage
        ablage = browser.execute_script("return JSON.stringify(localStorage) + JSON.stringify(sessionStorage)")
        assert "eyJ" not in ablage and erster not in ablage

        # "Abmelden": forgotten here, the refresh token revoked at the issuer, the next call refused
        _tab_bis(browser, "Abmelden", _knopf("Abmelden"))
        _enter(browser)
        _warte(lambda: _text(browser, "anmeldestand") == "Nicht angemeldet.", "abgemeldet")
        assert _text(browser, "status") == "Abgemeldet."
        assert browser.switch_to.active_element.text == "Anmelden"
        _warte(lambda: not aussteller.erneuerungen, "Refresh-Token widerrufen")
        assert {"pfad": "/revoke", "grant_type": None, "origin": basis} in aussteller.tokenanfragen
        abgewiesen = _funktion(browser, "RZW_ZUWENDUNGSSATZ", [[5000.5]], None)
        assert abgewiesen == {
            "fehler": "Anmeldung erforderlich: Kopfzeile „Authorization: Bearer <Token>“ fehlt",
            "code": "#WERT!",
        }
        _tab_bis(browser, "Rechenweg anzeigen", _knopf("Rechenweg anzeigen"))
        _enter(browser)
        _warte(lambda: _text(browser, "fehler").startswith("Anmeldung erforderlich"), "401 im Aufgabenbereich")
        assert json.loads(browser.execute_script("return JSON.stringify(window.__pyxlTest.kopfzeilen.at(-1))")) == ""
