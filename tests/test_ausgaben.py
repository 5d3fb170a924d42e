"""Issue 14, point 2: RZWas editions chosen by name or by date, proved with a second, invented edition
(``tests/daten/parameter/rzwas_test.toml``: ERFUNDENE TESTAUSGABE, valid 01.01.–31.12.2090, Kläranlage a = 4.000,
Zuwendungssatz höchstens 75)."""

from __future__ import annotations

import os
import re
import shutil
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest

from pyxl import parameter
from pyxl.functions import Eingabefehler, RegelHinweis, funktion
from pyxl.functions.rzwas_krw import krw_klaeranlage
from pyxl.functions.rzwas_zuwendung import zuwendungssatz
from pyxl.parameter import RZWasParameter

DATEN = Path(__file__).parent / "daten" / "parameter"
TEST = "RZWas TEST (erfunden)"
TEST_RE = re.escape(TEST)


@pytest.fixture
def testausgabe(monkeypatch):
    """The invented edition known through the search path, as an administration would add one."""
    monkeypatch.setenv("PYXL_PARAMETER", str(DATEN))
    return parameter.rzwas("test")


def _suchpfad(monkeypatch, *ordner: Path) -> None:
    monkeypatch.setenv("PYXL_PARAMETER", os.pathsep.join(str(o) for o in ordner))


def test_the_test_edition_is_marked_as_invented(testausgabe):
    assert (
        DATEN.joinpath("rzwas_test.toml")
        .read_text(encoding="utf-8")
        .startswith("# ERFUNDENE TESTAUSGABE – keine Rechtsgrundlage")
    )
    assert testausgabe.ausgabe.name == testausgabe.meta.kurz == TEST
    assert (testausgabe.ausgabe.gueltig_ab, testausgabe.ausgabe.gueltig_bis) == (date(2090, 1, 1), date(2090, 12, 31))


def test_edition_by_name_and_by_date_in_the_python_api(testausgabe):
    assert parameter.rzwas(stand=date(2090, 6, 1)).pruefsumme == testausgabe.pruefsumme
    assert parameter.rzwas(stand=date(2009, 3, 1)).ausgabe.name == "RZWas 2005"
    assert parameter.rzwas(stand=date(2089, 12, 31)).ausgabe.name == "RZWas 2005"  # open end: until the next begins
    assert parameter.rzwas().ausgabe.name == "RZWas 2005"  # today
    gueltig = {r.ausgabe.name: g.deutsch() for r, g in parameter.reihe("rzwas")}
    assert gueltig == {"RZWas 2005": "01.01.2005 – 31.12.2089", TEST: "01.01.2090 – 31.12.2090"}


def test_anl2b_nr2_7_result_differs_by_edition(testausgabe):
    klaeranlage = funktion("RZW_KRW_KLAERANLAGE")
    # 5.000^0,25 = 8,408964. RZWas 2005: 3.661 / 8,408964 = 435,3687 -> 435,37
    alt = klaeranlage.auswerten(["5000"], stand=date(2009, 3, 1))
    assert alt.wert == D("435.37") and alt.regelwerke[0].ausgabe.name == "RZWas 2005"
    # test edition: 4.000 / 8,408964 = 475,6829 -> 475,68
    neu = klaeranlage.auswerten(["5000"], stand=date(2090, 6, 1))
    assert neu.wert == D("475.68") and neu.regelwerke[0].ausgabe.name == TEST
    assert klaeranlage.auswerten(["5000"], ausgaben={"rzwas": "test"}).wert == D("475.68")
    assert klaeranlage.auswerten(["5000"], regelwerke={"rzwas": testausgabe}).wert == D("475.68")
    assert krw_klaeranlage(D(5000), regeln=testausgabe) == D("475.68")
    assert krw_klaeranlage(D(5000)) == D("435.37")  # no set given: the edition in force today


def test_nr3_1_cap_differs_by_edition(testausgabe):
    # AK = 10.000: 98,333 − 173.839 / 10.000 = 98,333 − 17,3839 = 80,9491 -> höchstens 70 (2005) / 75 (test)
    zh = funktion("RZW_ZUWENDUNGSSATZ")
    assert zh.auswerten(["10000"], stand=date(2009, 3, 1)).wert == D("70.00")
    assert zh.auswerten(["10000"], stand=date(2090, 6, 1)).wert == D("75.00")
    assert zuwendungssatz(D(10000), D(1), regeln=testausgabe) == D("60.00")  # 75 − 15
    # Zuwendung passes its set on to the Zuwendungssatz: 100.000 × 75 / 100
    assert funktion("RZW_ZUWENDUNG").auswerten(["100000", "10000"], stand=date(2090, 6, 1)).wert == D("75000.00")


@pytest.mark.parametrize(("tag", "text"), [(date(2004, 12, 31), "31.12.2004"), (date(2091, 1, 1), "01.01.2091")])
def test_date_outside_every_edition_is_refused_naming_the_date(testausgabe, tag, text):
    with pytest.raises(parameter.KeineAusgabeZumStand, match=rf"Für den Stand {text} gilt keine Ausgabe „RZWas“"):
        parameter.rzwas(stand=tag)
    with pytest.raises(parameter.KeineAusgabeZumStand, match=text):
        funktion("RZW_KRW_KLAERANLAGE").auswerten(["5000"], stand=tag)


def test_name_and_date_must_agree(testausgabe):
    with pytest.raises(parameter.KeineAusgabeZumStand, match=rf"{TEST_RE} gilt nicht zum Stand 01\.03\.2009"):
        funktion("RZW_KRW_KLAERANLAGE").auswerten(["5000"], ausgaben={"rzwas": "test"}, stand=date(2009, 3, 1))


def test_clauses_in_messages_notes_and_traces_cite_the_chosen_edition(testausgabe):
    zh = funktion("RZW_ZUWENDUNGSSATZ")
    with pytest.raises(Eingabefehler, match=rf"AK = 0: muss größer als 0 sein \({TEST_RE} Anl\. 2a Nr\. 3\.1"):
        zh.auswerten(["0"], ausgaben={"rzwas": "test"})
    with pytest.raises(Eingabefehler, match=rf"\({TEST_RE} Anlagenverzeichnis Fn\. 3\)"):
        zh.auswerten(["5000", "3"], ausgaben={"rzwas": "test"})
    gebaeude = funktion("RZW_KRW_GEBAEUDE").auswerten(["7000"], ausgaben={"rzwas": "test"})
    assert [h.regel for h in gebaeude.hinweise] == [f"{TEST} Anl. 2a Nr. 2.7"]
    with pytest.warns(RegelHinweis, match=rf"\({TEST_RE} Anl\. 2b Nr\. 2\.11\)"):
        funktion("RZW_INGENIEURZUSCHLAG").berechnung(D(1000), D(3), "abwasser", regeln=testausgabe)
    spur = funktion("RZW_KRW_KLAERANLAGE").auswerten(["5000"], stand=date(2090, 6, 1), erklaeren=True).spur
    assert {s.klausel for s in spur.schritte} == {f"{TEST} Anl. 2b Nr. 2.7"}
    assert spur.gelesen[0].name == "anl2b.klaeranlage.a"
    assert (spur.gelesen[0].wert, spur.gelesen[0].ausgabe) == (D(4000), TEST)
    assert funktion("RZW_KRW_KLAERANLAGE").text("regel", (testausgabe,)) == f"{TEST} Anl. 2b Nr. 2.7"


def test_forms_built_from_the_test_edition_compute_with_it(testausgabe):
    from pyxl.templates import formulare

    alt, neu = formulare()["RZWAS-3B"], formulare(rzwas=testausgabe)["RZWAS-3B"]
    assert [r.ausgabe.name for r in alt.regelwerke] == ["RZWas 2005"]
    assert neu.regelwerke == (testausgabe,)
    assert neu.untertitel == f"Anlage 3b zu den {TEST}" and neu.stand == date(2089, 10, 1)
    eingaben = {"pos.ka.1.menge": 5000}
    assert alt.nachrechnen(eingaben).werte["pos.ka.1.krw"] == D("435.37")
    assert neu.nachrechnen(eingaben).werte["pos.ka.1.krw"] == D("475.68")


def test_overlapping_editions_are_refused(monkeypatch, tmp_path):
    text = DATEN.joinpath("rzwas_test.toml").read_text(encoding="utf-8")
    text = text.replace('name = "RZWas TEST (erfunden)"', 'name = "RZWas ÜBERLAPPUNG (erfunden)"')
    text = text.replace("gueltig_ab = 2090-01-01", "gueltig_ab = 2090-06-01").replace(
        "gueltig_bis = 2090-12-31", "gueltig_bis = 2091-06-30"
    )
    (tmp_path / "rzwas_ueberlapp.toml").write_text(text, encoding="utf-8")
    _suchpfad(monkeypatch, DATEN, tmp_path)
    with pytest.raises(parameter.UnbekannteAusgabe, match=r"gelten beide am 01\.06\.2090: Gültigkeiten überschneiden"):
        parameter.rzwas(stand=date(2009, 3, 1))


def test_a_file_name_in_two_folders_is_refused(monkeypatch, tmp_path):
    shutil.copy(DATEN / "rzwas_test.toml", tmp_path / "rzwas_test.toml")
    _suchpfad(monkeypatch, DATEN, tmp_path)
    with pytest.raises(parameter.UnbekannteAusgabe, match=r"Parameterdatei „rzwas_test\.toml“ doppelt"):
        parameter.rzwas("test")


def test_fingerprint_follows_the_numbers_not_the_comments(monkeypatch, tmp_path):
    text = DATEN.joinpath("rzwas_test.toml").read_text(encoding="utf-8")
    original = parameter.aus_datei(RZWasParameter, DATEN / "rzwas_test.toml").pruefsumme
    assert len(original) == 64 and original != parameter.rzwas("2005").pruefsumme

    kommentiert = tmp_path / "kommentiert" / "rzwas_test.toml"
    kommentiert.parent.mkdir()
    kommentiert.write_text("# ein weiterer Kommentar\n\n" + text.replace("\n[", "\n\n# Abschnitt\n["), encoding="utf-8")
    assert parameter.aus_datei(RZWasParameter, kommentiert).pruefsumme == original

    geaendert = tmp_path / "geaendert" / "rzwas_test.toml"
    geaendert.parent.mkdir()
    geaendert.write_text(text.replace("a = 4000", "a = 4001"), encoding="utf-8")
    _suchpfad(monkeypatch, geaendert.parent)
    anders = parameter.rzwas("test")
    assert anders.anl2b.klaeranlage.a == D(4001) and anders.pruefsumme != original
