"""Ex ante-Kalkulation (Ziffer 3.7, Anlage 4 Anhang 6) of one company for one Ausgleichsjahr.

Base-year positions (segment "allgemeine Vorschrift" of the Trennungsrechnung) × index key × index factor give the
Soll values; from them BE_Basis, BE_idx, the Wagnisaufschlag W, the ex ante amount, the Deckelung (3.12), an approved
Leistungsänderung (7.3), the Bagatellgrenze (2.3), the flags 3.11 and 7.2 and the Abschlagszahlungen (9.1).

Readings (spec/oepnv.md): the compensation under this Satzung is not a relevant revenue (it is the unknown), so its
position is left out. Costs count at most with the value of an average well-run company (3.2): where the county
gives a Vergleichswert, the lower of the two. Flag 3.11 compares the *computed* (indexed) ex ante amount with the
previous year's, before the Deckelung — the clause speaks of "der indizierte ex ante-Betrag".
"""

from __future__ import annotations

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
    unterschriftenblock,
)
from pyxl.templates.modell import Blatt, Fehlerwert, Formular, Pruefung, Werte
from pyxl.templates.oepnv_parameter import ausgleichsjahr_feld, parameterblatt, unternehmen_feld

VERSION = "2023.1"
BLATT = "Ex ante"
FAKTOR = "0.0000"


def ja_nein(bedingung: bool) -> str:
    return "ja" if bedingung else "nein"


def _faktor(w: Werte, kurz: str, indizes: tuple[str, ...]) -> Decimal | Fehlerwert | None:
    """The factor of the row's index key: empty without a key, an error for an unknown key or a missing factor."""
    schluessel = w.roh(f"{kurz}.index")
    if schluessel is None:
        return None
    if schluessel not in indizes:
        return Fehlerwert(f"Indexschlüssel {schluessel!r} unbekannt")
    faktor = w.zahl(f"ea.index.{indizes.index(schluessel)}.faktor")
    return Fehlerwert("Indexfaktor fehlt") if faktor is None else faktor


def _indiziert(w: Werte, kurz: str) -> Decimal | Fehlerwert:
    basis = w.zahl(f"{kurz}.mass")
    if basis == 0:
        return Decimal(0)
    faktor = w.roh(f"{kurz}.faktor")
    if faktor is None:
        return Fehlerwert("Indexschlüssel fehlt")
    return cent(basis * w.zahl(f"{kurz}.faktor"))


def _massgeblich(w: Werte, kurz: str, *, kosten: bool) -> Decimal:
    eigen = w.zahl(f"{kurz}.basis", Decimal(0))
    vergleich = w.zahl(f"{kurz}.vergleich") if kosten else None
    return eigen if vergleich is None else min(eigen, vergleich)


def _position(b: Bauplan, s: OEPNVParameter, kurz: str, nummer: str, text: str, *, kosten: bool) -> None:
    regel = s.regel(s.exante.ref)
    b.text("A", nummer, stil="zelle")
    b.text("B", text, stil="zelle")
    b.eingabe("C", f"{kurz}.basis", dezimal_pruefung(f"{text}, Basisjahr in €", regel), zahlenformat=stil.BETRAG)
    if kosten:
        b.eingabe("D", f"{kurz}.vergleich", dezimal_pruefung(f"{text}, Vergleichswert in €",
                  s.regel(s.ziffern.vergleichswert)), zahlenformat=stil.BETRAG)  # fmt: skip
        vorlage = f'=IF({{{kurz}.vergleich}}="",{{{kurz}.basis}}+0,MIN({{{kurz}.basis}}+0,{{{kurz}.vergleich}}+0))'
    else:
        b.text("D", "–", stil="zelle")
        vorlage = f"={{{kurz}.basis}}+0"
    b.formel("E", f"{kurz}.mass", vorlage, lambda w, k=kurz, c=kosten: _massgeblich(w, k, kosten=c),
             regel=s.regel(s.ziffern.massgeblich), zahlenformat=stil.BETRAG)  # fmt: skip
    b.eingabe("F", f"{kurz}.index", listen_pruefung("Indexschlüssel", regel, s.exante.indizes))
    finden = f"INDEX(OEP_Index_Faktor,MATCH({{{kurz}.index}},OEP_Index_Schluessel,0))"
    b.formel("G", f"{kurz}.faktor", f'=IF({{{kurz}.index}}="","",IF({finden}="",NA(),{finden}))',
             lambda w, k=kurz: _faktor(w, k, s.exante.indizes), regel=regel, zahlenformat=FAKTOR)  # fmt: skip
    b.formel("H", f"{kurz}.idx", f'=IF({{{kurz}.mass}}=0,0,IF({{{kurz}.faktor}}="",NA(),'
             f"ROUND({{{kurz}.mass}}*{{{kurz}.faktor}},2)))", lambda w, k=kurz: _indiziert(w, k), regel=regel,
             zahlenformat=stil.BETRAG)  # fmt: skip
    b.weiter()


def _summe(b: Bauplan, regel: str, kurz: str, text: str, teile: list[str]) -> None:
    b.text("B", text, stil="summe")
    for spalte, feld in (("E", "mass"), ("H", "idx")):
        schluessel = [f"{t}.{feld}" for t in teile]
        b.formel(spalte, f"{kurz}.{feld}", f"=SUM({{{schluessel[0]}}}:{{{schluessel[-1]}}})",
                 lambda w, s=schluessel: w.summe(s), regel=regel, zahlenformat=stil.BETRAG, stil="summe")  # fmt: skip
    b.weiter()


def _zeile(b: Bauplan, text: str) -> None:
    b.text("B", text, stil="beschriftung")


class _Rechnung:
    """The form's Python side for one Satzung: each formula cell's value from the cells it reads."""

    def __init__(self, s: OEPNVParameter) -> None:
        self.s = s

    def vorjahr_abweichung(self, w: Werte) -> str | None:
        vorjahr = w.zahl("ea.vorjahr")
        if vorjahr is None:
            return None
        return ja_nein(oepnv.stellungnahme_noetig(w.zahl("ea.exante"), vorjahr, satzung=self.s))

    def deckelung(self, w: Werte) -> Decimal:
        vorjahr = w.zahl("ea.vorjahr")
        betrag = w.zahl("ea.exante")
        return betrag if vorjahr is None else oepnv.deckelung(betrag, vorjahr, satzung=self.s)

    def anpassung(self, w: Werte) -> Decimal:
        fplkm, delta = w.zahl("ea.fplkm"), w.zahl("ea.fplkm_delta", Decimal(0))
        if not fplkm or delta == 0:
            return Decimal(0)
        return oepnv.leistungsaenderung(w.zahl("ea.deckelung"), fplkm, delta, satzung=self.s)

    def km_flag(self, w: Werte) -> str | None:
        fplkm = w.zahl("ea.fplkm")
        if not fplkm:
            return None
        return ja_nein(oepnv.neubestimmung_noetig(fplkm, w.zahl("ea.fplkm_delta", Decimal(0)), satzung=self.s))

    def unter_bagatellgrenze(self, w: Werte) -> str:
        return ja_nein(0 < cent(w.zahl("ea.deckelung") + w.zahl("ea.anpassung")) < self.s.bagatell.betrag)

    def ausgleich(self, w: Werte) -> Decimal:
        return oepnv.bagatellgrenze(cent(w.zahl("ea.deckelung") + w.zahl("ea.anpassung")), satzung=self.s)

    def abschlag(self, w: Werte, stelle: int) -> Decimal:
        return oepnv.abschlaege(w.zahl("ea.ausgleich"), satzung=self.s)[stelle]

    def flaggen(self) -> tuple[Flagge, ...]:
        s = self.s
        return (
            Flagge("ea.flag_311", self.vorjahr_abweichung, "info", "stellungnahme_3_11",
                   f"Ex ante-Betrag weicht um mehr als {deutsch(s.begruendung.satz)} % vom Vorjahr ab: schriftliche "
                   "Stellungnahme des Unternehmens erforderlich", s.regel(s.begruendung.ref)),
            Flagge("ea.flag_72", self.km_flag, "info", "neubestimmung_7_2",
                   f"Fahrplan-km ändern sich um mehr als ± {deutsch(s.leistungsaenderung.satz)} %: Ausgleich je "
                   "Teilnetz neu bestimmen",
                   s.regel(s.ziffern.neubestimmung)),
            Flagge("ea.ausgleich", self.unter_bagatellgrenze, "info", "bagatellgrenze_2_3",
                   f"Ausgleich unter {deutsch(s.bagatell.betrag)} €: kein Ausgleich", s.regel(s.bagatell.ref)),
        )  # fmt: skip


def exante_kalkulation(s: OEPNVParameter) -> Formular:
    """The form for Satzung ``s`` (its numbers, clauses, index keys and positions)."""
    kennung, titel = "OEPNV-EA", "Ex ante-Kalkulation des Ausgleichs"
    untertitel = s.formulare.exante
    e, z, r = s.exante, s.ziffern, _Rechnung(s)
    regel = s.regel(e.ref)
    b = Bauplan(BLATT)
    formularkopf(b, kennung=kennung, version=VERSION, titel=titel, untertitel=untertitel, rechts="H")
    unternehmen_feld(b)
    b.text("B", "Teilnetz", stil="beschriftung")
    b.eingabe("C", "kopf.teilnetz", listen_pruefung("Teilnetz", s.regel(z.teilnetze), s.trennungsrechnung.teilnetze))
    b.weiter()
    ausgleichsjahr_feld(b, s, z.basisjahr, "Ausgleichsjahr (n + 1)")
    b.text("B", "Basisjahr (n − 1)", stil="beschriftung")
    b.formel("C", "kopf.basisjahr", '=IF({kopf.jahr}="","",{kopf.jahr}-2)',
             lambda w: None if w.zahl("kopf.jahr") is None else w.zahl("kopf.jahr") - 2,
             regel=s.regel(z.basisjahr), zahlenformat=stil.JAHR)  # fmt: skip
    b.weiter(2)
    legende(b, "B")

    b.text("A", f"1. Indexfaktoren Basisjahr → Ausgleichsjahr ({s.regel(e.ref)})", stil="abschnitt")
    b.weiter()
    b.kopfzeile([("B", "Indexschlüssel"), ("C", "Faktor")])
    b.weiter()
    for i, name in enumerate(e.indizes):
        b.text("B", name, stil="zelle", schluessel=f"ea.index.{i}.name")
        b.eingabe("C", f"ea.index.{i}.faktor", dezimal_pruefung(f"Indexfaktor {name}", regel, groesser=True),
                  zahlenformat=FAKTOR)  # fmt: skip
        b.weiter()
    letzter = len(e.indizes) - 1
    b.bereich("OEP_Index_Schluessel", "ea.index.0.name", f"ea.index.{letzter}.name")
    b.bereich("OEP_Index_Faktor", "ea.index.0.faktor", f"ea.index.{letzter}.faktor")
    b.weiter()

    b.text("A", "2. Maßgebliche Einnahmen und Kosten (Segment allgemeine Vorschrift der Trennungsrechnung)",
           stil="abschnitt")  # fmt: skip
    b.weiter()
    kopf = b.zeile
    b.kopfzeile([("A", "Nr."), ("B", "Position"), ("C", "Basisjahr (Ist) in €"),
                 ("D", "Vergleichswert gut geführtes Unternehmen in €"), ("E", "maßgeblich in €"),
                 ("F", "Indexschlüssel"), ("G", "Faktor"), ("H", "Ausgleichsjahr (Soll) in €")])  # fmt: skip
    b.weiter()
    t = s.trennungsrechnung
    for gruppe, namen, kosten, summe in (("E", t.ertraege, False, "Summe maßgebliche Einnahmen"),
                                         ("A", t.aufwendungen, True, "Summe maßgebliche Kosten")):  # fmt: skip
        teile = []
        for nummer, name in enumerate(namen, 1):  # the Trennungsrechnung's numbers, so positions read across
            if name == e.ohne_ausgleich:
                continue
            kurz = f"ea.{gruppe}{nummer:02d}"
            _position(b, s, kurz, f"{gruppe}{nummer:02d}", name, kosten=kosten)
            teile.append(kurz)
        _summe(b, regel, f"ea.{gruppe}S", summe, teile)
    b.weiter()

    b.text("A", "3. Ex ante-Ausgleich", stil="abschnitt")
    b.weiter()
    for schluessel, text, vorlage, rechnung, fundstelle in (
        ("ea.be_basis", "Betriebsergebnis Basisjahr (BE_Basis)", "=ROUND({ea.ES.mass}-{ea.AS.mass},2)",
         lambda w: cent(w.zahl("ea.ES.mass") - w.zahl("ea.AS.mass")), regel),
        ("ea.be_idx", "Indiziertes Betriebsergebnis (BE_idx)", "=ROUND({ea.ES.idx}-{ea.AS.idx},2)",
         lambda w: cent(w.zahl("ea.ES.idx") - w.zahl("ea.AS.idx")), regel),
        ("ea.wagnis", f"Wagnisaufschlag W ({deutsch(s.wagnis.satz)} % der Soll-Kosten)",
         "=ROUND({ea.AS.idx}*OEP_Wagnis/100,2)", lambda w: oepnv.wagnis(w.zahl("ea.AS.idx"), satzung=s),
         s.regel(s.wagnis.ref)),
        ("ea.exante", "Ex ante-Ausgleich rechnerisch = max(0; W − BE_idx + min(BE_Basis; 0))",
         "=ROUND(MAX(0,{ea.wagnis}-{ea.be_idx}+MIN({ea.be_basis},0)),2)",
         lambda w: oepnv.exante_aus_wagnis(w.zahl("ea.wagnis"), w.zahl("ea.be_basis"), w.zahl("ea.be_idx"),
                                           satzung=s),
         s.regel(z.exante_formel)),
    ):  # fmt: skip
        _zeile(b, text)
        b.formel("H", schluessel, vorlage, rechnung, regel=fundstelle, zahlenformat=stil.EURO)
        b.weiter()
    _zeile(b, "Ex ante-Ausgleich des Vorjahres (falls gewährt)")
    b.eingabe("H", "ea.vorjahr", dezimal_pruefung("Ex ante-Ausgleich des Vorjahres in €", s.regel(s.deckelung.ref)),
              zahlenformat=stil.EURO)  # fmt: skip
    b.weiter()
    _zeile(b, f"Abweichung zum Vorjahr über {deutsch(s.begruendung.satz)} %: schriftliche Stellungnahme nötig")
    b.formel("H", "ea.flag_311", '=IF({ea.vorjahr}="","",IF(ABS({ea.exante}-{ea.vorjahr})*100>{ea.vorjahr}*'
             'OEP_Begruendung,"ja","nein"))', r.vorjahr_abweichung, regel=s.regel(s.begruendung.ref))  # fmt: skip
    b.weiter()
    _zeile(b, f"Nach Deckelung (höchstens {deutsch(s.deckelung.satz)} % über dem Vorjahr)")
    b.formel("H", "ea.deckelung", '=IF(N({ea.vorjahr})=0,{ea.exante},MIN({ea.exante},ROUND({ea.vorjahr}*'
             "(1+OEP_Deckelung/100),2)))", r.deckelung, regel=s.regel(s.deckelung.ref),
             zahlenformat=stil.EURO)  # fmt: skip
    b.weiter()
    _zeile(b, "Fahrplan-km der Basisverkehrsleistung (Anlage 1)")
    b.eingabe("H", "ea.fplkm", dezimal_pruefung("Fahrplan-km", s.regel(z.anlage1), groesser=True),
              zahlenformat=stil.GANZ)  # fmt: skip
    b.weiter()
    _zeile(b, "Genehmigte Leistungsänderung in Fahrplan-km (+/−)")
    b.eingabe("H", "ea.fplkm_delta", Pruefung("dezimal", regel=s.regel(s.leistungsaenderung.ref),
              hinweis=f"Änderung der Fahrplan-km, Mehrleistung positiv ({s.regel(s.leistungsaenderung.ref)})."),
              zahlenformat=stil.GANZ)  # fmt: skip
    b.weiter()
    _zeile(b, f"Fahrplan-km ändern sich um mehr als ± {deutsch(s.leistungsaenderung.satz)} %: Neubestimmung")
    b.formel("H", "ea.flag_72", '=IF(N({ea.fplkm})=0,"",IF(ABS(N({ea.fplkm_delta}))*100>{ea.fplkm}*'
             'OEP_Leistungsaenderung,"ja","nein"))', r.km_flag, regel=s.regel(z.neubestimmung))  # fmt: skip
    b.weiter()
    _zeile(b, "Anpassung für die Leistungsänderung (ex ante je Fahrplan-km × Änderung)")
    b.formel("H", "ea.anpassung", '=IF(OR(N({ea.fplkm})=0,N({ea.fplkm_delta})=0),0,'
             "ROUND({ea.deckelung}/{ea.fplkm}*{ea.fplkm_delta},2))", r.anpassung,
             regel=s.regel(s.leistungsaenderung.ref), zahlenformat=stil.EURO)  # fmt: skip
    b.weiter()
    _zeile(b, f"Ex ante-Ausgleich (unter {deutsch(s.bagatell.betrag)} € kein Ausgleich)")
    b.formel("H", "ea.ausgleich", "=IF(ROUND({ea.deckelung}+{ea.anpassung},2)<OEP_Bagatell,0,"
             "ROUND({ea.deckelung}+{ea.anpassung},2))", r.ausgleich, regel=s.regel(s.bagatell.ref),
             zahlenformat=stil.EURO, name="OEP_ExAnte", stil="summe")  # fmt: skip
    b.weiter(2)

    b.text("A", f"4. Abschlagszahlungen ({s.regel(s.abschlaege.ref)})", stil="abschnitt")
    b.weiter()
    raten = s.abschlaege.raten
    vorab = "ROUND({ea.ausgleich}*OEP_Abschlag/100,2)"
    rate = f"ROUND({vorab}/OEP_Raten,2)"
    for schluessel, text, vorlage, stelle in (
        ("ea.rate", f"Monatsrate 1 bis {raten - 1}", f"={rate}", 0),
        ("ea.rate_letzte", f"Monatsrate {raten} (nimmt den Cent-Rest auf)", f"=ROUND({vorab}-{rate}*(OEP_Raten-1),2)",
         raten - 1),
        ("ea.rest", "Rest nach der Überkompensationskontrolle", f"=ROUND({{ea.ausgleich}}-{vorab},2)", raten),
    ):  # fmt: skip
        _zeile(b, text)
        b.formel("H", schluessel, vorlage, lambda w, st=stelle: r.abschlag(w, st), regel=s.regel(s.abschlaege.ref),
                 zahlenformat=stil.EURO)  # fmt: skip
        b.weiter()

    unterschriftenblock(b, spalte_text="B", spalte_eingabe="C", bis_spalte="E")
    parameter_blatt, parameter_plan = parameterblatt(s)
    blatt = Blatt(BLATT, titel, {"A": 6, "B": 50, "C": 16, "D": 18, "E": 16, "F": 30, "G": 10, "H": 18},
                  querformat=True, druck_titelzeilen=f"{kopf}:{kopf}", druckbereich=f"A1:H{b.zeile - 1}",
                  zusatzfelder=tuple(b.zusatzfelder), zeilenhoehen=b.zeilenhoehen)  # fmt: skip
    return Formular(kennung=kennung, version=VERSION, titel=titel, untertitel=untertitel,
                    dateiname="OEPNV_ExAnte_Kalkulation.xlsx", blaetter=(blatt, parameter_blatt),
                    felder=tuple(b.felder + parameter_plan.felder),
                    fussnote=f"Aufbau nach {s.meta.kurz} {e.ref}; amtlicher Vordruck maßgeblich", stand=s.meta.stand,
                    bereiche=b.bereiche | parameter_plan.bereiche, kreuzregeln=(flaggen_regel(*r.flaggen()),),
                    regelwerke=(s,))  # fmt: skip
