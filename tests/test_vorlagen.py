"""The RZWas templates: built from their specs, committed as built, official look, accessible, recognisable."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

import pyxl
from pyxl import parameter
from pyxl.templates import Rolle, formulare
from pyxl.templates.builder import META_FORMULAR, META_HASH, META_PYXL, META_REGELN, META_VERSION, baue, schreibe
from pyxl.templates.rzwas_positionen import positionsarten

VORLAGEN = Path(__file__).parents[1] / "xlsx_templates"
RZWAS = ["RZWAS-3A", "RZWAS-3B", "RZWAS-4"]
KENNUNGEN = [*RZWAS, "NKF-TEP", "NKF-TFP", "OEPNV-TR"]


def _beschreibung(datei: Path) -> dict[str, object]:
    """Everything the issue asks to compare: values, formulas, names, validations, protection, input styles."""
    wb = openpyxl.load_workbook(datei)
    inhalt: dict[str, object] = {
        "namen": {n: d.attr_text for n, d in wb.defined_names.items()},
        "eigenschaften": {p.name: p.value for p in wb.custom_doc_props.props},
        "blaetter": wb.sheetnames,
    }
    for ws in wb.worksheets:
        zellen = {}
        for zeile in ws.iter_rows():
            for zelle in zeile:
                if zelle.value is None and zelle.protection.locked and zelle.fill.fgColor.rgb in (None, "00000000"):
                    continue
                zellen[zelle.coordinate] = (
                    zelle.value, zelle.number_format, zelle.protection.locked, zelle.fill.fgColor.rgb,
                    zelle.border.left.style, zelle.font.b, zelle.font.sz,
                )  # fmt: skip
        inhalt[f"{ws.title}:zellen"] = zellen
        inhalt[f"{ws.title}:pruefungen"] = sorted(
            (str(d.sqref), d.type, d.operator, d.formula1, d.formula2, d.prompt, d.error)
            for d in ws.data_validations.dataValidation
        )  # fmt: skip
        inhalt[f"{ws.title}:schutz"] = (ws.protection.sheet, ws.protection.insertRows, ws.protection.formatColumns)
        inhalt[f"{ws.title}:druck"] = (
            ws.page_setup.paperSize, ws.page_setup.orientation, ws.print_title_rows, ws.oddFooter.left.text,
            ws.oddFooter.center.text, sorted(str(m) for m in ws.merged_cells.ranges),
        )  # fmt: skip
    return inhalt


@pytest.mark.parametrize("kennung", KENNUNGEN)
def test_committed_template_is_the_builders_output(tmp_path, kennung):
    formular = formulare()[kennung]
    neu = schreibe(formular, tmp_path)
    eingecheckt = VORLAGEN / formular.dateiname
    assert eingecheckt.exists(), f"{eingecheckt} fehlt: pyxl vorlagen erzeugen"
    alt, frisch = _beschreibung(eingecheckt), _beschreibung(neu)
    for teil in frisch:
        assert alt.get(teil) == frisch[teil], f"{eingecheckt.name}/{teil} veraltet: pyxl vorlagen erzeugen"


def test_cli_writes_all_templates(tmp_path):
    lauf = subprocess.run([sys.executable, "-m", "pyxl", "vorlagen", "erzeugen", "--ziel", str(tmp_path)],
                          capture_output=True, text=True, timeout=120, check=False)  # fmt: skip
    assert lauf.returncode == 0, lauf.stderr
    assert sorted(p.name for p in tmp_path.glob("*.xlsx")) == sorted(f.dateiname for f in formulare().values())


def test_every_krw_line_of_anlage_2a_2b_has_a_row():
    # Anl. 2a: 2.6 Wasserleitungen, 2.7 Gebäude. Anl. 2b: 2.1, 2.2, 2.3/2.4, 2.5, 2.6 (RB, RÜ, BF), 2.7, 2.8, 2.9.
    r = parameter.rzwas("2005")
    assert {(a.nr, a.kuerzel) for a in positionsarten(r, wasser=True)} == {("2.6", "wl"), ("2.7", "geb")}
    assert {(a.nr, a.kuerzel) for a in positionsarten(r, wasser=False)} == {
        ("2.1", "oe"), ("2.2", "fs"), ("2.3/2.4", "dl"), ("2.5", "pw"), ("2.6", "rb"), ("2.6", "ru"), ("2.6", "bf"),
        ("2.7", "ka"), ("2.8", "sanfs"), ("2.8", "sandl"), ("2.9", "nr"),
    }  # fmt: skip
    spec = formulare()["RZWAS-3B"]
    for teil in ("groesse", "menge", "krw", "kp"):
        assert spec.feld(f"pos.fs.1.{teil}")


@pytest.mark.parametrize("kennung", KENNUNGEN)
def test_metadata_record_identifies_the_form(kennung):
    formular = formulare()[kennung]
    wb = baue(formular)
    eigenschaften = {p.name: p.value for p in wb.custom_doc_props.props}
    assert eigenschaften[META_FORMULAR] == kennung
    assert eigenschaften[META_VERSION] == formular.version in {"2005.1", "2019.1", "2023.1"}
    assert eigenschaften[META_PYXL] == pyxl.__version__  # pyxl's own version, as `pyxl --version` prints it
    regeln = json.loads(eigenschaften[META_REGELN])
    assert regeln and {r["hash"] for r in regeln} == {r.pruefsumme for r in formular.regelwerke}
    assert eigenschaften[META_HASH] == formular.spec_hash and len(formular.spec_hash) == 16


@pytest.mark.parametrize("kennung", RZWAS)
def test_official_look_title_print_setup_footer(kennung):
    formular = formulare()[kennung]
    ws = baue(formular).worksheets[0]
    assert ws["A1"].value == formular.untertitel and re.fullmatch(r"Anlage (3a|3b|4) zu den RZWas 2005", ws["A1"].value)
    assert ws["A2"].value == formular.titel and ws["A2"].font.b
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.print_area
    # a table that runs onto a second page repeats its heading there; 3a's positions end on page 1 (page 2 begins
    # with the KA/KF section, whose own heading a repeated positions heading would mislabel)
    assert bool(ws.print_title_rows) == (kennung != "RZWAS-3A")
    assert kennung in ws.oddFooter.left.text and formular.version in ws.oddFooter.left.text
    assert ws.oddFooter.center.text == "Seite &P von &N"
    assert "amtlicher Vordruck maßgeblich" in ws.oddFooter.right.text


@pytest.mark.parametrize("kennung", KENNUNGEN)
def test_inputs_unlocked_and_marked_without_colour_formulas_locked_sheet_protected(kennung):
    formular = formulare()[kennung]
    wb = baue(formular)
    for feld in formular.felder:
        zelle = wb[feld.blatt][feld.zelle]
        if feld.rolle is Rolle.EINGABE:
            assert not zelle.protection.locked, feld.schluessel
            assert zelle.border.left.style == "dashed", feld.schluessel  # recognisable without colour (BITV)
        else:
            assert zelle.protection.locked, feld.schluessel
    assert all(ws.protection.sheet for ws in wb.worksheets)


@pytest.mark.parametrize("kennung", KENNUNGEN)
def test_every_input_has_a_german_validation(kennung):
    formular = formulare()[kennung]
    wb = baue(formular)
    for feld in formular.felder_mit(Rolle.EINGABE):
        ws = wb[feld.blatt]
        treffer = [d for d in ws.data_validations.dataValidation if feld.zelle in d.sqref]
        assert len(treffer) == 1, feld.schluessel
        pruefung = treffer[0]
        assert pruefung.prompt and ("eintragen" in pruefung.prompt or "(" in pruefung.prompt), feld.schluessel
        if feld.schluessel.startswith("tep.11."):  # NKF: expenses entered negative
            assert (pruefung.type, pruefung.operator, pruefung.formula2) == ("decimal", "between", "0")
        if feld.schluessel.endswith(".menge"):
            assert (pruefung.type, pruefung.formula1) == ("whole", "1")
            assert "ganze Zahl" in pruefung.prompt and "Nicht zulässig" in pruefung.error


def test_lists_for_bauweise_and_verfahren():
    formular = formulare()["RZWAS-3B"]
    assert formular.feld("pos.rb.1.groesse").pruefung.liste == ("massiv", "erdbau")
    assert formular.feld("pos.dl.1.groesse").pruefung.liste == ("herkömmlich", "Rohrvortrieb", "gepflügt", "gefräst")


@pytest.mark.parametrize("kennung", RZWAS)
def test_german_number_formats(kennung):
    formular = formulare()[kennung]
    geldfelder = [f for f in formular.felder if f.schluessel.endswith((".kp", "summe.zwf", "ak.zuwendung"))]
    assert geldfelder and all(f.zahlenformat == '#,##0.00 "€"' for f in geldfelder)


@pytest.mark.parametrize("kennung", RZWAS)
def test_no_merged_cells_inside_data_tables(kennung):
    formular = formulare()[kennung]
    wb = baue(formular)
    ws = wb.worksheets[0]
    tabellen = [b for n, b in formular.bereiche.items() if n in {"RZW_Positionen", "RZW_Investitionen"}]
    assert tabellen
    for bereich in tabellen:
        tabelle = openpyxl.worksheet.cell_range.CellRange(bereich.split("!")[1].replace("$", ""))
        for verbund in ws.merged_cells.ranges:
            assert tabelle.isdisjoint(verbund), f"{verbund} liegt in {bereich}"
    assert ws.title == formular.blaetter[0].name and ws.title.startswith("Anlage")


# Functions both Excel and LibreOffice 7.4 know; LET, XLOOKUP, FILTER and friends are not among them.
ERLAUBT = {"IF", "AND", "OR", "NOT", "ISNUMBER", "ISTEXT", "N", "NA", "INT", "ROUND", "ROUNDUP", "MIN", "MAX", "SUM",
           "INDEX", "COUNTIF", "ROWS", "MATCH", "SQRT", "PI"}  # fmt: skip


@pytest.mark.parametrize("kennung", KENNUNGEN)
def test_formulas_use_only_common_functions_and_defined_names(kennung):
    formular = formulare()[kennung]
    namen = {f.name for f in formular.felder if f.name} | set(formular.bereiche)
    for feld in formular.felder_mit(Rolle.FORMEL):
        ohne_text = re.sub(r'"[^"]*"', "", feld.formel)
        funktionen = set(re.findall(r"([A-Z][A-Z0-9.]*)\(", ohne_text))
        assert funktionen <= ERLAUBT, (feld.schluessel, funktionen - ERLAUBT)
        for name in re.findall(r"\b(P_[A-Za-z0-9_]+|RZW_[A-Za-z0-9_]+)\b", ohne_text):
            assert name in namen, (feld.schluessel, name)


def test_nkf_templates_rows_labels_and_sum_formulas():
    """NKF NRW: TEP rows 01–29 and TFP 01–32 with the Muster's labels; sums as in spec/haushalt.md."""
    tep, tfp = formulare()["NKF-TEP"], formulare()["NKF-TFP"]
    assert tep.feld("tep.10.0").formel == "=SUM(D13:D21)"  # 10 = Σ 01–09
    assert tep.feld("tep.18.0").formel == "=D22+D29"  # 18 = 10 + 17 (expenses printed negative)
    assert tep.feld("tep.29.5").formel == "=SUM(I38:I40)"  # 29 = 26, 27, 28
    assert tfp.feld("tfp.32.3").formel.startswith("=G")  # VE des HHJ column is checked too
    assert len([f for f in tfp.felder if f.schluessel.endswith(".6")]) == 32  # 7 columns
    wb = baue(tep)
    assert wb["Teilergebnisplan"]["C30"].value == "Ordentliches Ergebnis (= Zeilen 10 und 17)"
    assert wb["Teilergebnisplan"]["B23"].value == "-"  # row 11 Personalaufwendungen
