"""RZWas 2005 Nr. 1.1 Kostenpauschale, Nr. 2.11 Ingenieur-Zuschlag, Anlage 4 Ausbaukosten, Nr. 3.1 Zuwendungssatz."""

import warnings
from decimal import Decimal as D

import pytest

from pyxl.functions import Eingabefehler, RegelHinweis
from pyxl.functions.rzwas_zuwendung import (
    ausbaukosten,
    ingenieurzuschlag,
    kostenpauschale,
    zuwendung,
    zuwendungssatz,
)


# Nr. 1.1: KP = KRW × Menge, cents half-up
def test_nr1_1_kostenpauschale():
    assert kostenpauschale(D("547.45"), D(2000)) == D("1094900.00")
    assert kostenpauschale(D("163.33"), D(3)) == D("489.99")
    assert kostenpauschale(D("0.005"), D(1)) == D("0.01")  # half-up, not banker's rounding


def test_nr2_kostenpauschale_menge_whole():
    with pytest.raises(
        Eingabefehler,
        match=r"Menge = 12,5: Mengen sind ganzzahlig anzugeben \(RZWas 2005 Anl\. 2a Nr\. 2, Anl\. 2b Nr\. 2\)",
    ):
        kostenpauschale(D(245), D("12.5"))


# Nr. 3.1 Zuwendungssatz
@pytest.mark.parametrize(
    ("ak", "zh"),
    [
        ("1", "0.00"),  # below the Förderschwelle
        ("1277.99", "0.00"),  # Förderschwelle 1.278 €/WA
        ("1278", "9.99"),  # 76.666 - 85215.31/1278 = 76.666 - 66.67865 = 9.98735
        ("1500", "19.86"),  # 76.666 - 56.81021 = 19.85579
        ("2000", "34.06"),  # 76.666 - 42.607655 = 34.058345
        ("4089.99", "55.83"),  # lower branch: 76.666 - 20.83509 = 55.83091
        ("4090", "55.83"),  # upper branch: 98.333 - 42.50342 = 55.82958; the branches meet
        ("5000.5", "63.57"),  # 98.333 - 34.76432 = 63.56868
        ("6000", "69.36"),  # 98.333 - 28.97317 = 69.35983
        ("6135.56", "70.00"),  # 98.333 - 28.33303 = 69.99997 -> 70.00 by rounding
        ("6135.57", "70.00"),  # 70.00002: the 70 % cap
        ("10000", "70.00"),  # 98.333 - 17.3839 = 80.9491: capped at 70
    ],
)
def test_nr3_1_zuwendungssatz(ak, zh):
    assert zuwendungssatz(D(ak)) == D(zh)


def test_nr3_1_branch_change_at_4090_uses_second_formula():
    # Just above 4.090 the first formula would give 55.83 as well; at 4.500 the two differ clearly:
    # first 76.666 - 18.93674 = 57.72926, second 98.333 - 38.63089 = 59.70211 -> second applies.
    assert zuwendungssatz(D(4500)) == D("59.70")


@pytest.mark.parametrize(
    ("ak", "stufe", "zh"),
    [
        ("10000", 1, "55.00"),  # 70 - 15 (Vertrauensschutzprogramm I)
        ("10000", 2, "40.00"),  # 70 - 30 (II)
        ("2000", 1, "19.06"),  # 34.06 - 15
        ("2000", 2, "4.06"),  # 34.06 - 30
        ("1500", 2, "0.00"),  # 19.86 - 30 < 0: never below 0
        ("1000", 1, "0.00"),  # below the threshold stays 0
    ],
)
def test_fn3_vertrauensschutz_reduces_points(ak, stufe, zh):
    assert zuwendungssatz(D(ak), D(stufe)) == D(zh)


@pytest.mark.parametrize("stufe", [D(3), D(-1), D("1.5")])
def test_fn3_vertrauensschutz_only_0_1_2(stufe):
    with pytest.raises(Eingabefehler, match=r"Vertrauensschutz = .*Fn\. 3"):
        zuwendungssatz(D(5000), stufe)


@pytest.mark.parametrize("ak", [D(0), D("-5")])
def test_nr3_1_ak_must_be_positive(ak):
    with pytest.raises(Eingabefehler, match=r"AK = .*größer als 0.*Nr\. 3\.1"):
        zuwendungssatz(ak)


# Zuwendung = zwf. Kosten × ZH / 100
def test_nr3_1_zuwendung():
    assert zuwendung(D("1622136.65"), D("5304.05")) == D("1063472.79")  # ZH 65.56: 1063472.787...
    assert zuwendung(D("100000"), D("10000"), D(1)) == D("55000.00")  # 70 - 15 = 55 %
    assert zuwendung(D("100000"), D("1277.99")) == D("0.00")  # below the Förderschwelle
    assert zuwendung(D("333.33"), D("2000")) == D("113.53")  # 333.33 · 0.3406 = 113.532198


def test_nr3_1_zuwendung_negative_costs_error():
    with pytest.raises(Eingabefehler, match="zwf_Kosten"):
        zuwendung(D("-1"), D("5000"))


# Anlage 4 / Anl. 2a Nr. 1.4, 2b Nr. 1.2: AK = Investitionskosten / Anteile
def test_anlage4_ausbaukosten():
    assert ausbaukosten(D(7850000), D(1480)) == D("5304.05")  # 5304.054...
    assert ausbaukosten(D(1000), D(3)) == D("333.33")
    assert ausbaukosten(D(2000), D(3)) == D("666.67")
    assert ausbaukosten(D(100), D("2.5")) == D("40.00")  # Einwohnergleichwerte may be fractional


@pytest.mark.parametrize(("kosten", "anteile", "feld"), [(0, 10, "Investitionskosten"), (100, 0, "Anteile")])
def test_anlage4_ausbaukosten_positive(kosten, anteile, feld):
    with pytest.raises(Eingabefehler, match=rf"{feld} = 0: muss größer als 0 sein \(RZWas 2005 .*Anlage 4\)"):
        ausbaukosten(D(kosten), D(anteile))


# Nr. 2.11 Ingenieur-Zuschlag
@pytest.mark.parametrize("sparte", ["wasser", "abwasser"])
def test_nr2_11_zuschlag_10_percent_up_to_5_mio(sparte):
    assert ingenieurzuschlag(D("1474669.68"), D(0), sparte) == D("147466.97")  # 147466.968
    assert ingenieurzuschlag(D("5000000"), D(0), sparte) == D("500000.00")  # "über 5 Mio": 5 Mio itself is 10 %


@pytest.mark.parametrize("sparte", ["wasser", "abwasser"])
def test_nr2_11_zuschlag_cliff_above_5_mio(sparte):
    # 9 % on the whole sum: 5000000.01 · 0.09 = 450000.0009 -> a cliff of 50.000 € at the threshold
    assert ingenieurzuschlag(D("5000000.01"), D(0), sparte) == D("450000.00")
    assert ingenieurzuschlag(D("8000000"), D(0), sparte) == D("720000.00")


def test_nr2_11_zuschlag_plus_points_per_further_office():
    assert ingenieurzuschlag(D(1000000), D(1)) == D("115000.00")  # 10 + 1.5 = 11.5 %
    assert ingenieurzuschlag(D(1000000), D(2)) == D("130000.00")  # 10 + 3.0 = 13 %
    assert ingenieurzuschlag(D(6000000), D(1)) == D("630000.00")  # 9 + 1.5 = 10.5 %
    assert ingenieurzuschlag(D(6000000), D(2)) == D("720000.00")  # 9 + 3.0 = 12 %


def test_nr2_11_zuschlag_at_most_3_points_with_note():
    with pytest.warns(RegelHinweis, match="höchstens 3,0 Prozentpunkte"):
        assert ingenieurzuschlag(D(1000000), D(3)) == D("130000.00")  # still 10 + 3.0


def test_nr2_11_zuschlag_two_offices_no_note():
    with warnings.catch_warnings():
        warnings.simplefilter("error", RegelHinweis)
        ingenieurzuschlag(D(1000000), D(2))


def test_nr2_11_zuschlag_bad_inputs():
    with pytest.raises(Eingabefehler, match=r"Sparte = „strom“.*Nr\. 2\.11"):
        ingenieurzuschlag(D(1000), D(0), "strom")
    with pytest.raises(Eingabefehler, match=r"weitere_Bueros = 1,5: muss ganzzahlig"):
        ingenieurzuschlag(D(1000), D("1.5"))
    with pytest.raises(Eingabefehler, match=r"Summe = -1: darf nicht negativ sein \(RZWas 2005 Anl\. 2b Nr\. 2\.11\)"):
        ingenieurzuschlag(D(-1), D(0), "abwasser")
