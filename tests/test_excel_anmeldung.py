"""Issue #6 clause 4: bearer tokens from a static list or signed by an on-premises OIDC issuer (here: a local one)."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from pyxl.excel.anmeldung import Abgewiesen, Anmeldung

SCHLUESSEL = rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def aussteller():
    """A minimal OIDC issuer on loopback: discovery document and JWKS, like Keycloak in the own data centre."""
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(SCHLUESSEL.public_key()))
    jwk.update(kid="k1", use="sig", alg="RS256")

    class Seiten(BaseHTTPRequestHandler):
        def do_GET(self):
            basis = f"http://127.0.0.1:{self.server.server_port}"
            inhalt = {
                "/.well-known/openid-configuration": {"issuer": basis, "jwks_uri": f"{basis}/jwks"},
                "/jwks": {"keys": [jwk]},
            }.get(self.path)
            self.send_response(200 if inhalt else 404)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(json.dumps(inhalt or {}).encode())

        def log_message(self, *_args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Seiten)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def _token(aussteller: str, **angaben) -> str:
    inhalt = {"iss": aussteller, "aud": "pyxl-addin", "exp": int(time.time()) + 300, "preferred_username": "m.muster"}
    return jwt.encode({**inhalt, **angaben}, SCHLUESSEL, algorithm="RS256", headers={"kid": "k1"})


def test_static_token_list():
    anmeldung = Anmeldung(frozenset({"geheim"}))
    assert anmeldung.pruefe("Bearer geheim") == "Token aus der Liste"
    with pytest.raises(Abgewiesen, match="Token unbekannt"):
        anmeldung.pruefe("Bearer geraten")
    with pytest.raises(Abgewiesen, match="Anmeldung erforderlich"):
        anmeldung.pruefe(None)


def test_oidc_token_of_the_configured_issuer(aussteller):
    anmeldung = Anmeldung(oidc_issuer=aussteller, oidc_audience="pyxl-addin")
    assert anmeldung.pruefe(f"Bearer {_token(aussteller)}") == "m.muster"


@pytest.mark.parametrize(
    ("angaben", "grund"),
    [
        ({"aud": "fremde-app"}, "Token ungültig"),
        ({"iss": "https://anderer.example"}, "Token ungültig"),
        ({"exp": int(time.time()) - 60}, "Anmeldung abgelaufen"),
    ],
)
def test_oidc_token_refused(aussteller, angaben, grund):
    anmeldung = Anmeldung(oidc_issuer=aussteller, oidc_audience="pyxl-addin")
    with pytest.raises(Abgewiesen, match=grund):
        anmeldung.pruefe(f"Bearer {_token(aussteller, **angaben)}")


def test_oidc_issuer_unreachable_is_said_in_german():
    anmeldung = Anmeldung(oidc_issuer="http://127.0.0.1:9", oidc_audience="pyxl-addin")
    with pytest.raises(Abgewiesen, match=r"Anmeldedienst http://127.0.0.1:9 nicht erreichbar"):
        anmeldung.pruefe("Bearer eyJhbGciOiJSUzI1NiJ9.e30.x")


def test_oidc_needs_https_or_loopback_and_an_audience():
    with pytest.raises(ValueError, match="nur https"):
        Anmeldung(oidc_issuer="http://sso.kreis.example", oidc_audience="pyxl-addin")
    with pytest.raises(ValueError, match="ohne Audience"):
        Anmeldung(oidc_issuer="https://sso.kreis.example")
