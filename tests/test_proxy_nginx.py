"""Issue 17, 3.: ``pyxl serve`` behind a TLS proxy, for real — Debian's nginx on loopback with a throw-away
certificate, configured by the shipped ``deploy/nginx-pyxl.conf`` (rendered for the test's ports and files), in front
of ``pyxl serve`` started with the shipped systemd unit's own ``ExecStart``. Through https: a function, a script, the
web desk (Secure cookie, sign-in, upload, result), the manifest with https addresses only, and nginx's 413 above the
server's limit with the server's own German words.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import re
import shlex
import shutil
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from pyxl.bereitstellung import NGINX, UNIT, VORLAGEN, Bereitstellung, dateien, nginx_konfiguration, systemd_unit
from pyxl.pruefstelle.routen import _zu_gross
from pyxl.validators.grenzen import MB, AnfrageGrenzen
from tests.befehl import pyxl
from tests.excel_hilfen import beenden, freier_port, laufender_befehl, nutzlast
from tests.test_excel_server import _aufruf

WURZEL = Path(__file__).parents[1]
BEISPIEL = WURZEL / "xlsx_templates" / "beispiele" / "RZWAS-4_richtig.xlsx"
FEHLERHAFT = WURZEL / "xlsx_templates" / "beispiele" / "RZWAS-3B_fehler_formel_ueberschrieben.xlsx"
TOKEN = "zugang-hinter-nginx-1"


# -- the shipped files are their rendering; the unit passes systemd's own check


def test_shipped_files_are_the_rendering_of_their_templates():
    for name, text in dateien().items():
        assert (VORLAGEN / name).read_text(encoding="utf-8") == text, f"deploy/{name} veraltet: pyxl bereitstellen"


def test_nginx_limits_are_the_servers():
    grenzen = AnfrageGrenzen()
    konfiguration = nginx_konfiguration()
    groessen = re.findall(r"client_max_body_size (\d+)m;", konfiguration)
    assert [int(g) * MB for g in groessen] == [grenzen.koerper, grenzen.upload_formular]
    assert f'return 413 "{_zu_gross(grenzen)}";' in konfiguration  # the web desk's words
    anleitung = (WURZEL / "docs" / "excel.md").read_text(encoding="utf-8")
    assert f"{grenzen.koerper // MB} MB je Aufruf des Add-ins" in anleitung
    assert f"{grenzen.upload_formular // MB} MB je Hochladen – {grenzen.upload_gesamt // MB} MB Dateien" in anleitung


def test_bereitstellen_writes_both_files_with_the_houses_values(tmp_path):
    lauf = pyxl("bereitstellen", "--url", "https://rechner.lkr-beispiel.de", "--port", "8123", "--ziel", str(tmp_path))
    assert lauf.returncode == 0, lauf.stderr
    nginx = (tmp_path / NGINX).read_text(encoding="utf-8")
    assert "server_name rechner.lkr-beispiel.de;" in nginx and "server 127.0.0.1:8123;" in nginx
    unit = (tmp_path / UNIT).read_text(encoding="utf-8")
    assert "--port 8123 --url https://rechner.lkr-beispiel.de " in unit
    falsch = pyxl("bereitstellen", "--url", "http://rechner.lkr-beispiel.de", "--ziel", str(tmp_path))
    assert falsch.returncode == 2 and falsch.stderr.startswith("Fehler: --url http://rechner.lkr-beispiel.de: erwartet")


def test_unit_passes_systemd_analyze_verify(tmp_path):
    if not shutil.which("systemd-analyze"):
        pytest.skip("systemd-analyze fehlt (kein systemd auf diesem Rechner)")
    programm = Path(sys.executable).with_name("pyxl")  # verify wants the program to exist
    unit = tmp_path / UNIT
    unit.write_text(systemd_unit(Bereitstellung(programm=str(programm))), encoding="utf-8")
    lauf = subprocess.run(["systemd-analyze", "verify", str(unit)], capture_output=True, text=True, timeout=60)
    eigene = [z for z in (lauf.stdout + lauf.stderr).splitlines() if UNIT in z]
    assert lauf.returncode == 0 and not eigene, lauf.stdout + lauf.stderr
    text = unit.read_text(encoding="utf-8")
    for zeile in ("DynamicUser=yes", "Restart=on-failure", "StandardError=journal", "PrivateTmp=yes",
                  "NoNewPrivileges=yes", "ProtectSystem=strict"):  # fmt: skip
        assert f"\n{zeile}\n" in text


# -- `pyxl serve --url http://another-host` warns: Office loads add-ins only over https


def test_serve_with_an_http_url_to_another_host_warns_on_stderr():
    port = freier_port()
    prozess = subprocess.Popen(
        [sys.executable, "-m", "pyxl", "serve", "--port", str(port), "--url", "http://pyxl.kreis.intern:8000"],
        cwd=WURZEL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={k: v for k, v in os.environ.items() if k != "PYXL_TOKENS"},
    )
    try:
        warnungen = [prozess.stderr.readline(), prozess.stderr.readline()]  # "ohne Anmeldung", then this one
        warnung = next(w for w in warnungen if "https" in w)
        assert warnung.startswith("Achtung: http://pyxl.kreis.intern:8000 ist keine https-Adresse")
        assert "Office lädt Add-ins nur über https" in warnung
    finally:
        prozess.terminate()
        prozess.wait(timeout=10)


@pytest.mark.parametrize("url", ["https://pyxl.kreis.intern", "http://127.0.0.1:8000", "http://localhost:8000"])
def test_no_https_warning_for_https_or_this_machine(url):
    from pyxl.excel.erreichbar import ohne_https

    assert ohne_https(url) is None


# -- the real thing: nginx with TLS in front of pyxl serve


def _zertifikate(ordner: Path) -> tuple[Path, Path, Path]:
    """A throw-away CA and a server certificate for localhost and 127.0.0.1 signed by it: (ca, chain, key)."""
    jetzt = dt.datetime.now(dt.UTC)

    def ausstellen(name, schluessel, aussteller, aussteller_schluessel, ca: bool, erweiterungen) -> x509.Certificate:
        bauer = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
            .issuer_name(aussteller)
            .public_key(schluessel.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(jetzt - dt.timedelta(minutes=5))
            .not_valid_after(jetzt + dt.timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(schluessel.public_key()), critical=False)
        )
        for erweiterung, kritisch in erweiterungen:
            bauer = bauer.add_extension(erweiterung, critical=kritisch)
        return bauer.sign(aussteller_schluessel, hashes.SHA256())

    ca_schluessel = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "pyxl Test-CA (wegwerfen)")])
    nutzung_ca = x509.KeyUsage(False, False, False, False, False, True, True, False, False)
    ca = ausstellen("pyxl Test-CA (wegwerfen)", ca_schluessel, ca_name, ca_schluessel, True, [(nutzung_ca, True)])
    schluessel = ec.generate_private_key(ec.SECP256R1())
    namen = x509.SubjectAlternativeName([x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))])
    nutzung = x509.KeyUsage(True, False, False, False, False, False, False, False, False)
    blatt = ausstellen(
        "localhost",
        schluessel,
        ca_name,
        ca_schluessel,
        False,
        [
            (namen, False),
            (nutzung, True),
            (x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), False),
            (x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_schluessel.public_key()), False),
        ],
    )
    pem = serialization.Encoding.PEM
    (ordner / "ca.pem").write_bytes(ca.public_bytes(pem))
    (ordner / "server.pem").write_bytes(blatt.public_bytes(pem) + ca.public_bytes(pem))
    (ordner / "server.key").write_bytes(
        schluessel.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    (ordner / "server.key").chmod(0o600)
    return ordner / "ca.pem", ordner / "server.pem", ordner / "server.key"


def _nginx_programm() -> str:
    programm = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/sbin")
    assert programm, "nginx fehlt (Debian: apt-get install nginx; bash scripts/test.sh installiert es)"
    return programm


def _nginx_rahmen(ordner: Path, server: str) -> Path:
    """A whole nginx.conf around the shipped server block: pid, logs and temporary files in ``ordner``."""
    (ordner / "pyxl.conf").write_text(server, encoding="utf-8")
    temp = "\n".join(
        f"    {art}_temp_path {ordner / art};" for art in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    benutzer = "user root;\n" if os.geteuid() == 0 else ""  # workers may use the test's private folder
    rahmen = ordner / "nginx.conf"
    rahmen.write_text(
        f"{benutzer}worker_processes 1;\npid {ordner / 'nginx.pid'};\nerror_log {ordner / 'error.log'} warn;\n"
        f"events {{ worker_connections 64; }}\n"
        f"http {{\n    access_log {ordner / 'access.log'};\n    default_type application/octet-stream;\n{temp}\n"
        f"    include {ordner / 'pyxl.conf'};\n}}\n",
        encoding="utf-8",
    )
    return rahmen


@pytest.fixture(scope="module")
def durch_nginx(tmp_path_factory) -> Iterator[tuple[httpx.Client, str, str, Path]]:
    """(https client of nginx, nginx's base URL, pyxl serve's own base URL, nginx's folder)."""
    ordner = tmp_path_factory.mktemp("nginx")
    ca, kette, schluessel = _zertifikate(ordner)
    https_port, port = freier_port(), freier_port()
    basis = f"https://localhost:{https_port}"
    angaben = Bereitstellung(
        url=basis, port=port, lauschen=f"127.0.0.1:{https_port}", zertifikat=str(kette), schluessel=str(schluessel)
    )
    # pyxl serve exactly as the unit starts it, the credential where systemd puts it
    anmeldedaten = ordner / "credentials"
    anmeldedaten.mkdir()
    (anmeldedaten / "tokens.txt").write_text(f"{TOKEN}\n", encoding="utf-8")
    start = next(z for z in systemd_unit(angaben).splitlines() if z.startswith("ExecStart="))
    argumente = shlex.split(start.removeprefix("ExecStart=").replace("${CREDENTIALS_DIRECTORY}", str(anmeldedaten)))
    assert argumente[0] == angaben.programm and argumente[1] == "serve"

    rahmen = _nginx_rahmen(ordner, nginx_konfiguration(angaben))
    programm = _nginx_programm()
    pruefung = subprocess.run([programm, "-t", "-p", str(ordner), "-e", "stderr", "-c", str(rahmen)],
                              capture_output=True, text=True, timeout=30)  # fmt: skip
    assert pruefung.returncode == 0, pruefung.stderr
    nginx = subprocess.Popen(
        [programm, "-p", str(ordner), "-e", "stderr", "-c", str(rahmen), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    kontext = ssl.create_default_context(cafile=str(ca))
    try:
        with (
            laufender_befehl(argumente[1:], port) as direkt,
            httpx.Client(base_url=basis, verify=kontext, timeout=120) as client,
        ):
            ende = time.monotonic() + 30
            while True:
                assert nginx.poll() is None, f"nginx beendet: {nginx.stderr.read()}"
                try:
                    if client.get("/gesund").text == "bereit":
                        break
                except httpx.TransportError:
                    if time.monotonic() > ende:
                        raise
                    time.sleep(0.1)
            yield client, basis, direkt, ordner
    finally:
        beenden(nginx)


def _angemeldet() -> dict[str, str]:
    return {"Authorization": f"Bearer {TOKEN}"}


def test_a_function_and_a_script_through_nginx(durch_nginx):
    client, _basis, direkt, _ordner = durch_nginx
    aufruf = _aufruf("RZW_ZUWENDUNGSSATZ", 5000.5)
    assert client.post("/xlwings/custom-functions-call", json=aufruf).status_code == 401
    funktion = client.post("/xlwings/custom-functions-call", json=aufruf, headers=_angemeldet())
    assert funktion.status_code == 200, funktion.text
    selbst = httpx.post(f"{direkt}/xlwings/custom-functions-call", json=aufruf, headers=_angemeldet(), timeout=60)
    assert funktion.json() == selbst.json() and isinstance(funktion.json()["result"][0][0], float)
    assert funktion.headers["strict-transport-security"].startswith("max-age=")
    assert "server" not in funktion.headers or "nginx/" not in funktion.headers["server"]  # no version told

    skript = client.post(
        "/xlwings/custom-scripts-call/vorlage_pruefen", json=nutzlast(FEHLERHAFT), headers=_angemeldet()
    )
    assert skript.status_code == 200, skript.text
    aktionen = skript.json()["actions"]
    assert aktionen[0]["func"] == "addSheet" and aktionen[0]["args"] == [2, "Prüfbericht"]


def test_the_authorization_code_stays_out_of_nginxs_access_log(durch_nginx):
    client, _basis, _direkt, ordner = durch_nginx
    assert client.get("/gesund?spur=protokolliert").status_code == 200
    assert client.get("/anmeldung.html?code=geheimer-code-1&state=s1").status_code == 200
    protokoll = _warte_auf_zeile(ordner / "access.log", "spur=protokolliert")
    assert "geheimer-code-1" not in protokoll


def _warte_auf_zeile(datei: Path, text: str) -> str:
    ende = time.monotonic() + 10
    while text not in (inhalt := datei.read_text(encoding="utf-8") if datei.exists() else ""):
        assert time.monotonic() < ende, f"{datei.name}: keine Zeile mit {text}"
        time.sleep(0.05)
    return inhalt


def test_the_manifest_carries_the_https_addresses(durch_nginx):
    client, basis, _direkt, _ordner = durch_nginx
    text = client.get("/manifest.xml").text
    adressen = re.findall(r'(?:DefaultValue="|<AppDomain>)(https?://[^"<]+)', text)
    assert len(adressen) >= 8
    assert all(a == basis or a.startswith(f"{basis}/") for a in adressen), adressen
    for adresse in (f"{basis}/taskpane.html", f"{basis}/xlwings/custom-functions-code.js"):
        assert adresse in adressen
        assert client.get(adresse.removeprefix(basis)).status_code == 200  # and nginx delivers it


def _csrf(seite: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', seite).group(1)


def test_the_web_desk_through_nginx(durch_nginx):
    client, basis, _direkt, _ordner = durch_nginx
    client.cookies.clear()
    seite = client.get("/pruefen")
    assert seite.status_code == 401 and 'name="token" type="password"' in seite.text
    keks = seite.headers["set-cookie"]
    assert "Secure" in keks and "HttpOnly" in keks  # X-Forwarded-Proto: https from nginx

    herkunft = {"Origin": basis}  # what a browser sends with the form
    fremd = client.post(
        "/pruefen/anmelden",
        data={"csrf": _csrf(seite.text), "token": TOKEN},
        headers={"Origin": "https://boese.example"},
    )
    assert fremd.status_code == 403
    angemeldet = client.post("/pruefen/anmelden", data={"csrf": _csrf(seite.text), "token": TOKEN}, headers=herkunft)
    assert angemeldet.status_code == 303, angemeldet.text
    assert "Secure" in angemeldet.headers["set-cookie"]

    formular = client.get("/pruefen")
    assert formular.status_code == 200 and 'name="dateien"' in formular.text
    antwort = client.post(
        "/pruefen",
        data={"csrf": _csrf(formular.text)},
        files=[("dateien", (BEISPIEL.name, BEISPIEL.read_bytes(), "application/octet-stream"))],
        headers=herkunft,
    )
    assert antwort.status_code == 303, antwort.text
    ziel = antwort.headers["location"]
    assert ziel.startswith("/pruefen/vorgang/")
    ergebnis = client.get(ziel)
    assert ergebnis.status_code == 200 and BEISPIEL.name in ergebnis.text


def test_nginx_refuses_above_the_servers_limit_in_its_words(durch_nginx):
    client, _basis, direkt, ordner = durch_nginx
    grenze = AnfrageGrenzen().koerper
    zu_viel = b" " * (grenze + 1)
    # the server on its own, and nginx in front of it: the same 413, the same German sentence
    selbst = httpx.post(f"{direkt}/xlwings/custom-functions-call", content=zu_viel, headers=_angemeldet(), timeout=60)
    davor = client.post("/xlwings/custom-functions-call", content=zu_viel, headers=_angemeldet())
    assert selbst.status_code == davor.status_code == 413
    assert davor.text == selbst.text == "Anfrage zu groß (höchstens 50 MB)"
    assert davor.headers["content-type"].startswith("text/plain") and "utf-8" in davor.headers["content-type"]
    assert f"client intended to send too large body: {grenze + 1} bytes" in (ordner / "error.log").read_text()
    # at the limit nginx lets it through: the server reads it and answers itself (not JSON)
    genau = client.post("/xlwings/custom-functions-call", content=zu_viel[:-1], headers=_angemeldet())
    assert genau.status_code == 400, genau.text

    hochladen = client.post("/pruefen", content=b"x" * (AnfrageGrenzen().upload_formular + 1))
    assert hochladen.status_code == 413 and hochladen.text == _zu_gross(AnfrageGrenzen())
    assert f"too large body: {AnfrageGrenzen().upload_formular + 1} bytes" in (ordner / "error.log").read_text()
