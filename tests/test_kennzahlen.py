"""Report statistics (spec/haushalt.md): KZ_VERAENDERUNG, KZ_ANTEIL, KZ_FRISTQUOTE — recomputing the KRM seed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from pyxl.functions import Eingabefehler, funktion
from pyxl.functions.kennzahlen import anteil, fristquote, veraenderung


@pytest.mark.parametrize(
    ("alt", "neu", "prozent"),
    [
        (1684, 1068, "-36.6"),  # Kunden 2019 → 2020: 1068/1684 − 1 = −0,36580 (KRM: "−36,6 %")
        (3936, 2145, "-45.5"),  # Anliegen: 2145/3936 − 1 = −0,45503 ("−45,5 %")
        (1010, 196, "-80.6"),  # persönlich: 196/1010 − 1 = −0,80594 ("−80,6 %")
        (139, 313, "125.2"),  # telefonisch: 313/139 − 1 = 1,25180 ("125,2 %")
        (2130, 1195, "-43.9"),  # Leistungsbereich: 1195/2130 − 1 = −0,43897 ("−43,9 %")
        (346, 210, "-39.3"),  # Bearbeitungsdauer: 210/346 − 1 = −0,39306 ("−39,3 %")
        (8, 9, "12.5"),  # exact: half-up on one decimal
    ],
)
def test_veraenderung_krm_seed(alt, neu, prozent):
    assert veraenderung(D(alt), D(neu)) == D(prozent)


@pytest.mark.parametrize(
    ("teil", "gesamt", "prozent"),
    [
        (196, 1068, "18.4"),  # 18,352 % ("18,4 %")
        (434, 1068, "40.6"),  # 40,637 % ("40,6 %")
        (313, 1068, "29.3"),  # 29,307 % ("313 bzw. 29,3 %")
        (381, 1684, "22.6"),  # 22,625 % ("22,6 %")
        (1010, 1684, "60.0"),  # 59,976 % ("60 %")
        (139, 1684, "8.3"),  # 8,254 %: the report prints 8,2 % — a statement the checker would flag
        (1, 8, "12.5"),
    ],
)
def test_anteil_krm_seed(teil, gesamt, prozent):
    assert anteil(D(teil), D(gesamt)) == D(prozent)


def test_bad_inputs_name_field_and_rule():
    with pytest.raises(Eingabefehler, match=r"alt = 0: muss größer als 0 sein \(Berichtsstatistik"):
        veraenderung(D(0), D(5))
    with pytest.raises(Eingabefehler, match=r"Teil = 12: größer als Gesamt"):
        anteil(D(12), D(10))


def test_fristquote_open_cases_count_as_not_closed():
    eingang = [dt.date(2020, 3, 1), "02.03.2020", "2020-03-05", dt.date(2020, 3, 6), None]
    erledigt = [dt.date(2020, 3, 22), "2020-03-24", None, 43900.0, None]  # 43900 = Excel serial for 2020-03-11
    # days: 21 (in), 22 (out), open (out), 5 (in); the empty last row is no case → 2 of 4 = 50,0 %
    assert fristquote(eingang, erledigt, D(21)) == D("50.0")
    assert fristquote(eingang, erledigt, D(22)) == D("75.0")


def test_fristquote_from_the_command_line_style_call():
    ergebnis = funktion("KZ_FRISTQUOTE").auswerten(["01.03.2020;02.03.2020;05.03.2020", "10.03.2020;;30.04.2020", "21"])
    assert ergebnis.wert == D("33.3")  # 1 of 3 within 21 days


def test_fristquote_errors():
    with pytest.raises(Eingabefehler, match="liegt vor dem Eingang"):
        fristquote(["10.03.2020"], ["01.03.2020"], D(5))
    with pytest.raises(Eingabefehler, match="gleich viele Werte"):
        fristquote(["10.03.2020"], [], D(5))
    with pytest.raises(Eingabefehler, match=r"Eingang\[1\] = „32.13.2020“: kein Datum"):
        fristquote(["32.13.2020"], [None], D(5))
