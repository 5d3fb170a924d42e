"""Outputs of ``pyxl pruefen`` and ``pyxl haushalt pruefen`` (issue 11): nothing existing is overwritten, no link
in ``--ausgabe`` is followed, one mode for every output, text reports with content, long text cut, an unwritable
``--ausgabe`` still shows the findings, control characters from file names never reach the terminal raw."""

from __future__ import annotations

import base64
import io
import json
import os
import shutil
import stat
from pathlib import Path

import openpyxl
import pytest
from rich.console import Console

from pyxl.validators.ausgabe import text as textbericht
from pyxl.validators.ausgabe.markieren import markierte_kopie
from pyxl.validators.ausgabe.schreiben import neue_datei, schreibe_neu
from pyxl.validators.befund import Befund, Bericht, Schwere
from pyxl.validators.pruefen import pruefe_datei
from tests.befehl import pyxl

BEISPIELE = Path(__file__).parents[1] / "xlsx_templates" / "beispiele"
FORMULAR = BEISPIELE / "RZWAS-4_fehler_text_statt_zahl.xlsx"  # exit 1: one error
HAUSHALT = BEISPIELE / "NKF-TEP_fehler_summe_geaendert.xlsx"  # exit 1 with `haushalt pruefen` too
# the command, its input, a finding and the summary its report must contain
BEFEHLE = {
    "pruefen": (
        ["pruefen"],
        FORMULAR,
        "Fehler: Anlage 4!D19 – Zahl als Text eingegeben – gelesen als 2.000.000,00",
        "1 Fehler, 0 Warnungen, 0 Hinweise",
    ),
    "haushalt": (
        ["haushalt", "pruefen"],
        HAUSHALT,
        "Fehler: Teilergebnisplan!F29 – Formel überschrieben",
        "1 Fehler, 0 Warnungen, 0 Hinweise",
    ),
}
STEUER = ("\x1b", "\r", "\x07", "\u202e", "\x9b")


def eingang(ordner: Path, quelle: Path, name: str | None = None) -> Path:
    ordner.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy(quelle, ordner / (name or quelle.name)))


@pytest.mark.parametrize("befehl", BEFEHLE)
def test_links_in_the_output_folder_are_never_followed(tmp_path, befehl):
    argumente, quelle, *_ = BEFEHLE[befehl]
    datei = eingang(tmp_path / "eingang", quelle, "X.xlsx")
    opfer = tmp_path / "opfer.txt"
    opfer.write_bytes(b"fremde Daten\n")
    aus = tmp_path / "aus"
    aus.mkdir()
    (aus / "X.pruefbericht.txt").symlink_to(opfer)
    (aus / "X.pruefbericht.json").symlink_to(tmp_path / "gibt_es_nicht.json")  # dangling: still taken
    (aus / "X_geprueft.xlsx").symlink_to(tmp_path / "auch_nicht.xlsx")
    markieren = ["--markieren"] if befehl == "pruefen" else []
    for format_ in ("text", "json"):
        lauf = pyxl(*argumente, datei, "--ausgabe", aus, "--format", format_, *markieren)
        assert lauf.returncode == 1, lauf.stderr
    assert opfer.read_bytes() == b"fremde Daten\n"
    assert not (tmp_path / "gibt_es_nicht.json").exists() and not (tmp_path / "auch_nicht.xlsx").exists()
    assert (aus / "X_2.pruefbericht.txt").read_text(encoding="utf-8").startswith(f"{datei} – ")
    assert "Hinweis: Bericht zu" in lauf.stderr and "X_2.pruefbericht.json" in lauf.stderr
    assert json.loads((aus / "X_2.pruefbericht.json").read_text(encoding="utf-8"))["file"] == str(datei)
    if befehl == "pruefen":
        assert "Prüfbericht" in openpyxl.load_workbook(aus / "X_geprueft_2.xlsx").sheetnames


def test_another_applicants_copy_in_the_inbox_stays_and_ours_gets_a_free_name(tmp_path):
    """--ausgabe is the inbox: X_geprueft.xlsx was submitted by someone else (and X.xlsx is the submission)."""
    inbox = tmp_path / "eingang"
    datei = eingang(inbox, FORMULAR, "X.xlsx")
    fremd = eingang(inbox, BEISPIELE / "RZWAS-3B_richtig.xlsx", "X_geprueft.xlsx").read_bytes()
    vorher = datei.read_bytes()
    lauf = pyxl("pruefen", datei, "--ausgabe", inbox, "--markieren", "--format", "json")
    assert lauf.returncode == 1, lauf.stderr
    assert (inbox / "X_geprueft.xlsx").read_bytes() == fremd and datei.read_bytes() == vorher
    hinweis = [b for b in json.loads(lauf.stdout)["findings"] if b["rule"] == "markierte_kopie_umbenannt"]
    assert [(b["severity"], b["message"]) for b in hinweis] == [
        ("info", "Markierte Kopie gespeichert als „X_geprueft_2.xlsx“ – „X_geprueft.xlsx“ gab es schon")
    ]
    kopie = openpyxl.load_workbook(inbox / "X_geprueft_2.xlsx")
    zeilen = list(kopie["Prüfbericht"].iter_rows(min_row=5, values_only=True))
    assert any(z[3] and "X_geprueft_2.xlsx" in z[3] for z in zeilen)  # the copy names itself too
    # the copy of the other applicant's file is named after it, so nothing collides
    lauf = pyxl("pruefen", inbox / "X_geprueft.xlsx", "--ausgabe", inbox, "--markieren")
    assert lauf.returncode == 0 and (inbox / "X_geprueft_geprueft.xlsx").exists()
    assert (inbox / "X_geprueft.xlsx").read_bytes() == fremd


def test_same_named_inputs_each_get_their_report(tmp_path):
    a = eingang(tmp_path / "a", FORMULAR, "X.xlsx")
    b = eingang(tmp_path / "b", BEISPIELE / "RZWAS-4_richtig.xlsx", "X.xlsx")
    lauf = pyxl("pruefen", a, b, "--ausgabe", tmp_path / "aus", "--markieren")
    assert lauf.returncode == 1, lauf.stderr
    berichte = {p.name: p.read_text(encoding="utf-8") for p in (tmp_path / "aus").glob("*.pruefbericht.txt")}
    assert sorted(berichte) == ["X.pruefbericht.txt", "X_2.pruefbericht.txt"]
    assert berichte["X.pruefbericht.txt"].startswith(str(a)) and berichte["X_2.pruefbericht.txt"].startswith(str(b))
    assert sorted(p.name for p in (tmp_path / "aus").glob("*.xlsx")) == ["X_geprueft.xlsx", "X_geprueft_2.xlsx"]


def test_every_output_has_the_same_mode(tmp_path):
    aus = tmp_path / "aus"
    for format_ in ("text", "json", "html"):
        lauf = pyxl("pruefen", FORMULAR, "--ausgabe", aus, "--format", format_, "--markieren")
        assert lauf.returncode == 1, lauf.stderr
    lauf = pyxl("haushalt", "pruefen", HAUSHALT, "--ausgabe", aus)
    assert lauf.returncode == 1, lauf.stderr
    modi = {p.name: stat.S_IMODE(p.stat().st_mode) for p in aus.iterdir()}
    assert len(modi) == 7 and set(modi.values()) == {0o644}, modi  # 3 reports, 3 copies, 1 budget report


@pytest.mark.parametrize("befehl", BEFEHLE)
def test_text_report_in_the_output_folder_has_the_report(tmp_path, befehl):
    argumente, quelle, befund, ergebnis = BEFEHLE[befehl]
    lauf = pyxl(*argumente, quelle, "--ausgabe", tmp_path)
    assert lauf.returncode == 1, lauf.stderr
    bericht = (tmp_path / f"{quelle.stem}.pruefbericht.txt").read_text(encoding="utf-8")
    zeilen = bericht.splitlines()
    assert zeilen[0].startswith(f"{quelle} – ") and zeilen[1] == f"  Ergebnis: {ergebnis}"
    assert befund in bericht and "\x1b" not in bericht
    assert bericht in lauf.stdout  # the same text as on the terminal


def _riesiger_zelltext(ziel: Path) -> Path:
    """RZWAS-4 with 45 MB of text in the amount D19: random base64, repeated beyond deflate's window, so the
    file passes the gate's compression limit."""
    wb = openpyxl.load_workbook(BEISPIELE / "RZWAS-4_richtig.xlsx")
    block = base64.b64encode(os.urandom(48 * 1024)).decode()  # 64 KiB
    wb["Anlage 4"]["D19"] = block * (45 * 16)
    wb.save(ziel)
    return ziel


def test_a_45_mb_cell_text_is_cut_in_every_report(tmp_path):
    datei = _riesiger_zelltext(tmp_path / "riesig.xlsx")
    aus = tmp_path / "aus"
    lauf = pyxl("pruefen", datei, "--format", "json", "--ausgabe", aus, "--markieren")
    assert lauf.returncode == 1, lauf.stderr
    befund = next(b for b in json.loads(lauf.stdout)["findings"] if b["cell"] == "D19")
    assert befund["rule"] == "keine_zahl" and len(befund["found"]) == 201 and befund["found"].endswith("…")
    assert befund["found"].startswith("„")
    assert len(lauf.stdout) < 20_000
    assert (aus / "riesig.pruefbericht.json").stat().st_size < 20_000
    assert (aus / "riesig_geprueft.xlsx").exists()


def test_long_text_cut_in_the_model_also_for_budget_fields():
    from pyxl.haushalt.pruefung import HaushaltsBefund

    befund = HaushaltsBefund(
        regel="r", schwere=Schwere.FEHLER, meldung="m" * 10_000, gefunden="g" * 10**6, bezeichnung="b" * 10**6
    )
    assert (len(befund.gefunden), len(befund.bezeichnung), len(befund.meldung)) == (201, 201, 501)
    assert befund.gefunden == "g" * 200 + "…" and befund.meldung.endswith("…")
    assert Befund(regel="r", schwere=Schwere.FEHLER, meldung="kurz", gefunden="g" * 200).gefunden == "g" * 200


@pytest.mark.parametrize("befehl", BEFEHLE)
def test_output_folder_under_a_regular_file_still_shows_the_findings(tmp_path, befehl):
    argumente, quelle, *_ = BEFEHLE[befehl]
    (tmp_path / "datei").write_text("kein Ordner")
    aus = tmp_path / "datei" / "berichte"
    lauf = pyxl(*argumente, quelle, "--ausgabe", aus, "--format", "json")
    assert lauf.returncode == 2
    assert json.loads(lauf.stdout)["summary"] == {"error": 1, "warning": 0, "info": 0}
    assert lauf.stderr == (
        f"Fehler: Ausgabeordner {aus}: lässt sich nicht anlegen (ein Teil des Pfads ist kein Ordner) – keine "
        "Berichte und keine markierten Kopien geschrieben; die Befunde folgen hier\n"
    )


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_read_only_output_folder_still_shows_the_findings(tmp_path):
    aus = tmp_path / "aus"
    aus.mkdir(mode=0o555)
    lauf = pyxl("pruefen", FORMULAR, "--ausgabe", aus, "--markieren")
    assert lauf.returncode == 2 and "Gespeichertes Ergebnis weicht" in lauf.stdout
    assert f"Ausgabeordner {aus}: keine Schreibberechtigung" in lauf.stderr and not list(aus.iterdir())


FEINDLICHER_NAME = "a\x1b[2J\x1b]8;;file:x\x07b\rc\nd\u202eflx.<img src=x onerror=alert(1)>"


@pytest.mark.parametrize("befehl", BEFEHLE)
def test_control_characters_of_a_file_name_never_reach_the_terminal(tmp_path, befehl):
    argumente, quelle, befund, _ = BEFEHLE[befehl]
    datei = eingang(tmp_path / "eingang", quelle, FEINDLICHER_NAME + ".xlsx")
    aus = tmp_path / "aus"
    lauf = pyxl(*argumente, datei, "--ausgabe", aus)
    assert lauf.returncode == 1, lauf.stderr
    for text in (lauf.stdout, lauf.stderr):
        assert not any(z in text for z in STEUER)
    kopf = lauf.stdout.splitlines()[0]
    assert kopf.startswith(f"{datei.parent}/a\\x1b[2J\\x1b]8;;file:x\\x07b\\x0dc\\x0ad\\u202eflx.<img")
    assert befund in lauf.stdout
    # our own file names carry no control character either
    (bericht,) = aus.iterdir()
    assert bericht.name == "a_[2J_]8;;file:x_b_c_d_flx.<img src=x onerror=alert(1)>.pruefbericht.txt"
    inhalt = bericht.read_text(encoding="utf-8")
    assert inhalt in lauf.stdout and not any(z in inhalt for z in STEUER)


def test_a_file_name_cannot_inject_into_the_html_report(tmp_path):
    datei = eingang(tmp_path / "eingang", FORMULAR, FEINDLICHER_NAME + ".xlsx")
    lauf = pyxl("pruefen", datei, "--format", "html", "--ausgabe", tmp_path / "aus", "--markieren")
    assert lauf.returncode == 1, lauf.stderr
    (bericht,) = (tmp_path / "aus").glob("*.html")
    for html in (lauf.stdout, bericht.read_text(encoding="utf-8")):
        assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;.xlsx</h2>" in html
        assert not any(z in html for z in STEUER) and "\\x1b[2J" in html
    (kopie,) = (tmp_path / "aus").glob("*.xlsx")  # the copy took the name in, shown, not raw
    kopf = openpyxl.load_workbook(kopie)["Prüfbericht"]["A2"].value
    assert kopf.startswith("Datei: a\\x1b[2J") and "\x1b" not in kopf


def test_a_failed_output_leaves_nothing_behind(tmp_path):
    (tmp_path / "X.txt").write_text("fremd")
    with pytest.raises(RuntimeError), neue_datei(tmp_path, "X", ".txt") as (ziel, datei):
        datei.write(b"halb")
        assert ziel.name == "X_2.txt"
        raise RuntimeError
    assert [p.name for p in tmp_path.iterdir()] == ["X.txt"] and (tmp_path / "X.txt").read_text() == "fremd"
    bericht = Bericht(datei="kaputt.xlsx")
    with pytest.raises(Exception):  # noqa: B017 – whatever openpyxl raises on bytes that are no zip
        markierte_kopie(b"kein zip", Path("kaputt.xlsx"), bericht, tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["X.txt"] and bericht.befunde == []
    assert schreibe_neu(tmp_path, "X", ".txt", "neu").name == "X_2.txt"


@pytest.mark.parametrize("erklaeren", [False, True])
def test_report_file_is_what_rich_prints_without_colour(erklaeren):
    """A report file is joined from the report's lines without rich (a thousand reports cost seconds there): the
    bytes must stay those of a plain rich console, control characters from the file name shown as escapes."""
    beispiele = sorted((Path(__file__).parents[1] / "xlsx_templates" / "beispiele").glob("*.xlsx"))
    berichte = [pruefe_datei(d) for d in beispiele]
    berichte.append(berichte[1].model_copy(update={"datei": "a\x1b[31m\u202e\tb\r\x07.xlsx  ", "titel": " x\t y "}))
    for bericht in berichte:
        puffer = io.StringIO()
        konsole = Console(file=puffer, width=140, highlight=False, force_terminal=False, no_color=True, soft_wrap=True)
        textbericht.drucke(bericht, konsole, erklaeren=erklaeren)
        assert textbericht.klartext(bericht, erklaeren) == puffer.getvalue(), bericht.datei
    assert any(b.erklaerung for bericht in berichte for b in bericht.befunde)
