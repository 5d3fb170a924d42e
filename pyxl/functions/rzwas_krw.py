"""RZWas 2005 Anlage 2a/2b Nr. 2 — Kostenrichtwerte (KRW) as Excel functions.

Every number comes from the edition's parameter data (``pyxl/parameter/rzwas_2005.toml``). A formula KRW is capped
first, then rounded half-up to cents (spec/rzwas.md "Quantities and rounding").
"""

from __future__ import annotations

import math
import warnings
from decimal import Decimal
from typing import Annotated

from pyxl import parameter
from pyxl.functions.eingabe import auswahl, ganzzahl, menge, positiv
from pyxl.functions.fehler import Eingabefehler, KeinRichtwert, RegelHinweis
from pyxl.functions.geld import cent, potenz
from pyxl.functions.registry import Arg, excel_funktion
from pyxl.functions.zahlen import deutsch
from pyxl.parameter import Potenzformel, Stufentabelle

P = parameter.rzwas("2005")
A2A, A2B = P.anl2a, P.anl2b
BEREICH = P.meta.kurz
MENGE_WASSER = P.regel(P.mengen.ref_wasser)
MENGE_ABWASSER = P.regel(P.mengen.ref_abwasser)


def _potenz_krw(formel: Potenzformel, x: Decimal) -> Decimal:
    """KRW = a · x^exponent, höchstens max; capped first, then cents."""
    return cent(min(formel.max, potenz(formel.a, x, formel.exponent)))


def _formel(formel: Potenzformel) -> str:
    """The formula as help text, from the same parameters the calculation uses."""
    return (
        f"{deutsch(formel.a)} · x^{deutsch(formel.exponent)} {formel.einheit}, "
        f"höchstens {deutsch(formel.max)} {formel.einheit}"
    )


def _stufe(tabelle: Stufentabelle, dn: int) -> Decimal | None:
    """The KRW of the next listed DN at or above ``dn``; ``None`` above the last step."""
    for stufe, krw in zip(tabelle.dn, tabelle.krw, strict=True):
        if dn <= stufe:
            return krw
    return None


# ---------------------------------------------------------------- Anlage 2a — Wasserversorgung


@excel_funktion(
    "RZW_KRW_WASSERLEITUNG",
    hilfe="Kostenrichtwert für Wasserleitungen und Schachtbauwerke nach Nennweite (€/m). Zwischen zwei "
    f"Tabellenwerten gilt die nächstgrößere Nennweite; über DN {A2A.wasserleitung.dn[-1]} gelten die Kosten "
    "nach Kostenanschlag/Kostenfeststellung.",
    einheit=A2A.wasserleitung.einheit,
    regel=P.regel(A2A.wasserleitung.ref),
    bereich=BEREICH,
)
def krw_wasserleitung(dn: Annotated[Decimal, Arg("DN", "Nennweite in mm (ganzzahlig)")]) -> Decimal:
    regel = P.regel(A2A.wasserleitung.ref)
    nennweite = ganzzahl(dn, "DN", regel, mindestens=1)
    krw = _stufe(A2A.wasserleitung, nennweite)
    if krw is None:
        raise KeinRichtwert(
            "DN",
            dn,
            f"über DN {A2A.wasserleitung.dn[-1]} kein Kostenrichtwert – Kosten nach Kostenanschlag/Kostenfeststellung",
            regel,
        )
    return cent(krw)


@excel_funktion(
    "RZW_KRW_GEBAEUDE",
    hilfe="Kostenrichtwert für Gebäude und Außenanlagen der Wasserversorgung nach umbautem Raum V: "
    f"{deutsch(A2A.gebaeude.a)} − {deutsch(A2A.gebaeude.b)} · V {A2A.gebaeude.einheit}.",
    einheit=A2A.gebaeude.einheit,
    regel=P.regel(A2A.gebaeude.ref),
    bereich=BEREICH,
)
def krw_gebaeude(v: Annotated[Decimal, Arg("V", "umbauter Raum des Gebäudes in m³ (ganzzahlig)")]) -> Decimal:
    """KRW_Geb = a − b · V.

    The formula reaches 0 at V = a/b (12.500 m³): from there on there is no KRW, an error. The Kostenpauschale
    KRW·V peaks at V = a/(2b) (6.250 m³) and falls beyond, so a larger building would get less money than a
    smaller one: a Hinweis says so (spec/rzwas.md, Anl. 2a Nr. 2.7).
    """
    formel = A2A.gebaeude
    regel = P.regel(formel.ref)
    raum = menge(v, "V", MENGE_WASSER)
    nullstelle = formel.a / formel.b
    if raum >= nullstelle:
        raise Eingabefehler(
            "V", v, f"ab {deutsch(nullstelle)} m³ ergibt die Formel keinen positiven Kostenrichtwert", regel
        )
    scheitel = nullstelle / 2
    if raum > scheitel:
        warnings.warn(
            RegelHinweis(f"V über {deutsch(scheitel)} m³: die Kostenpauschale KRW·V sinkt mit wachsendem Raum", regel),
            stacklevel=2,
        )
    return cent(formel.a - formel.b * raum)


# ---------------------------------------------------------------- Anlage 2b — Abwasseranlagen


@excel_funktion(
    "RZW_KRW_ORTSENTWAESSERUNG",
    hilfe=f"Kostenrichtwert Ortsentwässerung: {_formel(A2B.ortsentwaesserung)}; x = Kanallänge in m je "
    "entsorgtem Einwohner.",
    einheit=A2B.ortsentwaesserung.einheit,
    regel=P.regel(A2B.ortsentwaesserung.ref),
    bereich=BEREICH,
)
def krw_ortsentwaesserung(
    x: Annotated[Decimal, Arg("x", "spezifische Kanallänge in m je entsorgtem Einwohner (Verhältniszahl, > 0)")],
) -> Decimal:
    """x is a ratio, not a quantity: it may be fractional (spec/rzwas.md Anl. 2b Nr. 2.1)."""
    formel = A2B.ortsentwaesserung
    return _potenz_krw(formel, positiv(x, "x", P.regel(formel.ref)))


@excel_funktion(
    "RZW_KRW_FREISPIEGELLEITUNG",
    hilfe="Kostenrichtwert für Freispiegelleitungen als Verbindungsleitungen nach Nennweite (€/m); zwischen zwei "
    "Tabellenwerten die nächstgrößere. Für Sonderprofile statt DN die Querschnittsfläche in m² angeben: es gilt "
    "der nächstgrößere flächengleiche Kreisquerschnitt.",
    einheit=A2B.freispiegelleitung.einheit,
    regel=P.regel(A2B.freispiegelleitung.ref),
    bereich=BEREICH,
)
def krw_freispiegelleitung(
    dn: Annotated[Decimal | None, Arg("DN", "Nennweite in mm (ganzzahlig); leer bei Sonderprofil")],
    flaeche_m2: Annotated[
        Decimal | None, Arg("Flaeche_m2", "nur bei Sonderprofilen: lichte Querschnittsfläche in m²")
    ] = None,
) -> Decimal:
    """DN from the profile's area A is the diameter of the circle of equal area, √(4A/π), in mm."""
    tabelle = A2B.freispiegelleitung
    regel = P.regel(tabelle.ref)
    if flaeche_m2 is not None:
        if dn is not None:
            raise Eingabefehler("DN", dn, "bei Sonderprofilen nur die Fläche angeben, DN leer lassen", regel)
        flaeche = positiv(flaeche_m2, "Flaeche_m2", regel)
        # 9 decimals of a millimetre absorb binary noise (π·0,2² must give exactly DN 400, not the next step).
        gleichwertig = round(math.sqrt(4 * float(flaeche) / math.pi) * 1000, 9)
        nennweite = math.ceil(gleichwertig)
    elif dn is None:
        raise Eingabefehler("DN", dn, "Nennweite oder (bei Sonderprofil) Fläche angeben", regel)
    else:
        nennweite = ganzzahl(dn, "DN", regel, mindestens=1)
    krw = _stufe(tabelle, nennweite)
    return cent(krw if krw is not None else tabelle.krw[-1])  # "ab DN 1200": the last step is open


@excel_funktion(
    "RZW_KRW_DRUCKLEITUNG",
    hilfe="Kostenrichtwert für Druckleitungen als Verbindungsleitungen nach Bauweise (€/m): "
    + ", ".join(f"„{name}“ {deutsch(v.krw)}" for name, v in A2B.druckleitung.verfahren.items())
    + ".",
    einheit=A2B.druckleitung.einheit,
    regel=P.regel(A2B.druckleitung.ref),
    bereich=BEREICH,
)
def krw_druckleitung(
    verfahren: Annotated[str, Arg("Verfahren", "„herkoemmlich“, „rohrvortrieb“, „gepfluegt“ oder „gefraest“")],
) -> Decimal:
    gewaehlt = auswahl(verfahren, "Verfahren", A2B.druckleitung.verfahren, P.regel(A2B.druckleitung.ref))
    return cent(gewaehlt.krw)


@excel_funktion(
    "RZW_KRW_PUMPSTATION",
    hilfe=f"Kostenrichtwert zentrale Pumpstation: {_formel(A2B.pumpstation)}; x = installierte Förderleistung in l/s.",
    einheit=A2B.pumpstation.einheit,
    regel=P.regel(A2B.pumpstation.ref),
    bereich=BEREICH,
)
def krw_pumpstation(
    ls: Annotated[Decimal, Arg("ls", "installierte Förderleistung in l/s (ganzzahlig)")],
) -> Decimal:
    return _potenz_krw(A2B.pumpstation, Decimal(menge(ls, "ls", MENGE_ABWASSER)))


@excel_funktion(
    "RZW_KRW_REGENBECKEN",
    hilfe=f"Kostenrichtwert Regenbecken: {_formel(A2B.regenbecken)}; in Erdbauweise "
    f"{deutsch(A2B.regenbecken.erdbau_krw)} {A2B.regenbecken.einheit}; x = nutzbares Beckenvolumen in m³.",
    einheit=A2B.regenbecken.einheit,
    regel=P.regel(A2B.regenbecken.ref),
    bereich=BEREICH,
)
def krw_regenbecken(
    m3: Annotated[Decimal, Arg("m3", "nutzbares Beckenvolumen in m³ (ganzzahlig)")],
    bauweise: Annotated[str, Arg("Bauweise", "„massiv“ (Vorgabe) oder „erdbau“")] = "massiv",
) -> Decimal:
    formel = A2B.regenbecken
    volumen = Decimal(menge(m3, "m3", MENGE_ABWASSER))
    erdbau = auswahl(bauweise, "Bauweise", {"massiv": False, "erdbau": True}, P.regel(formel.ref))
    return cent(formel.erdbau_krw) if erdbau else _potenz_krw(formel, volumen)


@excel_funktion(
    "RZW_KRW_REGENUEBERLAUF",
    hilfe=f"Kostenrichtwert Regenüberlauf: {_formel(A2B.regenbecken)}; x = umbauter Raum in m³.",
    einheit=A2B.regenbecken.einheit,
    regel=P.regel(A2B.regenbecken.ref),
    bereich=BEREICH,
)
def krw_regenueberlauf(m3: Annotated[Decimal, Arg("m3", "umbauter Raum in m³ (ganzzahlig)")]) -> Decimal:
    return _potenz_krw(A2B.regenbecken, Decimal(menge(m3, "m3", MENGE_ABWASSER)))


@excel_funktion(
    "RZW_KRW_BODENFILTER",
    hilfe=f"Kostenrichtwert Bodenfilter/Retentionsbodenfilter: {_formel(A2B.bodenfilter)}; x = Volumen in m³.",
    einheit=A2B.bodenfilter.einheit,
    regel=P.regel(A2B.bodenfilter.ref),
    bereich=BEREICH,
)
def krw_bodenfilter(m3: Annotated[Decimal, Arg("m3", "Volumen des Bodenfilters in m³ (ganzzahlig)")]) -> Decimal:
    return _potenz_krw(A2B.bodenfilter, Decimal(menge(m3, "m3", MENGE_ABWASSER)))


@excel_funktion(
    "RZW_KRW_KLAERANLAGE",
    hilfe=f"Kostenrichtwert Kläranlage (Neubau, anteilige Erweiterung): {_formel(A2B.klaeranlage)}; "
    "x = Ausbaugröße in EW.",
    einheit=A2B.klaeranlage.einheit,
    regel=P.regel(A2B.klaeranlage.ref),
    bereich=BEREICH,
)
def krw_klaeranlage(ew: Annotated[Decimal, Arg("EW", "Ausbaugröße in Einwohnerwerten (ganzzahlig)")]) -> Decimal:
    return _potenz_krw(A2B.klaeranlage, Decimal(menge(ew, "EW", MENGE_ABWASSER)))


@excel_funktion(
    "RZW_KRW_NACHRUESTUNG",
    hilfe="Kostenrichtwert Nachrüstung bestehender Kläranlagen: biologische Stufe vor "
    f"{A2B.nachruestung_alt.vor_jahr} errichtet {deutsch((A2B.nachruestung_alt.anteil * 100).normalize())} % des "
    f"Kläranlagen-KRW; ab {A2B.nachruestung_alt.vor_jahr}: {_formel(A2B.nachruestung_neu)}; x = Ausbaugröße in EW.",
    einheit=A2B.nachruestung_neu.einheit,
    regel=P.regel("Anl. 2b Nr. 2.9"),
    bereich=BEREICH,
)
def krw_nachruestung(
    ew: Annotated[Decimal, Arg("EW", "Ausbaugröße in Einwohnerwerten (ganzzahlig)")],
    baujahr_biologie: Annotated[
        Decimal, Arg("Baujahr_Biologie", "Jahr, in dem die biologische Reinigungsstufe errichtet wurde")
    ],
) -> Decimal:
    """Nr. 2.9.1 ("vor 1977"): 50 % of the cent-rounded KRW of Nr. 2.7, rounded to cents again.
    Nr. 2.9.2 ("nach 1976"): its own formula."""
    ausbaugroesse = Decimal(menge(ew, "EW", MENGE_ABWASSER))
    alt = A2B.nachruestung_alt
    jahr = ganzzahl(baujahr_biologie, "Baujahr_Biologie", P.regel("Anl. 2b Nr. 2.9"), mindestens=1)
    if jahr < alt.vor_jahr:
        return cent(alt.anteil * _potenz_krw(A2B.klaeranlage, ausbaugroesse))
    return _potenz_krw(A2B.nachruestung_neu, ausbaugroesse)


def _leitungs_krw() -> set[Decimal]:
    """The KRW values of Nr. 2.2, 2.3 and 2.4, to which Nr. 2.8 applies its 2/3."""
    return set(A2B.freispiegelleitung.krw) | {v.krw for v in A2B.druckleitung.verfahren.values()}


@excel_funktion(
    "RZW_KRW_SANIERUNG",
    hilfe="Kostenrichtwert für Erneuerung/Sanierung undichter Ortskanäle und Verbindungsleitungen: "
    f"{A2B.sanierung.zaehler}/{A2B.sanierung.nenner} des Kostenrichtwerts der Leitung nach Nr. 2.2, 2.3 oder 2.4.",
    einheit="€/m",
    regel=P.regel(A2B.sanierung.ref),
    bereich=BEREICH,
)
def krw_sanierung(
    krw: Annotated[Decimal, Arg("KRW", "Kostenrichtwert der Leitung nach Nr. 2.2, 2.3 oder 2.4 in €/m")],
) -> Decimal:
    """Only the line KRWs of Nr. 2.2–2.4 are accepted: another number here is almost always a KP or a KRW of a
    different Nr. typed into the wrong cell."""
    regel = P.regel(A2B.sanierung.ref)
    wert = positiv(krw, "KRW", regel)
    if wert not in _leitungs_krw():
        zulaessig = ", ".join(deutsch(k) for k in sorted(_leitungs_krw()))
        raise Eingabefehler("KRW", krw, f"kein Kostenrichtwert nach Nr. 2.2–2.4 (zulässig: {zulaessig})", regel)
    return cent(wert * A2B.sanierung.zaehler / A2B.sanierung.nenner)
