"""Anlage 4: Ermittlung der Ausbaukosten → AK, Zuwendungssatz ZH, Zuwendung.

The seed names Anlage 4 but does not print it; the form follows spec/rzwas.md (AK = Investitionskosten / Anteile,
Anteile = Einwohner mit Hauptwohnsitz + Einwohnergleichwerte) and says in its footer that the official form governs.
"""

from __future__ import annotations

from decimal import Decimal

from pyxl import parameter
from pyxl.functions.rzwas_zuwendung import ausbaukosten, zuwendung, zuwendungssatz
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
from pyxl.templates.rzwas_parameter import STAND, parameterblatt

P = parameter.rzwas("2005")
VERSION = "2005.1"
BLATT = "Anlage 4"
REGEL_AK = P.regel(P.ausbaukosten.ref)
REGEL_ZH = P.regel(f"{P.anl2a.zuwendungssatz.ref}, {P.anl2b.zuwendungssatz.ref}")
SPARTEN = ("Wasserversorgung", "Abwasseranlagen")
INVESTITIONEN = 12


def _wert(b: Bauplan, text: str) -> None:
    b.text("B", text, stil="beschriftung")


def _ak(w: Werte) -> Decimal | None:
    summe, anteile = w.zahl("ak.investitionen"), w.zahl("ak.anteile")
    return None if summe == 0 or anteile == 0 else ausbaukosten(summe, anteile)


def _zh(w: Werte) -> Decimal | None:
    ak = w.zahl("ak.ak")
    return None if ak is None else zuwendungssatz(ak, w.zahl("ak.vertrauensschutz", Decimal(0)))


def _zuwendung(w: Werte) -> Decimal | None:
    if w.zahl("ak.zh") is None or w.leer("ak.zwf"):
        return None
    return zuwendung(w.roh("ak.zwf"), w.zahl("ak.ak"), w.zahl("ak.vertrauensschutz", Decimal(0)))


def anlage_4() -> Formular:
    kennung, untertitel = "RZWAS-4", "Anlage 4 zu den RZWas 2005"
    titel = "Ermittlung der Ausbaukosten (AK) und des Zuwendungssatzes"
    b = Bauplan(BLATT)
    formularkopf(b, kennung=kennung, version=VERSION, titel=titel, untertitel=untertitel, rechts="D")
    antragstellerblock(b, spalte_text="A", spalte_eingabe="B", behoerde="Wasserwirtschaftsamt")
    b.text("A", "Sparte *", stil="beschriftung")
    b.eingabe("B", "ak.sparte", listen_pruefung("Sparte", REGEL_AK, SPARTEN, pflicht=True), name="RZW_Sparte")
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
        b.eingabe("C", f"inv.{i}.jahr", ganzzahl_pruefung("Jahr", REGEL_AK, minimum=1000, maximum=9999),
                  zahlenformat=stil.JAHR)  # fmt: skip
        b.eingabe("D", f"inv.{i}.betrag", dezimal_pruefung("Betrag in €", REGEL_AK), zahlenformat=stil.EURO)
        b.weiter()
    b.bereich_zeilen("RZW_Investitionen", kopf + 1, b.zeile - 1, "A", "D")
    betraege = b.spalte_zwischen("inv.1.betrag", f"inv.{INVESTITIONEN}.betrag")
    _wert(b, "Investitionskosten insgesamt")
    b.formel("D", "ak.investitionen", f"=SUM({{inv.1.betrag}}:{{inv.{INVESTITIONEN}.betrag}})",
             lambda w: w.summe(betraege), regel=REGEL_AK, zahlenformat=stil.EURO, name="RZW_Investitionskosten",
             stil="summe")  # fmt: skip
    b.weiter(2)

    b.text("A", "2. Wasser- bzw. Abwasseranteile", stil="abschnitt")
    b.weiter()
    _wert(b, "Einwohner mit Hauptwohnsitz")
    b.eingabe("D", "ak.einwohner", ganzzahl_pruefung("Einwohner", P.regel("Anl. 2a Nr. 1.5"), minimum=0),
              zahlenformat=stil.GANZ, name="RZW_Einwohner")  # fmt: skip
    b.weiter()
    _wert(b, "Einwohnergleichwerte (Gewerbe u. a.)")
    b.eingabe("D", "ak.egw", dezimal_pruefung("Einwohnergleichwerte", REGEL_AK), zahlenformat="#,##0.0",
              name="RZW_Einwohnergleichwerte")  # fmt: skip
    b.weiter()
    _wert(b, "Anteile (WA bzw. AA) insgesamt")
    b.formel("D", "ak.anteile", "=N({ak.einwohner})+N({ak.egw})",
             lambda w: w.zahl("ak.einwohner", Decimal(0)) + w.zahl("ak.egw", Decimal(0)), regel=REGEL_AK,
             zahlenformat="#,##0.0", name="RZW_Anteile", stil="summe")  # fmt: skip
    b.weiter(2)

    b.text("A", "3. Ausbaukosten und Zuwendungssatz", stil="abschnitt")
    b.weiter()
    _wert(b, "Ausbaukosten AK in €/WA bzw. €/AA")
    b.formel(
        "D", "ak.ak",
        '=IF(OR({ak.investitionen}=0,{ak.anteile}=0),"",IF(OR({ak.investitionen}<0,{ak.anteile}<0),NA(),'
        "ROUND({ak.investitionen}/{ak.anteile},2)))",
        _ak, regel=REGEL_AK, zahlenformat=stil.EURO, name="RZW_AK", stil="summe",
    )  # fmt: skip
    b.weiter()
    _wert(b, "Vertrauensschutzprogramm (0 = keins, 1 = I, 2 = II)")
    stufen = tuple(str(i) for i in range(len(P.vertrauensschutz.abzug)))
    b.eingabe("D", "ak.vertrauensschutz", listen_pruefung("Vertrauensschutz", P.vertrauensschutz.ref, stufen),
              zahlenformat=stil.GANZ, name="RZW_Vertrauensschutz")  # fmt: skip
    b.weiter()
    _wert(b, "Zuwendungssatz ZH in %")
    b.formel(
        "D", "ak.zh",
        '=IF({ak.ak}="","",IF(ISTEXT({ak.vertrauensschutz}),NA(),ROUND(MAX(0,IF({ak.ak}<P_ZH_schwelle,0,'
        "IF({ak.ak}<P_ZH_grenze,ROUND(P_ZH_a1-P_ZH_b1/{ak.ak},P_ZH_stellen),"
        "ROUND(MIN(P_ZH_max,P_ZH_a2-P_ZH_b2/{ak.ak}),P_ZH_stellen)))"
        "-INDEX(P_VS_abzug,N({ak.vertrauensschutz})+1)),P_ZH_stellen)))",
        _zh, regel=REGEL_ZH, zahlenformat=stil.PROZENT, name="RZW_Zuwendungssatz", stil="summe",
    )  # fmt: skip
    b.weiter(2)

    b.text("A", "4. Zuwendung", stil="abschnitt")
    b.weiter()
    _wert(b, "Zuwendungsfähige Kosten lt. Anlage 3a bzw. 3b")
    b.eingabe("D", "ak.zwf", dezimal_pruefung("Zuwendungsfähige Kosten in €", REGEL_ZH), zahlenformat=stil.EURO,
              name="RZW_zwf_Kosten_Anl4")  # fmt: skip
    b.weiter()
    _wert(b, "Zuwendung (zwf. Kosten × ZH)")
    b.formel("D", "ak.zuwendung", '=IF(OR({ak.zh}="",{ak.zwf}=""),"",ROUND({ak.zwf}*{ak.zh}/100,2))', _zuwendung,
             regel=REGEL_ZH, zahlenformat=stil.EURO, name="RZW_Zuwendung", stil="summe")  # fmt: skip
    b.weiter()

    parameter_blatt, parameter_plan = parameterblatt()
    unterschriftenblock(b, spalte_text="A", spalte_eingabe="B")
    blatt = Blatt(BLATT, titel, {"A": 36, "B": 48, "C": 10, "D": 20}, druck_titelzeilen=f"{kopf}:{kopf}",
                  druckbereich=f"A1:D{b.zeile - 1}", zusatzfelder=tuple(b.zusatzfelder),
                  zeilenhoehen=b.zeilenhoehen)  # fmt: skip
    return Formular(
        kennung=kennung, version=VERSION, titel=titel, untertitel=untertitel,
        dateiname="RZWas2005_Anlage4_Ausbaukosten.xlsx", blaetter=(blatt, parameter_blatt),
        felder=tuple(b.felder + parameter_plan.felder),
        fussnote="Aufbau nach RZWas 2005 Anl. 2a Nr. 1.4 / 2b Nr. 1.2; amtlicher Vordruck maßgeblich", stand=STAND,
        bereiche=b.bereiche | parameter_plan.bereiche,
    )  # fmt: skip
