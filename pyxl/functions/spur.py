"""A trace of one calculation: its steps with their clause, every parameter read with its edition and reference.

Auditors accept a number when they can follow it: which edition, which parameter of which clause, which
intermediate values in which order. Model: OpenFisca's tracer (``openfisca_core/tracers/full_tracer.py``).

How it works: :func:`verfolgen` opens a trace for the current context. Calculators mark their intermediate values
with :func:`schritt` (a no-op returning the value when no trace is open: one global lookup), and whoever hands them
their parameter set passes it through :func:`beobachtet`, which — only while a trace is open — wraps it so that
every number read from it is recorded once, with its dotted name, value, edition and clause.

A step's text may be given as a function (``schritt(klausel, lambda: f"… {deutsch(satz)} %", wert)``): it is
called only when a trace records the step, so a text that formats numbers or dates costs nothing while no trace is
open. Plain texts stay strings.

Nested traces: an auditor who opens a trace expects to find in it everything computed inside — whatever traces the
code inside opened for itself (a whole ÖPNV case collects each company's steps in a trace of its own, a form's
explanation runs calculators). So when a trace closes inside another, the outer one receives its steps, in the
order computed and one level deeper (:attr:`Schritt.tiefe`), and its parameter reads (each once). The inner trace
keeps its own list: :meth:`Spur.eigene` gives the steps recorded in it directly.

Values keep their type into the JSON form (:meth:`Spur.als_json`): next to ``value`` (a string as before: Decimals
as text, never float; dates ISO) each entry names its ``kind``, and German display goes by that kind, never by
re-reading the text (:func:`wert_text`): a year stays 1977, a cell's text "1.060" stays "1.060".
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any, TypeVar

from pyxl.functions.zahlen import deutsch

T = TypeVar("T")
Text = str | Callable[[], str]  # a step's text, or a function computing it only when a trace records the step


@dataclass(frozen=True)
class Schritt:
    klausel: str  # the full citation: "RZWas 2005 Anl. 2b Nr. 2.7"
    text: str  # what was computed, in German
    wert: object
    tiefe: int = 0  # 0: recorded in this trace; 1, 2, …: in a trace opened inside it (see verfolgen)

    def als_json(self) -> dict[str, object]:
        return {"clause": self.klausel, "step": self.text, **wert_json(self.wert)}


@dataclass(frozen=True)
class Gelesen:
    """One parameter read: ``anl2b.klaeranlage.a = 3661`` of edition RZWas 2005, Anl. 2b Nr. 2.7."""

    name: str
    wert: object
    ausgabe: str
    ref: str
    pruefsumme: str = ""

    def als_json(self) -> dict[str, object]:
        return {"name": self.name, **wert_json(self.wert), "edition": self.ausgabe, "ref": self.ref}


@dataclass
class Spur:
    schritte: list[Schritt] = field(default_factory=list)  # nested traces' steps included (tiefe > 0)
    gelesen: list[Gelesen] = field(default_factory=list)
    _schon: set[tuple[str, str]] = field(default_factory=set, repr=False)

    def schritt(self, klausel: str, text: Text, wert: object) -> None:
        self.schritte.append(Schritt(klausel, text() if callable(text) else text, wert))

    def lesen(self, eintrag: Gelesen) -> None:
        schluessel = (eintrag.ausgabe, eintrag.name)
        if schluessel not in self._schon:  # each parameter once, where it was first read
            self._schon.add(schluessel)
            self.gelesen.append(eintrag)

    def aufnehmen(self, innen: Spur) -> None:
        """A trace opened inside this one has closed: its steps (one level deeper) and its reads join this one."""
        self.schritte.extend(replace(s, tiefe=s.tiefe + 1) for s in innen.schritte)
        for eintrag in innen.gelesen:
            self.lesen(eintrag)

    def eigene(self) -> list[Schritt]:
        """The steps recorded in this trace itself, without those of traces opened inside it."""
        return [s for s in self.schritte if not s.tiefe]

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
        ausgabe.append(f"{einzug}  {nummer:>2}. {s['step']} = {anzeige(s)}  [{s['clause']}]")
    if daten.get("parameters"):
        ausgabe.append(f"{einzug}Parameter:")
        for g in daten["parameters"]:
            ausgabe.append(f"{einzug}  - {g['name']} = {anzeige(g)}  [{g['ref']}; Ausgabe {g['edition']}]")
    return ausgabe


# ------------------------------------------------------------------------------------------ values and kinds

ZAHL, GANZZAHL, TEXT, DATUM, JA_NEIN, LISTE, LEER = "zahl", "ganzzahl", "text", "datum", "ja_nein", "liste", "leer"


def art(wert: object) -> str:
    """The kind of a traced value, as the JSON names it (``kind``)."""
    if wert is None:
        return LEER
    if isinstance(wert, bool):  # before int: bool is an int
        return JA_NEIN
    if isinstance(wert, int):  # years, counts, DN: digits without thousands points
        return GANZZAHL
    if isinstance(wert, Decimal | float):  # float: a cell's number as read from a workbook
        return ZAHL
    if isinstance(wert, dt.date):  # datetime too
        return DATUM
    if isinstance(wert, tuple | list | frozenset):
        return LISTE
    return TEXT


def wert_json(wert: object) -> dict[str, object]:
    """``value`` and ``kind`` of one trace entry; a list adds ``kinds``, one per element (a nested list: a list)."""
    daten: dict[str, object] = {"value": _json(wert), "kind": art(wert)}
    if isinstance(wert, tuple | list | frozenset):
        daten["kinds"] = _arten(wert)
    return daten


def _glieder(wert: tuple | list | frozenset) -> list[object]:
    return sorted(wert) if isinstance(wert, frozenset) else list(wert)


def _arten(wert: tuple | list | frozenset) -> list[object]:
    return [_arten(w) if isinstance(w, tuple | list | frozenset) else art(w) for w in _glieder(wert)]


def _json(wert: object) -> object:
    if isinstance(wert, bool) or wert is None:
        return wert
    if isinstance(wert, Decimal | int | float):
        return str(wert)
    if isinstance(wert, tuple | list | frozenset):
        return [_json(w) for w in _glieder(wert)]
    return str(wert)  # a date: ISO (str of a datetime: ISO with a space before the time)


def anzeige(eintrag: Mapping[str, object]) -> str:
    """The value of one trace entry (a step or a parameter of :meth:`Spur.als_json`) in German, by its kind."""
    return wert_text(eintrag.get("value"), eintrag.get("kinds", eintrag.get("kind")))


def wert_text(wert: object, kind: object = None) -> str:
    """A JSON value of a trace in German, by its ``kind``: a number (Decimal) with decimal comma and thousands
    points, a whole number (year, count, DN) in plain digits, a date as TT.MM.JJJJ, text as it is, ja/nein, lists
    with "; ". Zero is never negative. Text is never re-read as a number: without a kind a value shows as it is."""
    if isinstance(kind, list):  # a list's element kinds
        glieder = wert if isinstance(wert, list) else [wert]
        return "; ".join(wert_text(w, k) for w, k in zip(glieder, kind, strict=False))
    if isinstance(wert, bool):
        return "ja" if wert else "nein"
    if wert is None:
        return "leer"
    if isinstance(wert, list):
        return "; ".join(wert_text(w) for w in wert)
    text = str(wert)
    if kind == ZAHL:
        try:
            return deutsch(Decimal(text))
        except ArithmeticError:  # decimal.InvalidOperation: not written by this module
            return text
    if kind == DATUM:
        return _datum(text)
    return text  # ganzzahl, text, no kind


def _datum(text: str) -> str:
    try:
        zeit = dt.datetime.fromisoformat(text)
    except ValueError:
        return text
    tag = f"{zeit.day:02}.{zeit.month:02}.{zeit.year:04}"  # not strftime: %Y drops leading zeros of early years
    if zeit.time() == dt.time():
        return tag
    return f"{tag} {zeit:%H:%M}" + (f":{zeit.second:02}" if zeit.second else "")


# ------------------------------------------------------------------------------------------ recording

_AKTIV: ContextVar[Spur | None] = ContextVar("pyxl_spur", default=None)
# Traces open anywhere in the process: while none is, schritt() and beobachtet() return after one global lookup —
# the context variable (which keeps concurrent requests of the server apart) is asked only when one is open.
_OFFEN = [0]
_SCHLOSS = threading.Lock()


def aktiv() -> Spur | None:
    return _AKTIV.get()


@contextmanager
def verfolgen() -> Iterator[Spur]:
    """Open a trace for what runs inside the ``with`` block. Nested: the inner block gets its own, and when it
    closes the enclosing trace receives its steps and reads (see the module's description)."""
    spur = Spur()
    aussen = _AKTIV.get()
    marke = _AKTIV.set(spur)
    with _SCHLOSS:
        _OFFEN[0] += 1
    try:
        yield spur
    finally:
        with _SCHLOSS:
            _OFFEN[0] -= 1
        _AKTIV.reset(marke)
        if aussen is not None:  # also after an error: the outer trace shows how far the inner one got
            aussen.aufnehmen(spur)


def schritt(klausel: str, text: Text, wert: T) -> T:
    """Record an intermediate value when a trace is open; always return the value unchanged. ``text``: a string,
    or a function returning it (called only when the step is recorded)."""
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


def _unbeobachtet(knoten: T) -> T:
    """What a copied or unpickled view becomes: the parameter node it showed (module level: pickle finds it)."""
    return knoten


class _Beobachter:
    """A read-only view of a parameter node that records the numbers read through it.

    It lives only while a calculator runs under an open trace and must never leave the calculator; where one does
    anyway, it degrades to what it shows instead of failing:

    - Public names are the node's: numbers are recorded, nested tables come back watched, methods (``regel()``)
      are the node's own. Names starting with "_" (dunders probed by copy, pickle or ``hasattr``, the view's own
      slots, the node's private helpers) are not forwarded: ``AttributeError`` before anything else is touched —
      an unset view (as copy and pickle create one) never recurses.
    - ``copy.copy``, ``copy.deepcopy`` and pickle give the plain node (:meth:`__reduce__`), no longer watched.
    - It is no instance of the node's class (``isinstance(view, OEPNVParameter)`` is False) and equals only
      itself: calculators read attributes and never check the type of the set they are given. (Posing as the class
      through ``__class__`` would let the sets' ``__eq__`` reach into the view's private names.) Whether a result
      is the same with and without trace is tested for every registered function.
    """

    __slots__ = ("_knoten", "_pfad", "_ref", "_regelwerk", "_spur")

    def __init__(self, knoten: object, pfad: str, regelwerk: Any, spur: Spur, ref: str) -> None:
        eigen = getattr(knoten, "ref", None)
        object.__setattr__(self, "_knoten", knoten)
        object.__setattr__(self, "_pfad", pfad)
        object.__setattr__(self, "_regelwerk", regelwerk)
        object.__setattr__(self, "_spur", spur)
        object.__setattr__(self, "_ref", eigen if isinstance(eigen, str) and eigen else ref)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):  # checked first: while the slots are unset, self._knoten would land here again
            raise AttributeError(f"{type(self).__name__} gibt {name} nicht weiter")
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

    def __reduce__(self) -> tuple[Callable[[object], object], tuple[object]]:
        return _unbeobachtet, (self._knoten,)

    def __repr__(self) -> str:
        return f"beobachtet({self._knoten!r})"


def _zeilenname(zeile: object, nummer: int) -> str:
    """A row of a dated table by its date ("ab 01.01.2023"), else by its position."""
    ab = getattr(zeile, "ab", None)
    return f"ab {ab.strftime('%d.%m.%Y')}" if hasattr(ab, "strftime") else str(nummer)
