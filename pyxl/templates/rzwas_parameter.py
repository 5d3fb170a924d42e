"""The "Parameter" sheet of every RZWas form: the edition's numbers as named cells, written from its parameter set.

The native formulas of Anlage 3a/3b/4 read these names (``P_KA_a`` …), so the numbers still live once — in the
edition's data (``pyxl/parameter/rzwas_2005.toml``) — and the sheet shows the auditor each value with its clause.
"""

from __future__ import annotations

from decimal import Decimal

from pyxl.parameter import Potenzformel, RZWasParameter, Stufentabelle
from pyxl.templates.bauplan import Bauplan
from pyxl.templates.gemeinsam import konstante
from pyxl.templates.modell import Blatt

BLATT = "Parameter"


def verfahren(r: RZWasParameter) -> tuple[str, ...]:
    """The Druckleitung methods as the forms' drop-down lists name them (Anl. 2b Nr. 2.3/2.4)."""
    return tuple(v.bezeichnung for v in r.anl2b.druckleitung.verfahren.values())


def _konstante(b: Bauplan, r: RZWasParameter, name: str, text: str, wert: Decimal | int, einheit: str,
               ref: str) -> None:  # fmt: skip
    konstante(b, name, text, wert, einheit, r.regel(ref))


def _potenz(b: Bauplan, r: RZWasParameter, kuerzel: str, was: str, formel: Potenzformel) -> None:
    _konstante(b, r, f"P_{kuerzel}_a", f"{was}: Faktor a", formel.a, formel.einheit, formel.ref)
    _konstante(b, r, f"P_{kuerzel}_exp", f"{was}: Exponent", formel.exponent, "", formel.ref)
    _konstante(b, r, f"P_{kuerzel}_max", f"{was}: höchstens", formel.max, formel.einheit, formel.ref)


def _stufen(b: Bauplan, r: RZWasParameter, kuerzel: str, was: str, tabelle: Stufentabelle) -> None:
    b.weiter()
    b.text("A", f"{was} ({r.regel(tabelle.ref)}): DN bis", stil="tabellenkopf")
    b.text("B", f"KRW {tabelle.einheit}", stil="tabellenkopf")
    b.weiter()
    for i, (dn, krw) in enumerate(zip(tabelle.dn, tabelle.krw, strict=True)):
        b.text("A", dn, stil="zelle", schluessel=f"param.{kuerzel}.dn.{i}")
        b.text("B", krw, stil="zelle", schluessel=f"param.{kuerzel}.krw.{i}")
        b.weiter()
    letzte = len(tabelle.dn) - 1
    b.bereich(f"P_{kuerzel}_DN", f"param.{kuerzel}.dn.0", f"param.{kuerzel}.dn.{letzte}")
    b.bereich(f"P_{kuerzel}_KRW", f"param.{kuerzel}.krw.0", f"param.{kuerzel}.krw.{letzte}")


def parameterblatt(r: RZWasParameter) -> tuple[Blatt, Bauplan]:
    """The sheet of the edition ``r`` and its plan (fields, named ranges)."""
    a2a, a2b, zh = r.anl2a, r.anl2b, r.zuwendungssatz
    b = Bauplan(BLATT)
    b.text("A", f"Parameter der {r.meta.kurz}", stil="titel", schluessel="param.titel")
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
    _konstante(b, r, "P_GEB_a", "Gebäude: Grundwert a", a2a.gebaeude.a, a2a.gebaeude.einheit, a2a.gebaeude.ref)
    _konstante(b, r, "P_GEB_b", "Gebäude: Abschlag b je m³", a2a.gebaeude.b, a2a.gebaeude.einheit, a2a.gebaeude.ref)
    _potenz(b, r, "OE", "Ortsentwässerung", a2b.ortsentwaesserung)
    _potenz(b, r, "PW", "Pumpstation", a2b.pumpstation)
    _potenz(b, r, "RB", "Regenbecken/Regenüberlauf", a2b.regenbecken)
    _konstante(
        b, r, "P_RB_erdbau", "Regenbecken in Erdbauweise", a2b.regenbecken.erdbau_krw, a2b.regenbecken.einheit,
        a2b.regenbecken.ref,
    )  # fmt: skip
    _potenz(b, r, "BF", "Bodenfilter", a2b.bodenfilter)
    _potenz(b, r, "KA", "Kläranlage", a2b.klaeranlage)
    _potenz(b, r, "NR", "Nachrüstung (biol. Stufe ab Stichjahr)", a2b.nachruestung_neu)
    alt = a2b.nachruestung_alt
    _konstante(b, r, "P_NR_vor_jahr", "Nachrüstung: Stichjahr (errichtet vor)", alt.vor_jahr, "", alt.ref)
    _konstante(b, r, "P_NR_anteil", "Nachrüstung vor Stichjahr: Anteil am KRW Kläranlage", alt.anteil, "", alt.ref)
    san = a2b.sanierung
    _konstante(b, r, "P_SAN_zaehler", "Sanierung: Anteil am Leitungs-KRW, Zähler", san.zaehler, "", san.ref)
    _konstante(b, r, "P_SAN_nenner", "Sanierung: Anteil am Leitungs-KRW, Nenner", san.nenner, "", san.ref)
    for kuerzel, zuschlag in (("IZ2A", a2a.ingenieurzuschlag), ("IZ2B", a2b.ingenieurzuschlag)):
        sparte = "Wasser" if kuerzel == "IZ2A" else "Abwasser"
        _konstante(b, r, f"P_{kuerzel}_satz", f"Ing.-Zuschlag {sparte}: Satz", zuschlag.satz, "%", zuschlag.ref)
        _konstante(
            b, r, f"P_{kuerzel}_satz_gross", f"Ing.-Zuschlag {sparte}: Satz über Schwelle",
            zuschlag.satz_ueber_schwelle, "%", zuschlag.ref,
        )  # fmt: skip
        _konstante(b, r, f"P_{kuerzel}_schwelle", f"Ing.-Zuschlag {sparte}: Schwelle", zuschlag.schwelle, "€",
                   zuschlag.ref)  # fmt: skip
        _konstante(
            b, r, f"P_{kuerzel}_je_buero", f"Ing.-Zuschlag {sparte}: je weiterem Büro", zuschlag.je_weiterem_buero,
            "Prozentpunkte", zuschlag.ref,
        )  # fmt: skip
        _konstante(
            b, r, f"P_{kuerzel}_max_zusatz", f"Ing.-Zuschlag {sparte}: höchstens zusätzlich",
            zuschlag.hoechstens_zusaetzlich, "Prozentpunkte", zuschlag.ref,
        )  # fmt: skip
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
        _konstante(b, r, name, text, wert, einheit, zh.ref)
    vs = r.vertrauensschutz
    for stufe, abzug in enumerate(vs.abzug):
        _konstante(b, r, f"P_VS_{stufe}", f"Vertrauensschutz {stufe}: Abzug", abzug, "Prozentpunkte", vs.ref)
    b.bereich("P_VS_abzug", "param.P_VS_0", f"param.P_VS_{len(vs.abzug) - 1}")

    _stufen(b, r, "WL", "Wasserleitungen", a2a.wasserleitung)
    _stufen(b, r, "FS", "Freispiegelleitungen", a2b.freispiegelleitung)
    b.weiter()
    b.text("A", f"Druckleitungen, Verfahren ({r.regel(a2b.druckleitung.ref)})", stil="tabellenkopf")
    b.text("B", f"KRW {a2b.druckleitung.einheit}", stil="tabellenkopf")
    b.weiter()
    verfahren = list(a2b.druckleitung.verfahren.values())
    for i, eintrag in enumerate(verfahren):
        b.text("A", eintrag.bezeichnung, stil="zelle", schluessel=f"param.DL.name.{i}")
        b.text("B", eintrag.krw, stil="zelle", schluessel=f"param.DL.krw.{i}")
        b.weiter()
    b.bereich("P_DL_Namen", "param.DL.name.0", f"param.DL.name.{len(verfahren) - 1}")
    b.bereich("P_DL_KRW", "param.DL.krw.0", f"param.DL.krw.{len(verfahren) - 1}")
    blatt = Blatt(BLATT, f"Parameter der {r.meta.kurz}", {"A": 52, "B": 14, "C": 16, "D": 40})
    return blatt, b
