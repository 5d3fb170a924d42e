"""The committed filled examples (xlsx_templates/beispiele/): current with the specs, cached values as Excel
would store them, and each typical mistake really in the file."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from pyxl.templates import Fehlerwert, Rolle, formulare
from pyxl.templates.beispiele import BEISPIELE
from pyxl.validators.regeln import gleich_auf_cent

ORDNER = Path(__file__).parents[1] / "xlsx_templates" / "beispiele"
CENT = Decimal("0.01")


def _laden(beispiel):
    datei = ORDNER / beispiel.datei
    return openpyxl.load_workbook(datei), openpyxl.load_workbook(datei, data_only=True)


def test_index_lists_every_example():
    verzeichnis = json.loads((ORDNER / "beispiele.json").read_text("utf-8"))
    assert [e["datei"] for e in verzeichnis] == [b.datei for b in BEISPIELE]
    assert all((ORDNER / b.datei).exists() for b in BEISPIELE)
    assert {b.kennung for b in BEISPIELE} == set(formulare())


@pytest.mark.parametrize("beispiel", BEISPIELE, ids=lambda b: b.datei)
def test_example_holds_its_inputs_and_mistakes(beispiel):
    formular = formulare()[beispiel.kennung]
    formeln, _ = _laden(beispiel)
    for schluessel, wert in beispiel.eingaben.items():
        feld = formular.feld(schluessel)
        gefunden = formeln[feld.blatt][feld.zelle].value
        if isinstance(wert, int | float | Decimal):
            assert Decimal(str(gefunden)) == Decimal(str(wert)), schluessel
        elif isinstance(wert, datetime.date):  # a date cell reads back as a datetime at midnight
            assert gefunden.date() == wert, schluessel
        else:
            assert gefunden == wert, schluessel
    for schluessel in beispiel.ueberschreiben:
        feld = formular.feld(schluessel)
        assert formeln[feld.blatt][feld.zelle].value != feld.formel, f"{schluessel}: Fehler fehlt im Beispiel"


@pytest.mark.parametrize("beispiel", [b for b in BEISPIELE if not b.fehler], ids=lambda b: b.datei)
def test_correct_example_cached_values_equal_python(beispiel):
    formular = formulare()[beispiel.kennung]
    formeln, werte = _laden(beispiel)
    for feld in formular.felder_mit(Rolle.FORMEL):
        assert formeln[feld.blatt][feld.zelle].value == feld.formel, feld.schluessel
    for schluessel, soll in formular.nachrechnen(beispiel.eingaben).werte.items():
        feld = formular.feld(schluessel)
        ist = werte[feld.blatt][feld.zelle].value
        assert not isinstance(soll, Fehlerwert), schluessel
        assert gleich_auf_cent(soll, ist), (schluessel, soll, ist)


def test_abwasser_example_is_the_worked_case():
    """RZWAS-3B_richtig = the README/demo case: KP 1.094.900,00 + 306.250,00 + 73.519,68 = 1.474.669,68; +10 %
    Zuschlag 147.466,97; zwf. Kosten 1.622.136,65 (Anl. 2b Nr. 2.5, 2.7, 2.2, 2.11)."""
    formular = formulare()["RZWAS-3B"]
    _, werte = _laden(BEISPIELE[0])
    summe = formular.feld("summe.zwf")
    assert werte[summe.blatt][summe.zelle].value == pytest.approx(1622136.65, abs=0.001)
