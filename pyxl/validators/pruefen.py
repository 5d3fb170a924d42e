"""Check submitted workbooks: one file in a limited worker process, many files in parallel.

Each file is checked in a worker whose address space is capped (RLIMIT_AS) and whose time is limited, so a
hostile file ends as a report — never as a crash, a hang or an exhausted server. The submitted file is only read.
"""

from __future__ import annotations

import multiprocessing
import resource
import signal
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from functools import partial
from pathlib import Path

from pyxl.parameter import Regelwerk, UnbekannteAusgabe
from pyxl.pruefregeln import Befund, befund
from pyxl.validators.befund import Bericht, Status
from pyxl.validators.erkennen import erkenne
from pyxl.validators.grenzen import Grenzen
from pyxl.validators.lesen import Mappe, lies_mappe
from pyxl.validators.regeln import pruefe_formular
from pyxl.validators.tor import Abgelehnt, lies_datei, oeffne_container


class _Zeitueberschreitung(BaseException):
    """Raised by the alarm; a BaseException so no broad ``except Exception`` in a library can swallow it."""


def _nicht_pruefbar(pfad: Path, befund: Befund) -> Bericht:
    return Bericht(datei=str(pfad), status=Status.NICHT_PRUEFBAR, befunde=[befund])


def pruefe_datei(
    pfad: Path,
    grenzen: Grenzen | None = None,
    markieren: Path | None = None,
    vorgaben: Mapping[str, object] | None = None,
    regelwerke: Mapping[str, Regelwerk] | None = None,
) -> Bericht:
    """The report for one file (in this process; :func:`pruefe_dateien` adds the process limits).

    ``vorgaben``: what the checking authority supplies beside the file (``anlage1``: company → Teilnetz →
    Fahrplan-km, see :mod:`pyxl.validators.vorgaben`). ``regelwerke``: parameter sets by family it names
    (``{"oepnv": satzung}``); else the sets the file's metadata records (:mod:`pyxl.validators.regelwerke`)."""
    grenzen = grenzen or Grenzen()
    daten = einlesen(pfad, grenzen)
    if isinstance(daten, Bericht):
        return daten
    kopie = None if markieren is None else partial(_kopie_schreiben, ordner=markieren)
    return pruefe_bytes(daten, pfad, grenzen, kopie, vorgaben, regelwerke)


def einlesen(pfad: Path, grenzen: Grenzen) -> bytes | Bericht:
    """The file's bytes (read once, at most the size limit), or the report of a file that cannot be read."""
    try:
        return lies_datei(pfad, grenzen)
    except Abgelehnt as abgelehnt:
        return _nicht_pruefbar(pfad, abgelehnt.befund)
    except OSError as fehler:
        return _nicht_pruefbar(
            pfad,
            befund("nicht_lesbar", meldung=f"Datei nicht lesbar: {_os_grund(fehler)}"),
        )


# makes the annotated copy of the checked bytes and returns its file name (locally: written into --ausgabe;
# on a cluster worker: kept in memory for the client, see pyxl.validators.cluster_pruefer)
KopieMacher = Callable[[bytes, Path, Bericht], str]


def pruefe_bytes(
    daten: bytes,
    pfad: Path,
    grenzen: Grenzen,
    kopie: KopieMacher | None = None,
    vorgaben: Mapping[str, object] | None = None,
    regelwerke: Mapping[str, Regelwerk] | None = None,
) -> Bericht:
    """The report for the bytes read from ``pfad``: gate, reader, checks — the one place that checks a file,
    for a local worker and for the subprocess on a cluster worker alike."""

    def vermerkt(bericht: Bericht) -> Bericht:
        bericht.bytes_vermerken(daten)
        return bericht

    try:
        container = oeffne_container(daten, grenzen)
    except Abgelehnt as abgelehnt:
        return vermerkt(_nicht_pruefbar(pfad, abgelehnt.befund))
    with container.zip:
        try:
            mappe = lies_mappe(container)
        except Abgelehnt as abgelehnt:
            return vermerkt(_nicht_pruefbar(pfad, abgelehnt.befund))
    bericht = vermerkt(pruefe_mappe(mappe, str(pfad), grenzen, vorgaben, regelwerke))
    if kopie is not None and bericht.status is Status.GEPRUEFT:
        _markieren(daten, pfad, bericht, kopie, _zu_aufwendig(mappe, grenzen))
    return bericht


def pruefe_mappe(
    mappe: Mappe,
    datei: str,
    grenzen: Grenzen | None = None,
    vorgaben: Mapping[str, object] | None = None,
    regelwerke: Mapping[str, Regelwerk] | None = None,
) -> Bericht:
    """The report for a workbook already read: a file that passed the gate, or the open workbook of the add-in."""
    erkennung = erkenne(mappe, regelwerke)
    bericht = Bericht(
        datei=datei,
        formular=erkennung.kennung,
        version=erkennung.version,
        befunde=[*mappe.befunde, *erkennung.befunde],
    )
    if erkennung.formular is None:
        bericht.status = Status.NICHT_PRUEFBAR
        return bericht
    bericht.titel = f"{erkennung.formular.untertitel}: {erkennung.formular.titel}"
    bericht.regeln_aus(erkennung.formular.regelwerke)
    bericht.befunde.extend(pruefe_formular(erkennung.formular, mappe, (grenzen or Grenzen()).zellbereich, vorgaben))
    return bericht


def _os_grund(fehler: OSError) -> str:
    if isinstance(fehler, FileNotFoundError):
        return "Datei nicht gefunden"
    if isinstance(fehler, IsADirectoryError):
        return "ist ein Verzeichnis"
    if isinstance(fehler, PermissionError):
        return "keine Leseberechtigung"
    return "Lesefehler des Dateisystems"


def _zu_aufwendig(mappe: Mappe, grenzen: Grenzen) -> str | None:
    """Why an annotated copy would cost more than the check (openpyxl loads every style and cell), if it would."""
    zellen = sum(len(b.zellen) for b in mappe.blaetter.values())
    if zellen > grenzen.markieren_zellen:
        return f"die Mappe ist dafür zu groß ({zellen} Zellen > {grenzen.markieren_zellen})"
    if mappe.stile > grenzen.markieren_stile:
        return f"die Mappe hat dafür zu viele Zellformate ({mappe.stile} > {grenzen.markieren_stile})"
    return None


def _kopie_schreiben(daten: bytes, pfad: Path, bericht: Bericht, ordner: Path) -> str:
    from pyxl.validators.ausgabe.markieren import markierte_kopie

    return markierte_kopie(daten, pfad, bericht, ordner).name


def _markieren(daten: bytes, pfad: Path, bericht: Bericht, kopie: KopieMacher, zu_aufwendig: str | None) -> None:
    """The annotated copy is a courtesy: if it cannot be made safely, the report says so and stays complete —
    its verdict never depends on the copy (a copy over the time or memory limit only adds a note).
    It is made from ``daten``, the bytes that were checked — never from the file re-read from disk."""
    from pyxl.validators.ausgabe.schreiben import AusgabeFehler

    grund = zu_aufwendig
    if any(b.regel in {"dde", "makros", "activex"} for b in bericht.befunde):
        grund = "die Datei enthält ausführbare Inhalte (DDE, Makros oder Steuerelemente)"
    elif grund is None:
        try:
            bericht.kopie = kopie(daten, pfad, bericht)
        except _Zeitueberschreitung:
            grund = "die Zeitgrenze war erreicht"
        except MemoryError:
            grund = "die Speichergrenze war erreicht"
        except AusgabeFehler as fehler:  # German already, names the file or folder
            grund = str(fehler)
        except Exception:
            grund = "die Datei lässt sich nicht sicher als Kopie speichern"
    if grund:
        bericht.befunde.append(befund("keine_markierte_kopie", meldung=f"Keine markierte Kopie erstellt: {grund}"))


def arbeiter_einrichten(speicher: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (speicher, speicher))
    signal.signal(signal.SIGALRM, _alarm)


def _alarm(_signal: int, _rahmen: object) -> None:
    raise _Zeitueberschreitung


Pruefung = Callable[[Path, Grenzen, Path | None], Bericht]


def im_arbeiter(pruefung: Pruefung, pfad: Path, grenzen: Grenzen, markieren: Path | None) -> Bericht:
    signal.setitimer(signal.ITIMER_REAL, grenzen.zeit_s)
    try:
        return pruefung(pfad, grenzen, markieren)
    except _Zeitueberschreitung:
        return _nicht_pruefbar(
            pfad,
            befund(
                "zeitgrenze",
                meldung=f"Prüfung nach {grenzen.zeit_s:.0f} s abgebrochen (Datei zu aufwendig oder manipuliert)",
            ),
        )
    except MemoryError:
        return _nicht_pruefbar(pfad, _speicherbefund(grenzen))
    except UnbekannteAusgabe as fehler:  # the installation's parameter files, not the submission, are at fault
        return _nicht_pruefbar(pfad, befund("parameter_fehlerhaft", meldung=f"Prüfung nicht möglich: {fehler}"))
    except Exception:
        return _nicht_pruefbar(
            pfad,
            befund("nicht_lesbar", meldung="Datei nicht prüfbar (unerwarteter Aufbau)"),
        )
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def haengt_nach(grenzen: Grenzen) -> float:
    """Seconds after which a check that did not end is taken to hang in C code (its alarm could not fire)."""
    return grenzen.zeit_s * 2 + 30


def prozess_abgebrochen(pfad: Path) -> Bericht:
    """The report of a file whose check process died (killed by the memory cap, hung beyond its alarm)."""
    return _nicht_pruefbar(
        pfad,
        befund(
            "pruefprozess_abgebrochen",
            meldung="Der Prüfprozess wurde beendet (Speicher- oder Zeitgrenze) – Datei nicht prüfbar",
        ),
    )


def _speicherbefund(grenzen: Grenzen) -> Befund:
    return befund(
        "speichergrenze", meldung=f"Prüfung über der Speichergrenze ({grenzen.speicher // 2**20} MB) abgebrochen"
    )


def _pool(jobs: int, grenzen: Grenzen, start: str = "fork") -> ProcessPoolExecutor:
    kontext = multiprocessing.get_context(start)
    if start == "forkserver":  # the fork server imports the checker once; each worker forks from it ready to check
        kontext.set_forkserver_preload([__name__])
    return ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=kontext,
        initializer=arbeiter_einrichten,
        initargs=(grenzen.speicher,),
    )


def pruefe_dateien(
    pfade: Sequence[Path],
    *,
    jobs: int = 1,
    grenzen: Grenzen | None = None,
    markieren: Path | None = None,
    fortschritt: Callable[[Bericht], None] | None = None,
    pruefung: Pruefung = pruefe_datei,
    start: str = "fork",
) -> Iterator[Bericht]:
    """Reports for ``pfade`` in input order, each file checked in a limited worker process.

    A worker that dies (e.g. the memory cap killed it in C code) takes only its own file down: the files it
    shared the pool with are checked again, one by one. ``pruefung`` checks one file (default: a form).
    ``start``: how workers start — "forkserver" from a process with threads (the add-in server), where a fork
    could copy a lock another thread holds.
    """
    grenzen = grenzen or Grenzen()
    ergebnisse: dict[int, Bericht] = {}
    offen = list(range(len(pfade)))
    while offen:
        lauf = (pruefung, pfade, grenzen, markieren, ergebnisse, fortschritt, start)
        verdaechtig = _durchlauf(lauf, offen, max(1, jobs))
        for nummer in verdaechtig:  # alone, so a second death names the culprit
            if _durchlauf(lauf, [nummer], 1):
                ergebnisse[nummer] = prozess_abgebrochen(pfade[nummer])
                if fortschritt:
                    fortschritt(ergebnisse[nummer])
        offen = [n for n in offen if n not in ergebnisse]
    for nummer in range(len(pfade)):
        yield ergebnisse[nummer]


def _durchlauf(lauf: tuple, nummern: list[int], jobs: int) -> list[int]:
    """Check ``nummern``; returns those whose worker died."""
    pruefung, pfade, grenzen, markieren, ergebnisse, fortschritt, start = lauf
    with _pool(jobs, grenzen, start) as pool:
        laufend: dict[Future, int] = {}
        warteschlange = list(nummern)
        while warteschlange or laufend:
            while warteschlange and len(laufend) < jobs * 2:
                nummer = warteschlange.pop(0)
                laufend[pool.submit(im_arbeiter, pruefung, pfade[nummer], grenzen, markieren)] = nummer
            fertig, _ = wait(laufend, timeout=haengt_nach(grenzen), return_when=FIRST_COMPLETED)
            if not fertig:  # a worker hangs in C code beyond its alarm: stop the pool
                for prozess in list(pool._processes.values()):
                    prozess.kill()
                return [*laufend.values(), *warteschlange]
            for zukunft in fertig:
                nummer = laufend.pop(zukunft)
                try:
                    ergebnisse[nummer] = zukunft.result()
                except BrokenProcessPool:
                    return [nummer, *laufend.values(), *warteschlange]
                if fortschritt:
                    fortschritt(ergebnisse[nummer])
    return []
