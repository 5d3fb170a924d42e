"""``pyxl pruefen --cluster ADRESSE``: the per-file checks on a Dask distributed cluster, the rest as locally.

The client reads each file once (:func:`~pyxl.validators.pruefen.einlesen`, the size limit included), sends its
bytes with the path as the official gave it, and gets the report back — the same report as a local run (only
``checked_at`` differs), because the worker checks with the same function in a process with the same limits
(:mod:`pyxl.validators.cluster_pruefer`). Reports, marked copies and the overview are written here, by the client.

A worker that dies takes its tasks down (Dask: ``KilledWorker``; the scheduler should be started with
``allowed-failures`` 0, so that this client decides). Which of them killed it is unknown, so — as locally — they
are checked again after the batch, one at a time on the cluster: a file that kills a second worker is reported
"nicht prüfbar" (``cluster_abgebrochen``), every other file has its report. Dask moves pickles between client,
scheduler and workers: the cluster belongs in a closed, trusted network (or Dask's TLS).
"""

from __future__ import annotations

import logging
import re
import uuid
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pyxl
from pyxl.parameter import Regelwerk
from pyxl.pruefregeln import befund
from pyxl.validators.ausgabe.markieren import kopie_stamm
from pyxl.validators.ausgabe.schreiben import AusgabeFehler, Vormerkung
from pyxl.validators.befund import Bericht, Status
from pyxl.validators.cluster_pruefer import Ergebnis, KopieAuftrag, pruefe_auf_worker, pyxl_version
from pyxl.validators.grenzen import Grenzen
from pyxl.validators.pruefen import einlesen, haengt_nach

if TYPE_CHECKING:
    from distributed import Client, Future

VERBINDEN_S = 10.0  # how long to wait for the scheduler and a first worker
EXTRA = 'pip install "pyxl[cluster]"'
# tcp://rechner:8786, tls://10.0.0.5:8786, rechner:8786, [::1]:8786 — checked before Dask sees it (a Client made
# from a malformed address hangs 20 s in its clean-up and prints an English traceback)
ADRESSE = re.compile(r"(?:(?:tcp|tls)://)?(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+):[0-9]{1,5}")

Aufgabe = Callable[..., Ergebnis]  # the task a worker runs: pruefe_auf_worker (tests pass one that kills its worker)


class ClusterFehler(Exception):
    """The cluster cannot be used; the message is German and says what to do."""


@contextmanager
def verbinden(adresse: str, wartezeit_s: float = VERBINDEN_S) -> Iterator[Client]:
    """A client of the scheduler at ``adresse`` with at least one worker that runs this pyxl version."""
    if not ADRESSE.fullmatch(adresse):
        raise ClusterFehler(f"Scheduler-Adresse {adresse} ungültig, erwartet z. B. tcp://pruefrechner:8786")
    try:
        from distributed import Client
    except ImportError:
        raise ClusterFehler(f"--cluster braucht das Paket „distributed“: {EXTRA}") from None
    stumm = logging.getLogger("distributed")
    vorher = stumm.level
    stumm.setLevel(logging.CRITICAL)  # Dask's English log lines (a worker died, keys lost) — the reports tell
    try:
        try:
            client = Client(adresse, timeout=f"{wartezeit_s}s")  # the default: distributed.wait needs one
        except (OSError, ValueError, TypeError):
            raise ClusterFehler(
                f"Scheduler {adresse} nicht erreichbar (keine Verbindung in {wartezeit_s:.0f} s) – läuft dort "
                "„dask scheduler“, ist der Port offen?"
            ) from None
        try:
            _worker_pruefen(client, adresse, wartezeit_s)
            yield client
        finally:
            client.close()
    finally:
        stumm.setLevel(vorher)


def _worker_pruefen(client: Client, adresse: str, wartezeit_s: float) -> None:
    """A report must not depend on which worker made it: every worker runs the client's pyxl version."""
    try:
        client.wait_for_workers(1, timeout=wartezeit_s)
    except TimeoutError:
        raise ClusterFehler(f"am Scheduler {adresse} ist nach {wartezeit_s:.0f} s kein Worker angemeldet") from None
    try:
        versionen = client.run(pyxl_version)
    except Exception:
        raise ClusterFehler(f"pyxl ist auf den Workern von {adresse} nicht installiert: dort {EXTRA}") from None
    fremd = sorted(f"{worker} ({version})" for worker, version in versionen.items() if version != pyxl.__version__)
    if fremd:
        raise ClusterFehler(
            f"Worker mit anderer pyxl-Version als hier ({pyxl.__version__}): {', '.join(fremd)} – "
            "auf allen Rechnern dieselbe Version installieren"
        )


def pruefe_im_cluster(
    client: Client,
    pfade: Sequence[Path],
    grenzen: Grenzen,
    markieren: Path | None = None,
    fortschritt: Callable[[Bericht], None] | None = None,
    *,
    vorgaben: Mapping[str, object] | None = None,
    regelwerke: Mapping[str, Regelwerk] | None = None,
    aufgabe: Aufgabe = pruefe_auf_worker,
) -> Iterator[Bericht]:
    """Reports for ``pfade`` in input order, as :func:`~pyxl.validators.pruefen.pruefe_dateien` gives them."""
    lauf = _Lauf(client, list(pfade), grenzen, markieren, fortschritt, (vorgaben, regelwerke), aufgabe)
    verdaechtig = lauf.durchlauf(range(len(pfade)), allein=False)
    for nummer in verdaechtig:  # alone, so a second death names the culprit
        if lauf.durchlauf([nummer], allein=True):
            lauf.fertig(nummer, _abgebrochen(pfade[nummer], "zwei Worker wurden bei ihrer Prüfung beendet"))
    for nummer in range(len(pfade)):
        yield lauf.ergebnisse[nummer]


def _abgebrochen(pfad: Path, grund: str) -> Bericht:
    return Bericht(
        datei=str(pfad),
        status=Status.NICHT_PRUEFBAR,
        befunde=[befund("cluster_abgebrochen", meldung=f"Prüfung im Cluster abgebrochen ({grund}) – nicht geprüft")],
    )


class _Lauf:
    """One batch on the cluster: what is sent, what came back, the copies' reserved names."""

    def __init__(self, client, pfade, grenzen, markieren, fortschritt, angaben, aufgabe) -> None:
        self.client, self.pfade, self.grenzen, self.markieren = client, pfade, grenzen, markieren
        self.fortschritt, self.angaben, self.aufgabe = fortschritt, angaben, aufgabe
        self.ergebnisse: dict[int, Bericht] = {}
        self.getrennt = False  # the scheduler is gone: what is left is reported, not sent

    def fertig(self, nummer: int, bericht: Bericht) -> None:
        self.ergebnisse[nummer] = bericht
        if self.fortschritt:
            self.fortschritt(bericht)

    def durchlauf(self, nummern: Sequence[int], allein: bool) -> list[int]:
        """Check ``nummern`` (at most two per worker thread in flight, so the client holds few files' bytes);
        returns those whose worker died."""
        from distributed import CancelledError, wait

        warteschlange, laufend, tot = list(nummern), {}, []
        try:
            while warteschlange or laufend:
                plaetze = 1 if allein else max(2, 2 * sum(self.client.nthreads().values()))
                while warteschlange and len(laufend) < plaetze:
                    nummer = warteschlange.pop(0)
                    if (gesendet := self._senden(nummer)) is not None:
                        laufend[gesendet[0]] = (nummer, gesendet[1])
                if not laufend:
                    continue
                try:
                    fertig = wait(list(laufend), timeout=haengt_nach(self.grenzen) + 60, return_when="FIRST_COMPLETED")
                except TimeoutError:  # no task ended although each ends by its own deadline: no worker left
                    if self.client.status != "running" or not self.client.nthreads():
                        raise ConnectionError from None
                    continue
                for zukunft in fertig.done:
                    nummer, vormerkung = laufend.pop(zukunft)
                    if self._abholen(zukunft, nummer, vormerkung):
                        tot.append(nummer)
        except (OSError, CancelledError, _Getrennt):  # OSError: Dask's CommClosedError, a refused reconnect
            self.getrennt = True
            for nummer, vormerkung in [*laufend.values(), *((n, None) for n in warteschlange)]:
                if vormerkung:
                    vormerkung.verwerfen()
                self.fertig(nummer, _abgebrochen(self.pfade[nummer], "Verbindung zum Scheduler verloren"))
            return []
        return tot

    def _senden(self, nummer: int) -> tuple[Future, Vormerkung | None] | None:
        """Read the file and send it; ``None`` if it was not sent (unreadable: its report is there already)."""
        pfad = self.pfade[nummer]
        if self.getrennt:
            self.fertig(nummer, _abgebrochen(pfad, "Verbindung zum Scheduler verloren"))
            return None
        daten = einlesen(pfad, self.grenzen)
        if isinstance(daten, Bericht):
            self.fertig(nummer, daten)
            return None
        vormerkung, kopie = None, None
        if self.markieren is not None:
            try:
                vormerkung = Vormerkung(self.markieren, kopie_stamm(pfad), ".xlsx")
                kopie = KopieAuftrag(name=vormerkung.ziel.name)
            except (AusgabeFehler, OSError) as fehler:
                kopie = KopieAuftrag(fehler=str(fehler))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Dask's English note on a large task (a file of many MB)
            zukunft = self.client.submit(
                self.aufgabe,
                daten,
                str(pfad),
                self.grenzen,
                kopie,
                *self.angaben,
                key=f"pyxl-pruefen-{uuid.uuid4().hex}",  # a new key for a second attempt
                pure=False,
            )
        return zukunft, vormerkung

    def _abholen(self, zukunft: Future, nummer: int, vormerkung: Vormerkung | None) -> bool:
        """Record the finished task's report (and save its copy); ``True`` if its worker died."""
        from distributed import KilledWorker

        try:
            ergebnis: Ergebnis = zukunft.result()
        except KilledWorker:
            if vormerkung:
                vormerkung.verwerfen()
            return True
        except Exception as fehler:
            if vormerkung:
                vormerkung.verwerfen()
            if zukunft.status == "error":  # the task itself failed: a fault of the worker's installation
                self.fertig(nummer, _abgebrochen(self.pfade[nummer], f"Fehler auf dem Worker: {type(fehler).__name__}"))
                return False
            raise _Getrennt from None  # cancelled: the client lost the scheduler
        finally:
            zukunft.release()
        self.fertig(nummer, _mit_kopie(ergebnis, vormerkung))
        return False


class _Getrennt(Exception):
    """The connection to the scheduler is lost."""


def _mit_kopie(ergebnis: Ergebnis, vormerkung: Vormerkung | None) -> Bericht:
    """Save the marked copy the worker made under the name reserved for it; drop the name if none came."""
    bericht = ergebnis.bericht
    if vormerkung is None:
        return bericht
    if ergebnis.kopie is None:
        vormerkung.verwerfen()
        return bericht
    try:
        vormerkung.schreiben(ergebnis.kopie)
    except OSError as fehler:
        bericht.kopie = None
        grund = f"{vormerkung.ziel}: {fehler.strerror or fehler}"
        bericht.befunde.append(befund("keine_markierte_kopie", meldung=f"Keine markierte Kopie erstellt: {grund}"))
    return bericht
