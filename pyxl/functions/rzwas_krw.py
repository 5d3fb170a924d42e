"""RZWas Anlage 2a/2b Nr. 2 — Kostenrichtwerte (KRW) as Excel functions.

Every number and clause comes from the parameter set passed as ``regeln`` (an edition such as
``pyxl/parameter/rzwas_2005.toml``; without one, the edition in force today). A formula KRW is capped first, then
rounded half-up to cents (spec/rzwas.md "Quantities and rounding"). The intermediate values are marked for the trace.
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
from pyxl.functions.spur import beobachtet, schritt
from pyxl.functions.zahlen import deutsch
from pyxl.parameter import Potenzformel, RZWasParameter, Stufentabelle


def _bereich(r: RZWasParameter) -> str:
    return r.meta.kurz


def _menge_wasser(r: RZWasParameter) -> str:
    return r.regel(r.mengen.ref_wasser)


def _menge_abwasser(r: RZWasParameter) -> str:
    return r.regel(r.mengen.ref_abwasser)


def _potenz_krw(r: RZWasParameter, formel: Potenzformel, x: Decimal) -> Decimal:
    """KRW = a · x^exponent, höchstens max; capped first, then cents."""
    klausel = r.regel(formel.ref)
    roh = schritt(klausel, "KRW = a · x^Exponent (vor der Kappung)", potenz(formel.a, x, formel.exponent))
    gekappt = schritt(klausel, "KRW höchstens max (nach der Kappung)", min(formel.max, roh))
    return schritt(klausel, "KRW auf Cent gerundet", cent(gekappt))


def _formel(formel: Potenzformel) -> str:
    """The formula as help text, from the same parameters the calculation uses."""
    return (
        f"{deutsch(formel.a)} · x^{deutsch(formel.exponent)} {formel.einheit}, "
        f"höchstens {deutsch(formel.max)} {formel.einheit}"
    )


def _stufe(tabelle: Stufentabelle, dn: int, klausel: str) -> Decimal | None:
    """The KRW of the next listed DN at or above ``dn``; ``None`` above the last step."""
    for stufe, krw in zip(tabelle.dn, tabelle.krw, strict=True):
        if dn <= stufe:
            schritt(klausel, "Tabellenstufe: gelistete Nennweite DN (gleich oder nächstgrößer)", stufe)
            return krw
    return None


# ---------------------------------------------------------------- Anlage 2a — Wasserversorgung


@excel_funktion(
    "RZW_KRW_WASSERLEITUNG",
    hilfe=lambda r: (
        "Kostenrichtwert für Wasserleitungen und Schachtbauwerke nach Nennweite (€/m). Zwischen zwei "
        f"Tabellenwerten gilt die nächstgrößere Nennweite; über DN {r.anl2a.wasserleitung.dn[-1]} gelten die Kosten "
        "nach Kostenanschlag/Kostenfeststellung."
    ),
    einheit=lambda r: r.anl2a.wasserleitung.einheit,
    regel=lambda r: r.regel(r.anl2a.wasserleitung.ref),
    bereich=_bereich,
)
def krw_wasserleitung(
    dn: Annotated[Decimal, Arg("DN", "Nennweite in mm (ganzzahlig)")], *, regeln: RZWasParameter | None = None
) -> Decimal:
    r = beobachtet(regeln or parameter.rzwas())
    tabelle = r.anl2a.wasserleitung
    regel = r.regel(tabelle.ref)
    nennweite = ganzzahl(dn, "DN", regel, mindestens=1)
    krw = _stufe(tabelle, nennweite, regel)
    if krw is None:
        raise KeinRichtwert(
            "DN",
            dn,
            f"über DN {tabelle.dn[-1]} kein Kostenrichtwert – Kosten nach Kostenanschlag/Kostenfeststellung",
            regel,
        )
    return cent(krw)


@excel_funktion(
    "RZW_KRW_GEBAEUDE",
    hilfe=lambda r: (
        "Kostenrichtwert für Gebäude und Außenanlagen der Wasserversorgung nach umbautem Raum V: "
        f"{deutsch(r.anl2a.gebaeude.a)} − {deutsch(r.anl2a.gebaeude.b)} · V {r.anl2a.gebaeude.einheit}."
    ),
    einheit=lambda r: r.anl2a.gebaeude.einheit,
    regel=lambda r: r.regel(r.anl2a.gebaeude.ref),
    bereich=_bereich,
)
def krw_gebaeude(
    v: Annotated[Decimal, Arg("V", "umbauter Raum des Gebäudes in m³ (ganzzahlig)")],
    *,
    regeln: RZWasParameter | None = None,
) -> Decimal:
    """KRW_Geb = a − b · V.

    The formula reaches 0 at V = a/b (12.500 m³): from there on there is no KRW, an error. The Kostenpauschale
    KRW·V peaks at V = a/(2b) (6.250 m³) and falls beyond, so a larger building would get less money than a
    smaller one: a Hinweis says so (spec/rzwas.md, Anl. 2a Nr. 2.7).
    """
    r = beobachtet(regeln or parameter.rzwas())
    formel = r.anl2a.gebaeude
    regel = r.regel(formel.ref)
    raum = menge(v, "V", _menge_wasser(r))
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
    roh = schritt(regel, "KRW = a − b · V", formel.a - formel.b * raum)
    return schritt(regel, "KRW auf Cent gerundet", cent(roh))


# ---------------------------------------------------------------- Anlage 2b — Abwasseranlagen


@excel_funktion(
    "RZW_KRW_ORTSENTWAESSERUNG",
    hilfe=lambda r: (
        f"Kostenrichtwert Ortsentwässerung: {_formel(r.anl2b.ortsentwaesserung)}; x = Kanallänge in m je "
        "entsorgtem Einwohner."
    ),
    einheit=lambda r: r.anl2b.ortsentwaesserung.einheit,
    regel=lambda r: r.regel(r.anl2b.ortsentwaesserung.ref),
    bereich=_bereich,
)
def krw_ortsentwaesserung(
    x: Annotated[Decimal, Arg("x", "spezifische Kanallänge in m je entsorgtem Einwohner (Verhältniszahl, > 0)")],
    *,
    regeln: RZWasParameter | None = None,
) -> Decimal:
    """x is a ratio, not a quantity: it may be fractional (spec/rzwas.md Anl. 2b Nr. 2.1)."""
    r = beobachtet(regeln or parameter.rzwas())
    formel = r.anl2b.ortsentwaesserung
    return _potenz_krw(r, formel, positiv(x, "x", r.regel(formel.ref)))


@excel_funktion(
    "RZW_KRW_FREISPIEGELLEITUNG",
    hilfe="Kostenrichtwert für Freispiegelleitungen als Verbindungsleitungen nach Nennweite (€/m); zwischen zwei "
    "Tabellenwerten die nächstgrößere. Für Sonderprofile statt DN die Querschnittsfläche in m² angeben: es gilt "
    "der nächstgrößere flächengleiche Kreisquerschnitt.",
    einheit=lambda r: r.anl2b.freispiegelleitung.einheit,
    regel=lambda r: r.regel(r.anl2b.freispiegelleitung.ref),
    bereich=_bereich,
)
def krw_freispiegelleitung(
    dn: Annotated[Decimal | None, Arg("DN", "Nennweite in mm (ganzzahlig); leer bei Sonderprofil")],
    flaeche_m2: Annotated[
        Decimal | None, Arg("Flaeche_m2", "nur bei Sonderprofilen: lichte Querschnittsfläche in m²")
    ] = None,
    *,
    regeln: RZWasParameter | None = None,
) -> Decimal:
    """DN from the profile's area A is the diameter of the circle of equal area, √(4A/π), in mm."""
    r = beobachtet(regeln or parameter.rzwas())
    tabelle = r.anl2b.freispiegelleitung
    regel = r.regel(tabelle.ref)
    if flaeche_m2 is not None:
        if dn is not None:
            raise Eingabefehler("DN", dn, "bei Sonderprofilen nur die Fläche angeben, DN leer lassen", regel)
        flaeche = positiv(flaeche_m2, "Flaeche_m2", regel)
        # 9 decimals of a millimetre absorb binary noise (π·0,2² must give exactly DN 400, not the next step).
        gleichwertig = round(math.sqrt(4 * float(flaeche) / math.pi) * 1000, 9)
        nennweite = schritt(regel, "Sonderprofil: DN des flächengleichen Kreises √(4A/π)", math.ceil(gleichwertig))
    elif dn is None:
        raise Eingabefehler("DN", dn, "Nennweite oder (bei Sonderprofil) Fläche angeben", regel)
    else:
        nennweite = ganzzahl(dn, "DN", regel, mindestens=1)
    krw = _stufe(tabelle, nennweite, regel)
    if krw is None:  # "ab DN 1200": the last step is open
        krw = schritt(regel, "über der letzten Tabellenstufe: deren Kostenrichtwert", tabelle.krw[-1])
    return cent(krw)


@excel_funktion(
    "RZW_KRW_DRUCKLEITUNG",
    hilfe=lambda r: (
        "Kostenrichtwert für Druckleitungen als Verbindungsleitungen nach Bauweise (€/m): "
        + ", ".join(f"„{name}“ {deutsch(v.krw)}" for name, v in r.anl2b.druckleitung.verfahren.items())
        + "."
    ),
    einheit=lambda r: r.anl2b.druckleitung.einheit,
    regel=lambda r: r.regel(r.anl2b.druckleitung.ref),
    bereich=_bereich,
)
def krw_druckleitung(
    verfahren: Annotated[str, Arg("Verfahren", "„herkoemmlich“, „rohrvortrieb“, „gepfluegt“ oder „gefraest“")],
    *,
    regeln: RZWasParameter | None = None,
) -> Decimal:
    r = beobachtet(regeln or parameter.rzwas())
    leitung = r.anl2b.druckleitung
    gewaehlt = auswahl(verfahren, "Verfahren", leitung.verfahren, r.regel(leitung.ref))
    return cent(gewaehlt.krw)


@excel_funktion(
    "RZW_KRW_PUMPSTATION",
    hilfe=lambda r: (
        f"Kostenrichtwert zentrale Pumpstation: {_formel(r.anl2b.pumpstation)}; x = installierte Förderleistung in l/s."
    ),
    einheit=lambda r: r.anl2b.pumpstation.einheit,
    regel=lambda r: r.regel(r.anl2b.pumpstation.ref),
    bereich=_bereich,
)
def krw_pumpstation(
    ls: Annotated[Decimal, Arg("ls", "installierte Förderleistung in l/s (ganzzahlig)")],
    *,
    regeln: RZWasParameter | None = None,
) -> Decimal:
    r = beobachtet(regeln or parameter.rzwas())
    return _potenz_krw(r, r.anl2b.pumpstation, Decimal(menge(ls, "ls", _menge_abwasser(r))))


@excel_funktion(
    "RZW_KRW_REGENBECKEN",
    hilfe=lambda r: (
        f"Kostenrichtwert Regenbecken: {_formel(r.anl2b.regenbecken)}; in Erdbauweise "
        f"{deutsch(r.anl2b.regenbecken.erdbau_krw)} {r.anl2b.regenbecken.einheit}; x = nutzbares Beckenvolumen in m³."
    ),
    einheit=lambda r: r.anl2b.regenbecken.einheit,
    regel=lambda r: r.regel(r.anl2b.regenbecken.ref),
    bereich=_bereich,
)
def krw_regenbecken(
    m3: Annotated[Decimal, Arg("m3", "nutzbares Beckenvolumen in m³ (ganzzahlig)")],
    bauweise: Annotated[str, Arg("Bauweise", "„massiv“ (Vorgabe) oder „erdbau“")] = "massiv",
    *,
    regeln: RZWasParameter | None = None,
) -> Decimal:
    r = beobachtet(regeln or parameter.rzwas())
    formel = r.anl2b.regenbecken
    volumen = Decimal(menge(m3, "m3", _menge_abwasser(r)))
    erdbau = auswahl(bauweise, "Bauweise", {"massiv": False, "erdbau": True}, r.regel(formel.ref))
    return cent(formel.erdbau_krw) if erdbau else _potenz_krw(r, formel, volumen)


@excel_funktion(
    "RZW_KRW_REGENUEBERLAUF",
    hilfe=lambda r: f"Kostenrichtwert Regenüberlauf: {_formel(r.anl2b.regenbecken)}; x = umbauter Raum in m³.",
    einheit=lambda r: r.anl2b.regenbecken.einheit,
    regel=lambda r: r.regel(r.anl2b.regenbecken.ref),
    bereich=_bereich,
)
def krw_regenueberlauf(
    m3: Annotated[Decimal, Arg("m3", "umbauter Raum in m³ (ganzzahlig)")], *, regeln: RZWasParameter | None = None
) -> Decimal:
    r = beobachtet(regeln or parameter.rzwas())
    return _potenz_krw(r, r.anl2b.regenbecken, Decimal(menge(m3, "m3", _menge_abwasser(r))))


@excel_funktion(
    "RZW_KRW_BODENFILTER",
    hilfe=lambda r: (
        f"Kostenrichtwert Bodenfilter/Retentionsbodenfilter: {_formel(r.anl2b.bodenfilter)}; x = Volumen in m³."
    ),
    einheit=lambda r: r.anl2b.bodenfilter.einheit,
    regel=lambda r: r.regel(r.anl2b.bodenfilter.ref),
    bereich=_bereich,
)
def krw_bodenfilter(
    m3: Annotated[Decimal, Arg("m3", "Volumen des Bodenfilters in m³ (ganzzahlig)")],
    *,
    regeln: RZWasParameter | None = None,
) -> Decimal:
    r = beobachtet(regeln or parameter.rzwas())
    return _potenz_krw(r, r.anl2b.bodenfilter, Decimal(menge(m3, "m3", _menge_abwasser(r))))


@excel_funktion(
    "RZW_KRW_KLAERANLAGE",
    hilfe=lambda r: (
        f"Kostenrichtwert Kläranlage (Neubau, anteilige Erweiterung): {_formel(r.anl2b.klaeranlage)}; "
        "x = Ausbaugröße in EW."
    ),
    einheit=lambda r: r.anl2b.klaeranlage.einheit,
    regel=lambda r: r.regel(r.anl2b.klaeranlage.ref),
    bereich=_bereich,
)
def krw_klaeranlage(
    ew: Annotated[Decimal, Arg("EW", "Ausbaugröße in Einwohnerwerten (ganzzahlig)")],
    *,
    regeln: RZWasParameter | None = None,
) -> Decimal:
    r = beobachtet(regeln or parameter.rzwas())
    return _potenz_krw(r, r.anl2b.klaeranlage, Decimal(menge(ew, "EW", _menge_abwasser(r))))


@excel_funktion(
    "RZW_KRW_NACHRUESTUNG",
    hilfe=lambda r: (
        "Kostenrichtwert Nachrüstung bestehender Kläranlagen: biologische Stufe vor "
        f"{r.anl2b.nachruestung_alt.vor_jahr} errichtet "
        f"{deutsch((r.anl2b.nachruestung_alt.anteil * 100).normalize())} % des Kläranlagen-KRW; ab "
        f"{r.anl2b.nachruestung_alt.vor_jahr}: {_formel(r.anl2b.nachruestung_neu)}; x = Ausbaugröße in EW."
    ),
    einheit=lambda r: r.anl2b.nachruestung_neu.einheit,
    regel=lambda r: r.regel(r.anl2b.nachruestung.ref),
    bereich=_bereich,
)
def krw_nachruestung(
    ew: Annotated[Decimal, Arg("EW", "Ausbaugröße in Einwohnerwerten (ganzzahlig)")],
    baujahr_biologie: Annotated[
        Decimal, Arg("Baujahr_Biologie", "Jahr, in dem die biologische Reinigungsstufe errichtet wurde")
    ],
    *,
    regeln: RZWasParameter | None = None,
) -> Decimal:
    """Nr. 2.9.1 ("vor 1977"): 50 % of the cent-rounded KRW of Nr. 2.7, rounded to cents again.
    Nr. 2.9.2 ("nach 1976"): its own formula."""
    r = beobachtet(regeln or parameter.rzwas())
    ausbaugroesse = Decimal(menge(ew, "EW", _menge_abwasser(r)))
    alt = r.anl2b.nachruestung_alt
    regel = r.regel(r.anl2b.nachruestung.ref)
    jahr = ganzzahl(baujahr_biologie, "Baujahr_Biologie", regel, mindestens=1)
    if jahr < alt.vor_jahr:
        schritt(regel, "Zweig: biologische Stufe vor dem Stichjahr errichtet", alt.ref)
        krw_ka = _potenz_krw(r, r.anl2b.klaeranlage, ausbaugroesse)
        klausel = r.regel(alt.ref)
        roh = schritt(klausel, "Anteil × KRW Kläranlage (dieser auf Cent gerundet)", alt.anteil * krw_ka)
        return schritt(klausel, "KRW auf Cent gerundet", cent(roh))
    schritt(regel, "Zweig: biologische Stufe ab dem Stichjahr errichtet", r.anl2b.nachruestung_neu.ref)
    return _potenz_krw(r, r.anl2b.nachruestung_neu, ausbaugroesse)


def _leitungs_krw(r: RZWasParameter) -> set[Decimal]:
    """The KRW values of Nr. 2.2, 2.3 and 2.4, to which Nr. 2.8 applies its 2/3."""
    return set(r.anl2b.freispiegelleitung.krw) | {v.krw for v in r.anl2b.druckleitung.verfahren.values()}


@excel_funktion(
    "RZW_KRW_SANIERUNG",
    hilfe=lambda r: (
        "Kostenrichtwert für Erneuerung/Sanierung undichter Ortskanäle und Verbindungsleitungen: "
        f"{r.anl2b.sanierung.zaehler}/{r.anl2b.sanierung.nenner} des Kostenrichtwerts der Leitung nach Nr. 2.2, 2.3 "
        "oder 2.4."
    ),
    einheit="€/m",
    regel=lambda r: r.regel(r.anl2b.sanierung.ref),
    bereich=_bereich,
)
def krw_sanierung(
    krw: Annotated[Decimal, Arg("KRW", "Kostenrichtwert der Leitung nach Nr. 2.2, 2.3 oder 2.4 in €/m")],
    *,
    regeln: RZWasParameter | None = None,
) -> Decimal:
    """Only the line KRWs of Nr. 2.2–2.4 are accepted: another number here is almost always a KP or a KRW of a
    different Nr. typed into the wrong cell."""
    r = beobachtet(regeln or parameter.rzwas())
    sanierung = r.anl2b.sanierung
    regel = r.regel(sanierung.ref)
    wert = positiv(krw, "KRW", regel)
    zulaessig = _leitungs_krw(r)
    if wert not in zulaessig:
        liste = ", ".join(deutsch(k) for k in sorted(zulaessig))
        raise Eingabefehler("KRW", krw, f"kein Kostenrichtwert nach Nr. 2.2–2.4 (zulässig: {liste})", regel)
    roh = schritt(regel, "Zähler/Nenner × KRW der Leitung", wert * sanierung.zaehler / sanierung.nenner)
    return schritt(regel, "KRW auf Cent gerundet", cent(roh))
