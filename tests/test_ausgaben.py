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


# ------------------------------------------------------------------------------------------ review of the editions

PAKET = Path(parameter.__file__).parent
KREIS = Path(__file__).parent / "daten" / "oepnv_beispielkreis.toml"


def _kopie(quelle: Path, ziel: Path, *ersetzungen: tuple[str, str]) -> Path:
    """A parameter file with some text replaced (each replacement must hit, so a test cannot silently test nothing)."""
    text = quelle.read_text(encoding="utf-8")
    for alt, neu in ersetzungen:
        assert alt in text, alt
        text = text.replace(alt, neu, 1)
    ziel.parent.mkdir(parents=True, exist_ok=True)
    ziel.write_text(text, encoding="utf-8")
    return ziel


def test_two_editions_beginning_on_the_same_day_are_refused(monkeypatch, tmp_path):
    """Both from 01.01.2090 (the copy without an end): one would silently shadow the other."""
    _kopie(DATEN / "rzwas_test.toml", tmp_path / "rzwas_zwilling.toml", ("gueltig_bis = 2090-12-31\n", ""),
           ('name = "RZWas TEST (erfunden)"', 'name = "RZWas ZWILLING (erfunden)"'))  # fmt: skip
    _suchpfad(monkeypatch, DATEN, tmp_path)
    with pytest.raises(
        parameter.UnbekannteAusgabe, match=r"beginnen beide am 01\.01\.2090: Gültigkeiten überschneiden"
    ):
        parameter.rzwas(stand=date(2009, 3, 1))


def test_an_end_before_the_start_is_refused_naming_both_dates(tmp_path):
    datei = _kopie(DATEN / "rzwas_test.toml", tmp_path / "rzwas_test.toml",
                   ("gueltig_bis = 2090-12-31", "gueltig_bis = 2089-12-31"))  # fmt: skip
    with pytest.raises(parameter.UnbekannteAusgabe) as fehler:
        parameter.aus_datei(RZWasParameter, datei)
    assert str(fehler.value) == (
        f"Parameterdatei {datei} hat nicht den erwarteten Aufbau: Schlüssel ausgabe: gueltig_bis (31.12.2089) liegt "
        "vor gueltig_ab (01.01.2090)"
    )


def test_a_given_set_is_checked_against_the_date_and_given_one_way_only():
    """--satzung with --stand: the Satzung's own validity (Beispielkreis from 01.01.2020, open) decides."""
    wagnis = funktion("OEPNV_WAGNIS")
    kreis = parameter.oepnv_aus_datei(KREIS)
    with pytest.raises(parameter.KeineAusgabeZumStand) as fehler:
        wagnis.auswerten(["1000"], regelwerke={"oepnv": kreis}, stand=date(1990, 1, 1))
    assert str(fehler.value) == (
        "Satzung LK Beispielkreis (erfunden) 2020 gilt nicht zum Stand 01.01.1990 (gültig 01.01.2020 – ohne Enddatum)"
    )
    # 3,5 % · 1.000 = 35,00 on a day it applies
    assert wagnis.auswerten(["1000"], regelwerke={"oepnv": kreis}, stand=date(2024, 1, 1)).wert == D("35.00")
    with pytest.raises(parameter.UnbekannteAusgabe, match=r"zugleich als Datei .* und nach Namen \(„rotenburg“\)"):
        wagnis.auswerten(["1000"], regelwerke={"oepnv": kreis}, ausgaben={"oepnv": "rotenburg"})


def test_the_given_satzung_and_the_date_on_the_command_line():
    from tests.befehl import pyxl

    frueh = pyxl("fn", "OEPNV_WAGNIS", "1000", "--satzung", KREIS, "--stand", "1990-01-01")
    assert frueh.returncode == 2 and frueh.stdout == ""
    assert "gilt nicht zum Stand 01.01.1990 (gültig 01.01.2020 – ohne Enddatum)" in frueh.stderr
    spaeter = pyxl("fn", "OEPNV_WAGNIS", "1000", "--satzung", KREIS, "--stand", "2024-01-01")
    assert (spaeter.returncode, spaeter.stdout.strip()) == (0, "35,00")
    beides = pyxl("fn", "OEPNV_WAGNIS", "1000", "--satzung", KREIS, "--ausgabe", "oepnv=rotenburg")
    assert beides.returncode == 2 and "bitte nur eines" in beides.stderr


def test_a_fingerprint_shorter_than_twelve_digits_names_no_set():
    summe = parameter.rzwas("2005").pruefsumme
    assert parameter.finde("rzwas", summe).ausgabe.name == "RZWas 2005"
    assert parameter.finde("rzwas", summe[:12]).ausgabe.name == "RZWas 2005"
    assert parameter.finde("rzwas", summe[:11]) is None and parameter.finde("rzwas", "") is None
    assert not parameter.stimmt(summe, "") and not parameter.stimmt(summe, summe[:11])


def _nkf_land(ordner: Path, name: str, ab: str, *weitere: tuple[str, str]) -> Path:
    """A state's plan scheme (a copy of Schleswig-Holstein's) under another key and validity."""
    return _kopie(PAKET / "nkf_sh.toml", ordner / f"nkf_{name}.toml",
                  ('name = "Doppik SH (GemHVO-Doppik)"', f'name = "Doppik {name.upper()} (erfunden)"'),
                  ("gueltig_ab = 2012-01-01", f"gueltig_ab = {ab}"), *weitere)  # fmt: skip


def test_past_every_edition_today_takes_the_latest_begun_never_a_future_one(monkeypatch, tmp_path):
    # zz: one edition 2001–2002 (ended), one from 2090 (not begun): today neither applies -> the one of 2001
    _nkf_land(tmp_path, "zz_alt", "2001-01-01", ("[ausgabe]\n", '[ausgabe]\nreihe = "zz"\ngueltig_bis = 2002-12-31\n'))
    _nkf_land(tmp_path, "zz", "2090-01-01")
    # yy: only an edition from 2090: nothing applies today
    _nkf_land(tmp_path, "yy", "2090-01-01")
    _suchpfad(monkeypatch, tmp_path)
    assert parameter.nkf("zz").ausgabe.name == "Doppik ZZ_ALT (erfunden)"
    assert parameter.nkf("zz", stand=date(2090, 1, 1)).ausgabe.name == "Doppik ZZ (erfunden)"
    with pytest.raises(parameter.KeineAusgabeZumStand, match=r"gilt keine Ausgabe „NKF-Zeilenschema yy“"):
        parameter.nkf("yy")


def test_the_current_edition_notices_a_parameter_file_added_edited_or_removed(monkeypatch, tmp_path):
    """As in a long-running pyxl serve: the search path stays, the folder's files change between calls."""
    _suchpfad(monkeypatch, tmp_path)
    assert parameter.rzwas().ausgabe.name == "RZWas 2005"
    datei = _kopie(
        DATEN / "rzwas_test.toml",
        tmp_path / "rzwas_neu.toml",
        ("gueltig_ab = 2090-01-01", "gueltig_ab = 2020-01-01"),
        ("gueltig_bis = 2090-12-31\n", ""),
    )
    assert parameter.rzwas().ausgabe.name == TEST and parameter.rzwas().anl2b.klaeranlage.a == D(4000)  # added
    datei.write_text(datei.read_text(encoding="utf-8").replace("a = 4000", "a = 4200"), encoding="utf-8")
    assert parameter.rzwas().anl2b.klaeranlage.a == D(4200)  # edited in place, same size
    datei.unlink()
    assert parameter.rzwas().ausgabe.name == "RZWas 2005"  # removed


def test_the_current_edition_stays_kept_while_nothing_changes(monkeypatch):
    from pyxl.parameter import _ausgaben

    monkeypatch.setattr(_ausgaben, "_UNSICHER_NS", 0)  # a checkout seconds old would not be kept yet
    erste = parameter.rzwas()
    assert parameter.rzwas() is erste and ("aktuell", "rzwas", "") in _ausgaben._GEMERKT


def test_fingerprint_does_not_depend_on_how_a_number_is_written(tmp_path):
    original = parameter.aus_datei(RZWasParameter, DATEN / "rzwas_test.toml").pruefsumme
    # the same numbers written otherwise: 4000 -> 4000.0 and 4.0e3, 1.5 -> 1.50, 0.036 -> 3.6e-2, tables reordered
    umgeschrieben = _kopie(DATEN / "rzwas_test.toml", tmp_path / "a" / "rzwas_test.toml", ("a = 4000", "a = 4.0e3"),
                           ("je_weiterem_buero = 1.5", "je_weiterem_buero = 1.50"), ("b = 0.036", "b = 3.6e-2"),
                           ("hoechstens_zusaetzlich = 3.0", "hoechstens_zusaetzlich = 3"))  # fmt: skip
    text = umgeschrieben.read_text(encoding="utf-8")
    meta = text.index("[meta]")
    mengen = text.index("[mengen]")
    umgeschrieben.write_text(text[mengen:] + "\n" + text[meta:mengen] + text[:meta], encoding="utf-8")
    assert parameter.aus_datei(RZWasParameter, umgeschrieben).pruefsumme == original
    geaendert = _kopie(DATEN / "rzwas_test.toml", tmp_path / "b" / "rzwas_test.toml", ("b = 0.036", "b = 0.0361"))
    assert parameter.aus_datei(RZWasParameter, geaendert).pruefsumme != original
    # a number and the same digits as text are different values
    assert parameter.pruefsumme({"a": 1380}) == parameter.pruefsumme({"a": D("1380.0")}) == parameter.pruefsumme(
        {"a": D("1.38E+3")})  # fmt: skip
    assert parameter.pruefsumme({"a": 1380}) != parameter.pruefsumme({"a": "1380"})
    assert parameter.pruefsumme({"a": D("0.0")}) == parameter.pruefsumme({"a": D("-0")})
    assert parameter.pruefsumme({"a": 10**40 + 1}) != parameter.pruefsumme({"a": 10**40})  # no rounding to 28 digits


@pytest.mark.parametrize("art", ["gleich", "symlink", "relativ"])
def test_the_package_folder_named_in_the_search_path_is_no_duplicate(monkeypatch, tmp_path, art):
    if art == "symlink":
        (tmp_path / "verweis").symlink_to(PAKET, target_is_directory=True)
        ordner = str(tmp_path / "verweis")
    elif art == "relativ":
        ordner = os.path.relpath(PAKET.parent / ".." / PAKET.parent.name / PAKET.name)
    else:
        ordner = str(PAKET)
    _suchpfad(monkeypatch, Path(ordner))
    assert parameter.rzwas().ausgabe.name == "RZWas 2005"
    assert parameter.dateien("rzwas") == {"2005": PAKET / "rzwas_2005.toml"}
    assert funktion("RZW_KRW_KLAERANLAGE").auswerten(["5000"]).wert == D("435.37")


def test_every_model_class_of_the_family_modules_is_on_the_face():
    import inspect

    from pyxl.parameter import _basiszins, _daten, _nkf, _oepnv, _rzwas, _statistik

    for modul in (_rzwas, _oepnv, _basiszins, _nkf, _statistik):
        for name, klasse in vars(modul).items():
            if inspect.isclass(klasse) and issubclass(klasse, _daten._Daten) and klasse.__module__ == modul.__name__:
                assert getattr(parameter, name, None) is klasse and name in parameter.__all__, name
    assert parameter.Zuwendungssatz is _rzwas.Zuwendungssatz and parameter.Meta is _rzwas.Meta


def test_an_open_edition_records_the_day_before_the_next_as_its_end(testausgabe):
    alt = parameter.rzwas("2005")
    assert (alt.ausgabe.gueltig_bis, alt.herkunft()["valid_to"]) == (None, "2089-12-31")
    assert alt.herkunft()["valid_from"] == "2005-01-01"
    assert testausgabe.herkunft()["valid_to"] == "2090-12-31"
    ergebnis = funktion("RZW_KRW_KLAERANLAGE").auswerten(["5000"], stand=date(2009, 3, 1))
    assert ergebnis.regeln_json()[0]["valid_to"] == "2089-12-31"


def test_without_the_later_edition_the_end_stays_open():
    assert parameter.rzwas("2005").herkunft()["valid_to"] is None
    assert parameter.oepnv_aus_datei(KREIS).herkunft()["valid_to"] is None  # no series of its own in the folders


def test_a_county_with_an_underscore_is_a_county_an_edition_names_its_series(monkeypatch, tmp_path):
    rotenburg = PAKET / "oepnv_rotenburg.toml"
    name = 'name = "Satzung LK Rotenburg (Wümme) 2018 i. d. F. der 2. Änderung vom 28.09.2023"'
    # a county of its own whose key begins like Rotenburg's, valid from 2020: not Rotenburg's edition of 2020
    _kopie(
        KREIS,
        tmp_path / "oepnv_rotenburg_wuemme.toml",
        ('name = "Satzung LK Beispielkreis (erfunden) 2020"', 'name = "Satzung LK Rotenburg-Wümme (erfunden)"'),
    )
    # a later edition of Rotenburg's Satzung, marked as such
    _kopie(rotenburg, tmp_path / "oepnv_rotenburg_2090.toml", (name, 'name = "Satzung LK Rotenburg 2090 (erfunden)"'),
           ("gueltig_ab = 2019-08-01", 'gueltig_ab = 2090-01-01\nreihe = "rotenburg"'))  # fmt: skip
    _suchpfad(monkeypatch, tmp_path)
    assert parameter.reihen("oepnv") == ("rotenburg", "rotenburg_wuemme")
    assert parameter.oepnv().datei == rotenburg and parameter.oepnv(stand=date(2024, 1, 1)).datei == rotenburg
    assert parameter.oepnv("rotenburg_wuemme").ausgabe.name == "Satzung LK Rotenburg-Wümme (erfunden)"
    assert parameter.oepnv(stand=date(2090, 6, 1)).ausgabe.name == "Satzung LK Rotenburg 2090 (erfunden)"
    assert parameter.oepnv("rotenburg_2090").ausgabe.name == "Satzung LK Rotenburg 2090 (erfunden)"
    assert [g.deutsch() for _, g in parameter.reihe("oepnv", "rotenburg")] == [
        "01.08.2019 – 31.12.2089", "01.01.2090 – ohne Enddatum"]  # fmt: skip
    assert parameter.oepnv().herkunft()["valid_to"] == "2089-12-31"


def test_a_series_name_in_a_family_of_one_series_is_refused(tmp_path):
    datei = _kopie(DATEN / "rzwas_test.toml", tmp_path / "rzwas_test.toml", ("[ausgabe]\n", '[ausgabe]\nreihe = "x"\n'))
    with pytest.raises(parameter.UnbekannteAusgabe, match=r"ausgabe\.reihe: RZWas hat nur eine Reihe von Ausgaben"):
        parameter.aus_datei(RZWasParameter, datei)


# ------------------------------------------------------------------------------------------ Basiszinssatz


def _basiszins_fortgeschrieben(ordner: Path, *weitere: tuple[str, str]) -> Path:
    """The package's table with the value of 01.07.2026 appended (invented: 1,50), as an administration adds it."""
    return _kopie(PAKET / "basiszinssatz.toml", ordner / "basiszinssatz.toml",
                  ("  { ab = 2026-01-01, satz = 1.27 },\n", "  { ab = 2026-01-01, satz = 1.27 },\n"
                   "  { ab = 2026-07-01, satz = 1.50 },\n"),
                  ("Stand 01.01.2026", "Stand 01.07.2026 (erfunden)"),
                  ("gueltig_bis = 2026-06-30", "gueltig_bis = 2026-12-31"), *weitere)  # fmt: skip


def test_an_own_basiszins_table_in_the_search_path_replaces_the_packages(monkeypatch, tmp_path):
    zins = funktion("OEPNV_RUECKZAHLUNGSZINS")
    with pytest.raises(Eingabefehler, match=r"bitte in basiszinssatz\.toml ergänzen .*PYXL_PARAMETER"):
        zins.auswerten(["10000", "2026-07-01", "2026-07-31"])
    _basiszins_fortgeschrieben(tmp_path)
    _suchpfad(monkeypatch, tmp_path)
    tabelle = parameter.basiszinssatz()
    assert tabelle.ausgabe.name == "Basiszinssatz § 247 BGB, Stand 01.07.2026 (erfunden)"
    assert parameter.dateien("basiszinssatz") == {"": tmp_path / "basiszinssatz.toml"}
    # 01.07.–31.07.2026: 30 days at 1,50 + 2 = 3,50 %: 10.000 · 3,5 % · 30 / 365 = 28,767… -> 28,77
    assert zins.auswerten(["10000", "2026-07-01", "2026-07-31"]).wert == D("28.77")


def test_an_own_basiszins_table_must_keep_every_value_of_the_packages(monkeypatch, tmp_path):
    _basiszins_fortgeschrieben(tmp_path, ("satz = 3.62", "satz = 3.63"))
    _suchpfad(monkeypatch, tmp_path)
    with pytest.raises(parameter.UnbekannteAusgabe, match=r"enthält aber nicht alle ihre Werte unverändert"):
        parameter.basiszinssatz()


def test_two_own_basiszins_tables_are_a_duplicate(monkeypatch, tmp_path):
    _basiszins_fortgeschrieben(tmp_path / "a")
    _basiszins_fortgeschrieben(tmp_path / "b")
    _suchpfad(monkeypatch, tmp_path / "a", tmp_path / "b")
    with pytest.raises(parameter.UnbekannteAusgabe, match=r"Parameterdatei „basiszinssatz\.toml“ doppelt"):
        parameter.basiszinssatz()
