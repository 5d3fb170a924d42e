"""A small OIDC issuer on loopback for the tests, like Keycloak in the own data centre: discovery, keys, and the
authorization code flow with PKCE (S256 only) that the web desk and the add-in's sign-in use.

``GET /authorize`` shows a German login form (the browser test fills it by keyboard), ``POST /authorize`` checks
user and password and redirects back with a one-time code; ``POST /token`` exchanges the code — only with the
verifier whose S256 hash was the challenge, the same client and redirect URI — for an ID token and an access
token (RS256), and renews them with the refresh token; ``POST /revoke`` revokes a refresh token (RFC 7009). Everything
a real issuer refuses, this one refuses too, so a client that skips a step fails here. Token and revocation answer a
browser (CORS) only from ``web_origins``, as Keycloak's "Web Origins" — the add-in's task pane calls them itself.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import secrets
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

SCHLUESSEL = rsa.generate_private_key(public_exponent=65537, key_size=2048)
KENNWORT = "richtig"  # of every test user


def s256(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


@dataclass
class Aussteller:
    """Start with :meth:`starten`; ``url`` is the issuer. ``gueltig_s``: lifetime of the tokens it issues."""

    client_id: str = "pyxl"
    gueltig_s: int = 300
    url: str = ""
    codes: dict[str, dict] = field(default_factory=dict)
    erneuerungen: dict[str, dict] = field(default_factory=dict)
    anfragen: list[str] = field(default_factory=list)  # paths asked for, in order (what the client really did)
    web_origins: list[str] = field(default_factory=list)  # origins a browser may call /token and /revoke from
    tokenanfragen: list[dict] = field(default_factory=list)  # per POST /token or /revoke: grant type, Origin

    def starten(self) -> Aussteller:
        aussteller = self

        class Seiten(BaseHTTPRequestHandler):
            def do_GET(self):
                aussteller.anfragen.append(self.path)
                teile = urllib.parse.urlsplit(self.path)
                if teile.path == "/authorize":
                    return self._antwort(*aussteller.anmeldeseite(dict(urllib.parse.parse_qsl(teile.query))))
                inhalt = {"/.well-known/openid-configuration": aussteller.entdeckung(), "/jwks": aussteller.jwks()}
                if teile.path not in inhalt:
                    return self._antwort(404, "application/json", b"{}")
                self._antwort(200, "application/json", json.dumps(inhalt[teile.path]).encode())

            def do_POST(self):
                aussteller.anfragen.append(self.path)
                laenge = int(self.headers.get("Content-Length") or 0)
                felder = dict(urllib.parse.parse_qsl(self.rfile.read(laenge).decode()))
                if self.path == "/authorize":
                    status, ziel = aussteller.anmelden(felder)
                    if status == 302:
                        self.send_response(302)
                        self.send_header("Location", ziel)
                        self.end_headers()
                        return None
                    return self._antwort(status, "text/html; charset=utf-8", ziel.encode())
                if self.path in ("/token", "/revoke"):
                    herkunft = self.headers.get("Origin")
                    aussteller.tokenanfragen.append(
                        {"pfad": self.path, "grant_type": felder.get("grant_type"), "origin": herkunft}
                    )
                    if self.path == "/revoke":
                        aussteller.erneuerungen.pop(felder.get("token", ""), None)
                        status, inhalt = 200, {}
                    else:
                        status, inhalt = aussteller.tauschen(felder)
                    erlaubt = herkunft if herkunft in aussteller.web_origins else None
                    return self._antwort(status, "application/json", json.dumps(inhalt).encode(), erlaubt)
                return self._antwort(404, "application/json", b"{}")

            def _antwort(self, status: int, art: str, daten: bytes, herkunft: str | None = None):
                self.send_response(status)
                self.send_header("Content-Type", art)
                self.send_header("Cache-Control", "no-store")
                if herkunft:
                    self.send_header("Access-Control-Allow-Origin", herkunft)
                    self.send_header("Vary", "Origin")
                self.end_headers()
                self.wfile.write(daten)

            def log_message(self, *_args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Seiten)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stoppen(self) -> None:
        self._server.shutdown()

    def entdeckung(self) -> dict:
        return {
            "issuer": self.url,
            "jwks_uri": f"{self.url}/jwks",
            "authorization_endpoint": f"{self.url}/authorize",
            "token_endpoint": f"{self.url}/token",
            "revocation_endpoint": f"{self.url}/revoke",
            "response_types_supported": ["code"],
            "code_challenge_methods_supported": ["S256"],
            "id_token_signing_alg_values_supported": ["RS256"],
        }

    def jwks(self) -> dict:
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(SCHLUESSEL.public_key()))
        jwk.update(kid="k1", use="sig", alg="RS256")
        return {"keys": [jwk]}

    def token(self, nutzer: str = "m.muster", **angaben) -> str:
        inhalt = {
            "iss": self.url,
            "aud": self.client_id,
            "sub": f"id-{nutzer}",
            "preferred_username": nutzer,
            "iat": int(time.time()),
            "exp": int(time.time()) + self.gueltig_s,
        }
        return jwt.encode({**inhalt, **angaben}, SCHLUESSEL, algorithm="RS256", headers={"kid": "k1"})

    # -- authorization endpoint

    def _anfrage_fehler(self, felder: dict) -> str | None:
        if felder.get("response_type") != "code":
            return "response_type muss code sein"
        if felder.get("client_id") != self.client_id:
            return "unbekannter Client"
        if felder.get("code_challenge_method") != "S256" or len(felder.get("code_challenge", "")) != 43:
            return "PKCE (S256) fehlt"
        if not felder.get("redirect_uri", "").startswith(("http://127.0.0.1", "http://testserver", "https://")):
            return "redirect_uri nicht erlaubt"
        if "openid" not in felder.get("scope", "").split():
            return "scope openid fehlt"
        return None

    def anmeldeseite(self, felder: dict) -> tuple[int, str, bytes]:
        if fehler := self._anfrage_fehler(felder):
            return 400, "text/plain; charset=utf-8", fehler.encode()
        versteckt = "".join(
            f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">' for k, v in felder.items()
        )
        seite = (
            '<!doctype html><html lang="de"><head><meta charset="utf-8"><title>Anmeldung – Test-Aussteller</title>'
            '</head><body><main><h1>Anmeldung</h1><form method="post" action="/authorize">'
            f'{versteckt}<p><label for="nutzer">Benutzername</label> <input id="nutzer" name="username" '
            'autocomplete="username" required></p><p><label for="kennwort">Kennwort</label> <input id="kennwort" '
            'name="password" type="password" autocomplete="current-password" required></p>'
            '<p><button type="submit">Anmelden</button></p></form></main></body></html>'
        )
        return 200, "text/html; charset=utf-8", seite.encode()

    def anmelden(self, felder: dict) -> tuple[int, str]:
        if fehler := self._anfrage_fehler(felder):
            return 400, html.escape(fehler)
        if felder.get("password") != KENNWORT or not felder.get("username"):
            return 401, "Benutzername oder Kennwort falsch"
        code = secrets.token_urlsafe(24)
        self.codes[code] = {**felder, "ablauf": time.time() + 60}
        rueck = urllib.parse.urlencode({"code": code, "state": felder.get("state", "")})
        trenner = "&" if "?" in felder["redirect_uri"] else "?"
        return 302, f"{felder['redirect_uri']}{trenner}{rueck}"

    # -- token endpoint

    def tauschen(self, felder: dict) -> tuple[int, dict]:
        if felder.get("grant_type") == "refresh_token":
            alt = self.erneuerungen.pop(felder.get("refresh_token", ""), None)
            if alt is None or felder.get("client_id") != self.client_id:
                return 400, {"error": "invalid_grant"}
            return 200, self._tokens(alt["username"], None)
        if felder.get("grant_type") != "authorization_code":
            return 400, {"error": "unsupported_grant_type"}
        gespeichert = self.codes.pop(felder.get("code", ""), None)  # one use only
        if gespeichert is None or gespeichert["ablauf"] < time.time():
            return 400, {"error": "invalid_grant"}
        if (
            felder.get("client_id") != gespeichert["client_id"]
            or felder.get("redirect_uri") != gespeichert["redirect_uri"]
        ):
            return 400, {"error": "invalid_grant"}
        if s256(felder.get("code_verifier", "")) != gespeichert["code_challenge"]:
            return 400, {"error": "invalid_grant", "error_description": "PKCE verifier falsch"}
        return 200, self._tokens(gespeichert["username"], gespeichert.get("nonce"))

    def _tokens(self, nutzer: str, nonce: str | None) -> dict:
        erneuerung = secrets.token_urlsafe(24)
        self.erneuerungen[erneuerung] = {"username": nutzer}
        return {
            "token_type": "Bearer",
            "access_token": self.token(nutzer),
            "id_token": self.token(nutzer, **({"nonce": nonce} if nonce else {})),
            "expires_in": self.gueltig_s,
            "refresh_token": erneuerung,
        }
