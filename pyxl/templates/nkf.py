"""NKF Teilergebnisplan and Teilfinanzplan as fill-in forms (NKF NRW row schemes from ``nkf_nrw.toml``).

Convention of the template: as in the Düren plan, expenses and payments out are entered negative and every sum row
is a plain sum (spec/haushalt.md); the data validation says so at each expense cell.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from pyxl.parameter import NKFParameter, Planschema
from pyxl.templates import stil
from pyxl.templates.bauplan import Bauplan
from pyxl.templates.gemeinsam import formularkopf, legende, text_pruefung
from pyxl.templates.modell import Blatt, Formular, Pruefung, Werte

VERSION = "2019.1"  # Muster of the RdErl. of 08.11.2019
SPALTEN = "DEFGHIJ"


def _marke(plan: Planschema, zeile: int, frei: frozenset[int]) -> str:
    if zeile in {s.zeile for s in plan.summen}:
        return "="
    if zeile in frei:
        return "+/-"
    if zeile == 1:
        return ""
    return "-" if zeile in plan.aufwand else "+"


def _pruefung(marke: str, regel: str) -> Pruefung:
    if marke == "-":
        return Pruefung(
            "dezimal",
            regel=regel,
            hinweis=f"Betrag in € negativ eintragen (Aufwand/Auszahlung; {regel}).",
            maximum=Decimal(0),
        )
    if marke == "+/-":
        return Pruefung("dezimal", regel=regel, hinweis=f"Betrag in €, Mehrung positiv, Minderung negativ ({regel}).")
    return Pruefung(
        "dezimal", regel=regel, hinweis=f"Betrag in € (Ertrag/Einzahlung, nicht negativ; {regel}).", minimum=Decimal(0)
    )


def _summe(schluessel: list[str]) -> Callable[[Werte], Decimal]:
    return lambda w: w.summe(schluessel)


def _formular(nkf: NKFParameter, art: str, kennung: str, dateiname: str) -> Formular:
    plan: Planschema = nkf.schemata[art]
    namen = plan.bezeichnungen[: plan.zeilen]  # the Muster's rows; published plans may print more
    spalten = nkf.spalten[art]
    frei = plan.frei
    kurz = "tep" if art == "teilergebnisplan" else "tfp"
    letzte = SPALTEN[len(spalten) - 1]
    b = Bauplan(plan.name)
    formularkopf(
        b,
        kennung=kennung,
        version=VERSION,
        titel=f"{plan.name} eines Produkts",
        untertitel=f"{plan.name} nach dem Muster zur KomHVO NRW",
        rechts=letzte,
    )
    for schluessel, text, pflicht in (
        ("kopf.kommune", "Kommune", True),
        ("kopf.produkt", "Produkt (Nummer)", True),
        ("kopf.produktname", "Produktbezeichnung", True),
        ("kopf.haushaltsjahr", "Haushaltsjahr (HHJ)", True),
        ("kopf.bearbeitung", "Bearbeitung / Datum", False),
    ):
        b.text("C", text + (" *" if pflicht else ""), stil="beschriftung")
        b.eingabe("D", schluessel, text_pruefung(text, pflicht=pflicht), bis_spalte=letzte)
        b.weiter()
    b.weiter()
    legende(b, "C")
    kopf = b.zeile
    b.kopfzeile([("A", "Nr."), ("B", "±"), ("C", "Bezeichnung"), *zip(SPALTEN, spalten, strict=False)])
    b.weiter()
    summenzeilen = {s.zeile: s for s in plan.summen if s.zeile <= plan.zeilen}
    for zeile in range(1, plan.zeilen + 1):
        marke = _marke(plan, zeile, frei)
        b.text("A", f"{zeile:02d}", stil="zelle")
        b.text("B", marke, stil="zelle")
        b.text("C", namen[zeile - 1], stil="zelle" if marke != "=" else "summe")
        for index, spalte in enumerate(SPALTEN[: len(spalten)]):
            schluessel = f"{kurz}.{zeile:02d}.{index}"
            if zeile in summenzeilen:
                teile = [f"{kurz}.{t:02d}.{index}" for t in summenzeilen[zeile].aus]
                zusammenhaengend = list(summenzeilen[zeile].aus) == list(
                    range(summenzeilen[zeile].aus[0], summenzeilen[zeile].aus[-1] + 1)
                )
                vorlage = (
                    f"=SUM({{{teile[0]}}}:{{{teile[-1]}}})"
                    if zusammenhaengend and len(teile) > 2
                    else "=" + "+".join(f"{{{t}}}" for t in teile)
                )
                b.formel(
                    spalte, schluessel, vorlage, _summe(teile), regel=nkf.meta.ref, zahlenformat=stil.GANZ, stil="summe"
                )
            else:
                b.eingabe(spalte, schluessel, _pruefung(marke, nkf.meta.ref), zahlenformat=stil.GANZ)
        b.weiter()
    b.bereich_zeilen(f"NKF_{kurz.upper()}", kopf + 1, b.zeile - 1, "A", letzte)
    breiten = {"A": 5, "B": 4, "C": 58} | {s: 14 for s in SPALTEN[: len(spalten)]}
    blatt = Blatt(
        plan.name,
        plan.name,
        breiten,
        querformat=True,
        druck_titelzeilen=f"{kopf}:{kopf}",
        druckbereich=f"A1:{letzte}{b.zeile}",
    )
    return Formular(
        kennung=kennung,
        version=VERSION,
        titel=f"{plan.name} eines Produkts",
        untertitel=f"{plan.name} nach dem Muster zur KomHVO NRW",
        dateiname=dateiname,
        blaetter=(blatt,),
        felder=tuple(b.felder),
        fussnote=f"{nkf.meta.kurz}; amtliches Muster maßgeblich",
        stand=nkf.ausgabe.gueltig_ab,  # internal plans of the administration: no signature block
        bereiche=b.bereiche,
        regelwerke=(nkf,),
    )


def teilergebnisplan(nkf: NKFParameter) -> Formular:
    return _formular(nkf, "teilergebnisplan", "NKF-TEP", "NKF_Teilergebnisplan.xlsx")


def teilfinanzplan(nkf: NKFParameter) -> Formular:
    return _formular(nkf, "teilfinanzplan", "NKF-TFP", "NKF_Teilfinanzplan.xlsx")
