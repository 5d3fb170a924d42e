"""Übersicht des Landkreises: all companies of one Ausgleichsjahr against the Gesamtausgleich (Ziffer 1.8, 3.9).

Each company's ex ante claim (from its OEPNV-EA form) is cut in the same proportion when the claims exceed the
Gesamtausgleich; the cents go by the largest-remainder method, so the cut amounts add up exactly (every step is a
column the auditor can follow). Then the Unterdeckung flag, the 64/36 financing and the sums per Teilnetz.

Reading of 3.9 ("nach Teilnetzen (maßgeblich sind die Fahrplankilometer) zugeordnet"): a company serving several
Teilnetze takes one row per Teilnetz, its claim split by its Fahrplan-km there; the cut is the same proportion for
every row, so only the distribution of the last cents depends on the split.

The sheet computes the exact shares in binary floating point, as every spreadsheet does. Remainders are therefore
rounded to 8 decimal places before they are ranked (here and in Python), so an exact half cent ties as it should.
A share lying within about 1e-15 of a cent boundary could still be rounded down differently than in Python's exact
arithmetic; the validator recomputes in Decimal and reports any such difference.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from pyxl.functions import oepnv
from pyxl.functions.geld import cent
from pyxl.functions.zahlen import deutsch
from pyxl.parameter import OEPNVParameter
from pyxl.templates import stil
from pyxl.templates.bauplan import Bauplan
from pyxl.templates.gemeinsam import (
    Flagge,
    dezimal_pruefung,
    flaggen_regel,
    formularkopf,
    legende,
    listen_pruefung,
    text_pruefung,
)
from pyxl.templates.modell import Blatt, Formular, Werte
from pyxl.templates.oepnv_exante import ja_nein
from pyxl.templates.oepnv_parameter import ausgleichsjahr_feld, parameterblatt

VERSION = "2023.1"
BLATT = "Übersicht"
STELLEN = -oepnv.REST_GENAUIGKEIT.as_tuple().exponent  # decimal places the remainders are compared at
ZEILEN = 15  # companies per county: Rotenburg has fewer; more rows cost nothing


def _ansprueche(w: Werte) -> list[Decimal]:
    return [cent(w.zahl(f"ue.{i}.anspruch", Decimal(0))) for i in range(1, ZEILEN + 1)]


def _gesamt(w: Werte) -> Decimal:
    return cent(w.zahl("ue.gesamt", Decimal(0)))


def _gekuerzt(w: Werte) -> bool:
    return w.roh("ue.abschmelzung") == "ja"


def _anteil(w: Werte, i: int, was: str) -> Decimal | int | None:
    """Column ``was`` of row i in the largest-remainder method (or the claim itself when nothing is cut)."""
    werte = _ansprueche(w)
    if not _gekuerzt(w):
        return {"genau": werte[i - 1], "abgerundet": werte[i - 1], "rest": Decimal(0), "rang": None,
                "zugeteilt": werte[i - 1]}[was]  # fmt: skip
    return getattr(oepnv.abschmelzung_anteile(werte, _gesamt(w))[i - 1], was)


def _abschmelzung(w: Werte) -> str:
    return ja_nein(w.zahl("ue.summe") > _gesamt(w))


def _flaggen(s: OEPNVParameter) -> tuple[Flagge, ...]:
    def unterdeckung(w: Werte) -> str:
        return ja_nein(oepnv.unterdeckung(w.zahl("ue.summe"), _gesamt(w), satzung=s))

    return (
        Flagge("ue.abschmelzung", _abschmelzung, "info", "abschmelzung_1_8",
               "Ansprüche übersteigen den Gesamtausgleich: alle Ansprüche im gleichen Verhältnis gekürzt",
               s.regel(s.gesamtausgleich.ref)),
        Flagge("ue.unterdeckung", unterdeckung, "info", "unterdeckung_1_8",
               f"Unterdeckung: Gesamtausgleich mehr als {deutsch(s.unterdeckung.satz)} % unter der Summe der "
               "Ansprüche", s.regel(s.unterdeckung.ref)),
    )  # fmt: skip


def _teilnetz(w: Werte, teilnetz: str, feld: str) -> Decimal:
    return w.summe([f"ue.{i}.{feld}" for i in range(1, ZEILEN + 1) if w.roh(f"ue.{i}.teilnetz") == teilnetz])


def uebersicht(s: OEPNVParameter) -> Formular:
    """The county's overview for Satzung ``s`` (its Teilnetze, rates and clauses)."""
    kennung, titel = "OEPNV-UE", "Übersicht Ausgleich aller Unternehmen und Abschmelzung auf den Gesamtausgleich"
    untertitel = s.formulare.uebersicht
    regel, z = s.regel(s.gesamtausgleich.ref), s.ziffern
    flaggen = _flaggen(s)
    b = Bauplan(BLATT)
    formularkopf(b, kennung=kennung, version=VERSION, titel=titel, untertitel=untertitel, rechts="J")
    b.text("B", "Aufgabenträger", stil="beschriftung")
    b.text("C", s.meta.kurz.removeprefix("Satzung "), stil="beschriftung", schluessel="kopf.kreis")
    b.weiter()
    ausgleichsjahr_feld(b, s, z.uebersicht)
    b.text("B", "Gesamtausgleich in € *", stil="beschriftung")
    b.eingabe("C", "ue.gesamt", replace(dezimal_pruefung("Gesamtausgleich in €", regel), pflicht=True),
              zahlenformat=stil.EURO)  # fmt: skip
    b.weiter(2)
    legende(b, "B")

    kopf = b.zeile
    b.kopfzeile([("A", "Nr."), ("B", "Verkehrsunternehmen"), ("C", "Teilnetz"), ("D", "Fahrplan-km (Anlage 1)"),
                 ("E", "ex ante-Anspruch in € (OEPNV-EA)"), ("F", "Anteil genau in €"), ("G", "abgerundet in €"),
                 ("H", "Rest in €"), ("I", "Rang des Rests"), ("J", "Ausgleich in €")])  # fmt: skip
    erste = kopf + 1
    for i in range(1, ZEILEN + 1):  # pass 1: the inputs
        b.zeile = erste + i - 1
        b.text("A", i, stil="zelle")
        b.eingabe("B", f"ue.{i}.name", text_pruefung("Verkehrsunternehmen"))
        b.eingabe("C", f"ue.{i}.teilnetz", listen_pruefung("Teilnetz", s.regel(z.teilnetze),
                                                            s.trennungsrechnung.teilnetze))  # fmt: skip
        b.eingabe("D", f"ue.{i}.fplkm", dezimal_pruefung("Fahrplan-km", s.regel(z.anlage1)), zahlenformat=stil.GANZ)
        b.eingabe("E", f"ue.{i}.anspruch", dezimal_pruefung("ex ante-Anspruch in €", s.regel(z.exante)),
                  zahlenformat=stil.BETRAG)  # fmt: skip
    summenzeile = erste + ZEILEN
    b.zeile = summenzeile
    b.text("B", "Summe", stil="summe")
    b.formel("D", "ue.fplkm", f"=SUM({{ue.1.fplkm}}:{{ue.{ZEILEN}.fplkm}})",
             lambda w: w.summe([f"ue.{i}.fplkm" for i in range(1, ZEILEN + 1)]), regel=regel, zahlenformat=stil.GANZ,
             stil="summe")  # fmt: skip
    b.formel("E", "ue.summe", f"=SUMPRODUCT(ROUND({{ue.1.anspruch}}:{{ue.{ZEILEN}.anspruch}},2))",
             lambda w: sum(_ansprueche(w), Decimal(0)), regel=regel, zahlenformat=stil.BETRAG,
             stil="summe")  # fmt: skip

    b.zeile = summenzeile + 2
    b.text("A", "Abschmelzung und Finanzierung", stil="abschnitt")
    b.weiter()
    b.text("B", "Ansprüche übersteigen den Gesamtausgleich (Abschmelzung)", stil="beschriftung")
    b.formel("J", "ue.abschmelzung", '=IF({ue.summe}>ROUND(N({ue.gesamt}),2),"ja","nein")',
             _abschmelzung, regel=regel)  # fmt: skip
    b.weiter()
    b.text("B", f"Unterdeckung (Gesamtausgleich mehr als {deutsch(s.unterdeckung.satz)} % unter der Summe)",
           stil="beschriftung")  # fmt: skip
    b.formel("J", "ue.unterdeckung", '=IF({ue.summe}*(1-OEP_Unterdeckung/100)>ROUND(N({ue.gesamt}),2),"ja","nein")',
             flaggen[1].berechnung, regel=s.regel(s.unterdeckung.ref))  # fmt: skip
    restcent_zeile = b.weiter()

    gekuerzt = '{ue.abschmelzung}="ja"'
    for i in range(1, ZEILEN + 1):  # pass 2: share, rounded down, remainder
        b.zeile = erste + i - 1
        anspruch = f"ROUND(N({{ue.{i}.anspruch}}),2)"
        b.formel("F", f"ue.{i}.genau", f"=IF({gekuerzt},{anspruch}*ROUND(N({{ue.gesamt}}),2)/{{ue.summe}},{anspruch})",
                 lambda w, k=i: _anteil(w, k, "genau"), regel=regel, zahlenformat=stil.BETRAG)  # fmt: skip
        b.formel("G", f"ue.{i}.abgerundet", f"=IF({gekuerzt},ROUNDDOWN({{ue.{i}.genau}},2),{{ue.{i}.genau}})",
                 lambda w, k=i: _anteil(w, k, "abgerundet"), regel=regel, zahlenformat=stil.BETRAG)  # fmt: skip
        b.formel("H", f"ue.{i}.rest", f"=ROUND({{ue.{i}.genau}}-{{ue.{i}.abgerundet}},{STELLEN})",
                 lambda w, k=i: _anteil(w, k, "rest"), regel=regel, zahlenformat="0.0000")  # fmt: skip
    b.zeile = summenzeile
    b.formel("G", "ue.abgerundet", f"=SUM({{ue.1.abgerundet}}:{{ue.{ZEILEN}.abgerundet}})",
             lambda w: w.summe([f"ue.{i}.abgerundet" for i in range(1, ZEILEN + 1)]), regel=regel,
             zahlenformat=stil.BETRAG, stil="summe")  # fmt: skip
    b.zeile = restcent_zeile
    b.text("B", "Verbleibende Cent (nach dem größten Rest verteilt)", stil="beschriftung")
    b.formel("J", "ue.restcent", f"=IF({gekuerzt},ROUND((ROUND(N({{ue.gesamt}}),2)-{{ue.abgerundet}})*100,0),0)",
             lambda w: (_gesamt(w) - w.zahl("ue.abgerundet")) * 100 if _gekuerzt(w) else Decimal(0), regel=regel,
             zahlenformat=stil.GANZ)  # fmt: skip
    reste = f"{{ue.1.rest}}:{{ue.{ZEILEN}.rest}}"
    for i in range(1, ZEILEN + 1):  # pass 3: rank of the remainder (ties: earlier row) and the result
        b.zeile = erste + i - 1
        b.formel("I", f"ue.{i}.rang", f'=IF({gekuerzt},1+SUMPRODUCT(--({reste}>{{ue.{i}.rest}}))+SUMPRODUCT(--('
                 f"{reste}={{ue.{i}.rest}}),--(ROW({reste})<ROW({{ue.{i}.rest}}))),\"\")",
                 lambda w, k=i: _anteil(w, k, "rang"), regel=regel, zahlenformat=stil.GANZ)  # fmt: skip
        b.formel("J", f"ue.{i}.ausgleich", f"=IF({gekuerzt},ROUND({{ue.{i}.abgerundet}}+IF({{ue.{i}.rang}}<="
                 f"{{ue.restcent}},0.01,0),2),{{ue.{i}.abgerundet}})", lambda w, k=i: _anteil(w, k, "zugeteilt"),
                 regel=regel, zahlenformat=stil.BETRAG)  # fmt: skip
    b.zeile = summenzeile
    b.formel("J", "ue.verteilt", f"=SUM({{ue.1.ausgleich}}:{{ue.{ZEILEN}.ausgleich}})",
             lambda w: w.summe([f"ue.{i}.ausgleich" for i in range(1, ZEILEN + 1)]), regel=regel,
             zahlenformat=stil.BETRAG, stil="summe")  # fmt: skip

    b.zeile = restcent_zeile + 1
    regel_f = s.regel(s.finanzierung.ref)
    b.text("B", f"davon Landkreis ({deutsch(s.finanzierung.landkreis)} %)", stil="beschriftung")
    b.formel("J", "ue.landkreis", "=ROUND({ue.verteilt}*OEP_Anteil_Landkreis/100,2)",
             lambda w: oepnv.finanzierung(w.zahl("ue.verteilt"), satzung=s)[0], regel=regel_f,
             zahlenformat=stil.EURO)  # fmt: skip
    b.weiter()
    b.text("B", f"davon Land (§ 7a NNVG, {deutsch(s.finanzierung.land)} %)", stil="beschriftung")
    b.formel("J", "ue.land", "=ROUND({ue.verteilt}-{ue.landkreis},2)",
             lambda w: oepnv.finanzierung(w.zahl("ue.verteilt"), satzung=s)[1], regel=regel_f,
             zahlenformat=stil.EURO)  # fmt: skip
    b.weiter(2)
    b.text("A", f"Zuordnung zu den Teilnetzen nach Fahrplan-km ({s.regel(z.zuordnung)})", stil="abschnitt")
    b.weiter()
    b.kopfzeile([("B", "Teilnetz"), ("D", "Fahrplan-km"), ("J", "Ausgleich in €")])
    b.weiter()
    for t, name in enumerate(s.trennungsrechnung.teilnetze):
        b.text("B", name, stil="zelle", schluessel=f"ue.tn.{t}.name")
        for spalte, feld, format_ in (("D", "fplkm", stil.GANZ), ("J", "ausgleich", stil.EURO)):
            b.formel(spalte, f"ue.tn.{t}.{feld}", f"=SUMIF({{ue.1.teilnetz}}:{{ue.{ZEILEN}.teilnetz}},"
                     f"{{ue.tn.{t}.name}},{{ue.1.{feld}}}:{{ue.{ZEILEN}.{feld}}})",
                     lambda w, n=name, f=feld: _teilnetz(w, n, f), regel=s.regel(z.zuordnung),
                     zahlenformat=format_)  # fmt: skip
        b.weiter()

    parameter_blatt, parameter_plan = parameterblatt(s)
    blatt = Blatt(BLATT, titel, {"A": 5, "B": 36, "C": 14, "D": 14, "E": 18, "F": 16, "G": 16, "H": 10, "I": 8,
                                 "J": 18}, querformat=True, druck_titelzeilen=f"{kopf}:{kopf}",
                  druckbereich=f"A1:J{b.zeile}")  # fmt: skip
    return Formular(kennung=kennung, version=VERSION, titel=titel, untertitel=untertitel,
                    dateiname="OEPNV_Uebersicht_Landkreis.xlsx", blaetter=(blatt, parameter_blatt),
                    felder=tuple(b.felder + parameter_plan.felder),
                    fussnote=f"Aufbau nach {s.meta.kurz} {s.gesamtausgleich.ref}",
                    stand=s.meta.stand,  # the county's own working sheet, not submitted: no signature block
                    bereiche=b.bereiche | parameter_plan.bereiche, kreuzregeln=(flaggen_regel(*flaggen),),
                    regelwerke=(s,))  # fmt: skip
