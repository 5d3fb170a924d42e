"""Issue 16 with real parts: ``pyxl serve`` started as IT starts it, the web desk in Debian's headless Chromium driven
by keyboard only (the project's one browser harness, tests/browser), axe-core on every page, and a hostile upload
that must not slow down another official.

Screenshots for docs/pruefstelle.md: ``PYXL_BILDER=docs/bilder`` (``bash scripts/screenshots.sh`` sets it).
"""

from __future__ import annotations

import os
import shutil
import threading
import time
import zipfile
from pathlib import Path

import httpx
import openpyxl
import pytest

from tests import pruefstelle_hilfen
from tests.browser import axe_pruefen, bildschirmfoto, verstoesse_lesbar
from tests.excel_hilfen import laufender_server
from tests.feindlich import viele_zellen, zip_bombe

WURZEL = Path(__file__).parents[1]
BEISPIELE = WURZEL / "xlsx_templates" / "beispiele"
HAUSHALT = next((WURZEL / "tests" / "daten" / "haushalt_echt" / "muenster_pb01").glob("*Teilergebnisplan*.csv"))
TOKEN = "zugang-pruefstelle-browser"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tokens = tmp_path_factory.mktemp("anmeldung") / "tokens.txt"
    tokens.write_text(f"{TOKEN}\n", encoding="utf-8")
    with laufender_server("--token-datei", str(tokens)) as basis:
        yield basis


def _bilder(tmp_path: Path) -> Path:
    return Path(os.environ.get("PYXL_BILDER") or tmp_path)


def _tab_bis(treiber, beschreibung: str, passt, hoechstens: int = 60):
    """Press Tab until the focused element ``passt``; the element (keyboard only, as a clerk without a mouse)."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    for _ in range(hoechstens):
        ActionChains(treiber).send_keys(Keys.TAB).perform()
        element = treiber.switch_to.active_element
        if passt(element):
            return element
    raise AssertionError(f"mit Tab nicht erreichbar: {beschreibung}")


def _taste(treiber, taste) -> None:
    from selenium.webdriver.common.action_chains import ActionChains

    ActionChains(treiber).send_keys(taste).perform()


def _verweis_auf(ende: str):
    return lambda element: (element.get_attribute("href") or "").endswith(ende)


def _ohne_verstoss(treiber, adresse: str, seite: str) -> None:
    verstoesse = axe_pruefen(treiber, adresse)
    assert not verstoesse, f"{seite}:\n{verstoesse_lesbar(verstoesse)}"


def _warte(bedingung, sekunden: float = 60, text: str = "") -> None:
    ende = time.monotonic() + sekunden
    while not bedingung():
        if time.monotonic() > ende:
            raise AssertionError(f"nach {sekunden} s nicht eingetreten: {text}")
        time.sleep(0.1)


@pytest.mark.langsam
def test_keyboard_only_sign_in_upload_report_and_downloads(browser, server, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    bilder = _bilder(tmp_path)
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    browser.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    browser.delete_all_cookies()

    # sign in: the page asks for the access key; Tab to the field, type, Enter
    _ohne_verstoss(browser, f"{server}/pruefen", "Anmeldeseite")
    bildschirmfoto(browser, bilder / "pruefstelle_anmeldung.png")
    _tab_bis(browser, "Zugangsschlüssel", lambda e: e.get_attribute("id") == "token").send_keys(TOKEN)
    _taste(browser, Keys.ENTER)
    _warte(lambda: "Einreichungen prüfen" in browser.title, text="Seite zum Hochladen")
    assert "Angemeldet als" in browser.page_source
    _ohne_verstoss(browser, f"{server}/pruefen", "Seite zum Hochladen")
    bildschirmfoto(browser, bilder / "pruefstelle_hochladen.png")

    # three files; the file dialog is the operating system's, so the paths are given to the focused input
    auswahl = _tab_bis(browser, "Dateien auswählen", lambda e: e.get_attribute("id") == "dateien")
    dateien = [BEISPIELE / "RZWAS-4_richtig.xlsx", BEISPIELE / "RZWAS-3B_fehler_summe_geaendert.xlsx", HAUSHALT]
    auswahl.send_keys("\n".join(str(d) for d in dateien))
    _tab_bis(browser, "Prüfen", lambda e: e.tag_name == "button" and e.text == "Prüfen")
    _taste(browser, Keys.ENTER)
    # with JavaScript: the progress per file, then the result page
    _warte(lambda: "Ergebnis der Prüfung" in browser.title, 90, "Ergebnisseite")
    ergebnis = browser.current_url
    text = browser.find_element(By.TAG_NAME, "main").text
    assert "Dateien insgesamt\n3" in text and "mit Fehlern\n1" in text
    for datei in dateien:
        assert datei.name in text
    _ohne_verstoss(browser, ergebnis, "Ergebnisseite")
    bildschirmfoto(browser, bilder / "pruefstelle_ergebnis.png")

    # open a report by keyboard; it is the accessible report of --format html
    browser.get(ergebnis)
    _tab_bis(browser, "Bericht", _verweis_auf("fehler_summe_geaendert.pruefbericht.html"))
    _taste(browser, Keys.ENTER)
    _warte(lambda: "Prüfbericht" in browser.title, text="Bericht")
    assert "SHA-256" in browser.page_source
    _ohne_verstoss(browser, browser.current_url, "Prüfbericht")

    # download a marked copy and the ZIP by keyboard
    browser.get(ergebnis)
    _tab_bis(browser, "markierte Kopie", _verweis_auf("summe_geaendert_geprueft.xlsx"))
    _taste(browser, Keys.ENTER)
    browser.get(ergebnis)
    _tab_bis(browser, "ZIP", _verweis_auf("alles.zip"))
    _taste(browser, Keys.ENTER)
    kopie = downloads / "RZWAS-3B_fehler_summe_geaendert_geprueft.xlsx"
    _warte(lambda: kopie.is_file() and any(p.suffix == ".zip" for p in downloads.iterdir()), 30, "Downloads")
    assert openpyxl.load_workbook(kopie).sheetnames[0] == "Prüfbericht"
    archiv = zipfile.ZipFile(next(p for p in downloads.iterdir() if p.suffix == ".zip"))
    assert {"index.html", "uebersicht.csv"} <= set(archiv.namelist())

    # sign out by keyboard: the result is no longer reachable
    browser.get(f"{server}/pruefen")
    _tab_bis(browser, "Abmelden", lambda e: e.tag_name == "button" and e.text == "Abmelden")
    _taste(browser, Keys.ENTER)
    _warte(lambda: "Anmeldung" in browser.title, text="Anmeldeseite nach dem Abmelden")
    browser.get(ergebnis)
    assert "Ergebnis der Prüfung" not in browser.title


def _angemeldet(basis: str) -> httpx.Client:
    client = httpx.Client(base_url=basis, timeout=120, follow_redirects=True)
    seite = client.get("/pruefen")
    csrf = pruefstelle_hilfen.csrf(seite.text)
    client.post("/pruefen/anmelden", data={"csrf": csrf, "token": TOKEN})
    return client


def _csrf(client: httpx.Client) -> str:
    return pruefstelle_hilfen.csrf(client.get("/pruefen").text)


@pytest.mark.langsam
def test_a_hostile_upload_never_blocks_another_official(server, tmp_path):
    """User A uploads a zip bomb and a slow file; while they are still checked, user B's correct file comes back
    within 5 s."""
    bombe = tmp_path / "bombe.xlsx"
    zip_bombe(bombe)
    langsam = viele_zellen(tmp_path / "langsam.xlsx", 40_000)  # 360.000 cells: seconds to check
    a, b = _angemeldet(server), _angemeldet(server)
    ergebnis_a: dict[str, object] = {}

    def hochladen_a() -> None:
        dateien = [("dateien", (p.name, p.read_bytes())) for p in (bombe, langsam)]
        ergebnis_a["antwort"] = a.post("/pruefen", data={"csrf": _csrf(a)}, files=dateien)

    faden = threading.Thread(target=hochladen_a)
    faden.start()
    _warte(lambda: _laufende_pruefungen() >= 1, 30, "A's Prüfung läuft")
    start = time.monotonic()
    antwort_b = b.post(
        "/pruefen",
        data={"csrf": _csrf(b)},
        files=[("dateien", ("antrag.xlsx", (BEISPIELE / "RZWAS-4_richtig.xlsx").read_bytes()))],
    )
    dauer = time.monotonic() - start
    assert antwort_b.status_code == 200 and "Ergebnis der Prüfung" in antwort_b.text
    assert "antrag.xlsx" in antwort_b.text and "ohne Fehler und Warnungen</dt><dd>1" in antwort_b.text
    assert dauer < 5, f"B wartete {dauer:.1f} s"
    assert faden.is_alive(), "A's feindliche Dateien sollten noch geprüft werden"
    faden.join(timeout=180)
    text = ergebnis_a["antwort"].text
    assert "bombe.xlsx" in text and "langsam.xlsx" in text and "nicht prüfbar</dt><dd>1" in text


def _laufende_pruefungen() -> int:
    """Checks of the web desk running on this machine now (its worker command line)."""
    if not shutil.which("pgrep"):
        return 1
    import subprocess

    lauf = subprocess.run(["pgrep", "-f", "pyxl.pruefstelle.arbeit"], capture_output=True, text=True, check=False)
    return len(lauf.stdout.split())


@pytest.fixture(scope="module")
def oidc_server():
    """`pyxl serve` signing in at the tests' OIDC issuer (authorization code flow with PKCE)."""
    from tests.oidc_aussteller import Aussteller

    aussteller = Aussteller(client_id="pyxl").starten()
    try:
        with laufender_server("--oidc-issuer", aussteller.url, "--oidc-audience", "pyxl") as basis:
            yield basis, aussteller
    finally:
        aussteller.stoppen()


@pytest.mark.langsam
def test_oidc_sign_in_in_the_browser_and_every_own_page_accessible(browser, oidc_server):
    """The real browser keeps the cookies as designed: the state cookie (Lax) comes back from the issuer, the
    session cookie (Strict) is sent from our own page on; the error and sign-in pages pass axe too."""
    from selenium.webdriver.common.keys import Keys

    from tests.oidc_aussteller import KENNWORT

    basis, aussteller = oidc_server
    browser.delete_all_cookies()
    _ohne_verstoss(browser, f"{basis}/pruefen", "Anmeldeseite (OIDC)")
    _tab_bis(browser, "Beim Anmeldedienst anmelden", lambda e: e.tag_name == "button")
    _taste(browser, Keys.ENTER)
    _warte(lambda: browser.current_url.startswith(f"{aussteller.url}/authorize"), text="Seite des Anmeldedienstes")
    _tab_bis(browser, "Benutzername", lambda e: e.get_attribute("id") == "nutzer").send_keys("e.beispiel")
    _tab_bis(browser, "Kennwort", lambda e: e.get_attribute("id") == "kennwort").send_keys(KENNWORT)
    _taste(browser, Keys.ENTER)
    _warte(lambda: "Einreichungen prüfen" in browser.title, text="zurück und angemeldet")
    assert "Angemeldet als" in browser.page_source and "e.beispiel" in browser.page_source
    assert "/token" in aussteller.anfragen  # the code was exchanged by the server, with the PKCE verifier
    keks = next(k for k in browser.get_cookies() if k["name"] == "pyxl_sitzung")
    assert keks["httpOnly"] and keks["sameSite"] == "Strict"
    _ohne_verstoss(browser, f"{basis}/pruefen", "Seite zum Hochladen (OIDC)")
    _ohne_verstoss(browser, f"{basis}/pruefen/vorgang/AAAAAAAAAAAAAAAAAAAAAA/", "Fehlerseite")
    assert "Diese Prüfung gibt es nicht" in browser.page_source
