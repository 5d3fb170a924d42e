"""Running ``pyxl serve`` for real: nginx in front (TLS, ``X-Forwarded-*``, body limits) and a systemd unit.

Both files are rendered from their templates in ``deploy/`` (``*.in``, placeholders ``{{NAME}}`` as in the manifest)
with one set of values: the shipped ``deploy/nginx-pyxl.conf`` and ``deploy/pyxl.service`` are the rendering with the
example values below (a test keeps them in step), ``pyxl bereitstellen`` renders them with the house's own. nginx's
body limits come from :class:`~pyxl.validators.grenzen.AnfrageGrenzen`: what the server would refuse, nginx refuses
before it reaches the server — the number lives once, in ``grenzen.py``.
"""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pyxl.functions.zahlen import deutsch

if TYPE_CHECKING:
    from pyxl.validators.grenzen import AnfrageGrenzen

VORLAGEN = Path(__file__).resolve().parents[1] / "deploy"
NGINX = "nginx-pyxl.conf"
UNIT = "pyxl.service"


@dataclass(frozen=True)
class Bereitstellung:
    """Where the clerks reach the server, where it listens behind nginx, and where its files are."""

    url: str = "https://pyxl.kreis.intern"  # what Excel loads (manifest): nginx's https address
    port: int = 8000  # pyxl serve on 127.0.0.1, reached by nginx only
    lauschen: str = "443"  # nginx's listen address (port, or address:port)
    zertifikat: str = "/etc/ssl/certs/pyxl.pem"  # the certificate chain (PEM) for the name in ``url``
    schluessel: str = "/etc/ssl/private/pyxl.key"
    programm: str = "/opt/pyxl/.venv/bin/pyxl"  # the checkout's venv (bash scripts/einrichten.sh in /opt/pyxl)
    tokens: str = "/etc/pyxl/tokens.txt"  # readable by root only; systemd passes it to the service
    grenzen: AnfrageGrenzen | None = None  # the server's (pydantic, imported only when rendering: the CLI starts fast)

    def __post_init__(self) -> None:
        teile = urllib.parse.urlsplit(self.url)
        if teile.scheme != "https" or not teile.hostname or teile.path.strip("/") or teile.query:
            raise ValueError(f"--url {self.url}: erwartet https://NAME oder https://NAME:PORT (ohne Pfad)")


def _ersetzen(vorlage: str, werte: dict[str, str]) -> str:
    for name, wert in werte.items():
        vorlage = vorlage.replace("{{" + name + "}}", wert)
    offen = re.search(r"\{\{\w+\}\}", vorlage)
    if offen:
        raise ValueError(f"Platzhalter ohne Wert in der Vorlage: {offen.group()}")
    return vorlage


def _megabyte(byte: int) -> str:
    """nginx's size: whole megabytes where the limit is one (``50m``), else bytes — never rounded up."""
    from pyxl.validators.grenzen import MB

    return f"{byte // MB}m" if byte % MB == 0 else str(byte)


def nginx_konfiguration(b: Bereitstellung | None = None) -> str:
    """``deploy/nginx-pyxl.conf``: one ``server`` block for ``/etc/nginx/sites-available/`` or ``conf.d/``."""
    from pyxl.validators.grenzen import MB, AnfrageGrenzen

    b = b or Bereitstellung()
    g = b.grenzen or AnfrageGrenzen()
    werte = {
        "NAME": urllib.parse.urlsplit(b.url).hostname or "",
        "LAUSCHEN": b.lauschen,
        "ZERTIFIKAT": b.zertifikat,
        "SCHLUESSEL": b.schluessel,
        "PORT": str(b.port),
        "KOERPER": _megabyte(g.koerper),
        "KOERPER_TEXT": f"Anfrage zu groß (höchstens {deutsch(g.koerper // MB)} MB)",
        "HOCHLADEN": _megabyte(g.upload_formular),
        "HOCHLADEN_TEXT": f"Hochladen zu groß: höchstens {deutsch(g.upload_gesamt // MB)} MB zusammen",
    }
    return _ersetzen((VORLAGEN / f"{NGINX}.in").read_text(encoding="utf-8"), werte)


def systemd_unit(b: Bereitstellung | None = None) -> str:
    """``deploy/pyxl.service``: ``pyxl serve`` on loopback, without privileges, restarted, logging to journald."""
    b = b or Bereitstellung()
    werte = {
        "PROGRAMM": b.programm,
        "CHECKOUT": str(Path(b.programm).parents[2]),  # …/.venv/bin/pyxl
        "PORT": str(b.port),
        "URL": b.url.rstrip("/"),
        "TOKENS": b.tokens,
    }
    return _ersetzen((VORLAGEN / f"{UNIT}.in").read_text(encoding="utf-8"), werte)


def dateien(b: Bereitstellung | None = None) -> dict[str, str]:
    """File name → content, as ``pyxl bereitstellen`` writes them (and ``deploy/`` ships them)."""
    return {NGINX: nginx_konfiguration(b), UNIT: systemd_unit(b)}
