"""Helpers for the add-in's tests and benchmark: a real `pyxl serve` on loopback, and the workbook JSON the task
pane sends (xlwings Book JSON plus formulas and properties), made from an xlsx with the validator's own reader —
so values are the file's cached results, what Excel would show.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import xlwings

from pyxl.validators.grenzen import Grenzen
from pyxl.validators.lesen import lies_mappe
from pyxl.validators.tor import oeffne_container


def freier_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def laufender_server(*optionen: str) -> Iterator[str]:
    """`pyxl serve` on a free loopback port in a subprocess; yields its base URL once it answers, stops it after."""
    port = freier_port()
    with laufender_befehl(["serve", "--port", str(port), *optionen], port) as basis:
        yield basis


@contextmanager
def laufender_befehl(argumente: list[str], port: int) -> Iterator[str]:
    """`pyxl ARGUMENTE…` (a `serve` listening on 127.0.0.1:``port``) until it answers; stopped after."""
    umgebung = {**os.environ, "XLWINGS_LICENSE_KEY": "noncommercial"}  # PolyForm Noncommercial (see README)
    prozess = subprocess.Popen(
        [sys.executable, "-m", "pyxl", *argumente],
        env=umgebung,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    basis = f"http://127.0.0.1:{port}"
    try:
        ende = time.monotonic() + 60
        while True:
            if prozess.poll() is not None:
                raise RuntimeError(f"pyxl serve beendet: {prozess.stdout.read()}")
            try:
                if httpx.get(f"{basis}/gesund", timeout=1).text == "bereit":
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > ende:
                raise RuntimeError("pyxl serve nicht bereit nach 60 s")
            time.sleep(0.2)
        yield basis
    finally:
        beenden(prozess)


def beenden(prozess: subprocess.Popen) -> None:
    """Stop a started server (pyxl serve, nginx): politely, then for sure."""
    prozess.terminate()
    try:
        prozess.wait(timeout=10)
    except subprocess.TimeoutExpired:
        prozess.kill()
        prozess.wait()


ADRESSE = re.compile(r"^([A-Z]+)(\d+)$")
BEZUG = re.compile(r"^'?(.+?)'?!(\$?[A-Z]{1,3}\$?\d+(?::\$?[A-Z]{1,3}\$?\d+)?)$")  # a cell or a range
EXCEL_NULL = dt.datetime(1899, 12, 30)


def _spalte(buchstaben: str) -> int:
    zahl = 0
    for b in buchstaben:
        zahl = zahl * 26 + ord(b) - 64
    return zahl


def _excel(wert: object) -> object:
    if isinstance(wert, dt.datetime | dt.date):  # Office.js sends dates as serial numbers
        tag = wert if isinstance(wert, dt.datetime) else dt.datetime.combine(wert, dt.time())
        return (tag - EXCEL_NULL).days
    return "" if wert is None else wert


def nutzlast(pfad: Path, *, args: list | None = None) -> dict:
    container = oeffne_container(pfad.read_bytes(), Grenzen())
    with container.zip:
        mappe = lies_mappe(container)
    blaetter = []
    for blatt in mappe.blaetter.values():
        orte = {a: ADRESSE.match(a) for a in blatt.zellen}
        zeilen = max((int(m.group(2)) for m in orte.values()), default=1)
        spalten = max((_spalte(m.group(1)) for m in orte.values()), default=1)
        werte = [[""] * spalten for _ in range(zeilen)]
        formeln = [[""] * spalten for _ in range(zeilen)]
        for adresse, zelle in blatt.zellen.items():
            treffer = orte[adresse]
            z, s = int(treffer.group(2)) - 1, _spalte(treffer.group(1)) - 1
            werte[z][s] = _excel(zelle.wert)
            formeln[z][s] = zelle.formel or _excel(zelle.wert)
        blaetter.append({"name": blatt.name, "values": werte, "formulas": formeln, "pictures": [], "tables": []})
    namen_der_blaetter = [b["name"] for b in blaetter]
    namen = []
    for name, bezug in mappe.namen.items():
        treffer = BEZUG.match(bezug)
        if treffer and treffer.group(1) in namen_der_blaetter:
            namen.append(
                {
                    "name": name,
                    "sheet_index": namen_der_blaetter.index(treffer.group(1)),
                    "address": treffer.group(2),
                    "scope_sheet_name": None,
                    "scope_sheet_index": None,
                    "book_scope": True,
                }
            )
    daten = {
        "client": "Office.js",
        "version": xlwings.__version__,
        "book": {"name": pfad.name, "active_sheet_index": 0, "selection": "A1"},
        "names": namen,
        "sheets": blaetter,
        "properties": dict(mappe.eigenschaften),
    }
    if args is not None:
        daten["args"] = args
    return daten


def officejs_zelle(wert: object) -> object:
    """A cell value as Office.js passes it: dates as serial numbers, empty cells as ""."""
    if isinstance(wert, dt.date):
        return (wert - EXCEL_NULL.date()).days
    return "" if wert is None else wert


def officejs_argument(wert: object) -> object:
    """One argument as Office.js passes it (dimensionality "matrix"): always rows of cells; omitted: null."""
    if wert is None:
        return None
    if isinstance(wert, list):
        return [[officejs_zelle(z) for z in zeile] for zeile in wert]
    return [[officejs_zelle(wert)]]
