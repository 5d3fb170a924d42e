"""Issue 15, points 3 and 4: the record of the check (Prüfvermerk) in every report, formulas as German Excel shows
them (the JSON keeps the stored English form), an HTML report that prints on A4, and a sheet "Prüfbericht" that
prints landscape on one page width."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
from html import unescape
from pathlib import Path

import openpyxl
import pytest

from pyxl.validators.ausgabe.formel import deutsche_formel, namen
from pyxl.validators.ausgabe.vermerk import groesse, zeitpunkt
from tests.befehl import WURZEL, pyxl

BEISPIELE = WURZEL / "xlsx_templates" / "beispiele"
UEBERSCHRIEBEN = BEISPIELE / "RZWAS-3B_fehler_formel_ueberschrieben.xlsx"
# Anlage 3b!H36 of the template, written out by hand as German Excel shows it
H36_DEUTSCH = '=WENN(E36="";"";WENN(NICHT(UND(ISTZAHL(E36);E36>0;E36=GANZZAHL(E36)));NV();RUNDEN(G36*E36;2)))'
H36_ENGLISCH = '=IF(E36="","",IF(NOT(AND(ISNUMBER(E36),E36>0,E36=INT(E36))),NA(),ROUND(G36*E36,2)))'


@pytest.mark.parametrize(
    ("englisch", "deutsch"),
    [
        (H36_ENGLISCH, H36_DEUTSCH),
        ("=SUM(H16:H44)", "=SUMME(H16:H44)"),
        ('=IF(A1="a, b",1,2)', '=WENN(A1="a, b";1;2)'),  # a comma in a string stays
        ('=IF(A1="say ""IF(x,y)""",0.5,1E-3)', '=WENN(A1="say ""IF(x,y)""";0,5;1E-3)'),
        ("=SUM('Anlage 3b'!H16,'It''s, SUM'!A1)", "=SUMME('Anlage 3b'!H16;'It''s, SUM'!A1)"),
        ("=ROUND(MIN(P_KA_max,P_KA_a*E18^P_KA_exp),2)", "=RUNDEN(MIN(P_KA_max;P_KA_a*E18^P_KA_exp);2)"),
        ("=IF(TRUE,FALSE,TRUE())", "=WENN(WAHR;FALSCH;WAHR())"),
        ("=$H$16*1.5+N(E12)+2.5E+3", "=$H$16*1,5+N(E12)+2,5E+3"),
        ("=ROUNDDOWN(SQRT(A1/PI()),0)+ROUNDUP(0.25,1)", "=ABRUNDEN(WURZEL(A1/PI());0)+AUFRUNDEN(0,25;1)"),
        ("=IFERROR(INDEX(A:A,MATCH(B1,C:C,0)),COUNTIF(D1:D9,\">0.5\"))",
         '=WENNFEHLER(INDEX(A:A;VERGLEICH(B1;C:C;0));ZÄHLENWENN(D1:D9;">0.5"))'),
        ("=_xlfn.IFNA(A1,0)", "=WENNNV(A1;0)"),
        ("=SUMIF(TRUE!A1:A3,\"x\",B1:B3)", '=SUMMEWENN(TRUE!A1:A3;"x";B1:B3)'),  # a sheet called TRUE stays
    ],
)  # fmt: skip
def test_formulas_read_as_german_excel_shows_them(englisch, deutsch):
    assert deutsche_formel(englisch) == deutsch


def test_the_name_table_covers_every_function_of_the_templates_and_examples():
    funktionen, _ = namen()
    benutzt = set()
    for datei in [*WURZEL.glob("xlsx_templates/*.xlsx"), *BEISPIELE.glob("*.xlsx")]:
        for ws in openpyxl.load_workbook(datei):
            for zeile in ws.iter_rows():
                for zelle in zeile:
                    if isinstance(zelle.value, str) and zelle.value.startswith("="):
                        benutzt |= set(re.findall(r"([A-Za-z_][A-Za-z0-9_.]*)\(", zelle.value))
    assert benutzt and benutzt <= set(funktionen), sorted(benutzt - set(funktionen))


def test_date_time_and_size_in_german():
    assert zeitpunkt("2026-12-02T06:31:07+00:00") == "02.12.2026, 06:31 Uhr (UTC+00:00)"
    assert zeitpunkt("2026-03-29T14:05:00+02:00") == "29.03.2026, 14:05 Uhr (UTC+02:00)"
    assert zeitpunkt("2026-03-29T14:05:00-03:30") == "29.03.2026, 14:05 Uhr (UTC-03:30)"
    assert groesse(14002) == "14.002 Bytes" and groesse(1) == "1 Byte" and groesse(1234567) == "1.234.567 Bytes"


def _bericht(tmp_path: Path, format_: str, datei: Path = UEBERSCHRIEBEN, markieren: bool = False) -> Path:
    aus = tmp_path / format_
    lauf = pyxl("pruefen", datei, "--format", format_, "--ausgabe", aus, *(["--markieren"] if markieren else []))
    assert lauf.returncode == 1, lauf.stderr
    return aus


def test_text_and_json_record_the_check_and_show_formulas_in_german(tmp_path):
    daten = UEBERSCHRIEBEN.read_bytes()
    sha = hashlib.sha256(daten).hexdigest()
    text = next(_bericht(tmp_path, "text").glob("*.txt")).read_text(encoding="utf-8")
    assert "Prüfvermerk:" in text
    assert re.search(r"Geprüft am: \d\d\.\d\d\.20\d\d, \d\d:\d\d Uhr \(UTC[+-]\d\d:\d\d\)", text)
    assert "Datei: RZWAS-3B_fehler_formel_ueberschrieben.xlsx" in text
    assert f"Größe: {len(daten):,} Bytes".replace(",", ".") in text
    assert f"SHA-256: {sha}" in text and "Formular und Version: RZWAS-3B, Version 2005.1" in text
    assert f"erwartet: {H36_DEUTSCH}" in text and "=IF(" not in text
    # the JSON keeps the stored English form and the record as data
    befund = json.loads(next(_bericht(tmp_path, "json").glob("*.json")).read_text(encoding="utf-8"))
    assert befund["sha256"] == sha and befund["size"] == len(daten)
    assert befund["findings"][0]["expected"] == H36_ENGLISCH


def test_html_records_the_check_prints_on_a4_and_never_breaks_numbers(tmp_path):
    daten = UEBERSCHRIEBEN.read_bytes()
    html = next(_bericht(tmp_path, "html").glob("*.html")).read_text(encoding="utf-8")
    for begriff, wert in [
        ("Datei", "RZWAS-3B_fehler_formel_ueberschrieben.xlsx"),
        ("Größe", f"{len(daten):,} Bytes".replace(",", ".")),
        ("SHA-256", hashlib.sha256(daten).hexdigest()),
        ("Formular und Version", "RZWAS-3B, Version 2005.1"),
    ]:
        assert re.search(rf"<dt>{begriff}</dt><dd[^>]*>{re.escape(wert)}</dd>", html), begriff
    assert re.search(r"<dt>Geprüft am</dt><dd[^>]*>\d\d\.\d\d\.20\d\d, \d\d:\d\d Uhr \(UTC", html)
    assert "@page{size:A4" in html and "thead{display:table-header-group}" in html
    assert "break-" + "all" not in html and "overflow-wrap:anywhere" in html  # split: the repository grep below
    # the formula in German, breakable only after a separator; the cell reference kept on one line
    formel = re.search(r"<code>(=WENN.*?)</code>", html).group(1)
    assert unescape(formel.replace("<wbr>", "")) == H36_DEUTSCH and "=IF(" not in html
    assert '<span class="ref">Anlage 3b!H36</span>' in html
    assert '<code class="zahl">1.100.000,00</code>' in html


def test_no_break_all_anywhere_in_the_repository():
    treffer = subprocess.run(
        ["git", "grep", "-l", "break-" + "all"], cwd=WURZEL, capture_output=True, text=True, check=False
    ).stdout
    assert treffer == ""


def _kopie(tmp_path: Path, datei: Path) -> Path:
    return next(_bericht(tmp_path, "text", datei, markieren=True).glob("*_geprueft.xlsx"))


def test_the_report_sheet_records_the_check_and_prints_landscape_on_one_page_width(tmp_path):
    daten = UEBERSCHRIEBEN.read_bytes()
    ws = openpyxl.load_workbook(_kopie(tmp_path, UEBERSCHRIEBEN))["Prüfbericht"]
    vermerk = {ws.cell(z, 1).value: ws.cell(z, 2).value for z in range(4, 10)}
    assert vermerk["SHA-256"] == hashlib.sha256(daten).hexdigest()
    assert vermerk["Größe"] == f"{len(daten):,} Bytes".replace(",", ".")
    assert vermerk["Datei"] == UEBERSCHRIEBEN.name and vermerk["Formular und Version"] == "RZWAS-3B, Version 2005.1"
    assert re.fullmatch(r"\d\d\.\d\d\.20\d\d, \d\d:\d\d Uhr \(UTC[+-]\d\d:\d\d\)", vermerk["Geprüft am"])
    assert vermerk["Ergebnis"] == "geprüft – 1 Fehler, 0 Warnungen, 0 Hinweise"
    # header row, then the finding: German formula, working link to the cell, header frozen and repeated
    assert [c.value for c in ws[11]][:4] == ["Schwere", "Blatt", "Zelle", "Meldung"]
    befund = [c.value for c in ws[12]]
    assert befund[:3] == ["Fehler", "Anlage 3b", "H36"] and befund[4] == H36_DEUTSCH
    assert ws.cell(12, 3).hyperlink.target == "#'Anlage 3b'!H36"
    assert ws.freeze_panes == "A12" and ws.print_title_rows == "$11:$11"
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9  # A4
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert ws.cell(12, 4).alignment.wrap_text and ws.cell(12, 5).alignment.wrap_text


@pytest.mark.langsam
def test_two_findings_print_on_one_landscape_page(tmp_path):
    """The report sheet of a copy with two errors (and a hint), as LibreOffice prints it: one page, landscape
    (before this change: four portrait pages)."""
    from pyxl.templates.libreoffice import als_pdf

    datei = BEISPIELE / "OEPNV-TR_fehler_segmente_und_schluessel.xlsx"
    wb = openpyxl.load_workbook(_kopie(tmp_path, datei))
    ws = wb["Prüfbericht"]
    assert sum(1 for z in ws.iter_rows(min_row=12) if z[0].value) == 3
    for name in wb.sheetnames[1:]:  # only the report sheet printed
        del wb[name]
    wb.save(tmp_path / "bericht.xlsx")
    (pdf,) = als_pdf([tmp_path / "bericht.xlsx"], tmp_path / "pdf")
    assert shutil.which("pdfinfo"), "pdfinfo fehlt (Debian: poppler-utils)"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages:\s+1$", info, re.M), info
    breite, hoehe = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
    assert breite > hoehe  # landscape


def test_a_changed_formula_shows_both_formulas_in_german_and_json_keeps_them_as_stored(tmp_path):
    datei = BEISPIELE / "RZWAS-3A_fehler_formel_geaendert.xlsx"
    text = next(_bericht(tmp_path, "text", datei).glob("*.txt")).read_text(encoding="utf-8")
    assert "gefunden: =10+N(H41)*1,5" in text and "erwartet: =WENN(ODER(ISTTEXT(H41);N(H41)<0;" in text
    befund = json.loads(next(_bericht(tmp_path, "json", datei).glob("*.json")).read_text(encoding="utf-8"))
    assert befund["findings"][0]["found"] == "=10+N(H41)*1.5"
    assert befund["findings"][0]["expected"].startswith("=IF(OR(ISTEXT(H41),N(H41)<0,")


def test_a_submitted_formula_the_tokenizer_cannot_read_is_shown_as_stored():
    """A found formula comes from the submission (formel_geaendert): unbalanced brackets or quotes, cut at 200
    characters by the report, must never break the report — they are shown as stored."""
    for formel in ("=IF(1,2)" + ")" * 100, "=" + "(" * 200, '="offen', "=SUM(A1," * 40):
        assert deutsche_formel(formel).startswith("=")
    assert deutsche_formel("=IF(1,2))") == "=IF(1,2))"
