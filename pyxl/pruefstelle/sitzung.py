"""Sessions of the web desk: a random id in an HttpOnly, SameSite=Strict cookie; what belongs to it (who signed in,
the CSRF token, a sign-in under way) in a file of the server's private folder, named by the id's SHA-256 — so a
look into the folder gives no usable cookie, and every process of ``pyxl serve --prozesse N`` sees the same
sessions. Signing in gives a new id (no session fixation); signing out deletes the file.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import re
import secrets
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from pyxl.pruefstelle.oidc import Anmeldebeginn

KEKS = "pyxl_sitzung"
SCHLUESSEL = re.compile(r"[A-Za-z0-9_-]{43}")  # what secrets.token_urlsafe(32) gives; anything else is no session
ANMELDEZEIT_S = 600  # a sign-in at the issuer must come back within ten minutes


@dataclass
class Sitzung:
    schluessel: str
    csrf: str
    ablauf: float
    nutzer: str | None = None  # None: not signed in (or no sign-in configured)
    konto: str | None = None  # who owns results: "token:<SHA-256 of the key>" or "oidc:<sub>" — never a shown name
    anmeldung: dict | None = field(default=None)  # Anmeldebeginn fields and their own expiry, during OIDC sign-in

    def csrf_passt(self, gesendet: str | None) -> bool:
        return bool(gesendet) and hmac.compare_digest(str(gesendet).encode(), self.csrf.encode())

    def anmeldebeginn(self) -> Anmeldebeginn | None:
        daten = self.anmeldung or {}
        if not daten or daten.get("ablauf", 0) < time.time():
            return None
        return Anmeldebeginn(daten["state"], daten["nonce"], daten["verifier"])


class Sitzungen:
    """The sessions in ``ordner`` (created 0700); each lasts ``dauer_s`` seconds from its start — one nobody has
    signed in to ``anonym_s`` (with sign-in configured: the sign-in's ten minutes, so requests of strangers leave
    little on disk)."""

    def __init__(self, ordner: Path, dauer_s: int, anonym_s: int | None = None) -> None:
        self.ordner = ordner
        self.dauer_s = dauer_s
        self.anonym_s = dauer_s if anonym_s is None else anonym_s  # a session nobody signed in to yet
        ordner.mkdir(mode=0o700, parents=True, exist_ok=True)

    def _datei(self, schluessel: str) -> Path:
        return self.ordner / hashlib.sha256(schluessel.encode()).hexdigest()

    def neu(self, nutzer: str | None = None, konto: str | None = None) -> Sitzung:
        dauer = self.dauer_s if nutzer else self.anonym_s
        sitzung = Sitzung(secrets.token_urlsafe(32), secrets.token_urlsafe(32), time.time() + dauer, nutzer, konto)
        self.speichern(sitzung)
        return sitzung

    def lies(self, schluessel: str | None) -> Sitzung | None:
        if not schluessel or not SCHLUESSEL.fullmatch(schluessel):
            return None
        try:
            daten = json.loads(self._datei(schluessel).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if daten.get("ablauf", 0) < time.time():
            self.loeschen(schluessel)
            return None
        return Sitzung(schluessel=schluessel, **{k: v for k, v in daten.items() if k != "schluessel"})

    def speichern(self, sitzung: Sitzung) -> None:
        daten = {k: v for k, v in asdict(sitzung).items() if k != "schluessel"}
        ziel = self._datei(sitzung.schluessel)
        zwischen = ziel.with_name(f".{ziel.name}.{secrets.token_hex(4)}")
        deskriptor = os.open(zwischen, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(deskriptor, "w", encoding="utf-8") as datei:
            json.dump(daten, datei)
        os.replace(zwischen, ziel)  # whole or not at all: another process never reads half a session

    def anmelden(self, alt: Sitzung | None, nutzer: str, konto: str | None = None) -> Sitzung:
        """A new session for ``nutzer`` (shown) of ``konto`` (owns the results); the old one (anonymous, or a
        sign-in under way) ends."""
        if alt is not None:
            self.loeschen(alt.schluessel)
        return self.neu(nutzer, konto)

    def anmeldung_beginnen(self, sitzung: Sitzung) -> Anmeldebeginn:
        beginn = Anmeldebeginn.neu()
        sitzung.anmeldung = {**asdict(beginn), "ablauf": time.time() + ANMELDEZEIT_S}
        self.speichern(sitzung)
        return beginn

    def loeschen(self, schluessel: str) -> None:
        with contextlib.suppress(OSError):
            self._datei(schluessel).unlink()

    def aufraeumen(self) -> None:
        """Delete expired sessions (any process may; a file another one deletes first is no error)."""
        jetzt = time.time()
        for datei in self.ordner.iterdir():
            try:
                if json.loads(datei.read_text(encoding="utf-8")).get("ablauf", 0) < jetzt:
                    datei.unlink()
            except (OSError, ValueError):
                continue
