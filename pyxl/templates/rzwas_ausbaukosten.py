"""Anlage 4: Ermittlung der Ausbaukosten → AK, Zuwendungssatz ZH, Zuwendung.

The seed names Anlage 4 but does not print it; the form follows spec/rzwas.md (AK = Investitionskosten / Anteile,
Anteile = Einwohner mit Hauptwohnsitz + Einwohnergleichwerte) and says in its footer that the official form governs.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from pyxl.functions.rzwas_zuwendung import ausbaukosten, zuwendung, zuwendungssatz
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

VERSION = "2005.1"  # the layout's version; the edition's numbers come from the set a form is built from
BLATT = "Anlage 4"
SPARTEN = ("Wasserversorgung", "Abwasseranlagen")
Rechnung = Callable[[Werte], Decimal | None]
INVESTITIONEN = 12


def _wert(b: Bauplan, text: str) -> None:
    b.text("B", text, stil="beschriftung")


def _ak(r: RZWasParameter) -> Rechnung:
    def rechnen(w: Werte) -> Decimal | None:
        summe, anteile = w.zahl("ak.investitionen"), w.zahl("ak.anteile")
        return None if summe == 0 or anteile == 0 else ausbaukosten(summe, anteile, regeln=r)

    return rechnen


def _zh(r: RZWasParameter) -> Rechnung:
    def rechnen(w: Werte) -> Decimal | None:
        ak = w.zahl("ak.ak")
        return None if ak is None else zuwendungssatz(ak, w.zahl("ak.vertrauensschutz", Decimal(0)), regeln=r)

    return rechnen


def _zuwendung(r: RZWasParameter) -> Rechnung:
    def rechnen(w: Werte) -> Decimal | None:
        if w.zahl("ak.zh") is None or w.leer("ak.zwf"):
            return None
        return zuwendung(w.roh("ak.zwf"), w.zahl("ak.ak"), w.zahl("ak.vertrauensschutz", Decimal(0)), regeln=r)

    return rechnen


def anlage_4(r: RZWasParameter) -> Formular:
    """Anlage 4 built from the edition ``r``."""
    regel_ak, regel_zh = r.regel(r.ausbaukosten.ref), r.regel(r.zuwendungssatz.ref)
    kennung, untertitel = "RZWAS-4", f"Anlage 4 zu den {r.meta.kurz}"
    titel = "Ermittlung der Ausbaukosten (AK) und des Zuwendungssatzes"
    b = Bauplan(BLATT)
    formularkopf(b, kennung=kennung, version=VERSION, titel=titel, untertitel=untertitel, rechts="D")
    antragstellerblock(b, spalte_text="A", spalte_eingabe="B", behoerde="Wasserwirtschaftsamt")
    b.text("A", "Sparte *", stil="beschriftung")
    b.eingabe("B", "ak.sparte", listen_pruefung("Sparte", regel_ak, SPARTEN, pflicht=True), name="RZW_Sparte")
    b.weiter(2)
    legende(b)

    b.text("A", "1. Investitionskosten der Anlage (dieses Vorhaben und frühere Investitionen)", stil="abschnitt")
    b.weiter()
    kopf = b.zeile
    b.kopfzeile([("A", "lfd. Nr."), ("B", "Bezeichnung der Investition"), ("C", "Jahr"), ("D", "Betrag €")])
    b.weiter()
    for i in range(1, INVESTITIONEN + 1):
        b.text("A", i, stil="zelle")
        b.eingabe("B", f"inv.{i}.bezeichnung", text_pruefung("Bezeichnung der Investition"))
        b.eingabe("C", f"inv.{i}.jahr", ganzzahl_pruefung("Jahr", regel_ak, minimum=1000, maximum=9999),
                  zahlenformat=stil.JAHR)  # fmt: skip
        b.eingabe("D", f"inv.{i}.betrag", dezimal_pruefung("Betrag in €", regel_ak), zahlenformat=stil.EURO)
        b.weiter()
    b.bereich_zeilen("RZW_Investitionen", kopf + 1, b.zeile - 1, "A", "D")
    betraege = b.spalte_zwischen("inv.1.betrag", f"inv.{INVESTITIONEN}.betrag")
    _wert(b, "Investitionskosten insgesamt")
    b.formel("D", "ak.investitionen", f"=SUM({{inv.1.betrag}}:{{inv.{INVESTITIONEN}.betrag}})",
             lambda w: w.summe(betraege), regel=regel_ak, zahlenformat=stil.EURO, name="RZW_Investitionskosten",
             stil="summe")  # fmt: skip
    b.weiter(2)

    b.text("A", "2. Wasser- bzw. Abwasseranteile", stil="abschnitt")
    b.weiter()
    _wert(b, "Einwohner mit Hauptwohnsitz")
    b.eingabe("D", "ak.einwohner", ganzzahl_pruefung("Einwohner", r.regel(r.ausbaukosten.ref_einwohner), minimum=0),
              zahlenformat=stil.GANZ, name="RZW_Einwohner")  # fmt: skip
    b.weiter()
    _wert(b, "Einwohnergleichwerte (Gewerbe u. a.)")
    b.eingabe("D", "ak.egw", dezimal_pruefung("Einwohnergleichwerte", regel_ak), zahlenformat="#,##0.0",
              name="RZW_Einwohnergleichwerte")  # fmt: skip
    b.weiter()
    _wert(b, "Anteile (WA bzw. AA) insgesamt")
    b.formel("D", "ak.anteile", "=N({ak.einwohner})+N({ak.egw})",
             lambda w: w.zahl("ak.einwohner", Decimal(0)) + w.zahl("ak.egw", Decimal(0)), regel=regel_ak,
             zahlenformat="#,##0.0", name="RZW_Anteile", stil="summe")  # fmt: skip
    b.weiter(2)

    b.text("A", "3. Ausbaukosten und Zuwendungssatz", stil="abschnitt")
    b.weiter()
    _wert(b, "Ausbaukosten AK in €/WA bzw. €/AA")
    b.formel(
        "D", "ak.ak",
        '=IF(OR({ak.investitionen}=0,{ak.anteile}=0),"",IF(OR({ak.investitionen}<0,{ak.anteile}<0),NA(),'
        "ROUND({ak.investitionen}/{ak.anteile},2)))",
        _ak(r), regel=regel_ak, zahlenformat=stil.EURO, name="RZW_AK", stil="summe",
    )  # fmt: skip
    b.weiter()
    _wert(b, "Vertrauensschutzprogramm (0 = keins, 1 = I, 2 = II)")
    stufen = tuple(str(i) for i in range(len(r.vertrauensschutz.abzug)))
    regel_vs = r.regel(r.vertrauensschutz.ref)
    b.eingabe("D", "ak.vertrauensschutz", listen_pruefung("Vertrauensschutz", regel_vs, stufen),
              zahlenformat=stil.GANZ, name="RZW_Vertrauensschutz")  # fmt: skip
    b.weiter()
    _wert(b, "Zuwendungssatz ZH in %")
    b.formel(
        "D", "ak.zh",
        '=IF({ak.ak}="","",IF(ISTEXT({ak.vertrauensschutz}),NA(),ROUND(MAX(0,IF({ak.ak}<P_ZH_schwelle,0,'
        "IF({ak.ak}<P_ZH_grenze,ROUND(P_ZH_a1-P_ZH_b1/{ak.ak},P_ZH_stellen),"
        "ROUND(MIN(P_ZH_max,P_ZH_a2-P_ZH_b2/{ak.ak}),P_ZH_stellen)))"
        "-INDEX(P_VS_abzug,N({ak.vertrauensschutz})+1)),P_ZH_stellen)))",
        _zh(r), regel=regel_zh, zahlenformat=stil.PROZENT, name="RZW_Zuwendungssatz", stil="summe",
    )  # fmt: skip
    b.weiter(2)

    b.text("A", "4. Zuwendung", stil="abschnitt")
    b.weiter()
    _wert(b, "Zuwendungsfähige Kosten lt. Anlage 3a bzw. 3b")
    b.eingabe("D", "ak.zwf", dezimal_pruefung("Zuwendungsfähige Kosten in €", regel_zh), zahlenformat=stil.EURO,
              name="RZW_zwf_Kosten_Anl4")  # fmt: skip
    b.weiter()
    _wert(b, "Zuwendung (zwf. Kosten × ZH)")
    b.formel("D", "ak.zuwendung", '=IF(OR({ak.zh}="",{ak.zwf}=""),"",ROUND({ak.zwf}*{ak.zh}/100,2))', _zuwendung(r),
             regel=regel_zh, zahlenformat=stil.EURO, name="RZW_Zuwendung", stil="summe")  # fmt: skip
    b.weiter()

    parameter_blatt, parameter_plan = parameterblatt(r)
    unterschriftenblock(b, spalte_text="A", spalte_eingabe="B")
    blatt = Blatt(BLATT, titel, {"A": 36, "B": 48, "C": 10, "D": 20}, druck_titelzeilen=f"{kopf}:{kopf}",
                  druckbereich=f"A1:D{b.zeile - 1}", zusatzfelder=tuple(b.zusatzfelder),
                  zeilenhoehen=b.zeilenhoehen)  # fmt: skip
    return Formular(
        kennung=kennung, version=VERSION, titel=titel, untertitel=untertitel,
        dateiname="RZWas2005_Anlage4_Ausbaukosten.xlsx", blaetter=(blatt, parameter_blatt),
        felder=tuple(b.felder + parameter_plan.felder),
        fussnote=f"Aufbau nach {r.meta.kurz} Anl. 2a Nr. 1.4 / 2b Nr. 1.2; amtlicher Vordruck maßgeblich",
        stand=r.meta.bekanntmachung, bereiche=b.bereiche | parameter_plan.bereiche, regelwerke=(r,),
    )  # fmt: skip
