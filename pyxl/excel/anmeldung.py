"""Who may call the add-in server: a bearer token from a static list, or one signed by an on-premises OIDC issuer.

This is the check xlwings Server leaves to a custom auth hook. The static list suits a small office (tokens in a
file readable only by the service); the OIDC issuer (e.g. Keycloak in the own data centre) suits single sign-on.
The issuer's keys are fetched from the issuer itself, lazily on the first call and cached — never from elsewhere.
"""

from __future__ import annotations

import hmac
import json
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import jwt

ALGORITHMEN = ("RS256", "RS384", "RS512", "ES256", "ES384", "PS256")  # asymmetric only: no shared-secret HS*


class Abgewiesen(Exception):
    """The call carries no valid token; the German text says why (never the token itself)."""


def lies_tokendatei(pfad: Path) -> frozenset[str]:
    """One token per line; empty lines and lines starting with # are skipped."""
    zeilen = (z.strip() for z in pfad.read_text(encoding="utf-8").splitlines())
    return frozenset(z for z in zeilen if z and not z.startswith("#"))


def _lokal(url: str) -> bool:
    return urllib.parse.urlsplit(url).hostname in {"127.0.0.1", "localhost", "::1"}


def nutzername(angaben: dict) -> str:
    """The name a token's claims give the user (for the log and the page), never the token."""
    return str(angaben.get("preferred_username") or angaben.get("sub") or "unbekannt")


@dataclass
class Anmeldung:
    tokens: frozenset[str] = frozenset()
    oidc_issuer: str | None = None
    oidc_audience: str | None = None
    _jwks: jwt.PyJWKClient | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        if self.oidc_issuer:
            self.oidc_issuer = self.oidc_issuer.rstrip("/")
            if not self.oidc_issuer.startswith("https://") and not _lokal(self.oidc_issuer):
                raise ValueError(f"OIDC-Issuer = {self.oidc_issuer}: nur https (oder http auf dem eigenen Rechner)")
            if not self.oidc_audience:
                raise ValueError("OIDC-Issuer ohne Audience: bitte --oidc-audience (Client-ID des Add-ins) angeben")

    @property
    def aktiv(self) -> bool:
        return bool(self.tokens or self.oidc_issuer)

    def pruefe(self, kopfzeile: str | None) -> str:
        """The caller's name for the log; raises :class:`Abgewiesen` with a German reason."""
        if not self.aktiv:
            return "anonym"
        art, _, token = (kopfzeile or "").partition(" ")
        if art.lower() != "bearer" or not token.strip():
            raise Abgewiesen("Anmeldung erforderlich: Kopfzeile „Authorization: Bearer <Token>“ fehlt")
        token = token.strip()
        if any(hmac.compare_digest(token.encode(), bekannt.encode()) for bekannt in self.tokens):
            return "Token aus der Liste"
        if self.oidc_issuer:
            return self._oidc(token)
        raise Abgewiesen("Anmeldung abgelehnt: Token unbekannt")

    @cached_property
    def konfiguration(self) -> dict:
        """The issuer's discovery document (endpoints, keys), fetched once from the issuer itself."""
        url = f"{self.oidc_issuer}/.well-known/openid-configuration"
        with urllib.request.urlopen(url, timeout=5) as antwort:  # the configured issuer only
            return json.load(antwort)

    def endpunkt(self, name: str, *, pflicht: bool = True) -> str | None:
        """An endpoint of the issuer's discovery document, only on the issuer's own host; a missing optional one is
        None. Else :class:`Abgewiesen` with a German reason."""
        try:
            url = self.konfiguration.get(name)
        except (OSError, ValueError):
            raise Abgewiesen(f"Anmeldedienst {self.oidc_issuer} nicht erreichbar") from None
        if not url:
            if pflicht:
                raise Abgewiesen(f"Anmeldedienst {self.oidc_issuer} nennt keinen {name}")
            return None
        # a discovery document that points elsewhere is not followed
        if urllib.parse.urlsplit(url).netloc != urllib.parse.urlsplit(self.oidc_issuer or "").netloc:
            raise Abgewiesen(f"Anmeldedienst {self.oidc_issuer}: {name} liegt auf einem anderen Rechner")
        return url

    def _oidc(self, token: str) -> str:
        return nutzername(self.angaben(token))

    def angaben(self, token: str) -> dict:
        """The claims of a token signed by the configured issuer for the configured audience, not expired; else
        :class:`Abgewiesen` with a German reason."""
        try:
            if self._jwks is None:
                self._jwks = jwt.PyJWKClient(str(self.endpunkt("jwks_uri")), cache_keys=True, timeout=5)
            schluessel = self._jwks.get_signing_key_from_jwt(token)
            angaben = jwt.decode(
                token,
                schluessel.key,
                algorithms=list(ALGORITHMEN),
                audience=self.oidc_audience,
                issuer=self.oidc_issuer,
                options={"require": ["exp", "iss", "aud"]},
            )
        except (OSError, KeyError, ValueError, jwt.PyJWKClientConnectionError):
            raise Abgewiesen(f"Anmeldedienst {self.oidc_issuer} nicht erreichbar") from None
        except jwt.ExpiredSignatureError:
            raise Abgewiesen("Anmeldung abgelaufen: bitte neu anmelden") from None
        except (jwt.InvalidTokenError, jwt.PyJWKClientError) as fehler:
            raise Abgewiesen(f"Anmeldung abgelehnt: Token ungültig ({type(fehler).__name__})") from None
        return angaben
