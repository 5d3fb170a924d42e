"""Versioned rule parameters: every number of a rule, once, as data with its clause.

A parameter file is TOML read with ``Decimal`` for every non-integer number and validated by a pydantic model,
so a typo in a new edition fails loudly at load time instead of producing a wrong subsidy later.
"""

from __future__ import annotations

import tomllib
from datetime import date
from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import Path

from pydantic import BaseModel, ConfigDict, model_validator


class _Daten(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Stufentabelle(_Daten):
    """A step table: a size up to ``dn[i]`` takes ``krw[i]`` (next larger listed size)."""

    ref: str
    einheit: str
    dn: tuple[int, ...]
    krw: tuple[Decimal, ...]

    @model_validator(mode="after")
    def _gleich_lang_und_steigend(self) -> Stufentabelle:
        if len(self.dn) != len(self.krw) or list(self.dn) != sorted(set(self.dn)):
            raise ValueError(f"{self.ref}: DN-Stufen und Kostenrichtwerte passen nicht zusammen")
        return self


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
    datei = resources.files(__name__).joinpath(f"{name}.toml")
    if not datei.is_file():
        art = name.split("_")[0]  # rzwas_1999 -> the rzwas editions there are
        vorhanden = sorted(
            p.name.removesuffix(".toml")
            for p in resources.files(__name__).iterdir()
            if p.name.endswith(".toml") and p.name.startswith(art)
        )
        raise UnbekannteAusgabe(f"Keine Parameterdatei „{name}“ (vorhanden: {', '.join(vorhanden)})")
    return tomllib.loads(datei.read_text(encoding="utf-8"), parse_float=Decimal)


@cache
def rzwas(ausgabe: str = "2005") -> RZWasParameter:
    """The parameters of one RZWas edition (default: 2005)."""
    return RZWasParameter.model_validate(lade_toml(f"rzwas_{ausgabe}"))


class Summenzeile(_Daten):
    zeile: int
    aus: tuple[int, ...]


class Planschema(_Daten):
    """The row scheme of one NKF plan: which rows are expenses, which rows sum which."""

    name: str
    zeilen: int
    aufwand: frozenset[int]
    summen: tuple[Summenzeile, ...]


class NKFMeta(_Daten):
    kurz: str
    ref: str
    rundung: Decimal


class NKFListen(_Daten):
    teilergebnisplan: tuple[str, ...]
    teilfinanzplan: tuple[str, ...]


class NKFFrei(_Daten):
    teilergebnisplan: frozenset[int]
    teilfinanzplan: frozenset[int]


class NKFSpalten(NKFListen):
    frei: NKFFrei


class NKFParameter(_Daten):
    meta: NKFMeta
    teilergebnisplan: Planschema
    teilfinanzplan: Planschema
    bezeichnungen: NKFListen
    spalten: NKFSpalten

    @model_validator(mode="after")
    def _vollstaendig(self) -> NKFParameter:
        for art in ("teilergebnisplan", "teilfinanzplan"):
            if len(getattr(self.bezeichnungen, art)) != getattr(self, art).zeilen:
                raise ValueError(f"{art}: Zahl der Zeilenbezeichnungen passt nicht zum Zeilenschema")
        return self


@cache
def nkf(land: str = "nrw") -> NKFParameter:
    return NKFParameter.model_validate(lade_toml(f"nkf_{land}"))


class Berichtsstatistik(_Daten):
    ref: str
    stellen: int


@cache
def berichtsstatistik() -> Berichtsstatistik:
    return Berichtsstatistik.model_validate(lade_toml("berichtsstatistik"))


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
    return OEPNVParameter.model_validate(lade_toml(f"oepnv_{kreis}"))


def oepnv_aus_datei(pfad: Path) -> OEPNVParameter:
    """A county's Satzung from its own file of the same shape (a county keeps its numbers where it likes).

    Raises :class:`UnbekannteAusgabe` (German) when the file is missing or unreadable, pydantic's error when a value
    is missing or of the wrong kind."""
    try:
        return OEPNVParameter.model_validate(tomllib.loads(pfad.read_text(encoding="utf-8"), parse_float=Decimal))
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
    return Basiszins.model_validate(lade_toml("basiszinssatz"))
