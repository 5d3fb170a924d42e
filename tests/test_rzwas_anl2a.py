"""RZWas 2005 Anlage 2a (Wasserversorgung): Nr. 2.6 Wasserleitungen, Nr. 2.7 Gebäude."""

import warnings
from decimal import Decimal as D

import pytest

from pyxl.functions import Eingabefehler, KeinRichtwert, RegelHinweis
from pyxl.functions.rzwas_krw import krw_gebaeude, krw_wasserleitung


# Anl. 2a Nr. 2.6: DN <=100: 66; 125: 72; 150: 77; 200: 92; 250: 123; 300: 189 €/m
@pytest.mark.parametrize(
    ("dn", "krw"),
    [(100, "66.00"), (125, "72.00"), (150, "77.00"), (200, "92.00"), (250, "123.00"), (300, "189.00")],
)
def test_anl2a_nr2_6_every_table_entry(dn, krw):
    assert krw_wasserleitung(D(dn)) == D(krw)


@pytest.mark.parametrize(
    ("dn", "krw"),
    [
        (1, "66.00"),  # "<= 100"
        (80, "66.00"),
        (101, "72.00"),  # between 100 and 125: next larger listed size
        (126, "77.00"),
        (175, "92.00"),
        (225, "123.00"),
        (251, "189.00"),
    ],
)
def test_anl2a_nr2_6_between_sizes_takes_next_larger(dn, krw):
    assert krw_wasserleitung(D(dn)) == D(krw)


def test_anl2a_nr2_6_above_dn300_no_krw_but_kostenanschlag():
    with pytest.raises(KeinRichtwert) as fehler:
        krw_wasserleitung(D(301))
    text = str(fehler.value)
    assert "DN = 301" in text
    assert "Kostenanschlag/Kostenfeststellung" in text
    assert "RZWas 2005 Anl. 2a Nr. 2.6" in text


@pytest.mark.parametrize("dn", [D("0"), D("-100"), D("150.5")])
def test_anl2a_nr2_6_dn_must_be_positive_whole(dn):
    with pytest.raises(Eingabefehler, match=r"RZWas 2005 Anl\. 2a Nr\. 2\.6"):
        krw_wasserleitung(dn)


# Anl. 2a Nr. 2.7: KRW_Geb = 450 - 0,036 · V
@pytest.mark.parametrize(
    ("v", "krw"),
    [
        (1, "449.96"),  # 450 - 0.036 = 449.964
        (125, "445.50"),  # 450 - 4.5
        (1001, "413.96"),  # 450 - 36.036 = 413.964
        (1000, "414.00"),  # 450 - 36
        (6250, "225.00"),  # 450 - 225: the peak of KP = KRW·V
    ],
)
def test_anl2a_nr2_7_gebaeude_formula(v, krw):
    assert krw_gebaeude(D(v)) == D(krw)


def test_anl2a_nr2_7_gebaeude_no_note_up_to_peak():
    with warnings.catch_warnings():
        warnings.simplefilter("error", RegelHinweis)
        assert krw_gebaeude(D(6250)) == D("225.00")


def test_anl2a_nr2_7_gebaeude_note_beyond_6250():
    # 450 - 0.036 · 6251 = 224.964 -> 224.96; KP would fall: 224.96 · 6251 < 225 · 6250
    with pytest.warns(RegelHinweis, match="6.250 m³"):
        assert krw_gebaeude(D(6251)) == D("224.96")


def test_anl2a_nr2_7_gebaeude_last_positive_krw_with_note():
    with pytest.warns(RegelHinweis):
        assert krw_gebaeude(D(12499)) == D("0.04")  # 450 - 449.964 = 0.036 -> 0.04 half-up


@pytest.mark.parametrize("v", [D(12500), D(20000)])
def test_anl2a_nr2_7_gebaeude_zero_or_negative_krw_is_error(v):
    with pytest.raises(Eingabefehler, match=r"keinen positiven Kostenrichtwert.*Anl\. 2a Nr\. 2\.7"):
        krw_gebaeude(v)


@pytest.mark.parametrize("v", [D("100.5"), D(0), D(-5)])
def test_anl2a_nr2_gebaeude_quantity_whole_and_positive(v):
    with pytest.raises(Eingabefehler, match=r"RZWas 2005 Anl\. 2a Nr\. 2\)"):
        krw_gebaeude(v)
