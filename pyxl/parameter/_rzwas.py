"""RZWas (Bavarian water subsidies): the models of Anlagen 2a/2b and the choice of an edition."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pyxl.parameter._ausgaben import Regelwerk, waehle
from pyxl.parameter._daten import _Daten


def _prozente(modell: _Daten, *namen: str) -> None:
    """Rates in percent: 0 to 100 (the calculators take them as shares of costs)."""
    for name in namen:
        for wert in w if isinstance(w := getattr(modell, name), tuple) else (w,):
            if not 0 <= wert <= 100:
                zahl = str(wert).replace(".", ",")
                raise ValueError(f"{name} = {zahl}: muss ein Prozentsatz von mindestens 0 und höchstens 100 sein")


class Stufentabelle(_Daten):
    """A step table: a size up to ``dn[i]`` takes ``krw[i]`` (next larger listed size)."""

    ref: str
    einheit: str
    dn: tuple[int, ...]
    krw: tuple[Decimal, ...]

    def __post_init__(self) -> None:
        if not self.dn or len(self.dn) != len(self.krw) or list(self.dn) != sorted(set(self.dn)):
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

    def __post_init__(self) -> None:
        _prozente(self, "satz", "satz_ueber_schwelle", "je_weiterem_buero", "hoechstens_zusaetzlich")


class Verfahren(_Daten):
    ref: str
    bezeichnung: str  # as clerks read it in a form's drop-down list
    krw: Decimal


class Druckleitung(_Daten):
    ref: str
    einheit: str
    verfahren: dict[str, Verfahren]

    def __post_init__(self) -> None:
        if not self.verfahren:
            raise ValueError("verfahren: mindestens ein Verfahren")


class Regenbecken(Potenzformel):
    erdbau_krw: Decimal


class Sanierung(_Daten):
    ref: str
    zaehler: int
    nenner: int

    def __post_init__(self) -> None:
        if self.nenner < 1 or self.zaehler < 0:  # a share zaehler / nenner of the costs
            raise ValueError(f"zaehler / nenner = {self.zaehler} / {self.nenner}: nenner mindestens 1, zaehler ≥ 0")


class NachruestungAlt(_Daten):
    ref: str
    vor_jahr: int
    anteil: Decimal

    def __post_init__(self) -> None:
        _prozente(self, "anteil")


class Zuwendungssatzstelle(_Daten):
    ref: str
    einheit: str


class Referenz(_Daten):
    """A clause without numbers of its own, cited by messages and forms (e.g. Nr. 2.9 as a whole)."""

    ref: str


class Anlage2a(_Daten):
    ref: str  # Nr. 2 as a whole: the zwf. costs of Anlage 3a
    nummern_ka_kf: tuple[str, ...]  # Nrn. whose geprüfte Kosten of KA/KF are taken over (no KRW)
    wasserleitung: Stufentabelle
    gebaeude: Gebaeudeformel
    ingenieurzuschlag: Ingenieurzuschlag
    anschlussentgelt: Referenz
    zuwendungssatz: Zuwendungssatzstelle


class Anlage2b(_Daten):
    ref: str  # Nr. 2 as a whole: the zwf. costs of Anlage 3b
    ortsentwaesserung: Potenzformel
    freispiegelleitung: Stufentabelle
    druckleitung: Druckleitung
    pumpstation: Potenzformel
    regenbecken: Regenbecken
    bodenfilter: Potenzformel
    klaeranlage: Potenzformel
    sanierung: Sanierung
    nachruestung: Referenz  # Nr. 2.9 as a whole (which of 2.9.1/2.9.2 applies)
    nachruestung_alt: NachruestungAlt
    nachruestung_neu: Potenzformel
    ingenieurzuschlag: Ingenieurzuschlag
    anschlussentgelt: Referenz
    zuwendungssatz: Zuwendungssatzstelle


class Zuwendungssatz(_Daten):
    ref: str
    foerderschwelle: Decimal
    grenze: Decimal
    a1: Decimal
    b1: Decimal
    a2: Decimal
    b2: Decimal
    max: Decimal
    stellen: int

    def __post_init__(self) -> None:
        _prozente(self, "max")
        if self.stellen < 0:
            raise ValueError(f"stellen = {self.stellen}: nicht negativ")


class Vertrauensschutz(_Daten):
    ref: str
    abzug: tuple[Decimal, ...]

    def __post_init__(self) -> None:
        _prozente(self, "abzug")


class Mengen(_Daten):
    ref: str  # both Anlagen
    ref_wasser: str
    ref_abwasser: str
    ref_kostenpauschale: str


class Meta(_Daten):
    kurz: str
    titel: str
    hinweis: str
    bekanntmachung: dt.date  # the forms' Stand (their workbooks' fixed creation date)


class Ausbaukosten(_Daten):
    ref: str
    ref_einwohner: str  # who counts as Einwohner (Anl. 2a Nr. 1.5)


class RZWasParameter(Regelwerk):
    """One edition of the RZWas Anlagen 2a/2b."""

    familie = "rzwas"
    bezeichnung = "RZWas"

    meta: Meta
    mengen: Mengen
    anl2a: Anlage2a
    anl2b: Anlage2b
    zuwendungssatz: Zuwendungssatz
    ingenieurzuschlag: Referenz  # 2a and 2b together (the function serves both)
    vertrauensschutz: Vertrauensschutz
    ausbaukosten: Ausbaukosten


def rzwas(ausgabe: str | None = None, *, stand: dt.date | None = None) -> RZWasParameter:
    """An RZWas edition by name (``"2005"``), by the date it applies to, or else the one in force today."""
    return waehle("rzwas", ausgabe, stand)  # type: ignore[return-value]
