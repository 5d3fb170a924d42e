"""Issue 16, 2.: without tokens or OIDC, ``pyxl serve`` must not be reachable from other machines — a non-loopback
``--host`` is refused (exit 2, German) unless ``--hinter-anmeldeproxy`` says a proxy signs every request in."""

from __future__ import annotations

import socket
import subprocess
import sys

import pytest

from pyxl.excel.erreichbar import nur_lokal
from tests.befehl import WURZEL, pyxl


@pytest.mark.parametrize(
    ("host", "lokal"),
    [
        ("127.0.0.1", True),
        ("127.8.9.10", True),  # all of 127/8 is loopback
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.10.5", False),
        ("10.0.0.1", False),
        ("name-der-nicht-aufgeloest-wird.invalid", False),  # unknown: never assumed local
    ],
)
def test_loopback_or_reachable(host, lokal):
    assert nur_lokal(host) is lokal


@pytest.mark.parametrize("host", ["0.0.0.0", "::"])
def test_serve_without_sign_in_refuses_an_address_other_machines_reach(host, monkeypatch):
    monkeypatch.delenv("PYXL_TOKENS", raising=False)
    lauf = pyxl("serve", "--host", host, "--port", str(_freier_port()))
    assert lauf.returncode == 2
    assert lauf.stderr.startswith(f"Fehler: --host {host} ist von anderen Rechnern erreichbar")
    assert "--hinter-anmeldeproxy" in lauf.stderr and "Traceback" not in lauf.stderr


def test_serve_behind_a_signing_proxy_starts_and_says_so():
    port = _freier_port()
    prozess = subprocess.Popen(
        [sys.executable, "-m", "pyxl", "serve", "--host", "0.0.0.0", "--port", str(port), "--hinter-anmeldeproxy"],
        cwd=WURZEL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={k: v for k, v in __import__("os").environ.items() if k != "PYXL_TOKENS"},
    )
    try:
        zeile = prozess.stdout.readline()
        assert zeile.startswith(f"pyxl-Add-in-Server: http://0.0.0.0:{port}")
        assert prozess.stdout.readline() == f"Prüfstelle im Browser: http://0.0.0.0:{port}/pruefen\n"  # issue 16
        warnung = prozess.stderr.readline()
        assert "ohne Anmeldung" in warnung and "erreichbar über 0.0.0.0" in warnung
    finally:
        prozess.terminate()
        prozess.wait(timeout=10)


def _freier_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
