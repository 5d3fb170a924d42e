"""Sign-in at the administration's own OIDC issuer: authorization code flow with PKCE (RFC 7636, S256 only).

The browser is sent to the issuer's authorization endpoint with a fresh ``state`` (binds the answer to this
browser), ``nonce`` (binds the ID token to this sign-in) and the S256 hash of a fresh verifier; the code that comes
back is exchanged at the token endpoint together with the verifier, so a code caught on the way is worthless. The ID
token is checked like every token of the add-in (:class:`pyxl.excel.anmeldung.Anmeldung`: signature by the issuer's
keys, issuer, audience = the client id, expiry) and its nonce compared. Only the configured issuer is ever called.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from pyxl.excel.anmeldung import Abgewiesen, Anmeldung, nutzername


@dataclass(frozen=True)
class Anmeldebeginn:
    """What the server keeps between sending the browser away and its return (never shown to the browser except
    ``state``)."""

    state: str
    nonce: str
    verifier: str

    @classmethod
    def neu(cls) -> Anmeldebeginn:
        return cls(secrets.token_urlsafe(32), secrets.token_urlsafe(32), secrets.token_urlsafe(48))

    @property
    def challenge(self) -> str:
        return base64.urlsafe_b64encode(hashlib.sha256(self.verifier.encode()).digest()).rstrip(b"=").decode()


def anmeldeadresse(anmeldung: Anmeldung, rueckkehr: str, beginn: Anmeldebeginn) -> str:
    """Where the browser signs in: the issuer's authorization endpoint with this sign-in's parameters."""
    parameter = {
        "response_type": "code",
        "client_id": anmeldung.oidc_audience,
        "redirect_uri": rueckkehr,
        "scope": "openid profile",
        "state": beginn.state,
        "nonce": beginn.nonce,
        "code_challenge": beginn.challenge,
        "code_challenge_method": "S256",
    }
    url = str(anmeldung.endpunkt("authorization_endpoint"))  # only on the issuer's own host
    return f"{url}{'&' if '?' in url else '?'}{urllib.parse.urlencode(parameter)}"


def abschliessen(anmeldung: Anmeldung, rueckkehr: str, beginn: Anmeldebeginn, code: str, state: str) -> tuple[str, str]:
    """The signed-in user's name and account (``oidc:<sub>``), after exchanging ``code`` with the verifier; else
    :class:`Abgewiesen`."""
    if not hmac.compare_digest(state.encode(), beginn.state.encode()):
        raise Abgewiesen("Anmeldung abgelehnt: die Antwort des Anmeldedienstes gehört nicht zu dieser Anmeldung")
    felder = urllib.parse.urlencode(
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": rueckkehr,
            "client_id": anmeldung.oidc_audience,
            "code_verifier": beginn.verifier,
        }
    ).encode()
    anfrage = urllib.request.Request(
        str(anmeldung.endpunkt("token_endpoint")),
        data=felder,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"},
    )
    try:
        with urllib.request.urlopen(anfrage, timeout=10) as antwort:  # the configured issuer only
            tokens = json.loads(antwort.read(1_000_000))
    except urllib.error.HTTPError:
        raise Abgewiesen("Anmeldung abgelehnt: der Anmeldedienst hat den Code nicht angenommen") from None
    except (OSError, ValueError):
        raise Abgewiesen(f"Anmeldedienst {anmeldung.oidc_issuer} nicht erreichbar") from None
    id_token = tokens.get("id_token") if isinstance(tokens, dict) else None
    if not isinstance(id_token, str):
        raise Abgewiesen("Anmeldung abgelehnt: der Anmeldedienst hat kein ID-Token geschickt")
    angaben = anmeldung.angaben(id_token)
    if not hmac.compare_digest(str(angaben.get("nonce", "")).encode(), beginn.nonce.encode()):
        raise Abgewiesen("Anmeldung abgelehnt: das ID-Token gehört nicht zu dieser Anmeldung (nonce)")
    return nutzername(angaben), konto(angaben)


def konto(angaben: dict) -> str:
    """Whose results: the issuer's ``sub`` (stable, unique) — not ``preferred_username``, which a user may change."""
    return f"oidc:{angaben.get('sub') or nutzername(angaben)}"
