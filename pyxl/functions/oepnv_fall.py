"""A whole ex ante case of one Ausgleichsjahr in one call: every company, every step, each with its Ziffer.

Order per company (spec/oepnv.md "Ex ante"): Wagnisaufschlag → ex ante (3.7) → Deckelung (3.12) → Leistungsänderung
(7.3) → Bagatellgrenze (2.3) → flags 3.11 / 7.2; then for the county: Abschmelzung to the Gesamtausgleich (1.8, 3.9),
Unterdeckung flag and the 64/36 financing split. Cents after every step.
"""

from __future__ import annotations

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
