"""Properties that hold for every input (hypothesis), beyond the worked examples."""

from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from pyxl import parameter
from pyxl.functions.rzwas_krw import (
    krw_bodenfilter,
    krw_klaeranlage,
    krw_nachruestung,
    krw_ortsentwaesserung,
    krw_pumpstation,
    krw_regenbecken,
)
from pyxl.functions.rzwas_zuwendung import zuwendungssatz

P = parameter.rzwas("2005")
cent_betraege = st.decimals(min_value=D("1278"), max_value=D("1000000"), places=2)
mengen = st.integers(min_value=1, max_value=2_000_000)

# Formula KRW with a negative exponent and their cap (Anl. 2b Nr. 2.5–2.9.2)
FALLENDE_KRW = [
    (krw_pumpstation, P.anl2b.pumpstation.max),
    (krw_regenbecken, P.anl2b.regenbecken.max),
    (krw_bodenfilter, P.anl2b.bodenfilter.max),
    (krw_klaeranlage, P.anl2b.klaeranlage.max),
    (lambda x: krw_nachruestung(x, D(1990)), P.anl2b.nachruestung_neu.max),
]


@given(cent_betraege, cent_betraege)
def test_nr3_1_zh_non_decreasing_from_threshold_and_at_most_70(ak1, ak2):
    klein, gross = sorted((ak1, ak2))
    assert zuwendungssatz(klein) <= zuwendungssatz(gross) <= D(70)


@given(st.decimals(min_value=D("0.01"), max_value=D("1277.99"), places=2))
def test_nr3_1_zh_zero_below_threshold(ak):
    assert zuwendungssatz(ak) == 0


@given(mengen, mengen)
def test_anl2b_capped_krw_at_most_cap_and_non_increasing(x1, x2):
    klein, gross = sorted((x1, x2))
    for rechner, kappe in FALLENDE_KRW:
        assert rechner(D(gross)) <= rechner(D(klein)) <= kappe


@given(st.decimals(min_value=D("0.01"), max_value=D("1000"), places=3),
       st.decimals(min_value=D("0.01"), max_value=D("1000"), places=3))  # fmt: skip
def test_anl2b_nr2_1_ortsentwaesserung_at_most_cap_and_non_decreasing(x1, x2):
    klein, gross = sorted((x1, x2))
    assert krw_ortsentwaesserung(klein) <= krw_ortsentwaesserung(gross) <= P.anl2b.ortsentwaesserung.max
