"""The KRW lines of Anlage 2a/2b as rows of Anlage 3a/3b: one native formula and one Python recomputation each.

Row layout: A Nr. · B Anlage/Bauteil · C Bemessungsgröße · D Fläche (Sonderprofil) · E Menge · F Einheit ·
G KRW · H Kostenpauschale · I Bemerkung. A row counts once its Menge is filled. The formulas guard what the rule
demands (whole positive quantities, DN within the table) with NA(), so a sheet shows #NV exactly where Python
raises.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from pyxl.functions import rzwas_krw as krw
from pyxl.functions.rzwas_zuwendung import kostenpauschale
from pyxl.parameter import RZWasParameter
from pyxl.templates import stil
from pyxl.templates.bauplan import Bauplan
from pyxl.templates.gemeinsam import dezimal_pruefung, ganzzahl_pruefung, listen_pruefung, text_pruefung
from pyxl.templates.modell import Pruefung, Werte
from pyxl.templates.rzwas_parameter import verfahren

SPALTEN = [
    ("A", "Nr."),
    ("B", "Anlage / Bauteil"),
    ("C", "Bemessungs­größe"),
    ("D", "Fläche m² (Sonder­profil)"),
    ("E", "Menge"),
    ("F", "Einheit"),
    ("G", "Kostenricht­wert €/Einheit"),
    ("H", "Kosten­pauschale €"),
    ("I", "Bemerkung"),
]
BREITEN = {"A": 7, "B": 52, "C": 13, "D": 12, "E": 11, "F": 8, "G": 13, "H": 16, "I": 28}

# Spreadsheet building blocks; {g} Bemessungsgröße, {f} Fläche, {m} Menge of the same row.
GANZ_M = "AND(ISNUMBER({m}),{m}>0,{m}=INT({m}))"
GANZ_G = "AND(ISNUMBER({g}),{g}>0,{g}=INT({g}))"


def _potenz(kuerzel: str, x: str = "{m}") -> str:
    return f"ROUND(MIN(P_{kuerzel}_max,P_{kuerzel}_a*{x}^P_{kuerzel}_exp),2)"


def _stufe_offen(tabelle: str, dn: str) -> str:
    """KRW of the next listed DN at or above ``dn``; the last step is open ("ab DN 1200")."""
    return f'INDEX(P_{tabelle}_KRW,MIN(COUNTIF(P_{tabelle}_DN,"<"&{dn})+1,ROWS(P_{tabelle}_DN)))'


_DN_AUS_FLAECHE = "ROUNDUP(ROUND(SQRT(4*{f}/PI())*1000,9),0)"
_SANIERUNG = "*P_SAN_zaehler/P_SAN_nenner"


@dataclass(frozen=True)
class Positionsart:
    kuerzel: str
    nr: str
    bezeichnung: str
    einheit: str
    regel: str
    krw_formel: str  # the KRW cell's formula body (inside the "row is empty" guard)
    krw_python: Callable[[Werte, str, str, str], Decimal]  # (values, key g, key f, key m)
    groesse: Pruefung | None = None
    groesse_format: str | None = None
    flaeche: bool = False
    zeilen: int = 1


def _menge_regel(r: RZWasParameter, wasser: bool) -> str:
    return r.regel(r.mengen.ref_wasser if wasser else r.mengen.ref_abwasser)


def _menge_pruefung(r: RZWasParameter, einheit: str, wasser: bool, maximum: int | None = None) -> Pruefung:
    return ganzzahl_pruefung(f"Menge in {einheit}", _menge_regel(r, wasser), maximum=maximum)


def _nur_menge(r: RZWasParameter, kuerzel: str, nr: str, was: str, einheit: str, rechner: Callable[..., Decimal],
               formel_kuerzel: str, ref: str, zeilen: int) -> Positionsart:  # fmt: skip
    """A KRW that depends on the quantity itself (Pumpstation, Becken, Kläranlage …)."""
    return Positionsart(
        kuerzel, nr, was, einheit, r.regel(ref),
        f"IF(NOT({GANZ_M}),NA(),{_potenz(formel_kuerzel)})",
        lambda w, g, f, m: rechner(w.roh(m), regeln=r), zeilen=zeilen,
    )  # fmt: skip


def positionsarten(r: RZWasParameter, *, wasser: bool) -> tuple[Positionsart, ...]:
    """The KRW lines of Anl. 2a (``wasser``) or Anl. 2b as rows, from the edition ``r``."""
    return _wasser(r) if wasser else _abwasser(r)


def _wasser(r: RZWasParameter) -> tuple[Positionsart, ...]:
    a2a = r.anl2a
    return (
        Positionsart(
            "wl", "2.6", "Wasserleitung (DN in Spalte C)", "m", r.regel(a2a.wasserleitung.ref),
            f'IF(NOT({GANZ_G}),NA(),IF(COUNTIF(P_WL_DN,"<"&{{g}})>=ROWS(P_WL_DN),NA(),'
            f'INDEX(P_WL_KRW,COUNTIF(P_WL_DN,"<"&{{g}})+1)))',
            lambda w, g, f, m: krw.krw_wasserleitung(w.roh(g), regeln=r),
            groesse=ganzzahl_pruefung(
                f"Nennweite DN (über DN {a2a.wasserleitung.dn[-1]}: Abschnitt Kostenanschlag/-feststellung)",
                r.regel(a2a.wasserleitung.ref), maximum=a2a.wasserleitung.dn[-1]),
            groesse_format=stil.GANZ, zeilen=8,
        ),
        Positionsart(
            "geb", "2.7", "Gebäude und Außenanlagen (Menge = umbauter Raum V)", "m³", r.regel(a2a.gebaeude.ref),
            f"IF(NOT({GANZ_M}),NA(),IF({{m}}>=P_GEB_a/P_GEB_b,NA(),ROUND(P_GEB_a-P_GEB_b*{{m}},2)))",
            lambda w, g, f, m: krw.krw_gebaeude(w.roh(m), regeln=r), zeilen=3,
        ),
    )  # fmt: skip


def _abwasser(r: RZWasParameter) -> tuple[Positionsart, ...]:
    a2b = r.anl2b
    nachruestung = r.regel(a2b.nachruestung.ref)
    return (
        Positionsart(
            "oe", "2.1", "Ortsentwässerung (Kanallänge m/E in C)", "EZ",
            r.regel(a2b.ortsentwaesserung.ref),
            f"IF(OR(NOT(ISNUMBER({{g}})),N({{g}})<=0),NA(),{_potenz('OE', '{g}')})",
            lambda w, g, f, m: krw.krw_ortsentwaesserung(w.roh(g), regeln=r),
            groesse=dezimal_pruefung("Kanallänge x in m je Einwohner", r.regel(a2b.ortsentwaesserung.ref),
                                     groesser=True),
            groesse_format=stil.DEZIMAL3, zeilen=2,
        ),
        Positionsart(
            "fs", "2.2", "Freispiegelleitung (DN in C oder Fläche in D)", "m",
            r.regel(a2b.freispiegelleitung.ref),
            f'IF(AND({{g}}="",{{f}}=""),NA(),IF(AND({{g}}<>"",{{f}}<>""),NA(),IF({{f}}<>"",'
            f"IF(OR(NOT(ISNUMBER({{f}})),N({{f}})<=0),NA(),{_stufe_offen('FS', _DN_AUS_FLAECHE)}),"
            f"IF(NOT({GANZ_G}),NA(),{_stufe_offen('FS', '{g}')}))))",
            lambda w, g, f, m: krw.krw_freispiegelleitung(w.roh(g), w.roh(f), regeln=r),
            groesse=ganzzahl_pruefung("Nennweite DN", r.regel(a2b.freispiegelleitung.ref)),
            groesse_format=stil.GANZ, flaeche=True, zeilen=6,
        ),
        Positionsart(
            "dl", "2.3/2.4", "Druckleitung, eingepflügt/-gefräst (Verfahren in C)", "m",
            r.regel(a2b.druckleitung.ref),
            'IF({g}="",NA(),INDEX(P_DL_KRW,MATCH({g},P_DL_Namen,0)))',
            lambda w, g, f, m: krw.krw_druckleitung(w.roh(g), regeln=r),
            groesse=listen_pruefung("Verfahren", r.regel(a2b.druckleitung.ref), verfahren(r)), zeilen=4,
        ),
        _nur_menge(r, "pw", "2.5", "Zentrale Pumpstation", "l/s", krw.krw_pumpstation, "PW", a2b.pumpstation.ref, 2),
        Positionsart(
            "rb", "2.6", "Regenbecken (Bauweise in C, leer = massiv)", "m³",
            r.regel(a2b.regenbecken.ref),
            f'IF(NOT({GANZ_M}),NA(),IF({{g}}="erdbau",P_RB_erdbau,IF(OR({{g}}="",{{g}}="massiv"),{_potenz("RB")},NA())))',
            lambda w, g, f, m: krw.krw_regenbecken(w.roh(m), w.roh(g) or "massiv", regeln=r),
            groesse=listen_pruefung("Bauweise", r.regel(a2b.regenbecken.ref), ("massiv", "erdbau")), zeilen=3,
        ),
        _nur_menge(r, "ru", "2.6", "Regenüberlauf (Menge = umbauter Raum)", "m³", krw.krw_regenueberlauf, "RB",
                   a2b.regenbecken.ref, 2),
        _nur_menge(r, "bf", "2.6", "Bodenfilter", "m³", krw.krw_bodenfilter, "BF", a2b.bodenfilter.ref, 1),
        _nur_menge(r, "ka", "2.7", "Kläranlage (Menge = Ausbaugröße)", "EW", krw.krw_klaeranlage, "KA",
                   a2b.klaeranlage.ref, 2),
        Positionsart(
            "sanfs", "2.8", "Sanierung Freispiegelleitung (DN in C)", "m", r.regel(a2b.sanierung.ref),
            f"IF(NOT({GANZ_G}),NA(),ROUND({_stufe_offen('FS', '{g}')}{_SANIERUNG},2))",
            lambda w, g, f, m: krw.krw_sanierung(krw.krw_freispiegelleitung(w.roh(g), regeln=r), regeln=r),
            groesse=ganzzahl_pruefung("Nennweite DN", r.regel(a2b.sanierung.ref)), groesse_format=stil.GANZ, zeilen=3,
        ),
        Positionsart(
            "sandl", "2.8", "Sanierung Druckleitung (Verfahren in C)", "m", r.regel(a2b.sanierung.ref),
            f'IF({{g}}="",NA(),ROUND(INDEX(P_DL_KRW,MATCH({{g}},P_DL_Namen,0)){_SANIERUNG},2))',
            lambda w, g, f, m: krw.krw_sanierung(krw.krw_druckleitung(w.roh(g), regeln=r), regeln=r),
            groesse=listen_pruefung("Verfahren", r.regel(a2b.sanierung.ref), verfahren(r)), zeilen=2,
        ),
        Positionsart(
            "nr", "2.9", "Nachrüstung Kläranlage (Baujahr Biologie in C)", "EW",
            nachruestung,
            f"IF(OR(NOT({GANZ_M}),NOT({GANZ_G})),NA(),IF({{g}}<P_NR_vor_jahr,"
            f"ROUND(P_NR_anteil*{_potenz('KA')},2),{_potenz('NR')}))",
            lambda w, g, f, m: krw.krw_nachruestung(w.roh(m), w.roh(g), regeln=r),
            groesse=ganzzahl_pruefung("Baujahr der biologischen Stufe", nachruestung, minimum=1000, maximum=9999),
            groesse_format=stil.JAHR, zeilen=2,
        ),
    )  # fmt: skip


def _krw_berechnung(art: Positionsart, g: str, f: str, m: str) -> Callable[[Werte], Decimal | None]:
    return lambda w: None if w.leer(m) else art.krw_python(w, g, f, m)


def _kp_berechnung(r: RZWasParameter, krw_schluessel: str, m: str) -> Callable[[Werte], Decimal | None]:
    return lambda w: None if w.leer(m) else kostenpauschale(w.zahl(krw_schluessel), w.roh(m), regeln=r)


def positionen(b: Bauplan, r: RZWasParameter, *, wasser: bool) -> tuple[str, str]:
    """Write the positions table of the edition ``r`` (heading row included); returns the keys of the first and
    last KP cell."""
    arten = positionsarten(r, wasser=wasser)
    b.kopfzeile(SPALTEN)
    b.weiter()
    kp_schluessel: list[str] = []
    for art in arten:
        for nummer in range(1, art.zeilen + 1):
            basis = f"pos.{art.kuerzel}.{nummer}"
            g, f, m, k, kp = (f"{basis}.{teil}" for teil in ("groesse", "flaeche", "menge", "krw", "kp"))
            b.text("A", art.nr, stil="zelle")
            b.text("B", art.bezeichnung, stil="zelle")
            if art.groesse:
                b.eingabe("C", g, art.groesse, zahlenformat=art.groesse_format)
            else:
                b.text("C", "", stil="zelle")
            if art.flaeche:
                b.eingabe("D", f, dezimal_pruefung("Querschnittsfläche in m²", art.regel, groesser=True),
                          zahlenformat=stil.DEZIMAL3)  # fmt: skip
            else:
                b.text("D", "", stil="zelle")
            b.eingabe("E", m, _menge_pruefung(r, art.einheit, wasser), zahlenformat=stil.GANZ)
            b.text("F", art.einheit, stil="zelle")
            ersetzt = art.krw_formel.replace("{g}", "{" + g + "}").replace("{f}", "{" + f + "}")
            ersetzt = ersetzt.replace("{m}", "{" + m + "}")
            b.formel("G", k, f'=IF({{{m}}}="","",{ersetzt})', _krw_berechnung(art, g, f, m), regel=art.regel,
                     zahlenformat=stil.BETRAG)  # fmt: skip
            kp_formel = (
                f'=IF({{{m}}}="","",IF(NOT({GANZ_M.replace("{m}", "{" + m + "}")}),NA(),ROUND({{{k}}}*{{{m}}},2)))'
            )
            b.formel("H", kp, kp_formel, _kp_berechnung(r, k, m), regel=r.regel(r.mengen.ref_kostenpauschale),
                     zahlenformat=stil.EURO)  # fmt: skip
            b.eingabe("I", f"{basis}.bemerkung", text_pruefung("Bemerkung"))
            kp_schluessel.append(kp)
            b.weiter()
    return kp_schluessel[0], kp_schluessel[-1]
