"""Issue 15: the HTML overview and a report pass an automated accessibility check (axe-core, WCAG 2.0/2.1 A and AA)
in real headless Chromium, through the one browser harness in ``tests/browser``."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.befehl import WURZEL, pyxl
from tests.browser import axe_pruefen, bildschirmfoto, url, verstoesse_lesbar

BEISPIELE = WURZEL / "xlsx_templates" / "beispiele"
DATEIEN = (
    "RZWAS-3B_richtig.xlsx",
    "RZWAS-3B_fehler_summe_geaendert.xlsx",  # has a folded "Rechenweg"
    "RZWAS-4_fehler_text_statt_zahl.xlsx",
    "OEPNV-EP_fehler_negativer_betrag.xlsx",
)


@pytest.fixture(scope="module")
def ausgabe(tmp_path_factory) -> Path:
    """``pyxl pruefen`` on a few examples, correct and faulty, with HTML reports and the overview."""
    wurzel = tmp_path_factory.mktemp("barrierefrei")
    eingang = wurzel / "eingang"
    eingang.mkdir()
    for name in DATEIEN:
        shutil.copy(BEISPIELE / name, eingang / name)
    ziel = wurzel / "ausgabe"
    lauf = pyxl("pruefen", eingang, "--ausgabe", ziel, "--format", "html")
    assert lauf.returncode == 1, lauf.stdout + lauf.stderr  # faulty files among them
    assert (ziel / "index.html").exists(), lauf.stdout + lauf.stderr
    return ziel


def test_uebersicht_ohne_verstoesse(browser, ausgabe):
    verstoesse = axe_pruefen(browser, url(ausgabe / "index.html"))
    assert verstoesse == [], verstoesse_lesbar(verstoesse)


def test_bericht_mit_rechenweg_ohne_verstoesse(browser, ausgabe):
    bericht = ausgabe / "RZWAS-3B_fehler_summe_geaendert.pruefbericht.html"
    text = bericht.read_text(encoding="utf-8")
    assert "<details><summary>Rechenweg</summary>" in text
    verstoesse = axe_pruefen(browser, url(bericht))
    assert verstoesse == [], verstoesse_lesbar(verstoesse)


def test_alle_berichte_ohne_verstoesse(browser, ausgabe):
    berichte = sorted(ausgabe.glob("*.pruefbericht.html"))
    assert len(berichte) == len(DATEIEN)
    for bericht in berichte:
        verstoesse = axe_pruefen(browser, url(bericht))
        assert verstoesse == [], f"{bericht.name}:\n{verstoesse_lesbar(verstoesse)}"


def test_axe_findet_verstoesse(browser, tmp_path):
    """The check can fail: a page without language, with an image without text and grey on grey is caught."""
    seite = tmp_path / "schlecht.html"
    seite.write_text(
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>x</title></head><body>'
        '<img src="x.png"><p style="color:#bbb;background:#ccc">kaum lesbar</p></body></html>',
        encoding="utf-8",
    )
    regeln = {v["id"] for v in axe_pruefen(browser, url(seite))}
    assert {"html-has-lang", "image-alt", "color-contrast"} <= regeln


def test_bildschirmfoto(browser, ausgabe, tmp_path):
    bild = bildschirmfoto(browser, tmp_path / "index.png", url(ausgabe / "index.html"))
    assert bild.read_bytes().startswith(b"\x89PNG")
