"""Issue 16, attacked: the web desk (``/pruefen``) against an outside party and a malicious signed-in official.

Each test is one attack, its inputs built on the spot; it asserts the status, the German answer, that nothing is
written outside the check's folder, and that the server stays quick. In-process (the real app, FastAPI's test
client) unless a real ``pyxl serve`` is needed (its log, its header limits).
"""

from __future__ import annotations

import asyncio
import io
import json
import os
import re
import time
import zipfile
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import httpx
import openpyxl
import pytest
from fastapi.testclient import TestClient

from pyxl.excel.anmeldung import Anmeldung
from pyxl.excel.server import Einstellungen, erstelle_app
from pyxl.validators.grenzen import AnfrageGrenzen
from tests.oidc_aussteller import KENNWORT, Aussteller
from tests.pruefstelle_hilfen import client as _client
from tests.pruefstelle_hilfen import csrf as _csrf

WURZEL = Path(__file__).parents[1]
RICHTIG = WURZEL / "xlsx_templates" / "beispiele" / "RZWAS-4_richtig.xlsx"
TOKEN = "angriff-zugang-1"
ZWEITER = "angriff-zugang-2"
KENNUNG = "AAAAAAAAAAAAAAAAAAAAAA"


def _anmelden(client: TestClient, token: str = TOKEN) -> None:
    seite = client.get("/pruefen")
    antwort = client.post("/pruefen/anmelden", data={"csrf": _csrf(seite.text), "token": token})
    assert antwort.status_code == 200 and "Angemeldet als" in antwort.text


def _roh(teile: list[tuple[bytes, bytes]], grenze: bytes = b"----angriff") -> tuple[bytes, dict]:
    """A multipart body byte for byte: (Content-Disposition value, content) per part — names no client would send."""
    koerper = b"".join(
        b"--" + grenze + b"\r\nContent-Disposition: " + kopf + b"\r\n\r\n" + inhalt + b"\r\n" for kopf, inhalt in teile
    )
    return koerper + b"--" + grenze + b"--\r\n", {"content-type": f"multipart/form-data; boundary={grenze.decode()}"}


def _datei_teil(name: bytes, inhalt: bytes) -> tuple[bytes, bytes]:
    return b'form-data; name="dateien"; filename="' + name + b'"', inhalt


def _alles_unter(ordner: Path) -> set[str]:
    return {str(p.relative_to(ordner)) for p in ordner.rglob("*")}


def _vorgaenge(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "ablage" / "vorgaenge").iterdir())


def _hochladen(client: TestClient, dateien: list[tuple], **kopf) -> httpx.Response:
    csrf = _csrf(client.get("/pruefen").text)
    return client.post("/pruefen", data={"csrf": csrf}, files=dateien, headers=kopf, follow_redirects=False)


def _richtig(name: str = "a.xlsx") -> tuple:
    return ("dateien", (name, RICHTIG.read_bytes(), "application/octet-stream"))


# -- 1. path traversal: names in the upload, names in the download route, links planted in the result


@pytest.mark.parametrize(
    "name",
    [
        b"../../../../tmp/angriff.xlsx",
        b"..\\..\\..\\angriff.xlsx",
        b"/etc/cron.d/angriff.xlsx",
        b"C:\\Windows\\angriff.xlsx",
        b"..",
        b".",
        b"...xlsx",
        b"a\x00b.xlsx",
        b"%2e%2e%2f%2e%2e%2fangriff.xlsx",
        b"\xe2\x80\xaeslx.exe.xlsx",  # U+202E: the name would read backwards
        b"zeile\x1b[31mrot.xlsx",  # an escape sequence for a terminal
        "Ä".encode() * 400 + b".xlsx",  # 800 bytes: far beyond NAME_MAX
        b"x" * 4000 + b".xlsx",
        b"\xff\xfe.xlsx",  # not UTF-8
    ],
)
def test_upload_names_stay_in_their_folder(tmp_path, name):
    with _client(tmp_path) as client:
        csrf = _csrf(client.get("/pruefen").text)
        koerper, kopf = _roh([(b'form-data; name="csrf"', csrf.encode()), _datei_teil(name, RICHTIG.read_bytes())])
        antwort = client.post("/pruefen", content=koerper, headers=kopf, follow_redirects=False)
        assert antwort.status_code in {303, 400}, antwort.text
        if antwort.status_code == 303:
            seite = client.get(antwort.headers["location"])
            assert seite.status_code == 200
            assert "\u202e" not in seite.text and "\x1b" not in seite.text and "\0" not in seite.text
        else:
            assert "Formular" in antwort.text or "Datei" in antwort.text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ablage"]
    for vorgang in _vorgaenge(tmp_path):
        eingang = vorgang / "eingang"
        for datei in eingang.iterdir():
            assert datei.parent == eingang and datei.is_file() and not datei.is_symlink()
            assert len(datei.name.encode("utf-8", "surrogateescape")) <= 255


DOWNLOAD_NAMEN = [
    "..%2fvorgang.json",
    "%2e%2e%2fvorgang.json",
    "..%5cvorgang.json",
    "..\\vorgang.json",
    "%2e%2e",
    "%00",
    "index.html%00.csv",
    "vorgang.json",
    "stand.json%2f..%2f..%2fvorgang.json",
    "x" * 5000,
    "%c0%ae%c0%ae",
    "..%252fvorgang.json",
]


def test_download_names_never_leave_the_result_folder(tmp_path):
    """Every hostile spelling against one result (one upload: each would otherwise cost a check of its own)."""
    with _client(tmp_path) as client:
        ziel = _hochladen(client, [_richtig()]).headers["location"]
        for name in DOWNLOAD_NAMEN:
            antwort = client.get(ziel + name)
            assert antwort.status_code == 404, (name, antwort.status_code)
            assert "besitzer" not in antwort.text and "Traceback" not in antwort.text, name
        # and the folder's own files, by any spelling: nothing
        for anders in ("../vorgang.json", "..%2Fvorgang.json", "../eingang/a.xlsx", "..%2F..%2Fsitzungen"):
            assert client.get(ziel + anders).status_code == 404
            assert "besitzer" not in client.get(ziel + anders).text


def test_links_planted_in_the_result_are_neither_served_nor_zipped(tmp_path):
    geheim = tmp_path / "geheim.txt"
    geheim.write_text("streng geheim", encoding="utf-8")
    with _client(tmp_path) as client:
        ziel = _hochladen(client, [_richtig()]).headers["location"]
        ergebnis = _vorgaenge(tmp_path)[0] / "ergebnis"
        (ergebnis / "verweis.csv").symlink_to(geheim)
        (ergebnis / "ordner.csv").symlink_to(tmp_path)
        (ergebnis / "unterordner").mkdir()
        for name in ("verweis.csv", "ordner.csv", "unterordner"):
            antwort = client.get(ziel + name)
            assert antwort.status_code == 404 and "streng geheim" not in antwort.text
        archiv = zipfile.ZipFile(io.BytesIO(client.get(ziel + "alles.zip").content))
        assert "verweis.csv" not in archiv.namelist() and "ordner.csv" not in archiv.namelist()
        assert all(b"streng geheim" not in archiv.read(n) for n in archiv.namelist())


def test_a_link_planted_as_the_zip_is_not_followed(tmp_path):
    geheim = tmp_path / "geheim.txt"
    geheim.write_text("streng geheim", encoding="utf-8")
    with _client(tmp_path) as client:
        ziel = _hochladen(client, [_richtig()]).headers["location"]
        (_vorgaenge(tmp_path)[0] / "alles.zip").symlink_to(geheim)
        antwort = client.get(ziel + "alles.zip")
        assert b"streng geheim" not in antwort.content
        assert antwort.status_code == 200 and zipfile.is_zipfile(io.BytesIO(antwort.content))
    assert geheim.read_text(encoding="utf-8") == "streng geheim"


# -- 2. sessions: forged, fixed, reused after sign-out, expired


def test_a_forged_or_malformed_session_cookie_opens_nothing(tmp_path):
    with _client(tmp_path, anmeldung=Anmeldung(frozenset({TOKEN}))) as client:
        sitzungen = tmp_path / "ablage" / "sitzungen"
        for keks in ("A" * 43, "../" * 20, "A" * 42 + "/", "x" * 10_000, "", "A" * 43 + "\n"):
            client.cookies.set("pyxl_sitzung", keks, path="/pruefen")
            antwort = client.get("/pruefen")
            assert antwort.status_code == 401 and 'name="token"' in antwort.text
            client.cookies.clear()
        # the file name of a session is the hash of its key: the file name itself is no key
        _anmelden(client)
        datei = next(p.name for p in sitzungen.iterdir() if json.loads(p.read_text()).get("nutzer"))
        fremd = TestClient(client.app)
        fremd.cookies.set("pyxl_sitzung", datei[:43], path="/pruefen")
        assert fremd.get("/pruefen").status_code == 401


def test_session_fixation_and_reuse_after_sign_out_or_expiry(tmp_path, monkeypatch):
    with _client(tmp_path, anmeldung=Anmeldung(frozenset({TOKEN}))) as client:
        client.get("/pruefen")
        untergeschoben = client.cookies.get("pyxl_sitzung")  # an attacker planted this key before the sign-in
        _anmelden(client)
        eigen = client.cookies.get("pyxl_sitzung")
        assert eigen != untergeschoben
        angreifer = TestClient(client.app)
        angreifer.cookies.set("pyxl_sitzung", untergeschoben, path="/pruefen")
        assert angreifer.get("/pruefen").status_code == 401
        # signed out: the stolen cookie is dead
        client.post("/pruefen/abmelden", data={"csrf": _csrf(client.get("/pruefen").text)})
        dieb = TestClient(client.app)
        dieb.cookies.set("pyxl_sitzung", eigen, path="/pruefen")
        assert dieb.get("/pruefen").status_code == 401
    client, pruefstelle = _mit_pruefstelle(tmp_path / "b", monkeypatch, anmeldung=Anmeldung(frozenset({TOKEN})))
    with client:
        pruefstelle.sitzungen.dauer_s = 1
        _anmelden(client)
        time.sleep(1.2)
        assert client.get("/pruefen").status_code == 401  # expired


def _mit_pruefstelle(tmp_path: Path, monkeypatch, **angaben):
    """A client and its app's Prüfstelle (to shorten its times or limits in a test)."""
    from pyxl.excel import server

    gefangen = []
    original = server.pruefstelle_aus
    monkeypatch.setattr(server, "pruefstelle_aus", lambda e: gefangen.append(original(e)) or gefangen[-1])
    client = _client(tmp_path, **angaben)
    return client, gefangen[0]


# -- 3. CSRF: missing or "null" Origin, another session's token, login CSRF


def test_csrf_null_origin_foreign_token_and_login_csrf(tmp_path):
    with _client(tmp_path, anmeldung=Anmeldung(frozenset({TOKEN, ZWEITER}))) as client:
        _anmelden(client)
        andere = TestClient(client.app)
        _anmelden(andere, ZWEITER)
        fremder_token = _csrf(andere.get("/pruefen").text)
        eigener = _csrf(client.get("/pruefen").text)
        for daten, kopf in [
            ({"csrf": eigener}, {"origin": "null"}),
            ({"csrf": eigener}, {"origin": "http://testserver.boese.example"}),
            ({"csrf": eigener}, {"origin": "http://testserver:81"}),
            ({"csrf": fremder_token}, {}),
            ({"csrf": eigener + "x"}, {}),
            ({"csrf": ""}, {}),
        ]:
            antwort = client.post("/pruefen", data=daten, files=[_richtig()], headers=kopf, follow_redirects=False)
            assert antwort.status_code == 403, (daten, kopf)
            assert "abgelehnt" in antwort.text or "gefälscht" in antwort.text
        # sign-out by another page: refused
        assert client.post("/pruefen/abmelden", data={"csrf": fremder_token}).status_code == 403
        assert client.get("/pruefen").status_code == 200
        assert not _vorgaenge(tmp_path)
        # login CSRF: a foreign page signs the victim in with the attacker's key — no session, no token, no luck
        opfer = TestClient(client.app)
        for daten, kopf in [
            ({"token": ZWEITER}, {}),
            ({"token": ZWEITER, "csrf": fremder_token}, {}),
            ({"token": ZWEITER, "csrf": "x"}, {"origin": "https://boese.example"}),
        ]:
            assert opfer.post("/pruefen/anmelden", data=daten, headers=kopf).status_code == 403
        assert opfer.get("/pruefen").status_code == 401
        seite = opfer.get("/pruefen")
        antwort = opfer.post(
            "/pruefen/anmelden", data={"csrf": _csrf(seite.text), "token": ZWEITER}, headers={"origin": "null"}
        )
        assert antwort.status_code == 403


def test_cookie_flags_behind_a_tls_proxy(tmp_path):
    with _client(tmp_path, anmeldung=Anmeldung(frozenset({TOKEN}))) as client:
        seite = client.get("/pruefen", headers={"x-forwarded-proto": "https"})
        keks = seite.headers["set-cookie"]
        assert "Secure" in keks and "HttpOnly" in keks and "SameSite=strict" in keks and "Path=/pruefen" in keks
        wert = keks.split(";")[0].split("=", 1)[1]  # a Secure cookie: the test client (plain http) keeps it back
        kopf = {"x-forwarded-proto": "https", "cookie": f"pyxl_sitzung={wert}"}
        antwort = client.post(
            "/pruefen/anmelden", data={"csrf": _csrf(seite.text), "token": TOKEN}, headers=kopf, follow_redirects=False
        )
        assert antwort.status_code == 303
        keks = antwort.headers["set-cookie"]
        assert "Secure" in keks and "HttpOnly" in keks and "SameSite=strict" in keks


# -- 4. OIDC: replay, code injection, error parameter, open redirect, a discovery document that points elsewhere


@pytest.fixture
def aussteller():
    aussteller = Aussteller(client_id="pyxl").starten()
    yield aussteller
    aussteller.stoppen()


def _oidc(tmp_path: Path, aussteller: Aussteller) -> TestClient:
    return _client(tmp_path, anmeldung=Anmeldung(oidc_issuer=aussteller.url, oidc_audience="pyxl"))


def _beim_aussteller(client: TestClient, aussteller: Aussteller, nutzer: str = "m.muster") -> str:
    """Start the sign-in, sign in at the issuer; the path the issuer sends the browser back to."""
    weiter = client.get("/pruefen/anmelden", follow_redirects=False)
    parameter = {k: v[0] for k, v in parse_qs(urlsplit(weiter.headers["location"]).query).items()}
    zurueck = httpx.post(f"{aussteller.url}/authorize", data={**parameter, "username": nutzer, "password": KENNWORT})
    return zurueck.headers["location"].replace("http://testserver", "")


def test_oidc_state_replay_and_code_injection(tmp_path, aussteller):
    with _oidc(tmp_path, aussteller) as client:
        rueckkehr = _beim_aussteller(client, aussteller)
        anmeldekeks = client.cookies.get("pyxl_anmeldung")
        assert client.get(rueckkehr).status_code == 200
        # the same answer again, with the sign-in cookie of that time (caught on the way): that sign-in is over
        wieder = TestClient(client.app)
        wieder.cookies.set("pyxl_anmeldung", anmeldekeks, path="/pruefen")
        antwort = wieder.get(rueckkehr)
        assert antwort.status_code == 400 and "bitte neu" in antwort.text
        assert wieder.get("/pruefen").status_code == 401

        # code injection: the attacker's own code and state, delivered into the victim's browser
        angreifer = TestClient(client.app)
        fremde_rueckkehr = _beim_aussteller(angreifer, aussteller, "angreifer")
        opfer = TestClient(client.app)
        opfer.get("/pruefen/anmelden", follow_redirects=False)  # the victim's own sign-in under way
        antwort = opfer.get(fremde_rueckkehr)
        assert antwort.status_code == 401 and "gehört nicht zu dieser Anmeldung" in antwort.text
        assert opfer.get("/pruefen").status_code == 401
        # the attacker's code with the victim's state: the victim's verifier does not fit the attacker's challenge
        opfer_weiter = opfer.get("/pruefen/anmelden", follow_redirects=False)
        state = parse_qs(urlsplit(opfer_weiter.headers["location"]).query)["state"][0]
        code = parse_qs(urlsplit(_beim_aussteller(angreifer, aussteller, "angreifer")).query)["code"][0]
        antwort = opfer.get(f"/pruefen/rueckkehr?code={code}&state={state}")
        assert antwort.status_code == 401 and "nicht angenommen" in antwort.text
        assert opfer.get("/pruefen").status_code == 401


def test_oidc_error_parameter_is_text_and_there_is_no_open_redirect(tmp_path, aussteller):
    with _oidc(tmp_path, aussteller) as client:
        client.get("/pruefen/anmelden", follow_redirects=False)
        boese = '<script>alert(1)</script><meta http-equiv="refresh" content="0;url=https://boese.example">'
        antwort = client.get("/pruefen/rueckkehr", params={"error": boese, "state": "x"})
        assert antwort.status_code == 401
        assert "<script>" not in antwort.text and "<meta http-equiv" not in antwort.text
        assert "script-src 'self'" in antwort.headers["content-security-policy"]
        lang = client.get("/pruefen/rueckkehr", params={"error": "Rufen Sie 0800 an " * 400})
        assert lang.status_code == 401 and "0800" not in lang.text  # no stranger's text on our page
        assert "Anmeldung abgebrochen (access_denied)" in client.get("/pruefen/rueckkehr?error=access_denied").text
        # after the sign-in the page leads to our own start page, whatever the query says
        rueckkehr = _beim_aussteller(client, aussteller)
        for zusatz in ("&weiter=https://boese.example", "&rueckkehr=//boese.example", "&next=https://boese.example"):
            antwort = TestClient(client.app).get(rueckkehr + zusatz)
            assert "boese.example" not in antwort.text
        antwort = client.get(rueckkehr + "&weiter=https://boese.example")
        assert antwort.status_code == 200 and "boese.example" not in antwort.text
        assert 'url=/pruefen"' in antwort.text


class Verweisender(Aussteller):
    """An issuer whose discovery document sends the client to another machine for one of its endpoints."""

    feld: str = "jwks_uri"

    def entdeckung(self) -> dict:
        return {**super().entdeckung(), self.feld: "http://127.0.0.2:9/fremd"}


@pytest.mark.parametrize("feld", ["authorization_endpoint", "token_endpoint", "jwks_uri"])
def test_oidc_discovery_pointing_elsewhere_is_not_followed(tmp_path, feld):
    aussteller = Verweisender(client_id="pyxl")
    aussteller.feld = feld
    aussteller.starten()
    try:
        with _oidc(tmp_path, aussteller) as client:
            weiter = client.get("/pruefen/anmelden", follow_redirects=False)
            if feld == "authorization_endpoint":
                assert weiter.status_code == 502 and "anderen Rechner" in weiter.text
                return
            parameter = {k: v[0] for k, v in parse_qs(urlsplit(weiter.headers["location"]).query).items()}
            zurueck = httpx.post(
                f"{aussteller.url}/authorize", data={**parameter, "username": "m.muster", "password": KENNWORT}
            )
            antwort = client.get(zurueck.headers["location"].replace("http://testserver", ""))
            assert antwort.status_code == 401 and "anderen Rechner" in antwort.text, antwort.text
            assert client.get("/pruefen").status_code == 401
    finally:
        aussteller.stoppen()


# -- 5. IDOR: another official's result, its ZIP, its progress, its reports


def test_another_officials_check_is_not_found_and_answered_like_none(tmp_path):
    with _client(tmp_path, anmeldung=Anmeldung(frozenset({TOKEN, ZWEITER}))) as client:
        _anmelden(client)
        ziel = _hochladen(client, [_richtig("Antrag_Mustermann.xlsx")]).headers["location"]
        kennung = ziel.rstrip("/").rsplit("/", 1)[1]
        angreifer = TestClient(client.app)
        _anmelden(angreifer, ZWEITER)
        for rest in (
            "",
            "stand.json",
            "alles.zip",
            "index.html",
            "uebersicht.csv",
            "uebersicht.json",
            "Antrag_Mustermann.pruefbericht.html",
            "Antrag_Mustermann_geprueft.xlsx",
        ):
            fremd = angreifer.get(ziel + rest)
            keiner = angreifer.get(f"/pruefen/vorgang/{KENNUNG}/{rest}")
            assert fremd.status_code == keiner.status_code == 404, rest
            assert fremd.text.replace(kennung, KENNUNG) == keiner.text  # the same answer: existence not told
            assert "Mustermann" not in fremd.text
            assert client.get(ziel + rest).status_code == 200  # the owner gets it


# -- 6. XSS: names and cell contents in every page; CSP and nosniff on every answer, also FastAPI's own errors


def test_names_and_cells_never_become_markup_or_links_elsewhere(tmp_path):
    mappe = openpyxl.load_workbook(RICHTIG)
    for blatt in mappe.worksheets:
        blatt["A1"] = '<script>alert("zelle")</script><img src=x onerror=alert(2)>'
    puffer = io.BytesIO()
    mappe.save(puffer)
    namen = [
        "javascript:alert(1).xlsx",
        "http:boese.example.xlsx",
        '"><img src=x onerror=alert(3)>.xlsx',
        "data:text,html,x.xlsx",
    ]
    with _client(tmp_path) as client:
        dateien = [("dateien", (n, puffer.getvalue(), "application/octet-stream")) for n in namen]
        ziel = _hochladen(client, dateien).headers["location"]
        seite = client.get(ziel)
        assert seite.status_code == 200
        assert "<img" not in seite.text and "<script>" not in seite.text
        verweise = re.findall(r'href="([^"]*)"', seite.text)
        for verweis in verweise:  # every link on the page: our own, relative — never a scheme of its own
            assert verweis.startswith(("/pruefen", "./", "#")) or ":" not in verweis.split("/")[0], verweis
        index = client.get(ziel + "index.html")
        for verweis in re.findall(r'href="([^"]*)"', index.text):
            assert ":" not in verweis.split("/")[0], verweis
        for name in re.findall(r'href="([^"]*\.pruefbericht\.html)"', index.text):
            if "%25" in name:  # httpx sent '"' as %22 in the name; the test client decodes a path twice
                continue
            bericht = client.get(ziel + unquote(name.removeprefix("./")))
            assert bericht.status_code == 200, name
            assert "<script>alert" not in bericht.text and "<img src=x" not in bericht.text
            assert bericht.headers["content-security-policy"].startswith("default-src 'none'")


@pytest.mark.parametrize(
    ("methode", "pfad"),
    [
        ("GET", "/pruefen"),
        ("GET", "/pruefen/gibtsnicht"),
        ("GET", f"/pruefen/vorgang/{KENNUNG}/"),
        ("GET", f"/pruefen/vorgang/{KENNUNG}/a/b"),
        ("DELETE", "/pruefen"),
        ("PUT", "/pruefen/anmelden"),
        ("GET", "/pruefen/abmelden"),
        ("GET", "/pruefen/pruefstelle.css"),
        ("GET", "/pruefen/pruefstelle.js"),
        ("POST", "/pruefen/rueckkehr"),
    ],
)
def test_every_answer_under_pruefen_carries_csp_nosniff_and_no_framing(tmp_path, methode, pfad):
    with _client(tmp_path, anmeldung=Anmeldung(frozenset({TOKEN}))) as client:
        antwort = client.request(methode, pfad)
        kopf = antwort.headers
        assert kopf.get("x-content-type-options") == "nosniff", (pfad, antwort.status_code)
        assert "default-src 'none'" in kopf.get("content-security-policy", ""), (pfad, antwort.status_code)
        assert "frame-ancestors 'none'" in kopf["content-security-policy"]
        assert "Traceback" not in antwort.text and "/work" not in antwort.text
        if antwort.status_code >= 400:
            assert any(w in antwort.text for w in ("nicht", "abgelehnt", "Anmeldung", "erlaubt")), antwort.text


def test_downloads_are_attachments_with_their_own_type(tmp_path):
    with _client(tmp_path) as client:
        ziel = _hochladen(client, [_richtig("a.xlsx")]).headers["location"]
        for name, art in (
            ("a.pruefbericht.json", "application/json"),
            ("uebersicht.csv", "text/csv"),
            ("a_geprueft.xlsx", "application/vnd.openxmlformats"),
            ("alles.zip", "application/zip"),
        ):
            antwort = client.get(ziel + name)
            assert antwort.status_code == 200, name
            assert antwort.headers["content-type"].startswith(art), (name, antwort.headers["content-type"])
            assert antwort.headers["content-disposition"].startswith("attachment"), name
            assert antwort.headers["x-content-type-options"] == "nosniff"
            assert antwort.headers["cache-control"] == "no-store"


# -- 7. denial of service: parts, headers, files, concurrent uploads, a check that never ends, sessions on disk


def test_many_parts_huge_part_headers_and_too_many_files_are_refused_quickly(tmp_path):
    grenzen = AnfrageGrenzen(upload_dateien=5, upload_gesamt=4 * 1024 * 1024)
    with _client(tmp_path, grenzen=grenzen) as client:
        csrf = _csrf(client.get("/pruefen").text)
        csrf_teil = (b'form-data; name="csrf"', csrf.encode())
        faelle = [
            ([csrf_teil] + [(b'form-data; name="f%d"' % i, b"x") for i in range(5000)], 400, "beschädigt"),
            ([csrf_teil] + [_datei_teil(b"%d.xlsx" % i, b"x") for i in range(500)], 413, "Zu viele Dateien"),
            ([csrf_teil, _datei_teil(b"a" * 3_000_000 + b".xlsx", b"x")], 400, "beschädigt"),
            (
                [csrf_teil, (b'form-data; name="dateien"; filename="a.xlsx"\r\n' + b"X-A: b\r\n" * 200_000, b"x")],
                400,
                "beschädigt",
            ),
            ([csrf_teil, (b'form-data; name="csrf"', b"x" * 200_000)], 400, "beschädigt"),
        ]
        for teile, status, text in faelle:
            koerper, kopf = _roh(teile)
            beginn = time.monotonic()
            antwort = client.post("/pruefen", content=koerper, headers=kopf)
            assert time.monotonic() - beginn < 5
            assert antwort.status_code == status and text in antwort.text, (status, antwort.status_code)
            assert "Traceback" not in antwort.text and "Maximum" not in antwort.text
        assert not _vorgaenge(tmp_path)


def test_one_official_cannot_start_checks_without_end(tmp_path):
    """Many uploads at once by one official: a few run, the rest is refused in German (429) — the others' checks
    keep their processors; another official is not refused."""
    with _client(tmp_path, anmeldung=Anmeldung(frozenset({TOKEN, ZWEITER}))) as client:
        _anmelden(client)
        antworten = [_hochladen(client, [_richtig()], accept="application/json") for _ in range(6)]
        status = [a.status_code for a in antworten]
        assert status.count(202) >= 1 and 429 in status, status
        abgelehnt = next(a for a in antworten if a.status_code == 429)
        assert "laufen noch" in abgelehnt.json()["fehler"]
        anderer = TestClient(client.app)
        _anmelden(anderer, ZWEITER)
        assert _hochladen(anderer, [_richtig()], accept="application/json").status_code == 202
        # once the own checks are done, the official may upload again
        for antwort in antworten:
            if antwort.status_code == 202:
                for _ in range(600):
                    if client.get(antwort.json()["stand"]).json()["fertig"]:
                        break
                    time.sleep(0.1)
        assert _hochladen(client, [_richtig()]).status_code == 303


def test_a_check_that_never_ends_is_ended_with_its_workers(tmp_path):
    from pyxl.pruefstelle import arbeit
    from pyxl.pruefstelle.ablage import Ablage

    vorgang = Ablage(tmp_path / "vorgaenge", 3600).neu("x", ["a.xlsx"])
    kind = tmp_path / "kind.pid"

    async def ablauf() -> float:
        # a "check" that starts a worker of its own and then hangs, as a worker caught in a loop would
        prozess = await asyncio.create_subprocess_exec(
            "sh", "-c", f"sleep 300 & echo $! > {kind}; wait", start_new_session=True
        )
        beginn = time.monotonic()
        await arbeit.abwarten(prozess, vorgang, hoechstens_s=1)
        return time.monotonic() - beginn

    assert asyncio.run(ablauf()) < 5
    stand = vorgang.stand()
    assert stand["fertig"] and "abgebrochen" in stand["fehler"]
    pid = int(kind.read_text())
    for _ in range(50):  # the worker went with it (dead, or a zombie its new parent has not reaped yet)
        try:
            zustand = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except FileNotFoundError:
            break
        if zustand in {"Z", "X"}:
            break
        time.sleep(0.1)
    else:
        raise AssertionError(f"Arbeitsprozess {pid} lebt noch ({zustand})")


def test_requests_without_sign_in_leave_little_on_disk(tmp_path, aussteller):
    sitzungen = tmp_path / "ablage" / "sitzungen"
    with _client(tmp_path, anmeldung=Anmeldung(frozenset({TOKEN}))) as client:
        for _ in range(50):
            client.cookies.clear()
            client.get("/pruefen")
            client.get(f"/pruefen/vorgang/{KENNUNG}/")
        # the sign-in form needs a session for its CSRF token — but one that ends with the sign-in's ten minutes
        jetzt = time.time()
        for datei in sitzungen.iterdir():
            assert json.loads(datei.read_text())["ablauf"] <= jetzt + 600 + 5
    with _oidc(tmp_path / "oidc", aussteller) as client:
        for _ in range(50):
            client.cookies.clear()
            client.get("/pruefen")
            client.get("/pruefen/rueckkehr?code=x&state=y")
            client.get(f"/pruefen/vorgang/{KENNUNG}/stand.json")
        # the issuer's sign-in page needs nothing of ours: no session until the sign-in begins
        assert not list((tmp_path / "oidc" / "ablage" / "sitzungen").iterdir())


# -- 8. information leaks: error pages, the overview, the log (of a real server)


def test_a_full_disk_is_answered_in_german_without_name_or_path(tmp_path, caplog, monkeypatch):
    import errno
    import logging

    from pyxl.pruefstelle import ablage

    def voll(self, gesendet, quelle):
        raise OSError(errno.ENOSPC, "No space left on device", str(self.eingang / gesendet))

    monkeypatch.setattr(ablage.Vorgang, "ablegen", voll)
    caplog.set_level(logging.DEBUG)
    with _client(tmp_path) as client:
        antwort = _hochladen(client, [_richtig("Antrag_Mustermann.xlsx")])
        assert antwort.status_code == 507 and "Speicher" in antwort.text
        assert "Mustermann" not in antwort.text and str(tmp_path) not in antwort.text and "OSError" not in antwort.text
        json_antwort = _hochladen(client, [_richtig("Antrag_Mustermann.xlsx")], accept="application/json")
        assert json_antwort.status_code == 507 and "Speicher" in json_antwort.json()["fehler"]
    assert "Mustermann" not in caplog.text and str(tmp_path) not in caplog.text
    assert not _vorgaenge(tmp_path)  # the half-taken check is gone


def test_the_overview_progress_and_errors_name_no_server_path(tmp_path):
    with _client(tmp_path) as client:
        csrf = _csrf(client.get("/pruefen").text)
        dateien = [_richtig("a.xlsx"), ("anlage1", ("anlage1.csv", b"\xff\xfe kaputt;;;\n", "text/csv"))]
        ziel = client.post("/pruefen", data={"csrf": csrf}, files=dateien).url.path
        seite = client.get(ziel).text
        assert str(tmp_path) not in seite and "anlage1.csv" not in seite.replace("Anlage 1", "")
        ziel = _hochladen(client, [_richtig("a.xlsx")]).headers["location"]
        for name in (
            "",
            "stand.json",
            "uebersicht.csv",
            "uebersicht.json",
            "index.html",
            "a.pruefbericht.json",
            "a.pruefbericht.html",
        ):
            antwort = client.get(ziel + name)
            assert antwort.status_code == 200, name
            assert str(tmp_path) not in antwort.text and "/tmp/" not in antwort.text, name
        archiv = zipfile.ZipFile(io.BytesIO(client.get(ziel + "alles.zip").content))
        for name in archiv.namelist():
            assert "/" not in name and str(tmp_path).encode() not in archiv.read(name)


def test_a_real_server_logs_no_file_name_and_answers_no_path(tmp_path, monkeypatch):
    import subprocess

    from tests import excel_hilfen

    gestartet: list[subprocess.Popen] = []
    original = subprocess.Popen

    def popen(*args, **kwargs):
        gestartet.append(original(*args, **kwargs))
        return gestartet[-1]

    monkeypatch.setattr(excel_hilfen.subprocess, "Popen", popen)
    token_datei = tmp_path / "tokens.txt"
    token_datei.write_text(TOKEN + "\n", encoding="utf-8")
    with excel_hilfen.laufender_server("--token-datei", str(token_datei)) as basis:
        with httpx.Client(base_url=basis) as client:
            seite = client.get("/pruefen")
            client.post("/pruefen/anmelden", data={"csrf": _csrf(seite.text), "token": TOKEN})
            csrf = _csrf(client.get("/pruefen").text)
            antwort = client.post(
                "/pruefen",
                data={"csrf": csrf},
                files=[_richtig("Geheimsache_Mustermann.xlsx")],
                timeout=120,
                follow_redirects=True,
            )
            assert antwort.status_code == 200 and "Geheimsache_Mustermann" in antwort.text
            for pfad in ("/pruefen/gibtsnicht", f"/pruefen/vorgang/{KENNUNG}/x", "/pruefen/vorgang/../../etc/passwd"):
                fehler = client.get(pfad)
                assert fehler.status_code == 404 and "/tmp" not in fehler.text and "Traceback" not in fehler.text
            riesig = client.get("/pruefen", headers={"x-lang": "x" * 200_000})  # a header line far too long
            assert riesig.status_code in {400, 431}
            assert client.get("/gesund").text == "bereit"
            kaputt = client.post("/pruefen", content=b"--x\r\nunsinn", headers={"content-type": "multipart/form-data"})
            assert kaputt.status_code == 400 and "Traceback" not in kaputt.text
    ausgabe = gestartet[0].stdout.read()
    assert "Mustermann" not in ausgabe and "Geheimsache" not in ausgabe and "Traceback" not in ausgabe
    assert TOKEN not in ausgabe


# -- 9. retention: everything of a check goes, the ZIP and cut-off uploads included; expired sessions too


def test_retention_deletes_the_zip_cut_off_uploads_and_sessions(tmp_path, monkeypatch):
    client, pruefstelle = _mit_pruefstelle(tmp_path, monkeypatch)
    with client:
        ziel = _hochladen(client, [_richtig()]).headers["location"]
        assert client.get(ziel + "alles.zip").status_code == 200
        vorgang = _vorgaenge(tmp_path)[0]
        assert (vorgang / "alles.zip").is_file()
        abgebrochen = tmp_path / "ablage" / "vorgaenge" / ("B" * 22)  # an upload cut off before its data
        (abgebrochen / "eingang").mkdir(parents=True)
        (abgebrochen / "eingang" / "halb.xlsx").write_bytes(b"PK")
        alt = time.time() - 7200
        os.utime(abgebrochen, (alt, alt))
        daten = json.loads((vorgang / "vorgang.json").read_text())
        (vorgang / "vorgang.json").write_text(json.dumps({**daten, "erstellt": alt}))
        assert client.get(ziel + "alles.zip").status_code == 404  # expired: gone at once, not only hidden
        assert not vorgang.exists()
        for datei in (tmp_path / "ablage" / "sitzungen").iterdir():
            daten = json.loads(datei.read_text())
            datei.write_text(json.dumps({**daten, "ablauf": time.time() - 1}))
        pruefstelle.ablage.aufraeumen()
        pruefstelle.sitzungen.aufraeumen()
        assert not _vorgaenge(tmp_path)
        assert not list((tmp_path / "ablage" / "sitzungen").iterdir())


def test_a_chosen_user_name_opens_no_one_elses_results(tmp_path, aussteller):
    """Results belong to an account (the key's full hash, the issuer's ``sub``), not to a name: an official who
    names herself like a key's fingerprint, or takes a colleague's ``preferred_username``, reads nothing of theirs."""
    import hashlib

    anmeldung = Anmeldung(frozenset({TOKEN}), oidc_issuer=aussteller.url, oidc_audience="pyxl")
    with _client(tmp_path, anmeldung=anmeldung) as client:
        # the key's owner signs in with the key (the form is posted as the page would)
        client.get("/pruefen/anmelden", follow_redirects=False)
        sitzung = client.cookies.get("pyxl_anmeldung")
        client.cookies.set("pyxl_sitzung", sitzung, path="/pruefen")
        csrf = json.loads(next((tmp_path / "ablage" / "sitzungen").iterdir()).read_text())["csrf"]
        antwort = client.post("/pruefen/anmelden", data={"csrf": csrf, "token": TOKEN}, follow_redirects=False)
        assert antwort.status_code == 303
        client.cookies.clear()
        client.cookies.set("pyxl_sitzung", antwort.cookies["pyxl_sitzung"], path="/pruefen")
        ziel = _hochladen(client, [_richtig("Antrag_Mustermann.xlsx")]).headers["location"]
        assert client.get(ziel).status_code == 200
        name = f"Zugangsschlüssel {hashlib.sha256(TOKEN.encode()).hexdigest()[:8]}"
        assert name in client.get(ziel).text
        # an official of the issuer whose preferred_username is that name
        falsch = TestClient(client.app)
        assert falsch.get(_beim_aussteller(falsch, aussteller, name)).status_code == 200
        assert f"Angemeldet als <strong>{name}</strong>" in falsch.get("/pruefen").text
        assert falsch.get(ziel).status_code == 404 and falsch.get(ziel + "alles.zip").status_code == 404
        # two issuer accounts with the same shown name are two owners
        eins = TestClient(client.app)
        eins.get(_beim_aussteller(eins, aussteller, "m.muster"))
        eigen = _hochladen(eins, [_richtig()]).headers["location"]
        zwei = TestClient(client.app)
        ausstellen = aussteller.token
        aussteller.token = lambda nutzer="m.muster", **angaben: ausstellen(
            nutzer, **{"sub": "anderes-konto", **angaben}
        )
        zwei.get(_beim_aussteller(zwei, aussteller, "m.muster"))
        assert "Angemeldet als <strong>m.muster</strong>" in zwei.get("/pruefen").text
        assert eins.get(eigen).status_code == 200 and zwei.get(eigen).status_code == 404


# -- 10. without sign-in: reachable from no other machine — not even through a web page's rebound name


def test_without_sign_in_a_rebound_host_name_reaches_nothing(tmp_path):
    """DNS rebinding: a web page re-points its own name at 127.0.0.1 and calls the desk "same-origin" — Host and
    Origin both name the attacker's site, so only the Host check stops it."""
    from pyxl.excel.server import lokale_hosts

    hosts = lokale_hosts("127.0.0.1", "http://testserver")
    with _client(tmp_path, hosts=hosts) as client:
        assert client.get("/pruefen").status_code == 200
        boese = {"host": "rebind.boese.example:8000"}
        for methode, pfad in (
            ("GET", "/pruefen"),
            ("POST", "/pruefen"),
            ("GET", "/gesund"),
            ("GET", "/manifest.xml"),
            ("POST", "/xlwings/custom-functions-call"),
        ):
            antwort = client.request(methode, pfad, headers=boese)
            assert antwort.status_code == 421 and "Unbekannte Adresse" in antwort.text, pfad
            assert antwort.headers["x-content-type-options"] == "nosniff"
        assert client.get("/pruefen", headers={"host": "localhost:8000"}).status_code == 200
        assert client.get("/pruefen", headers={"host": "[::1]:8000"}).status_code == 200
    assert not list((tmp_path / "ablage" / "vorgaenge").iterdir())


def test_pyxl_serve_without_sign_in_answers_only_to_its_own_names():
    from tests.excel_hilfen import laufender_server

    with laufender_server() as basis:
        port = urlsplit(basis).port
        assert httpx.get(f"{basis}/pruefen").status_code == 200
        assert httpx.get(f"http://localhost:{port}/gesund").text == "bereit"
        fremd = httpx.get(f"{basis}/pruefen", headers={"host": f"rebind.boese.example:{port}"})
        assert fremd.status_code == 421 and "Unbekannte Adresse" in fremd.text
    with laufender_server("--prozesse", "2") as basis:  # every process of the server
        port = urlsplit(basis).port
        for _ in range(6):
            fremd = httpx.get(f"{basis}/gesund", headers={"host": f"rebind.boese.example:{port}"})
            assert fremd.status_code == 421


# -- 11. pyxl serve --prozesse 2: sessions, results and sign-out hold in every process; a slow upload blocks no one


def test_two_processes_share_sessions_results_and_sign_out_and_a_slow_upload_blocks_no_one(tmp_path):
    import socket

    from tests.excel_hilfen import laufender_server

    token_datei = tmp_path / "tokens.txt"
    token_datei.write_text(f"{TOKEN}\n{ZWEITER}\n", encoding="utf-8")
    with laufender_server("--token-datei", str(token_datei), "--prozesse", "2") as basis:
        # a slow upload: headers and a few bytes, then nothing (as a slow or hostile line would)
        langsam = socket.create_connection((urlsplit(basis).hostname, urlsplit(basis).port))
        langsam.sendall(
            b"POST /pruefen HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=x\r\n"
            b"Content-Length: 100000000\r\n\r\n--x\r\n"
        )
        try:
            with httpx.Client(base_url=basis, timeout=60) as client:
                seite = client.get("/pruefen")
                client.post("/pruefen/anmelden", data={"csrf": _csrf(seite.text), "token": TOKEN})
                beginn = time.monotonic()
                ziel = None
                for _ in range(8):  # the requests land in either process
                    seite = client.get("/pruefen")
                    assert seite.status_code == 200 and "Angemeldet als" in seite.text
                antwort = client.post(
                    "/pruefen",
                    data={"csrf": _csrf(seite.text)},
                    files=[_richtig()],
                    headers={"accept": "application/json"},
                )
                assert antwort.status_code == 202
                ziel = antwort.json()["ergebnis"]
                for _ in range(600):
                    if client.get(antwort.json()["stand"]).json()["fertig"]:
                        break
                    time.sleep(0.1)
                assert time.monotonic() - beginn < 60
                for _ in range(8):
                    assert client.get(ziel).status_code == 200
                    assert client.get(ziel + "alles.zip").status_code == 200
                with httpx.Client(base_url=basis) as anderer:
                    seite = anderer.get("/pruefen")
                    anderer.post("/pruefen/anmelden", data={"csrf": _csrf(seite.text), "token": ZWEITER})
                    for _ in range(8):
                        assert anderer.get(ziel).status_code == 404
                keks = client.cookies.get("pyxl_sitzung")
                client.post("/pruefen/abmelden", data={"csrf": _csrf(client.get("/pruefen").text)})
                for _ in range(8):  # signed out in one process: in every process
                    dieb = httpx.get(f"{basis}/pruefen", cookies={"pyxl_sitzung": keks})
                    assert dieb.status_code == 401
        finally:
            langsam.close()


def test_one_official_cannot_fill_the_disk_within_the_retention_time(tmp_path):
    grenzen = AnfrageGrenzen(speicher_je_nutzer=RICHTIG.stat().st_size * 5)
    with _client(tmp_path, anmeldung=Anmeldung(frozenset({TOKEN, ZWEITER})), grenzen=grenzen) as client:
        _anmelden(client)
        status = [_hochladen(client, [_richtig()]).status_code for _ in range(4)]
        assert status[0] == 303 and status[-1] == 507, status
        antwort = _hochladen(client, [_richtig()])
        assert "Ihre Ergebnisse belegen schon" in antwort.text and "gelöscht" in antwort.text
        anderer = TestClient(client.app)
        _anmelden(anderer, ZWEITER)
        assert _hochladen(anderer, [_richtig()]).status_code == 303  # the others are not refused


def test_many_uploads_at_the_same_moment_are_counted_together(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    grenzen = AnfrageGrenzen(pruefungen_je_nutzer=2)
    with _client(tmp_path, anmeldung=Anmeldung(frozenset({TOKEN})), grenzen=grenzen) as client:
        _anmelden(client)
        csrf = _csrf(client.get("/pruefen").text)
        inhalt = RICHTIG.read_bytes()

        def hochladen(_nummer: int) -> int:
            dateien = [("dateien", ("a.xlsx", inhalt, "application/octet-stream"))]
            kopf = {"accept": "application/json"}
            return client.post("/pruefen", data={"csrf": csrf}, files=dateien, headers=kopf).status_code

        with ThreadPoolExecutor(8) as pool:
            status = list(pool.map(hochladen, range(8)))
        assert 1 <= status.count(202) <= 2 and status.count(429) >= 6, status


def test_a_user_name_with_a_line_break_forges_no_log_line(tmp_path, aussteller, caplog):
    import logging

    caplog.set_level(logging.INFO)
    with _oidc(tmp_path, aussteller) as client:
        antwort = client.get(_beim_aussteller(client, aussteller, "m.muster\nPrüfstelle: admin angemeldet"))
        assert antwort.status_code == 200
    zeilen = [r.getMessage() for r in caplog.records if r.name == "pyxl.pruefstelle"]
    assert zeilen, caplog.text
    assert all("\n" not in z for z in zeilen) and any("m.muster\\x0aPrüfstelle" in z for z in zeilen), zeilen


def test_an_unexpected_error_names_no_file_in_answer_or_log(tmp_path, caplog, monkeypatch):
    import logging

    from pyxl.pruefstelle import ablage

    name = "Antrag_" + "Mustermann.xlsx"  # the traceback shows source lines: the name only at run time

    def kaputt(self):
        raise FileNotFoundError(2, "No such file or directory", str(self.ergebnis / name))

    monkeypatch.setattr(ablage.Vorgang, "zip", kaputt)
    caplog.set_level(logging.DEBUG)
    app = erstelle_app(Einstellungen(basis_url="http://testserver", ablage=tmp_path / "ablage"))
    with TestClient(app, raise_server_exceptions=False) as client:
        ziel = _hochladen(client, [_richtig("Antrag_Mustermann.xlsx")]).headers["location"]
        caplog.clear()
        antwort = client.get(ziel + "alles.zip")
        assert (
            antwort.status_code == 500 and "Interner Fehler" in antwort.text and "bitte der IT melden" in antwort.text
        )
        assert "Mustermann" not in antwort.text and str(tmp_path) not in antwort.text
        assert antwort.headers["x-content-type-options"] == "nosniff"
    assert "FileNotFoundError" in caplog.text and "Mustermann" not in caplog.text and str(tmp_path) not in caplog.text
