"""A trace of one calculation: its steps with their clause, every parameter read with its edition and reference.

Auditors accept a number when they can follow it: which edition, which parameter of which clause, which
intermediate values in which order. Model: OpenFisca's tracer (``openfisca_core/tracers/full_tracer.py``).

How it works: :func:`verfolgen` opens a trace for the current context. Calculators mark their intermediate values
with :func:`schritt` (a no-op returning the value when no trace is open: one context-variable lookup), and whoever
hands them their parameter set passes it through :func:`beobachtet`, which — only while a trace is open — wraps it
so that every number read from it is recorded once, with its dotted name, value, edition and clause.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from pyxl.functions.zahlen import deutsch

T = TypeVar("T")


@dataclass(frozen=True)
class Schritt:
    klausel: str  # the full citation: "RZWas 2005 Anl. 2b Nr. 2.7"
    text: str  # what was computed, in German
    wert: object

    def als_json(self) -> dict[str, object]:
        return {"clause": self.klausel, "step": self.text, "value": _json(self.wert)}


@dataclass(frozen=True)
class Gelesen:
    """One parameter read: ``anl2b.klaeranlage.a = 3661`` of edition RZWas 2005, Anl. 2b Nr. 2.7."""

    name: str
    wert: object
    ausgabe: str
    ref: str
    pruefsumme: str = ""

    def als_json(self) -> dict[str, object]:
        return {"name": self.name, "value": _json(self.wert), "edition": self.ausgabe, "ref": self.ref}


@dataclass
class Spur:
    schritte: list[Schritt] = field(default_factory=list)
    gelesen: list[Gelesen] = field(default_factory=list)
    _schon: set[tuple[str, str]] = field(default_factory=set, repr=False)

    def schritt(self, klausel: str, text: str, wert: object) -> None:
        self.schritte.append(Schritt(klausel, text, wert))

    def lesen(self, eintrag: Gelesen) -> None:
        schluessel = (eintrag.ausgabe, eintrag.name)
        if schluessel not in self._schon:  # each parameter once, where it was first read
            self._schon.add(schluessel)
            self.gelesen.append(eintrag)

    def als_json(self) -> dict[str, list[dict[str, object]]]:
        return {"trace": [s.als_json() for s in self.schritte], "parameters": [g.als_json() for g in self.gelesen]}

    def zeilen(self) -> list[str]:
        """The trace in German, as ``pyxl fn --erklaeren`` prints it."""
        return zeilen(self.als_json())


def zeilen(daten: Mapping[str, list[dict[str, object]]], einzug: str = "") -> list[str]:
    """A trace in its JSON form (:meth:`Spur.als_json`, a finding's ``explanation``) as German lines: the one
    wording of every text output."""
    ausgabe = [f"{einzug}Rechenweg:"]
    for nummer, s in enumerate(daten.get("trace", []), 1):
        ausgabe.append(f"{einzug}  {nummer:>2}. {s['step']} = {wert_text(s['value'])}  [{s['clause']}]")
    if daten.get("parameters"):
        ausgabe.append(f"{einzug}Parameter:")
        for g in daten["parameters"]:
            ausgabe.append(f"{einzug}  - {g['name']} = {wert_text(g['value'])}  [{g['ref']}; Ausgabe {g['edition']}]")
    return ausgabe


def wert_text(wert: object) -> str:
    """A JSON value of a trace in German: numbers with decimal comma and thousands points, lists with "; "."""
    if isinstance(wert, bool):
        return "ja" if wert else "nein"
    if isinstance(wert, list):
        return "; ".join(wert_text(w) for w in wert)
    if isinstance(wert, str):
        try:
            return deutsch(Decimal(wert))
        except ArithmeticError:  # decimal.InvalidOperation: a text ("leer", a date, an error value)
            return wert
    return str(wert)


_AKTIV: ContextVar[Spur | None] = ContextVar("pyxl_spur", default=None)
# Traces open anywhere in the process: while none is, schritt() and beobachtet() return after one global lookup —
# the context variable (which keeps concurrent requests of the server apart) is asked only when one is open.
_OFFEN = [0]
_SCHLOSS = threading.Lock()


def aktiv() -> Spur | None:
    return _AKTIV.get()


@contextmanager
def verfolgen() -> Iterator[Spur]:
    """Open a trace for what runs inside the ``with`` block (nested: the inner block gets its own)."""
    spur = Spur()
    marke = _AKTIV.set(spur)
    with _SCHLOSS:
        _OFFEN[0] += 1
    try:
        yield spur
    finally:
        with _SCHLOSS:
            _OFFEN[0] -= 1
        _AKTIV.reset(marke)


def schritt(klausel: str, text: str, wert: T) -> T:
    """Record an intermediate value when a trace is open; always return the value unchanged."""
    if not _OFFEN[0]:
        return wert
    spur = _AKTIV.get()
    if spur is not None:
        spur.schritt(klausel, text, wert)
    return wert


def beobachtet(regelwerk: T) -> T:
    """The parameter set as it is when no trace is open; otherwise a read-recording view of it. Calculators pass
    the set they received through it, so a trace records the parameters whoever called them (the registry, a
    form's recomputation)."""
    if not _OFFEN[0]:
        return regelwerk
    spur = _AKTIV.get()
    if spur is None or regelwerk is None or isinstance(regelwerk, _Beobachter):  # off, or watched already
        return regelwerk
    return _Beobachter(regelwerk, "", regelwerk, spur, "")  # type: ignore[return-value]


def _ist_zahl(wert: object) -> bool:
    if isinstance(wert, bool):
        return False
    if isinstance(wert, int | Decimal):
        return True
    return isinstance(wert, tuple | frozenset) and bool(wert) and all(_ist_zahl(w) for w in wert)


class _Beobachter:
    """A read-only view of a parameter node that records the numbers read through it."""

    __slots__ = ("_knoten", "_pfad", "_ref", "_regelwerk", "_spur")

    def __init__(self, knoten: object, pfad: str, regelwerk: Any, spur: Spur, ref: str) -> None:
        eigen = getattr(knoten, "ref", None)
        object.__setattr__(self, "_knoten", knoten)
        object.__setattr__(self, "_pfad", pfad)
        object.__setattr__(self, "_regelwerk", regelwerk)
        object.__setattr__(self, "_spur", spur)
        object.__setattr__(self, "_ref", eigen if isinstance(eigen, str) and eigen else ref)

    def __getattr__(self, name: str) -> Any:
        wert = getattr(self._knoten, name)
        return self._weiter(wert, f"{self._pfad}.{name}" if self._pfad else name)

    def _weiter(self, wert: object, pfad: str) -> Any:
        if _ist_zahl(wert):
            regelwerk = self._regelwerk
            fundstelle = regelwerk.regel(self._ref) if self._ref else regelwerk.ausgabe.name
            self._spur.lesen(Gelesen(pfad, wert, regelwerk.ausgabe.name, fundstelle, regelwerk.pruefsumme))
            return wert
        if hasattr(wert, "_namen"):  # a nested parameter table
            return _Beobachter(wert, pfad, self._regelwerk, self._spur, self._ref)
        if isinstance(wert, Mapping) and any(hasattr(w, "_namen") for w in wert.values()):
            return {k: self._weiter(w, f"{pfad}.{k}") for k, w in wert.items()}
        if isinstance(wert, tuple) and any(hasattr(w, "_namen") for w in wert):  # a table's rows
            return tuple(self._weiter(w, f"{pfad}[{_zeilenname(w, i)}]") for i, w in enumerate(wert))
        return wert  # text, callables (e.g. regel()), other data: not a number of the rule

    def __setattr__(self, name: str, wert: object) -> None:
        raise AttributeError("Parameter sind unveränderlich")

    def __repr__(self) -> str:
        return f"beobachtet({self._knoten!r})"


def _zeilenname(zeile: object, nummer: int) -> str:
    """A row of a dated table by its date ("ab 01.01.2023"), else by its position."""
    ab = getattr(zeile, "ab", None)
    return f"ab {ab.strftime('%d.%m.%Y')}" if hasattr(ab, "strftime") else str(nummer)


def _json(wert: object) -> object:
    if isinstance(wert, bool) or wert is None:
        return wert
    if isinstance(wert, Decimal | int | float):
        return str(wert)
    if isinstance(wert, tuple | list | frozenset):
        return [_json(w) for w in (sorted(wert) if isinstance(wert, frozenset) else wert)]
    return str(wert)
