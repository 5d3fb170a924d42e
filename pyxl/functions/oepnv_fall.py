"""A whole case of one Ausgleichsjahr in one call — ex ante for all companies against the Gesamtausgleich, and
the ex post check per company: every step, each with its Ziffer.

Order per company (spec/oepnv.md "Ex ante"): Wagnisaufschlag → ex ante (3.7) → Deckelung (3.12) → Leistungsänderung
(7.3) → Bagatellgrenze (2.3) → flags 3.11 / 7.2; then for the county: Abschmelzung to the Gesamtausgleich (1.8, 3.9),
Unterdeckung flag and the 64/36 financing split. Cents after every step.

The steps are those of the trace (:mod:`pyxl.functions.spur`): each company's calculation runs in a trace of its own,
and each calculator's value enters it as one step under the case's words — the calculator's own intermediate steps
stay out of the case's list (``pyxl fn NAME … --erklaeren`` shows them). Run under an open trace, the case hands
that trace everything: the calculators' steps and parameter reads, the case's steps one level above them.

Each result records what it was computed with: ``pyxl_version`` and ``rules`` (the parameter sets with edition and
fingerprint, :meth:`~pyxl.parameter.Regelwerk.herkunft`), as every other output of pyxl does.
"""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Callable
from decimal import Decimal
from typing import TypeVar

from pydantic import BaseModel, ConfigDict, Field

from pyxl import __version__, parameter
from pyxl.functions import oepnv
from pyxl.functions.fehler import RegelHinweis
from pyxl.functions.geld import cent
from pyxl.functions.spur import Spur, Text, schritt, verfolgen
from pyxl.functions.zahlen import deutsch
from pyxl.parameter import Basiszins, OEPNVParameter, Regelwerk

T = TypeVar("T")


class Unternehmen(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    be_basis: Decimal = Field(description="Betriebsergebnis des Basisjahres (n−1) in €")
    be_indiziert: Decimal = Field(description="indiziertes Betriebsergebnis des Ausgleichsjahres in €")
    kosten_indiziert: Decimal = Field(description="indizierte maßgebliche Kosten in €")
    ex_ante_vorjahr: Decimal | None = Field(default=None, description="ex ante-Ausgleich des Vorjahres in €")
    fplkm: Decimal | None = Field(default=None, description="Fahrplan-km der Basisverkehrsleistung (Anlage 1)")
    fplkm_aenderung: Decimal = Field(default=Decimal(0), description="genehmigte Änderung der Fahrplan-km")


class Schritt(BaseModel):
    ziffer: str
    bezeichnung: str
    wert: Decimal | bool


def _schritte(spur: Spur) -> list[Schritt]:
    return [Schritt(ziffer=s.klausel, bezeichnung=s.text, wert=s.wert) for s in spur.eigene()]


def _herkunft(*regelwerke: Regelwerk) -> list[dict[str, object]]:
    return [r.herkunft() for r in regelwerke]


def _still(rechnung: Callable[[], T]) -> T:
    """A calculator's value; its own intermediate steps go to a trace of their own, not into the case's list (an
    enclosing trace receives them one level deeper)."""
    with verfolgen():
        return rechnung()


def _wert(klausel: str, text: Text, rechnung: Callable[[], T]) -> T:
    """One step of the case: a calculator's value under the case's words."""
    return schritt(klausel, text, _still(rechnung))


class Unternehmensergebnis(BaseModel):
    name: str
    schritte: list[Schritt]
    anspruch: Decimal  # before the Abschmelzung
    ausgleich: Decimal  # after the Abschmelzung


class Fallergebnis(BaseModel):
    unternehmen: list[Unternehmensergebnis]
    summe_ansprueche: Decimal
    gesamtausgleich: Decimal
    abschmelzung: bool
    unterdeckung: bool
    anteil_landkreis: Decimal
    anteil_land: Decimal
    pyxl_version: str = __version__
    rules: list[dict[str, object]] = Field(default_factory=list, description="Regelwerk.herkunft() je Parametersatz")


def _ein_unternehmen(u: Unternehmen, s: OEPNVParameter) -> tuple[list[Schritt], Decimal]:
    with verfolgen() as spur, warnings.catch_warnings():
        warnings.simplefilter("ignore", RegelHinweis)  # the case shows every cap and flag as a step of its own
        w = _wert(s.regel(s.wagnis.ref), "Wagnisaufschlag", lambda: oepnv.wagnis(u.kosten_indiziert, satzung=s))
        rechnerisch = _wert(s.regel(s.ziffern.exante), "ex ante-Ausgleich (rechnerisch)",
                            lambda: oepnv.exante_aus_wagnis(w, u.be_basis, u.be_indiziert, satzung=s))  # fmt: skip
        betrag = rechnerisch
        if u.ex_ante_vorjahr is not None:
            vorjahr = u.ex_ante_vorjahr
            betrag = _wert(s.regel(s.deckelung.ref), "nach Deckelung",
                           lambda: oepnv.deckelung(rechnerisch, vorjahr, satzung=s))  # fmt: skip
            _wert(s.regel(s.begruendung.ref),
                  lambda: f"Abweichung > {deutsch(s.begruendung.satz)} % zum Vorjahr: Stellungnahme nötig",
                  lambda: oepnv.stellungnahme_noetig(rechnerisch, vorjahr, satzung=s))  # fmt: skip
        if u.fplkm:
            fplkm, gedeckelt = u.fplkm, betrag
            anpassung = _still(lambda: oepnv.leistungsaenderung(gedeckelt, fplkm, u.fplkm_aenderung, satzung=s))
            betrag = schritt(s.regel(s.leistungsaenderung.ref), "nach Leistungsänderung", cent(betrag + anpassung))
            _wert(s.regel(s.ziffern.neubestimmung),
                  lambda: f"Fahrplan-km ändern sich um mehr als ± {deutsch(s.leistungsaenderung.satz)} %",
                  lambda: oepnv.neubestimmung_noetig(fplkm, u.fplkm_aenderung, satzung=s))  # fmt: skip
        vorher = betrag
        nachher = _still(lambda: oepnv.bagatellgrenze(vorher, satzung=s))  # once: an outer trace sees it once
        if nachher != vorher:
            betrag = schritt(s.regel(s.bagatell.ref),
                             lambda: f"unter der Bagatellgrenze ({deutsch(s.bagatell.betrag)} €): kein Ausgleich",
                             nachher)  # fmt: skip
    return _schritte(spur), Decimal(betrag)


def berechne_ex_ante(
    unternehmen: list[Unternehmen], gesamtausgleich: Decimal, *, satzung: OEPNVParameter | None = None
) -> Fallergebnis:
    """All companies of one Ausgleichsjahr against the county's Gesamtausgleich (``satzung``: the county's
    parameter set, default the current Rotenburg edition)."""
    satzung = satzung or parameter.oepnv()
    einzeln = [(u, *_ein_unternehmen(u, satzung)) for u in unternehmen]
    ansprueche = [betrag for _, _, betrag in einzeln]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RegelHinweis)  # the case reports the Unterdeckung as a flag
        zugeteilt = oepnv.abschmelzung(ansprueche, gesamtausgleich, satzung=satzung)
    summe = sum(ansprueche, Decimal(0))
    verteilt = sum(zugeteilt, Decimal(0))
    landkreis, land = oepnv.finanzierung(verteilt, satzung=satzung)
    return Fallergebnis(
        unternehmen=[
            Unternehmensergebnis(name=u.name, schritte=s, anspruch=a, ausgleich=z)
            for (u, s, a), z in zip(einzeln, zugeteilt, strict=True)
        ],
        summe_ansprueche=summe,
        gesamtausgleich=cent(gesamtausgleich),
        abschmelzung=summe > cent(gesamtausgleich),
        unterdeckung=oepnv.unterdeckung(summe, cent(gesamtausgleich), satzung=satzung),
        anteil_landkreis=landkreis,
        anteil_land=land,
        rules=_herkunft(satzung),
    )


class ExPostFall(BaseModel):
    """One company's ex post check (Ziffer 5, 6, 7.5, 9.4); amounts in €."""

    model_config = ConfigDict(frozen=True)

    name: str
    k_soll: Decimal = Field(description="indizierte Soll-Kosten")
    e_soll: Decimal = Field(description="indizierte Soll-Einnahmen")
    ex_ante: Decimal = Field(description="gewährter ex ante-Ausgleich")
    k_ist: Decimal = Field(description="maßgebliche Ist-Kosten")
    e_ist: Decimal = Field(description="maßgebliche Ist-Einnahmen ohne diesen Ausgleich")
    umsatz: Decimal = Field(description="Umsatz ohne diesen Ausgleich (Tarif, SB-Erstattung, Sonstiges)")
    positive_effekte: Decimal = Field(default=Decimal(0), description="quantifizierbare positive Auswirkungen P")
    fplkm_soll: Decimal | None = Field(default=None, description="Fahrplan-km nach Anlage 1")
    fplkm_ausgefallen: Decimal = Field(default=Decimal(0), description="nicht erbrachte Fahrplan-km")
    gezahlt: Decimal = Field(default=Decimal(0), description="gezahlte Abschläge")
    ueberzahlt_seit: dt.date | None = Field(default=None, description="Tag der ersten Überzahlung")
    zurueckgezahlt_am: dt.date | None = Field(default=None, description="Tag der Rückzahlung")


class ExPostErgebnis(BaseModel):
    name: str
    schritte: list[Schritt]
    anspruch: Decimal
    ueberzahlung: Decimal
    zins: Decimal
    pyxl_version: str = __version__
    rules: list[dict[str, object]] = Field(default_factory=list, description="Regelwerk.herkunft() je Parametersatz")


def berechne_ex_post(
    faelle: list[ExPostFall], *, satzung: OEPNVParameter | None = None, basiszins: Basiszins | None = None
) -> list[ExPostErgebnis]:
    """Every company's ex post check with each step and its Ziffer — the same calculators as the OEPNV-EP form
    (``satzung``, ``basiszins``: the parameter sets, default the current ones)."""
    satzung = satzung or parameter.oepnv()
    basiszins = basiszins or parameter.basiszinssatz()
    return [_ein_ex_post(f, satzung, basiszins) for f in faelle]


def _ein_ex_post(f: ExPostFall, s: OEPNVParameter, basiszins: Basiszins) -> ExPostErgebnis:
    z = s.ziffern
    with verfolgen() as spur, warnings.catch_warnings():
        warnings.simplefilter("ignore", RegelHinweis)  # every cap shows as a step of its own
        _wert(s.regel(s.ereignis.ref),
              lambda: f"Abweichung vom Soll über {deutsch(s.ereignis.satz)} %: Anpassung prüfen",
              lambda: oepnv.aussergewoehnlich(f.k_ist, f.k_soll, f.e_ist, f.e_soll, satzung=s))  # fmt: skip
        k = schritt(s.regel(z.kosten_anreiz), "anzusetzende Kosten K = min(K_ist; K_soll)", min(f.k_ist, f.k_soll))
        e = schritt(s.regel(z.einnahmen_anreiz), "anzusetzende Einnahmen E = max(E_ist; E_soll)",
                    max(f.e_ist, f.e_soll))  # fmt: skip
        a_max = _wert(s.regel(z.hoechstbetrag), "Höchstbetrag A = (K − P − E + r·U) / (1 − r)",
                      lambda: oepnv.expost_hoechstbetrag(k, f.positive_effekte, e, f.umsatz, satzung=s))  # fmt: skip
        kuerzung = Decimal(0)
        if f.fplkm_ausgefallen:
            kuerzung = _still(lambda: oepnv.kuerzung_ausfall(f.ex_ante, f.fplkm_soll, f.fplkm_ausgefallen, satzung=s))
        gewaehrt = schritt(s.regel(s.ausfall.ref), "ex ante-Ausgleich nach Kürzung für ausgefallene Fahrten",
                           cent(f.ex_ante - kuerzung))  # fmt: skip
        ausgleich = schritt(s.regel(z.ausgleich_expost), "Ausgleich = min(ex ante; max(0; A))",
                            min(gewaehrt, max(Decimal(0), a_max)))  # fmt: skip
        bonus = _wert(s.regel(s.bonus.ref), "Bonus",
                      lambda: oepnv.bonus(f.k_ist, f.k_soll, f.e_ist, f.e_soll, ausgleich, satzung=s))  # fmt: skip
        anspruch = _wert(s.regel(s.ausgleich.ref), "Anspruch",
                         lambda: oepnv.anspruch(gewaehrt, a_max, bonus, satzung=s))  # fmt: skip
        ueberzahlung = schritt(s.regel(z.ueberzahlung), "Überzahlung", max(Decimal(0), f.gezahlt - anspruch))
        zins = Decimal(0)
        if ueberzahlung and f.ueberzahlt_seit and f.zurueckgezahlt_am:
            seit, am = f.ueberzahlt_seit, f.zurueckgezahlt_am
            zins = _still(lambda: oepnv.rueckzahlungszins(ueberzahlung, seit, am, satzung=s, basiszins=basiszins))
        schritt(s.regel(s.zins.ref), "Rückzahlungszins", zins)
    return ExPostErgebnis(name=f.name, schritte=_schritte(spur), anspruch=anspruch, ueberzahlung=ueberzahlung,
                          zins=zins, rules=_herkunft(s, basiszins))  # fmt: skip
