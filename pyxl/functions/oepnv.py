"""Allgemeine Vorschrift nach VO (EG) 1370/2007 (a county's Satzung, e.g. LK Rotenburg (Wümme)): ex ante, Deckelung,
Abschmelzung, ex post, Bonus, Kürzungen, Abschläge, Rückzahlungszins — as Excel functions.

Every calculator takes the county's parameter set (``satzung=``, default: the current Rotenburg edition); every
rate and every clause it cites come from that set (``oepnv_<kreis>.toml``). Amounts are Decimal, rounded half-up to
cents at the end of each step (spec/oepnv.md); each intermediate value is a step of the trace
(:mod:`pyxl.functions.spur`) when one is open.
"""

from __future__ import annotations

import datetime as dt
import warnings
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from functools import partial
from typing import Annotated

from pyxl import parameter
from pyxl.functions.eingabe import datum, nicht_negativ, positiv, zahl
from pyxl.functions.fehler import Eingabefehler, RegelHinweis
from pyxl.functions.geld import CENT, cent
from pyxl.functions.registry import Arg, excel_funktion
from pyxl.functions.spur import beobachtet, schritt
from pyxl.functions.zahlen import deutsch
from pyxl.parameter import Basiszins, OEPNVParameter

HUNDERT = Decimal(100)


def _prozent(satz: Decimal) -> Decimal:
    return satz / HUNDERT


def _satzung(satzung: OEPNVParameter | None) -> OEPNVParameter:
    """The given county's set, else the current Rotenburg edition (the adapters choose another by name or date)."""
    return beobachtet(satzung or parameter.oepnv())


def _bereich(s: OEPNVParameter) -> str:
    return s.meta.kurz  # VO 1370 allgemeine Vorschrift of this county


@excel_funktion(
    "OEPNV_WAGNIS",
    hilfe=lambda s: (
        f"Wagnisaufschlag: {deutsch(s.wagnis.satz)} % der (indizierten) Kosten eines durchschnittlichen, "
        "gut geführten Unternehmens."
    ),
    einheit="€",
    regel=lambda s: s.regel(s.wagnis.ref),
    bereich=_bereich,
)
def wagnis(
    kosten: Annotated[Decimal, Arg("Kosten", "maßgebliche (indizierte) Kosten in €")],
    *,
    satzung: OEPNVParameter | None = None,
) -> Decimal:
    s = _satzung(satzung)
    regel = s.regel(s.wagnis.ref)
    w = cent(nicht_negativ(kosten, "Kosten", regel) * _prozent(s.wagnis.satz))
    return schritt(regel, lambda: f"Wagnisaufschlag W = {deutsch(s.wagnis.satz)} % der Kosten", w)


def bagatellgrenze(betrag: Decimal, *, satzung: OEPNVParameter | None = None) -> Decimal:
    """Ziffer 2.3: below the threshold no compensation at all (not only the part below it)."""
    s = _satzung(satzung)
    if betrag >= s.bagatell.betrag:
        return betrag
    return schritt(s.regel(s.bagatell.ref), lambda: f"unter der Bagatellgrenze ({deutsch(s.bagatell.betrag)} €): "
                   "kein Ausgleich", Decimal("0.00"))  # fmt: skip


def _ueber(abweichung: Decimal, bezug: Decimal, satz: Decimal) -> bool:
    return abs(abweichung) * HUNDERT > bezug * satz


def stellungnahme_noetig(ex_ante: Decimal, vorjahr: Decimal, *, satzung: OEPNVParameter | None = None) -> bool:
    """Ziffer 3.11: the indexed (computed, not yet capped) ex ante amount deviates from last year's by more than
    the rate — up or down."""
    s = _satzung(satzung)
    return schritt(s.regel(s.begruendung.ref), lambda: f"Abweichung vom Vorjahr über {deutsch(s.begruendung.satz)} "
                   "%: Stellungnahme nötig", _ueber(ex_ante - vorjahr, vorjahr, s.begruendung.satz))  # fmt: skip


def neubestimmung_noetig(fplkm: Decimal, delta: Decimal, *, satzung: OEPNVParameter | None = None) -> bool:
    """Ziffer 7.2: the Fahrplan-km of a Teilnetz change by more than ± the rate against the previous year."""
    s = _satzung(satzung)
    satz = s.leistungsaenderung.satz
    return schritt(s.regel(s.ziffern.neubestimmung), lambda: f"Fahrplan-km ändern sich um mehr als ± {deutsch(satz)} %",
                   _ueber(delta, fplkm, satz))  # fmt: skip


def aussergewoehnlich(
    k_ist: Decimal, k_soll: Decimal, e_ist: Decimal, e_soll: Decimal, *, satzung: OEPNVParameter | None = None
) -> bool:
    """Ziffer 3.13: costs above the indexed Soll-Kosten, or revenues below the Soll-Einnahmen, by more than the
    rate — a case for an adjustment afterwards (the county decides; the flag only asks)."""
    s = _satzung(satzung)
    gesetzt = (k_ist > k_soll and _ueber(k_ist - k_soll, k_soll, s.ereignis.satz)) or (
        e_ist < e_soll and _ueber(e_soll - e_ist, e_soll, s.ereignis.satz)
    )
    return schritt(s.regel(s.ereignis.ref),
                   lambda: f"Kosten oder Einnahmen weichen um mehr als {deutsch(s.ereignis.satz)} % vom Soll ab",
                   gesetzt)  # fmt: skip


def unterdeckung(summe: Decimal, gesamtausgleich: Decimal, *, satzung: OEPNVParameter | None = None) -> bool:
    """Ziffer 1.8: the Gesamtausgleich falls short of the sum of all claims by more than the rate."""
    s = _satzung(satzung)
    return schritt(s.regel(s.unterdeckung.ref), lambda: "Unterdeckung: Gesamtausgleich mehr als "
                   f"{deutsch(s.unterdeckung.satz)} % unter der Summe der Ansprüche",
                   summe * (1 - _prozent(s.unterdeckung.satz)) > gesamtausgleich)  # fmt: skip


def finanzierung(gesamtausgleich: Decimal, *, satzung: OEPNVParameter | None = None) -> tuple[Decimal, Decimal]:
    """Ziffer 1.8, § 7a NNVG: the county's share (rounded) and the Land's (the rest, so both add up)."""
    s = _satzung(satzung)
    regel = s.regel(s.finanzierung.ref)
    landkreis = schritt(regel, lambda: f"Anteil Landkreis ({deutsch(s.finanzierung.landkreis)} %)",
                        cent(gesamtausgleich * _prozent(s.finanzierung.landkreis)))  # fmt: skip
    return landkreis, schritt(regel, "Anteil Land (Rest)", gesamtausgleich - landkreis)


@excel_funktion(
    "OEPNV_EXANTE",
    hilfe="Ex ante-Ausgleich = max(0; Wagnisaufschlag − indiziertes Betriebsergebnis + min(Betriebsergebnis des "
    "Basisjahres; 0)).",
    einheit="€",
    regel=lambda s: s.regel(s.ziffern.exante_formel),
    bereich=_bereich,
)
def exante(
    be_basis: Annotated[Decimal, Arg("BE_Basis", "Betriebsergebnis des Basisjahres (Einnahmen − Kosten) in €")],
    be_indiziert: Annotated[Decimal, Arg("BE_indiziert", "auf das Ausgleichsjahr indiziertes Betriebsergebnis in €")],
    kosten_indiziert: Annotated[Decimal, Arg("Kosten_indiziert", "indizierte maßgebliche Kosten in €")],
    *,
    satzung: OEPNVParameter | None = None,
) -> Decimal:
    """Reading of the garbled formula of Ziffer 3.7 (spec/oepnv.md): −(BE_idx − BE_basis) + W − max(BE_basis; 0)
    = W − BE_idx + min(BE_basis; 0). It brings the indexed result plus compensation to exactly W (3.8: no
    Überzahlung beyond W) and leaves a structural deficit of the base year uncompensated (3.3)."""
    s = _satzung(satzung)
    regel = s.regel(s.ziffern.exante)
    basis, indiziert = zahl(be_basis, "BE_Basis", regel), zahl(be_indiziert, "BE_indiziert", regel)
    return exante_aus_wagnis(wagnis(kosten_indiziert, satzung=s), basis, indiziert, satzung=s)


def exante_aus_wagnis(
    w: Decimal, be_basis: Decimal, be_indiziert: Decimal, *, satzung: OEPNVParameter | None = None
) -> Decimal:
    """Ziffer 3.7 once W is known (the form shows W in a cell of its own and computes from that cell)."""
    s = _satzung(satzung)
    regel = s.regel(s.ziffern.exante_formel)
    roh = schritt(regel, "W − BE_indiziert + min(BE_Basis; 0)", w - be_indiziert + min(be_basis, Decimal(0)))
    return schritt(regel, "Ex ante-Ausgleich = max(0; W − BE_indiziert + min(BE_Basis; 0))",
                   cent(max(Decimal(0), roh)))  # fmt: skip


@excel_funktion(
    "OEPNV_DECKELUNG",
    hilfe=lambda s: (
        f"Ex ante-Ausgleich, höchstens {deutsch(s.deckelung.satz)} % über dem Vorjahreswert (ohne Leistungsänderungen)."
    ),
    einheit="€",
    regel=lambda s: s.regel(s.deckelung.ref),
    bereich=_bereich,
)
def deckelung(
    ex_ante: Annotated[Decimal, Arg("ExAnte", "ermittelter ex ante-Ausgleich in €")],
    vorjahr: Annotated[Decimal, Arg("Vorjahr", "ex ante-Ausgleich des Vorjahres in €")],
    *,
    satzung: OEPNVParameter | None = None,
) -> Decimal:
    """Ziffer 3.12 caps the *rise* over last year's amount. Reading: a previous year without compensation (0 €, e.g.
    under the Bagatellgrenze or a new operator) gives nothing to rise from, so no cap applies — otherwise one year at
    0 € would hold every later year at 0 €."""
    s = _satzung(satzung)
    regel = s.regel(s.deckelung.ref)
    betrag = nicht_negativ(ex_ante, "ExAnte", regel)
    if nicht_negativ(vorjahr, "Vorjahr", regel) == 0:
        return schritt(regel, "Vorjahr ohne Ausgleich: keine Deckelung", cent(betrag))
    grenze = schritt(regel, lambda: f"Obergrenze = Vorjahr × (1 + {deutsch(s.deckelung.satz)} %)",
                     cent(nicht_negativ(vorjahr, "Vorjahr", regel) * (1 + _prozent(s.deckelung.satz))))  # fmt: skip
    if betrag > grenze:
        warnings.warn(RegelHinweis(f"Deckelung angewandt: {deutsch(betrag)} € auf {deutsch(grenze)} € begrenzt",
                                   regel), stacklevel=2)  # fmt: skip
    return schritt(regel, "Ex ante-Ausgleich nach Deckelung = min(ex ante; Obergrenze)", cent(min(betrag, grenze)))


@excel_funktion(
    "OEPNV_ABSCHMELZUNG",
    hilfe="Kürzt die ex ante-Ansprüche aller Unternehmen im gleichen Verhältnis auf den Gesamtausgleich; Cent nach "
    "dem Verfahren der größten Reste, so dass die Summe genau stimmt. Bereich rein, Spalte raus.",
    einheit="€",
    regel=lambda s: s.regel(s.gesamtausgleich.ref),
    bereich=_bereich,
)
def abschmelzung(
    ansprueche: Annotated[list, Arg("Ansprueche", "Bereich mit den ex ante-Ansprüchen der Unternehmen in €")],
    gesamtausgleich: Annotated[Decimal, Arg("Gesamtausgleich", "verfügbarer Gesamtausgleich in €")],
    *,
    satzung: OEPNVParameter | None = None,
) -> list[Decimal]:
    """Proportional cut when the claims exceed the Gesamtausgleich (Ziffer 1.8, 3.9). Each claim gets its share
    rounded down to the cent; the cents left over go, one each, to the largest remainders (ties: earlier row)."""
    s = _satzung(satzung)
    regel = s.regel(s.gesamtausgleich.ref)
    # an empty cell is a company without a claim: it keeps its row (0), so the result lines up with the range
    werte = [Decimal("0.00") if a is None else cent(nicht_negativ(a, f"Ansprueche[{i}]", regel))
             for i, a in enumerate(ansprueche, 1)]  # fmt: skip
    gesamt = cent(nicht_negativ(gesamtausgleich, "Gesamtausgleich", regel))
    summe = schritt(regel, "Summe der Ansprüche", sum(werte, Decimal(0)))
    if summe <= gesamt:
        return schritt(regel, "Gesamtausgleich reicht: keine Abschmelzung", werte)
    if unterdeckung(summe, gesamt, satzung=s):
        warnings.warn(RegelHinweis("Unterdeckung: Gesamtausgleich liegt mehr als "
                                   f"{deutsch(s.unterdeckung.satz)} % unter der Summe der Ansprüche",
                                   s.regel(s.unterdeckung.ref)), stacklevel=2)  # fmt: skip
    anteile = abschmelzung_anteile(werte, gesamt)
    schritt(regel, "Anteile genau = Anspruch × Gesamtausgleich / Summe", [a.genau for a in anteile])
    schritt(regel, "Rang des Rests (größter zuerst)", [a.rang for a in anteile])
    return schritt(regel, "Ausgleich nach Abschmelzung (abgerundet, Restcent nach dem größten Rest)",
                   [a.zugeteilt for a in anteile])  # fmt: skip


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
    hilfe=lambda s: (
        "Höchster Ausgleich ohne Überkompensation: A = (K − P − E + r·U) / (1 − r), r = "
        f"{deutsch(s.gewinn.satz)} % Umsatzrendite auf den Umsatz einschließlich des Ausgleichs (geschlossen gelöst, "
        "kein Zirkelbezug)."
    ),
    einheit="€",
    regel=lambda s: s.regel(s.ziffern.hoechstbetrag),
    bereich=_bereich,
)
def expost_hoechstbetrag(
    k: Annotated[Decimal, Arg("K", lambda s: f"maßgebliche Kosten (nach {s.ziffern.kosten_anreiz}) in €")],
    p: Annotated[Decimal, Arg("P", "quantifizierbare positive finanzielle Auswirkungen in €")],
    e: Annotated[
        Decimal,
        Arg("E", lambda s: f"maßgebliche Einnahmen ohne diesen Ausgleich (nach {s.ziffern.einnahmen_anreiz}) in €"),
    ],
    u: Annotated[Decimal, Arg("U", "Umsatz ohne diesen Ausgleich (Tarif, SB-Erstattung, Sonstiges) in €")],
    *,
    satzung: OEPNVParameter | None = None,
) -> Decimal:
    """Ziffer 5.4 with the profit of 5.7 on the Umsatz *including* the compensation A: A ≤ K − P − E + r·(U + A),
    solved for A. May be negative (then no compensation is due; the caller takes max(0; A))."""
    s = _satzung(satzung)
    regel = s.regel(s.ziffern.hoechstbetrag)
    r = _prozent(s.gewinn.satz)
    kosten, vorteil = nicht_negativ(k, "K", regel), nicht_negativ(p, "P", regel)
    einnahmen, umsatz = nicht_negativ(e, "E", regel), nicht_negativ(u, "U", regel)
    fehlbetrag = schritt(regel, "Nettoeffekt ohne Gewinn K − P − E", kosten - vorteil - einnahmen)
    gewinn = schritt(s.regel(s.gewinn.ref), lambda: f"Gewinn auf den Umsatz r · U, r = {deutsch(s.gewinn.satz)} %",
                     r * umsatz)  # fmt: skip
    return schritt(regel, "Höchstbetrag A = (K − P − E + r · U) / (1 − r)", cent((fehlbetrag + gewinn) / (1 - r)))


@excel_funktion(
    "OEPNV_BONUS",
    hilfe=lambda s: (
        f"Bonus: {deutsch(s.bonus.anteil)} % der Kostenunterschreitung und der Mehreinnahmen gegenüber "
        f"den indizierten Werten, zusammen höchstens {deutsch(s.bonus.hoechstens)} % des Ausgleichs ohne Bonus."
    ),
    einheit="€",
    regel=lambda s: s.regel(s.bonus.ref),
    bereich=_bereich,
)
def bonus(
    k_ist: Annotated[Decimal, Arg("K_ist", "tatsächliche maßgebliche Kosten in €")],
    k_soll: Annotated[Decimal, Arg("K_soll", "indizierte Soll-Kosten in €")],
    e_ist: Annotated[Decimal, Arg("E_ist", "tatsächliche maßgebliche Einnahmen in €")],
    e_soll: Annotated[Decimal, Arg("E_soll", "indizierte Soll-Einnahmen in €")],
    ausgleich: Annotated[Decimal, Arg("Ausgleich", "Ausgleich ohne Bonus in €")],
    *,
    satzung: OEPNVParameter | None = None,
) -> Decimal:
    s = _satzung(satzung)
    regel = s.regel(s.bonus.ref)
    anteil = _prozent(s.bonus.anteil)
    kosten = schritt(regel, "Kostenunterschreitung max(0; K_soll − K_ist)", max(
        Decimal(0), nicht_negativ(k_soll, "K_soll", regel) - nicht_negativ(k_ist, "K_ist", regel)))  # fmt: skip
    einnahmen = schritt(regel, "Mehreinnahmen max(0; E_ist − E_soll)", max(
        Decimal(0), nicht_negativ(e_ist, "E_ist", regel) - nicht_negativ(e_soll, "E_soll", regel)))  # fmt: skip
    roh = schritt(regel, lambda: f"Bonus vor Begrenzung = {deutsch(s.bonus.anteil)} % der Verbesserungen",
                  cent(anteil * kosten + anteil * einnahmen))  # fmt: skip
    grenze = schritt(regel, lambda: f"Obergrenze = {deutsch(s.bonus.hoechstens)} % des Ausgleichs",
                     cent(nicht_negativ(ausgleich, "Ausgleich", regel) * _prozent(s.bonus.hoechstens)))  # fmt: skip
    if roh > grenze:
        warnings.warn(RegelHinweis(f"Bonus auf {deutsch(s.bonus.hoechstens)} % des Ausgleichs begrenzt", regel),
                      stacklevel=2)  # fmt: skip
    return schritt(regel, "Bonus = min(Bonus vor Begrenzung; Obergrenze)", min(roh, grenze))


@excel_funktion(
    "OEPNV_ANSPRUCH",
    hilfe="Anspruch = min(ex ante-Ausgleich; min(ex ante; max(0; Höchstbetrag)) + Bonus): keine Überkompensation, "
    "keine Überzahlung.",
    einheit="€",
    regel=lambda s: s.regel(s.ausgleich.ref),
    bereich=_bereich,
)
def anspruch(
    ex_ante: Annotated[Decimal, Arg("ExAnte", "gewährter ex ante-Ausgleich in €")],
    a_max: Annotated[Decimal, Arg("A_max", "Höchstbetrag nach OEPNV_EXPOST_HOECHSTBETRAG in €")],
    bonus_betrag: Annotated[Decimal, Arg("Bonus", "Bonus nach OEPNV_BONUS in €")],
    *,
    satzung: OEPNVParameter | None = None,
) -> Decimal:
    """Ziffer 5.8/5.9: the lower of ex ante and the overcompensation limit; the bonus (6.6) on top, never beyond
    the ex ante amount."""
    s = _satzung(satzung)
    regel = s.regel(s.ausgleich.ref)
    gewaehrt = nicht_negativ(ex_ante, "ExAnte", regel)
    ausgleich_ = schritt(s.regel(s.ziffern.ausgleich_expost), "Ausgleich = min(ex ante; max(0; A))",
                         min(gewaehrt, max(Decimal(0), zahl(a_max, "A_max", regel))))  # fmt: skip
    return anspruch_aus_ausgleich(gewaehrt, ausgleich_, nicht_negativ(bonus_betrag, "Bonus", regel), satzung=s)


def anspruch_aus_ausgleich(
    gewaehrt: Decimal, ausgleich: Decimal, bonus_betrag: Decimal, *, satzung: OEPNVParameter | None = None
) -> Decimal:
    """Ziffer 5.8, 5.9, 6.6 once the Ausgleich is known: the bonus on top, never beyond the granted amount."""
    s = _satzung(satzung)
    return schritt(s.regel(s.ausgleich.ref), "Anspruch = min(ex ante; Ausgleich + Bonus)",
                   cent(min(gewaehrt, ausgleich + bonus_betrag)))  # fmt: skip


@excel_funktion(
    "OEPNV_KUERZUNG_AUSFALL",
    hilfe="Kürzung für ausgefallene Fahrten: ex ante-Ausgleich je geplantem Fahrplan-km × ausgefallene Fahrplan-km.",
    einheit="€",
    regel=lambda s: s.regel(s.ausfall.ref),
    bereich=_bereich,
)
def kuerzung_ausfall(
    ex_ante: Annotated[Decimal, Arg("ExAnte", "ex ante-Ausgleich in €")],
    fplkm_soll: Annotated[Decimal, Arg("Fplkm_Soll", "geplante Fahrplan-km nach Anlage 1")],
    fplkm_ausgefallen: Annotated[Decimal, Arg("Fplkm_ausgefallen", "nicht erbrachte Fahrplan-km")],
    *,
    satzung: OEPNVParameter | None = None,
) -> Decimal:
    s = _satzung(satzung)
    regel = s.regel(s.ausfall.ref)
    soll = positiv(fplkm_soll, "Fplkm_Soll", regel)
    ausgefallen = nicht_negativ(fplkm_ausgefallen, "Fplkm_ausgefallen", regel)
    if ausgefallen > soll:
        raise Eingabefehler("Fplkm_ausgefallen", fplkm_ausgefallen, "größer als die geplanten Fahrplan-km", regel)
    je_km = schritt(regel, "ex ante-Ausgleich je geplantem Fahrplan-km", nicht_negativ(ex_ante, "ExAnte", regel) / soll)
    return schritt(regel, "Kürzung = je Fahrplan-km × ausgefallene Fahrplan-km", cent(je_km * ausgefallen))


@excel_funktion(
    "OEPNV_LEISTUNGSAENDERUNG",
    hilfe="Anpassung des Ausgleichs bei genehmigter Leistungsänderung: ex ante je Fahrplan-km × Änderung der "
    "Fahrplan-km (negativ bei Minderleistung). Ergebnis ist der Anpassungsbetrag.",
    einheit="€",
    regel=lambda s: s.regel(s.leistungsaenderung.ref),
    bereich=_bereich,
)
def leistungsaenderung(
    ex_ante: Annotated[Decimal, Arg("ExAnte", "ex ante-Ausgleich in €")],
    fplkm: Annotated[Decimal, Arg("Fplkm", "Fahrplan-km der Basisverkehrsleistung")],
    delta: Annotated[Decimal, Arg("Delta", "Änderung der Fahrplan-km (+/−)")],
    *,
    satzung: OEPNVParameter | None = None,
) -> Decimal:
    s = _satzung(satzung)
    regel = s.regel(s.leistungsaenderung.ref)
    basis = positiv(fplkm, "Fplkm", regel)
    aenderung = zahl(delta, "Delta", regel)
    if neubestimmung_noetig(basis, aenderung, satzung=s):
        grenze = deutsch(s.leistungsaenderung.satz)
        text = f"Fahrplan-km ändern sich um mehr als ± {grenze} %: Neubestimmung des Ausgleichs"
        warnings.warn(RegelHinweis(text, s.regel(s.ziffern.neubestimmung)), stacklevel=2)
    je_km = schritt(regel, "ex ante-Ausgleich je Fahrplan-km", nicht_negativ(ex_ante, "ExAnte", regel) / basis)
    return schritt(regel, "Anpassung = je Fahrplan-km × Änderung der Fahrplan-km", cent(je_km * aenderung))


@excel_funktion(
    "OEPNV_ABSCHLAEGE",
    hilfe=lambda s: (
        f"Vorauszahlungen: {deutsch(s.abschlaege.anteil)} % des ex ante-Ausgleichs in "
        f"{s.abschlaege.raten} gleichen Monatsraten (die letzte nimmt den Cent-Rest auf), dann der Rest nach der "
        f"Überkompensationskontrolle. Spalte mit {s.abschlaege.raten + 1} Werten."
    ),
    einheit="€",
    regel=lambda s: s.regel(s.abschlaege.ref),
    bereich=_bereich,
)
def abschlaege(
    ex_ante: Annotated[Decimal, Arg("ExAnte", "ex ante-Ausgleich in €")], *, satzung: OEPNVParameter | None = None
) -> list[Decimal]:
    s = _satzung(satzung)
    regel = s.regel(s.abschlaege.ref)
    betrag = cent(nicht_negativ(ex_ante, "ExAnte", regel))
    vorab = schritt(regel, lambda: f"Vorauszahlungen = {deutsch(s.abschlaege.anteil)} % des ex ante-Ausgleichs",
                    cent(betrag * _prozent(s.abschlaege.anteil)))  # fmt: skip
    rate = schritt(regel, lambda: f"Monatsrate = Vorauszahlungen / {s.abschlaege.raten}",
                   cent(vorab / s.abschlaege.raten))  # fmt: skip
    raten = [rate] * (s.abschlaege.raten - 1)
    raten.append(schritt(regel, lambda: f"Monatsrate {s.abschlaege.raten} (nimmt den Cent-Rest auf)",
                         vorab - rate * (s.abschlaege.raten - 1)))  # fmt: skip
    return [*raten, schritt(regel, "Rest nach der Überkompensationskontrolle", betrag - vorab)]


def _zinsabschnitt(von: dt.date, bis: dt.date, tage: int, satz: Decimal) -> str:
    return f"Zinsen {von:%d.%m.%Y} bis {bis:%d.%m.%Y} (ausschließlich): {tage} Tage zu {deutsch(satz)} %"


def _basiszins(tag: dt.date, regel: str, basiszins: Basiszins) -> Decimal:
    werte = basiszins.werte
    gueltig = [w for w in werte if w.ab <= tag]
    halbjahr = dt.date(tag.year, 1 if tag.month < 7 else 7, 1)
    if not gueltig or (tag >= max(w.ab for w in werte) and halbjahr > max(w.ab for w in werte)):
        raise Eingabefehler("Basiszinssatz", f"{halbjahr:%d.%m.%Y}", "für dieses Halbjahr nicht hinterlegt – bitte in "
                            "basiszinssatz.toml ergänzen (pyxl/parameter/ oder eine eigene Kopie in einem Ordner aus "
                            "PYXL_PARAMETER, die die des Pakets ersetzt)", regel)  # fmt: skip
    return gueltig[-1].satz


@excel_funktion(
    "OEPNV_RUECKZAHLUNGSZINS",
    hilfe=lambda s: (
        f"Zinsen auf eine Überzahlung: Basiszinssatz (§ 247 BGB) + {deutsch(s.zins.aufschlag)} "
        f"Prozentpunkte, tageweise (Tage/{s.zins.tage_im_jahr}), Zinssatzwechsel zum 1.1./1.7., höchstens die "
        "Überzahlung."
    ),
    einheit="€",
    regel=lambda s: s.regel(s.zins.ref),
    bereich=_bereich,
)
def rueckzahlungszins(
    betrag: Annotated[Decimal, Arg("Betrag", "Überzahlung in €")],
    von: Annotated[dt.date, Arg("Von", "Tag der ersten Überzahlung (Datum)")],
    bis: Annotated[dt.date, Arg("Bis", "Tag der Rückzahlung (Datum)")],
    *,
    satzung: OEPNVParameter | None = None,
    basiszins: Basiszins | None = None,
) -> Decimal:
    """Simple interest per half-year segment [start, end), actual days / 365. Reading: a (theoretical) negative
    rate yields no interest — the rule knows interest owed to the county only. ``basiszins``: the table (default:
    the current one; ``pyxl fn --stand`` chooses the edition valid at a date)."""
    s = _satzung(satzung)
    tabelle = beobachtet(basiszins or parameter.basiszinssatz())
    regel = s.regel(s.zins.ref)
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
        satz = max(Decimal(0), _basiszins(tag, regel, tabelle) + s.zins.aufschlag)
        tage = (abschnitt_ende - tag).days
        text = partial(_zinsabschnitt, tag, abschnitt_ende, tage, satz)  # formatted only when traced
        zinsen += schritt(regel, text, ueberzahlung * satz / HUNDERT * tage / s.zins.tage_im_jahr)
        tag = abschnitt_ende
    if zinsen > ueberzahlung:
        warnings.warn(RegelHinweis("Zinsen auf die Höhe der Überzahlung begrenzt", regel), stacklevel=2)
    return schritt(regel, "Rückzahlungszins (höchstens die Überzahlung)", cent(min(zinsen, ueberzahlung)))
