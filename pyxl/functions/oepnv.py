"""Allgemeine Vorschrift nach VO (EG) 1370/2007 (Satzung LK Rotenburg (Wümme)): ex ante, Deckelung, Abschmelzung,
ex post, Bonus, Kürzungen, Abschläge, Rückzahlungszins — as Excel functions.

Every rate comes from the county's parameter set (``oepnv_rotenburg.toml``); amounts are Decimal, rounded half-up
to cents at the end of each step (spec/oepnv.md).
"""

from __future__ import annotations

import datetime as dt
import warnings
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import Annotated

from pyxl import parameter
from pyxl.functions.eingabe import datum, nicht_negativ, positiv, zahl
from pyxl.functions.fehler import Eingabefehler, RegelHinweis
from pyxl.functions.geld import CENT, cent
from pyxl.functions.registry import Arg, excel_funktion
from pyxl.functions.zahlen import deutsch
from pyxl.parameter import OEPNVParameter

P = parameter.oepnv()
BEREICH = P.meta.kurz  # VO 1370 allgemeine Vorschrift of this county
HUNDERT = Decimal(100)


def _prozent(satz: Decimal) -> Decimal:
    return satz / HUNDERT


@excel_funktion(
    "OEPNV_WAGNIS",
    hilfe=f"Wagnisaufschlag: {deutsch(P.wagnis.satz)} % der (indizierten) Kosten eines durchschnittlichen, gut "
    "geführten Unternehmens.",
    einheit="€",
    regel=P.regel(P.wagnis.ref),
    bereich=BEREICH,
)
def wagnis(
    kosten: Annotated[Decimal, Arg("Kosten", "maßgebliche (indizierte) Kosten in €")], *, satzung: OEPNVParameter = P
) -> Decimal:
    return cent(nicht_negativ(kosten, "Kosten", satzung.regel(satzung.wagnis.ref)) * _prozent(satzung.wagnis.satz))


def bagatellgrenze(betrag: Decimal, *, satzung: OEPNVParameter = P) -> Decimal:
    """Ziffer 2.3: below the threshold no compensation at all (not only the part below it)."""
    return Decimal("0.00") if betrag < satzung.bagatell.betrag else betrag


def _ueber(abweichung: Decimal, bezug: Decimal, satz: Decimal) -> bool:
    return abs(abweichung) * HUNDERT > bezug * satz


def stellungnahme_noetig(ex_ante: Decimal, vorjahr: Decimal, *, satzung: OEPNVParameter = P) -> bool:
    """Ziffer 3.11: the indexed (computed, not yet capped) ex ante amount deviates from last year's by more than
    the rate — up or down."""
    return _ueber(ex_ante - vorjahr, vorjahr, satzung.begruendung.satz)


def neubestimmung_noetig(fplkm: Decimal, delta: Decimal, *, satzung: OEPNVParameter = P) -> bool:
    """Ziffer 7.2: the Fahrplan-km of a Teilnetz change by more than ± the rate against the previous year."""
    return _ueber(delta, fplkm, satzung.leistungsaenderung.satz)


def aussergewoehnlich(
    k_ist: Decimal, k_soll: Decimal, e_ist: Decimal, e_soll: Decimal, *, satzung: OEPNVParameter = P
) -> bool:
    """Ziffer 3.13: costs above the indexed Soll-Kosten, or revenues below the Soll-Einnahmen, by more than the
    rate — a case for an adjustment afterwards (the county decides; the flag only asks)."""
    return (k_ist > k_soll and _ueber(k_ist - k_soll, k_soll, satzung.ereignis.satz)) or (
        e_ist < e_soll and _ueber(e_soll - e_ist, e_soll, satzung.ereignis.satz)
    )


def unterdeckung(summe: Decimal, gesamtausgleich: Decimal, *, satzung: OEPNVParameter = P) -> bool:
    """Ziffer 1.8: the Gesamtausgleich falls short of the sum of all claims by more than the rate."""
    return summe * (1 - _prozent(satzung.unterdeckung.satz)) > gesamtausgleich


def finanzierung(gesamtausgleich: Decimal, *, satzung: OEPNVParameter = P) -> tuple[Decimal, Decimal]:
    """Ziffer 1.8, § 7a NNVG: the county's share (rounded) and the Land's (the rest, so both add up)."""
    landkreis = cent(gesamtausgleich * _prozent(satzung.finanzierung.landkreis))
    return landkreis, gesamtausgleich - landkreis


@excel_funktion(
    "OEPNV_EXANTE",
    hilfe="Ex ante-Ausgleich = max(0; Wagnisaufschlag − indiziertes Betriebsergebnis + min(Betriebsergebnis des "
    "Basisjahres; 0)).",
    einheit="€",
    regel=P.regel("Ziffer 3.3, 3.7, 3.8"),
    bereich=BEREICH,
)
def exante(
    be_basis: Annotated[Decimal, Arg("BE_Basis", "Betriebsergebnis des Basisjahres (Einnahmen − Kosten) in €")],
    be_indiziert: Annotated[Decimal, Arg("BE_indiziert", "auf das Ausgleichsjahr indiziertes Betriebsergebnis in €")],
    kosten_indiziert: Annotated[Decimal, Arg("Kosten_indiziert", "indizierte maßgebliche Kosten in €")],
    *,
    satzung: OEPNVParameter = P,
) -> Decimal:
    """Reading of the garbled formula of Ziffer 3.7 (spec/oepnv.md): −(BE_idx − BE_basis) + W − max(BE_basis; 0)
    = W − BE_idx + min(BE_basis; 0). It brings the indexed result plus compensation to exactly W (3.8: no
    Überzahlung beyond W) and leaves a structural deficit of the base year uncompensated (3.3)."""
    regel = satzung.regel("Ziffer 3.7")
    basis, indiziert = zahl(be_basis, "BE_Basis", regel), zahl(be_indiziert, "BE_indiziert", regel)
    return exante_aus_wagnis(wagnis(kosten_indiziert, satzung=satzung), basis, indiziert)


def exante_aus_wagnis(w: Decimal, be_basis: Decimal, be_indiziert: Decimal) -> Decimal:
    """Ziffer 3.7 once W is known (the form shows W in a cell of its own and computes from that cell)."""
    return cent(max(Decimal(0), w - be_indiziert + min(be_basis, Decimal(0))))


@excel_funktion(
    "OEPNV_DECKELUNG",
    hilfe=f"Ex ante-Ausgleich, höchstens {deutsch(P.deckelung.satz)} % über dem Vorjahreswert (ohne "
    "Leistungsänderungen).",
    einheit="€",
    regel=P.regel(P.deckelung.ref),
    bereich=BEREICH,
)
def deckelung(
    ex_ante: Annotated[Decimal, Arg("ExAnte", "ermittelter ex ante-Ausgleich in €")],
    vorjahr: Annotated[Decimal, Arg("Vorjahr", "ex ante-Ausgleich des Vorjahres in €")],
    *,
    satzung: OEPNVParameter = P,
) -> Decimal:
    """Ziffer 3.12 caps the *rise* over last year's amount. Reading: a previous year without compensation (0 €, e.g.
    under the Bagatellgrenze or a new operator) gives nothing to rise from, so no cap applies — otherwise one year at
    0 € would hold every later year at 0 €."""
    regel = satzung.regel(satzung.deckelung.ref)
    betrag = nicht_negativ(ex_ante, "ExAnte", regel)
    if nicht_negativ(vorjahr, "Vorjahr", regel) == 0:
        return cent(betrag)
    grenze = cent(nicht_negativ(vorjahr, "Vorjahr", regel) * (1 + _prozent(satzung.deckelung.satz)))
    if betrag > grenze:
        warnings.warn(RegelHinweis(f"Deckelung angewandt: {deutsch(betrag)} € auf {deutsch(grenze)} € begrenzt",
                                   regel), stacklevel=2)  # fmt: skip
    return cent(min(betrag, grenze))


@excel_funktion(
    "OEPNV_ABSCHMELZUNG",
    hilfe="Kürzt die ex ante-Ansprüche aller Unternehmen im gleichen Verhältnis auf den Gesamtausgleich; Cent nach "
    "dem Verfahren der größten Reste, so dass die Summe genau stimmt. Bereich rein, Spalte raus.",
    einheit="€",
    regel=P.regel(P.gesamtausgleich.ref),
    bereich=BEREICH,
)
def abschmelzung(
    ansprueche: Annotated[list, Arg("Ansprueche", "Bereich mit den ex ante-Ansprüchen der Unternehmen in €")],
    gesamtausgleich: Annotated[Decimal, Arg("Gesamtausgleich", "verfügbarer Gesamtausgleich in €")],
    *,
    satzung: OEPNVParameter = P,
) -> list[Decimal]:
    """Proportional cut when the claims exceed the Gesamtausgleich (Ziffer 1.8, 3.9). Each claim gets its share
    rounded down to the cent; the cents left over go, one each, to the largest remainders (ties: earlier row)."""
    regel = satzung.regel(satzung.gesamtausgleich.ref)
    # an empty cell is a company without a claim: it keeps its row (0), so the result lines up with the range
    werte = [Decimal("0.00") if a is None else cent(nicht_negativ(a, f"Ansprueche[{i}]", regel))
             for i, a in enumerate(ansprueche, 1)]  # fmt: skip
    gesamt = cent(nicht_negativ(gesamtausgleich, "Gesamtausgleich", regel))
    summe = sum(werte, Decimal(0))
    if summe <= gesamt:
        return werte
    if unterdeckung(summe, gesamt, satzung=satzung):
        warnings.warn(RegelHinweis("Unterdeckung: Gesamtausgleich liegt mehr als "
                                   f"{deutsch(satzung.unterdeckung.satz)} % unter der Summe der Ansprüche",
                                   satzung.regel(satzung.unterdeckung.ref)), stacklevel=2)  # fmt: skip
    return [a.zugeteilt for a in abschmelzung_anteile(werte, gesamt)]


# Remainders are compared at this precision: a spreadsheet's binary floats show an exact half cent as 0,00499999…,
# and ties within it go to the earlier row in the sheet and here alike.
REST_GENAUIGKEIT = Decimal("1e-8")


@dataclass(frozen=True)
class Abschmelzungsanteil:
    """One claim's way through the largest-remainder method (the county overview shows every column)."""

    genau: Decimal  # claim × Gesamtausgleich / Σ claims, exact
    abgerundet: Decimal  # rounded down to the cent
    rest: Decimal  # genau − abgerundet, to REST_GENAUIGKEIT
    rang: int  # place by remainder, largest first (ties: earlier row)
    zugeteilt: Decimal  # abgerundet, plus one cent for the first ranks until the sum is exact


def abschmelzung_anteile(werte: list[Decimal], gesamt: Decimal) -> list[Abschmelzungsanteil]:
    """Largest-remainder cut of claims (in cents, ≥ 0, summing to more than ``gesamt``) to ``gesamt``."""
    summe = sum(werte, Decimal(0))
    genau = [w * gesamt / summe for w in werte]
    unten = [g.quantize(CENT, rounding=ROUND_DOWN) for g in genau]
    reste = [(g - u).quantize(REST_GENAUIGKEIT, rounding=ROUND_HALF_UP) for g, u in zip(genau, unten, strict=True)]
    uebrig = int((gesamt - sum(unten, Decimal(0))) / CENT)
    reihenfolge = sorted(range(len(werte)), key=lambda i: (-reste[i], i))
    rang = {i: platz for platz, i in enumerate(reihenfolge, 1)}
    return [
        Abschmelzungsanteil(g, u, r, rang[i], u + (CENT if rang[i] <= uebrig else 0))
        for i, (g, u, r) in enumerate(zip(genau, unten, reste, strict=True))
    ]


@excel_funktion(
    "OEPNV_EXPOST_HOECHSTBETRAG",
    hilfe=f"Höchster Ausgleich ohne Überkompensation: A = (K − P − E + r·U) / (1 − r), r = {deutsch(P.gewinn.satz)} % "
    "Umsatzrendite auf den Umsatz einschließlich des Ausgleichs (geschlossen gelöst, kein Zirkelbezug).",
    einheit="€",
    regel=P.regel("Ziffer 5.4, 5.7"),
    bereich=BEREICH,
)
def expost_hoechstbetrag(
    k: Annotated[Decimal, Arg("K", "maßgebliche Kosten (nach Ziffer 6.2/6.3) in €")],
    p: Annotated[Decimal, Arg("P", "quantifizierbare positive finanzielle Auswirkungen in €")],
    e: Annotated[Decimal, Arg("E", "maßgebliche Einnahmen ohne diesen Ausgleich (nach Ziffer 6.4/6.5) in €")],
    u: Annotated[Decimal, Arg("U", "Umsatz ohne diesen Ausgleich (Tarif, SB-Erstattung, Sonstiges) in €")],
    *,
    satzung: OEPNVParameter = P,
) -> Decimal:
    """Ziffer 5.4 with the profit of 5.7 on the Umsatz *including* the compensation A: A ≤ K − P − E + r·(U + A),
    solved for A. May be negative (then no compensation is due; the caller takes max(0; A))."""
    regel = satzung.regel("Ziffer 5.4, 5.7")
    r = _prozent(satzung.gewinn.satz)
    kosten, vorteil = nicht_negativ(k, "K", regel), nicht_negativ(p, "P", regel)
    einnahmen, umsatz = nicht_negativ(e, "E", regel), nicht_negativ(u, "U", regel)
    return cent((kosten - vorteil - einnahmen + r * umsatz) / (1 - r))


@excel_funktion(
    "OEPNV_BONUS",
    hilfe=f"Bonus: {deutsch(P.bonus.anteil)} % der Kostenunterschreitung und der Mehreinnahmen gegenüber den "
    f"indizierten Werten, zusammen höchstens {deutsch(P.bonus.hoechstens)} % des Ausgleichs ohne Bonus.",
    einheit="€",
    regel=P.regel(P.bonus.ref),
    bereich=BEREICH,
)
def bonus(
    k_ist: Annotated[Decimal, Arg("K_ist", "tatsächliche maßgebliche Kosten in €")],
    k_soll: Annotated[Decimal, Arg("K_soll", "indizierte Soll-Kosten in €")],
    e_ist: Annotated[Decimal, Arg("E_ist", "tatsächliche maßgebliche Einnahmen in €")],
    e_soll: Annotated[Decimal, Arg("E_soll", "indizierte Soll-Einnahmen in €")],
    ausgleich: Annotated[Decimal, Arg("Ausgleich", "Ausgleich ohne Bonus in €")],
    *,
    satzung: OEPNVParameter = P,
) -> Decimal:
    regel = satzung.regel(satzung.bonus.ref)
    anteil = _prozent(satzung.bonus.anteil)
    kosten = max(Decimal(0), nicht_negativ(k_soll, "K_soll", regel) - nicht_negativ(k_ist, "K_ist", regel))
    einnahmen = max(Decimal(0), nicht_negativ(e_ist, "E_ist", regel) - nicht_negativ(e_soll, "E_soll", regel))
    roh = cent(anteil * kosten + anteil * einnahmen)
    grenze = cent(nicht_negativ(ausgleich, "Ausgleich", regel) * _prozent(satzung.bonus.hoechstens))
    if roh > grenze:
        warnings.warn(RegelHinweis(f"Bonus auf {deutsch(satzung.bonus.hoechstens)} % des Ausgleichs begrenzt", regel),
                      stacklevel=2)  # fmt: skip
    return min(roh, grenze)


@excel_funktion(
    "OEPNV_ANSPRUCH",
    hilfe="Anspruch = min(ex ante-Ausgleich; min(ex ante; max(0; Höchstbetrag)) + Bonus): keine Überkompensation, "
    "keine Überzahlung.",
    einheit="€",
    regel=P.regel(P.ausgleich.ref),
    bereich=BEREICH,
)
def anspruch(
    ex_ante: Annotated[Decimal, Arg("ExAnte", "gewährter ex ante-Ausgleich in €")],
    a_max: Annotated[Decimal, Arg("A_max", "Höchstbetrag nach OEPNV_EXPOST_HOECHSTBETRAG in €")],
    bonus_betrag: Annotated[Decimal, Arg("Bonus", "Bonus nach OEPNV_BONUS in €")],
    *,
    satzung: OEPNVParameter = P,
) -> Decimal:
    """Ziffer 5.8/5.9: the lower of ex ante and the overcompensation limit; the bonus (6.6) on top, never beyond
    the ex ante amount."""
    regel = satzung.regel(satzung.ausgleich.ref)
    gewaehrt = nicht_negativ(ex_ante, "ExAnte", regel)
    ausgleich_ = min(gewaehrt, max(Decimal(0), zahl(a_max, "A_max", regel)))
    return anspruch_aus_ausgleich(gewaehrt, ausgleich_, nicht_negativ(bonus_betrag, "Bonus", regel))


def anspruch_aus_ausgleich(gewaehrt: Decimal, ausgleich: Decimal, bonus_betrag: Decimal) -> Decimal:
    """Ziffer 5.8, 5.9, 6.6 once the Ausgleich is known: the bonus on top, never beyond the granted amount."""
    return cent(min(gewaehrt, ausgleich + bonus_betrag))


@excel_funktion(
    "OEPNV_KUERZUNG_AUSFALL",
    hilfe="Kürzung für ausgefallene Fahrten: ex ante-Ausgleich je geplantem Fahrplan-km × ausgefallene Fahrplan-km.",
    einheit="€",
    regel=P.regel(P.ausfall.ref),
    bereich=BEREICH,
)
def kuerzung_ausfall(
    ex_ante: Annotated[Decimal, Arg("ExAnte", "ex ante-Ausgleich in €")],
    fplkm_soll: Annotated[Decimal, Arg("Fplkm_Soll", "geplante Fahrplan-km nach Anlage 1")],
    fplkm_ausgefallen: Annotated[Decimal, Arg("Fplkm_ausgefallen", "nicht erbrachte Fahrplan-km")],
    *,
    satzung: OEPNVParameter = P,
) -> Decimal:
    regel = satzung.regel(satzung.ausfall.ref)
    soll = positiv(fplkm_soll, "Fplkm_Soll", regel)
    ausgefallen = nicht_negativ(fplkm_ausgefallen, "Fplkm_ausgefallen", regel)
    if ausgefallen > soll:
        raise Eingabefehler("Fplkm_ausgefallen", fplkm_ausgefallen, "größer als die geplanten Fahrplan-km", regel)
    return cent(nicht_negativ(ex_ante, "ExAnte", regel) / soll * ausgefallen)


@excel_funktion(
    "OEPNV_LEISTUNGSAENDERUNG",
    hilfe="Anpassung des Ausgleichs bei genehmigter Leistungsänderung: ex ante je Fahrplan-km × Änderung der "
    "Fahrplan-km (negativ bei Minderleistung). Ergebnis ist der Anpassungsbetrag.",
    einheit="€",
    regel=P.regel(P.leistungsaenderung.ref),
    bereich=BEREICH,
)
def leistungsaenderung(
    ex_ante: Annotated[Decimal, Arg("ExAnte", "ex ante-Ausgleich in €")],
    fplkm: Annotated[Decimal, Arg("Fplkm", "Fahrplan-km der Basisverkehrsleistung")],
    delta: Annotated[Decimal, Arg("Delta", "Änderung der Fahrplan-km (+/−)")],
    *,
    satzung: OEPNVParameter = P,
) -> Decimal:
    regel = satzung.regel(satzung.leistungsaenderung.ref)
    basis = positiv(fplkm, "Fplkm", regel)
    aenderung = zahl(delta, "Delta", regel)
    if neubestimmung_noetig(basis, aenderung, satzung=satzung):
        grenze = deutsch(satzung.leistungsaenderung.satz)
        text = f"Fahrplan-km ändern sich um mehr als ± {grenze} %: Neubestimmung des Ausgleichs"
        warnings.warn(RegelHinweis(text, satzung.regel("Ziffer 7.2")), stacklevel=2)
    return cent(nicht_negativ(ex_ante, "ExAnte", regel) / basis * aenderung)


@excel_funktion(
    "OEPNV_ABSCHLAEGE",
    hilfe=f"Vorauszahlungen: {deutsch(P.abschlaege.anteil)} % des ex ante-Ausgleichs in {P.abschlaege.raten} gleichen "
    "Monatsraten (die letzte nimmt den Cent-Rest auf), dann der Rest nach der Überkompensationskontrolle. Spalte "
    f"mit {P.abschlaege.raten + 1} Werten.",
    einheit="€",
    regel=P.regel(P.abschlaege.ref),
    bereich=BEREICH,
)
def abschlaege(
    ex_ante: Annotated[Decimal, Arg("ExAnte", "ex ante-Ausgleich in €")], *, satzung: OEPNVParameter = P
) -> list[Decimal]:
    betrag = cent(nicht_negativ(ex_ante, "ExAnte", satzung.regel(satzung.abschlaege.ref)))
    vorab = cent(betrag * _prozent(satzung.abschlaege.anteil))
    rate = cent(vorab / satzung.abschlaege.raten)
    raten = [rate] * (satzung.abschlaege.raten - 1)
    raten.append(vorab - rate * (satzung.abschlaege.raten - 1))
    return [*raten, betrag - vorab]


def _basiszins(tag: dt.date, regel: str) -> Decimal:
    werte = parameter.basiszinssatz().werte
    gueltig = [w for w in werte if w.ab <= tag]
    halbjahr = dt.date(tag.year, 1 if tag.month < 7 else 7, 1)
    if not gueltig or (tag >= max(w.ab for w in werte) and halbjahr > max(w.ab for w in werte)):
        raise Eingabefehler("Basiszinssatz", f"{halbjahr:%d.%m.%Y}", "für dieses Halbjahr nicht hinterlegt – bitte in "
                            "pyxl/parameter/basiszinssatz.toml ergänzen", regel)  # fmt: skip
    return gueltig[-1].satz


@excel_funktion(
    "OEPNV_RUECKZAHLUNGSZINS",
    hilfe=f"Zinsen auf eine Überzahlung: Basiszinssatz (§ 247 BGB) + {deutsch(P.zins.aufschlag)} Prozentpunkte, "
    f"tageweise (Tage/{P.zins.tage_im_jahr}), Zinssatzwechsel zum 1.1./1.7., höchstens die Überzahlung.",
    einheit="€",
    regel=P.regel(P.zins.ref),
    bereich=BEREICH,
)
def rueckzahlungszins(
    betrag: Annotated[Decimal, Arg("Betrag", "Überzahlung in €")],
    von: Annotated[dt.date, Arg("Von", "Tag der ersten Überzahlung (Datum)")],
    bis: Annotated[dt.date, Arg("Bis", "Tag der Rückzahlung (Datum)")],
    *,
    satzung: OEPNVParameter = P,
) -> Decimal:
    """Simple interest per half-year segment [start, end), actual days / 365. Reading: a (theoretical) negative
    rate yields no interest — the rule knows interest owed to the county only."""
    regel = satzung.regel(satzung.zins.ref)
    ueberzahlung = nicht_negativ(betrag, "Betrag", regel)
    beginn, ende = datum(von, "Von", regel), datum(bis, "Bis", regel)
    if beginn is None or ende is None:
        raise Eingabefehler("Von" if beginn is None else "Bis", None, "Datum fehlt", regel)
    if ende < beginn:
        raise Eingabefehler("Bis", bis, "liegt vor dem Tag der Überzahlung", regel)
    zinsen = Decimal(0)
    tag = beginn
    while tag < ende:
        naechster = dt.date(tag.year, 7, 1) if tag.month < 7 else dt.date(tag.year + 1, 1, 1)
        abschnitt_ende = min(naechster, ende)
        satz = max(Decimal(0), _basiszins(tag, regel) + satzung.zins.aufschlag)
        zinsen += ueberzahlung * satz / HUNDERT * (abschnitt_ende - tag).days / satzung.zins.tage_im_jahr
        tag = abschnitt_ende
    if zinsen > ueberzahlung:
        warnings.warn(RegelHinweis("Zinsen auf die Höhe der Überzahlung begrenzt", regel), stacklevel=2)
    return cent(min(zinsen, ueberzahlung))
