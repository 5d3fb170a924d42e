"""Filled examples of every form — correct ones and ones with the typical mistakes — for the validator and docs.

Examples are filled by key (never by address) and recalculated in LibreOffice, so they carry cached values like a
file saved by Excel. ``beispiele.json`` beside them says what is wrong in each, for the validator's tests.
"""

from __future__ import annotations

import datetime
import json
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook

from pyxl.templates import formulare
from pyxl.templates.bauplan import VERWEIS
from pyxl.templates.builder import baue
from pyxl.templates.libreoffice import neu_berechnen
from pyxl.templates.modell import Formular

ANTRAG = {
    "antrag.empfaenger": "Gemeinde Musterhausen",
    "antrag.anschrift": "Rathausplatz 1, 91234 Musterhausen",
    "antrag.landkreis": "Landkreis Musterland",
    "antrag.vorhaben": "Neubau Kläranlage und Anschluss Ortsteil Au",
    "antrag.behoerde": "Wasserwirtschaftsamt Musterstadt",
    "antrag.aktenzeichen": "3-4521-MH-2025",
    "antrag.datum": "15.03.2025",
}


@dataclass(frozen=True)
class Beispiel:
    datei: str
    kennung: str
    eingaben: Mapping[str, object]
    # Deliberate mistakes: key -> what is written instead of the template's content (a constant or a formula)
    ueberschreiben: Mapping[str, object] = field(default_factory=dict)
    fehler: tuple[str, ...] = ()  # what the validator must find, in words of the finding's rule ids


ABWASSER = {
    **ANTRAG,
    "pos.ka.1.menge": 2000,
    "pos.fs.1.groesse": 280,
    "pos.fs.1.menge": 1250,
    "pos.fs.1.bemerkung": "Verbindung OT Au – Kläranlage",
    "pos.pw.1.menge": 12,
    "summe.bueros": 0,
}
WASSER = {
    **ANTRAG,
    "antrag.vorhaben": "Erneuerung Versorgungsleitungen und Hochbehälter-Gebäude",
    "pos.wl.1.groesse": 150,
    "pos.wl.1.menge": 2300,
    "pos.wl.2.groesse": 250,
    "pos.wl.2.menge": 800,
    "pos.geb.1.menge": 850,
    "kakf.1.nr": "2.3",
    "kakf.1.bezeichnung": "Aufbereitungsanlage (Enthärtung)",
    "kakf.1.art": "KA",
    "kakf.1.betrag": Decimal("420000.00"),
    "summe.bueros": 1,
}
AUSBAUKOSTEN = {
    **ANTRAG,
    "ak.sparte": "Abwasseranlagen",
    "inv.1.bezeichnung": "Kläranlage (dieses Vorhaben)",
    "inv.1.jahr": 2025,
    "inv.1.betrag": Decimal("5850000.00"),
    "inv.2.bezeichnung": "Ortskanalisation (Bestand)",
    "inv.2.jahr": 1998,
    "inv.2.betrag": Decimal("2000000.00"),
    "ak.einwohner": 1412,
    "ak.egw": 68,
    "ak.vertrauensschutz": 0,
    "ak.zwf": Decimal("1622136.65"),
}

# Kreis Düren, Haushalt 2021, Produkt 14.562.01 Betrieblicher Umweltschutz, Teilergebnisplan (the seed's figures)
DUEREN_TEP_ZEILEN = {
    4: (116505, 150000, 105000, 105000, 105000, 105000),
    6: (398369, 389310, 420000, 425000, 430000, 435000),
    7: (58628, 27220, 17250, 18490, 18670, 18860),
    11: (-592328, -730540, -631680, -637790, -644160, -650600),
    12: (-110461, -142850, -99550, -99470, -100470, -101470),
    13: (-9600, -1500, 0, 0, 0, 0),
    14: (-301, -220, -209, -209, -209, -209),
    16: (-6856, -26030, 0, 0, 0, 0),
    28: (-59422, -84421, -64626, -74331, -76374, -77336),
}
NKF_TEP = {
    "kopf.kommune": "Kreis Düren",
    "kopf.produkt": "14.562.01",
    "kopf.produktname": "Betrieblicher Umweltschutz",
    "kopf.haushaltsjahr": "2021",
    **{f"tep.{z:02d}.{i}": w for z, werte in DUEREN_TEP_ZEILEN.items() for i, w in enumerate(werte)},
}

DUEREN_TFP_ZEILEN = {
    4: (87766, 150000, 105000, 0, 105000, 105000, 105000),
    6: (392254, 389310, 420000, 0, 425000, 430000, 435000),
    7: (225, 0, 0, 0, 0, 0, 0),
    10: (-454853, -542180, -510680, 0, -505520, -510580, -515680),
    11: (-110110, -138960, -103130, 0, -103990, -105030, -106080),
    12: (-9600, -1500, 0, 0, 0, 0, 0),
    15: (-7255, -26030, 0, 0, 0, 0, 0),
    26: (-278, 0, 0, 0, 0, 0, 0),
}
NKF_TFP = {
    **{k: v for k, v in NKF_TEP.items() if k.startswith("kopf.")},
    **{f"tfp.{z:02d}.{i}": w for z, werte in DUEREN_TFP_ZEILEN.items() for i, w in enumerate(werte)},
}


def _trennungsrechnung() -> dict[str, object]:
    """A plausible bus company: three Teilnetze, other ÖPNV, a coach business; totals = Σ segments (one 1-€
    rounding difference in A04, as audited statements have them)."""
    segmente = {  # (Süd 1, Süd 2, Süd 3, sonstiger ÖPNV, sonstige GB), key
        "E01": ((410000, 380000, 295000, 120000, 0), "direkt zugeordnet"),
        "E03": ((95000, 88000, 61000, 30000, 0), "direkt zugeordnet"),
        "E04": ((21000, 19500, 14000, 6000, 0), "Umsatz"),
        "E05": ((310000, 290000, 240000, 0, 0), "direkt zugeordnet"),
        "E07": ((0, 0, 0, 0, 260000), None),
        "A01": ((180000, 171000, 132000, 60000, 41000), "Nutzwagen-km"),
        "A04": ((520000, 498000, 401000, 98000, 120000), "Fahrplan-km"),
        "A06": ((96000, 90000, 71000, 20000, 35000), "Fahrzeuge"),
        "A08": ((44000, 41000, 33000, 9000, 18000), "Umsatz"),
        "L01": ((1150000, 1080000, 860000, 300000, 0), None),
        "L03": ((21, 20, 16, 6, 5), None),
    }
    werte: dict[str, object] = {
        "kopf.unternehmen": "Musterbus GmbH",
        "kopf.jahr": "2024",
        "kopf.pruefer": "Prüf & Partner WPG",
    }
    for pos, (betraege, schluessel) in segmente.items():
        for spalte, betrag in zip("DEFHI", betraege, strict=True):
            werte[f"tr.{pos}.{spalte}"] = betrag
        werte[f"tr.{pos}.C"] = sum(betraege) + (1 if pos == "A04" else 0)
        if schluessel:
            werte[f"tr.{pos}.K"] = schluessel
    return werte


TRENNUNGSRECHNUNG = _trennungsrechnung()


def _exante() -> dict[str, object]:
    """The same company two years on: the base year is the Trennungsrechnung's segment "allgemeine Vorschrift"
    (Σ of the three Teilnetze), without the compensation itself; its Personal Fahrdienst above the Vergleichswert."""
    werte: dict[str, object] = {"kopf.unternehmen": "Musterbus GmbH", "kopf.teilnetz": "ROW Süd 1", "kopf.jahr": 2026}
    faktoren = {"Personalkosten (Tarifindex)": "1.0450", "Kraftstoff / Energie (Preisindex)": "0.9800",
                "Sachkosten (Verbraucherpreisindex)": "1.0210", "Fahrzeuge / Abschreibungen (Erzeugerpreisindex)":
                "1.0300", "Fahrgeld (Tarifanpassung)": "1.0250", "unverändert": "1.0000"}  # fmt: skip
    for i, faktor in enumerate(faktoren.values()):
        werte[f"ea.index.{i}.faktor"] = Decimal(faktor)
    schluessel = {
        "E01": "Fahrgeld (Tarifanpassung)",
        "E03": "unverändert",
        "E04": "Fahrgeld (Tarifanpassung)",
        "A01": "Kraftstoff / Energie (Preisindex)",
        "A04": "Personalkosten (Tarifindex)",
        "A06": "Fahrzeuge / Abschreibungen (Erzeugerpreisindex)",
        "A08": "Sachkosten (Verbraucherpreisindex)",
    }
    for pos, index in schluessel.items():
        werte[f"ea.{pos}.basis"] = sum(TRENNUNGSRECHNUNG[f"tr.{pos}.{s}"] for s in "DEF")
        werte[f"ea.{pos}.index"] = index
    werte |= {"ea.A04.vergleich": 1_400_000, "ea.vorjahr": Decimal("138000.00"),
              "ea.fplkm": sum(TRENNUNGSRECHNUNG[f"tr.L01.{s}"] for s in "DEF"), "ea.fplkm_delta": 30_000}  # fmt: skip
    return werte


EXANTE = _exante()
# The year after: 6 % of the Fahrplan-km not run (7.5); the 95 % instalments (9.1) were paid, which now exceeds the
# claim — an overpayment with interest (5.10, 9.4).
EXPOST = {
    "kopf.unternehmen": "Musterbus GmbH", "kopf.jahr": 2025,
    "ep.k_soll": Decimal("2321528.00"), "ep.e_soll": Decimal("1411987.50"), "ep.exante": Decimal("146306.80"),
    "ep.k_ist": Decimal("2290000.00"), "ep.e_ist": Decimal("1430000.00"), "ep.u": Decimal("1480000.00"),
    "ep.fplkm_soll": 3_120_000, "ep.fplkm_ausgefallen": 187_200, "ep.gezahlt": Decimal("138991.46"),
    "ep.von": datetime.date(2025, 12, 1), "ep.bis": datetime.date(2026, 3, 31),
}  # fmt: skip
UEBERSICHT = {
    "kopf.jahr": 2026, "ue.gesamt": Decimal("240000.00"),
    "ue.1.name": "Musterbus GmbH", "ue.1.teilnetz": "ROW Süd 1", "ue.1.fplkm": 3_120_000,
    "ue.1.anspruch": Decimal("146306.80"),
    "ue.2.name": "Heide-Bus KG", "ue.2.teilnetz": "ROW Süd 2", "ue.2.fplkm": 1_250_000,
    "ue.2.anspruch": Decimal("61420.15"),
    "ue.3.name": "Wümme-Reisen GmbH", "ue.3.teilnetz": "ROW Süd 3", "ue.3.fplkm": 880_000,
    "ue.3.anspruch": Decimal("43118.37"),
}  # fmt: skip

BEISPIELE = (
    Beispiel("RZWAS-3B_richtig.xlsx", "RZWAS-3B", ABWASSER),
    Beispiel("RZWAS-3B_fehler_menge_nicht_ganzzahlig.xlsx", "RZWAS-3B", {**ABWASSER, "pos.fs.1.menge": 1250.5},
             fehler=("menge_ganzzahlig:pos.fs.1.menge",)),
    Beispiel("RZWAS-3B_fehler_formel_ueberschrieben.xlsx", "RZWAS-3B", ABWASSER,
             ueberschreiben={"pos.ka.1.kp": 1100000}, fehler=("formel_ueberschrieben:pos.ka.1.kp",)),
    Beispiel("RZWAS-3B_fehler_summe_geaendert.xlsx", "RZWAS-3B", ABWASSER,
             ueberschreiben={"summe.kp": 1500000}, fehler=("formel_ueberschrieben:summe.kp",)),
    Beispiel("RZWAS-3A_richtig.xlsx", "RZWAS-3A", WASSER),
    Beispiel("RZWAS-3A_fehler_formel_geaendert.xlsx", "RZWAS-3A", WASSER,
             ueberschreiben={"summe.satz": "=10+N({summe.bueros})*1.5"}, fehler=("formel_geaendert:summe.satz",)),
    Beispiel("RZWAS-4_richtig.xlsx", "RZWAS-4", AUSBAUKOSTEN),
    Beispiel("NKF-TEP_richtig.xlsx", "NKF-TEP", NKF_TEP),
    Beispiel("NKF-TEP_fehler_summe_geaendert.xlsx", "NKF-TEP", NKF_TEP, ueberschreiben={"tep.17.2": -731439},
             fehler=("formel_ueberschrieben:tep.17.2",)),
    Beispiel("NKF-TFP_richtig.xlsx", "NKF-TFP", NKF_TFP),
    Beispiel("OEPNV-TR_richtig.xlsx", "OEPNV-TR", TRENNUNGSRECHNUNG),
    Beispiel("OEPNV-TR_fehler_segmente_und_schluessel.xlsx", "OEPNV-TR",
             {**TRENNUNGSRECHNUNG, "tr.A01.C": 600000, "tr.A06.K": None},
             fehler=("segmente_summe:tr.A01.C", "schluessel_fehlt:tr.A06.K")),
    Beispiel("OEPNV-EA_richtig.xlsx", "OEPNV-EA", EXANTE),
    Beispiel("OEPNV-EA_fehler_ausgleich_ueberschrieben.xlsx", "OEPNV-EA", EXANTE,
             ueberschreiben={"ea.ausgleich": 145313.08}, fehler=("formel_ueberschrieben:ea.ausgleich",)),
    Beispiel("OEPNV-EP_richtig.xlsx", "OEPNV-EP", EXPOST),
    Beispiel("OEPNV-EP_fehler_negativer_betrag.xlsx", "OEPNV-EP", {**EXPOST, "ep.p": -5000},
             fehler=("bereich:ep.p",)),
    Beispiel("OEPNV-UE_richtig.xlsx", "OEPNV-UE", UEBERSICHT),
    Beispiel("RZWAS-4_fehler_text_statt_zahl.xlsx", "RZWAS-4", {**AUSBAUKOSTEN, "inv.2.betrag": "2.000.000,00 €"},
             fehler=("zahl_als_text:inv.2.betrag",)),
)  # fmt: skip


def ausfuellen(
    formular: Formular, eingaben: Mapping[str, object], ueberschreiben: Mapping[str, object] | None = None
) -> Workbook:
    """A fresh workbook of ``formular`` with the inputs written into their cells, found by key.

    A formula among ``ueberschreiben`` may name cells by key in braces, like the specs do.
    """
    wb = baue(formular)
    for schluessel, wert in {**eingaben, **(ueberschreiben or {})}.items():
        feld = formular.feld(schluessel)
        if isinstance(wert, str) and wert.startswith("="):
            wert = VERWEIS.sub(lambda m: formular.feld(m.group(1)).zelle, wert)
        wb[feld.blatt][feld.zelle].value = float(wert) if isinstance(wert, Decimal) else wert
    return wb


def schreibe_beispiele(ziel: Path) -> list[Path]:
    """Write every example, recalculated in LibreOffice, plus ``beispiele.json``; returns the xlsx paths."""
    alle = formulare()
    with tempfile.TemporaryDirectory(prefix="pyxl-beispiele-") as roh:
        quellen = []
        for beispiel in BEISPIELE:
            datei = Path(roh) / beispiel.datei
            ausfuellen(alle[beispiel.kennung], beispiel.eingaben, beispiel.ueberschreiben).save(datei)
            quellen.append(datei)
        ergebnisse = neu_berechnen(quellen, ziel)
    verzeichnis = [{"datei": b.datei, "formular": b.kennung, "erwartete_befunde": list(b.fehler)} for b in BEISPIELE]
    (ziel / "beispiele.json").write_text(json.dumps(verzeichnis, ensure_ascii=False, indent=2) + "\n", "utf-8")
    return ergebnisse
