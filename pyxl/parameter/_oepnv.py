"""VO (EG) 1370/2007 allgemeine Vorschrift: one county's Satzung per file (``oepnv_<kreis>.toml``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from pyxl.parameter._ausgaben import Regelwerk, UnbekannteAusgabe, aus_datei, waehle
from pyxl.parameter._daten import _Daten


class Satz(_Daten):
    satz: Decimal
    ref: str


class NurRef(_Daten):
    ref: str


class OEPNVParameter(Regelwerk):
    """One county's allgemeine Vorschrift (VO 1370): every rate and threshold with its Ziffer."""

    familie = "oepnv"
    bezeichnung = "Satzung nach VO (EG) 1370/2007"
    gruppiert = True  # one series per county
    standardgruppe = "rotenburg"

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


def oepnv(kreis: str = "rotenburg", *, stand: dt.date | None = None) -> OEPNVParameter:
    """A county's Satzung (``oepnv_<kreis>.toml``): the edition valid at ``stand`` or today. ``kreis`` with an
    edition suffix (``rotenburg_2026``) names one file exactly."""
    if "_" in kreis:
        return waehle("oepnv", kreis, stand)  # type: ignore[return-value]
    return waehle("oepnv", None, stand, gruppe=kreis)  # type: ignore[return-value]


def oepnv_aus_datei(pfad: Path) -> OEPNVParameter:
    """A county's Satzung from its own file of the same shape (``--satzung kreis.toml``).

    Raises :class:`UnbekannteAusgabe` (German) when the file is missing or unreadable, pydantic's error when a value
    is missing or of the wrong kind."""
    try:
        return aus_datei(OEPNVParameter, Path(pfad))  # type: ignore[return-value]
    except UnbekannteAusgabe as fehler:
        raise UnbekannteAusgabe(str(fehler).replace("Parameterdatei", "Satzungsdatei", 1)) from None
