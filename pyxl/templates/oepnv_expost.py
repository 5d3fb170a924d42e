"""Ex post-Nachweis (Überkompensationskontrolle, Ziffer 5, 6, 7.5, 9.4) of one company for one Ausgleichsjahr.

Ist against Soll: the incentive values K and E (6.2–6.5), the highest compensation without overcompensation with
the profit on the Umsatz *including* the compensation — solved in closed form, no circular reference (5.4, 5.7) —,
the Kürzung for services not run (7.5), Ausgleich and bonus (5.8, 5.9, 6.6), Anspruch, Überzahlung and the
repayment interest across Basiszinssatz changes (9.4), and the flag for extraordinary events (3.13).

Reading: the Kürzung of 7.5 reduces the granted ex ante amount before the comparison with the overcompensation
limit ("anteilige Kürzung des gewährten ex ante-Ausgleichs").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

from pyxl.functions import oepnv
from pyxl.functions.eingabe import datum
from pyxl.functions.geld import cent
from pyxl.functions.zahlen import deutsch
from pyxl.parameter import Basiszins, OEPNVParameter
from pyxl.templates import stil
from pyxl.templates.bauplan import Bauplan
from pyxl.templates.gemeinsam import (
    Flagge,
    datum_pruefung,
    dezimal_pruefung,
    flaggen_regel,
    formularkopf,
    legende,
    unterschriftenblock,
)
from pyxl.templates.modell import Blatt, Formular, Werte
from pyxl.templates.oepnv_exante import ja_nein
from pyxl.templates.oepnv_parameter import ausgleichsjahr_feld, parameterblatt, unternehmen_feld

VERSION = "2023.1"
BLATT = "Ex post"
EXCEL_NULL = dt.date(1899, 12, 30)


def _zinsabschnitte(basiszins: Basiszins) -> list[tuple[dt.date, dt.date, Decimal]]:
    """Basiszinssatz periods [ab, bis) from the data; the last one ends with its half-year."""
    werte = basiszins.werte
    letzte = werte[-1].ab
    ende = dt.date(letzte.year, 7, 1) if letzte.month < 7 else dt.date(letzte.year + 1, 1, 1)
    grenzen = [w.ab for w in werte[1:]] + [ende]
    return [(w.ab, bis, w.satz) for w, bis in zip(werte, grenzen, strict=True)]


def _serial(tag: dt.date) -> int:
    return (tag - EXCEL_NULL).days


def _n(w: Werte, schluessel: str) -> Decimal:
    return w.zahl(schluessel, Decimal(0))


class _Rechnung:
    """The form's Python side for one Satzung and Basiszinssatz table."""

    def __init__(self, s: OEPNVParameter, basiszins: Basiszins) -> None:
        self.s, self.basiszins = s, basiszins

    def kuerzung(self, w: Werte) -> Decimal:
        ausgefallen = _n(w, "ep.fplkm_ausgefallen")
        if ausgefallen == 0:
            return Decimal(0)
        return oepnv.kuerzung_ausfall(_n(w, "ep.exante"), w.zahl("ep.fplkm_soll"), ausgefallen, satzung=self.s)

    def tage(self, w: Werte, ab: dt.date, bis: dt.date) -> Decimal:
        von, ende = w.roh("ep.von"), w.roh("ep.bis")
        if von is None or ende is None:
            return Decimal(0)
        von_tag, ende_tag = datum(von, "Von", self.s.zins.ref), datum(ende, "Bis", self.s.zins.ref)
        return Decimal(max(0, (min(ende_tag, bis) - max(von_tag, ab)).days))

    def zins(self, w: Werte) -> Decimal:
        ueberzahlung, von, bis = w.zahl("ep.ueberzahlung"), w.roh("ep.von"), w.roh("ep.bis")
        if ueberzahlung == 0 or von is None or bis is None:
            return Decimal(0)
        return oepnv.rueckzahlungszins(ueberzahlung, von, bis, satzung=self.s, basiszins=self.basiszins)

    def ereignis(self, w: Werte) -> str:
        return ja_nein(oepnv.aussergewoehnlich(_n(w, "ep.k_ist"), _n(w, "ep.k_soll"), _n(w, "ep.e_ist"),
                                               _n(w, "ep.e_soll"), satzung=self.s))  # fmt: skip

    @staticmethod
    def ueberzahlt(w: Werte) -> str:
        return ja_nein(_n(w, "ep.gezahlt") > w.zahl("ep.anspruch"))

    def flaggen(self) -> tuple[Flagge, ...]:
        s = self.s
        return (
            Flagge("ep.flag_313", self.ereignis, "info", "ereignis_3_13",
                   f"Kosten oder Einnahmen weichen um mehr als {deutsch(s.ereignis.satz)} % vom Soll ab: Anpassung "
                   "wegen außergewöhnlicher Ereignisse prüfen", s.regel(s.ereignis.ref)),
            Flagge("ep.ueberzahlung", self.ueberzahlt, "info", "ueberzahlung_5_10",
                   "Überzahlung: Rückforderung mit Zinsen festsetzen", s.regel(s.ziffern.rueckforderung)),
        )  # fmt: skip


def _eingabe(b: Bauplan, schluessel: str, text: str, regel: str, *, pflicht: bool = False, ganz: bool = False) -> None:
    b.text("B", text + (" *" if pflicht else ""), stil="beschriftung")
    pruefung = dezimal_pruefung(text, regel)
    if pflicht:
        pruefung = replace(pruefung, pflicht=True)
    b.eingabe("F", schluessel, pruefung, zahlenformat=stil.GANZ if ganz else stil.EURO)
    b.weiter()


def _ergebnis(b: Bauplan, schluessel: str, text: str, vorlage: str, rechnung, regel: str, **angaben) -> None:
    b.text("B", text, stil="beschriftung")
    b.formel("F", schluessel, vorlage, rechnung, regel=regel, **({"zahlenformat": stil.EURO} | angaben))
    b.weiter()


def expost_nachweis(s: OEPNVParameter, basiszins: Basiszins) -> Formular:
    """The form for Satzung ``s``, its interest periods from the Basiszinssatz table ``basiszins``."""
    kennung, titel = "OEPNV-EP", "Ex post-Nachweis (Überkompensationskontrolle)"
    untertitel = s.formulare.expost
    z, r = s.ziffern, _Rechnung(s, basiszins)
    b = Bauplan(BLATT)
    formularkopf(b, kennung=kennung, version=VERSION, titel=titel, untertitel=untertitel, rechts="F", umbruch=True)
    unternehmen_feld(b)
    ausgleichsjahr_feld(b, s, z.expost)
    b.weiter()
    legende(b, "B")

    b.text("A", "1. Soll-Werte aus der ex ante-Kalkulation", stil="abschnitt")
    b.weiter()
    _eingabe(b, "ep.k_soll", "Indizierte Soll-Kosten K_soll in €", s.regel(z.soll_kosten), pflicht=True)
    _eingabe(b, "ep.e_soll", "Indizierte Soll-Einnahmen E_soll in €", s.regel(z.soll_einnahmen), pflicht=True)
    _eingabe(b, "ep.exante", "Gewährter ex ante-Ausgleich in €", s.regel(z.exante_gewaehrt), pflicht=True)
    b.weiter()
    b.text("A", "2. Ist-Werte (testierte Trennungsrechnung, Segment allgemeine Vorschrift)", stil="abschnitt")
    b.weiter()
    ist = s.regel(z.ist_werte)
    _eingabe(b, "ep.k_ist", "Maßgebliche Ist-Kosten K_ist in €", ist, pflicht=True)
    _eingabe(b, "ep.p", "Quantifizierbare positive finanzielle Auswirkungen P in €", ist)
    _eingabe(b, "ep.e_ist", "Maßgebliche Ist-Einnahmen E_ist (ohne diesen Ausgleich) in €", ist, pflicht=True)
    _eingabe(b, "ep.u", "Umsatz U (Tarif, SB-Erstattung, Sonstiges; ohne diesen Ausgleich) in €",
             s.regel(s.gewinn.ref), pflicht=True)  # fmt: skip
    _eingabe(b, "ep.fplkm_soll", "Fahrplan-km nach Anlage 1", s.regel(s.ausfall.ref), ganz=True)
    _eingabe(b, "ep.fplkm_ausgefallen", "Nicht erbrachte Fahrplan-km", s.regel(s.ausfall.ref), ganz=True)
    b.weiter()

    b.text("A", "3. Überkompensationskontrolle und Anspruch", stil="abschnitt")
    b.weiter()
    _ergebnis(b, "ep.flag_313", f"Kosten oder Einnahmen weichen um mehr als {deutsch(s.ereignis.satz)} % vom Soll ab",
              '=IF(OR(AND(N({ep.k_ist})>N({ep.k_soll}),(N({ep.k_ist})-N({ep.k_soll}))*100>N({ep.k_soll})*'
              "OEP_Ereignis),AND(N({ep.e_ist})<N({ep.e_soll}),(N({ep.e_soll})-N({ep.e_ist}))*100>N({ep.e_soll})*"
              'OEP_Ereignis)),"ja","nein")',
              r.ereignis, s.regel(s.ereignis.ref), zahlenformat=None)  # fmt: skip
    _ergebnis(b, "ep.k", "Anzusetzende Kosten K = min(K_ist; K_soll)", "=MIN(N({ep.k_ist}),N({ep.k_soll}))",
              lambda w: min(_n(w, "ep.k_ist"), _n(w, "ep.k_soll")), s.regel(z.kosten_anreiz))  # fmt: skip
    _ergebnis(b, "ep.e", "Anzusetzende Einnahmen E = max(E_ist; E_soll)", "=MAX(N({ep.e_ist}),N({ep.e_soll}))",
              lambda w: max(_n(w, "ep.e_ist"), _n(w, "ep.e_soll")), s.regel(z.einnahmen_anreiz))  # fmt: skip
    _ergebnis(b, "ep.a_max", "Höchstbetrag A = (K − P − E + r · U) / (1 − r)",
              "=IF(MIN({ep.k},N({ep.p}),{ep.e},N({ep.u}))<0,NA(),"
              "ROUND(({ep.k}-N({ep.p})-{ep.e}+OEP_Gewinn/100*N({ep.u}))/(1-OEP_Gewinn/100),2))",
              lambda w: oepnv.expost_hoechstbetrag(w.zahl("ep.k"), _n(w, "ep.p"), w.zahl("ep.e"), _n(w, "ep.u"),
                                                   satzung=s),
              s.regel(z.hoechstbetrag))  # fmt: skip
    _ergebnis(b, "ep.kuerzung", "Kürzung für nicht erbrachte Fahrplan-km",
              "=IF(N({ep.fplkm_ausgefallen})=0,0,IF(OR(N({ep.fplkm_soll})<=0,{ep.fplkm_ausgefallen}>{ep.fplkm_soll}),"
              "NA(),ROUND(N({ep.exante})/{ep.fplkm_soll}*{ep.fplkm_ausgefallen},2)))", r.kuerzung,
              s.regel(s.ausfall.ref))  # fmt: skip
    _ergebnis(b, "ep.exante_gekuerzt", "Gewährter ex ante-Ausgleich nach Kürzung",
              "=ROUND(N({ep.exante})-{ep.kuerzung},2)", lambda w: cent(_n(w, "ep.exante") - w.zahl("ep.kuerzung")),
              s.regel(s.ausfall.ref))  # fmt: skip
    _ergebnis(b, "ep.ausgleich", "Ausgleich = min(ex ante; max(0; A))",
              "=MIN({ep.exante_gekuerzt},MAX(0,{ep.a_max}))",
              lambda w: min(w.zahl("ep.exante_gekuerzt"), max(Decimal(0), w.zahl("ep.a_max"))),
              s.regel(z.ausgleich_expost))  # fmt: skip
    _ergebnis(b, "ep.bonus", f"Bonus ({deutsch(s.bonus.anteil)} % der Verbesserung, höchstens "
              f"{deutsch(s.bonus.hoechstens)} % des Ausgleichs)",
              # the differences are rounded to the cent first: two close floats subtracted (3.482,87 − 3.411,98)
              # leave 70,88999…, and half of it would round down where 35,445 € rounds up
              "=MIN(ROUND(OEP_Bonus_Anteil/100*ROUND(MAX(0,N({ep.k_soll})-N({ep.k_ist})),2)+OEP_Bonus_Anteil/100*"
              "ROUND(MAX(0,N({ep.e_ist})-N({ep.e_soll})),2),2),ROUND({ep.ausgleich}*OEP_Bonus_max/100,2))",
              lambda w: oepnv.bonus(_n(w, "ep.k_ist"), _n(w, "ep.k_soll"), _n(w, "ep.e_ist"), _n(w, "ep.e_soll"),
                                    w.zahl("ep.ausgleich"), satzung=s), s.regel(s.bonus.ref))  # fmt: skip
    _ergebnis(b, "ep.anspruch", "Anspruch = min(ex ante; Ausgleich + Bonus)",
              "=ROUND(MIN({ep.exante_gekuerzt},{ep.ausgleich}+{ep.bonus}),2)",
              lambda w: oepnv.anspruch_aus_ausgleich(w.zahl("ep.exante_gekuerzt"), w.zahl("ep.ausgleich"),
                                                     w.zahl("ep.bonus"), satzung=s),
              s.regel(s.ausgleich.ref), stil="summe")  # fmt: skip
    b.weiter()

    b.text("A", f"4. Zahlungen und Rückforderung ({s.regel(z.zahlungen)})", stil="abschnitt")
    b.weiter()
    _eingabe(b, "ep.gezahlt", "Gezahlte Abschläge in €", s.regel(s.abschlaege.ref))
    _ergebnis(b, "ep.nachzahlung", "Nachzahlung an das Unternehmen", "=MAX(0,{ep.anspruch}-N({ep.gezahlt}))",
              lambda w: max(Decimal(0), w.zahl("ep.anspruch") - _n(w, "ep.gezahlt")),
              s.regel(s.abschlaege.ref))  # fmt: skip
    _ergebnis(b, "ep.ueberzahlung", "Überzahlung (zurückzuzahlen)", "=MAX(0,N({ep.gezahlt})-{ep.anspruch})",
              lambda w: max(Decimal(0), _n(w, "ep.gezahlt") - w.zahl("ep.anspruch")),
              s.regel(z.ueberzahlung))  # fmt: skip
    regel = s.regel(s.zins.ref)
    for schluessel, text in (("ep.von", "Tag der ersten Überzahlung"), ("ep.bis", "Tag der Rückzahlung")):
        b.text("B", text, stil="beschriftung")
        b.eingabe("F", schluessel, datum_pruefung(text, regel), zahlenformat=stil.DATUM)
        b.weiter()
    b.weiter()
    b.kopfzeile([("B", "Zinsabschnitt ab"), ("C", "bis (ausschließlich)"), ("D", "Basiszinssatz in %"),
                 ("E", "Zinssatz in % (+ Aufschlag)"), ("F", "Tage"), ("G", "Zinsen in €")])  # fmt: skip
    b.weiter()
    abschnitte = _zinsabschnitte(basiszins)
    for i, (ab, bis, satz) in enumerate(abschnitte):
        b.text("B", _serial(ab), stil="zelle", schluessel=f"ep.zins.{i}.ab", zahlenformat=stil.DATUM)
        b.text("C", _serial(bis), stil="zelle", schluessel=f"ep.zins.{i}.bis", zahlenformat=stil.DATUM)
        b.text("D", satz, stil="zelle", schluessel=f"ep.zins.{i}.basis", zahlenformat=stil.BETRAG)
        b.formel(
            "E",
            f"ep.zins.{i}.satz",
            f"=MAX(0,{{ep.zins.{i}.basis}}+OEP_Zinsaufschlag)",
            lambda w, st=satz: max(Decimal(0), st + s.zins.aufschlag),
            regel=regel,
            zahlenformat=stil.BETRAG,
        )
        b.formel("F", f"ep.zins.{i}.tage", f'=IF(OR({{ep.von}}="",{{ep.bis}}=""),0,MAX(0,MIN({{ep.bis}},'
                 f"{{ep.zins.{i}.bis}})-MAX({{ep.von}},{{ep.zins.{i}.ab}})))",
                 lambda w, a=ab, e=bis: r.tage(w, a, e), regel=regel, zahlenformat=stil.GANZ)  # fmt: skip
        b.formel("G", f"ep.zins.{i}.zinsen", f"={{ep.ueberzahlung}}*{{ep.zins.{i}.satz}}/100*{{ep.zins.{i}.tage}}/"
                 "OEP_Zinstage", lambda w, k=i: w.zahl("ep.ueberzahlung") * w.zahl(f"ep.zins.{k}.satz") / 100 *
                 w.zahl(f"ep.zins.{k}.tage") / s.zins.tage_im_jahr, regel=regel, zahlenformat=stil.BETRAG)  # fmt: skip
        b.weiter()
    letzte = len(abschnitte) - 1
    _ergebnis(b, "ep.zins", "Rückzahlungszins (höchstens die Überzahlung)",
              '=IF(OR({ep.ueberzahlung}=0,{ep.von}="",{ep.bis}="",{ep.bis}={ep.von}),0,IF(OR({ep.bis}<{ep.von},'
              "{ep.von}<{ep.zins.0.ab},{ep.bis}>" + f"{{ep.zins.{letzte}.bis}}),NA(),"
              f"ROUND(MIN(SUM({{ep.zins.0.zinsen}}:{{ep.zins.{letzte}.zinsen}}),{{ep.ueberzahlung}}),2)))",
              r.zins, regel, stil="summe")  # fmt: skip

    unterschriftenblock(b, spalte_text="B", spalte_eingabe="C", bis_spalte="E")
    parameter_blatt, parameter_plan = parameterblatt(s, (s, basiszins))
    blatt = Blatt(BLATT, titel, {"A": 4, "B": 46, "C": 16, "D": 14, "E": 16, "F": 18, "G": 14},
                  druckbereich=f"A1:G{b.zeile - 1}", zusatzfelder=tuple(b.zusatzfelder),
                  zeilenhoehen=b.zeilenhoehen)  # fmt: skip
    return Formular(kennung=kennung, version=VERSION, titel=titel, untertitel=untertitel,
                    dateiname="OEPNV_ExPost_Nachweis.xlsx", blaetter=(blatt, parameter_blatt),
                    felder=tuple(b.felder + parameter_plan.felder),
                    fussnote=f"Aufbau nach {s.meta.kurz} {z.expost_aufbau}; amtlicher Vordruck maßgeblich",
                    stand=s.meta.stand, bereiche=b.bereiche | parameter_plan.bereiche,
                    kreuzregeln=(flaggen_regel(*r.flaggen()),), regelwerke=(s, basiszins))  # fmt: skip
