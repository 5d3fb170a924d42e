"""A whole case of one Ausgleichsjahr in one call — ex ante for all companies against the Gesamtausgleich, and
the ex post check per company: every step, each with its Ziffer.

Order per company (spec/oepnv.md "Ex ante"): Wagnisaufschlag → ex ante (3.7) → Deckelung (3.12) → Leistungsänderung
(7.3) → Bagatellgrenze (2.3) → flags 3.11 / 7.2; then for the county: Abschmelzung to the Gesamtausgleich (1.8, 3.9),
Unterdeckung flag and the 64/36 financing split. Cents after every step.
"""

from __future__ import annotations

import datetime as dt
import warnings
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from pyxl.functions import oepnv
from pyxl.functions.fehler import RegelHinweis
from pyxl.functions.geld import cent

P = oepnv.P


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


def _ein_unternehmen(u: Unternehmen) -> tuple[list[Schritt], Decimal]:
    schritte: list[Schritt] = []

    def schritt(ref: str, text: str, wert: Decimal | bool) -> Decimal | bool:
        schritte.append(Schritt(ziffer=P.regel(ref), bezeichnung=text, wert=wert))
        return wert

    schritt(P.wagnis.ref, "Wagnisaufschlag", oepnv.wagnis(u.kosten_indiziert))
    rechnerisch = oepnv.exante(u.be_basis, u.be_indiziert, u.kosten_indiziert)
    betrag = schritt("Ziffer 3.7", "ex ante-Ausgleich (rechnerisch)", rechnerisch)
    if u.ex_ante_vorjahr is not None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RegelHinweis)
            betrag = schritt(P.deckelung.ref, "nach Deckelung", oepnv.deckelung(betrag, u.ex_ante_vorjahr))
        schritt(P.begruendung.ref, "Abweichung > 5 % zum Vorjahr: Stellungnahme nötig",
                oepnv.stellungnahme_noetig(rechnerisch, u.ex_ante_vorjahr))  # fmt: skip
    if u.fplkm:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RegelHinweis)
            anpassung = oepnv.leistungsaenderung(betrag, u.fplkm, u.fplkm_aenderung)
        betrag = schritt(P.leistungsaenderung.ref, "nach Leistungsänderung", cent(betrag + anpassung))
        schritt("Ziffer 7.2", "Fahrplan-km ändern sich um mehr als ± 2 %",
                oepnv.neubestimmung_noetig(u.fplkm, u.fplkm_aenderung))  # fmt: skip
    if oepnv.bagatellgrenze(betrag) != betrag:
        betrag = schritt(P.bagatell.ref, f"unter der Bagatellgrenze ({P.bagatell.betrag} €): kein Ausgleich",
                         oepnv.bagatellgrenze(betrag))  # fmt: skip
    return schritte, Decimal(betrag)


def berechne_ex_ante(unternehmen: list[Unternehmen], gesamtausgleich: Decimal) -> Fallergebnis:
    """All companies of one Ausgleichsjahr against the county's Gesamtausgleich."""
    einzeln = [(u, *_ein_unternehmen(u)) for u in unternehmen]
    ansprueche = [betrag for _, _, betrag in einzeln]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RegelHinweis)  # the case reports the Unterdeckung as a flag
        zugeteilt = oepnv.abschmelzung(ansprueche, gesamtausgleich)
    summe = sum(ansprueche, Decimal(0))
    verteilt = sum(zugeteilt, Decimal(0))
    landkreis, land = oepnv.finanzierung(verteilt)
    return Fallergebnis(
        unternehmen=[
            Unternehmensergebnis(name=u.name, schritte=s, anspruch=a, ausgleich=z)
            for (u, s, a), z in zip(einzeln, zugeteilt, strict=True)
        ],
        summe_ansprueche=summe,
        gesamtausgleich=cent(gesamtausgleich),
        abschmelzung=summe > cent(gesamtausgleich),
        unterdeckung=oepnv.unterdeckung(summe, cent(gesamtausgleich)),
        anteil_landkreis=landkreis,
        anteil_land=land,
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


def berechne_ex_post(faelle: list[ExPostFall]) -> list[ExPostErgebnis]:
    """Every company's ex post check with each step and its Ziffer — the same calculators as the OEPNV-EP form."""
    return [_ein_ex_post(f) for f in faelle]


def _ein_ex_post(f: ExPostFall) -> ExPostErgebnis:
    schritte: list[Schritt] = []

    def schritt(ref: str, text: str, wert: Decimal | bool) -> Decimal | bool:
        schritte.append(Schritt(ziffer=P.regel(ref), bezeichnung=text, wert=wert))
        return wert

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RegelHinweis)  # every cap shows as a step of its own
        schritt("Ziffer 3.13", "Abweichung vom Soll über 10 %: Anpassung prüfen",
                oepnv.aussergewoehnlich(f.k_ist, f.k_soll, f.e_ist, f.e_soll))  # fmt: skip
        k = schritt("Ziffer 6.2, 6.3", "anzusetzende Kosten K = min(K_ist; K_soll)", min(f.k_ist, f.k_soll))
        e = schritt("Ziffer 6.4, 6.5", "anzusetzende Einnahmen E = max(E_ist; E_soll)", max(f.e_ist, f.e_soll))
        a_max = schritt("Ziffer 5.4, 5.7", "Höchstbetrag A = (K − P − E + r·U) / (1 − r)",
                        oepnv.expost_hoechstbetrag(k, f.positive_effekte, e, f.umsatz))  # fmt: skip
        kuerzung = Decimal(0)
        if f.fplkm_ausgefallen:
            kuerzung = oepnv.kuerzung_ausfall(f.ex_ante, f.fplkm_soll, f.fplkm_ausgefallen)
        gewaehrt = schritt(P.ausfall.ref, "ex ante-Ausgleich nach Kürzung für ausgefallene Fahrten",
                           cent(f.ex_ante - kuerzung))  # fmt: skip
        ausgleich = schritt("Ziffer 5.8, 5.9", "Ausgleich = min(ex ante; max(0; A))",
                            min(gewaehrt, max(Decimal(0), a_max)))  # fmt: skip
        bonus = schritt(P.bonus.ref, "Bonus", oepnv.bonus(f.k_ist, f.k_soll, f.e_ist, f.e_soll, ausgleich))
        anspruch = schritt(P.ausgleich.ref, "Anspruch", oepnv.anspruch(gewaehrt, a_max, bonus))
        ueberzahlung = schritt("Ziffer 5.10", "Überzahlung", max(Decimal(0), f.gezahlt - anspruch))
        zins = Decimal(0)
        if ueberzahlung and f.ueberzahlt_seit and f.zurueckgezahlt_am:
            zins = oepnv.rueckzahlungszins(ueberzahlung, f.ueberzahlt_seit, f.zurueckgezahlt_am)
        schritt(P.zins.ref, "Rückzahlungszins", zins)
    return ExPostErgebnis(name=f.name, schritte=schritte, anspruch=anspruch, ueberzahlung=ueberzahlung, zins=zins)
