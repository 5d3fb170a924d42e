"""Issue #6 clause 4: bearer tokens from a static list or signed by an on-premises OIDC issuer (here: a local one)."""

from __future__ import annotations

import time

import pytest

from pyxl.excel.anmeldung import Abgewiesen, Anmeldung
from tests.oidc_aussteller import Aussteller


@pytest.fixture(scope="module")
def aussteller():
    """The tests' OIDC issuer on loopback (tests/oidc_aussteller.py), like Keycloak in the own data centre."""
    aussteller = Aussteller(client_id="pyxl-addin").starten()
    yield aussteller.url
    aussteller.stoppen()


def _token(url: str, **angaben) -> str:
    return Aussteller(client_id="pyxl-addin", url=url).token(**angaben)


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
