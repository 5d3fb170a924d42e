"""VO (EG) 1370/2007 allgemeine Vorschrift: one county's Satzung per file (``oepnv_<kreis>.toml``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from pyxl.parameter._ausgaben import Regelwerk, UnbekannteAusgabe, aus_datei, waehle_benannt
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
        stand: dt.date  # the text the forms follow (last amendment): their fixed creation date

    class Ziffern(_Daten):
        """Clauses the calculators and forms cite for a rule without a number of its own (the numbers' clauses sit
        beside them): another county may number its Satzung differently."""

        exante_formel: str  # reading of the ex ante formula: structural deficit, the formula, no overpayment
        exante: str  # the ex ante amount and its inputs
        basisjahr: str  # Ausgleichsjahr n + 1 from the base year n − 1
        vergleichswert: str  # costs of an average, well-run company
        massgeblich: str  # the relevant value of a position (own costs or the lower Vergleichswert)
        teilnetze: str
        anlage1: str  # Fahrplan-km of the Basisverkehrsleistung
        neubestimmung: str  # Fahrplan-km change beyond ± the rate of [leistungsaenderung]
        expost: str  # the ex post check of an Ausgleichsjahr
        expost_aufbau: str  # what the ex post form follows as a whole (its footer)
        soll_kosten: str
        soll_einnahmen: str
        exante_gewaehrt: str
        ist_werte: str
        hoechstbetrag: str  # overcompensation limit with the profit on the Umsatz including the compensation
        kosten_anreiz: str  # K = min(K_ist; K_soll)
        einnahmen_anreiz: str  # E = max(E_ist; E_soll)
        ausgleich_expost: str  # Ausgleich = min(ex ante; max(0; A))
        ueberzahlung: str
        rueckforderung: str  # an overpayment is claimed back with interest
        zahlungen: str  # payments and claims after the check
        uebersicht: str  # the county's overview of an Ausgleichsjahr
        zuordnung: str  # allocation of the Gesamtausgleich to the Teilnetze by Fahrplan-km
        anlage1_ohne_leistung: str  # Fahrplan-km in a Teilnetz Anlage 1 does not give the company
        anlage1_abweichung: str  # Fahrplan-km differ from Anlage 1

    class Formulare(_Daten):
        """Each VO 1370 form's subtitle: where in the county's Satzung it belongs."""

        exante: str
        expost: str
        uebersicht: str
        trennungsrechnung: str

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
    ziffern: Ziffern
    formulare: Formulare
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

    def __post_init__(self) -> None:
        t = self.trennungsrechnung
        # rates the calculators use as 1 − r (gewinn: A = … / (1 − r)) must stay below 100 %
        _prozent("gewinn.satz", self.gewinn.satz, unter_100=True)
        for name in ("wagnis", "deckelung", "begruendung", "unterdeckung", "leistungsaenderung", "ereignis"):
            _prozent(f"{name}.satz", getattr(self, name).satz)
        for name in ("anteil", "hoechstens"):
            _prozent(f"bonus.{name}", getattr(self.bonus, name))
        _prozent("abschlaege.anteil", self.abschlaege.anteil)
        _prozent("zins.aufschlag", self.zins.aufschlag)
        _prozent("finanzierung.landkreis", self.finanzierung.landkreis)
        _prozent("finanzierung.land", self.finanzierung.land)
        if self.finanzierung.landkreis + self.finanzierung.land != 100:  # the Land pays the rest of the county's
            raise ValueError(
                "Schlüssel finanzierung.landkreis und finanzierung.land: die Anteile müssen zusammen 100 ergeben"
            )
        if self.abschlaege.raten < 1:
            raise ValueError(f"Schlüssel abschlaege.raten = {self.abschlaege.raten}: mindestens 1 Rate")
        if self.zins.tage_im_jahr not in (360, 365, 366):
            raise ValueError(f"Schlüssel zins.tage_im_jahr = {self.zins.tage_im_jahr}: erlaubt sind 360, 365 oder 366")
        for name, betrag in (("bagatell.betrag", self.bagatell.betrag), ("trennungsrechnung.rundung", t.rundung)):
            if betrag < 0:
                raise ValueError(f"Schlüssel {name} ist negativ")
        listen = {f"trennungsrechnung.{n}": getattr(t, n) for n in ("teilnetze", "ertraege", "aufwendungen",
                                                                   "leistungsdaten", "schluessel")}  # fmt: skip
        for name, liste in {**listen, "exante.indizes": self.exante.indizes}.items():
            if not liste:
                raise ValueError(f"Schlüssel {name} ist eine leere Liste")
            if doppelt := sorted({e for e in liste if liste.count(e) > 1}):
                raise ValueError(f"Schlüssel {name}: „{doppelt[0]}“ steht mehrfach in der Liste")
        if self.exante.ohne_ausgleich not in t.ertraege:
            raise ValueError(f"exante.ohne_ausgleich „{self.exante.ohne_ausgleich}“ ist keine Ertragsposition")
        if "Fahrplan-km" not in t.leistungsdaten:
            raise ValueError("Trennungsrechnung: Leistungsdaten ohne „Fahrplan-km“")

    def regel(self, ref: str) -> str:
        return f"{self.meta.kurz} {ref}"


def _prozent(name: str, wert: Decimal, *, unter_100: bool = False) -> None:
    if not (0 <= wert < 100 if unter_100 else 0 <= wert <= 100):
        grenze = "kleiner als 100" if unter_100 else "höchstens 100"
        zahl = str(wert).replace(".", ",")
        raise ValueError(f"Schlüssel {name} = {zahl}: muss ein Prozentsatz von mindestens 0 und {grenze} sein")


def oepnv(kreis: str = "rotenburg", *, stand: dt.date | None = None) -> OEPNVParameter:
    """A county's Satzung: of its series (``reihe`` in ``[ausgabe]``, else the file's key) the edition valid at
    ``stand`` or today. A key that is no series (``rotenburg_2026``, an edition of „rotenburg“) names one file."""
    return waehle_benannt("oepnv", kreis, stand)  # type: ignore[return-value]


def oepnv_aus_datei(pfad: Path) -> OEPNVParameter:
    """A county's Satzung from its own file of the same shape (``--satzung kreis.toml``).

    Raises :class:`UnbekannteAusgabe` (German) when the file is missing or unreadable, pydantic's error when a value
    is missing or of the wrong kind."""
    try:
        return aus_datei(OEPNVParameter, Path(pfad))  # type: ignore[return-value]
    except UnbekannteAusgabe as fehler:
        raise UnbekannteAusgabe(str(fehler).replace("Parameterdatei", "Satzungsdatei", 1)) from None
