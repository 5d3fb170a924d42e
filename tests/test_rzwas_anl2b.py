"""RZWas 2005 Anlage 2b (Abwasseranlagen) Nr. 2: Kostenrichtwerte.

Formula values were computed by hand (40-digit arithmetic) from the printed formula; a KRW is capped first and then
rounded half-up to cents (spec/rzwas.md).
"""

from decimal import Decimal as D

import pytest

from pyxl.functions import Eingabefehler
from pyxl.functions.rzwas_krw import (
    krw_bodenfilter,
    krw_druckleitung,
    krw_freispiegelleitung,
    krw_klaeranlage,
    krw_nachruestung,
    krw_ortsentwaesserung,
    krw_pumpstation,
    krw_regenbecken,
    krw_regenueberlauf,
    krw_sanierung,
)


# Nr. 2.1 Ortsentwässerung: 542 · x^0,72 €/EZ, max 3.070
@pytest.mark.parametrize(
    ("x", "krw"),
    [
        ("1", "542.00"),  # 542 · 1
        ("0.5", "329.05"),  # 542 · 0.5^0.72 = 542 · 0.607097 = 329.0468
        ("2.5", "1048.37"),  # 542 · 2.5^0.72 = 542 · 1.934269 = 1048.3736
        ("10", "2844.46"),  # 542 · 10^0.72 = 542 · 5.248075 = 2844.4564
        ("11", "3046.51"),  # 542 · 11^0.72 = 3046.5059, just below the cap
        ("12", "3070.00"),  # 542 · 12^0.72 = 3243.47 > 3070: cap
    ],
)
def test_anl2b_nr2_1_ortsentwaesserung_formula_and_cap_3070(x, krw):
    assert krw_ortsentwaesserung(D(x)) == D(krw)


@pytest.mark.parametrize("x", [D(0), D("-1")])
def test_anl2b_nr2_1_kanallaenge_must_be_positive(x):
    with pytest.raises(Eingabefehler, match=r"x = .*Anl\. 2b Nr\. 2\.1"):
        krw_ortsentwaesserung(x)


# Nr. 2.2 Freispiegelleitungen: every entry of the table
@pytest.mark.parametrize(
    ("dn", "krw"),
    [
        (200, 180), (250, 225), (300, 245), (400, 275), (500, 310), (600, 345),
        (700, 395), (800, 445), (900, 495), (1000, 550), (1100, 615), (1200, 685),
    ],
)  # fmt: skip
def test_anl2b_nr2_2_every_table_entry(dn, krw):
    assert krw_freispiegelleitung(D(dn)) == D(krw)


@pytest.mark.parametrize(
    ("dn", "krw"),
    [
        (150, 180),  # "< 200" read as up to DN 200
        (201, 225),  # between: next larger listed DN
        (350, 275),
        (1150, 685),
        (1400, 685),  # "> 1200": every DN from 1200 up
    ],
)
def test_anl2b_nr2_2_between_and_beyond(dn, krw):
    assert krw_freispiegelleitung(D(dn)) == D(krw)


@pytest.mark.parametrize(
    ("flaeche", "krw"),
    [
        ("0.12566370614359174", 275),  # π · 0.2²: exactly the circle DN 400, not the next step
        ("0.5", 445),  # √(4 · 0.5 / π) = 0.797885 m -> DN 797.9 -> next larger 800
        ("1.5", 685),  # √(4 · 1.5 / π) = 1.381977 m -> DN 1382 -> from 1200 on
    ],
)
def test_anl2b_nr2_2_sonderprofil_next_larger_circle_of_equal_area(flaeche, krw):
    assert krw_freispiegelleitung(None, D(flaeche)) == D(krw)


def test_anl2b_nr2_2_sonderprofil_dn_and_area_together_is_error():
    with pytest.raises(Eingabefehler, match=r"DN leer lassen.*Anl\. 2b Nr\. 2\.2"):
        krw_freispiegelleitung(D(300), D("0.5"))


def test_anl2b_nr2_2_neither_dn_nor_area_is_error():
    with pytest.raises(Eingabefehler, match="Nennweite oder"):
        krw_freispiegelleitung(None)


# Nr. 2.3 / 2.3.1 / 2.3.2 / 2.4 Druckleitungen
@pytest.mark.parametrize(
    ("verfahren", "krw"),
    [("herkoemmlich", 110), ("Herkömmlich", 110), ("rohrvortrieb", 110), ("gepfluegt", 51), ("gepflügt", 51),
     ("gefraest", 72), ("GEFRÄST", 72)],
)  # fmt: skip
def test_anl2b_nr2_3_2_4_druckleitung_by_verfahren(verfahren, krw):
    assert krw_druckleitung(verfahren) == D(krw)


def test_anl2b_nr2_3_unknown_verfahren_lists_allowed():
    with pytest.raises(Eingabefehler) as fehler:
        krw_druckleitung("gebohrt")
    assert "„gebohrt“" in str(fehler.value)
    assert "„gepfluegt“" in str(fehler.value)
    assert "Anl. 2b Nr. 2.3/2.4" in str(fehler.value)


# Nr. 2.5 Pumpstationen: 24.031 · x^−0,55 €/(l/s), max 8.200
@pytest.mark.parametrize(
    ("ls", "krw"),
    [
        (1, "8200.00"),  # 24031 > 8200: cap
        (7, "8200.00"),  # 24031 · 7^-0.55 = 8240.77: still capped
        (8, "7657.24"),  # 24031 · 8^-0.55 = 24031 · 0.318640 = 7657.2416
        (12, "6126.64"),  # 24031 · 12^-0.55 = 6126.6371
        (100, "1908.85"),  # 24031 · 100^-0.55 = 24031 · 0.079433 = 1908.8502
    ],
)
def test_anl2b_nr2_5_pumpstation_formula_and_cap_8200(ls, krw):
    assert krw_pumpstation(D(ls)) == D(krw)


# Nr. 2.6 Regenbecken / Regenüberläufe: 2.925 · x^−0,22 €/m³, max 1.280; Erdbauweise 62
@pytest.mark.parametrize(
    ("m3", "krw"),
    [
        (1, "1280.00"),
        (42, "1280.00"),  # 2925 · 42^-0.22 = 1285.32: capped
        (43, "1278.68"),  # 2925 · 43^-0.22 = 1278.6828
        (1000, "639.92"),  # 2925 · 10^-0.66 = 2925 · 0.218776 = 639.9203
        (5000, "449.11"),  # 449.1097
    ],
)
def test_anl2b_nr2_6_regenbecken_formula_and_cap_1280(m3, krw):
    assert krw_regenbecken(D(m3)) == D(krw)
    assert krw_regenueberlauf(D(m3)) == D(krw)  # same formula, x = umbauter Raum


def test_anl2b_nr2_6_regenbecken_erdbau_62():
    assert krw_regenbecken(D(1000), "erdbau") == D("62.00")
    assert krw_regenbecken(D(5), "Erdbau") == D("62.00")


def test_anl2b_nr2_6_regenbecken_unknown_bauweise():
    with pytest.raises(Eingabefehler, match=r"Bauweise = „holz“: zulässig sind „massiv“, „erdbau“"):
        krw_regenbecken(D(100), "holz")


# Nr. 2.6 Bodenfilter: 7.299 · x^−0,46 €/m³, max 640
@pytest.mark.parametrize(
    ("m3", "krw"),
    [
        (100, "640.00"),  # 877.53: capped
        (198, "640.00"),  # 640.91: capped
        (199, "639.43"),  # 639.4270
        (1000, "304.27"),  # 7299 · 10^-1.38 = 7299 · 0.041687 = 304.2730
    ],
)
def test_anl2b_nr2_6_bodenfilter_formula_and_cap_640(m3, krw):
    assert krw_bodenfilter(D(m3)) == D(krw)


# Nr. 2.7 Kläranlagen: 3.661 · x^−0,25 €/EW, max 1.380
@pytest.mark.parametrize(
    ("ew", "krw"),
    [
        (1, "1380.00"),
        (49, "1380.00"),  # 3661 / 49^0.25 = 1383.73: capped
        (50, "1376.76"),  # 3661 / 2.659148 = 1376.7568
        (2000, "547.45"),  # 3661 / 6.687403 = 547.4472
        (10000, "366.10"),  # 3661 / 10: exact
        (100000, "205.87"),  # 3661 / 17.782794 = 205.8732
    ],
)
def test_anl2b_nr2_7_klaeranlage_formula_and_cap_1380(ew, krw):
    assert krw_klaeranlage(D(ew)) == D(krw)


# Nr. 2 "Mengen ... ganzzahlig": fractional or non-positive quantities are errors, never rounded
@pytest.mark.parametrize("rechner", [krw_pumpstation, krw_regenbecken, krw_regenueberlauf, krw_bodenfilter,
                                     krw_klaeranlage])  # fmt: skip
@pytest.mark.parametrize(("menge", "grund"), [("2.5", "ganzzahlig"), ("0", "größer als 0"), ("-3", "größer als 0")])
def test_anl2b_nr2_quantities_whole_and_positive(rechner, menge, grund):
    with pytest.raises(Eingabefehler, match=rf"{grund}.*\(RZWas 2005 Anl\. 2b Nr\. 2\)"):
        rechner(D(menge))


def test_anl2b_nr2_quantity_float_from_excel_cell_that_is_whole_is_accepted():
    assert krw_klaeranlage(10000.0) == D("366.10")  # Excel hands over every number as a double


# Nr. 2.8 Sanierung: 2/3 of the line KRW, cents after the 2/3
@pytest.mark.parametrize(
    ("krw", "saniert"),
    [
        ("180", "120.00"), ("225", "150.00"), ("245", "163.33"), ("275", "183.33"), ("310", "206.67"),
        ("345", "230.00"), ("395", "263.33"), ("445", "296.67"), ("495", "330.00"), ("550", "366.67"),
        ("615", "410.00"), ("685", "456.67"), ("110", "73.33"), ("51", "34.00"), ("72", "48.00"),
    ],
)  # fmt: skip
def test_anl2b_nr2_8_sanierung_two_thirds(krw, saniert):
    assert krw_sanierung(D(krw)) == D(saniert)


def test_anl2b_nr2_8_sanierung_only_line_krw():
    with pytest.raises(Eingabefehler, match=r"KRW = 547,45: kein Kostenrichtwert nach Nr\. 2\.2–2\.4"):
        krw_sanierung(D("547.45"))


# Nr. 2.9 Nachrüstung
def test_anl2b_nr2_9_1_before_1977_half_of_rounded_2_7():
    # 2.7 at 2000 EW: 547.447 -> 547.45; 50 % = 273.725 -> 273.73 (half-up on the rounded KRW)
    assert krw_nachruestung(D(2000), D(1976)) == D("273.73")
    # 2.7 at 10000 EW: 366.10; 50 % = 183.05
    assert krw_nachruestung(D(10000), D(1965)) == D("183.05")
    # 2.7 at 10 EW is capped at 1380; 50 % = 690
    assert krw_nachruestung(D(10), D(1970)) == D("690.00")


@pytest.mark.parametrize(
    ("ew", "krw"),
    [
        (100, "310.00"),  # 3477 · 100^-0.4 = 551.07: capped
        (421, "310.00"),  # 310.09: capped
        (422, "309.80"),  # 309.7988
        (2000, "166.26"),  # 3477 · 2000^-0.4 = 166.2619
        (100000, "34.77"),  # 3477 · 10^-2: exact
    ],
)
def test_anl2b_nr2_9_2_from_1977_own_formula_cap_310(ew, krw):
    assert krw_nachruestung(D(ew), D(1977)) == D(krw)
    assert krw_nachruestung(D(ew), D(2005)) == D(krw)


def test_anl2b_nr2_9_baujahr_must_be_whole():
    with pytest.raises(Eingabefehler, match=r"Baujahr_Biologie = 1976,5.*Anl\. 2b Nr\. 2\.9"):
        krw_nachruestung(D(2000), D("1976.5"))
