"""Issue 16: the web desk of ``pyxl serve`` (GET/POST /pruefen) — as an official and as an attacker uses it.

In-process (FastAPI's test client, the real app); the checks themselves run in their own processes as in
production. The browser, the concurrency with a hostile upload and the real server: test_pruefstelle_browser.py.
"""

from __future__ import annotations

import io
import json
import logging
import re
import time
import zipfile
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import openpyxl
import pytest
from fastapi.testclient import TestClient

from pyxl.excel.anmeldung import Anmeldung
from pyxl.validators.grenzen import AnfrageGrenzen
from tests.feindlich import zip_bombe
from tests.oidc_aussteller import KENNWORT, Aussteller
from tests.pruefstelle_hilfen import client as _client
from tests.pruefstelle_hilfen import csrf as _csrf

WURZEL = Path(__file__).parents[1]
BEISPIELE = WURZEL / "xlsx_templates" / "beispiele"
HAUSHALT = WURZEL / "tests" / "daten" / "haushalt_echt" / "muenster_pb01"
TOKEN = "zugang-der-pruefstelle-1"
ZWEITER = "zugang-der-pruefstelle-2"


def _datei(name: str, quelle: Path | None = None, inhalt: bytes | None = None) -> tuple:
    return ("dateien", (name, inhalt if inhalt is not None else quelle.read_bytes(), "application/octet-stream"))


def _drei() -> list[tuple]:
    return [
        _datei("RZWAS-4_richtig.xlsx", BEISPIELE / "RZWAS-4_richtig.xlsx"),
        _datei("RZWAS-3B_fehler_summe_geaendert.xlsx", BEISPIELE / "RZWAS-3B_fehler_summe_geaendert.xlsx"),
        _datei("Teilergebnisplan PB01.csv", next(HAUSHALT.glob("*Teilergebnisplan*.csv"))),
    ]


def _hochladen(client: TestClient, dateien: list[tuple], **kopf) -> httpx.Response:
    csrf = _csrf(client.get("/pruefen").text)
    return client.post("/pruefen", data={"csrf": csrf}, files=dateien, headers=kopf, follow_redirects=False)


# -- 1. the page, the upload, the overview, the downloads


def test_page_upload_overview_reports_copies_and_zip(tmp_path):
    with _client(tmp_path) as client:
        seite = client.get("/pruefen")
        assert seite.status_code == 200 and '<html lang="de">' in seite.text
        assert '<input id="dateien" name="dateien" type="file" multiple' in seite.text
        assert 'name="anlage1" type="file"' in seite.text and 'enctype="multipart/form-data"' in seite.text
        keks = seite.headers["set-cookie"]
        assert "HttpOnly" in keks and "SameSite=strict" in keks and "Secure" not in keks  # plain http on loopback
        assert "script-src 'self'" in seite.headers["content-security-policy"]

        antwort = _hochladen(client, _drei())
        assert antwort.status_code == 303
        ergebnis = client.get(antwort.headers["location"])
        text = ergebnis.text
        # every uploaded file named with its counts; the form check and the budget check, as the CLI does
        assert "RZWAS-4_richtig.xlsx" in text and "RZWAS-3B_fehler_summe_geaendert.xlsx" in text
        assert "Teilergebnisplan PB01.csv" in text and "NKF-Haushalt" in text
        zeilen = {
            m[0]: m[1:]
            for m in re.findall(r'scope="row"[^>]*>([^<]+)</th><td>([^<]*)</td><td>[^<]*</td><td>([^<]+)</td>', text)
        }
        assert zeilen["RZWAS-3B_fehler_summe_geaendert.xlsx"] == ("RZWAS-3B", "geprüft")
        assert zeilen["Teilergebnisplan PB01.csv"] == ("NKF-Haushalt", "geprüft")

        basis = antwort.headers["location"]
        bericht = client.get(basis + "RZWAS-3B_fehler_summe_geaendert.pruefbericht.html")
        assert bericht.status_code == 200 and "<h1>Prüfbericht</h1>" in bericht.text
        assert "SHA-256" in bericht.text  # the record of the check, as with --format html
        assert bericht.headers["content-security-policy"].startswith("default-src 'none'")  # no script in a report
        kopie = client.get(basis + "RZWAS-3B_fehler_summe_geaendert_geprueft.xlsx")
        assert kopie.headers["content-disposition"].startswith("attachment")
        assert openpyxl.load_workbook(io.BytesIO(kopie.content)).sheetnames[0] == "Prüfbericht"
        daten = client.get(basis + "RZWAS-3B_fehler_summe_geaendert.pruefbericht.json").json()
        assert daten["summary"]["error"] == 1 and daten["file"] == "RZWAS-3B_fehler_summe_geaendert.xlsx"

        archiv = zipfile.ZipFile(io.BytesIO(client.get(basis + "alles.zip").content))
        namen = set(archiv.namelist())
        assert {"index.html", "uebersicht.csv", "uebersicht.json"} <= namen
        assert "RZWAS-4_richtig_geprueft.xlsx" in namen
        csv = archiv.read("uebersicht.csv").decode("utf-8-sig").splitlines()
        assert len(csv) == 1 + 3 and all(not zeile.startswith("/") for zeile in csv)  # no server path


def test_names_from_the_upload_never_leave_the_folder_and_other_endings_are_named(tmp_path):
    with _client(tmp_path) as client:
        dateien = [
            _datei("..\\..\\ausbruch.xlsx", BEISPIELE / "RZWAS-4_richtig.xlsx"),
            _datei("../../../etc/passwd.xlsx", BEISPIELE / "RZWAS-4_richtig.xlsx"),
            _datei("anschreiben.pdf", inhalt=b"%PDF-1.4\n"),
            _datei("<script>alert(1)</script>.xlsx", BEISPIELE / "RZWAS-4_richtig.xlsx"),
        ]
        antwort = _hochladen(client, dateien)
        text = client.get(antwort.headers["location"]).text
    eingang = next((tmp_path / "ablage" / "vorgaenge").iterdir()) / "eingang"
    # only the last part of a "path" of either kind is kept; every upload stays inside its own folder
    namen = sorted(p.name for p in eingang.iterdir())
    assert namen == ["anschreiben.pdf", "ausbruch.xlsx", "passwd.xlsx", "script>.xlsx"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ablage"]
    assert "<script" not in text and "script&gt;.xlsx" in text
    assert "anschreiben.pdf" in text and "übersprungen (Endung .pdf" in text


def test_with_javascript_the_answer_is_202_and_progress_per_file(tmp_path):
    with _client(tmp_path) as client:
        antwort = _hochladen(client, _drei(), accept="application/json")
        assert antwort.status_code == 202
        ziele = antwort.json()
        for _ in range(600):
            stand = client.get(ziele["stand"]).json()
            if stand["fertig"]:
                break
            time.sleep(0.1)
        assert stand["gesamt"] == 3 and len(stand["dateien"]) == 3
        eintrag = next(d for d in stand["dateien"] if d["datei"] == "RZWAS-3B_fehler_summe_geaendert.xlsx")
        assert eintrag["status"] == "geprüft" and eintrag["error"] == 1
        assert "Alles als ZIP" in client.get(ziele["ergebnis"]).text


def test_anlage_1_and_a_budget_table_saved_as_xlsx(tmp_path):
    """The county's Anlage 1 reaches the form check (Ziffer 7.2: Süd 3 has 860.000 km, Anlage 1 800.000 → +7,5 %,
    a warning); a budget table saved from Excel (no pyxl form) goes to the budget check, as with
    ``pyxl haushalt pruefen``."""
    from tests.test_haushalt_echt import PB01_TEP, schreibe_xlsx, zeilen_von

    plan = schreibe_xlsx(zeilen_von(PB01_TEP)[0], tmp_path / "plan.xlsx", zahlen=True)  # Münster, as Excel saves it
    anlage1 = ("Unternehmen;Teilnetz;Fahrplan-km\nMusterbus GmbH;ROW Süd 1;1.150.000\n"
               "Musterbus GmbH;ROW Süd 2;1.080.000\nMusterbus GmbH;ROW Süd 3;800.000\n").encode()  # fmt: skip
    with _client(tmp_path) as client:
        csrf = _csrf(client.get("/pruefen").text)
        dateien = [
            _datei("trennungsrechnung.xlsx", BEISPIELE / "OEPNV-TR_richtig.xlsx"),
            _datei("plan.xlsx", plan),
            ("anlage1", ("anlage1.csv", anlage1, "text/csv")),
        ]
        ziel = client.post("/pruefen", data={"csrf": csrf}, files=dateien).url.path
        tr = client.get(ziel + "trennungsrechnung.pruefbericht.json").json()
        haushalt = client.get(ziel + "plan.pruefbericht.json").json()
    assert [(b["rule"], b["severity"], b["found"]) for b in tr["findings"] if b["rule"].startswith("fahrplan")] == [
        ("fahrplan_km_7_2", "warning", "860.000")
    ]
    assert haushalt["form"] == "NKF-Haushalt" and haushalt["status"] == "checked"


# -- 2. access: forged and anonymous requests


def test_without_sign_in_a_post_still_needs_the_sessions_csrf_token_and_our_origin(tmp_path):
    with _client(tmp_path) as client:
        csrf = _csrf(client.get("/pruefen").text)
        datei = [_datei("a.xlsx", BEISPIELE / "RZWAS-4_richtig.xlsx")]
        for daten, kopf, grund in [
            ({}, {}, "CSRF"),
            ({"csrf": "geraten"}, {}, "CSRF"),
            ({"csrf": csrf}, {"origin": "https://boese.example"}, "Origin"),
        ]:
            antwort = client.post("/pruefen", data=daten, files=datei, headers=kopf, follow_redirects=False)
            assert antwort.status_code == 403 and grund in antwort.text
        # another browser (no cookie) with a token it read elsewhere: its own new session does not know it
        fremd = TestClient(client.app)
        antwort = fremd.post("/pruefen", data={"csrf": csrf}, files=datei, follow_redirects=False)
        assert antwort.status_code == 403
        assert not list((tmp_path / "ablage" / "vorgaenge").iterdir())  # nothing was taken


ROUTEN = [
    ("GET", "/pruefen"),
    ("POST", "/pruefen"),
    ("GET", "/pruefen/vorgang/AAAAAAAAAAAAAAAAAAAAAA/"),
    ("GET", "/pruefen/vorgang/AAAAAAAAAAAAAAAAAAAAAA/stand.json"),
    ("GET", "/pruefen/vorgang/AAAAAAAAAAAAAAAAAAAAAA/alles.zip"),
    ("GET", "/pruefen/vorgang/AAAAAAAAAAAAAAAAAAAAAA/index.html"),
    ("POST", "/pruefen/abmelden"),
]


@pytest.mark.parametrize(("methode", "pfad"), ROUTEN)
def test_with_tokens_every_route_refuses_an_anonymous_request(tmp_path, methode, pfad):
    with _client(tmp_path, anmeldung=Anmeldung(frozenset({TOKEN}))) as client:
        antwort = client.request(methode, pfad, follow_redirects=False)
        assert antwort.status_code in {401, 403}
        assert "Prüfbericht" not in antwort.text and 'name="dateien"' not in antwort.text
        if methode == "GET" and pfad == "/pruefen":
            assert 'name="token" type="password"' in antwort.text  # the sign-in form instead


def test_token_sign_in_rotates_the_session_and_results_belong_to_their_owner(tmp_path):
    with _client(tmp_path, anmeldung=Anmeldung(frozenset({TOKEN, ZWEITER}))) as client:
        anmeldeseite = client.get("/pruefen")
        alt = client.cookies.get("pyxl_sitzung")
        falsch = client.post("/pruefen/anmelden", data={"csrf": _csrf(anmeldeseite.text), "token": "geraten"})
        assert falsch.status_code == 401 and "Zugangsschlüssel unbekannt" in falsch.text
        ohne_csrf = client.post("/pruefen/anmelden", data={"token": TOKEN})
        assert ohne_csrf.status_code == 403
        angemeldet = client.post(
            "/pruefen/anmelden", data={"csrf": _csrf(anmeldeseite.text), "token": TOKEN}, follow_redirects=False
        )
        assert angemeldet.status_code == 303 and client.cookies.get("pyxl_sitzung") != alt  # no fixation
        antwort = _hochladen(client, [_datei("a.xlsx", BEISPIELE / "RZWAS-4_richtig.xlsx")])
        assert antwort.status_code == 303
        ziel = antwort.headers["location"]
        assert client.get(ziel).status_code == 200

        # the same key in another browser: the same owner; another key: the id alone opens nothing
        for schluessel, status in ((TOKEN, 200), (ZWEITER, 404)):
            andere = TestClient(client.app)
            seite = andere.get("/pruefen")
            andere.post("/pruefen/anmelden", data={"csrf": _csrf(seite.text), "token": schluessel})
            assert andere.get(ziel).status_code == status
            assert andere.get(ziel + "alles.zip").status_code == status

        # signed out: the old cookie opens nothing any more
        seite = client.get("/pruefen")
        abmelden = client.post("/pruefen/abmelden", data={"csrf": _csrf(seite.text)}, follow_redirects=False)
        assert abmelden.status_code == 303
        client.cookies.clear()
        assert client.get(ziel).status_code == 401


def test_anonymous_results_belong_to_the_uploading_session_only(tmp_path):
    with _client(tmp_path) as client:
        ziel = _hochladen(client, [_datei("a.xlsx", BEISPIELE / "RZWAS-4_richtig.xlsx")]).headers["location"]
        assert client.get(ziel).status_code == 200
        fremd = TestClient(client.app)
        assert fremd.get(ziel).status_code == 404
        assert fremd.get(ziel + "alles.zip").status_code == 404


# -- OIDC: authorization code flow with PKCE against the tests' issuer


@pytest.fixture
def aussteller():
    aussteller = Aussteller(client_id="pyxl").starten()
    yield aussteller
    aussteller.stoppen()


def _oidc_client(tmp_path, aussteller) -> TestClient:
    return _client(tmp_path, anmeldung=Anmeldung(oidc_issuer=aussteller.url, oidc_audience="pyxl"))


def test_oidc_sign_in_with_pkce(tmp_path, aussteller):
    with _oidc_client(tmp_path, aussteller) as client:
        seite = client.get("/pruefen")
        assert seite.status_code == 401 and "Beim Anmeldedienst anmelden" in seite.text
        weiter = client.get("/pruefen/anmelden", follow_redirects=False)
        assert weiter.status_code == 303
        ziel = urlsplit(weiter.headers["location"])
        parameter = {k: v[0] for k, v in parse_qs(ziel.query).items()}
        assert f"{ziel.scheme}://{ziel.netloc}{ziel.path}" == f"{aussteller.url}/authorize"
        assert parameter["code_challenge_method"] == "S256" and len(parameter["code_challenge"]) == 43
        assert parameter["redirect_uri"] == "http://testserver/pruefen/rueckkehr" and parameter["client_id"] == "pyxl"
        assert "SameSite=lax" in weiter.headers["set-cookie"]  # the state cookie must survive the way back
        # the official signs in at the issuer (the browser test types it); it sends her back with a code
        zurueck = httpx.post(f"{aussteller.url}/authorize", data={**parameter, "username": "m.muster",
                                                                  "password": KENNWORT})  # fmt: skip
        assert zurueck.status_code == 302
        rueckkehr = client.get(zurueck.headers["location"].replace("http://testserver", ""))
        assert rueckkehr.status_code == 200 and "Angemeldet als m.muster" in rueckkehr.text
        assert "/token" in aussteller.anfragen  # the code was exchanged, with the verifier
        seite = client.get("/pruefen")
        assert seite.status_code == 200 and "Angemeldet als <strong>m.muster</strong>" in seite.text
        # the same code a second time (caught on the way): refused by the issuer, no session
        fremd = TestClient(client.app)
        wieder = fremd.get(zurueck.headers["location"].replace("http://testserver", ""))
        assert wieder.status_code == 400 and "Anmeldung abgelaufen oder in einem anderen Browser" in wieder.text


def test_oidc_return_with_a_foreign_state_is_refused(tmp_path, aussteller):
    with _oidc_client(tmp_path, aussteller) as client:
        weiter = client.get("/pruefen/anmelden", follow_redirects=False)
        parameter = {k: v[0] for k, v in parse_qs(urlsplit(weiter.headers["location"]).query).items()}
        zurueck = httpx.post(f"{aussteller.url}/authorize", data={**parameter, "username": "m.muster",
                                                                  "password": KENNWORT})  # fmt: skip
        code = parse_qs(urlsplit(zurueck.headers["location"]).query)["code"][0]
        antwort = client.get(f"/pruefen/rueckkehr?code={code}&state=untergeschoben")
        assert antwort.status_code == 401 and "gehört nicht zu dieser Anmeldung" in antwort.text
        assert client.get("/pruefen").status_code == 401  # still not signed in


# -- 3. limits, retention, nothing in the log


def test_limits_per_upload_are_answered_in_german(tmp_path):
    grenzen = AnfrageGrenzen(upload_dateien=2, upload_gesamt=1024 * 1024)
    with _client(tmp_path, grenzen=grenzen) as client:
        drei = _hochladen(client, _drei())
        assert drei.status_code == 413 and "höchstens 2" in drei.text
        gross = _hochladen(client, [_datei("gross.xlsx", inhalt=b"PK" + b"\0" * (3 * 1024 * 1024))])
        assert gross.status_code == 413 and "höchstens 1 MB" in gross.text
        assert not list((tmp_path / "ablage" / "vorgaenge").iterdir())


def test_a_body_without_length_or_a_huge_sign_in_form_is_cut_off(tmp_path):
    """No Content-Length (chunked) does not get past the limit, nor does a sign-in form of megabytes."""
    grenzen = AnfrageGrenzen(upload_dateien=2, upload_gesamt=1024 * 1024)
    with _client(tmp_path, grenzen=grenzen, anmeldung=Anmeldung(frozenset({TOKEN}))) as client:
        seite = client.get("/pruefen")
        riesig = client.post("/pruefen/anmelden", data={"csrf": _csrf(seite.text), "token": "x" * 5_000_000})
        assert riesig.status_code == 413 and "höchstens 64 KB" in riesig.text
        client.post("/pruefen/anmelden", data={"csrf": _csrf(seite.text), "token": TOKEN})
        csrf = _csrf(client.get("/pruefen").text)
        grenze = b"----pyxl"

        def stueckweise():
            yield b"--" + grenze + b'\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n' + csrf.encode()
            yield b"\r\n--" + grenze + b'\r\nContent-Disposition: form-data; name="dateien"; filename="a.xlsx"\r\n\r\n'
            for _ in range(64):
                yield b"\0" * 65536  # 4 MB, more than the 1 MB allowed, announced nowhere
            yield b"\r\n--" + grenze + b"--\r\n"

        art = {"content-type": f"multipart/form-data; boundary={grenze.decode()}"}
        antwort = client.post("/pruefen", content=stueckweise(), headers=art)
        assert antwort.status_code == 413 and "höchstens 1 MB" in antwort.text
        assert not list((tmp_path / "ablage" / "vorgaenge").iterdir())


def test_results_are_deleted_after_the_retention_time(tmp_path):
    with _client(tmp_path, aufbewahrung_s=1) as client:
        ziel = _hochladen(client, [_datei("a.xlsx", BEISPIELE / "RZWAS-4_richtig.xlsx")]).headers["location"]
        ordner = tmp_path / "ablage" / "vorgaenge"
        assert len(list(ordner.iterdir())) == 1
        time.sleep(1.2)
        antwort = client.get(ziel)
        assert antwort.status_code == 404 and "nach 1 Sekunde gelöscht" in antwort.text
        assert not list(ordner.iterdir())  # gone from disk, not only hidden


def test_no_file_name_reaches_the_log(tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    with _client(tmp_path) as client:
        _hochladen(client, [_datei("Geheimer_Antrag_Mustermann.xlsx", BEISPIELE / "RZWAS-4_richtig.xlsx")])
    assert "Mustermann" not in caplog.text and "Geheimer" not in caplog.text
    assert "1 Dateien zur Prüfung angenommen" in caplog.text


def test_a_hostile_upload_is_reported_not_checkable(tmp_path):
    bombe = tmp_path / "bombe.xlsx"
    zip_bombe(bombe)
    with _client(tmp_path) as client:
        ziel = _hochladen(client, [_datei("bombe.xlsx", bombe)]).headers["location"]
        text = client.get(ziel).text
        daten = json.loads(client.get(ziel + "uebersicht.json").content)
        bericht = client.get(ziel + "bombe.pruefbericht.html").text
    assert daten["counts"]["not_checkable"] == 1 and daten["files"][0]["summary"]["error"] == 1
    assert "Entpackt zu groß" in bericht and "zip_bombe" in bericht
    assert "nicht prüfbar" in text
