"""Second round of hostile files (issue 11): what Excel opens is what pyxl checks.

Every file is built here, on the spot, from the correct RZWAS-3B example; each test runs the check as in
production (a worker process with the memory cap of grenzen.py) under a 10-s guard against hangs, and asserts the
exact findings and the exit code.
"""

from __future__ import annotations

import os
import random
import re
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest

from pyxl.validators.befund import Schwere, Status, exit_code
from pyxl.validators.grenzen import Grenzen
from pyxl.validators.pruefen import pruefe_dateien
from tests import feindlich

SCHNELL = 10.0  # seconds: a guard against hangs, not a performance target (those live in bench/)
SUMME = "H51"  # "zuwendungsfähige Kosten insgesamt" of Anlage 3b: what a manipulator would raise


def pruefe(pfad: Path, grenzen: Grenzen | None = None, markieren: Path | None = None):
    start = time.monotonic()
    bericht = next(pruefe_dateien([pfad], grenzen=grenzen, markieren=markieren))
    assert time.monotonic() - start < SCHNELL
    return bericht


def befunde(bericht) -> list[tuple[str, str | None]]:
    return [(b.regel, b.zelle) for b in bericht.befunde]


# -- 1. the main part, sheets and shared strings are found by relationship, as Excel finds them


def test_main_part_named_by_the_package_relationships_is_checked(tmp_path):
    """_rels/.rels names xl/main.xml; its first sheet has the total overwritten. Today's reader took the clean
    xl/workbook.xml and said 0 findings; now the manipulated value is found, and the leftovers are reported."""
    datei = feindlich.anderer_hauptteil(tmp_path / "haupt.xlsx", SUMME, "9999999")
    bericht = pruefe(datei)
    assert befunde(bericht) == [("nicht_verbundene_teile", None), ("formel_ueberschrieben", SUMME)]
    assert bericht.befunde[0].gefunden == "xl/_rels/workbook.xml.rels, xl/workbook.xml, xl/worksheets/sheet1.xml"
    assert bericht.befunde[1].gefunden == "9.999.999,00" and exit_code([bericht]) == 1


@pytest.mark.langsam
def test_libreoffice_shows_the_manipulated_value_pyxl_reports(tmp_path):
    """The proof that the main part of the relationships is the one an office program opens."""
    from pyxl.templates.libreoffice import neu_berechnen

    datei = feindlich.anderer_hauptteil(tmp_path / "haupt.xlsx", SUMME, "9999999")
    gespeichert = neu_berechnen([datei], tmp_path / "lo")[0]
    blatt = openpyxl.load_workbook(gespeichert, data_only=True)["Anlage 3b"]
    assert blatt[SUMME].value == 9999999


def test_parts_under_other_names_connected_by_relationships_are_a_correct_workbook(tmp_path):
    """Relationships, not fixed names, say where the parts are: a clean file laid out differently passes."""
    mappe_bezuege = (
        feindlich.teil("xl/_rels/workbook.xml.rels")
        .replace(b'Target="sharedStrings.xml"', b'Target="/texte/t.xml"')
        .replace(b'Target="styles.xml"', b'Target="../stile.xml"')
    )
    paket = feindlich.teil("_rels/.rels").replace(b'Target="xl/workbook.xml"', b'Target="/xl/mappe.xml"')
    typen = feindlich.teil("[Content_Types].xml").replace(b'PartName="/xl/workbook.xml"', b'PartName="/xl/mappe.xml"')
    datei = feindlich.umbauen(
        tmp_path / "anders.xlsx",
        ersetzen={"_rels/.rels": paket, "[Content_Types].xml": typen},
        hinzu={
            "xl/mappe.xml": feindlich.teil("xl/workbook.xml"),
            "xl/_rels/mappe.xml.rels": mappe_bezuege,
            "texte/t.xml": feindlich.teil("xl/sharedStrings.xml"),
            "stile.xml": feindlich.teil("xl/styles.xml"),
        },
        verbinden=False,
        weglassen=("xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/sharedStrings.xml", "xl/styles.xml"),
    )
    bericht = pruefe(datei)
    assert bericht.status is Status.GEPRUEFT and bericht.formular == "RZWAS-3B" and befunde(bericht) == []


def test_two_main_parts_in_the_relationships_are_refused(tmp_path):
    zweiter = (
        b'<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        b'officeDocument" Target="xl/main.xml"/></Relationships>'
    )
    paket = feindlich.teil("_rels/.rels").replace(b"</Relationships>", zweiter)
    hinzu = {"xl/main.xml": feindlich.teil("xl/workbook.xml")}
    datei = feindlich.umbauen(tmp_path / "zwei.xlsx", ersetzen={"_rels/.rels": paket}, hinzu=hinzu)
    bericht = pruefe(datei)
    assert befunde(bericht) == [("mehrdeutig", None)] and exit_code([bericht]) == 2
    assert "mehrere" in bericht.befunde[0].meldung


def test_main_part_by_content_type_and_by_relationship_must_agree(tmp_path):
    """openpyxl takes the workbook from [Content_Types].xml, Excel from _rels/.rels: they must name one part."""
    typen = feindlich.teil("[Content_Types].xml").replace(
        b"</Types>", f'<Override PartName="/xl/main.xml" ContentType="{feindlich.HAUPTTEIL_TYP}"/></Types>'.encode()
    )
    datei = feindlich.umbauen(
        tmp_path / "typen.xlsx",
        ersetzen={"[Content_Types].xml": typen},
        hinzu={"xl/main.xml": feindlich.teil("xl/workbook.xml")},
    )
    bericht = pruefe(datei)
    assert befunde(bericht) == [("mehrdeutig", None)] and exit_code([bericht]) == 2


def test_a_part_no_relationship_reaches_is_an_error(tmp_path):
    datei = feindlich.umbauen(
        tmp_path / "los.xlsx", hinzu={"xl/worksheets/sheet9.xml": feindlich.teil("xl/worksheets/sheet1.xml")},
        verbinden=False,
    )  # fmt: skip
    bericht = pruefe(datei)
    assert befunde(bericht) == [("nicht_verbundene_teile", None)] and exit_code([bericht]) == 1
    assert bericht.befunde[0].schwere is Schwere.FEHLER and bericht.befunde[0].gefunden == "xl/worksheets/sheet9.xml"


def test_part_names_differing_only_in_case_are_one_part_twice(tmp_path):
    datei = feindlich.umbauen(tmp_path / "gross.xlsx", hinzu={"XL/Workbook.xml": feindlich.teil("xl/workbook.xml")})
    assert befunde(pruefe(datei)) == [("beschaedigt", None)]


def test_excel4_macro_sheet_is_reported(tmp_path):
    bezuege = feindlich.teil("xl/_rels/workbook.xml.rels").replace(
        b'relationships/worksheet" Target="worksheets/sheet2.xml"',
        b'relationships/xlMacrosheet" Target="worksheets/sheet2.xml"',
    )
    bericht = pruefe(feindlich.umbauen(tmp_path / "xlm.xlsx", ersetzen={"xl/_rels/workbook.xml.rels": bezuege}))
    assert ("makros", None) in befunde(bericht) and exit_code([bericht]) == 1


# -- 2. row anchors cannot lead the check to a clean shadow copy


@pytest.mark.parametrize("verstecken", [True, False], ids=["kopie_versteckt", "kopie_sichtbar"])
def test_anchors_moved_to_a_shadow_copy_check_the_visible_form(tmp_path, verstecken):
    """All rows copied 500 rows down, the anchors moved there, the visible total overwritten: passed with exit 0
    before. Now the visible rows are checked (the overwritten total is found), the anchors and the copy reported."""
    datei = feindlich.schattenkopie(tmp_path / "schatten.xlsx", SUMME, "9999999", verstecken=verstecken)
    bericht = pruefe(datei)
    assert befunde(bericht) == [
        ("zeilenanker_verschoben", "A1"),
        ("vordruck_doppelt", "A501"),
        ("formel_ueberschrieben", SUMME),
    ]
    assert "48 Zeilenanker" in bericht.befunde[0].meldung and bericht.befunde[0].gefunden == "Zeile 501"
    assert exit_code([bericht]) == 1


def test_a_hidden_second_copy_is_an_error_even_with_honest_anchors(tmp_path):
    datei = feindlich.schattenkopie(tmp_path / "kopie.xlsx", None, anker_verschieben=False)
    assert befunde(pruefe(datei)) == [("vordruck_doppelt", "A501")]


def test_anchor_on_another_sheet_is_manipulation(tmp_path):
    mappe = feindlich.teil("xl/workbook.xml").replace(
        b">&apos;Anlage 3b&apos;!$A$18<", b">&apos;Parameter&apos;!$A$18<"
    )
    bericht = pruefe(feindlich.umbauen(tmp_path / "blatt.xlsx", ersetzen={"xl/workbook.xml": mappe}))
    assert befunde(bericht) == [("zeilenanker_manipuliert", "A18")]


def test_anchors_out_of_the_forms_order_are_manipulation(tmp_path):
    mappe = feindlich.teil("xl/workbook.xml")
    mappe = mappe.replace(b"!$A$18<", b"!$A$XX<").replace(b"!$A$19<", b"!$A$18<").replace(b"!$A$XX<", b"!$A$19<")
    bericht = pruefe(feindlich.umbauen(tmp_path / "folge.xlsx", ersetzen={"xl/workbook.xml": mappe}))
    assert [b.regel for b in bericht.befunde][:1] == ["zeilenanker_manipuliert"] and exit_code([bericht]) == 1


def test_a_hidden_form_row_is_an_error(tmp_path):
    blatt = feindlich.teil("xl/worksheets/sheet1.xml")
    blatt = re.sub(rb'(<row r="18"[^>]*?)hidden="false"', rb'\1hidden="true"', blatt)
    bericht = pruefe(feindlich.umbauen(tmp_path / "versteckt.xlsx", ersetzen={"xl/worksheets/sheet1.xml": blatt}))
    assert befunde(bericht) == [("zeile_ausgeblendet", "A18")]


# -- 5. numbers are read as Excel reads them


@pytest.mark.parametrize(
    ("roh", "regel", "gefunden"),
    [
        ("1_250", "zahl_ungueltig", "1_250"),  # Python's int() reads 1250
        ("１２５０", "zahl_ungueltig", "１２５０"),  # fullwidth digits: int() reads 1250
        (" 1250", "zahl_ungueltig", " 1250"),
        ("inf", "zahl_ungueltig", "inf"),
        ("1e26", "zahl_zu_gross", "1e+26"),  # beyond the cent rounding of Decimal's 28 digits
        ("1e308", "zahl_zu_gross", "1e+308"),
        ("1e400", "zahl_zu_gross", "unendlich"),  # valid xsd:double, overflows to infinity
    ],
)
def test_stored_numbers_follow_the_ooxml_grammar(tmp_path, roh, regel, gefunden):
    """E18 (Menge of a Freispiegelleitung) as stored; the file stays checkable and the finding names the cell.
    G18/H18 keep the results of the clean 1.250, so they differ from the recomputation of an empty Menge."""
    bericht = pruefe(feindlich.zahl_in_zelle(tmp_path / "zahl.xlsx", "E18", roh))
    assert bericht.status is Status.GEPRUEFT
    assert befunde(bericht) == [(regel, "E18"), ("ergebnis_abweichend", "G18"), ("ergebnis_abweichend", "H18")]
    assert bericht.befunde[0].gefunden == gefunden and bericht.befunde[0].schwere is Schwere.FEHLER


def test_a_huge_cached_result_is_a_finding_at_its_cell(tmp_path):
    blatt = feindlich.teil("xl/worksheets/sheet1.xml")
    blatt = re.sub(rb'(<c r="H51"[^>]*>.*?<v>)[^<]*(</v>)', rb"\g<1>1e300\g<2>", blatt, count=1, flags=re.S)
    bericht = pruefe(feindlich.umbauen(tmp_path / "riesig.xlsx", ersetzen={"xl/worksheets/sheet1.xml": blatt}))
    assert befunde(bericht) == [("ergebnis_abweichend", SUMME)] and bericht.befunde[0].gefunden == "1e+300"


# -- 7. the cost of a check is counted before the expensive work


def _mit_blaettern(ziel: Path, anzahl: int) -> Path:
    eintraege = b"".join(b'<sheet name="B%d" sheetId="%d" r:id="rId2"/>' % (i, i + 10) for i in range(anzahl))
    mappe = feindlich.teil("xl/workbook.xml").replace(b"</sheets>", eintraege + b"</sheets>", 1)
    return feindlich.umbauen(ziel, ersetzen={"xl/workbook.xml": mappe})


def test_ten_thousand_sheets_on_one_part_are_refused_at_once(tmp_path):
    datei = _mit_blaettern(tmp_path / "blaetter.xlsx", 10_000)
    assert datei.stat().st_size < 100_000
    bericht = pruefe(datei)
    assert befunde(bericht) == [("aufwandsgrenze", None)] and "Tabellenblätter (10.002 > 255)" in (
        bericht.befunde[0].meldung
    )


def test_two_sheets_sharing_one_part_are_damage(tmp_path):
    bericht = pruefe(_mit_blaettern(tmp_path / "zwei.xlsx", 1))
    assert befunde(bericht) == [("beschaedigt", None)] and "teilt seinen Inhalt" in bericht.befunde[0].meldung


def test_too_many_shared_strings_are_refused_before_parsing(tmp_path):
    texte = b"".join(b"<si><t>%d</t></si>" % i for i in range(600_000))
    sst = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' + texte + b"</sst>"
    bericht = pruefe(feindlich.umbauen(tmp_path / "texte.xlsx", ersetzen={"xl/sharedStrings.xml": sst}))
    assert befunde(bericht) == [("aufwandsgrenze", None)] and "geteilte Texte (600.000 > 500.000)" in (
        bericht.befunde[0].meldung
    )


def _mit_stilen(ziel: Path, anzahl: int) -> Path:
    """``anzahl`` extra cell formats, varied so the part does not compress like a ZIP bomb."""
    zufall = random.Random(11)
    stile = feindlich.teil("xl/styles.xml")
    zusatz = b"".join(
        b'<xf numFmtId="%d" fontId="0" fillId="0" borderId="0" xfId="0"/>' % zufall.randrange(10**9)
        for _ in range(anzahl)
    )
    stile = re.sub(rb"(<cellXfs[^>]*>)", lambda t: t.group(1) + zusatz, stile, count=1)
    return feindlich.umbauen(ziel, ersetzen={"xl/styles.xml": stile})


def test_a_million_cell_formats_refused_alike_with_and_without_annotated_copy(tmp_path):
    datei = _mit_stilen(tmp_path / "stile.xlsx", 1_000_000)
    ohne = pruefe(datei)
    mit = pruefe(datei, markieren=tmp_path / "aus")
    assert befunde(ohne) == befunde(mit) == [("aufwandsgrenze", None)]
    assert ohne.status is mit.status is Status.NICHT_PRUEFBAR


def test_annotated_copy_too_costly_adds_a_note_and_never_changes_the_verdict(tmp_path):
    datei = _mit_stilen(tmp_path / "stile.xlsx", 20_000)
    ohne = pruefe(datei)
    mit = pruefe(datei, markieren=tmp_path / "aus")
    assert befunde(ohne) == [] and befunde(mit) == [("keine_markierte_kopie", None)]
    assert mit.befunde[0].schwere is Schwere.HINWEIS and "zu viele Zellformate" in mit.befunde[0].meldung
    assert exit_code([ohne]) == exit_code([mit]) == 0


def test_cell_count_over_the_limit_is_refused(tmp_path):
    bericht = pruefe(feindlich.VORLAGE, Grenzen(zellen=100))
    assert befunde(bericht) == [("aufwandsgrenze", None)] and "zu viele Zellen" in bericht.befunde[0].meldung


# -- 9. smaller faults of the gate


def test_dtd_in_a_utf16_part_no_step_parses(tmp_path):
    app = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY a "b">]><Properties/>'
    datei = feindlich.umbauen(tmp_path / "utf16.xlsx", ersetzen={"docProps/app.xml": app.encode("utf-16")})
    assert befunde(pruefe(datei)) == [("xml_entitaeten", None)]


@pytest.mark.parametrize("art", ["fifo", "geraet"])
def test_fifo_or_device_is_refused_at_once(tmp_path, art):
    if art == "fifo":
        pfad = tmp_path / "antrag.xlsx"
        os.mkfifo(pfad)  # no writer: a blocking open would hang for ever
    else:
        pfad = Path("/dev/zero")
    bericht = pruefe(pfad)
    assert befunde(bericht) == [("keine_regulaere_datei", None)] and exit_code([bericht]) == 2
    assert bericht.befunde[0].meldung.startswith("Keine reguläre Datei")


def test_fifo_refused_by_the_budget_check_too(tmp_path):
    from pyxl.haushalt.datei import pruefe_haushaltsdatei

    pfad = tmp_path / "haushalt.txt"
    os.mkfifo(pfad)
    start = time.monotonic()
    bericht = next(pruefe_dateien([pfad], pruefung=pruefe_haushaltsdatei))
    assert time.monotonic() - start < SCHNELL
    assert befunde(bericht) == [("keine_regulaere_datei", None)]


def test_the_annotated_copy_is_made_from_the_checked_bytes(tmp_path, monkeypatch):
    """Swapping the file on disk after it was read must not give a marked copy of an unchecked file."""
    from pyxl.validators import pruefen, tor

    datei = tmp_path / "antrag.xlsx"
    datei.write_bytes(feindlich.VORLAGE.read_bytes())
    lies = tor.lies_datei

    def lies_und_tausche(pfad, grenzen):
        daten = lies(pfad, grenzen)
        Path(pfad).write_bytes(b"ausgetauscht")  # the attacker's swap, right after the read
        return daten

    monkeypatch.setattr(pruefen, "lies_datei", lies_und_tausche)
    bericht = pruefen.pruefe_datei(datei, markieren=tmp_path / "aus")
    assert bericht.status is Status.GEPRUEFT
    kopien = list((tmp_path / "aus").glob("*.xlsx"))
    assert len(kopien) == 1 and "Prüfbericht" in openpyxl.load_workbook(kopien[0]).sheetnames
    with zipfile.ZipFile(kopien[0]) as archiv:
        assert "xl/workbook.xml" in archiv.namelist()


# -- review of this round: what the official sees (formats, names, columns, look-alike sheets, doubled cells)


@pytest.mark.parametrize(
    ("adresse", "format_code", "grund"),
    [
        (SUMME, '"1.824.261,65 €"', "schreibt Ziffern als Text"),  # a made-up total as literal text
        ("E18", '[=1250]"2000";General', "wählt die Anzeige nach einer Bedingung"),
        ("E18", "[=1250]0;General", "wählt die Anzeige nach einer Bedingung"),
        (SUMME, ";;;", "blendet Zahlen aus"),
        (SUMME, "#,##0,", "zeigt die Zahl verkleinert (Tausender-Skalierung)"),
        (SUMME, "0.00%", "zeigt die Zahl als Prozent (× 100)"),
    ],
)
def test_a_number_format_that_shows_another_value_is_an_error(tmp_path, adresse, format_code, grund):
    bericht = pruefe(feindlich.mit_zahlenformat(tmp_path / "format.xlsx", adresse, format_code))
    assert befunde(bericht) == [("zahlenformat_verfaelscht", adresse)] and exit_code([bericht]) == 1
    assert bericht.befunde[0].meldung.startswith(f"Das Zahlenformat der Zelle {grund}")
    assert bericht.befunde[0].gefunden == format_code


@pytest.mark.parametrize("format_code", ['#,##0.00\\ "€"', "#,##0.00 [$€-407];[Red]-#,##0.00 [$€-407]", "0.00E+00"])
def test_harmless_number_formats_pass(tmp_path, format_code):
    """Rounding, a currency sign, a colour for negatives, scientific notation: the stored number is shown."""
    assert befunde(pruefe(feindlich.mit_zahlenformat(tmp_path / "format.xlsx", SUMME, format_code))) == []


def test_a_parameter_name_pointed_at_another_cell(tmp_path):
    """P_IZ2B_satz (Ingenieur-Zuschlag, 2 weitere Büros) read from Parameter!Z35 = 25: LibreOffice then shows a
    total of 1.843.337,10 instead of 1.622.136,65, while every formula's text is unchanged."""
    datei = feindlich.name_umgeleitet(tmp_path / "name.xlsx", "P_IZ2B_satz", "Parameter!$Z$35")
    bericht = pruefe(datei)
    assert befunde(bericht) == [("name_geaendert", None), ("zahl_neben_dem_vordruck", "Z35")]
    assert (bericht.befunde[0].erwartet, bericht.befunde[0].gefunden) == ("'Parameter'!$B$35", "Parameter!$Z$35")


def test_a_sheet_scoped_name_shadowing_a_form_name(tmp_path):
    datei = feindlich.name_umgeleitet(tmp_path / "lokal.xlsx", "P_IZ2B_satz", "Parameter!$Z$35", lokal=True)
    assert befunde(pruefe(datei)) == [("name_verdeckt", None), ("zahl_neben_dem_vordruck", "Z35")]


def test_hidden_column_with_a_made_up_total_beside_it(tmp_path):
    """Column H (the amounts) hidden, a made-up total in I51: the official sees only I51."""
    datei = feindlich.spalte_versteckt(tmp_path / "spalte.xlsx", 8)
    blatt = feindlich.zelle_dazu(
        feindlich.teil("xl/worksheets/sheet1.xml", datei), "I51", b'<c r="I51"><v>1824261.65</v></c>'
    )
    datei = feindlich.umbauen(tmp_path / "spalte2.xlsx", quelle=datei, ersetzen={"xl/worksheets/sheet1.xml": blatt})
    assert befunde(pruefe(datei)) == [("spalte_ausgeblendet", "H1"), ("zahl_neben_dem_vordruck", "I51")]


def test_a_look_alike_copy_as_first_tab(tmp_path):
    """ "Аnlage 3b" (Cyrillic А) first, its labels with an invisible U+200B: a second copy all the same."""
    bericht = pruefe(feindlich.verwechselbare_kopie(tmp_path / "kopie.xlsx"))
    assert befunde(bericht) == [("vordruck_doppelt", "A1"), ("blatt_verwechselbar", None)]
    assert bericht.befunde[0].blatt == "\u0410nlage 3b" and exit_code([bericht]) == 1


def test_a_doubled_cell_is_damage(tmp_path):
    """Two <c r="H51">: LibreOffice shows the last one, Excel repairs the file; no reader may choose silently."""
    blatt = feindlich.teil("xl/worksheets/sheet1.xml")
    blatt = feindlich.zelle_dazu(blatt, "H51", b'<c r="H51"><v>1824261.65</v></c>')
    bericht = pruefe(feindlich.umbauen(tmp_path / "doppelt.xlsx", ersetzen={"xl/worksheets/sheet1.xml": blatt}))
    assert befunde(bericht) == [("beschaedigt", None)] and "doppelt vorhanden" in bericht.befunde[0].meldung


@pytest.mark.parametrize(
    "zellen",
    [
        b'<row r="60"><c r="H60"><f t="shared" ref="H60:H61" si="9">A1</f><v>0</v></c></row>'
        b'<row r="59"><c r="H59"><f t="shared" si="9"/><v>0</v></c></row>',  # moved off the grid: openpyxl raised
        b'<row r="60"><c r="H60"><f t="shared" si="9">A1</f><v>0</v></c></row>',  # master without its range
    ],
    ids=["ausserhalb", "ohne_bereich"],
)
def test_broken_shared_formulas_are_damage(tmp_path, zellen):
    blatt = feindlich.teil("xl/worksheets/sheet1.xml").replace(b"</sheetData>", zellen + b"</sheetData>", 1)
    bericht = pruefe(feindlich.umbauen(tmp_path / "geteilt.xlsx", ersetzen={"xl/worksheets/sheet1.xml": blatt}))
    assert befunde(bericht) == [("beschaedigt", None)]


def test_a_row_too_low_to_read_counts_as_hidden(tmp_path):
    blatt = feindlich.teil("xl/worksheets/sheet1.xml")
    blatt = re.sub(rb'(<row r="18"[^>]*?)ht="[^"]*"', rb'\1ht="0.1"', blatt, count=1)
    bericht = pruefe(feindlich.umbauen(tmp_path / "flach.xlsx", ersetzen={"xl/worksheets/sheet1.xml": blatt}))
    assert befunde(bericht) == [("zeile_ausgeblendet", "A18")]
