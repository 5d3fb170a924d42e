"""The VO 1370 forms (ex ante, ex post, county overview) and the Trennungsrechnung checks, on worked examples.

Every expected value is computed by hand in the comment, from the Satzung LK Rotenburg (Wümme) (Ziffer named).
The examples are the committed ones in ``xlsx_templates/beispiele/`` (recalculated by LibreOffice), so the sheet's
own values are checked against the same hand computation.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from pyxl.cli import pyxl
from pyxl.functions.oepnv_fall import ExPostFall, berechne_ex_post
from pyxl.templates import formulare
from pyxl.templates.beispiele import EXANTE, EXPOST, TRENNUNGSRECHNUNG, UEBERSICHT, ausfuellen
from pyxl.validators.pruefen import pruefe_datei
from pyxl.validators.vorgaben import VorgabenFehler, lies_anlage1

BEISPIELE = Path(__file__).parents[1] / "xlsx_templates" / "beispiele"


def _blattwerte(kennung: str, datei: str, schluessel: list[str]) -> dict[str, object]:
    formular = formulare()[kennung]
    wb = openpyxl.load_workbook(BEISPIELE / datei, data_only=True)
    return {s: wb[formular.feld(s).blatt][formular.feld(s).zelle].value for s in schluessel}


def test_ziffer_3_7_ex_ante_form_worked_example():
    """Base year = the Trennungsrechnung's Teilnetz sums, without the compensation itself (E05):
    Einnahmen 1.085.000 + 244.000 + 54.500 = 1.383.500; Kosten 483.000 + min(1.419.000; Vergleich 1.400.000) (3.2)
    + 257.000 + 118.000 = 2.258.000; BE_Basis = −874.500.
    Indexed: 1.085.000·1,025 = 1.112.125 + 244.000·1 + 54.500·1,025 = 55.862,50 → 1.411.987,50;
    483.000·0,98 = 473.340 + 1.400.000·1,045 = 1.463.000 + 257.000·1,03 = 264.710 + 118.000·1,021 = 120.478
    → 2.321.528; BE_idx = −909.540,50. W = 4,75 % · 2.321.528 = 110.272,58.
    Ex ante = 110.272,58 + 909.540,50 − 874.500 = 145.313,08 (3.7); +5,3 % to Vorjahr 138.000 → 3.11 flag;
    Deckelung 138.000 · 1,05 = 144.900 (3.12); +30.000 of 3.090.000 Fpl-km (0,97 %, no 7.2 flag):
    144.900 / 3.090.000 · 30.000 = 1.406,796… → 1.406,80 (7.3); Ausgleich 146.306,80 (≥ 1.000, 2.3).
    Abschläge 9.1: 95 % = 138.991,46; /12 = 11.582,62 (×11 = 127.408,82); 12th 11.582,64; rest 7.315,34."""
    erwartet = {
        "ea.be_basis": D("-874500.00"), "ea.be_idx": D("-909540.50"), "ea.wagnis": D("110272.58"),
        "ea.exante": D("145313.08"), "ea.flag_311": "ja", "ea.deckelung": D("144900.00"), "ea.flag_72": "nein",
        "ea.anpassung": D("1406.80"), "ea.ausgleich": D("146306.80"), "ea.rate": D("11582.62"),
        "ea.rate_letzte": D("11582.64"), "ea.rest": D("7315.34"),
    }  # fmt: skip
    python = formulare()["OEPNV-EA"].nachrechnen(EXANTE).werte
    assert {k: python[k] for k in erwartet} == erwartet
    blatt = _blattwerte("OEPNV-EA", "OEPNV-EA_richtig.xlsx", list(erwartet))
    assert {k: (v if isinstance(v, str) else D(str(v)).quantize(D("0.01"))) for k, v in blatt.items()} == erwartet


def test_ziffer_5_6_9_ex_post_form_and_api_worked_example():
    """K = min(2.290.000; 2.321.528) = 2.290.000; E = max(1.430.000; 1.411.987,50) = 1.430.000 (6.2–6.5).
    A = (2.290.000 − 0 − 1.430.000 + 4,75 % · 1.480.000) / 0,9525 = 930.300 / 0,9525 = 976.692,91 (5.4, 5.7).
    Kürzung 7.5: 146.306,80 / 3.120.000 · 187.200 (6 % not run) = 8.778,408 → 8.778,41; granted 137.528,39;
    Ausgleich = min(137.528,39; 976.692,91) = 137.528,39.
    Bonus 6.3: 50 % · 31.528 + 50 % · 18.012,50 = 24.770,25, cap 6.6: 5 % · 137.528,39 = 6.876,4195 → 6.876,42.
    Anspruch = min(137.528,39; 137.528,39 + 6.876,42) = 137.528,39. Paid (9.1): 95 % · 146.306,80 = 138.991,46
    → Überzahlung 1.463,07 (5.10).
    Zins 9.4: 01.12.2025–31.03.2026 = 120 days at 1,27 % + 2 = 3,27 %: 1.463,07 · 3,27 % · 120/365 = 15,729 → 15,73."""
    erwartet = {"ep.k": D("2290000.00"), "ep.e": D("1430000.00"), "ep.a_max": D("976692.91"),
                "ep.kuerzung": D("8778.41"), "ep.ausgleich": D("137528.39"), "ep.bonus": D("6876.42"),
                "ep.anspruch": D("137528.39"), "ep.ueberzahlung": D("1463.07"), "ep.zins": D("15.73"),
                "ep.flag_313": "nein"}  # fmt: skip
    python = formulare()["OEPNV-EP"].nachrechnen(EXPOST).werte
    assert {k: python[k] for k in erwartet} == erwartet
    blatt = _blattwerte("OEPNV-EP", "OEPNV-EP_richtig.xlsx", list(erwartet))
    assert {k: (v if isinstance(v, str) else D(str(v)).quantize(D("0.01"))) for k, v in blatt.items()} == erwartet

    (fall,) = berechne_ex_post([ExPostFall(
        name="Musterbus GmbH", k_soll=D("2321528.00"), e_soll=D("1411987.50"), ex_ante=D("146306.80"),
        k_ist=D("2290000.00"), e_ist=D("1430000.00"), umsatz=D("1480000.00"), fplkm_soll=D(3120000),
        fplkm_ausgefallen=D(187200), gezahlt=D("138991.46"), ueberzahlt_seit=dt.date(2025, 12, 1),
        zurueckgezahlt_am=dt.date(2026, 3, 31))])  # fmt: skip
    assert (fall.anspruch, fall.ueberzahlung, fall.zins) == (D("137528.39"), D("1463.07"), D("15.73"))
    assert [s.ziffer.removeprefix("Satzung LK Rotenburg (Wümme) ") for s in fall.schritte] == [
        "Ziffer 3.13", "Ziffer 6.2, 6.3", "Ziffer 6.4, 6.5", "Ziffer 5.4, 5.7", "Ziffer 7.5", "Ziffer 5.8, 5.9",
        "Ziffer 6.3–6.6", "Ziffer 5.4, 5.8, 5.9", "Ziffer 5.10", "Ziffer 9.4, § 247 BGB"]  # fmt: skip


def test_ziffer_3_13_flag_costs_more_than_10_percent_over_soll():
    # K_ist 1.110.001 vs K_soll 1.000.000: +11,0001 % > 10 % → flag; 1.100.000 is exactly 10 % → no flag
    basis = {**EXPOST, "ep.k_soll": D(1000000), "ep.e_soll": D(500000), "ep.e_ist": D(500000)}
    werte = formulare()["OEPNV-EP"].nachrechnen({**basis, "ep.k_ist": D(1110001)}).werte
    assert werte["ep.flag_313"] == "ja"
    assert formulare()["OEPNV-EP"].nachrechnen({**basis, "ep.k_ist": D(1100000)}).werte["ep.flag_313"] == "nein"


def test_ziffer_1_8_overview_abschmelzung_three_companies_cent_remainder():
    """Σ 146.306,80 + 61.420,15 + 43.118,37 = 250.845,32 > 240.000 → cut (1.8, 3.9):
    146.306,80 · 240.000 / 250.845,32 = 139.981,2123…; 61.420,15 · … = 58.764,6442…; 43.118,37 · … = 41.254,1433…
    Floors 139.981,21 + 58.764,64 + 41.254,14 = 239.999,99: one cent left, to the largest remainder (0,44 ct of
    Heide-Bus) → 58.764,65. No Unterdeckung: 92,5 % · 250.845,32 = 232.031,92 < 240.000.
    Financing: 64 % · 240.000 = 153.600,00 Landkreis, 86.400,00 Land."""
    erwartet = {"ue.summe": D("250845.32"), "ue.abschmelzung": "ja", "ue.unterdeckung": "nein",
                "ue.restcent": D(1), "ue.1.ausgleich": D("139981.21"), "ue.2.ausgleich": D("58764.65"),
                "ue.3.ausgleich": D("41254.14"), "ue.2.rang": 1, "ue.verteilt": D("240000.00"),
                "ue.landkreis": D("153600.00"), "ue.land": D("86400.00"),
                "ue.tn.1.ausgleich": D("58764.65")}  # fmt: skip
    python = formulare()["OEPNV-UE"].nachrechnen(UEBERSICHT).werte
    assert {k: python[k] for k in erwartet} == erwartet
    blatt = _blattwerte("OEPNV-UE", "OEPNV-UE_richtig.xlsx", list(erwartet))
    assert {k: (v if isinstance(v, str) else D(str(v)).quantize(D("0.01"))) for k, v in blatt.items()} == {
        k: (v if isinstance(v, str) else D(v).quantize(D("0.01"))) for k, v in erwartet.items()}  # fmt: skip


def _tr_datei(tmp_path: Path, **aenderungen: object) -> Path:
    datei = tmp_path / "tr.xlsx"
    ausfuellen(formulare()["OEPNV-TR"], {**TRENNUNGSRECHNUNG, **aenderungen}).save(datei)
    return datei


def test_ziffer_2_3_trennungsrechnung_compensation_under_1000_euro_is_a_warning(tmp_path):
    # Ausgleich nach dieser Satzung 400 + 300 + 250 = 950 € < 1.000 € (Ziffer 2.3): not granted as such; a warning,
    # since a GuV year may hold only the 5 % rest or a repayment
    datei = _tr_datei(tmp_path, **{"tr.E05.D": 400, "tr.E05.E": 300, "tr.E05.F": 250, "tr.E05.C": 950})
    befunde = [(b.regel, b.schwere.value, b.schluessel, b.gefunden) for b in pruefe_datei(datei).befunde
               if b.regel.startswith("bag")]  # fmt: skip
    assert befunde == [("bagatellgrenze_2_3", "warning", "tr.E05.G", "950")]
    # exactly 1.000 € is allowed
    datei = _tr_datei(tmp_path, **{"tr.E05.D": 400, "tr.E05.E": 350, "tr.E05.F": 250, "tr.E05.C": 1000})
    assert not [b for b in pruefe_datei(datei).befunde if b.regel.startswith("bag")]


def test_anlage_1_fahrplan_km_per_teilnetz(tmp_path):
    """Example TR: Fpl-km 1.150.000 / 1.080.000 / 860.000. Anlage 1 says 1.150.000 (equal: nothing),
    1.070.000 (+10.000 = +0,93 %: a note) and 800.000 (+60.000 = +7,5 % > ± 2 %: warning, Ziffer 7.2)."""
    csv = tmp_path / "anlage1.csv"
    csv.write_text("Unternehmen;Teilnetz;Fahrplan-km\nMusterbus GmbH;ROW Süd 1;1.150.000\n"
                   "Musterbus GmbH;ROW Süd 2;1.070.000\nMusterbus GmbH;ROW Süd 3;800.000\n", "utf-8")  # fmt: skip
    vorgaben = {"anlage1": lies_anlage1(csv)}
    befunde = [(b.regel, b.schwere.value, b.schluessel, b.erwartet, b.gefunden, b.meldung)
               for b in pruefe_datei(BEISPIELE / "OEPNV-TR_richtig.xlsx", vorgaben=vorgaben).befunde
               if b.regel.startswith("fahrplan")]  # fmt: skip
    assert befunde == [
        ("fahrplan_km_abweichung", "info", "tr.L01.E", "1.070.000", "1.080.000",
         "Fahrplan-km im Teilnetz ROW Süd 2 weichen von Anlage 1 ab (0,93 %)"),
        ("fahrplan_km_7_2", "warning", "tr.L01.F", "800.000", "860.000",
         "Fahrplan-km im Teilnetz ROW Süd 3 weichen von Anlage 1 ab (7,50 %): Neubestimmung des Ausgleichs"),
    ]  # fmt: skip
    # service in a Teilnetz Anlage 1 does not give the company (Süd 3: 860.000 km, Anlage 1 lists only Süd 1)
    nur_sued_1 = {"anlage1": {"Musterbus GmbH": {"ROW Süd 1": D(1150000)}}}
    assert [(b.regel, b.schwere.value, b.schluessel, b.gefunden)
            for b in pruefe_datei(BEISPIELE / "OEPNV-TR_richtig.xlsx", vorgaben=nur_sued_1).befunde
            if b.regel.startswith("fahrplan")] == [
        ("fahrplan_km_ohne_anlage1", "warning", "tr.L01.E", "1.080.000"),
        ("fahrplan_km_ohne_anlage1", "warning", "tr.L01.F", "860.000")]  # fmt: skip
    # the name as the county typed it: case and spaces don't matter
    anders_geschrieben = {"anlage1": {"MUSTERBUS  gmbh": {"ROW Süd 3": D(800000)}}}
    assert [b.regel for b in pruefe_datei(BEISPIELE / "OEPNV-TR_richtig.xlsx", vorgaben=anders_geschrieben).befunde
            if b.schluessel == "tr.L01.F"] == ["fahrplan_km_7_2"]  # fmt: skip
    # a company the county does not list
    andere = {"anlage1": {"Heide-Bus KG": {"ROW Süd 2": D(1250000)}}}
    (befund,) = [b for b in pruefe_datei(BEISPIELE / "OEPNV-TR_richtig.xlsx", vorgaben=andere).befunde
                 if b.regel == "anlage1_unbekannt"]  # fmt: skip
    assert (befund.gefunden, befund.erwartet) == ("Musterbus GmbH", "Heide-Bus KG")

    ergebnis = CliRunner().invoke(pyxl, ["pruefen", "--anlage1", str(csv), str(BEISPIELE / "OEPNV-TR_richtig.xlsx")])
    assert "Neubestimmung des Ausgleichs" in ergebnis.output and ergebnis.exit_code == 0  # warnings: exit 0


@pytest.mark.parametrize(("inhalt", "meldung"), [
    ("Firma;Netz;km\n", "erste Zeile muss"),
    ("Unternehmen;Teilnetz;Fahrplan-km\nMusterbus GmbH;ROW Nord;1.000\n", "Zeile 2: Teilnetz „ROW Nord“ unbekannt"),
    ("Unternehmen;Teilnetz;Fahrplan-km\nMusterbus GmbH;ROW Süd 1;viel\n", "Zeile 2: Fahrplan-km „viel“"),
])  # fmt: skip
def test_anlage_1_file_errors_are_german_and_name_the_line(tmp_path, inhalt, meldung):
    csv = tmp_path / "anlage1.csv"
    csv.write_text(inhalt, "utf-8")
    with pytest.raises(VorgabenFehler, match=meldung):
        lies_anlage1(csv)
    ergebnis = CliRunner().invoke(pyxl, ["pruefen", "--anlage1", str(csv), str(BEISPIELE / "OEPNV-TR_richtig.xlsx")])
    assert ergebnis.exit_code == 2 and meldung.split(":")[0] in ergebnis.output


def test_ziffer_9_4_date_typed_as_text_is_read_and_reported(tmp_path):
    datei = tmp_path / "ep.xlsx"
    ausfuellen(formulare()["OEPNV-EP"], {**EXPOST, "ep.von": "01.12.2025"}).save(datei)
    (befund,) = [b for b in pruefe_datei(datei).befunde if b.regel == "datum_als_text"]
    assert (befund.schluessel, befund.erwartet, befund.gefunden) == ("ep.von", "01.12.2025", "„01.12.2025“")
    ausfuellen(formulare()["OEPNV-EP"], {**EXPOST, "ep.von": "irgendwann"}).save(datei)
    assert [b.schluessel for b in pruefe_datei(datei).befunde if b.regel == "kein_datum"] == ["ep.von"]


def test_ziffer_1_8_half_cent_remainders_tie_and_the_earlier_row_wins():
    """Claims 1.000 and 3.000, Gesamtausgleich 2.000,02: shares 500,005 and 1.500,015 — both remainders exactly half a
    cent; the one cent left goes to the earlier row: 500,01 and 1.500,01 (a float sheet must not see 0,00499…)."""
    werte = {"kopf.jahr": 2026, "ue.gesamt": D("2000.02"), "ue.1.anspruch": D(1000), "ue.2.anspruch": D(3000)}
    ergebnis = formulare()["OEPNV-UE"].nachrechnen(werte).werte
    assert (ergebnis["ue.1.rest"], ergebnis["ue.2.rest"]) == (D("0.00500000"), D("0.00500000"))
    assert (ergebnis["ue.1.ausgleich"], ergebnis["ue.2.ausgleich"], ergebnis["ue.1.rang"]) == (
        D("500.01"), D("1500.01"), 1)  # fmt: skip


def test_ziffer_3_12_previous_year_without_compensation_caps_nothing():
    """Vorjahr 0 € (e.g. under the Bagatellgrenze): nothing to rise from, no Deckelung — the example's 145.313,08
    stays; + 1.406,80 would be 145.313,08 / 3.090.000 · 30.000 = 1.410,81 (7.3); flag 3.11 (from 0 €) is set."""
    werte = formulare()["OEPNV-EA"].nachrechnen({**EXANTE, "ea.vorjahr": D(0)}).werte
    assert (werte["ea.deckelung"], werte["ea.anpassung"], werte["ea.flag_311"]) == (
        D("145313.08"), D("1410.81"), "ja")  # fmt: skip


def test_overwritten_wagnis_is_reported_alone_not_again_in_the_ex_ante_cell():
    """The validator recomputes each cell from the submission's own precedents ("lokal"): a W typed over
    (120.000 instead of 110.272,58) makes the sheet's ex ante 120.000 + 909.540,50 − 874.500 = 155.040,50 —
    consistent with that W, so only W itself is wrong."""
    formular = formulare()["OEPNV-EA"]
    blatt = {**EXANTE, **formular.nachrechnen(EXANTE).werte, "ea.wagnis": D("120000.00")}
    blatt["ea.exante"] = D("155040.50")
    lokal = formular.nachrechnen(blatt, lokal=True).werte
    assert (lokal["ea.wagnis"], lokal["ea.exante"]) == (D("110272.58"), D("155040.50"))
