"""Every output file (reports, annotated copies) is created here: new, exclusively, never through a link.

Rules: nothing that exists is ever overwritten or reopened — not a file, not a symlink (even a dangling one);
if the wished name is taken, the next free one is used: ``X_geprueft.xlsx`` → ``X_geprueft_2.xlsx`` →
``X_geprueft_3.xlsx`` …, ``X.pruefbericht.txt`` → ``X_2.pruefbericht.txt``. Every output gets the same mode,
0666 less the umask (0644 with umask 022). A half-written output is removed. The output folder the user names
is trusted (it may itself be a link); links inside it are not.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from pyxl.validators.ausgabe.text import STEUERZEICHEN

# O_EXCL never follows a link in the last component; O_NOFOLLOW says so once more where it exists
FLAGGEN = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
MODUS = 0o666  # less the umask, like any file a program creates
VERSUCHE = 1000
STAMM_MAX = 150  # bytes (UTF-8): room for a suffix, a number and the extension below NAME_MAX (255)


class AusgabeFehler(Exception):
    """An output could not be written; the message is German and names the file or folder."""


def kandidaten(stamm: str, endung: str) -> Iterator[str]:
    """The wished name, then the free names in the order they are tried."""
    stamm = _kuerzen(STEUERZEICHEN.sub("_", stamm))  # no escape sequence from a submission's name in ours
    yield f"{stamm}{endung}"
    for nummer in range(2, VERSUCHE + 1):
        yield f"{stamm}_{nummer}{endung}"


def _kuerzen(stamm: str) -> str:
    roh = stamm.encode("utf-8", "surrogateescape")
    if len(roh) <= STAMM_MAX:
        return stamm
    return roh[:STAMM_MAX].decode("utf-8", "ignore")


@contextmanager
def neue_datei(ordner: Path, stamm: str, endung: str) -> Iterator[tuple[Path, BinaryIO]]:
    """A new file ``<stamm><endung>`` (or the next free name) in ``ordner``, open for writing.

    If the block fails, the file is removed again — only if it is still the one this call created."""
    fd, ziel = _anlegen(ordner, stamm, endung)
    eigen = os.fstat(fd)
    try:
        with os.fdopen(fd, "wb") as datei:
            yield ziel, datei
    except BaseException:
        _entfernen(ziel, eigen)
        raise


def schreibe_neu(ordner: Path, stamm: str, endung: str, inhalt: bytes | str) -> Path:
    """Write ``inhalt`` (text as UTF-8) into a new file; returns the name actually used."""
    # undecodable bytes of a file name (lone surrogates) become a visible \udcxx, never a crash
    daten = inhalt.encode("utf-8", "backslashreplace") if isinstance(inhalt, str) else inhalt
    with neue_datei(ordner, stamm, endung) as (ziel, datei):
        datei.write(daten)
    return ziel


def _anlegen(ordner: Path, stamm: str, endung: str) -> tuple[int, Path]:
    for name in kandidaten(stamm, endung):
        ziel = ordner / name
        try:
            return os.open(ziel, FLAGGEN, MODUS), ziel
        except FileExistsError:
            continue  # a file, a directory or a link — someone else's: the next name
        except OSError as fehler:
            if fehler.errno == getattr(os, "ELOOP", None) or isinstance(fehler, IsADirectoryError):
                continue  # a link where O_NOFOLLOW refused to go
            raise AusgabeFehler(f"{ziel} lässt sich nicht anlegen ({_grund(fehler)})") from fehler
    raise AusgabeFehler(f"kein freier Dateiname für {stamm}{endung} in {ordner} ({VERSUCHE} Versuche)")


def _entfernen(ziel: Path, eigen: os.stat_result) -> None:
    try:
        jetzt = os.stat(ziel, follow_symlinks=False)
        if (jetzt.st_dev, jetzt.st_ino) == (eigen.st_dev, eigen.st_ino):
            os.unlink(ziel)
    except OSError:
        pass  # already gone, or the folder became unwritable: nothing more to do


def _grund(fehler: OSError) -> str:
    if isinstance(fehler, PermissionError):
        return "keine Schreibberechtigung"
    if isinstance(fehler, FileNotFoundError):
        return "Ordner gibt es nicht"
    if isinstance(fehler, NotADirectoryError):
        return "ein Teil des Pfads ist kein Ordner"
    return fehler.strerror or type(fehler).__name__


def ordner_bereit(ordner: Path) -> str | None:
    """Create ``ordner`` if needed; ``None`` if outputs can go there, else the German reason why not."""
    try:
        ordner.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        return "ist kein Ordner"
    except OSError as fehler:
        return f"lässt sich nicht anlegen ({_grund(fehler)})"
    if not ordner.is_dir():
        return "ist kein Ordner"
    if not os.access(ordner, os.W_OK | os.X_OK):
        return "keine Schreibberechtigung"
    return None


class Vormerkung:
    """A new, empty output file whose content comes later: the name is taken at once (a cluster worker writes it
    into the marked copy's report sheet), the bytes are written when they arrive — through the descriptor opened
    here, never by reopening the name. Dropped again if no content comes."""

    def __init__(self, ordner: Path, stamm: str, endung: str) -> None:
        self._fd, self.ziel = _anlegen(ordner, stamm, endung)
        self._eigen = os.fstat(self._fd)

    def schreiben(self, inhalt: bytes) -> None:
        try:
            with os.fdopen(self._fd, "wb") as datei:
                datei.write(inhalt)
        except BaseException:
            _entfernen(self.ziel, self._eigen)
            raise

    def verwerfen(self) -> None:
        os.close(self._fd)
        _entfernen(self.ziel, self._eigen)
