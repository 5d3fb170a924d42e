"""Issue 12.1: no German number is silently misread — one reader, tested at every place text becomes a number.

The reading chosen: German forms are read as Germans mean them. Where a decimal point is allowed as well (command
line, text in the add-in's cells), a point followed by exactly three digits and no comma ("7.850", "1.000") is
ambiguous and refused with a German message naming both readings; in German documents (budgets, CSV, numbers
typed as text into a submitted form) it groups thousands.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from pyxl.cli import pyxl
from pyxl.functions import funktion
from pyxl.functions.fehler import Eingabefehler
from pyxl.functions.zahlen import Zahlfehler, lies_betrag, lies_zahl
from pyxl.haushalt.plaene import lies_text
from pyxl.templates import formulare
from pyxl.templates.beispiele import ausfuellen
from pyxl.validators.befund import Schwere
from pyxl.validators.pruefen import pruefe_datei
from pyxl.validators.vorgaben import lies_anlage1

DEUTSCH = [
    ("1.060.000", "1060000"),
    ("1.060,50", "1060.50"),
    ("1.060,50 €", "1060.50"),
    ("1.060,50 EUR", "1060.50"),
    ("9.359.415,97-", "-9359415.97"),  # trailing minus of printed budgets
    ("−1.060.000", "-1060000"),  # the typographic minus
    ("1060,5", "1060.5"),
    ("5000.5", "5000.5"),  # a lone point with other than three digits after it stays a decimal point
    ("1277.99", "1277.99"),
    ("0.125", "0.125"),  # no German groups start with 0
    ("5 000", "5000"),  # a space groups thousands (DIN 5008)
]


@pytest.mark.parametrize(("text", "zahl"), DEUTSCH)
@pytest.mark.parametrize("dezimalpunkt", [True, False], ids=["eingabe", "dokument"])
def test_german_forms_are_read_as_germans_mean_them(text, zahl, dezimalpunkt):
    assert lies_zahl(text, dezimalpunkt=dezimalpunkt) == Decimal(zahl)


@pytest.mark.parametrize("text", ["7.850", "1.000", "-9.162", "9.162-", "1.060 €"])
def test_ambiguous_point_is_read_as_thousands_in_documents(text):
    erwartet = Decimal(text.replace(".", "").replace("€", "").strip().strip("-"))
    assert abs(lies_zahl(text, dezimalpunkt=False)) == erwartet


@pytest.mark.parametrize(
    ("text", "tausender", "dezimal"), [("7.850", "7850", "7,85"), ("1.000", "1000", "1"), ("-9.162", "9162", "9,162")]
)
def test_ambiguous_point_is_refused_where_a_decimal_point_is_allowed(text, tausender, dezimal):
    with pytest.raises(Zahlfehler) as fehler:
        lies_zahl(text, dezimalpunkt=True)
    assert str(fehler.value) == (
        f"mehrdeutig: {tausender} (Punkt trennt Tausender) oder {dezimal} (Dezimalpunkt) – bitte eindeutig "
        f"schreiben: {tausender} oder {dezimal}"
    )


@pytest.mark.parametrize("text", ["5.000.5", "1,060.50", "1e3", "1_060", "１０６０", "abc", "", "-", "--5"])
def test_no_number_at_all(text):
    for dezimalpunkt in (True, False):
        with pytest.raises(Zahlfehler, match="keine Zahl"):
            lies_zahl(text, dezimalpunkt=dezimalpunkt)


# -- every place: command line, add-in cells (the registry), lists, submissions, CSV, budget text


def test_cli_refuses_7850_naming_field_value_both_readings_and_clause():
    """`pyxl fn RZW_AUSBAUKOSTEN 7.850 1480` gave 0,01 with exit 0 (7.850 read as 7,85)."""
    lauf = CliRunner().invoke(pyxl, ["fn", "RZW_AUSBAUKOSTEN", "7.850", "1480"])
    assert lauf.exit_code == 2
    assert "RZW_AUSBAUKOSTEN: Investitionskosten = „7.850“: mehrdeutig: 7850 (Punkt trennt Tausender) oder 7,85" in (
        lauf.output
    )
    assert "(RZWas 2005 Anl. 2a Nr. 1.4" in lauf.output


@pytest.mark.parametrize(
    ("argumente", "ausgabe"),
    [
        (["RZW_AUSBAUKOSTEN", "7850", "1480"], "5,30"),  # 7.850 € / 1.480 AA (Anlage 4)
        (["RZW_AUSBAUKOSTEN", "1.060.000", "1480"], "716,22"),  # unambiguous German: 1.060.000 / 1.480
        (["RZW_KOSTENPAUSCHALE", "547,45", "1000"], "547.450,00"),
        (["RZW_ZUWENDUNGSSATZ", "5000.5"], "63,57"),  # a decimal point stays one
    ],
)
def test_cli_reads_unambiguous_numbers(argumente, ausgabe):
    lauf = CliRunner().invoke(pyxl, ["fn", *argumente])
    assert (lauf.exit_code, lauf.output.strip()) == (0, ausgabe)


@pytest.mark.parametrize("argumente", [["RZW_KOSTENPAUSCHALE", "547,45", "1.000"], ["RZW_ZUWENDUNGSSATZ", "1.060"]])
def test_cli_refuses_the_ambiguous_examples_of_the_issue(argumente):
    lauf = CliRunner().invoke(pyxl, ["fn", *argumente])
    assert lauf.exit_code == 2 and "mehrdeutig" in lauf.output


def test_addin_text_cell_and_list_values_use_the_same_reader():
    """Text in a cell reaches the registry as str, exactly as a command-line argument does."""
    with pytest.raises(Eingabefehler, match=r"AK = „1\.060“: mehrdeutig: 1060 .* oder 1,06 "):
        funktion("RZW_ZUWENDUNGSSATZ").auswerten(["1.060"])
    with pytest.raises(Eingabefehler, match=r"Ansprueche\[2\] = „200\.000“: mehrdeutig"):
        funktion("OEPNV_ABSCHMELZUNG").auswerten(["100000;200.000", "500"])
    werte = funktion("OEPNV_ABSCHMELZUNG").auswerten(["1.000.000;2.000.000", "1.500.000"]).wert
    assert werte == [Decimal("500000.00"), Decimal("1000000.00")]  # Ziffer 1.8: both cut to half


def test_number_typed_as_text_in_a_submission_is_read_german(tmp_path):
    """A clerk typed "1.250" (text) as the Menge of a Freispiegelleitung: 1.250 m, read with a finding."""
    datei = tmp_path / "antrag.xlsx"
    eingaben = {"pos.fs.1.groesse": 300, "pos.fs.1.menge": "1.250"}
    ausfuellen(formulare()["RZWAS-3B"], eingaben).save(datei)
    befunde = [b for b in pruefe_datei(datei).befunde if b.regel == "zahl_als_text"]
    assert [(b.zelle, b.erwartet, b.schwere) for b in befunde] == [("E18", "1.250", Schwere.WARNUNG)]


def test_anlage1_csv_reads_german_kilometres(tmp_path):
    csv = tmp_path / "anlage1.csv"
    csv.write_text("Unternehmen;Teilnetz;Fahrplan-km\nBus AG;ROW Süd 1;7.850\nBus AG;ROW Süd 2;1.060,5\n", "utf-8")
    assert lies_anlage1(csv) == {"Bus AG": {"ROW Süd 1": Decimal("7850"), "ROW Süd 2": Decimal("1060.5")}}


def test_budget_text_reads_printed_negative_numbers():
    plan = (
        "Teilergebnisplan Produkt 01.111.01 Beispiel\nNr. Bezeichnung Ergebnis 2022 Ansatz 2023\n"
        "01 Steuern und ähnliche Abgaben 1.060 7.850\n11 - Personalaufwendungen -9.162 9.162-\n"
    )
    (tabelle,) = lies_text(plan)
    assert [tabelle.wert(1, 0), tabelle.wert(1, 1), tabelle.wert(11, 0), tabelle.wert(11, 1)] == [
        Decimal(1060),
        Decimal(7850),
        Decimal(-9162),
        Decimal(-9162),
    ]


def test_cli_json_of_a_result_keeps_the_exact_decimal():
    lauf = CliRunner().invoke(pyxl, ["fn", "RZW_AUSBAUKOSTEN", "1.060.000", "1480", "--json"])
    assert json.loads(lauf.output)["value"] == "716.22"


def test_readme_states_how_numbers_are_read():
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    for beispiel in ("7.850", "1.060.000", "5000.5", "mehrdeutig"):
        assert beispiel in readme


# -- review of issue 12: what a German writes, never a sign flip or a silent guess


@pytest.mark.parametrize(
    ("text", "zahl"),
    [
        ("5,-", "5"),  # five euros, no cents — not a trailing minus
        ("1.000,-", "1000"),
        ("1.060,50 Euro", "1060.50"),  # "Euro" whole, not "EUR" + "o"
        ("5 EURO", "5"),
        ("1 000 000,50", "1000000.50"),  # spaces group thousands (DIN 5008)
        ("1\u202f000", "1000"),
        ("- 5", "-5"),
    ],
)
def test_what_a_german_writes(text, zahl):
    for dezimalpunkt in (True, False):
        assert lies_zahl(text, dezimalpunkt=dezimalpunkt) == Decimal(zahl)


@pytest.mark.parametrize("text", ["1 5", "10 00", "12 34,5"])
def test_spaces_only_between_groups_of_three(text):
    with pytest.raises(Zahlfehler, match="keine Zahl"):
        lies_zahl(text, dezimalpunkt=False)


@pytest.mark.parametrize(("text", "dezimal", "tausender"), [("1,000", "1", "1000"), ("12,500", "12,5", "12500")])
def test_comma_before_three_digits_is_ambiguous_where_a_decimal_point_is_allowed(text, dezimal, tausender):
    """The mirror of 7.850: an English typist's 1,000 is a thousand; a German's is one."""
    with pytest.raises(Zahlfehler) as fehler:
        lies_zahl(text, dezimalpunkt=True)
    assert str(fehler.value) == (
        f"mehrdeutig: {dezimal} (Dezimalkomma) oder {tausender} (Komma trennt Tausender) – bitte eindeutig "
        f"schreiben: {dezimal} oder {tausender}"
    )
    assert lies_zahl(text, dezimalpunkt=False) == Decimal(text.replace(",", "."))  # in documents: the comma


@pytest.mark.parametrize(
    ("wert", "grund"),
    [
        ("2024-02-30", "diesen Tag gibt es nicht"),  # was "interner Fehler (ValueError …)"
        ("30.02.2024", "diesen Tag gibt es nicht"),
        ("٠٣.٠٢.٢٠٢٤", "TT.MM.JJJJ oder JJJJ-MM-TT"),  # Arabic-Indic digits were read as 03.02.2024
        (60, "Excels 29.02.1900 gibt es nicht"),
        (-1, "Seriennummer außerhalb des Kalenders"),
    ],
)
def test_dates_are_read_as_excel_reads_them(wert, grund):
    from pyxl.functions.eingabe import datum

    with pytest.raises(Eingabefehler, match=grund):
        datum(wert, "Eingang", "Regel")


def test_excel_serials_before_march_1900_count_excels_leap_day():
    from pyxl.functions.eingabe import datum

    assert [datum(s, "Eingang", "Regel").isoformat() for s in (1, 59, 61)] == ["1900-01-01", "1900-02-28", "1900-03-01"]


def test_budget_tokens_the_reader_refuses_are_no_silent_zero():
    """'-5-' has the printed shape but is no number: the row is not read as a plan row with a 0 in it."""
    plan = (
        "Teilergebnisplan Produkt 01.111.01 Beispiel\nNr. Bezeichnung Ergebnis 2022 Ansatz 2023\n"
        "01 Steuern und ähnliche Abgaben 100 -5-\n02 + Zuwendungen und allgemeine Umlagen 50 60\n"
    )
    (tabelle,) = lies_text(plan)
    assert 1 not in tabelle.zeilen and tabelle.wert(2, 1) == Decimal(60)


@pytest.mark.parametrize(
    ("text", "erwartet"),
    [
        ("-", None),  # Lensahn (SH) 2024: "-" in "Übertragene Ermächtigungen" where nothing is carried over
        ("  ", None),
        ("–", None),
        ("166.558.460,69-", Decimal("-166558460.69")),  # Münster 2026, TEP PB 01 row 18, trailing minus
        ("184.627.329-", Decimal("-184627329")),  # the same row, Ansatz: whole euros in this column, cents in the other
        ("0,00", Decimal("0.00")),
        ("-564600", Decimal("-564600")),  # Ostbevern 2026, long format
    ],
)
def test_table_cell_amounts_read_by_the_one_reader(text, erwartet):
    assert lies_betrag(text) == erwartet


@pytest.mark.parametrize("text", ["abc", "5-5", "1.2.3", "--"])
def test_table_cell_that_is_no_number_is_an_error_not_empty(text):
    with pytest.raises(Zahlfehler):
        lies_betrag(text)
