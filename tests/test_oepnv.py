"""VO 1370 allgemeine Vorschrift, Satzung LK Rotenburg (Wümme): worked examples per Ziffer, computed by hand."""

from __future__ import annotations

import datetime as dt
import warnings
from decimal import Decimal as D
from pathlib import Path

import pytest

from pyxl import parameter
from pyxl.functions import Eingabefehler, RegelHinweis, funktion, oepnv
from pyxl.functions.oepnv import (
    abschlaege,
    abschmelzung,
    anspruch,
    bonus,
    deckelung,
    exante,
    expost_hoechstbetrag,
    kuerzung_ausfall,
    leistungsaenderung,
    rueckzahlungszins,
    wagnis,
)


def test_ziffer_3_2_wagnis_4_75_percent():
    assert wagnis(D("1000000")) == D("47500.00")  # 1.000.000 · 4,75 %
    assert wagnis(D("123456.78")) == D("5864.20")  # 123.456,78 · 0,0475 = 5.864,197 → 5.864,20


def test_ziffer_3_7_profitable_base_year():
    # Basisjahr: Einnahmen 900.000 − Kosten 850.000 = BE_basis +50.000 (positive: not compensated again)
    # indiziert: Einnahmen 918.000 − Kosten 884.000 = BE_idx +34.000; W = 884.000 · 4,75 % = 41.990
    # ExAnte = W − BE_idx + min(BE_basis; 0) = 41.990 − 34.000 + 0 = 7.990
    assert exante(D(50000), D(34000), D(884000)) == D("7990.00")


def test_ziffer_3_3_loss_making_base_year_structural_deficit_not_compensated():
    # BE_basis −30.000, BE_idx −45.000 (costs rose faster), costs indexed 1.000.000 → W = 47.500
    # ExAnte = 47.500 − (−45.000) + (−30.000) = 62.500: only the worsening (15.000) plus W, not the old deficit
    assert exante(D(-30000), D(-45000), D(1000000)) == D("62500.00")
    # 3.8: the indexed result plus the compensation is exactly W: −45.000 + 62.500 = 17.500 = W − 30.000 … and the
    # old structural deficit stays with the company
    assert D(-45000) + D("62500.00") - D(-30000) == wagnis(D(1000000))


def test_ziffer_3_7_never_negative():
    assert exante(D(0), D(100000), D(100000)) == D("0.00")  # W 4.750 − 100.000 < 0 → 0


def test_ziffer_3_12_cap_5_percent_bites_and_not():
    assert deckelung(D(90000), D(100000)) == D("90000.00")  # below last year: unchanged
    assert deckelung(D(105000), D(100000)) == D("105000.00")  # exactly +5 %
    with pytest.warns(RegelHinweis, match="Deckelung angewandt"):
        assert deckelung(D(120000), D(100000)) == D("105000.00")  # 100.000 · 1,05


def test_ziffer_1_8_abschmelzung_three_companies_cent_remainder():
    # claims 100.000 / 200.000 / 300.000 = 600.000 > Gesamtausgleich 500.000: factor 5/6
    # 83.333,333… / 166.666,666… / 250.000 → floors 83.333,33 + 166.666,66 + 250.000,00 = 499.999,99;
    # the missing cent goes to the largest remainder (0,666… of company 2)
    with pytest.warns(RegelHinweis, match="Unterdeckung"):  # 500.000 < 92,5 % · 600.000 = 555.000
        ergebnis = abschmelzung([D(100000), D(200000), D(300000)], D(500000))
    assert ergebnis == [D("83333.33"), D("166666.67"), D("250000.00")]
    assert sum(ergebnis) == D(500000)


def test_ziffer_1_8_no_abschmelzung_when_budget_suffices():
    with warnings.catch_warnings():
        warnings.simplefilter("error", RegelHinweis)
        assert abschmelzung([D(1000), D(2000)], D(5000)) == [D("1000.00"), D("2000.00")]
        # 560.000 ≥ 92,5 % · 600.000: cut, but no Unterdeckung
        assert sum(abschmelzung([D(100000), D(200000), D(300000)], D(560000))) == D(560000)


def test_ziffer_5_4_5_7_circular_profit_closed_form():
    # K 1.000.000, P 0, E 600.000, U 650.000, r = 4,75 %
    # A = (1.000.000 − 0 − 600.000 + 0,0475 · 650.000) / 0,9525 = 430.875 / 0,9525 = 452.362,204… → 452.362,20
    a = expost_hoechstbetrag(D(1000000), D(0), D(600000), D(650000))
    assert a == D("452362.20")
    # the net effect with the profit on the Umsatz including A reproduces A (to the cent)
    assert abs(D(1000000) - D(600000) + D("0.0475") * (D(650000) + a) - a) < D("0.01")


def test_ziffer_6_bonus_under_and_over_its_5_percent_cap():
    # costs 20.000 below Soll, revenue 10.000 above: 50 % · 30.000 = 15.000; 5 % of 400.000 = 20.000 → 15.000
    assert bonus(D(980000), D(1000000), D(610000), D(600000), D(400000)) == D("15000.00")
    # same improvement, Ausgleich 200.000: cap 10.000
    with pytest.warns(RegelHinweis, match="Bonus auf 5 %"):
        assert bonus(D(980000), D(1000000), D(610000), D(600000), D(200000)) == D("10000.00")
    # costs above Soll and revenue below: no bonus (Ziffer 6.2, 6.4)
    assert bonus(D(1100000), D(1000000), D(500000), D(600000), D(400000)) == D("0.00")


def test_ziffer_5_8_5_9_anspruch_no_overpayment():
    assert anspruch(D(400000), D("452362.20"), D(15000)) == D("400000.00")  # ex ante is the ceiling
    assert anspruch(D(500000), D("452362.20"), D(15000)) == D("467362.20")  # A_max + bonus
    assert anspruch(D(500000), D(-1000), D(0)) == D("0.00")  # no compensation due


def test_ziffer_7_5_kuerzung_ausgefallene_fahrten():
    # 300.000 € / 1.200.000 Fpl-km = 0,25 €/km · 8.000 km = 2.000 €
    assert kuerzung_ausfall(D(300000), D(1200000), D(8000)) == D("2000.00")
    with pytest.raises(Eingabefehler, match="größer als die geplanten Fahrplan-km"):
        kuerzung_ausfall(D(300000), D(1000), D(2000))


def test_ziffer_7_3_leistungsaenderung_and_7_2_flag():
    assert leistungsaenderung(D(300000), D(1200000), D(12000)) == D("3000.00")  # +1 %: no flag
    with pytest.warns(RegelHinweis, match="mehr als ± 2 %"):
        assert leistungsaenderung(D(300000), D(1200000), D(-36000)) == D("-9000.00")  # −3 %


def test_ziffer_9_1_abschlaege_95_percent_in_12_rates_plus_5_percent():
    # 95 % of 100.000 = 95.000; 95.000 / 12 = 7.916,666… → 7.916,67 × 11 = 87.083,37; last 7.916,63; rest 5.000
    raten = abschlaege(D(100000))
    assert raten[:11] == [D("7916.67")] * 11
    assert raten[11:] == [D("7916.63"), D("5000.00")]
    assert sum(raten) == D(100000)


def test_ziffer_9_4_interest_across_a_basiszins_change():
    # 10.000 € from 01.12.2022 to 01.03.2023: 31 days at −0,88 + 2 = 1,12 % → 9,5123;
    # 59 days at 1,62 + 2 = 3,62 % → 58,5151; sum 68,0274 → 68,03
    assert rueckzahlungszins(D(10000), "01.12.2022", dt.date(2023, 3, 1)) == D("68.03")


def test_ziffer_9_4_interest_capped_at_the_overpayment():
    # 100 € over 2019-01-01 … 2090: at 1,12 % p. a. the simple interest exceeds 100 € after ~89 years — but the
    # Basiszinssatz after 2026-06-30 is not known yet: a clear error naming the half-year
    with pytest.raises(Eingabefehler, match=r"Basiszinssatz = „?01.07.2026“?: für dieses Halbjahr nicht hinterlegt"):
        rueckzahlungszins(D(100), "01.01.2019", "01.01.2090")


def test_ziffer_9_4_cap_with_complete_data():
    # a rate table that reaches far enough: 1,12 % for 100 years on 100 € = 112 € → capped at 100 €
    tabelle = parameter.Basiszins.model_validate(
        {
            "ausgabe": {"name": "Test", "gueltig_ab": dt.date(2000, 1, 1), "gueltig_bis": dt.date(2100, 12, 31),
                        "quelle": "Test"},
            "ref": "Test",
            "werte": [{"ab": dt.date(2000, 1, 1), "satz": "-0.88"}, {"ab": dt.date(2100, 7, 1), "satz": "0"}],
        }
    )  # fmt: skip
    with pytest.warns(RegelHinweis, match="begrenzt"):
        assert rueckzahlungszins(D(100), "01.01.2000", "01.01.2100", basiszins=tabelle) == D("100.00")


def test_ziffer_9_4_basiszins_edition_by_date():
    """The Basiszinssatz table is an edition valid 01.01.2019 – 30.06.2026: ``--stand`` within it computes (as
    test_ziffer_9_4_interest_across_a_basiszins_change: 68,03 €), a date after it names the date and the edition."""
    zins = funktion("OEPNV_RUECKZAHLUNGSZINS")
    assert zins.auswerten(["10000", "01.12.2022", "01.03.2023"], stand=dt.date(2025, 1, 1)).wert == D("68.03")
    with pytest.raises(parameter.KeineAusgabeZumStand, match=r"Stand 01\.01\.2027 .*„Basiszinssatz“.*30\.06\.2026"):
        zins.auswerten(["10000", "01.12.2022", "01.03.2023"], stand=dt.date(2027, 1, 1))
    with pytest.raises(parameter.KeineAusgabeZumStand, match=r"01\.01\.2027"):
        rueckzahlungszins(D(10000), "01.12.2022", "01.03.2023",
                          basiszins=parameter.basiszinssatz(stand=dt.date(2027, 1, 1)))  # fmt: skip
    # the set the result was computed with is named in the output, edition and fingerprint
    ergebnis = zins.auswerten(["10000", "01.12.2022", "01.03.2023"], stand=dt.date(2026, 6, 30))
    assert [r["family"] for r in ergebnis.regeln_json()] == ["oepnv", "basiszinssatz"]
    assert ergebnis.regeln_json()[1]["valid_to"] == "2026-06-30"


def test_ziffer_9_4_trace_names_each_half_year_and_the_rates_read():
    """Explained: 31 days at −0,88 + 2 = 1,12 % → 9,5123…; 59 days at 1,62 + 2 = 3,62 % → 58,5150…; 68,03 €."""
    ergebnis = funktion("OEPNV_RUECKZAHLUNGSZINS").auswerten(["10000", "01.12.2022", "01.03.2023"], erklaeren=True)
    schritte = [(s.klausel, s.text, s.wert) for s in ergebnis.spur.schritte]
    regel = "Satzung LK Rotenburg (Wümme) Ziffer 9.4, § 247 BGB"
    assert [(k, t) for k, t, _ in schritte] == [
        (regel, "Zinsen 01.12.2022 bis 01.01.2023 (ausschließlich): 31 Tage zu 1,12 %"),
        (regel, "Zinsen 01.01.2023 bis 01.03.2023 (ausschließlich): 59 Tage zu 3,62 %"),
        (regel, "Rückzahlungszins (höchstens die Überzahlung)"),
        (regel, "Ergebnis OEPNV_RUECKZAHLUNGSZINS"),
    ]
    assert round(schritte[0][2], 4) == D("9.5123") and schritte[-1][2] == D("68.03")
    gelesen = {(g.name, g.ausgabe) for g in ergebnis.spur.gelesen}
    assert ("zins.aufschlag", parameter.oepnv().ausgabe.name) in gelesen
    assert ("werte[ab 01.01.2019].satz", parameter.basiszinssatz().ausgabe.name) in gelesen  # the row by its date


def test_ziffer_3_7_trace_of_the_ex_ante_amount_with_its_clauses():
    # W = 884.000 · 4,75 % = 41.990; 41.990 − 34.000 + min(50.000; 0) = 7.990 (test_ziffer_3_7_profitable_base_year)
    spur = funktion("OEPNV_EXANTE").auswerten(["50000", "34000", "884000"], erklaeren=True).spur
    assert [(s.klausel.removeprefix("Satzung LK Rotenburg (Wümme) "), s.wert) for s in spur.schritte] == [
        ("Ziffer 3.2, 3.7", D("41990.00")), ("Ziffer 3.3, 3.7, 3.8", D("7990.00")),
        ("Ziffer 3.3, 3.7, 3.8", D("7990.00")), ("Ziffer 3.3, 3.7, 3.8", D("7990.00"))]  # fmt: skip
    assert [g.name for g in spur.gelesen] == ["wagnis.satz"]


def test_excel_calls_with_ranges_and_dates():
    assert funktion("OEPNV_ABSCHLAEGE").auswerten(["100000"]).wert[-1] == D("5000.00")
    # Excel serial 45000 = 15.03.2023: 31 days at 1,12 % (9,5123) + 73 days at 3,62 % (72,40) = 81,9123
    assert funktion("OEPNV_RUECKZAHLUNGSZINS").auswerten(["10000", "2022-12-01", 45000.0]).wert == D("81.91")


def test_second_county_is_a_second_parameter_file():
    """An invented county (tests/daten/oepnv_beispielkreis.toml: Wagnis 3,5 %, Deckelung 4 %, Bagatellgrenze 500 €,
    Finanzierung 70/30): the same code, its numbers, its name in every clause."""
    from pyxl.functions.oepnv_fall import Unternehmen, berechne_ex_ante

    anderer = parameter.oepnv_aus_datei(Path(__file__).parent / "daten" / "oepnv_beispielkreis.toml")
    # W = 3,5 % · 1.000.000 = 35.000; ex ante = 35.000 − 34.000 + 0 = 1.000 (Rotenburg: 47.500 − 34.000 = 13.500)
    assert oepnv.exante(D(50000), D(34000), D(1000000), satzung=anderer) == D("1000.00")
    assert oepnv.exante(D(50000), D(34000), D(1000000)) == D("13500.00")
    # Deckelung: 900 · 1,04 = 936 (Rotenburg 945); 936 ≥ 500 stays (Rotenburg: under 1.000 → 0)
    with pytest.warns(RegelHinweis):
        assert oepnv.deckelung(D(1000), D(900), satzung=anderer) == D("936.00")
    a = Unternehmen(name="A", be_basis=D(50000), be_indiziert=D(34000), kosten_indiziert=D(1000000),
                    ex_ante_vorjahr=D(900))  # fmt: skip
    fall = berechne_ex_ante([a], D(10000), satzung=anderer)
    (a,) = fall.unternehmen
    assert a.anspruch == D("936.00") and a.schritte[1].ziffer == "Satzung LK Beispielkreis Ziffer 3.7"
    assert (fall.anteil_landkreis, fall.anteil_land) == (D("655.20"), D("280.80"))  # 70 % / 30 % of 936
    with pytest.raises(parameter.UnbekannteAusgabe, match=r"Satzungsdatei .* nicht lesbar"):
        parameter.oepnv_aus_datei(Path("gibt_es_nicht.toml"))


def test_whole_ex_ante_case_of_a_year_with_every_step_and_ziffer():
    from pyxl.functions.oepnv_fall import Unternehmen, berechne_ex_ante

    fall = berechne_ex_ante(
        [
            # A: W 41.990 − 34.000 + 0 = 7.990; Vorjahr 7.000 → Deckelung 7.350; +1 % km → +73,50 = 7.423,50
            Unternehmen(name="A", be_basis=D(50000), be_indiziert=D(34000), kosten_indiziert=D(884000),
                        ex_ante_vorjahr=D(7000), fplkm=D(100000), fplkm_aenderung=D(1000)),
            # B: 62.500 (loss-making base year), no history
            Unternehmen(name="B", be_basis=D(-30000), be_indiziert=D(-45000), kosten_indiziert=D(1000000)),
            # C: W 475 − 0 = 475 < 1.000 → Bagatellgrenze, 0
            Unternehmen(name="C", be_basis=D(0), be_indiziert=D(0), kosten_indiziert=D(10000)),
        ],
        D(60000),
    )  # fmt: skip
    a, b, c = fall.unternehmen
    assert [(s.bezeichnung, s.wert) for s in a.schritte][:3] == [
        ("Wagnisaufschlag", D("41990.00")), ("ex ante-Ausgleich (rechnerisch)", D("7990.00")),
        ("nach Deckelung", D("7350.00"))]  # fmt: skip
    assert a.schritte[0].ziffer == "Satzung LK Rotenburg (Wümme) Ziffer 3.2, 3.7"
    assert (a.anspruch, b.anspruch, c.anspruch) == (D("7423.50"), D("62500.00"), D("0.00"))
    # Σ 69.923,50 > 60.000: 7.423,50 · 60.000 / 69.923,50 = 6.369,9614…, 62.500 · … = 53.630,0385…;
    # floors 6.369,96 + 53.630,03 = 59.999,99; the cent goes to the larger remainder (0,85 ct of B)
    assert fall.abschmelzung and [u.ausgleich for u in fall.unternehmen] == [D("6369.96"), D("53630.04"), D("0.00")]
    # 60.000 < 92,5 % · 69.923,50 = 64.679,24 → Unterdeckung; financing 64 % / 36 %
    assert fall.unterdeckung
    assert (fall.anteil_landkreis, fall.anteil_land) == (D("38400.00"), D("21600.00"))


def test_trennungsrechnung_checks_segments_rounding_and_keys():
    """Anlage 4 Anhang 3: Gesamtunternehmen = Σ Segmente (±1 € Rundung), a key for every split position."""
    from pathlib import Path

    from pyxl.validators.pruefen import pruefe_datei

    ordner = Path(__file__).parents[1] / "xlsx_templates" / "beispiele"
    richtig = pruefe_datei(ordner / "OEPNV-TR_richtig.xlsx")
    # A04 Personal Fahrdienst: 520.000 + 498.000 + 401.000 + 98.000 + 120.000 = 1.637.000, GuV 1.637.001
    assert [(b.regel, b.schluessel, b.erwartet, b.gefunden) for b in richtig.befunde] == [
        ("rundungsdifferenz", "tr.A04.C", "1.637.000", "1.637.001")
    ]
    falsch = pruefe_datei(ordner / "OEPNV-TR_fehler_segmente_und_schluessel.xlsx")
    fehler = [(b.regel, b.schluessel, b.erwartet, b.gefunden) for b in falsch.befunde if b.schwere.value == "error"]
    # A01 Kraftstoff: 180.000 + 171.000 + 132.000 + 60.000 + 41.000 = 584.000, GuV 600.000
    assert fehler == [("segmente_summe", "tr.A01.C", "584.000", "600.000"),
                      ("schluessel_fehlt", "tr.A06.K", "direkt zugeordnet | Fahrplan-km | Nutzwagen-km | Fahrzeuge | "
                       "Personal (VZÄ) | Umsatz", "leer")]  # fmt: skip


def test_ziffer_1_8_abschmelzung_range_with_an_empty_cell_keeps_its_rows():
    # 100.000 + (empty) + 300.000 = 400.000 > 300.000: ·0,75 → 75.000, 0, 225.000 — row 3 stays row 3
    werte = funktion("OEPNV_ABSCHMELZUNG").auswerten([[[100000], [None], [300000]], 300000]).wert
    assert werte == [D("75000.00"), D("0.00"), D("225000.00")]
