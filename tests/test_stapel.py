"""Issue 15, points 1 and 2: a folder of 60 mixed submissions checked in one run into ``--ausgabe`` — one report
per file and an overview (index.html, uebersicht.csv, uebersicht.json); a second run overwrites nothing."""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
from pathlib import Path

import pytest

from tests.befehl import pyxl
from tests.feindlich import abgeschnitten, umbenannt, zip_bombe

BEISPIELE = Path(__file__).parents[1] / "xlsx_templates" / "beispiele"
KOPFZEILE = "Datei;Formular;Version;Status;Fehler;Warnungen;Hinweise;Größe (Bytes);SHA-256;Bericht;markierte Kopie"


@pytest.fixture(scope="module")
def eingang(tmp_path_factory) -> Path:
    return eingang_bauen(tmp_path_factory.mktemp("eingang"))


def eingang_bauen(ordner: Path) -> Path:
    """60 files: 36 example forms (correct and faulty; half of them in a nested folder), 3 hostile ones with
    the ending .xlsx, 21 other files that are skipped (also the batch of tests/test_cluster.py)."""
    tief = ordner / "zweite Lieferung" / "innen"
    tief.mkdir(parents=True)
    for quelle in sorted(BEISPIELE.glob("*.xlsx")):
        shutil.copy(quelle, ordner / quelle.name)
        shutil.copy(quelle, tief / f"nachgereicht_{quelle.name}")
    zip_bombe(ordner / "bombe.xlsx")
    abgeschnitten(tief / "abgeschnitten.xlsx")
    umbenannt(ordner / "text_als_mappe.xlsx")
    for nummer in range(11):
        (ordner / f"anschreiben_{nummer}.txt").write_text("Sehr geehrte Damen und Herren\n", encoding="utf-8")
    for nummer in range(10):
        (tief / f"scan_{nummer}.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    assert sum(1 for p in ordner.rglob("*") if p.is_file()) == 60
    return ordner


@pytest.fixture(scope="module")
def lauf(eingang, tmp_path_factory):
    aus = tmp_path_factory.mktemp("aus")
    return pyxl("pruefen", eingang, "--ausgabe", aus, "--markieren"), aus


def _csv(ordner: Path) -> list[dict[str, str]]:
    roh = (ordner / "uebersicht.csv").read_bytes()
    assert roh.startswith(b"\xef\xbb\xbf")  # the BOM: German Excel reads UTF-8
    text = roh.decode("utf-8-sig")
    assert not text.startswith("sep=") and text.splitlines()[0] == KOPFZEILE
    return list(csv.DictReader(text.splitlines(), delimiter=";"))


def test_sixty_files_one_overview(eingang, lauf):
    ergebnis, aus = lauf
    assert ergebnis.returncode == 2, ergebnis.stderr  # hostile files are not checkable
    zeilen_terminal = ergebnis.stdout.strip().splitlines()
    assert len(zeilen_terminal) <= 5  # a summary, not 39 reports
    assert "60 Dateien: 36 geprüft, 3 nicht prüfbar, 21 übersprungen" in ergebnis.stdout

    eingaben = sorted(p for p in eingang.rglob("*") if p.is_file())
    zeilen = _csv(aus)
    assert sorted(Path(z["Datei"]) for z in zeilen) == eingaben  # exactly one row per file, no totals
    status = [z["Status"] for z in zeilen]
    assert status[:3] == ["nicht prüfbar"] * 3 and status[-21:] == ["übersprungen"] * 21  # failures first

    berichte = {}
    for zeile in zeilen:
        datei = Path(zeile["Datei"])
        if zeile["Status"] == "übersprungen":
            assert datei.suffix in {".txt", ".pdf"} and not zeile["Bericht"]
            continue
        assert zeile["SHA-256"] == hashlib.sha256(datei.read_bytes()).hexdigest()
        assert int(zeile["Größe (Bytes)"]) == datei.stat().st_size
        berichte[datei] = zeile
        assert (aus / zeile["Bericht"]).is_file()
        if zeile["Status"] == "geprüft":
            assert (aus / zeile["markierte Kopie"]).is_file()

    uebersicht = json.loads((aus / "uebersicht.json").read_text(encoding="utf-8"))
    zahlen = uebersicht["counts"]
    assert zahlen["files"] == 60 and zahlen["skipped"] == 21 and zahlen["not_checkable"] == 3
    assert zahlen["checked"] == 36
    fehlerhaft = sum(1 for z in zeilen if z["Status"] == "geprüft" and int(z["Fehler"]))
    assert zahlen["with_errors"] == fehlerhaft == sum("_fehler_" in z["Datei"] for z in zeilen)
    for eintrag, zeile in zip(uebersicht["files"], zeilen, strict=True):
        assert eintrag["file"] == zeile["Datei"] and str(eintrag["summary"]["error"]) == zeile["Fehler"]

    seite = (aus / "index.html").read_text(encoding="utf-8")
    assert '<html lang="de">' in seite and "<caption>" in seite and '<th scope="col">' in seite
    for datei in eingaben:
        assert str(datei) in seite


def test_second_run_writes_a_new_subfolder(eingang, lauf):
    _, aus = lauf
    vorher = {p: p.read_bytes() for p in aus.rglob("*") if p.is_file()}
    zweiter = pyxl("pruefen", eingang, "--ausgabe", aus)
    assert zweiter.returncode == 2, zweiter.stderr
    assert {p: p.read_bytes() for p in vorher} == vorher  # nothing of the first run touched
    neu = [p for p in aus.iterdir() if p.is_dir()]
    assert len(neu) == 1 and "enthält schon eine Übersicht" in zweiter.stdout and str(neu[0]) in zweiter.stdout
    assert len(_csv(neu[0])) == 60


def test_verbose_prints_every_report_and_pattern_is_expanded(eingang, tmp_path):
    muster = f"{eingang}/**/*richtig.xlsx"  # quoted: the shell leaves it, pyxl expands it (as on Windows)
    lauf = pyxl("pruefen", muster, "--ausgabe", tmp_path, "--ausfuehrlich")
    assert lauf.returncode == 0, lauf.stderr
    anzahl = len(list(BEISPIELE.glob("*richtig.xlsx"))) * 2
    assert len(_csv(tmp_path)) == anzahl
    assert lauf.stdout.count("Ergebnis:") >= anzahl  # each report, then the summary
    assert f"{anzahl} Dateien: {anzahl} geprüft" in lauf.stdout


def test_output_folder_inside_the_input_folder_is_not_checked_again(tmp_path):
    """An official files the reports beside the submissions (``eingang/berichte``): neither the second run nor a
    pattern over the folder checks the first run's annotated copies and reports as submissions."""
    eingang = tmp_path / "eingang"
    eingang.mkdir()
    for name in ("RZWAS-4_richtig.xlsx", "RZWAS-3B_fehler_summe_geaendert.xlsx"):
        shutil.copy(BEISPIELE / name, eingang / name)
    aus = eingang / "berichte"
    erster = pyxl("pruefen", eingang, "--ausgabe", aus, "--markieren")
    assert erster.returncode == 1, erster.stderr
    assert len(list(aus.glob("*_geprueft.xlsx"))) == 2
    for argument in (eingang, f"{eingang}/**/*.xlsx"):
        lauf = pyxl("pruefen", argument, "--ausgabe", aus, "--markieren")
        assert lauf.returncode == 1, lauf.stderr
        (neu,) = sorted((p for p in aus.iterdir() if p.is_dir()), key=lambda p: p.stat().st_mtime)[-1:]
        zeilen = _csv(neu)
        assert sorted(Path(z["Datei"]).name for z in zeilen if z["Status"] == "geprüft") == [
            "RZWAS-3B_fehler_summe_geaendert.xlsx",
            "RZWAS-4_richtig.xlsx",
        ]
        (ausgelassen,) = [z for z in zeilen if z["Status"] == "übersprungen"]
        assert Path(ausgelassen["Datei"]) == aus  # listed once, as the output folder
        assert "3 Dateien: 2 geprüft, 0 nicht prüfbar, 1 übersprungen" in lauf.stdout
        shutil.rmtree(neu)  # the next run's subfolder is then the only one


def test_checking_only_the_output_folder_says_why_nothing_is_checked(tmp_path):
    (tmp_path / "aus").mkdir()
    shutil.copy(BEISPIELE / "RZWAS-4_richtig.xlsx", tmp_path / "aus" / "a.xlsx")
    lauf = pyxl("pruefen", tmp_path / "aus", "--ausgabe", tmp_path / "aus")
    assert lauf.returncode == 2
    assert "Ausgabeordner dieses Befehls" in lauf.stderr and "keine Datei zu prüfen" in lauf.stderr
