"""One folder per check of the web desk, in the server's private folder, deleted after the retention time.

``<wurzel>/<id>/``: ``vorgang.json`` (owner, time, the uploaded names), ``eingang/`` (the uploads, under names the
output rules make safe), ``ergebnis/`` (what ``pyxl pruefen --ausgabe`` writes: reports, marked copies,
``index.html``, ``uebersicht.csv``/``.json``), ``stand.json`` (progress), ``alles.zip``. The id is random (128 bit)
and the folder answers only its owner: the session that uploaded, or the signed-in user. Nothing else is kept;
the server's log never names a file.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import secrets
import shutil
import stat
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import BinaryIO

from pyxl.validators.ausgabe.schreiben import neue_datei

KENNUNG = re.compile(r"[A-Za-z0-9_-]{22}")
ZIP_NAME = "alles.zip"


def besitzer(nutzer: str | None, sitzung: str, konto: str | None = None) -> str:
    """Who may read a check: the signed-in account (also from a later session; by its key's hash or the issuer's
    ``sub``, never by a name a user might choose), else only the uploading session."""
    if konto:
        return hashlib.sha256(f"konto:{konto}".encode()).hexdigest()
    return hashlib.sha256((f"nutzer:{nutzer}" if nutzer else f"sitzung:{sitzung}").encode()).hexdigest()


def dateiname(gesendet: str | None) -> tuple[str, str]:
    """Stem and ending of an uploaded file's name as the browser sent it: the last part of a path of either kind
    (a client may send ``..\\..\\x.xlsx``), never empty; the output rules make it safe to create."""
    name = PureWindowsPath(PurePosixPath(gesendet or "").name).name.strip() or "datei"
    stamm, punkt, endung = name.rpartition(".")
    if not punkt or not stamm:
        return name, ""
    return stamm, f".{endung.lower()}"


@dataclass
class Vorgang:
    ordner: Path

    @property
    def kennung(self) -> str:
        return self.ordner.name

    @property
    def eingang(self) -> Path:
        return self.ordner / "eingang"

    @property
    def ergebnis(self) -> Path:
        return self.ordner / "ergebnis"

    def daten(self) -> dict:
        return json.loads((self.ordner / "vorgang.json").read_text(encoding="utf-8"))

    def stand(self) -> dict:
        """Progress as the check writes it; before its first line: nothing done yet."""
        try:
            return json.loads((self.ordner / "stand.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {"fertig": False, "dateien": []}

    def ablegen(self, gesendet: str | None, quelle: BinaryIO) -> Path:
        """The upload (read from ``quelle`` in pieces, never whole in memory) as a new file of ``eingang``."""
        stamm, endung = dateiname(gesendet)
        with neue_datei(self.eingang, stamm, endung) as (ziel, datei):
            shutil.copyfileobj(quelle, datei, 1024 * 1024)
        return ziel

    def anlage1_ablegen(self, quelle: BinaryIO) -> Path:
        """The county's Anlage 1 as ``anlage1.csv`` of the check (in pieces; new, never through a link)."""
        ziel = self.ordner / "anlage1.csv"
        flaggen = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
        with os.fdopen(os.open(ziel, flaggen, 0o600), "wb") as datei:
            shutil.copyfileobj(quelle, datei, 1024 * 1024)
        return ziel

    def datei(self, name: str) -> Path | None:
        """A file of the result by its name — only one that is there, regular (no link), directly in the folder."""
        if name in {"", ".", ".."} or "/" in name or "\\" in name or "\0" in name:
            return None
        pfad = self.ergebnis / name
        try:
            info = os.lstat(pfad)
        except (OSError, ValueError):
            return None
        return pfad if stat.S_ISREG(info.st_mode) else None

    def zip(self) -> Path:
        """Everything of the result in one ZIP (``index.html``, ``uebersicht.csv``, reports, copies), made once —
        written to disk as it goes (never whole in memory); a link in its place is not followed but replaced."""
        ziel = self.ordner / ZIP_NAME
        with contextlib.suppress(OSError):
            if stat.S_ISREG(os.lstat(ziel).st_mode):
                return ziel
        zwischen = ziel.with_name(f".{ZIP_NAME}.{secrets.token_hex(4)}")
        try:
            with zipfile.ZipFile(zwischen, "x", zipfile.ZIP_DEFLATED) as archiv:
                for pfad in sorted(self.ergebnis.iterdir()):
                    if stat.S_ISREG(os.lstat(pfad).st_mode):
                        archiv.write(pfad, pfad.name)
            os.replace(zwischen, ziel)  # replaces a link itself, never what it points to
        finally:
            with contextlib.suppress(OSError):
                zwischen.unlink()
        return ziel


class Ablage:
    """The checks under ``wurzel``; each kept ``aufbewahrung_s`` seconds from its upload, then deleted."""

    def __init__(self, wurzel: Path, aufbewahrung_s: int) -> None:
        self.wurzel = wurzel
        self.aufbewahrung_s = aufbewahrung_s
        wurzel.mkdir(mode=0o700, parents=True, exist_ok=True)

    def neu(self, eigentuemer: str, namen: list[str]) -> Vorgang:
        vorgang = Vorgang(self.wurzel / secrets.token_urlsafe(16))
        vorgang.ordner.mkdir(mode=0o700)
        vorgang.eingang.mkdir(mode=0o700)
        daten = {"besitzer": eigentuemer, "erstellt": time.time(), "anzahl": len(namen)}
        (vorgang.ordner / "vorgang.json").write_text(json.dumps(daten), encoding="utf-8")
        return vorgang

    def finde(self, kennung: str, eigentuemer: str) -> Vorgang | None:
        """The check ``kennung`` if it exists, is not expired and belongs to ``eigentuemer``; else ``None`` (the
        same answer for all three: an id tells nobody whether it exists)."""
        if not KENNUNG.fullmatch(kennung):
            return None
        vorgang = Vorgang(self.wurzel / kennung)
        try:
            daten = vorgang.daten()
        except (OSError, ValueError):
            return None
        if daten.get("erstellt", 0) + self.aufbewahrung_s < time.time():
            self.loeschen(vorgang)
            return None
        passt = secrets.compare_digest(str(daten.get("besitzer", "")), eigentuemer)
        return vorgang if passt else None

    def belegt(self, eigentuemer: str) -> tuple[int, int]:
        """What ``eigentuemer`` holds here (checks not expired): how many are not finished yet, and their bytes
        on disk (uploads, results, ZIPs)."""
        grenze = time.time() - self.aufbewahrung_s
        laufend = groesse = 0
        with contextlib.suppress(OSError):
            for ordner in self.wurzel.iterdir():
                vorgang = Vorgang(ordner)
                try:
                    daten = vorgang.daten()
                except (OSError, ValueError):
                    continue
                if daten.get("besitzer") != eigentuemer or daten.get("erstellt", 0) < grenze:
                    continue
                laufend += not vorgang.stand().get("fertig")
                for wurzel, _ordner, dateien in os.walk(ordner):
                    for name in dateien:
                        with contextlib.suppress(OSError):
                            groesse += os.lstat(os.path.join(wurzel, name)).st_size
        return laufend, groesse

    def loeschen(self, vorgang: Vorgang) -> None:
        shutil.rmtree(vorgang.ordner, ignore_errors=True)

    def aufraeumen(self) -> int:
        """Delete every expired check; how many. A folder without readable data (an upload cut off) older than
        the retention time goes too."""
        grenze = time.time() - self.aufbewahrung_s
        geloescht = 0
        for ordner in self.wurzel.iterdir():
            if not KENNUNG.fullmatch(ordner.name):
                continue
            with contextlib.suppress(OSError):
                try:
                    erstellt = Vorgang(ordner).daten().get("erstellt", 0)
                except (OSError, ValueError):
                    erstellt = ordner.stat().st_mtime
                if erstellt < grenze:
                    shutil.rmtree(ordner, ignore_errors=True)
                    geloescht += 1
        return geloescht
