"""The files a checking command is given: names, folders, and glob patterns the shell left alone.

* A file named on the command line is checked whatever its ending (the check says what it is).
* A folder is searched recursively; files with one of the command's endings are checked, in sorted order, the
  others are listed as skipped. Links to folders inside it are not followed (a link back to the folder would
  make the walk endless), nor links whose target is missing or a loop of links; they are listed as skipped too,
  like Excel's lock files (``~$Plan.xlsx``). A link to a file is taken (the check reads only regular files).
* A name that does not exist but holds ``*``, ``?`` or ``[`` is a pattern: Windows' cmd passes
  ``daten\\*.csv`` as it is, so pyxl expands it itself (``**`` for any depth, without following links to
  folders), and treats what it matches as if the shell had named it.
* A name that neither exists nor matches anything is an error (:class:`EingabeFehler`, German).
* The command's own output folder (``ohne``) is not searched when it lies inside a folder or under a pattern:
  a second run would otherwise check the first run's annotated copies. It is listed as skipped, once.
"""

from __future__ import annotations

import errno
import fnmatch
import glob
import os
import re
import stat
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

MUSTERZEICHEN = frozenset("*?[")


class EingabeFehler(Exception):
    """A name on the command line that is no file, no folder and no pattern with matches; German message."""


@dataclass(frozen=True)
class Uebersprungen:
    pfad: Path
    grund: str

    def __str__(self) -> str:
        return f"{self.pfad} übersprungen – {self.grund}"


AUSGABEORDNER = "Ausgabeordner dieses Befehls (Berichte und markierte Kopien), nicht durchsucht"


def dateien_aus(
    argumente: Iterable[str | os.PathLike[str]], endungen: Collection[str], ohne: Path | None = None
) -> tuple[list[Path], list[Uebersprungen]]:
    """The files to check, in argument order (a folder's files sorted), each once; and what was skipped.
    ``endungen``: lower case with the dot (``".csv"``), for the files found in folders. ``ohne``: the output
    folder, not searched (a file named on the command line is still taken from it)."""
    endungen = {e.lower() for e in endungen}
    ausgabe = _echt(ohne)
    dateien: dict[Path, None] = {}
    uebersprungen: dict[Path, Uebersprungen] = {}
    for argument in argumente:
        pfad = Path(argument)
        gemustert = not os.path.lexists(pfad)
        for treffer in _treffer(pfad):
            if ausgabe and (gemustert or treffer.is_dir()) and _unter(treffer, ausgabe):
                uebersprungen.setdefault(ohne, Uebersprungen(ohne, AUSGABEORDNER))
            elif treffer.is_dir():
                gefunden, ausgelassen = _ordner(treffer, endungen, ausgabe)
                dateien.update(dict.fromkeys(gefunden))
                uebersprungen.update((u.pfad, u) for u in ausgelassen)
            else:
                dateien[treffer] = None
    return list(dateien), list(uebersprungen.values())


def _echt(pfad: Path | None) -> Path | None:
    """The folder's real path (links and ``..`` resolved), or ``None`` if there is none yet."""
    try:
        return pfad.resolve(strict=True) if pfad is not None else None
    except (OSError, RuntimeError):
        return None


def _unter(pfad: Path, ordner: Path) -> bool:
    echt = _echt(pfad)
    return echt is not None and (echt == ordner or ordner in echt.parents)


def _treffer(pfad: Path) -> list[Path]:
    """The path itself if it exists (a link too, even a dangling one: the check reports it), else the matches
    of the pattern it is."""
    if os.path.lexists(pfad):
        return [pfad]
    text = str(pfad)
    if MUSTERZEICHEN.isdisjoint(text):
        raise EingabeFehler(f"{text}: weder Datei noch Ordner gefunden")
    treffer = sorted(_tief(text) if "**" in text else glob.glob(text))
    if not treffer:
        raise EingabeFehler(f"{text}: keine Datei und kein Ordner passt auf das Muster")
    return [Path(t) for t in treffer]


def _tief(muster: str) -> list[str]:
    """A pattern with ``**`` (any depth), expanded without following links to folders: :func:`glob.glob` follows
    them, and two links to ``.`` in one folder make its walk exponential (it never ends)."""
    teile = re.split(r"[\\/]" if os.altsep else "/", muster)
    erste = next(i for i, t in enumerate(teile) if not MUSTERZEICHEN.isdisjoint(t))
    basis = os.sep.join(teile[:erste]) or ("." if not os.path.isabs(muster) else os.sep)
    rest = tuple(teile[erste:])
    treffer: list[str] = []
    for ordner, unterordner, dateien in os.walk(basis, followlinks=False):
        relativ = os.path.relpath(ordner, basis)
        oben = () if relativ == "." else tuple(relativ.split(os.sep))
        for name in (*unterordner, *dateien):
            if _passt((*oben, name), rest):
                treffer.append(os.path.normpath(os.path.join(ordner, name)))  # ./a → a, as glob
    return treffer


@lru_cache(maxsize=4096)
def _passt(pfad: tuple[str, ...], muster: tuple[str, ...]) -> bool:
    """Whether the path's parts match the pattern's: ``**`` any number of folders, the rest as :mod:`fnmatch`
    (names with a leading dot only where the pattern's part has one, as with glob)."""
    if not muster:
        return not pfad
    if muster[0] == "**":
        return _passt(pfad, muster[1:]) or bool(pfad and not pfad[0].startswith(".") and _passt(pfad[1:], muster))
    if not pfad or (pfad[0].startswith(".") and not muster[0].startswith(".")):
        return False
    return fnmatch.fnmatch(pfad[0], muster[0]) and _passt(pfad[1:], muster[1:])


def _ordner(wurzel: Path, endungen: set[str], ausgabe: Path | None = None) -> tuple[list[Path], list[Uebersprungen]]:
    """Every file below ``wurzel`` with one of ``endungen``, sorted; the rest as skipped. Iterative (no recursion
    limit however deep), links to folders are not entered, each entry is looked at once; the folder ``ausgabe``
    (a real path) is not entered."""
    dateien: list[Path] = []
    uebersprungen: list[Uebersprungen] = []
    offen = [wurzel]
    while offen:
        ordner = offen.pop()
        try:
            with os.scandir(ordner) as eintraege:
                liste = list(eintraege)
        except OSError as fehler:
            uebersprungen.append(Uebersprungen(ordner, f"Ordner nicht lesbar ({_grund(fehler)})"))
            continue
        for eintrag in liste:
            pfad = Path(eintrag.path)
            try:
                if eintrag.is_dir(follow_symlinks=False):
                    if ausgabe is not None and _echt(pfad) == ausgabe:
                        uebersprungen.append(Uebersprungen(pfad, AUSGABEORDNER))
                    else:
                        offen.append(pfad)
                    continue
                if eintrag.is_symlink():
                    ziel = _ziel(pfad)
                    if ziel is not None:
                        uebersprungen.append(Uebersprungen(pfad, ziel))
                        continue
                if eintrag.name.startswith("~$"):
                    uebersprungen.append(Uebersprungen(pfad, "Sperrdatei von Excel"))
                elif os.path.splitext(eintrag.name)[1].lower() in endungen:
                    dateien.append(pfad)
                else:
                    uebersprungen.append(Uebersprungen(pfad, _andere_endung(eintrag.name, endungen)))
            except OSError as fehler:
                uebersprungen.append(Uebersprungen(pfad, f"nicht lesbar ({_grund(fehler)})"))
    dateien.sort()
    uebersprungen.sort(key=lambda u: u.pfad)
    return dateien, uebersprungen


def _ziel(link: Path) -> str | None:
    """Why a link in a folder is not taken (its target a folder, missing or a loop of links), or ``None``."""
    try:
        if stat.S_ISDIR(os.stat(link).st_mode):
            return "Verknüpfung auf einen Ordner, nicht verfolgt"
    except OSError:
        return "Verknüpfung ohne erreichbares Ziel (fehlt oder verweist im Kreis)"
    return None


def _andere_endung(name: str, endungen: set[str]) -> str:
    endung = os.path.splitext(name)[1]
    liste = sorted(endungen)
    geprueft = liste[0] if len(liste) == 1 else ", ".join(liste[:-1]) + " und " + liste[-1]
    return f"{f'Endung {endung}' if endung else 'keine Endung'}, geprüft werden {geprueft}"


def _grund(fehler: OSError) -> str:
    if isinstance(fehler, PermissionError):
        return "keine Leseberechtigung"
    if isinstance(fehler, FileNotFoundError):
        return "inzwischen entfernt"
    return f"Systemfehler {errno.errorcode.get(fehler.errno or 0, type(fehler).__name__)}"
