"""Issue 15, point 5: ``pyxl pruefen --cluster`` on a Dask LocalCluster (loopback, two worker processes) gives the
reports and the overview of a local run — hostile files included; a worker that dies mid-batch costs no file."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
from functools import partial
from pathlib import Path

import pytest

pytest.importorskip("distributed")

import dask
from distributed import LocalCluster

from pyxl.validators.befund import Status, exit_code
from pyxl.validators.cluster import ClusterFehler, pruefe_im_cluster, verbinden
from pyxl.validators.cluster_pruefer import pruefe_auf_worker
from pyxl.validators.grenzen import Grenzen
from pyxl.validators.pruefen import pruefe_dateien
from tests.befehl import pyxl
from tests.test_stapel import BEISPIELE, eingang_bauen

pytestmark = pytest.mark.langsam  # about 30 s: two batches of 39 files, worker restarts


@pytest.fixture(scope="module")
def cluster():
    # allowed-failures 0: the scheduler does not retry a task whose worker died, the client decides (README)
    with (
        dask.config.set({"distributed.scheduler.allowed-failures": 0}),
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
        ) as lokal,
    ):
        yield lokal.scheduler_address


def _ohne_zeit(bericht: dict) -> dict:
    return {k: v for k, v in bericht.items() if k != "checked_at"}


def _berichte(ordner: Path) -> dict[str, dict]:
    return {p.name: _ohne_zeit(json.loads(p.read_text(encoding="utf-8"))) for p in ordner.glob("*.pruefbericht.json")}


def _kopie_blatt(pfad: Path) -> list[tuple]:
    """The copy's report sheet without the time of the check (like checked_at: two runs may straddle a minute)."""
    import openpyxl

    zeilen = openpyxl.load_workbook(pfad)["Prüfbericht"].iter_rows(values_only=True)
    return [z for z in zeilen if z[0] != "Geprüft am"]


def test_cluster_run_equals_local_run(cluster, tmp_path):
    eingang = eingang_bauen(tmp_path / "eingang")  # 36 forms, zip bomb, truncated file, text as .xlsx, 21 skipped
    lokal_aus, cluster_aus = tmp_path / "lokal", tmp_path / "cluster"
    lokal = pyxl("pruefen", eingang, "--ausgabe", lokal_aus, "--markieren", "--format", "json")
    entfernt = pyxl(
        "pruefen", eingang, "--ausgabe", cluster_aus, "--markieren", "--format", "json", "--cluster", cluster
    )
    assert lokal.returncode == entfernt.returncode == 2, entfernt.stderr  # hostile files: not checkable
    assert entfernt.stdout.replace(str(cluster_aus), "") == lokal.stdout.replace(str(lokal_aus), "")
    assert "60 Dateien: 36 geprüft, 3 nicht prüfbar, 21 übersprungen" in entfernt.stdout
    assert "Traceback" not in entfernt.stderr and "distributed" not in entfernt.stderr

    berichte = _berichte(cluster_aus)
    assert len(berichte) == 39 and berichte == _berichte(lokal_aus)  # status, findings, size, sha256, copy name
    bombe = berichte["bombe.pruefbericht.json"]
    assert bombe["status"] == "not_checkable" and [b["rule"] for b in bombe["findings"]] == ["zip_bombe"]

    uebersichten = [json.loads((o / "uebersicht.json").read_text(encoding="utf-8")) for o in (lokal_aus, cluster_aus)]
    for u in uebersichten:
        del u["created_at"]
    assert uebersichten[0] == uebersichten[1]
    csv = [(o / "uebersicht.csv").read_bytes() for o in (lokal_aus, cluster_aus)]
    assert csv[0] == csv[1]

    kopien = sorted(p.name for p in cluster_aus.glob("*_geprueft*.xlsx"))
    assert len(kopien) == 36 and kopien == sorted(p.name for p in lokal_aus.glob("*_geprueft*.xlsx"))
    for name in ("RZWAS-3B_fehler_summe_geaendert_geprueft.xlsx", "nachgereicht_OEPNV-TR_richtig_geprueft.xlsx"):
        assert _kopie_blatt(cluster_aus / name) == _kopie_blatt(lokal_aus / name)


def _toedlich(marken: Path, daten: bytes, datei: str, *rest):
    """A task that kills its own Dask worker: always for immer_*, the first time only for einmal_*."""
    name = Path(datei).name
    if name.startswith("immer_"):
        os._exit(1)
    if name.startswith("einmal_"):
        marke = marken / name
        if not marke.exists():
            marke.touch()
            os._exit(1)
    return pruefe_auf_worker(daten, datei, *rest)


def test_a_dying_worker_costs_no_file(cluster, tmp_path):
    ordner, marken, aus = tmp_path / "ein", tmp_path / "marken", tmp_path / "aus"
    for o in (ordner, marken, aus):
        o.mkdir()
    beispiele = sorted(BEISPIELE.glob("*.xlsx"))[:6]
    pfade = [shutil.copy(q, ordner / q.name) for q in beispiele]
    pfade.insert(2, shutil.copy(beispiele[0], ordner / f"einmal_{beispiele[0].name}"))
    pfade.insert(4, shutil.copy(beispiele[1], ordner / f"immer_{beispiele[1].name}"))
    pfade = [Path(p) for p in pfade]
    erwartet = {str(p): _ohne_zeit(b.als_json()) for p, b in zip(pfade, pruefe_dateien(pfade), strict=True)}

    fortschritt = []
    with verbinden(cluster) as client:
        client.wait_for_workers(2, timeout=30)  # restarted after the test before
        berichte = list(
            pruefe_im_cluster(client, pfade, Grenzen(), aus, fortschritt.append, aufgabe=partial(_toedlich, marken))
        )
    assert [b.datei for b in berichte] == [str(p) for p in pfade] and len(fortschritt) == len(pfade)
    for bericht in berichte:
        if Path(bericht.datei).name.startswith("immer_"):
            assert bericht.status is Status.NICHT_PRUEFBAR and bericht.sha256 is None
            assert [(b.regel, b.meldung) for b in bericht.befunde] == [
                (
                    "cluster_abgebrochen",
                    "Prüfung im Cluster abgebrochen (zwei Worker wurden bei ihrer Prüfung beendet) – nicht geprüft",
                )
            ]
        else:  # the one that killed a worker once included: its second attempt gave the normal report
            ohne_kopie = {**_ohne_zeit(bericht.als_json()), "annotated_copy": None}
            assert ohne_kopie == erwartet[bericht.datei]
            assert bericht.kopie == f"{Path(bericht.datei).stem}_geprueft.xlsx" and (aus / bericht.kopie).is_file()
    assert (marken / f"einmal_{beispiele[0].name}").exists() and exit_code(berichte) == 2
    # the reserved name of the file that was not checked is gone again; nothing else in the folder
    assert sorted(p.name for p in aus.iterdir()) == sorted(b.kopie for b in berichte if b.kopie)


def _trennend(daten: bytes, datei: str, *rest):
    """A task that shuts the whole cluster down (scheduler included) when it meets trennen_*."""
    if Path(datei).name.startswith("trennen_"):
        from distributed import get_client

        get_client().shutdown()
    return pruefe_auf_worker(daten, datei, *rest)


def test_lost_scheduler_reports_the_rest_not_checked(tmp_path):
    quellen = sorted(BEISPIELE.glob("*.xlsx"))[:5]
    pfade = [Path(shutil.copy(q, tmp_path / q.name)) for q in quellen]
    pfade.insert(2, Path(shutil.copy(quellen[0], tmp_path / "trennen_a.xlsx")))
    c = LocalCluster(n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None)
    try:
        with verbinden(c.scheduler_address, wartezeit_s=2) as client:  # 2 s: the client's attempts to reconnect
            berichte = list(pruefe_im_cluster(client, pfade, Grenzen(), aufgabe=_trennend))
    finally:
        with contextlib.suppress(Exception):
            c.close(timeout=1)  # its scheduler is gone already; without a timeout the close waits 30 s for it
    assert [b.datei for b in berichte] == [str(p) for p in pfade]  # nothing silently missing
    geprueft = [b for b in berichte if b.status is Status.GEPRUEFT]
    abgebrochen = [b for b in berichte if b.status is not Status.GEPRUEFT]
    assert abgebrochen and {b.befunde[0].regel for b in abgebrochen} == {"cluster_abgebrochen"}
    assert all("Verbindung zum Scheduler verloren" in b.befunde[0].meldung for b in abgebrochen)
    assert {b.datei for b in geprueft} <= {str(p) for p in pfade[:2]}


def test_unreachable_scheduler_and_wrong_calls_are_german_errors():
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        frei = s.getsockname()[1]
    with pytest.raises(ClusterFehler, match=rf"Scheduler tcp://127.0.0.1:{frei} nicht erreichbar"):
        with verbinden(f"tcp://127.0.0.1:{frei}", wartezeit_s=1):
            pass
    falsch = pyxl("pruefen", BEISPIELE, "--cluster", "pruefrechner")
    assert falsch.returncode == 2 and "Traceback" not in falsch.stderr
    assert "Fehler: Scheduler-Adresse pruefrechner ungültig, erwartet z. B. tcp://pruefrechner:8786" in falsch.stderr
    doppelt = pyxl("pruefen", BEISPIELE, "--cluster", "tcp://127.0.0.1:8786", "--jobs", "2")
    assert doppelt.returncode == 2 and "--jobs gilt nur für die Prüfung auf diesem Rechner" in doppelt.stderr


def test_without_distributed_the_error_names_the_extra(monkeypatch):
    monkeypatch.setitem(__import__("sys").modules, "distributed", None)  # as if not installed
    with pytest.raises(
        ClusterFehler, match=r'--cluster braucht das Paket „distributed“: pip install "pyxl\[cluster\]"'
    ):
        with verbinden("tcp://127.0.0.1:8786"):
            pass


def test_a_worker_with_another_pyxl_version_is_refused(cluster, monkeypatch):
    import pyxl as paket

    monkeypatch.setattr(paket, "__version__", "0.0.0-anders")  # this client's version, not the workers'
    with pytest.raises(ClusterFehler, match=r"Worker mit anderer pyxl-Version als hier \(0\.0\.0-anders\)"):
        with verbinden(cluster):
            pass
