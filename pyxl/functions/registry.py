"""The one declaration of every Excel function.

A calculator becomes an Excel function by the :func:`excel_funktion` decorator; its arguments carry their Excel
name and German help in ``Annotated[..., Arg(...)]``. From that declaration alone come the command line
(``pyxl fn``), the xlwings adapters and the function reference ``docs/funktionen.md``.

A calculator's keyword-only parameters annotated with a parameter set (``*, regeln: RZWasParameter | None``) are
not Excel arguments: :meth:`Funktion.auswerten` chooses the set (by name, by date or the current edition) and
passes it. Help text, clause and area may be written as functions of that set, so they quote its numbers.
"""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, get_args, get_origin, get_type_hints

from pyxl.functions import spur as spuren
from pyxl.functions.fehler import Eingabefehler, RegelHinweis, zeige
from pyxl.functions.zahlen import Mehrdeutig, Zahlfehler, als_decimal, lies_zahl
from pyxl.parameter import Regelwerk, waehle

Text = str | Callable[[Any], str]  # a text, or one computed from the function's parameter set


@dataclass(frozen=True)
class Arg:
    """Excel name and German help of one argument (used inside ``Annotated``); the help may be a function of the
    calculator's parameter set, so it quotes the edition's numbers."""

    name: str
    hilfe: Text


@dataclass(frozen=True)
class Argument:
    name: str
    hilfe_text: Text = field(repr=False)
    typ: type  # Decimal, str or list (a range): what the calculator receives
    optional: bool
    standard: Any
    leer_erlaubt: bool = False  # annotated "| None": an empty cell is a meaningful answer
    familie: type[Regelwerk] | None = None  # whose current edition a help text given as a function quotes

    @property
    def hilfe(self) -> str:
        if isinstance(self.hilfe_text, str) or self.familie is None:
            return str(self.hilfe_text)
        return self.hilfe_text(waehle(self.familie.familie, None, None, gruppe=self.familie.standardgruppe))


@dataclass(frozen=True)
class Ergebnis:
    """A function's value with the notes the rule attaches to it (e.g. "Kappung angewandt")."""

    wert: Decimal | list[Decimal]  # a list: the function returns a column (an array formula in Excel)
    hinweise: tuple[RegelHinweis, ...] = ()
    regelwerke: tuple[Regelwerk, ...] = ()  # the parameter sets it was computed with
    spur: spuren.Spur | None = None  # the trace, when asked for

    def regeln_json(self) -> list[dict[str, object]]:
        """``rules`` of an output: each parameter set with its edition and fingerprint."""
        return [r.herkunft() for r in self.regelwerke]


class Aufruffehler(ValueError):
    """The call itself is wrong (unknown name, wrong number of arguments): German text."""


@dataclass(frozen=True)
class Regelwerkparameter:
    """A keyword-only parameter of a calculator that receives a parameter set."""

    name: str  # "regeln", "satzung", "basiszins"
    klasse: type[Regelwerk]


@dataclass(frozen=True)
class Funktion:
    name: str
    texte: dict[str, Text] = field(repr=False)  # hilfe, einheit, regel, bereich
    argumente: tuple[Argument, ...]
    berechnung: Callable[..., Decimal] = field(repr=False)
    regelwerkparameter: tuple[Regelwerkparameter, ...] = ()

    def text(self, art: str, regelwerke: Sequence[Regelwerk] = ()) -> str:
        """Help, unit, clause or area as the given parameter sets (default: the current ones) state it."""
        text = self.texte[art]
        if isinstance(text, str):
            return text
        haupt = regelwerke[0] if regelwerke else self.regelwerke()[0]
        return text(haupt)

    @property
    def hilfe(self) -> str:
        return self.text("hilfe")

    @property
    def einheit(self) -> str:
        return self.text("einheit")

    @property
    def regel(self) -> str:
        return self.text("regel")

    @property
    def bereich(self) -> str:
        return self.text("bereich")

    def regelwerke(
        self,
        *,
        stand: dt.date | None = None,
        ausgaben: Mapping[str, str] | None = None,
        vorgegeben: Mapping[str, Regelwerk] | None = None,
    ) -> tuple[Regelwerk, ...]:
        """The parameter sets of one call: given ones by family, else by name (``ausgaben``: family → key), else
        the edition valid at ``stand``, else the current one. A given set must be valid at ``stand`` too, and a
        family is given one way only. Raises :class:`~pyxl.parameter.UnbekannteAusgabe`."""
        from pyxl.parameter import Gueltigkeit, KeineAusgabeZumStand, UnbekannteAusgabe

        gewaehlt = []
        for parameter in self.regelwerkparameter:
            familie = parameter.klasse.familie
            if vorgegeben and familie in vorgegeben:
                gegeben = vorgegeben[familie]
                if ausgaben and familie in ausgaben:  # two answers to one question: neither silently wins
                    raise UnbekannteAusgabe(
                        f"{parameter.klasse.bezeichnung}: zugleich als Datei ({gegeben.ausgabe.name}) und nach Namen "
                        f"(„{ausgaben[familie]}“) angegeben – bitte nur eines"
                    )
                # its own validity: a set from outside the search folders has no series to close an open end
                gueltig = Gueltigkeit(gegeben.ausgabe.gueltig_ab, gegeben.ausgabe.gueltig_bis)
                if stand is not None and not gueltig.umfasst(stand):
                    raise KeineAusgabeZumStand(
                        f"{gegeben.ausgabe.name} gilt nicht zum Stand {stand.strftime('%d.%m.%Y')} "
                        f"(gültig {gueltig.deutsch()})"
                    )
                gewaehlt.append(gegeben)
                continue
            schluessel = (ausgaben or {}).get(familie)
            gruppe = parameter.klasse.standardgruppe if schluessel is None else ""
            gewaehlt.append(waehle(familie, schluessel, stand, gruppe=gruppe))
        return tuple(gewaehlt)

    @property
    def signatur(self) -> str:
        """``RZW_ZUWENDUNGSSATZ(AK; [Vertrauensschutz])``, as Excel's function wizard writes it in German."""
        teile = [f"[{a.name}]" if a.optional else a.name for a in self.argumente]
        return f"{self.name}({'; '.join(teile)})"

    def auswerten(
        self,
        werte: Sequence[object],
        *,
        stand: dt.date | None = None,
        ausgaben: Mapping[str, str] | None = None,
        regelwerke: Mapping[str, Regelwerk] | None = None,
        erklaeren: bool = False,
    ) -> Ergebnis:
        """Evaluate with values as they come from a cell or the command line (text, float, Decimal, empty).

        The parameter sets: see :meth:`regelwerke`. ``erklaeren``: record the trace (steps, parameters read).
        Raises :class:`Eingabefehler` (bad value, German, with the clause), :class:`Aufruffehler`, or
        :class:`~pyxl.parameter.UnbekannteAusgabe` (no edition for that name or date).
        """
        gewaehlt = self.regelwerke(stand=stand, ausgaben=ausgaben, vorgegeben=regelwerke)
        if not erklaeren:
            return self._auswerten(werte, gewaehlt)
        with spuren.verfolgen() as spur:
            ergebnis = self._auswerten(werte, gewaehlt, beobachten=True)
            spuren.schritt(self.text("regel", gewaehlt), f"Ergebnis {self.name}", ergebnis.wert)
        return Ergebnis(ergebnis.wert, ergebnis.hinweise, ergebnis.regelwerke, spur)

    def _auswerten(
        self, werte: Sequence[object], gewaehlt: tuple[Regelwerk, ...], *, beobachten: bool = False
    ) -> Ergebnis:
        pflicht = sum(not a.optional for a in self.argumente)
        if not pflicht <= len(werte) <= len(self.argumente):
            anzahl = str(pflicht) if pflicht == len(self.argumente) else f"{pflicht} bis {len(self.argumente)}"
            raise Aufruffehler(
                f"{self.name} erwartet {anzahl} Argumente, erhalten: {len(werte)} – Aufruf: {self.signatur}"
            )
        regel = self.text("regel", gewaehlt)  # messages cite the edition chosen for this call
        aufruf: list[object] = []
        for argument, wert in zip(self.argumente, werte, strict=False):
            aufruf.append(self._umwandeln(argument, wert, regel))
        aufruf.extend(a.standard for a in self.argumente[len(werte) :])
        sets = {
            p.name: spuren.beobachtet(r) if beobachten else r
            for p, r in zip(self.regelwerkparameter, gewaehlt, strict=True)
        }
        with warnings.catch_warnings(record=True) as gemeldet:
            warnings.simplefilter("always", RegelHinweis)
            try:
                wert = self.berechnung(*aufruf, **sets)
            except ArithmeticError:  # decimal.InvalidOperation, OverflowError: beyond 28 digits, e.g. ÷ 1E-300
                raise self._nicht_berechenbar(aufruf, regel) from None
        hinweise = tuple(w.message for w in gemeldet if isinstance(w.message, RegelHinweis))
        return Ergebnis(wert, hinweise, gewaehlt)

    def _nicht_berechenbar(self, aufruf: Sequence[object], regel: str) -> Eingabefehler:
        """Each input within 15 digits, yet an intermediate result beyond Decimal's 28: name the input of the most
        extreme order of magnitude (a divisor near 0, a factor near the limit) — the likeliest cause."""
        kandidaten = []
        for argument, wert in zip(self.argumente, aufruf, strict=False):
            for nummer, zelle in enumerate(wert if isinstance(wert, list) else [wert], 1):
                if isinstance(zelle, int | float | Decimal) and not isinstance(zelle, bool) and zelle:
                    feld = f"{argument.name}[{nummer}]" if isinstance(wert, list) else argument.name
                    kandidaten.append((abs(als_decimal(zelle).adjusted()), feld, zelle))
        _, feld, wert = max(kandidaten, default=(0, "Eingaben", None), key=lambda k: k[0])
        return Eingabefehler(
            feld, wert, "mit diesem Wert nicht berechenbar: ein Zwischenergebnis übersteigt 28 Stellen", regel
        )

    def _umwandeln(self, argument: Argument, wert: object, regel: str) -> object:
        if wert is None or (isinstance(wert, str) and not wert.strip()):
            if argument.optional:
                return argument.standard
            if argument.leer_erlaubt:
                return None
            raise Eingabefehler(argument.name, wert, "Pflichtangabe fehlt", regel)
        if argument.typ is dt.date:
            return wert  # text, serial number or date: the calculator reads it as a date
        if argument.typ is list:
            if isinstance(wert, str):  # command line: values separated by ";" (the comma is the decimal comma)
                teile = [teil.strip() or None for teil in wert.split(";")]
                return [self._listenwert(argument, nummer, t, regel) for nummer, t in enumerate(teile, 1)]
            if isinstance(wert, list | tuple):  # a range: rows of cells, flattened
                return [z for zeile in wert for z in (zeile if isinstance(zeile, list | tuple) else [zeile])]
            return [wert]
        if argument.typ is str:
            if isinstance(wert, str):
                return wert
            raise Eingabefehler(argument.name, wert, "Text erwartet", regel)
        if isinstance(wert, str):
            try:
                return lies_zahl(wert, dezimalpunkt=True)
            except Zahlfehler as fehler:
                raise Eingabefehler(argument.name, wert, str(fehler), regel) from None
        return wert  # numbers go to the calculator, which checks their domain

    def _listenwert(self, argument: Argument, nummer: int, text: str | None, regel: str) -> object:
        """One value of a ";"-separated list: a number, else kept as text (a date, an empty cell) — but a number
        two readers would read differently is refused, never guessed."""
        if text is None:
            return None
        try:
            return lies_zahl(text, dezimalpunkt=True)
        except Mehrdeutig as fehler:
            raise Eingabefehler(f"{argument.name}[{nummer}]", text, str(fehler), regel) from None
        except Zahlfehler:
            return text


REGISTER: dict[str, Funktion] = {}


def excel_funktion(
    name: str, *, hilfe: Text, einheit: Text, regel: Text, bereich: Text
) -> Callable[[Callable[..., Decimal]], Callable[..., Decimal]]:
    """Declare a calculator as the Excel function ``name``; the calculator itself stays a plain function.
    A text given as a function receives the function's (first) parameter set."""

    def registrieren(berechnung: Callable[..., Decimal]) -> Callable[..., Decimal]:
        if name in REGISTER:
            raise RuntimeError(f"Excel-Funktion {name} ist doppelt deklariert")
        texte = {"hilfe": hilfe, "einheit": einheit, "regel": regel, "bereich": bereich}
        sets = _regelwerkparameter(berechnung)
        argumente = _argumente(berechnung, sets[0].klasse if sets else None)
        if not sets and any(callable(t) for t in [*texte.values(), *(a.hilfe_text for a in argumente)]):
            raise RuntimeError(f"{name}: Texte aus Parametern, aber kein Parametersatz-Argument")
        REGISTER[name] = Funktion(name, texte, argumente, berechnung, sets)
        return berechnung

    return registrieren


def _regelwerkparameter(berechnung: Callable[..., Decimal]) -> tuple[Regelwerkparameter, ...]:
    """The keyword-only parameters whose annotation is a parameter set (``X`` or ``X | None``)."""
    hinweise = get_type_hints(berechnung)
    gefunden = []
    for parameter in inspect.signature(berechnung).parameters.values():
        if parameter.kind is not parameter.KEYWORD_ONLY:
            continue
        typ = hinweise.get(parameter.name)
        kandidaten = get_args(typ) if get_origin(typ) is not None else (typ,)
        for kandidat in kandidaten:
            if isinstance(kandidat, type) and issubclass(kandidat, Regelwerk):
                gefunden.append(Regelwerkparameter(parameter.name, kandidat))
    return tuple(gefunden)


def _argumente(berechnung: Callable[..., Decimal], familie: type[Regelwerk] | None) -> tuple[Argument, ...]:
    hinweise = get_type_hints(berechnung, include_extras=True)
    argumente = []
    for parameter in inspect.signature(berechnung).parameters.values():
        annotation = hinweise.get(parameter.name)
        if parameter.kind is not parameter.POSITIONAL_OR_KEYWORD or annotation is None:
            continue  # keyword-only parameters (e.g. a parameter edition) are not Excel arguments
        metadaten = [m for m in getattr(annotation, "__metadata__", ()) if isinstance(m, Arg)]
        if not metadaten:
            raise RuntimeError(f"{berechnung.__name__}: Argument {parameter.name} ohne Arg(...)-Deklaration")
        basistyp = get_args(annotation)[0]
        leer_erlaubt = get_origin(basistyp) is not None and type(None) in get_args(basistyp)
        if leer_erlaubt:  # Decimal | None
            basistyp = next(t for t in get_args(basistyp) if t is not type(None))
        optional = parameter.default is not inspect.Parameter.empty
        argumente.append(
            Argument(
                metadaten[0].name,
                metadaten[0].hilfe,
                basistyp if basistyp in (str, list, dt.date) else Decimal,
                optional,
                parameter.default if optional else None,
                leer_erlaubt,
                familie,
            )
        )
    return tuple(argumente)


# The modules that declare functions, in the register's order (docs, Excel's list), and which name prefix each
# declares: `pyxl fn RZW_…` imports one family and loads its parameters, not every rule's (issue 12, point 6).
MODULE = ("kennzahlen", "oepnv", "rzwas_krw", "rzwas_zuwendung")
FAMILIEN = (("RZW_KRW_", "rzwas_krw"), ("RZW_", "rzwas_zuwendung"), ("OEPNV_", "oepnv"), ("KZ_", "kennzahlen"))


_GELADEN: set[str] = set()  # filled by alle(): then the register is complete and in order


def _lade(modul: str) -> None:
    importlib.import_module(f"pyxl.functions.{modul}")


def alle() -> dict[str, Funktion]:
    """The complete register: every family imported, in the order of :data:`MODULE` whatever was loaded first."""
    if len(_GELADEN) < len(MODULE):
        for modul in MODULE:
            _lade(modul)
        reihenfolge = {f"pyxl.functions.{m}": i for i, m in enumerate(MODULE)}
        geordnet = sorted(REGISTER.values(), key=lambda f: reihenfolge[f.berechnung.__module__])  # stable
        REGISTER.clear()
        REGISTER.update((f.name, f) for f in geordnet)
        _GELADEN.update(MODULE)
    return REGISTER


def funktion(name: str) -> Funktion:
    """Look a function up by its Excel name (case-insensitive, like Excel); imports only its family."""
    schluessel = name.strip().upper()
    if schluessel not in REGISTER:
        modul = next((m for praefix, m in FAMILIEN if schluessel.startswith(praefix)), None)
        if modul is not None:
            _lade(modul)
        if schluessel not in REGISTER:
            alle()  # a name outside the prefixes: the whole register decides
    gefunden = REGISTER.get(schluessel)
    if gefunden is None:
        raise Aufruffehler(f"Unbekannte Funktion „{name}“ – Liste: pyxl fn --list")
    return gefunden


__all__ = [
    "REGISTER",
    "Arg",
    "Aufruffehler",
    "Eingabefehler",
    "Ergebnis",
    "Funktion",
    "alle",
    "excel_funktion",
    "funktion",
    "zeige",
]
