"""The form rules on submissions: the committed examples, inputs, formulas (also after inserted rows),
recognition — and the reports with their renderers and the CLI."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from pyxl.templates import formulare
from pyxl.templates.beispiele import BEISPIELE, ausfuellen
from pyxl.validators.ausgabe.html import seite
from pyxl.validators.ausrichten import Zuordnung, erwartete_formel
from pyxl.validators.befund import Schwere, Status, exit_code
from pyxl.validators.grenzen import Grenzen
from pyxl.validators.lesen import lies_mappe
from pyxl.validators.pruefen import pruefe_datei
from pyxl.validators.regeln import Pruefer
from pyxl.validators.tor import oeffne_container

BEISPIELORDNER = Path(__file__).parents[1] / "xlsx_templates" / "beispiele"


def befunde(bericht, schwere=None):
    return [(b.regel, b.schluessel) for b in bericht.befunde if schwere is None or b.schwere is schwere]


@pytest.mark.parametrize("beispiel", BEISPIELE, ids=lambda b: b.datei)
def test_examples_yield_exactly_their_mistakes(beispiel):
    bericht = pruefe_datei(BEISPIELORDNER / beispiel.datei)
    assert bericht.status is Status.GEPRUEFT and bericht.formular == beispiel.kennung
    assert bericht.version == formulare()[beispiel.kennung].version
    gefunden = {
        f"{b.regel}:{b.schluessel}"
        for b in bericht.befunde
        if b.regel != "ergebnis_abweichend" and b.schwere is not Schwere.HINWEIS
    }
    assert gefunden == set(beispiel.fehler)


def test_overwritten_formula_does_not_cascade():
    """KP of the Kläranlage overwritten: one finding; the sum over the sheet's own values is consistent."""
    bericht = pruefe_datei(BEISPIELORDNER / "RZWAS-3B_fehler_formel_ueberschrieben.xlsx")
    assert befunde(bericht) == [("formel_ueberschrieben", "pos.ka.1.kp")]
    befund = bericht.befunde[0]
    assert (befund.zelle, befund.gefunden) == ("H36", "1.100.000,00")  # issue 12.1: shown like the amount beside it
    assert "richtig wäre 1.094.900,00" in befund.meldung  # 547,45 €/EW × 2.000 EW (Anl. 2b Nr. 2.7, 1.1)
    assert befund.erwartet.startswith("=IF(E36=")


def test_text_number_one_fault_one_finding_at_its_cause():
    """Issue 12.3: the text in D19 is the one fault. Excel's SUM skipped it, so D30 = 5.850.000 is consistent with
    the sheet and not reported again; the finding at D19 says what the text cost (5.850.000 + 2.000.000 read from
    the text = 7.850.000) and is an error, since the form's results leave 2 Mio. € out."""
    bericht = pruefe_datei(BEISPIELORDNER / "RZWAS-4_fehler_text_statt_zahl.xlsx")
    assert befunde(bericht) == [("zahl_als_text", "inv.2.betrag")]
    (text,) = bericht.befunde
    assert (text.schwere, text.zelle, text.erwartet, text.gefunden) == (
        Schwere.FEHLER,
        "D19",
        "2.000.000,00",
        "„2.000.000,00 €“",
    )
    assert "rechnen ohne diesen Wert (z. B. D30: 5.850.000,00 statt 7.850.000,00)" in text.meldung


def test_text_number_in_an_uncalculated_file_stays_a_warning(tmp_path):
    """Without cached results (a file no spreadsheet program has calculated) nothing shows that the results left
    the text out: the finding stays a warning."""
    from pyxl.templates.beispiele import AUSBAUKOSTEN

    datei = _eingereicht(tmp_path, "RZWAS-4", {**AUSBAUKOSTEN, "inv.2.betrag": "2.000.000,00 €"})
    bericht = pruefe_datei(datei)  # written by openpyxl: no cached results, nothing computed without the text
    assert [(b.regel, b.schwere) for b in bericht.befunde if b.regel == "zahl_als_text"] == [
        ("zahl_als_text", Schwere.WARNUNG)
    ]


def _eingereicht(tmp_path: Path, kennung: str, eingaben: dict) -> Path:
    datei = tmp_path / f"{kennung}.xlsx"
    ausfuellen(formulare()[kennung], eingaben).save(datei)
    return datei


def test_input_rules_required_list_range_whole_number(tmp_path):
    datei = _eingereicht(tmp_path, "RZWAS-3B", {
        "antrag.vorhaben": "Kanal", "pos.rb.1.groesse": "beton", "pos.rb.1.menge": 100, "pos.oe.1.groesse": 0,
        "pos.oe.1.menge": 50, "pos.ka.1.menge": "viel", "summe.bueros": 1.5,
    })  # fmt: skip
    bericht = pruefe_datei(datei)
    fehler = set(befunde(bericht, Schwere.FEHLER))
    assert ("pflichtangabe", "antrag.empfaenger") in fehler
    assert ("liste", "pos.rb.1.groesse") in fehler
    assert ("bereich", "pos.oe.1.groesse") in fehler  # Kanallänge must be > 0 (Anl. 2b Nr. 2.1)
    assert ("keine_zahl", "pos.ka.1.menge") in fehler
    assert ("ganzzahl", "summe.bueros") in fehler
    assert ("nicht_berechnet", None) in set(befunde(bericht, Schwere.WARNUNG))  # written by a program, never calculated


def test_changed_parameter_is_an_error(tmp_path):
    formular = formulare()["RZWAS-3B"]
    wb = ausfuellen(formular, {})
    feld = formular.feld("param.P_KA_max")
    wb[feld.blatt][feld.zelle] = 2000  # a cap raised by hand
    wb.save(tmp_path / "p.xlsx")
    assert ("parameter_geaendert", "param.P_KA_max") in befunde(pruefe_datei(tmp_path / "p.xlsx"), Schwere.FEHLER)


def test_inserted_row_moves_formulas_relatively():
    """A row inserted at 20 (inside the positions table): references at and below move, a SUM across grows."""
    zuordnung = Zuordnung({"Anlage 3b": {r: (r + 1 if r >= 20 else r) for r in range(1, 60)}})
    assert erwartete_formel("=SUM(H16:H44)", "Anlage 3b", zuordnung) == "=SUM(H16:H45)"
    assert erwartete_formel('=IF(E36="","",ROUND(G36*E36,2))', "Anlage 3b", zuordnung) == (
        '=IF(E37="","",ROUND(G37*E37,2))'
    )
    assert erwartete_formel("=ROUND(MIN(P_KA_max,P_KA_a*E18^P_KA_exp),2)", "Anlage 3b", zuordnung) == (
        "=ROUND(MIN(P_KA_max,P_KA_a*E18^P_KA_exp),2)"
    )  # names and rows above the insertion stay
    geloescht = Zuordnung({"Anlage 3b": {20: None}})
    assert erwartete_formel("=SUM(H16:H20)", "Anlage 3b", geloescht) is None


def test_submission_with_an_inserted_row_has_no_cascade(tmp_path):
    """Shift the correct example's rows from 20 down, as Excel does on "Zeile einfügen" (cells, formulas, names):
    only a note on the inserted row, nothing else."""
    formular = formulare()["RZWAS-3B"]
    container = oeffne_container((BEISPIELORDNER / "RZWAS-3B_richtig.xlsx").read_bytes(), Grenzen())
    mappe = lies_mappe(container)
    verschieben = Zuordnung({"Anlage 3b": {r: (r + 1 if r >= 20 else r) for r in range(1, 200)}})
    blatt = mappe.blaetter["Anlage 3b"]
    neu = {}
    for adresse, zelle in blatt.zellen.items():
        ziel = verschieben.adresse("Anlage 3b", adresse)
        if zelle.formel:
            zelle.formel = erwartete_formel(zelle.formel, "Anlage 3b", verschieben)
        neu[ziel] = zelle
    neu["B20"] = type(zelle)(None, "eingefügte Zusatzzeile")
    blatt.zellen = neu
    for name, bezug in list(mappe.namen.items()):  # Excel moves every name on the sheet with its row
        if "Anlage 3b" in bezug:
            mappe.namen[name] = re.sub(r"\$(\d+)", lambda t: f"${verschieben.zeile('Anlage 3b', int(t[1]))}", bezug)
    ergebnis = Pruefer(formular, mappe, Grenzen().zellbereich).pruefe()
    assert [(b.regel, b.zelle) for b in ergebnis] == [("zeile_eingefuegt", "A20")]


def test_unknown_workbook_with_best_guess(tmp_path):
    wb = openpyxl.Workbook()
    wb.active["A1"] = "Anlage 3b zu den RZWas 2005"
    wb.active["A2"] = "Ermittlung der zuwendungsfähigen Kosten – Abwasseranlagen"
    wb.save(tmp_path / "eigenbau.xlsx")
    bericht = pruefe_datei(tmp_path / "eigenbau.xlsx")
    assert bericht.status is Status.NICHT_PRUEFBAR and befunde(bericht) == [("unbekanntes_formular", None)]
    assert (
        "ähnlich: Anlage 3b zu den RZWas 2005" in bericht.befunde[0].meldung
        and "(RZWAS-3B)" in bericht.befunde[0].meldung
    )
    assert exit_code([bericht]) == 2


def test_known_form_in_an_unknown_version_reported_clearly(tmp_path):
    quelle = BEISPIELORDNER / "RZWAS-3B_richtig.xlsx"
    with zipfile.ZipFile(quelle) as alt, zipfile.ZipFile(tmp_path / "alt.xlsx", "w") as neu:
        for info in alt.infolist():
            daten = alt.read(info.filename)
            neu.writestr(
                info, daten.replace(b">2005.1<", b">2003.2<") if info.filename == "docProps/custom.xml" else daten
            )
    bericht = pruefe_datei(tmp_path / "alt.xlsx")
    assert befunde(bericht) == [("formularversion", None)]
    assert "Version 2003.2 eingereicht" in bericht.befunde[0].meldung and bericht.status is Status.NICHT_PRUEFBAR


def test_json_report_keys():
    bericht = pruefe_datei(BEISPIELORDNER / "RZWAS-3B_fehler_menge_nicht_ganzzahlig.xlsx")
    daten = bericht.als_json()
    assert {"file", "form", "version", "findings"} <= set(daten)
    befund = daten["findings"][0]
    assert set(befund) >= {"rule", "severity", "sheet", "cell", "message", "expected", "found", "clause"}
    assert (befund["rule"], befund["severity"], befund["cell"], befund["found"]) == (
        "menge_ganzzahlig",
        "error",
        "E18",
        "1.250,5",
    )
    assert befund["clause"] == "RZWas 2005 Anl. 2b Nr. 2"


def test_html_report_is_accessible_and_escaped():
    bericht = pruefe_datei(BEISPIELORDNER / "RZWAS-3B_fehler_formel_ueberschrieben.xlsx")
    bericht.befunde[0] = bericht.befunde[0].model_copy(update={"gefunden": "<script>alert(1)</script>"})
    html = seite([bericht])
    assert html.startswith("<!DOCTYPE html>") and '<html lang="de">' in html
    assert "<caption>" in html and '<th scope="col">Schwere</th>' in html and '<th scope="row">Fehler</th>' in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "http" not in html.split("<body>")[1]  # no outside resources


def test_annotated_copy_never_touches_the_original_and_writes_text_as_text(tmp_path):
    quelle = tmp_path / "eingang.xlsx"
    quelle.write_bytes((BEISPIELORDNER / "RZWAS-3B_fehler_formel_ueberschrieben.xlsx").read_bytes())
    wb = openpyxl.load_workbook(quelle)
    wb["Anlage 3b"]["C8"] = '=HYPERLINK("http://angreifer.invalid","klick")'  # Anschrift "typed" as a formula
    wb.save(quelle)
    vorher = hashlib.sha256(quelle.read_bytes()).hexdigest()
    bericht = pruefe_datei(quelle, markieren=tmp_path / "aus")
    assert hashlib.sha256(quelle.read_bytes()).hexdigest() == vorher
    kopie = openpyxl.load_workbook(tmp_path / "aus" / "eingang_geprueft.xlsx")
    assert kopie.sheetnames[0] == "Prüfbericht"
    zelle = kopie["Anlage 3b"]["H36"]
    assert zelle.comment and "Formel überschrieben" in zelle.comment.text and zelle.fill.fgColor.rgb.endswith("F4CCCC")
    bericht_zeilen = list(kopie["Prüfbericht"].iter_rows(min_row=5, values_only=True))
    assert any(z[2] == "H36" for z in bericht_zeilen)
    for zeile in kopie["Prüfbericht"].iter_rows(min_row=5):
        for zelle in zeile:
            assert zelle.data_type != "f"  # nothing from the submission became a live formula (CWE-1236)
    assert bericht.status is Status.GEPRUEFT


def pyxl(*argumente: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pyxl", *argumente], capture_output=True, text=True, timeout=300,
                          check=False, cwd=cwd)  # fmt: skip


def test_cli_exit_codes_and_formats(tmp_path):
    richtig = str(BEISPIELORDNER / "RZWAS-3B_richtig.xlsx")
    falsch = str(BEISPIELORDNER / "RZWAS-3B_fehler_summe_geaendert.xlsx")
    assert pyxl("pruefen", richtig).returncode == 0
    lauf = pyxl("pruefen", falsch, "--format", "json")
    assert lauf.returncode == 1 and json.loads(lauf.stdout)["findings"][0]["rule"] == "formel_ueberschrieben"
    (tmp_path / "kaputt.xlsx").write_text("kein zip")
    lauf = pyxl("pruefen", richtig, str(tmp_path / "kaputt.xlsx"), "--format", "json")
    assert lauf.returncode == 2 and [b["status"] for b in json.loads(lauf.stdout)] == ["checked", "not_checkable"]
    lauf = pyxl("pruefen", "--format", "pdf", richtig)
    assert lauf.returncode == 2 and "Fehler:" in lauf.stderr


def test_cli_many_files_parallel_with_reports_and_marks(tmp_path):
    dateien = [str(BEISPIELORDNER / b.datei) for b in BEISPIELE]
    lauf = pyxl(
        "pruefen", *dateien, "--jobs", "2", "--format", "html", "--ausgabe", tmp_path, "--markieren", "--ausfuehrlich"
    )
    assert lauf.returncode == 1, lauf.stderr
    assert lauf.stdout.count("<section") == len(BEISPIELE)
    assert len(list(tmp_path.glob("*.pruefbericht.html"))) == len(BEISPIELE)
    assert len(list(tmp_path.glob("*_geprueft.xlsx"))) == len(BEISPIELE)
    assert "Dateien geprüft" in pyxl("pruefen", *dateien).stdout


def test_decimal_tolerance_is_the_cent():
    from pyxl.validators.regeln import gleich_auf_cent as _gleich

    assert _gleich(Decimal("1094900.00"), 1094900.0000000002)
    assert not _gleich(Decimal("1094900.00"), 1094900.01)


@pytest.mark.langsam
def test_two_text_numbers_each_one_finding_with_its_own_consequence(tmp_path):
    """Issue 12.3, review: D19 (left out of the SUM in D30) and D43 (zwf. Kosten, text in a multiplication: D44
    shows #WERT!) — each input is one error naming the result that depends on it; nothing else is reported."""
    from pyxl.templates.beispiele import AUSBAUKOSTEN
    from pyxl.templates.libreoffice import neu_berechnen

    eingaben = {**AUSBAUKOSTEN, "inv.2.betrag": "2.000.000,00 €", "ak.zwf": "1.622.136,65"}
    datei = neu_berechnen([_eingereicht(tmp_path, "RZWAS-4", eingaben)], tmp_path / "lo")[0]
    bericht = pruefe_datei(datei)
    assert [(b.regel, b.zelle, b.schwere) for b in bericht.befunde] == [
        ("zahl_als_text", "D19", Schwere.FEHLER),
        ("zahl_als_text", "D43", Schwere.FEHLER),
    ]
    assert "(z. B. D30: 5.850.000,00 statt 7.850.000,00)" in bericht.befunde[0].meldung
    assert "(z. B. D44: #WERT! statt" in bericht.befunde[1].meldung
