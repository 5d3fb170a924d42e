"""RZWas 2005 Anlage 2a/2b — Kostenpauschale, Ingenieur-Zuschlag, Ausbaukosten, Zuwendungssatz, Zuwendung."""

from __future__ import annotations

import warnings
from decimal import Decimal
from typing import Annotated

from pyxl import parameter
from pyxl.functions.eingabe import auswahl, ganzzahl, menge, nicht_negativ, positiv
from pyxl.functions.fehler import Eingabefehler, RegelHinweis
from pyxl.functions.geld import cent, runde
from pyxl.functions.registry import Arg, excel_funktion
from pyxl.functions.zahlen import deutsch
from pyxl.parameter import Ingenieurzuschlag

P = parameter.rzwas("2005")
ZH = P.zuwendungssatz
BEREICH = P.meta.kurz
REGEL_ZH = P.regel(f"{P.anl2a.zuwendungssatz.ref}, {P.anl2b.zuwendungssatz.ref}")
REGEL_VS = P.vertrauensschutz.ref
REGEL_AK = P.regel(P.ausbaukosten.ref)
REGEL_KP = P.regel(P.mengen.ref_kostenpauschale)
REGEL_MENGE = P.regel(f"{P.mengen.ref_wasser}, {P.mengen.ref_abwasser}")
REGEL_ZUSCHLAG = P.regel(f"{P.anl2a.ingenieurzuschlag.ref}, {P.anl2b.ingenieurzuschlag.ref}")


@excel_funktion(
    "RZW_KOSTENPAUSCHALE",
    hilfe="Kostenpauschale KP = Kostenrichtwert × Menge, kaufmännisch auf Cent gerundet.",
    einheit="€",
    regel=REGEL_KP,
    bereich=BEREICH,
)
def kostenpauschale(
    krw: Annotated[Decimal, Arg("KRW", "Kostenrichtwert in € je Mengeneinheit")],
    anzahl: Annotated[Decimal, Arg("Menge", "Mengenansatz (l/s, m, m³, EW, EZ), ganzzahlig")],
) -> Decimal:
    wert = positiv(krw, "KRW", REGEL_KP)
    return cent(wert * menge(anzahl, "Menge", REGEL_MENGE))


_SPARTEN = {"wasser": P.anl2a.ingenieurzuschlag, "abwasser": P.anl2b.ingenieurzuschlag}
_ZUSCHLAG = P.anl2a.ingenieurzuschlag  # 2a and 2b share their rates; only basis and clause differ


def ingenieurzuschlag_satz(summe: Decimal, weitere_bueros: int, zuschlag: Ingenieurzuschlag) -> Decimal:
    """The Zuschlag in percent (Nr. 2.11).

    Reading (spec/rzwas.md): the threshold compares the same sum the rate applies to ("über 5 Mio. Euro": strictly
    greater), and the lower rate then applies to the whole sum — a cliff at 5 Mio €, as written. Each further
    office adds its points up to the rule's own maximum; more offices than that maximum covers are legal, they
    only earn no more points (a Hinweis says so).
    """
    grundsatz = zuschlag.satz_ueber_schwelle if summe > zuschlag.schwelle else zuschlag.satz
    zusatz = weitere_bueros * zuschlag.je_weiterem_buero
    if zusatz > zuschlag.hoechstens_zusaetzlich:
        warnings.warn(
            RegelHinweis(
                f"{weitere_bueros} weitere Büros: angerechnet werden höchstens "
                f"{deutsch(zuschlag.hoechstens_zusaetzlich)} Prozentpunkte",
                P.regel(zuschlag.ref),
            ),
            stacklevel=3,
        )
        zusatz = zuschlag.hoechstens_zusaetzlich
    return grundsatz + zusatz


@excel_funktion(
    "RZW_INGENIEURZUSCHLAG",
    hilfe=f"Pauschaler Zuschlag für Architekten- und Ingenieurleistungen: {deutsch(_ZUSCHLAG.satz)} % der Summe "
    f"({deutsch(_ZUSCHLAG.satz_ueber_schwelle)} % über {deutsch(_ZUSCHLAG.schwelle)} €), "
    f"+{deutsch(_ZUSCHLAG.je_weiterem_buero)} Prozentpunkte je weiterem Büro für Alternativplanungen, höchstens "
    f"+{deutsch(_ZUSCHLAG.hoechstens_zusaetzlich)}. Sparte „wasser“: Summe aus KP, KA und KF (Anl. 2a); "
    "„abwasser“: Summe der Kostenpauschalen (Anl. 2b).",
    einheit="€",
    regel=REGEL_ZUSCHLAG,
    bereich=BEREICH,
)
def ingenieurzuschlag(
    summe: Annotated[Decimal, Arg("Summe", "Summe der zwf. Kosten (Wasser: KP+KA+KF; Abwasser: Summe der KP) in €")],
    weitere_bueros: Annotated[
        Decimal, Arg("weitere_Bueros", "Anzahl weiterer beauftragter Büros für Alternativplanungen (LPH 1–2)")
    ] = Decimal(0),
    sparte: Annotated[str, Arg("Sparte", "„wasser“ (Vorgabe, Anl. 2a) oder „abwasser“ (Anl. 2b)")] = "wasser",
) -> Decimal:
    """Zuschlag in € = Summe × Satz / 100, cents half-up. The Sparte decides which clause and which sum apply."""
    zuschlag = auswahl(sparte, "Sparte", _SPARTEN, REGEL_ZUSCHLAG)
    regel = P.regel(zuschlag.ref)
    basis = nicht_negativ(summe, "Summe", regel)
    bueros = ganzzahl(weitere_bueros, "weitere_Bueros", regel)
    return cent(basis * ingenieurzuschlag_satz(basis, bueros, zuschlag) / 100)


@excel_funktion(
    "RZW_AUSBAUKOSTEN",
    hilfe="Ausbaukosten AK = Investitionskosten / Wasser- bzw. Abwasseranteile (Einwohner mit Hauptwohnsitz + "
    "Einwohnergleichwerte), in €/WA bzw. €/AA, auf Cent gerundet.",
    einheit="€/WA bzw. €/AA",
    regel=REGEL_AK,
    bereich=BEREICH,
)
def ausbaukosten(
    investitionskosten: Annotated[Decimal, Arg("Investitionskosten", "Summe der Investitionskosten in €")],
    anteile: Annotated[Decimal, Arg("Anteile", "Wasser- bzw. Abwasseranteile (Einwohner + Einwohnergleichwerte)")],
) -> Decimal:
    """Anlage 4 is named but not printed in the seed; the form follows spec/rzwas.md: AK = I / Anteile."""
    kosten = positiv(investitionskosten, "Investitionskosten", REGEL_AK)
    return cent(kosten / positiv(anteile, "Anteile", REGEL_AK))


def _vertrauensschutz_abzug(stufe: object) -> Decimal:
    abzuege = P.vertrauensschutz.abzug
    nummer = ganzzahl(stufe, "Vertrauensschutz", REGEL_VS)
    if nummer >= len(abzuege):
        erlaubt = ", ".join(str(i) for i in range(len(abzuege)))
        raise Eingabefehler("Vertrauensschutz", stufe, f"zulässig sind {erlaubt}", REGEL_VS)
    return abzuege[nummer]


@excel_funktion(
    "RZW_ZUWENDUNGSSATZ",
    hilfe=f"Zuwendungssatz ZH in % aus den Ausbaukosten AK: unter {deutsch(ZH.foerderschwelle)} €/WA 0 "
    f"(Förderschwelle); bis unter {deutsch(ZH.grenze)}: {deutsch(ZH.a1)} − {deutsch(ZH.b1)}/AK; ab "
    f"{deutsch(ZH.grenze)}: {deutsch(ZH.a2)} − {deutsch(ZH.b2)}/AK, höchstens {deutsch(ZH.max)}; auf "
    f"{ZH.stellen} Nachkommastellen gerundet. Vertrauensschutzprogramm I bzw. II mindert um "
    f"{deutsch(P.vertrauensschutz.abzug[1])} bzw. {deutsch(P.vertrauensschutz.abzug[2])} Prozentpunkte.",
    einheit="%",
    regel=REGEL_ZH,
    bereich=BEREICH,
)
def zuwendungssatz(
    ak: Annotated[Decimal, Arg("AK", "Ausbaukosten in €/WA bzw. €/AA (Anlage 4)")],
    vertrauensschutz: Annotated[
        Decimal, Arg("Vertrauensschutz", "0 = keins (Vorgabe), 1 = Programm I (−15), 2 = Programm II (−30)")
    ] = Decimal(0),
) -> Decimal:
    """ZH per Nr. 3.1, rounded half-up to two decimals; then the Vertrauensschutz reduction, never below 0.

    The reduction is applied to the rounded ZH: the points are whole numbers, so the order does not change the
    result, and the rounded ZH is the one the Bescheid states.
    """
    kosten = positiv(ak, "AK", REGEL_ZH)
    abzug = _vertrauensschutz_abzug(vertrauensschutz)
    if kosten < ZH.foerderschwelle:
        satz = Decimal(0)  # Förderschwelle
    elif kosten < ZH.grenze:
        satz = runde(ZH.a1 - ZH.b1 / kosten, ZH.stellen)
    else:
        satz = runde(min(ZH.max, ZH.a2 - ZH.b2 / kosten), ZH.stellen)
    return runde(max(Decimal(0), satz - abzug), ZH.stellen)


@excel_funktion(
    "RZW_ZUWENDUNG",
    hilfe="Zuwendung in € = zuwendungsfähige Kosten × Zuwendungssatz ZH(AK) / 100, auf Cent gerundet.",
    einheit="€",
    regel=REGEL_ZH,
    bereich=BEREICH,
)
def zuwendung(
    zwf_kosten: Annotated[Decimal, Arg("zwf_Kosten", "zuwendungsfähige Kosten in € (Anlage 3a/3b)")],
    ak: Annotated[Decimal, Arg("AK", "Ausbaukosten in €/WA bzw. €/AA (Anlage 4)")],
    vertrauensschutz: Annotated[
        Decimal, Arg("Vertrauensschutz", "0 = keins (Vorgabe), 1 = Programm I (−15), 2 = Programm II (−30)")
    ] = Decimal(0),
) -> Decimal:
    kosten = nicht_negativ(zwf_kosten, "zwf_Kosten", REGEL_ZH)
    return cent(kosten * zuwendungssatz(ak, vertrauensschutz) / 100)
