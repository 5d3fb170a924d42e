"""Versioned rule parameters: every number of a rule, once, as data with its clause.

A parameter file is TOML read with ``Decimal`` for every non-integer number and checked against its model (frozen
dataclasses below), so a typo in a new edition fails loudly at load time instead of producing a wrong subsidy later.

Loading is quick: data that fit their model exactly (every key known, none missing, each value of its type) are
built directly; anything else goes to pydantic, which converts what it may and names what is wrong
(``pydantic.ValidationError``). pydantic is imported only then — it alone took half of ``pyxl fn``'s start.
"""

from __future__ import annotations

import dataclasses
import tomllib
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, TypeVar, dataclass_transform, get_args, get_origin, get_type_hints

ORDNER = Path(__file__).parent
T = TypeVar("T", bound="_Daten")


@dataclass_transform(frozen_default=True)
class _Daten:
    """A frozen dataclass; unknown keys are refused (``extra="forbid"`` when pydantic validates).

    ``__init__``, ``__eq__``, ``__hash__``, ``__repr__`` and the freezing are written once here, not generated per
    class by ``dataclass()`` (which compiles each with ``exec``: 40 models cost 20 ms of every ``pyxl fn``).
    They behave as ``dataclass(frozen=True)``'s would.
    """

    __pydantic_config__ = {"extra": "forbid"}  # noqa: RUF012 - read by pydantic, never changed
    _namen: tuple[str, ...] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        dataclasses.dataclass(init=False, repr=False, eq=False)(cls)
        cls._namen = tuple(f.name for f in dataclasses.fields(cls))

    def __init__(self, **werte: object) -> None:
        for name in self._namen:
            object.__setattr__(self, name, werte.pop(name))
        if werte:
            raise TypeError(f"{type(self).__qualname__}: unbekannte Felder {', '.join(werte)}")
        if hasattr(self, "__post_init__"):
            self.__post_init__()

    def _werte(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in self._namen)

    def __eq__(self, anderes: object) -> bool:
        if anderes.__class__ is not self.__class__:
            return NotImplemented
        return self._werte() == anderes._werte()  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash(self._werte())

    def __repr__(self) -> str:
        felder = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._namen)
        return f"{type(self).__qualname__}({felder})"

    def __setattr__(self, name: str, wert: object) -> None:
        raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")

    @classmethod
    def model_validate(cls: type[T], daten: object) -> T:
        """pydantic's validation (its conversions, its ``ValidationError`` naming the field)."""
        return _pruefer(cls).validate_python(daten)


@cache
def _pruefer(klasse: type) -> Any:
    from pydantic import TypeAdapter

    return TypeAdapter(klasse)


class _Abweichung(Exception):
    """The data do not fit the model as they are: pydantic decides."""


def _bauen(klasse: type[T], daten: object) -> T:
    """The model from TOML data: directly when they fit exactly, else through pydantic (same values; its errors)."""
    try:
        return _direkt(klasse, daten)
    except (_Abweichung, ValueError):  # ValueError: a model's own check (__post_init__); pydantic words it
        return klasse.model_validate(daten)


def _direkt(klasse: type[T], daten: object) -> T:
    if type(daten) is not dict:
        raise _Abweichung
    felder, pflicht = _felder(klasse)
    if not pflicht <= daten.keys() <= felder.keys():
        raise _Abweichung
    return klasse(**{name: felder[name](wert) for name, wert in daten.items()})


@cache
def _felder(klasse: type) -> tuple[dict[str, Callable[[object], object]], frozenset[str]]:
    # the class's own names first: OEPNVParameter.meta is its nested Meta, not the module's RZWas Meta
    hinweise = get_type_hints(klasse, globalns=globals(), localns=dict(vars(klasse)))
    felder = dataclasses.fields(klasse)
    pflicht = frozenset(
        f.name for f in felder if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
    )
    return {f.name: _umwandler(hinweise[f.name]) for f in felder}, pflicht


def _genau(typ: type) -> Callable[[object], object]:
    def pruefen(wert: object) -> object:
        if type(wert) is not typ:
            raise _Abweichung
        return wert

    return pruefen


def _dezimal(wert: object) -> Decimal:
    if type(wert) is Decimal and wert.is_finite():
        return wert
    if type(wert) is int:
        return Decimal(wert)
    raise _Abweichung


def _liste(wert: object) -> list:
    if type(wert) is not list:
        raise _Abweichung
    return wert


def _umwandler(typ: Any) -> Callable[[object], object]:
    """How a TOML value becomes a field of this type — only where pydantic would give the very same value."""
    if isinstance(typ, type) and issubclass(typ, _Daten):
        return lambda wert: _direkt(typ, wert)
    art, argumente = get_origin(typ), get_args(typ)
    if art is tuple and len(argumente) == 2 and argumente[1] is Ellipsis:
        element = _umwandler(argumente[0])
        return lambda wert: tuple(element(w) for w in _liste(wert))
    if art is frozenset:
        element = _umwandler(argumente[0])
        return lambda wert: frozenset(element(w) for w in _liste(wert))
    if art is dict and argumente[0] is str:
        element = _umwandler(argumente[1])

        def woerterbuch(wert: object) -> dict:
            if type(wert) is not dict or not all(type(k) is str for k in wert):
                raise _Abweichung
            return {k: element(w) for k, w in wert.items()}

        return woerterbuch
    if typ is Decimal:
        return _dezimal
    if typ in (int, str, date):
        return _genau(typ)
    raise TypeError(f"Parametermodell: kein Umwandler für {typ}")  # a new field type: add it here


class Stufentabelle(_Daten):
    """A step table: a size up to ``dn[i]`` takes ``krw[i]`` (next larger listed size)."""

    ref: str
    einheit: str
    dn: tuple[int, ...]
    krw: tuple[Decimal, ...]

    def __post_init__(self) -> None:
        if len(self.dn) != len(self.krw) or list(self.dn) != sorted(set(self.dn)):
            raise ValueError(f"{self.ref}: DN-Stufen und Kostenrichtwerte passen nicht zusammen")


class Potenzformel(_Daten):
    """KRW = a · x^exponent, höchstens max (Anl. 2b)."""

    ref: str
    einheit: str
    a: Decimal
    exponent: Decimal
    max: Decimal


class Gebaeudeformel(_Daten):
    """KRW = a − b · V (Anl. 2a Nr. 2.7)."""

    ref: str
    einheit: str
    a: Decimal
    b: Decimal


class Ingenieurzuschlag(_Daten):
    ref: str
    satz: Decimal
    satz_ueber_schwelle: Decimal
    schwelle: Decimal
    je_weiterem_buero: Decimal
    hoechstens_zusaetzlich: Decimal
    basis: str


class Verfahren(_Daten):
    ref: str
    bezeichnung: str  # as clerks read it in a form's drop-down list
    krw: Decimal


class Druckleitung(_Daten):
    ref: str
    einheit: str
    verfahren: dict[str, Verfahren]


class Regenbecken(Potenzformel):
    erdbau_krw: Decimal


class Sanierung(_Daten):
    ref: str
    zaehler: int
    nenner: int


class NachruestungAlt(_Daten):
    ref: str
    vor_jahr: int
    anteil: Decimal


class Zuwendungssatzstelle(_Daten):
    ref: str
    einheit: str


class Anlage2a(_Daten):
    wasserleitung: Stufentabelle
    gebaeude: Gebaeudeformel
    ingenieurzuschlag: Ingenieurzuschlag
    zuwendungssatz: Zuwendungssatzstelle


class Anlage2b(_Daten):
    ortsentwaesserung: Potenzformel
    freispiegelleitung: Stufentabelle
    druckleitung: Druckleitung
    pumpstation: Potenzformel
    regenbecken: Regenbecken
    bodenfilter: Potenzformel
    klaeranlage: Potenzformel
    sanierung: Sanierung
    nachruestung_alt: NachruestungAlt
    nachruestung_neu: Potenzformel
    ingenieurzuschlag: Ingenieurzuschlag
    zuwendungssatz: Zuwendungssatzstelle


class Zuwendungssatz(_Daten):
    foerderschwelle: Decimal
    grenze: Decimal
    a1: Decimal
    b1: Decimal
    a2: Decimal
    b2: Decimal
    max: Decimal
    stellen: int


class Vertrauensschutz(_Daten):
    ref: str
    abzug: tuple[Decimal, ...]


class Mengen(_Daten):
    ref_wasser: str
    ref_abwasser: str
    ref_kostenpauschale: str


class Meta(_Daten):
    kurz: str
    titel: str
    hinweis: str


class Referenz(_Daten):
    ref: str


class RZWasParameter(_Daten):
    """One edition of the RZWas Anlagen 2a/2b."""

    meta: Meta
    mengen: Mengen
    anl2a: Anlage2a
    anl2b: Anlage2b
    zuwendungssatz: Zuwendungssatz
    vertrauensschutz: Vertrauensschutz
    ausbaukosten: Referenz

    def regel(self, ref: str) -> str:
        """Full citation as users read it: ``RZWas 2005 Anl. 2b Nr. 2.7``."""
        return ref if ref.startswith(self.meta.kurz) else f"{self.meta.kurz} {ref}"


class UnbekannteAusgabe(LookupError):
    """No parameter file for the asked edition; the message lists the ones there are."""


def lade_toml(name: str) -> dict:
    """Read ``pyxl/parameter/<name>.toml`` with every non-integer number as Decimal."""
    datei = ORDNER / f"{name}.toml"
    if not datei.is_file():
        art = name.split("_")[0]  # rzwas_1999 -> the rzwas editions there are
        vorhanden = sorted(p.stem for p in ORDNER.glob(f"{art}*.toml"))
        raise UnbekannteAusgabe(f"Keine Parameterdatei „{name}“ (vorhanden: {', '.join(vorhanden)})")
    return tomllib.loads(datei.read_text(encoding="utf-8"), parse_float=Decimal)


@cache
def rzwas(ausgabe: str = "2005") -> RZWasParameter:
    """The parameters of one RZWas edition (default: 2005)."""
    return _bauen(RZWasParameter, lade_toml(f"rzwas_{ausgabe}"))


class Summenzeile(_Daten):
    zeile: int
    aus: tuple[int, ...]


class Planschema(_Daten):
    """The row scheme of one budget plan (keys explained at the top of ``nkf_nrw.toml``)."""

    name: str
    ref: str  # the clause a finding cites
    art: str  # "ergebnis" | "finanz"
    ebene: str  # "teil" | "gesamt" | "beide"
    titel: tuple[str, ...]
    zeilen: int  # rows of the Muster
    bezeichnungen: tuple[str, ...]  # rows 1 … n, possibly past the Muster
    aufwand: frozenset[int]
    minderung: frozenset[int]
    frei: frozenset[int]
    saldo_frei: frozenset[int]
    summen: tuple[Summenzeile, ...]

    def __post_init__(self) -> None:
        letzte = len(self.bezeichnungen)
        if (
            self.zeilen > letzte
            or self.art not in ("ergebnis", "finanz")
            or self.ebene not in ("teil", "gesamt", "beide")
        ):
            raise ValueError(f"{self.name}: Zeilenzahl, Art oder Ebene passt nicht")
        for summe in self.summen:  # parts before their sum: the list order is an order of computation
            if not all(1 <= t < summe.zeile <= letzte for t in summe.aus):
                raise ValueError(f"{self.name}: Summenzeile {summe.zeile} nennt Zeilen außerhalb des Schemas")
        if not (self.aufwand | self.minderung | self.frei | self.saldo_frei) <= set(range(1, letzte + 1)):
            raise ValueError(f"{self.name}: Zeilenliste außerhalb des Schemas")


class NKFMeta(_Daten):
    kurz: str
    land: str
    ref: str
    rundung: Decimal


class NKFParameter(_Daten):
    """One state's plan schemes; ``spalten``: the column headings of pyxl's templates (NRW only)."""

    meta: NKFMeta
    schemata: dict[str, Planschema]
    spalten: dict[str, tuple[str, ...]]

    @property
    def teilergebnisplan(self) -> Planschema:
        return self.schemata["teilergebnisplan"]

    @property
    def teilfinanzplan(self) -> Planschema:
        return self.schemata["teilfinanzplan"]


@cache
def nkf(land: str = "nrw") -> NKFParameter:
    return _bauen(NKFParameter, lade_toml(f"nkf_{land}"))


def nkf_laender() -> tuple[str, ...]:
    """The states whose plan schemes are data here (``nkf_<land>.toml``), NRW first."""
    laender = sorted(p.stem.removeprefix("nkf_") for p in ORDNER.glob("nkf_*.toml"))
    return tuple(sorted(laender, key=lambda land: land != "nrw"))


class Berichtsstatistik(_Daten):
    ref: str
    stellen: int


@cache
def berichtsstatistik() -> Berichtsstatistik:
    return _bauen(Berichtsstatistik, lade_toml("berichtsstatistik"))


class Satz(_Daten):
    satz: Decimal
    ref: str


class NurRef(_Daten):
    ref: str


class OEPNVParameter(_Daten):
    """One county's allgemeine Vorschrift (VO 1370): every rate and threshold with its Ziffer."""

    class Meta(_Daten):
        kurz: str
        titel: str
        erstes_ausgleichsjahr: int

    class Bagatell(_Daten):
        betrag: Decimal
        ref: str

    class Finanzierung(_Daten):
        landkreis: Decimal
        land: Decimal
        ref: str

    class Bonus(_Daten):
        anteil: Decimal
        hoechstens: Decimal
        ref: str

    class Abschlaege(_Daten):
        anteil: Decimal
        raten: int
        ref: str

    class Zins(_Daten):
        aufschlag: Decimal
        tage_im_jahr: int
        ref: str

    class Trennungsrechnung(_Daten):
        ref: str
        teilnetze: tuple[str, ...]
        ertraege: tuple[str, ...]
        aufwendungen: tuple[str, ...]
        leistungsdaten: tuple[str, ...]
        schluessel: tuple[str, ...]
        rundung: Decimal

    class ExAnte(_Daten):
        ref: str
        indizes: tuple[str, ...]
        ohne_ausgleich: str  # the revenue position that is the unknown itself, not a relevant revenue (3.7)

    meta: Meta
    exante: ExAnte
    trennungsrechnung: Trennungsrechnung
    wagnis: Satz
    gewinn: Satz
    deckelung: Satz
    begruendung: Satz
    bagatell: Bagatell
    finanzierung: Finanzierung
    unterdeckung: Satz
    gesamtausgleich: NurRef
    leistungsaenderung: Satz
    ausfall: NurRef
    bonus: Bonus
    ausgleich: NurRef
    abschlaege: Abschlaege
    zins: Zins
    ereignis: Satz

    def regel(self, ref: str) -> str:
        return f"{self.meta.kurz} {ref}"


@cache
def oepnv(kreis: str = "rotenburg") -> OEPNVParameter:
    """A county's Satzung shipped with pyxl (``oepnv_<kreis>.toml``; default: Rotenburg (Wümme))."""
    return _bauen(OEPNVParameter, lade_toml(f"oepnv_{kreis}"))


def oepnv_aus_datei(pfad: Path) -> OEPNVParameter:
    """A county's Satzung from its own file of the same shape (a county keeps its numbers where it likes).

    Raises :class:`UnbekannteAusgabe` (German) when the file is missing or unreadable, pydantic's error when a value
    is missing or of the wrong kind."""
    try:
        return _bauen(OEPNVParameter, tomllib.loads(pfad.read_text(encoding="utf-8"), parse_float=Decimal))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as fehler:
        raise UnbekannteAusgabe(f"Satzungsdatei {pfad} nicht lesbar: {fehler}") from None


class Basiszins(_Daten):
    class Eintrag(_Daten):
        ab: date
        satz: Decimal

    ref: str
    werte: tuple[Eintrag, ...]


@cache
def basiszinssatz() -> Basiszins:
    return _bauen(Basiszins, lade_toml("basiszinssatz"))
