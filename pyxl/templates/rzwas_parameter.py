"""The "Parameter" sheet of every RZWas form: the edition's numbers as named cells, written from the TOML data.

The native formulas of Anlage 3a/3b/4 read these names (``P_KA_a`` …), so the numbers still live once — in
``pyxl/parameter/rzwas_2005.toml`` — and the sheet shows the auditor each value with its clause.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pyxl import parameter
from pyxl.parameter import Potenzformel, Stufentabelle
from pyxl.templates.bauplan import Bauplan
from pyxl.templates.gemeinsam import konstante
from pyxl.templates.modell import Blatt

P = parameter.rzwas("2005")
BLATT = "Parameter"
# Stand of the RZWas forms: Bekanntmachung of the RZWas 2005 of 14.10.2004 (AllMBl S. 569; spec/rzwas.md)
STAND = dt.date(2004, 10, 14)


def _konstante(b: Bauplan, name: str, text: str, wert: Decimal | int, einheit: str, ref: str) -> None:
    konstante(b, name, text, wert, einheit, P.regel(ref))


def _potenz(b: Bauplan, kuerzel: str, was: str, formel: Potenzformel) -> None:
    _konstante(b, f"P_{kuerzel}_a", f"{was}: Faktor a", formel.a, formel.einheit, formel.ref)
    _konstante(b, f"P_{kuerzel}_exp", f"{was}: Exponent", formel.exponent, "", formel.ref)
    _konstante(b, f"P_{kuerzel}_max", f"{was}: höchstens", formel.max, formel.einheit, formel.ref)


def _stufen(b: Bauplan, kuerzel: str, was: str, tabelle: Stufentabelle) -> None:
    b.weiter()
    b.text("A", f"{was} ({P.regel(tabelle.ref)}): DN bis", stil="tabellenkopf")
    b.text("B", f"KRW {tabelle.einheit}", stil="tabellenkopf")
    b.weiter()
    for i, (dn, krw) in enumerate(zip(tabelle.dn, tabelle.krw, strict=True)):
        b.text("A", dn, stil="zelle", schluessel=f"param.{kuerzel}.dn.{i}")
        b.text("B", krw, stil="zelle", schluessel=f"param.{kuerzel}.krw.{i}")
        b.weiter()
    letzte = len(tabelle.dn) - 1
    b.bereich(f"P_{kuerzel}_DN", f"param.{kuerzel}.dn.0", f"param.{kuerzel}.dn.{letzte}")
    b.bereich(f"P_{kuerzel}_KRW", f"param.{kuerzel}.krw.0", f"param.{kuerzel}.krw.{letzte}")


def parameterblatt() -> tuple[Blatt, Bauplan]:
    a2a, a2b, zh = P.anl2a, P.anl2b, P.zuwendungssatz
    b = Bauplan(BLATT)
    b.text("A", f"Parameter der {P.meta.kurz}", stil="titel", schluessel="param.titel")
    b.weiter()
    b.text(
        "A",
        "Erzeugt aus den Parameterdaten von pyxl. Die Formeln der Anlagen rechnen mit diesen Werten; "
        "bitte nicht ändern.",
        stil="hinweis",
    )
    b.weiter(2)
    b.kopfzeile([("A", "Bezeichnung"), ("B", "Wert"), ("C", "Einheit"), ("D", "Fundstelle")])
    b.weiter()
    _konstante(b, "P_GEB_a", "Gebäude: Grundwert a", a2a.gebaeude.a, a2a.gebaeude.einheit, a2a.gebaeude.ref)
    _konstante(b, "P_GEB_b", "Gebäude: Abschlag b je m³", a2a.gebaeude.b, a2a.gebaeude.einheit, a2a.gebaeude.ref)
    _potenz(b, "OE", "Ortsentwässerung", a2b.ortsentwaesserung)
    _potenz(b, "PW", "Pumpstation", a2b.pumpstation)
    _potenz(b, "RB", "Regenbecken/Regenüberlauf", a2b.regenbecken)
    _konstante(
        b, "P_RB_erdbau", "Regenbecken in Erdbauweise", a2b.regenbecken.erdbau_krw, a2b.regenbecken.einheit,
        a2b.regenbecken.ref,
    )  # fmt: skip
    _potenz(b, "BF", "Bodenfilter", a2b.bodenfilter)
    _potenz(b, "KA", "Kläranlage", a2b.klaeranlage)
    _potenz(b, "NR", "Nachrüstung (biol. Stufe ab Stichjahr)", a2b.nachruestung_neu)
    alt = a2b.nachruestung_alt
    _konstante(b, "P_NR_vor_jahr", "Nachrüstung: Stichjahr (errichtet vor)", alt.vor_jahr, "", alt.ref)
    _konstante(b, "P_NR_anteil", "Nachrüstung vor Stichjahr: Anteil am KRW Kläranlage", alt.anteil, "", alt.ref)
    san = a2b.sanierung
    _konstante(b, "P_SAN_zaehler", "Sanierung: Anteil am Leitungs-KRW, Zähler", san.zaehler, "", san.ref)
    _konstante(b, "P_SAN_nenner", "Sanierung: Anteil am Leitungs-KRW, Nenner", san.nenner, "", san.ref)
    for kuerzel, zuschlag in (("IZ2A", a2a.ingenieurzuschlag), ("IZ2B", a2b.ingenieurzuschlag)):
        sparte = "Wasser" if kuerzel == "IZ2A" else "Abwasser"
        _konstante(b, f"P_{kuerzel}_satz", f"Ing.-Zuschlag {sparte}: Satz", zuschlag.satz, "%", zuschlag.ref)
        _konstante(
            b, f"P_{kuerzel}_satz_gross", f"Ing.-Zuschlag {sparte}: Satz über Schwelle",
            zuschlag.satz_ueber_schwelle, "%", zuschlag.ref,
        )  # fmt: skip
        _konstante(b, f"P_{kuerzel}_schwelle", f"Ing.-Zuschlag {sparte}: Schwelle", zuschlag.schwelle, "€",
                   zuschlag.ref)  # fmt: skip
        _konstante(
            b, f"P_{kuerzel}_je_buero", f"Ing.-Zuschlag {sparte}: je weiterem Büro", zuschlag.je_weiterem_buero,
            "Prozentpunkte", zuschlag.ref,
        )  # fmt: skip
        _konstante(
            b, f"P_{kuerzel}_max_zusatz", f"Ing.-Zuschlag {sparte}: höchstens zusätzlich",
            zuschlag.hoechstens_zusaetzlich, "Prozentpunkte", zuschlag.ref,
        )  # fmt: skip
    ref_zh = f"{a2a.zuwendungssatz.ref}, {a2b.zuwendungssatz.ref}"
    for name, text, wert, einheit in (
        ("P_ZH_schwelle", "Zuwendungssatz: Förderschwelle AK", zh.foerderschwelle, "€/WA bzw. €/AA"),
        ("P_ZH_grenze", "Zuwendungssatz: Grenze zur zweiten Formel", zh.grenze, "€/WA bzw. €/AA"),
        ("P_ZH_a1", "Zuwendungssatz, erste Formel: a1", zh.a1, "%"),
        ("P_ZH_b1", "Zuwendungssatz, erste Formel: b1", zh.b1, "% · €"),
        ("P_ZH_a2", "Zuwendungssatz, zweite Formel: a2", zh.a2, "%"),
        ("P_ZH_b2", "Zuwendungssatz, zweite Formel: b2", zh.b2, "% · €"),
        ("P_ZH_max", "Zuwendungssatz: höchstens", zh.max, "%"),
        ("P_ZH_stellen", "Zuwendungssatz: Nachkommastellen", zh.stellen, ""),
    ):
        _konstante(b, name, text, wert, einheit, ref_zh)
    vs = P.vertrauensschutz
    for stufe, abzug in enumerate(vs.abzug):
        _konstante(b, f"P_VS_{stufe}", f"Vertrauensschutz {stufe}: Abzug", abzug, "Prozentpunkte", vs.ref)
    b.bereich("P_VS_abzug", "param.P_VS_0", f"param.P_VS_{len(vs.abzug) - 1}")

    _stufen(b, "WL", "Wasserleitungen", a2a.wasserleitung)
    _stufen(b, "FS", "Freispiegelleitungen", a2b.freispiegelleitung)
    b.weiter()
    b.text("A", f"Druckleitungen, Verfahren ({P.regel(a2b.druckleitung.ref)})", stil="tabellenkopf")
    b.text("B", f"KRW {a2b.druckleitung.einheit}", stil="tabellenkopf")
    b.weiter()
    verfahren = list(a2b.druckleitung.verfahren.values())
    for i, eintrag in enumerate(verfahren):
        b.text("A", eintrag.bezeichnung, stil="zelle", schluessel=f"param.DL.name.{i}")
        b.text("B", eintrag.krw, stil="zelle", schluessel=f"param.DL.krw.{i}")
        b.weiter()
    b.bereich("P_DL_Namen", "param.DL.name.0", f"param.DL.name.{len(verfahren) - 1}")
    b.bereich("P_DL_KRW", "param.DL.krw.0", f"param.DL.krw.{len(verfahren) - 1}")
    blatt = Blatt(BLATT, f"Parameter der {P.meta.kurz}", {"A": 52, "B": 14, "C": 16, "D": 40})
    return blatt, b


VERFAHREN = tuple(v.bezeichnung for v in P.anl2b.druckleitung.verfahren.values())
