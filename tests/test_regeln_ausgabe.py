"""Every output says what it was computed with (issue 14, points 2, 4, 6): `pyxl fn` with --stand, --erklaeren and
--json; reports in JSON, text, HTML and the Prüfbericht sheet — run as a clerk runs them."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import openpyxl

from pyxl import __version__, parameter
from tests.befehl import WURZEL, pyxl

BEISPIELE = WURZEL / "xlsx_templates" / "beispiele"
TESTAUSGABEN = WURZEL / "tests" / "daten" / "parameter"


def _version() -> str:
    """The version exactly as ``pyxl --version`` prints it."""
    lauf = pyxl("--version")
    assert lauf.returncode == 0
    return lauf.stdout.strip().removeprefix("pyxl ")


def test_fn_json_explained_keeps_its_keys_and_adds_trace_parameters_version_rules():
    # Berichtsstatistik (KRM-Bericht): 29 of 99 = 29,2929… % → one decimal half-up 29,3 %
    lauf = pyxl("fn", "KZ_ANTEIL", "29", "99", "--json", "--erklaeren")
    assert lauf.returncode == 0, lauf.stderr
    daten = json.loads(lauf.stdout)
    assert daten["value"] == "29.3" and daten["function"] == "KZ_ANTEIL" and daten["unit"] == "%"
    assert daten["pyxl_version"] == _version() == __version__
    (regel,) = daten["rules"]
    assert regel["edition"] == "Berichtsstatistik (KRM-Bericht 2020)"
    assert regel["hash"] == parameter.berichtsstatistik().pruefsumme and re.fullmatch(r"[0-9a-f]{64}", regel["hash"])
    assert [s["value"] for s in daten["trace"]] == ["29.29292929292929292929292929", "29.3"]
    assert all(s["clause"] for s in daten["trace"])
    assert daten["parameters"] == [
        {
            "name": "stellen",
            "value": "1",
            "kind": "ganzzahl",  # decimal places: a count, shown without thousands points
            "edition": "Berichtsstatistik (KRM-Bericht 2020)",
            "ref": "Berichtsstatistik (Darstellung wie im KRM-Bericht des Jobcenters Dresden 2020)",
        }
    ]


def test_fn_json_without_explaining_has_no_trace_but_version_and_rules():
    daten = json.loads(pyxl("fn", "KZ_VERAENDERUNG", "100", "80", "--json").stdout)
    assert daten["value"] == "-20.0"  # (80 / 100 − 1) × 100 = −20, one decimal
    assert "trace" not in daten and "parameters" not in daten
    assert daten["pyxl_version"] == __version__ and daten["rules"][0]["hash"]


def test_fn_erklaeren_prints_the_way_in_german():
    lauf = pyxl("fn", "KZ_ANTEIL", "29", "99", "--erklaeren")
    assert lauf.returncode == 0
    zeilen = lauf.stdout.splitlines()
    assert zeilen[0] == "29,3"
    assert "Rechenweg:" in zeilen and "Parameter:" in zeilen
    assert any("Teil / Gesamt × 100 = 29,29292929" in z for z in zeilen)
    assert any(z.startswith("Regeln: Berichtsstatistik (KRM-Bericht 2020) (Prüfsumme ") for z in zeilen)


def test_fn_stand_outside_every_edition_exits_2_naming_the_date():
    for optionen in ((), ("--json",)):
        lauf = pyxl("fn", "KZ_ANTEIL", "29", "99", "--stand", "2004-12-31", *optionen)
        assert lauf.returncode == 2
        assert "31.12.2004" in lauf.stderr and "Berichtsstatistik" in lauf.stderr


def test_fn_stand_german_date_and_nonsense_date():
    assert pyxl("fn", "KZ_ANTEIL", "29", "99", "--stand", "01.03.2009").stdout.strip() == "29,3"
    lauf = pyxl("fn", "KZ_ANTEIL", "29", "99", "--stand", "31.02.2009")
    assert lauf.returncode == 2 and "31.02.2009" in lauf.stderr and "kein Datum" in lauf.stderr


def test_fn_ausgabe_of_a_family_the_function_does_not_use_is_refused():
    lauf = pyxl("fn", "KZ_ANTEIL", "29", "99", "--ausgabe", "rzwas=2005")
    assert lauf.returncode == 2 and "nutzt diese Regeln nicht" in lauf.stderr


def test_report_of_a_form_names_version_edition_and_hash_everywhere(tmp_path):
    beispiel = BEISPIELE / "NKF-TEP_richtig.xlsx"
    nrw = parameter.nkf("nrw")
    daten = json.loads(pyxl("pruefen", "--format", "json", beispiel).stdout)
    bericht = daten[0] if isinstance(daten, list) else daten
    assert bericht["pyxl_version"] == _version()
    assert [(r["edition"], r["hash"]) for r in bericht["rules"]] == [(nrw.ausgabe.name, nrw.pruefsumme)]
    fusszeile = f"Regeln: {nrw.ausgabe.name} (Prüfsumme {nrw.pruefsumme[:12]}) · pyxl {__version__}"
    assert fusszeile in pyxl("pruefen", beispiel).stdout
    assert "Geprüft mit" in pyxl("pruefen", "--format", "html", beispiel).stdout
    fehlerhaft = BEISPIELE / "NKF-TEP_fehler_summe_geaendert.xlsx"
    pyxl("pruefen", "--markieren", "--ausgabe", tmp_path, fehlerhaft)
    (kopie,) = Path(tmp_path).glob("*_geprueft.xlsx")
    assert openpyxl.load_workbook(kopie)["Prüfbericht"]["A3"].value == fusszeile


def test_budget_report_names_the_state_schemes_it_recognised_with():
    datei = next((WURZEL / "tests" / "daten" / "haushalt_echt").rglob("*.csv"))
    bericht = json.loads(pyxl("haushalt", "pruefen", "--format", "json", datei).stdout)
    bericht = bericht[0] if isinstance(bericht, list) else bericht
    laender = {parameter.nkf(land).ausgabe.name for land in parameter.nkf_laender()}
    assert {r["edition"] for r in bericht["rules"]} == laender
    assert bericht["pyxl_version"] == __version__


def test_decimal_values_in_json_are_text_never_float():
    daten = json.loads(pyxl("fn", "KZ_ANTEIL", "1", "3", "--json", "--erklaeren").stdout)
    assert all(isinstance(s["value"], str) for s in daten["trace"])
    assert Decimal(daten["value"]) == Decimal("33.3")  # 33,333… half-up to one decimal


def test_report_explains_the_recomputed_cell_json_always_text_on_request():
    """NKF Teilergebnisplan row 17 = sum of rows 11–16 (KomHVO NRW Muster): the example overwrote F29 (row 17,
    Ansatz column) with a number; the explanation lists the values read (row 15 is empty: not shown) and the result:
    −631.680 − 99.550 + 0 − 209 + 0 = −731.439."""
    beispiel = BEISPIELE / "NKF-TEP_fehler_summe_geaendert.xlsx"
    bericht = json.loads(pyxl("pruefen", "--format", "json", beispiel).stdout)
    (befund,) = [b for b in bericht["findings"] if b["rule"] == "formel_ueberschrieben"]
    schritte = befund["explanation"]["trace"]
    gelesen = [Decimal(s["value"]) for s in schritte[:-1]]
    assert sum(gelesen) == Decimal(-731439) == Decimal(schritte[-1]["value"])
    assert schritte[0]["step"] == "Wert tep.11.2 (Teilergebnisplan!F23 im Vordruck)"
    assert all(s["clause"] for s in schritte)
    assert all("explanation" not in b for b in bericht["findings"] if b["rule"] != "formel_ueberschrieben")
    ohne = pyxl("pruefen", beispiel).stdout
    mit = pyxl("pruefen", "--erklaeren", beispiel).stdout
    assert "Rechenweg:" not in ohne and "Rechenweg:" in mit
    assert "Ergebnis tep.17.2 = -731.439" in mit
    html = pyxl("pruefen", "--format", "html", beispiel).stdout
    assert "<details><summary>Rechenweg</summary>" in html


def test_fn_rzwas_edition_by_date_on_the_command_line(monkeypatch):
    """Anl. 2b Nr. 2.7: KRW = a · x^−0,25, höchstens 1.380 €/EW; 5.000 EW: 5000^0,25 = 8,408964…
    RZWas 2005 (a = 3.661): 435,37 €/EW; the invented test edition (a = 4.000, valid only in 2090): 475,68 €/EW."""
    monkeypatch.setenv("PYXL_PARAMETER", str(TESTAUSGABEN))
    assert pyxl("fn", "RZW_KRW_KLAERANLAGE", "5000", "--stand", "01.03.2009").stdout.strip() == "435,37"
    assert pyxl("fn", "RZW_KRW_KLAERANLAGE", "5000", "--stand", "2090-06-01").stdout.strip() == "475,68"
    assert pyxl("fn", "RZW_KRW_KLAERANLAGE", "5000", "--ausgabe", "test").stdout.strip() == "475,68"
    daten = json.loads(pyxl("fn", "RZW_KRW_KLAERANLAGE", "5000", "--stand", "2090-06-01", "--json").stdout)
    assert daten["clause"] == "RZWas TEST (erfunden) Anl. 2b Nr. 2.7"
    assert [r["edition"] for r in daten["rules"]] == ["RZWas TEST (erfunden)"]
    for tag, gezeigt in (("2091-01-01", "01.01.2091"), ("2004-12-31", "31.12.2004")):
        lauf = pyxl("fn", "RZW_KRW_KLAERANLAGE", "5000", "--stand", tag)
        assert lauf.returncode == 2 and gezeigt in lauf.stderr and lauf.stdout == ""
    lauf = pyxl("fn", "RZW_KRW_KLAERANLAGE", "5000", "--ausgabe", "test", "--stand", "2009-03-01")
    assert lauf.returncode == 2 and "01.03.2009" in lauf.stderr  # a named edition that does not apply that day


def test_fn_rzwas_explained_lists_the_parameters_with_edition_and_clause():
    daten = json.loads(pyxl("fn", "RZW_KRW_KLAERANLAGE", "5000", "--json", "--erklaeren").stdout)
    assert daten["value"] == "435.37"
    assert {(p["name"], p["value"]) for p in daten["parameters"]} == {
        ("anl2b.klaeranlage.a", "3661"),
        ("anl2b.klaeranlage.exponent", "-0.25"),
        ("anl2b.klaeranlage.max", "1380"),
    }
    assert all(p["edition"] == "RZWas 2005" and p["ref"] == "RZWas 2005 Anl. 2b Nr. 2.7" for p in daten["parameters"])
    assert Decimal(daten["trace"][0]["value"]).quantize(Decimal("0.0001")) == Decimal("435.3687")  # before the cap
    assert all(s["clause"] for s in daten["trace"])


def test_fn_basiszins_table_dated_on_the_command_line():
    """Ziffer 9.4, § 247 BGB: the table ends with the half-year from 01.01.2026 (valid to 30.06.2026)."""
    lauf = pyxl("fn", "OEPNV_RUECKZAHLUNGSZINS", "10000", "01.12.2022", "01.03.2023", "--stand", "2027-01-01")
    assert lauf.returncode == 2 and "01.01.2027" in lauf.stderr and "Basiszinssatz" in lauf.stderr
    lauf = pyxl("fn", "OEPNV_RUECKZAHLUNGSZINS", "10000", "01.12.2022", "01.03.2023", "--stand", "2023-06-01")
    assert lauf.returncode == 0 and lauf.stdout.strip() == "68,03"


def test_a_broken_parameter_file_of_the_installation_is_named_not_blamed_on_the_submission(tmp_path, monkeypatch):
    (tmp_path / "rzwas_kaputt.toml").write_text("x = [\n", encoding="utf-8")
    monkeypatch.setenv("PYXL_PARAMETER", str(tmp_path))
    lauf = pyxl("pruefen", BEISPIELE / "OEPNV-EA_richtig.xlsx")
    assert lauf.returncode == 2 and "rzwas_kaputt.toml" in lauf.stderr and "nicht lesbar" in lauf.stderr
    assert lauf.stdout == ""  # no report that blames the workbook
    lauf = pyxl("vorlagen", "erzeugen", "--ziel", tmp_path / "vorlagen")
    assert lauf.returncode == 2 and "rzwas_kaputt.toml" in lauf.stderr and "interner Fehler" not in lauf.stderr


def test_add_in_finds_the_form_built_from_the_sets_it_records(tmp_path, monkeypatch):
    """The add-in's "Beispiel laden" must see another county's form as that county's (its Teilnetze, its keys),
    and a form of unknown sets is named as such — never filled with Rotenburg's example."""
    from pyxl.excel import xw
    from pyxl.excel.arbeitsmappe import formular_in

    kreis = WURZEL / "tests" / "daten" / "oepnv_beispielkreis.toml"
    assert pyxl("vorlagen", "erzeugen", "--satzung", kreis, "--ziel", tmp_path).returncode == 0
    (datei,) = tmp_path.glob("OEPNV_Trennungsrechnung_*.xlsx")
    eigenschaften = {p.name: p.value for p in openpyxl.load_workbook(datei).custom_doc_props.props}
    monkeypatch.setenv("PYXL_PARAMETER", str(kreis.parent))
    formular = formular_in(eigenschaften, [])
    assert [r.ausgabe.name for r in formular.regelwerke] == ["Satzung LK Beispielkreis (erfunden) 2020"]
    monkeypatch.delenv("PYXL_PARAMETER")
    try:
        formular_in(eigenschaften, [])
    except xw.XlwingsError as fehler:
        assert "Satzung" in str(fehler)
    else:
        raise AssertionError("a form of an unknown Satzung was taken for Rotenburg's")


def test_fn_explained_years_in_plain_digits_amounts_grouped():
    """Anl. 2b Nr. 2.9.1: biologische Stufe 1970 vor dem Stichjahr 1977 → 50 % des KRW der Kläranlage;
    5.000 EW: 3.661 · 5.000^−0,25 = 435,3687… → 435,37; × 0,5 = 217,685 → 217,69."""
    lauf = pyxl("fn", "RZW_KRW_NACHRUESTUNG", "5000", "1970", "--erklaeren")
    assert lauf.returncode == 0, lauf.stderr
    zeilen = lauf.stdout.splitlines()
    assert zeilen[0] == "217,69"
    assert any(z.startswith("  - anl2b.nachruestung_alt.vor_jahr = 1977  [") for z in zeilen)  # not 1.977
    assert any(z.startswith("  - anl2b.klaeranlage.a = 3.661  [") for z in zeilen)  # a Decimal amount: grouped
    assert "   5. Anteil × KRW Kläranlage (dieser auf Cent gerundet) = 217,685  [RZWas 2005 Anl. 2b Nr. 2.9.1]" in (
        zeilen
    )
    daten = json.loads(pyxl("fn", "RZW_KRW_NACHRUESTUNG", "5000", "1970", "--json", "--erklaeren").stdout)
    arten = {p["name"]: (p["value"], p["kind"]) for p in daten["parameters"]}
    assert arten["anl2b.nachruestung_alt.vor_jahr"] == ("1977", "ganzzahl")
    assert arten["anl2b.klaeranlage.a"] == ("3661", "zahl")
    assert arten["anl2b.nachruestung_alt.anteil"] == ("0.5", "zahl")
    assert daten["trace"][0] == {"clause": "RZWas 2005 Anl. 2b Nr. 2.9", "step": "Zweig: biologische Stufe vor dem "
                                 "Stichjahr errichtet", "value": "Anl. 2b Nr. 2.9.1", "kind": "text"}  # fmt: skip


def test_fn_negative_zero_is_shown_as_zero():
    # (99,9999 / 100 − 1) × 100 = −0,0001 → one decimal: −0,0 as a Decimal; a German reads 0,0
    lauf = pyxl("fn", "KZ_VERAENDERUNG", "100", "99,9999", "--erklaeren")
    zeilen = lauf.stdout.splitlines()
    assert zeilen[0] == "0,0" and any(z.startswith("   2. Ergebnis KZ_VERAENDERUNG = 0,0  [") for z in zeilen)
    assert not any("-0,0 " in z or z.endswith("-0,0") for z in zeilen)
    assert any("(neu / alt − 1) × 100 = -0,000100" in z for z in zeilen)  # not zero: keeps its sign


def test_fn_json_error_cites_the_edition_chosen_for_the_call(monkeypatch):
    """The message and the ``clause`` of an error name the same edition: the invented test edition when it is
    chosen by name or date, not the default RZWas 2005."""
    monkeypatch.setenv("PYXL_PARAMETER", str(TESTAUSGABEN))
    for wahl in (("--ausgabe", "test"), ("--stand", "2090-06-01")):
        lauf = pyxl("fn", "RZW_KRW_KLAERANLAGE", "-5", *wahl, "--json")
        assert lauf.returncode == 2
        daten = json.loads(lauf.stdout)
        assert daten["clause"] == "RZWas TEST (erfunden) Anl. 2b Nr. 2"  # Mengen > 0: the rule of the input check
        assert daten["message"].endswith(f"({daten['clause']})")
        lauf = pyxl("fn", "RZW_KRW_KLAERANLAGE", "5", "6", *wahl, "--json")  # a wrong number of arguments
        assert lauf.returncode == 2
        assert json.loads(lauf.stdout)["clause"] == "RZWas TEST (erfunden) Anl. 2b Nr. 2.7"
        lauf = pyxl("fn", "RZW_KRW_KLAERANLAGE", "viel", *wahl, "--json")  # no number: the function's clause
        assert json.loads(lauf.stdout)["clause"] == "RZWas TEST (erfunden) Anl. 2b Nr. 2.7"
    daten = json.loads(pyxl("fn", "RZW_KRW_KLAERANLAGE", "-5", "--json").stdout)
    assert daten["clause"] == "RZWas 2005 Anl. 2b Nr. 2"


def test_report_explains_a_year_cell_in_plain_digits_in_text_json_and_html(tmp_path):
    """Anl. 2b Nr. 2.9 in Anlage 3b: Baujahr 1970 (number format "0"), 5.000 EW, the KRW cell overwritten with
    217,69 (Nr. 2.9.1: 50 % of 435,37 = 217,685 → 217,69): the finding's explanation shows the year as the form
    does, the amounts grouped, the Stichjahr of the rule as a year."""
    from pyxl.templates import formulare
    from pyxl.templates.beispiele import ausfuellen

    datei = tmp_path / "nachruestung.xlsx"
    eingaben = {"pos.nr.1.groesse": Decimal(1970), "pos.nr.1.menge": Decimal(5000)}
    ausfuellen(formulare()["RZWAS-3B"], eingaben, {"pos.nr.1.krw": Decimal("217.69")}).save(datei)
    text = pyxl("pruefen", "--erklaeren", datei).stdout
    assert "Wert pos.nr.1.groesse (Anlage 3b!C43 im Vordruck) = 1970  [RZWas 2005 Anl. 2b Nr. 2.9]" in text
    assert "Wert pos.nr.1.menge (Anlage 3b!E43 im Vordruck) = 5.000  [" in text
    assert "- anl2b.nachruestung_alt.vor_jahr = 1977  [" in text and "1.977" not in text and "1.970" not in text
    assert "Ergebnis pos.nr.1.krw = 217,69  [" in text
    html = pyxl("pruefen", "--format", "html", datei).stdout
    assert "Wert pos.nr.1.groesse (Anlage 3b!C43 im Vordruck) = 1970 <small>" in html
    assert "anl2b.nachruestung_alt.vor_jahr = 1977 <small>" in html and "1.977" not in html
    bericht = json.loads(pyxl("pruefen", "--format", "json", datei).stdout)
    (befund,) = [b for b in bericht["findings"] if b["rule"] == "formel_ueberschrieben"]
    schritte = {s["step"]: (s["value"], s["kind"]) for s in befund["explanation"]["trace"]}
    assert schritte["Wert pos.nr.1.groesse (Anlage 3b!C43 im Vordruck)"] == ("1970", "ganzzahl")
    assert schritte["Ergebnis pos.nr.1.krw"] == ("217.69", "zahl")
