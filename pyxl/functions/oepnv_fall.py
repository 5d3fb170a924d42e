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
from pyxl.functions.zahlen import deutsch
from pyxl.parameter import OEPNVParameter

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


def _ein_unternehmen(u: Unternehmen, satzung: OEPNVParameter) -> tuple[list[Schritt], Decimal]:
    schritte: list[Schritt] = []

    def schritt(ref: str, text: str, wert: Decimal | bool) -> Decimal | bool:
        schritte.append(Schritt(ziffer=satzung.regel(ref), bezeichnung=text, wert=wert))
        return wert

    schritt(satzung.wagnis.ref, "Wagnisaufschlag", oepnv.wagnis(u.kosten_indiziert, satzung=satzung))
    rechnerisch = oepnv.exante(u.be_basis, u.be_indiziert, u.kosten_indiziert, satzung=satzung)
    betrag = schritt("Ziffer 3.7", "ex ante-Ausgleich (rechnerisch)", rechnerisch)
    if u.ex_ante_vorjahr is not None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RegelHinweis)
            betrag = schritt(
                satzung.deckelung.ref, "nach Deckelung", oepnv.deckelung(betrag, u.ex_ante_vorjahr, satzung=satzung)
            )
        schritt(satzung.begruendung.ref,
                f"Abweichung > {deutsch(satzung.begruendung.satz)} % zum Vorjahr: Stellungnahme nötig",
                oepnv.stellungnahme_noetig(rechnerisch, u.ex_ante_vorjahr, satzung=satzung))  # fmt: skip
    if u.fplkm:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RegelHinweis)
            anpassung = oepnv.leistungsaenderung(betrag, u.fplkm, u.fplkm_aenderung, satzung=satzung)
        betrag = schritt(satzung.leistungsaenderung.ref, "nach Leistungsänderung", cent(betrag + anpassung))
        schritt("Ziffer 7.2", f"Fahrplan-km ändern sich um mehr als ± {deutsch(satzung.leistungsaenderung.satz)} %",
                oepnv.neubestimmung_noetig(u.fplkm, u.fplkm_aenderung, satzung=satzung))  # fmt: skip
    if oepnv.bagatellgrenze(betrag, satzung=satzung) != betrag:
        grenze = satzung.bagatell.betrag
        betrag = schritt(satzung.bagatell.ref, f"unter der Bagatellgrenze ({deutsch(grenze)} €): kein Ausgleich",
                         oepnv.bagatellgrenze(betrag, satzung=satzung))  # fmt: skip
    return schritte, Decimal(betrag)


def berechne_ex_ante(
    unternehmen: list[Unternehmen], gesamtausgleich: Decimal, *, satzung: OEPNVParameter = P
) -> Fallergebnis:
    """All companies of one Ausgleichsjahr against the county's Gesamtausgleich (``satzung``: another county's
    parameter set, default Rotenburg)."""
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


def berechne_ex_post(faelle: list[ExPostFall], *, satzung: OEPNVParameter = P) -> list[ExPostErgebnis]:
    """Every company's ex post check with each step and its Ziffer — the same calculators as the OEPNV-EP form."""
    return [_ein_ex_post(f, satzung) for f in faelle]


def _ein_ex_post(f: ExPostFall, satzung: OEPNVParameter) -> ExPostErgebnis:
    schritte: list[Schritt] = []

    def schritt(ref: str, text: str, wert: Decimal | bool) -> Decimal | bool:
        schritte.append(Schritt(ziffer=satzung.regel(ref), bezeichnung=text, wert=wert))
        return wert

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RegelHinweis)  # every cap shows as a step of its own
        schritt("Ziffer 3.13", f"Abweichung vom Soll über {deutsch(satzung.ereignis.satz)} %: Anpassung prüfen",
                oepnv.aussergewoehnlich(f.k_ist, f.k_soll, f.e_ist, f.e_soll, satzung=satzung))  # fmt: skip
        k = schritt("Ziffer 6.2, 6.3", "anzusetzende Kosten K = min(K_ist; K_soll)", min(f.k_ist, f.k_soll))
        e = schritt("Ziffer 6.4, 6.5", "anzusetzende Einnahmen E = max(E_ist; E_soll)", max(f.e_ist, f.e_soll))
        a_max = schritt("Ziffer 5.4, 5.7", "Höchstbetrag A = (K − P − E + r·U) / (1 − r)",
                        oepnv.expost_hoechstbetrag(k, f.positive_effekte, e, f.umsatz, satzung=satzung))  # fmt: skip
        kuerzung = Decimal(0)
        if f.fplkm_ausgefallen:
            kuerzung = oepnv.kuerzung_ausfall(f.ex_ante, f.fplkm_soll, f.fplkm_ausgefallen, satzung=satzung)
        gewaehrt = schritt(satzung.ausfall.ref, "ex ante-Ausgleich nach Kürzung für ausgefallene Fahrten",
                           cent(f.ex_ante - kuerzung))  # fmt: skip
        ausgleich = schritt("Ziffer 5.8, 5.9", "Ausgleich = min(ex ante; max(0; A))",
                            min(gewaehrt, max(Decimal(0), a_max)))  # fmt: skip
        bonus = schritt(
            satzung.bonus.ref, "Bonus", oepnv.bonus(f.k_ist, f.k_soll, f.e_ist, f.e_soll, ausgleich, satzung=satzung)
        )
        anspruch = schritt(satzung.ausgleich.ref, "Anspruch", oepnv.anspruch(gewaehrt, a_max, bonus, satzung=satzung))
        ueberzahlung = schritt("Ziffer 5.10", "Überzahlung", max(Decimal(0), f.gezahlt - anspruch))
        zins = Decimal(0)
        if ueberzahlung and f.ueberzahlt_seit and f.zurueckgezahlt_am:
            zins = oepnv.rueckzahlungszins(ueberzahlung, f.ueberzahlt_seit, f.zurueckgezahlt_am, satzung=satzung)
        schritt(satzung.zins.ref, "Rückzahlungszins", zins)
    return ExPostErgebnis(name=f.name, schritte=schritte, anspruch=anspruch, ueberzahlung=ueberzahlung, zins=zins)
