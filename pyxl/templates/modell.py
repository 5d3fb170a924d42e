"""The declarative form model: one :class:`Formular` per official form.

A form is a list of :class:`Feld` (cells) on :class:`Blatt` (sheets). Each cell knows its role, its address, its
native Excel formula, its data validation and — for formula cells — how Python computes the same value. The builder
writes workbooks from it, the validator reads submissions with it, tests fill it: nobody else lists addresses.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import warnings
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Literal

from pyxl.functions import Eingabefehler, RegelHinweis
from pyxl.functions.spur import Spur, schritt, verfolgen
from pyxl.functions.zahlen import als_decimal
from pyxl.parameter import Regelwerk
from pyxl.pruefregeln import Befund

ANKER_PRAEFIX = "_pyxl_z"


class Rolle(StrEnum):
    EINGABE = "eingabe"  # unlocked, marked; filled by the applicant
    FORMEL = "formel"  # locked native formula; Python recomputes it
    TEXT = "text"  # locked label, title or constant


@dataclass(frozen=True)
class Pruefung:
    """What an input cell accepts: Excel's data validation and the validator's rule, from one place."""

    art: Literal["ganzzahl", "dezimal", "liste", "text", "datum"]
    regel: str
    hinweis: str  # German input message shown in Excel
    minimum: Decimal | None = None
    minimum_ausgeschlossen: bool = False  # "> minimum" rather than "≥ minimum"
    maximum: Decimal | None = None
    liste: tuple[str, ...] = ()
    pflicht: bool = False


@dataclass(frozen=True)
class Feld:
    """One cell of a form."""

    schluessel: str  # stable key, e.g. "pos.ka.1.menge"; the validator and the tests speak in keys
    blatt: str
    zelle: str  # A1 address in the master template
    rolle: Rolle
    wert: str | int | Decimal | None = None  # label text or constant
    formel: str | None = None  # native formula, English function names, as stored in xlsx
    name: str | None = None  # workbook-level defined name
    zahlenformat: str | None = None
    pruefung: Pruefung | None = None
    stil: str = "normal"
    bis_spalte: str | None = None  # merge the cell to this column (header inputs only, never inside a table)
    regel: str | None = None  # clause of a formula cell
    berechnung: Callable[[Werte], Decimal | None] | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Blatt:
    name: str
    titel: str  # what the sheet is for, as a cell and as the print header
    spaltenbreiten: Mapping[str, float]
    querformat: bool = False
    druck_titelzeilen: str | None = None  # e.g. "9:9": repeated on every printed page
    druckbereich: str | None = None
    geschuetzt: bool = True
    zeilen_einfuegen: bool = False  # may the applicant insert rows (inside a positions table)?
    # Cells below the form that are not checked (the signature block: captions, inputs, the line): the builder writes
    # them, the validator neither reads them nor anchors their rows — a submission on the previous form, which lacks
    # them, is checked as before.
    zusatzfelder: tuple[Feld, ...] = ()
    zeilenhoehen: Mapping[int, float] = field(default_factory=dict)  # row -> points (room for a signature)
    seitenumbrueche: tuple[int, ...] = ()  # a new printed page begins after each of these rows


class Fehlerwert:
    """A formula result that is an error in the spreadsheet (#NV/#WERT!); the reason is kept for reports."""

    def __init__(self, grund: str) -> None:
        self.grund = grund

    def __repr__(self) -> str:
        return f"Fehlerwert({self.grund!r})"


class Folgefehler(Exception):
    """A precedent cell is an error: the dependent cell is one too (raised inside a recomputation)."""

    def __init__(self, fehler: Fehlerwert) -> None:
        self.fehler = fehler


Ergebniswert = Decimal | str | None | Fehlerwert


def _ganz(wert: object) -> object:
    """A whole number of a cell as ``int`` (traced in plain digits); anything else unchanged."""
    if isinstance(wert, float) and wert.is_integer():
        return int(wert)
    if isinstance(wert, Decimal) and wert.is_finite() and wert == wert.to_integral_value():
        return int(wert)
    return wert


class Werte:
    """The values a recomputation reads: inputs as found in cells, then the results of earlier formula cells."""

    def __init__(self, eingaben: Mapping[str, object], vorgaben: Mapping[str, object] | None = None) -> None:
        self._werte: dict[str, object] = dict(eingaben)
        # what the checking authority supplies beside the submission (e.g. the Anlage 1 Fahrplan-km of a county)
        self.vorgaben: Mapping[str, object] = vorgaben or {}
        self.klausel: str | None = None  # set while a cell is explained: every value read becomes a step
        self.orte: Mapping[str, str] = {}  # key -> its cell in the master template, named in those steps
        # keys whose cells show plain digits (number format "0": years): their whole numbers are traced as such,
        # so an explanation shows 1970 as the form does, not 1.970
        self.ziffern: frozenset[str] = frozenset()
        self._gezeigt: set[str] = set()

    def roh(self, schluessel: str) -> object:
        wert = self._werte.get(schluessel)
        if self.klausel is not None and wert not in (None, "") and schluessel not in self._gezeigt:
            self._gezeigt.add(schluessel)  # each value once, where first read; empty cells add nothing to show
            ort = f" ({self.orte[schluessel]} im Vordruck)" if schluessel in self.orte else ""
            schritt(self.klausel, f"Wert {schluessel}{ort}", _ganz(wert) if schluessel in self.ziffern else wert)
        if isinstance(wert, Fehlerwert):
            raise Folgefehler(wert)
        if isinstance(wert, str) and not wert.strip():
            return None
        return wert

    def leer(self, schluessel: str) -> bool:
        return self.roh(schluessel) is None

    def zahl(self, schluessel: str, standard: Decimal | None = None) -> Decimal | None:
        """A number as a spreadsheet sees it: empty → ``standard``; anything else must be numeric."""
        wert = self.roh(schluessel)
        if wert is None:
            return standard
        if isinstance(wert, bool) or not isinstance(wert, int | float | Decimal):
            raise Folgefehler(Fehlerwert(f"{schluessel}: keine Zahl"))
        return als_decimal(wert)

    def summe(self, schluessel: list[str]) -> Decimal:
        """Like SUM: empty cells and text count 0, an error propagates."""
        gesamt = Decimal(0)
        for s in schluessel:
            wert = self.roh(s)
            if isinstance(wert, int | float | Decimal) and not isinstance(wert, bool):
                gesamt += als_decimal(wert)
        return gesamt

    def setzen(self, schluessel: str, wert: Ergebniswert) -> None:
        self._werte[schluessel] = wert


@dataclass(frozen=True)
class Formular:
    """One official form: identity, sheets and cells."""

    kennung: str  # e.g. "RZWAS-3B": the id the validator recognises
    version: str
    titel: str
    untertitel: str  # "Anlage 3b zu den RZWas 2005"
    dateiname: str
    blaetter: tuple[Blatt, ...]
    felder: tuple[Feld, ...]
    fussnote: str  # printed in the footer next to id, version and page
    stand: dt.date  # date of the rule edition the form follows: the workbook's fixed creation date
    bereiche: Mapping[str, str] = field(default_factory=dict)  # defined names over ranges: name -> 'Blatt'!$A$1:$B$2
    # rules across cells that no single formula expresses (e.g. "a split position needs a key"): findings keyed by
    # field (``schluessel``), the validator places them on sheet and cell
    kreuzregeln: tuple[Callable[[Werte], list[Befund]], ...] = field(default=(), compare=False)
    # the parameter sets the form was built from (editions with fingerprints): recorded in its metadata
    regelwerke: tuple[Regelwerk, ...] = field(default=(), compare=False)

    def __post_init__(self) -> None:
        schluessel = [f.schluessel for f in self.felder]
        doppelt = {s for s in schluessel if schluessel.count(s) > 1}
        if doppelt:
            raise ValueError(f"{self.kennung}: Schlüssel doppelt vergeben: {sorted(doppelt)}")
        orte = [(f.blatt, f.zelle) for f in self.felder]
        if len(set(orte)) != len(orte):
            raise ValueError(f"{self.kennung}: eine Zelle ist doppelt belegt")

    def zeilenanker(self) -> dict[str, tuple[str, int]]:
        """Hidden defined names, one per row that holds a field: Excel moves them with their row, so a validator
        finds every row again after the applicant inserted or deleted rows."""
        return dict(self._zeilenanker)

    @functools.cached_property  # asked for by every check of a submission
    def _zeilenanker(self) -> dict[str, tuple[str, int]]:
        anker: dict[str, tuple[str, int]] = {}
        for nummer, blatt in enumerate(self.blaetter):
            for feld in self.felder:
                if feld.blatt == blatt.name:
                    zeile = int(feld.zelle.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
                    anker[f"{ANKER_PRAEFIX}{nummer}_{zeile}"] = (blatt.name, zeile)
        return anker

    def feld(self, schluessel: str) -> Feld:
        for eintrag in self.felder:
            if eintrag.schluessel == schluessel:
                return eintrag
        raise KeyError(schluessel)

    def felder_mit(self, rolle: Rolle) -> Iterator[Feld]:
        return (f for f in self.felder if f.rolle is rolle)

    @functools.cached_property  # the form never changes; the hash is asked for every checked file
    def spec_hash(self) -> str:
        """A fingerprint of everything the workbook is built from (not of the Python recomputation)."""
        inhalt = {
            "kennung": self.kennung,
            "version": self.version,
            "blaetter": [
                vars(b)
                | {
                    "spaltenbreiten": dict(b.spaltenbreiten),
                    "zeilenhoehen": {str(z): h for z, h in b.zeilenhoehen.items()},
                    "zusatzfelder": [
                        {k: (str(v) if v is not None else None) for k, v in vars(f).items() if k != "berechnung"}
                        for f in b.zusatzfelder
                    ],
                }
                for b in self.blaetter
            ],
            "bereiche": dict(self.bereiche),
            "felder": [
                {k: (str(v) if v is not None else None) for k, v in vars(f).items() if k != "berechnung"}
                for f in self.felder
            ],
        }
        text = json.dumps(inhalt, sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]

    def nachrechnen(self, eingaben: Mapping[str, object], *, lokal: bool = False) -> Nachrechnung:
        """Every formula cell's value, computed in Python from the inputs (by key), in the spreadsheet's terms:
        a number, empty (``None``) or a :class:`Fehlerwert` where the sheet shows an error — plus the rule notes
        the calculators attached (e.g. "höchstens 3,0 Prozentpunkte").

        ``lokal``: every formula reads the values given for its precedent formula cells (a submission's cached
        results) instead of Python's own — so a validator checks each cell on its own and nothing cascades."""
        werte = Werte(eingaben)
        ergebnis = Nachrechnung({}, {})
        for eintrag in self.felder_mit(Rolle.FORMEL):
            if eintrag.berechnung is None:
                continue
            with warnings.catch_warnings(record=True) as gemeldet:
                warnings.simplefilter("always", RegelHinweis)
                try:
                    wert: Ergebniswert = eintrag.berechnung(werte)
                except Eingabefehler as fehler:
                    wert = Fehlerwert(str(fehler))
                except Folgefehler as folge:
                    wert = folge.fehler
                except TypeError:  # a precedent the sheet left empty where a number belongs
                    wert = Fehlerwert("Vorgängerzelle leer")
                except ArithmeticError:  # a number beyond Decimal's 28 digits (1e26 €, 1e308): no spreadsheet value
                    wert = Fehlerwert("Zahl außerhalb des Rechenbereichs")
            hinweise = tuple(w.message for w in gemeldet if isinstance(w.message, RegelHinweis))
            if hinweise:
                ergebnis.hinweise[eintrag.schluessel] = hinweise
            if not lokal:
                werte.setzen(eintrag.schluessel, wert)
            ergebnis.werte[eintrag.schluessel] = wert
        return ergebnis

    def erklaeren(self, schluessel: str, eingaben: Mapping[str, object]) -> Spur:
        """How the value of formula cell ``schluessel`` comes about from ``eingaben`` (by key; precedent formula
        cells as given, like ``nachrechnen(lokal=True)``): each value the recomputation reads, the steps and
        parameters of the calculators it calls, and the result — each with its clause, in the order computed."""
        feld = self.feld(schluessel)
        klausel = feld.regel or self.untertitel
        werte = Werte(eingaben)
        werte.klausel = klausel
        werte.orte = {f.schluessel: f"{f.blatt}!{f.zelle}" for f in self.felder}
        werte.ziffern = frozenset(f.schluessel for f in self.felder if f.zahlenformat == "0")  # stil.JAHR
        with verfolgen() as spur:
            if feld.berechnung is not None:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", RegelHinweis)
                    try:
                        wert: object = feld.berechnung(werte)
                    except (Eingabefehler, Folgefehler, TypeError, ArithmeticError) as fehler:
                        wert = f"Fehlerwert ({fehler})"
                schritt(klausel, f"Ergebnis {schluessel}", wert)
        return spur


@dataclass(frozen=True)
class Nachrechnung:
    """Python's values for a form's formula cells, and the notes that came with them, by key."""

    werte: dict[str, Ergebniswert]
    hinweise: dict[str, tuple[RegelHinweis, ...]]
