"""RZWas Anlage 2a/2b — Kostenpauschale, Ingenieur-Zuschlag, Ausbaukosten, Zuwendungssatz, Zuwendung.

Every number and clause comes from the parameter set passed as ``regeln`` (without one: the edition in force today);
the intermediate values are marked for the trace.
"""

from __future__ import annotations

import warnings
from decimal import Decimal
from typing import Annotated

from pyxl import parameter
from pyxl.functions.eingabe import auswahl, ganzzahl, menge, nicht_negativ, positiv
from pyxl.functions.fehler import Eingabefehler, RegelHinweis
from pyxl.functions.geld import cent, runde
from pyxl.functions.registry import Arg, excel_funktion
from pyxl.functions.spur import beobachtet, schritt
from pyxl.functions.zahlen import deutsch
from pyxl.parameter import Ingenieurzuschlag, RZWasParameter


def _bereich(r: RZWasParameter) -> str:
    return r.meta.kurz


def _regel_zh(r: RZWasParameter) -> str:
    return r.regel(r.zuwendungssatz.ref)


def _regel_ak(r: RZWasParameter) -> str:
    return r.regel(r.ausbaukosten.ref)


def _regel_kp(r: RZWasParameter) -> str:
    return r.regel(r.mengen.ref_kostenpauschale)


def _regel_zuschlag(r: RZWasParameter) -> str:
    return r.regel(r.ingenieurzuschlag.ref)


@excel_funktion(
    "RZW_KOSTENPAUSCHALE",
    hilfe="Kostenpauschale KP = Kostenrichtwert × Menge, kaufmännisch auf Cent gerundet.",
    einheit="€",
    regel=_regel_kp,
    bereich=_bereich,
)
def kostenpauschale(
    krw: Annotated[Decimal, Arg("KRW", "Kostenrichtwert in € je Mengeneinheit")],
    anzahl: Annotated[Decimal, Arg("Menge", "Mengenansatz (l/s, m, m³, EW, EZ), ganzzahlig")],
    *,
    regeln: RZWasParameter | None = None,
) -> Decimal:
    r = beobachtet(regeln or parameter.rzwas())
    regel = _regel_kp(r)
    wert = positiv(krw, "KRW", regel)
    roh = schritt(regel, "KP = KRW × Menge", wert * menge(anzahl, "Menge", r.regel(r.mengen.ref)))
    return schritt(regel, "KP auf Cent gerundet", cent(roh))


def _sparten(r: RZWasParameter) -> dict[str, Ingenieurzuschlag]:
    return {"wasser": r.anl2a.ingenieurzuschlag, "abwasser": r.anl2b.ingenieurzuschlag}


def ingenieurzuschlag_satz(
    summe: Decimal, weitere_bueros: int, zuschlag: Ingenieurzuschlag, regeln: RZWasParameter
) -> Decimal:
    """The Zuschlag in percent (Nr. 2.11) of ``zuschlag``, a table of ``regeln`` (whose edition is cited).

    Reading (spec/rzwas.md): the threshold compares the same sum the rate applies to ("über 5 Mio. Euro": strictly
    greater), and the lower rate then applies to the whole sum — a cliff at 5 Mio €, as written. Each further
    office adds its points up to the rule's own maximum; more offices than that maximum covers are legal, they
    only earn no more points (a Hinweis says so).
    """
    regel = regeln.regel(zuschlag.ref)
    if summe > zuschlag.schwelle:
        grundsatz = schritt(regel, "Grundsatz (Summe über der Schwelle) in %", zuschlag.satz_ueber_schwelle)
    else:
        grundsatz = schritt(regel, "Grundsatz (Summe bis zur Schwelle) in %", zuschlag.satz)
    zusatz = weitere_bueros * zuschlag.je_weiterem_buero
    if zusatz > zuschlag.hoechstens_zusaetzlich:
        warnings.warn(
            RegelHinweis(
                f"{weitere_bueros} weitere Büros: angerechnet werden höchstens "
                f"{deutsch(zuschlag.hoechstens_zusaetzlich)} Prozentpunkte",
                regel,
            ),
            stacklevel=3,
        )
        zusatz = zuschlag.hoechstens_zusaetzlich
    schritt(regel, "Zusatz für weitere Büros in Prozentpunkten (höchstens der Höchstzusatz)", zusatz)
    return schritt(regel, "Zuschlagssatz in %", grundsatz + zusatz)


def _zuschlag_hilfe(r: RZWasParameter) -> str:
    z = r.anl2a.ingenieurzuschlag  # 2a and 2b share their rates; only basis and clause differ
    return (
        f"Pauschaler Zuschlag für Architekten- und Ingenieurleistungen: {deutsch(z.satz)} % der Summe "
        f"({deutsch(z.satz_ueber_schwelle)} % über {deutsch(z.schwelle)} €), "
        f"+{deutsch(z.je_weiterem_buero)} Prozentpunkte je weiterem Büro für Alternativplanungen, höchstens "
        f"+{deutsch(z.hoechstens_zusaetzlich)}. Sparte „wasser“: Summe aus KP, KA und KF (Anl. 2a); "
        "„abwasser“: Summe der Kostenpauschalen (Anl. 2b)."
    )


@excel_funktion(
    "RZW_INGENIEURZUSCHLAG",
    hilfe=_zuschlag_hilfe,
    einheit="€",
    regel=_regel_zuschlag,
    bereich=_bereich,
)
def ingenieurzuschlag(
    summe: Annotated[Decimal, Arg("Summe", "Summe der zwf. Kosten (Wasser: KP+KA+KF; Abwasser: Summe der KP) in €")],
    weitere_bueros: Annotated[
        Decimal, Arg("weitere_Bueros", "Anzahl weiterer beauftragter Büros für Alternativplanungen (LPH 1–2)")
    ] = Decimal(0),
    sparte: Annotated[str, Arg("Sparte", "„wasser“ (Vorgabe, Anl. 2a) oder „abwasser“ (Anl. 2b)")] = "wasser",
    *,
    regeln: RZWasParameter | None = None,
) -> Decimal:
    """Zuschlag in € = Summe × Satz / 100, cents half-up. The Sparte decides which clause and which sum apply."""
    r = beobachtet(regeln or parameter.rzwas())
    zuschlag = auswahl(sparte, "Sparte", _sparten(r), _regel_zuschlag(r))
    regel = r.regel(zuschlag.ref)
    basis = nicht_negativ(summe, "Summe", regel)
    bueros = ganzzahl(weitere_bueros, "weitere_Bueros", regel)
    roh = schritt(
        regel, "Zuschlag = Summe × Satz / 100", basis * ingenieurzuschlag_satz(basis, bueros, zuschlag, r) / 100
    )
    return schritt(regel, "Zuschlag auf Cent gerundet", cent(roh))


@excel_funktion(
    "RZW_AUSBAUKOSTEN",
    hilfe="Ausbaukosten AK = Investitionskosten / Wasser- bzw. Abwasseranteile (Einwohner mit Hauptwohnsitz + "
    "Einwohnergleichwerte), in €/WA bzw. €/AA, auf Cent gerundet.",
    einheit="€/WA bzw. €/AA",
    regel=_regel_ak,
    bereich=_bereich,
)
def ausbaukosten(
    investitionskosten: Annotated[Decimal, Arg("Investitionskosten", "Summe der Investitionskosten in €")],
    anteile: Annotated[Decimal, Arg("Anteile", "Wasser- bzw. Abwasseranteile (Einwohner + Einwohnergleichwerte)")],
    *,
    regeln: RZWasParameter | None = None,
) -> Decimal:
    """Anlage 4 is named but not printed in the seed; the form follows spec/rzwas.md: AK = I / Anteile."""
    regel = _regel_ak(beobachtet(regeln or parameter.rzwas()))
    kosten = positiv(investitionskosten, "Investitionskosten", regel)
    roh = schritt(regel, "AK = Investitionskosten / Anteile", kosten / positiv(anteile, "Anteile", regel))
    return schritt(regel, "AK auf Cent gerundet", cent(roh))


def _vertrauensschutz_abzug(stufe: object, r: RZWasParameter) -> Decimal:
    abzuege = r.vertrauensschutz.abzug
    regel = r.regel(r.vertrauensschutz.ref)
    nummer = ganzzahl(stufe, "Vertrauensschutz", regel)
    if nummer >= len(abzuege):
        erlaubt = ", ".join(str(i) for i in range(len(abzuege)))
        raise Eingabefehler("Vertrauensschutz", stufe, f"zulässig sind {erlaubt}", regel)
    return abzuege[nummer]


def _hilfe_vertrauensschutz(r: RZWasParameter) -> str:
    """The argument's help: the programmes and their points from the edition."""
    abzug = r.vertrauensschutz.abzug
    programme = ", ".join(f"{i} = Programm {'I' * i} (−{deutsch(p)})" for i, p in enumerate(abzug) if i)
    return f"0 = keins (Vorgabe), {programme}"


def _zuwendungssatz_hilfe(r: RZWasParameter) -> str:
    zh, abzug = r.zuwendungssatz, r.vertrauensschutz.abzug
    return (
        f"Zuwendungssatz ZH in % aus den Ausbaukosten AK: unter {deutsch(zh.foerderschwelle)} €/WA 0 "
        f"(Förderschwelle); bis unter {deutsch(zh.grenze)}: {deutsch(zh.a1)} − {deutsch(zh.b1)}/AK; ab "
        f"{deutsch(zh.grenze)}: {deutsch(zh.a2)} − {deutsch(zh.b2)}/AK, höchstens {deutsch(zh.max)}; auf "
        f"{zh.stellen} Nachkommastellen gerundet. Vertrauensschutzprogramm I bzw. II mindert um "
        f"{deutsch(abzug[1])} bzw. {deutsch(abzug[2])} Prozentpunkte."
    )


@excel_funktion(
    "RZW_ZUWENDUNGSSATZ",
    hilfe=_zuwendungssatz_hilfe,
    einheit="%",
    regel=_regel_zh,
    bereich=_bereich,
)
def zuwendungssatz(
    ak: Annotated[Decimal, Arg("AK", "Ausbaukosten in €/WA bzw. €/AA (Anlage 4)")],
    vertrauensschutz: Annotated[Decimal, Arg("Vertrauensschutz", _hilfe_vertrauensschutz)] = Decimal(0),
    *,
    regeln: RZWasParameter | None = None,
) -> Decimal:
    """ZH per Nr. 3.1, rounded half-up to two decimals; then the Vertrauensschutz reduction, never below 0.

    The reduction is applied to the rounded ZH: the points are whole numbers, so the order does not change the
    result, and the rounded ZH is the one the Bescheid states.
    """
    r = beobachtet(regeln or parameter.rzwas())
    zh, regel = r.zuwendungssatz, _regel_zh(r)
    kosten = positiv(ak, "AK", regel)
    abzug = _vertrauensschutz_abzug(vertrauensschutz, r)
    if kosten < zh.foerderschwelle:
        schritt(regel, "Zweig", "Förderschwelle: AK unter der Schwelle, ZH = 0")
        satz = Decimal(0)
    elif kosten < zh.grenze:
        schritt(regel, "Zweig", "erste Formel: AK ab der Förderschwelle, unter der Grenze")
        roh = schritt(regel, "ZH = a1 − b1 / AK, ungerundet", zh.a1 - zh.b1 / kosten)
        satz = schritt(regel, "ZH gerundet", runde(roh, zh.stellen))
    else:
        schritt(regel, "Zweig", "zweite Formel: AK ab der Grenze")
        roh = schritt(regel, "ZH = a2 − b2 / AK, ungerundet", zh.a2 - zh.b2 / kosten)
        gekappt = schritt(regel, "ZH höchstens max", min(zh.max, roh))
        satz = schritt(regel, "ZH gerundet", runde(gekappt, zh.stellen))
    schritt(r.regel(r.vertrauensschutz.ref), "Abzug Vertrauensschutz in Prozentpunkten", abzug)
    return schritt(regel, "ZH nach Abzug, nicht unter 0", runde(max(Decimal(0), satz - abzug), zh.stellen))


@excel_funktion(
    "RZW_ZUWENDUNG",
    hilfe="Zuwendung in € = zuwendungsfähige Kosten × Zuwendungssatz ZH(AK) / 100, auf Cent gerundet.",
    einheit="€",
    regel=_regel_zh,
    bereich=_bereich,
)
def zuwendung(
    zwf_kosten: Annotated[Decimal, Arg("zwf_Kosten", "zuwendungsfähige Kosten in € (Anlage 3a/3b)")],
    ak: Annotated[Decimal, Arg("AK", "Ausbaukosten in €/WA bzw. €/AA (Anlage 4)")],
    vertrauensschutz: Annotated[Decimal, Arg("Vertrauensschutz", _hilfe_vertrauensschutz)] = Decimal(0),
    *,
    regeln: RZWasParameter | None = None,
) -> Decimal:
    r = beobachtet(regeln or parameter.rzwas())
    regel = _regel_zh(r)
    kosten = nicht_negativ(zwf_kosten, "zwf_Kosten", regel)
    satz = zuwendungssatz(ak, vertrauensschutz, regeln=r)
    roh = schritt(regel, "Zuwendung = zwf. Kosten × ZH / 100", kosten * satz / 100)
    return schritt(regel, "Zuwendung auf Cent gerundet", cent(roh))
