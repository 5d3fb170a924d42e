"""The cluster worker's side of ``pyxl pruefen --cluster``: a file's bytes checked in a limited subprocess.

Dask's worker processes are daemonic and run several tasks in threads, so the limits of a local check (address
space capped by RLIMIT_AS, an alarm after ``zeit_s``) cannot be set in them. Each worker thread therefore keeps one
*Prüfprozess* (``python -m pyxl.validators.cluster_pruefer``), started with the memory cap, that checks one file
after another — as a local pool worker does — through :func:`pyxl.validators.pruefen.pruefe_bytes`, the same
function. A process that dies or hangs beyond the alarm is killed; its file gets the same report as locally
(``pruefprozess_abgebrochen``) and the next file gets a fresh process. Starting a process per file would cost
about 0.9 s of imports — forty times the check of a usual form.

Nothing is written to the worker's disk: the marked copy is made in memory and goes back to the client, which
saves it. Requests and answers are pickles between this worker and its own child; the submission's bytes are
only ever read by the gate inside the child.
"""

from __future__ import annotations

import os
import pickle
import select
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pyxl
from pyxl.validators.befund import Bericht
from pyxl.validators.grenzen import Grenzen
from pyxl.validators.pruefen import arbeiter_einrichten, haengt_nach, im_arbeiter, prozess_abgebrochen, pruefe_bytes

KOPF = 8  # bytes of the length in front of every request and answer


@dataclass(frozen=True)
class KopieAuftrag:
    """The marked copy a file gets if it is checked: the name the client reserved in ``--ausgabe``, or why it
    could not reserve one (reported as locally: ``keine_markierte_kopie``)."""

    name: str | None = None
    fehler: str | None = None


@dataclass
class Ergebnis:
    bericht: Bericht
    kopie: bytes | None = None  # the marked copy's bytes, for the client to save under the reserved name


def pyxl_version() -> str:
    """What the client compares with its own version before it sends a file (run on every worker)."""
    return pyxl.__version__


# -- in the Dask worker


_PROZESSE: dict[int, tuple[int, subprocess.Popen]] = {}  # worker thread → (its memory cap, its Prüfprozess)
_SPERRE = threading.Lock()


def pruefe_auf_worker(
    daten: bytes,
    datei: str,
    grenzen: Grenzen,
    kopie: KopieAuftrag | None = None,
    vorgaben: object = None,
    regelwerke: object = None,
) -> Ergebnis:
    """The Dask task: the report of the file ``datei`` (the path as the official gave it) from its bytes."""
    prozess = _prozess(grenzen.speicher)
    auftrag = pickle.dumps((daten, datei, grenzen, kopie, vorgaben, regelwerke), protocol=pickle.HIGHEST_PROTOCOL)
    try:
        _senden(prozess, auftrag)
        return pickle.loads(_empfangen(prozess, time.monotonic() + haengt_nach(grenzen)))
    except (OSError, EOFError, TimeoutError, pickle.UnpicklingError):
        _beenden(prozess)  # died (memory cap in C code, a signal) or hangs beyond its alarm
        return Ergebnis(prozess_abgebrochen(Path(datei)))


def _prozess(speicher: int) -> subprocess.Popen:
    """This thread's Prüfprozess with the memory cap ``speicher``; a new one if there is none alive."""
    faden = threading.get_ident()
    with _SPERRE:
        alt = _PROZESSE.get(faden)
    if alt and alt[0] == speicher and alt[1].poll() is None:
        return alt[1]
    if alt:
        _beenden(alt[1])
    # the same pyxl as this worker's, found first; -P: not a pyxl in the worker's current directory
    paket = str(Path(pyxl.__file__).resolve().parents[1])
    umgebung = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [paket, os.environ.get("PYTHONPATH")]))}
    prozess = subprocess.Popen(
        [sys.executable, "-P", "-m", "pyxl.validators.cluster_pruefer", str(speicher)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env=umgebung,
        cwd=Path(pyxl.__file__).parent,  # a directory that exists on every worker; nothing is written there
    )
    with _SPERRE:
        _PROZESSE[faden] = (speicher, prozess)
    return prozess


def _beenden(prozess: subprocess.Popen) -> None:
    prozess.kill()
    prozess.wait()
    for strom in (prozess.stdin, prozess.stdout):
        if strom:
            strom.close()


def _senden(prozess: subprocess.Popen, auftrag: bytes) -> None:
    assert prozess.stdin is not None
    prozess.stdin.write(len(auftrag).to_bytes(KOPF, "big") + auftrag)
    prozess.stdin.flush()


def _empfangen(prozess: subprocess.Popen, frist: float) -> bytes:
    assert prozess.stdout is not None
    fd = prozess.stdout.fileno()
    laenge = int.from_bytes(_lesen(fd, KOPF, frist), "big")
    return _lesen(fd, laenge, frist)


def _lesen(fd: int, anzahl: int, frist: float) -> bytes:
    """Exactly ``anzahl`` bytes before ``frist`` (monotonic), else TimeoutError; EOFError if the process died."""
    puffer = bytearray()
    while len(puffer) < anzahl:
        rest = frist - time.monotonic()
        if rest <= 0 or not select.select([fd], [], [], rest)[0]:
            raise TimeoutError
        stueck = os.read(fd, min(anzahl - len(puffer), 1 << 20))
        if not stueck:
            raise EOFError
        puffer += stueck
    return bytes(puffer)


# -- in the Prüfprozess


def _pruefen(
    daten: bytes, datei: str, grenzen: Grenzen, kopie: KopieAuftrag | None, vorgaben: object, regelwerke: object
) -> Ergebnis:
    """As a local pool worker checks a file (alarm, findings for time and memory), from its bytes."""
    gemacht: list[bytes] = []

    def kopie_machen(daten: bytes, pfad: Path, bericht: Bericht) -> str:
        from pyxl.validators.ausgabe.markieren import markierte_bytes
        from pyxl.validators.ausgabe.schreiben import AusgabeFehler

        assert kopie is not None
        if kopie.name is None:
            raise AusgabeFehler(kopie.fehler or "kein Name für die Kopie")
        inhalt, hinweis = markierte_bytes(daten, pfad, bericht, kopie.name)
        if hinweis:
            bericht.befunde.append(hinweis)
        gemacht.append(inhalt)
        return kopie.name

    def pruefung(pfad: Path, grenzen: Grenzen, _ordner: Path | None) -> Bericht:
        return pruefe_bytes(daten, pfad, grenzen, kopie_machen if kopie else None, vorgaben, regelwerke)

    bericht = im_arbeiter(pruefung, Path(datei), grenzen, None)
    return Ergebnis(bericht, gemacht[0] if gemacht and bericht.kopie else None)


def main() -> None:
    """Check the files the worker sends, one after another, until it closes the pipe."""
    ein = sys.stdin.buffer
    aus = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # anything a library prints goes to stderr, never into the answers
    arbeiter_einrichten(int(sys.argv[1]))
    while len(kopf := ein.read(KOPF)) == KOPF:
        auftrag = ein.read(int.from_bytes(kopf, "big"))
        antwort = pickle.dumps(_pruefen(*pickle.loads(auftrag)), protocol=pickle.HIGHEST_PROTOCOL)
        aus.write(len(antwort).to_bytes(KOPF, "big") + antwort)
        aus.flush()


if __name__ == "__main__":
    # through the package's module, so the answer's classes are pickled under their importable name, not __main__
    from pyxl.validators.cluster_pruefer import main as hauptschleife

    hauptschleife()
