"""Anlage 3a and 3b: Ermittlung der zuwendungsfähigen Kosten (Wasserversorgung / Abwasseranlagen)."""

from __future__ import annotations

from decimal import Decimal

from pyxl.functions.eingabe import ganzzahl
from pyxl.functions.rzwas_zuwendung import ingenieurzuschlag, ingenieurzuschlag_satz
from pyxl.parameter import RZWasParameter
from pyxl.templates import stil
from pyxl.templates.bauplan import Bauplan
from pyxl.templates.gemeinsam import (
    antragstellerblock,
    dezimal_pruefung,
    formularkopf,
    ganzzahl_pruefung,
    legende,
    listen_pruefung,
    text_pruefung,
    unterschriftenblock,
)
from pyxl.templates.modell import Blatt, Formular, Werte
from pyxl.templates.rzwas_parameter import parameterblatt
from pyxl.templates.rzwas_positionen import BREITEN, positionen

VERSION = "2005.1"  # the layout's version; the edition's numbers come from the set a form is built from


def _summe(b: Bauplan, schluessel: str, text: str, formel: str, berechnung, regel: str, *, name: str,
           zahlenformat: str = stil.EURO, stil_name: str = "summe") -> None:  # fmt: skip
    b.text("B", text, stil="beschriftung")
    b.formel("H", schluessel, formel, berechnung, regel=regel, name=name, zahlenformat=zahlenformat,
             stil=stil_name)  # fmt: skip
    b.weiter()


def _kakf_tabelle(b: Bauplan, r: RZWasParameter, zeilen: int = 6) -> tuple[str, str]:
    """Anl. 2a: positions without KRW, whose geprüfte costs of KA/KF are taken over."""
    regel = r.regel(r.anl2a.ref)
    b.text("A", "Kosten nach Kostenanschlag (KA) / Kostenfeststellung (KF)", stil="abschnitt")
    b.weiter()
    b.kopfzeile([("A", "Nr."), ("B", "Bezeichnung"), ("C", "KA oder KF"), ("H", "geprüfte Kosten €")])
    b.weiter()
    for i in range(1, zeilen + 1):
        b.eingabe("A", f"kakf.{i}.nr", listen_pruefung("Nr. der Anlage 2a", regel, r.anl2a.nummern_ka_kf))
        b.eingabe("B", f"kakf.{i}.bezeichnung", text_pruefung("Bezeichnung der Kosten"))
        b.eingabe("C", f"kakf.{i}.art", listen_pruefung("Kostenermittlung", regel, ("KA", "KF")))
        b.eingabe("H", f"kakf.{i}.betrag", dezimal_pruefung("Geprüfte Kosten in €", regel), zahlenformat=stil.EURO)
        b.weiter()
    return "kakf.1.betrag", f"kakf.{zeilen}.betrag"


def _zuschlag(b: Bauplan, r: RZWasParameter, *, sparte: str, basis: str) -> None:
    """Nr. 2.11: weitere Büros (input), Satz and Zuschlag (formulas), from the Sparte's parameters."""
    zuschlag = r.anl2a.ingenieurzuschlag if sparte == "wasser" else r.anl2b.ingenieurzuschlag
    kuerzel = "IZ2A" if sparte == "wasser" else "IZ2B"
    regel = r.regel(zuschlag.ref)
    b.text("B", "Weitere beauftragte Ingenieurbüros für Alternativplanungen (LPH 1–2)", stil="beschriftung")
    b.eingabe("H", "summe.bueros", ganzzahl_pruefung("Anzahl weiterer Büros", regel, minimum=0),
              zahlenformat=stil.GANZ, name="RZW_weitere_Bueros")  # fmt: skip
    b.weiter()

    def bueros(w: Werte) -> int:
        return ganzzahl(w.zahl("summe.bueros", Decimal(0)), "weitere_Bueros", regel)

    pruef = "OR(ISTEXT({summe.bueros}),N({summe.bueros})<0,N({summe.bueros})<>INT(N({summe.bueros})))"
    _summe(
        b, "summe.satz", "Zuschlagssatz Architekten- und Ingenieurleistungen",
        f"=IF({pruef},NA(),IF({{{basis}}}>P_{kuerzel}_schwelle,P_{kuerzel}_satz_gross,P_{kuerzel}_satz)"
        f"+MIN(N({{summe.bueros}})*P_{kuerzel}_je_buero,P_{kuerzel}_max_zusatz))",
        lambda w: ingenieurzuschlag_satz(w.zahl(basis), bueros(w), zuschlag, r), regel,
        name="RZW_Zuschlagssatz", zahlenformat=stil.PROZENT, stil_name="formel",
    )  # fmt: skip
    _summe(
        b, "summe.zuschlag", "Zuschlag für Architekten- und Ingenieurleistungen",
        f"=ROUND({{{basis}}}*{{summe.satz}}/100,2)",
        lambda w: ingenieurzuschlag(w.zahl(basis), Decimal(bueros(w)), sparte, regeln=r), regel, name="RZW_Zuschlag",
        stil_name="formel",
    )  # fmt: skip


def _formular(r: RZWasParameter, kennung: str, untertitel: str, titel: str, dateiname: str, sparte: str) -> Formular:
    wasser = sparte == "wasser"
    blattname = "Anlage 3a" if wasser else "Anlage 3b"
    b = Bauplan(blattname)
    formularkopf(b, kennung=kennung, version=VERSION, titel=titel, untertitel=untertitel, rechts="I")
    antragstellerblock(b, spalte_text="B", spalte_eingabe="C", behoerde="Wasserwirtschaftsamt", bis_spalte="H")
    legende(b)
    b.text("A", "Kostenpauschalen (Kostenrichtwert × Menge)", stil="abschnitt")
    b.weiter()
    kopfzeile = b.zeile
    erste, letzte = positionen(b, r, wasser=wasser)
    b.bereich_zeilen("RZW_Positionen", kopfzeile + 1, b.zeile - 1, "A", "I")
    b.weiter()
    kp_felder = b.spalte_zwischen(erste, letzte)
    _summe(b, "summe.kp", "Summe der Kostenpauschalen", f"=SUM({{{erste}}}:{{{letzte}}})",
           lambda w: w.summe(kp_felder), r.regel(r.mengen.ref_kostenpauschale), name="RZW_Summe_KP")  # fmt: skip
    umbrueche: tuple[int, ...] = ()
    if wasser:
        b.weiter()
        umbrueche = (b.zeile - 1,)  # the KA/KF section begins page 2 (the positions table fits on page 1)
        k_erste, k_letzte = _kakf_tabelle(b, r)
        kakf_felder = b.spalte_zwischen(k_erste, k_letzte)
        b.weiter()
        _summe(b, "summe.kakf", "Summe der Kosten nach KA/KF", f"=SUM({{{k_erste}}}:{{{k_letzte}}})",
               lambda w: w.summe(kakf_felder), r.regel(r.anl2a.ref), name="RZW_Summe_KAKF")  # fmt: skip
        _summe(b, "summe.basis", "Summe KP + KA + KF (Grundlage des Zuschlags)", "={summe.kp}+{summe.kakf}",
               lambda w: w.zahl("summe.kp") + w.zahl("summe.kakf"), r.regel(r.anl2a.ingenieurzuschlag.ref),
               name="RZW_Zuschlagsbasis")  # fmt: skip
        basis, zusatz, zusatz_text, zusatz_regel = (
            "summe.basis", "summe.anschlussentgelt", "Anschlussentgelt (Nr. 2.10; keine Investitionskosten)",
            r.regel(r.anl2a.anschlussentgelt.ref),
        )  # fmt: skip
    else:
        # 3b is two pages: page 1 ends after the Regenbecken, page 2 holds the other positions (under the repeated
        # table heading), the totals and the signature — so the final total is never left alone on a page
        umbrueche = (int(b.adresse("pos.rb.3.kp")[1:]),)
        basis, zusatz, zusatz_text, zusatz_regel = (
            "summe.kp", "summe.sonstige", "Anschlussentgelt nach Festlegung des WWA (Nr. 2.10.3)",
            r.regel(r.anl2b.anschlussentgelt.ref),
        )  # fmt: skip
    _zuschlag(b, r, sparte=sparte, basis=basis)
    b.text("B", zusatz_text, stil="beschriftung")
    b.eingabe("H", zusatz, dezimal_pruefung("Betrag in €", zusatz_regel), zahlenformat=stil.EURO,
              name="RZW_Anschlussentgelt")  # fmt: skip
    b.weiter()
    _summe(
        b, "summe.zwf", "Zuwendungsfähige Kosten insgesamt", f"={{{basis}}}+{{summe.zuschlag}}+N({{{zusatz}}})",
        lambda w: w.zahl(basis) + w.zahl("summe.zuschlag") + w.zahl(zusatz, Decimal(0)),
        r.regel(r.anl2a.ref if wasser else r.anl2b.ref), name="RZW_zwf_Kosten",
    )  # fmt: skip
    unterschriftenblock(b, spalte_text="B", spalte_eingabe="C", bis_spalte="F")
    parameter_blatt, parameter_plan = parameterblatt(r)
    blatt = Blatt(
        blattname, titel, BREITEN, querformat=True, seitenumbrueche=umbrueche,
        # 3b's positions table runs onto page 2: its heading is repeated there; 3a's ends on page 1
        druck_titelzeilen=None if wasser else f"{kopfzeile}:{kopfzeile}",
        druckbereich=f"A1:I{b.zeile - 1}", zusatzfelder=tuple(b.zusatzfelder), zeilenhoehen=b.zeilenhoehen,
    )  # fmt: skip
    return Formular(
        kennung=kennung, version=VERSION, titel=titel, untertitel=untertitel, dateiname=dateiname,
        blaetter=(blatt, parameter_blatt), felder=tuple(b.felder + parameter_plan.felder),
        fussnote=f"Aufbau nach {r.meta.kurz} Anl. 2a/2b; amtlicher Vordruck maßgeblich", stand=r.meta.bekanntmachung,
        bereiche=b.bereiche | parameter_plan.bereiche, regelwerke=(r,),
    )  # fmt: skip


def anlage_3a(r: RZWasParameter) -> Formular:
    """Anlage 3a built from the edition ``r``."""
    return _formular(
        r, "RZWAS-3A", f"Anlage 3a zu den {r.meta.kurz}", "Ermittlung der zuwendungsfähigen Kosten – Wasserversorgung",
        "RZWas2005_Anlage3a_zwf_Kosten_Wasserversorgung.xlsx", "wasser",
    )  # fmt: skip


def anlage_3b(r: RZWasParameter) -> Formular:
    """Anlage 3b built from the edition ``r``."""
    return _formular(
        r, "RZWAS-3B", f"Anlage 3b zu den {r.meta.kurz}", "Ermittlung der zuwendungsfähigen Kosten – Abwasseranlagen",
        "RZWas2005_Anlage3b_zwf_Kosten_Abwasseranlagen.xlsx", "abwasser",
    )  # fmt: skip
