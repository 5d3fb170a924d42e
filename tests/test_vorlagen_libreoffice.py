"""Proof in a real spreadsheet engine: the templates' native formulas give the Python calculators' results.

Each form is filled with its edge cases first (:mod:`tests.kantenfaelle`: every edge of ``KANTEN`` reached exactly
and a cent either side, every flag of ``FLAGGEN`` both ways, the error paths — always included), then with
``PYXL_FAELLE`` random cases (:mod:`tests.fuellungen`, fixed seeds; 25 in the test command, to keep it within its
time budget; the full proof: ``PYXL_FAELLE=200 .venv/bin/python -m pytest tests/test_vorlagen_libreoffice.py``). All
are recalculated by LibreOffice headless in one run, read back and compared with :meth:`Formular.nachrechnen` to the
cent; where Python refuses an input, the sheet must show an error.
"""

from __future__ import annotations

import os
from pathlib import Path

import openpyxl
import pytest

from pyxl.templates import Fehlerwert, formulare
from pyxl.templates.beispiele import ausfuellen
from pyxl.templates.libreoffice import neu_berechnen
from pyxl.validators.regeln import gleich_auf_cent
from tests.fuellungen import zufallsfaelle
from tests.kantenfaelle import FEHLERPFADE, FLAGGEN, KANTEN, erreicht, kantenfaelle, noetig

FAELLE = int(os.environ.get("PYXL_FAELLE", "25"))  # random cases per form, on top of the edge cases


@pytest.fixture(scope="module")
def berechnet(tmp_path_factory) -> dict[str, list[tuple[dict[str, object], Path]]]:
    """All cases of all forms, the edge cases first, recalculated by LibreOffice in one run: kennung -> [(inputs,
    recalculated file)]."""
    roh = tmp_path_factory.mktemp("faelle")
    faelle: dict[str, list[tuple[dict[str, object], Path]]] = {}
    for kennung, formular in formulare().items():
        faelle[kennung] = []
        for muster, liste in (("kante{:02d}", kantenfaelle(kennung)), ("{:03d}", zufallsfaelle(kennung, FAELLE))):
            for nummer, eingaben in enumerate(liste):
                datei = roh / f"{kennung}_{muster.format(nummer)}.xlsx"
                ausfuellen(formular, eingaben).save(datei)
                faelle[kennung].append((eingaben, datei))
    alle = [datei for liste in faelle.values() for _, datei in liste]
    ergebnisse = neu_berechnen(alle, tmp_path_factory.mktemp("berechnet"))
    umbenannt = dict(zip(alle, ergebnisse, strict=True))
    return {k: [(e, umbenannt[d]) for e, d in liste] for k, liste in faelle.items()}


@pytest.mark.langsam
@pytest.mark.parametrize("kennung", list(formulare()))
def test_native_formulas_equal_python_calculators_to_the_cent(berechnet, kennung):
    formular = formulare()[kennung]
    abweichungen = []
    geprueft = fehlerfaelle = 0
    for eingaben, datei in berechnet[kennung]:
        wb = openpyxl.load_workbook(datei, data_only=True)
        for schluessel, soll in formular.nachrechnen(eingaben).werte.items():
            feld = formular.feld(schluessel)
            ist = wb[feld.blatt][feld.zelle].value
            geprueft += 1
            fehlerfaelle += isinstance(soll, Fehlerwert)
            if not gleich_auf_cent(soll, ist):
                abweichungen.append(f"{datei.name} {schluessel} ({feld.zelle}): Python {soll!r}, Tabelle {ist!r}")
    assert not abweichungen, "\n".join(abweichungen[:20])
    assert len(berechnet[kennung]) == len(kantenfaelle(kennung)) + FAELLE  # the edge cases are always in
    assert geprueft >= len(berechnet[kennung]) * 5
    if kennung in FEHLERPFADE:
        assert fehlerfaelle > 0  # the error paths (#NV) were exercised too


@pytest.mark.parametrize("kennung", sorted(set(KANTEN) | set(FLAGGEN) | FEHLERPFADE))
def test_edge_cases_reach_every_edge_raise_every_flag_and_take_the_error_paths(kennung):
    """The edge cases alone (not the random ones, so this holds at any ``PYXL_FAELLE``, 0 too): each edge of
    ``KANTEN`` — caps, the 5-Mio cliff, the Förderschwelle, the branch change, the Bagatellgrenze, … — is reached on
    every side it asks for (exactly, and a cent either side), each flag of ``FLAGGEN`` comes out "ja" and "nein", and
    the forms of ``FEHLERPFADE`` show an error. Else the proof would prove little."""
    gesehen = set().union(*(erreicht(kennung, eingaben) for eingaben in kantenfaelle(kennung)))
    fehlend = noetig(kennung) - gesehen
    assert not fehlend, sorted(fehlend)


@pytest.mark.langsam
def test_templates_print_as_a4_pdf_with_a_non_empty_first_page(tmp_path, vorlagen_pdf):
    """Each template as LibreOffice exports it (the PDFs of conftest's ``vorlagen_pdf``, made once per run): A4, and
    page 1 rendered (pdftoppm) shows something."""
    import shutil
    import subprocess

    assert shutil.which("pdftoppm"), "pdftoppm fehlt (Debian: poppler-utils)"
    for pdf in vorlagen_pdf.values():
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        assert "A4" in info
        subprocess.run(["pdftoppm", "-r", "40", "-gray", "-f", "1", "-l", "1", str(pdf), str(tmp_path / pdf.stem)],
                       check=True)  # fmt: skip
        bild = next(tmp_path.glob(f"{pdf.stem}*.pgm"))
        pixel = bild.read_bytes().split(b"\n", 3)[3]  # P5 header: magic, size, maxval, then the pixels
        dunkel = sum(1 for p in pixel if p < 128)
        assert dunkel > 0.005 * len(pixel), f"{pdf.name}: Seite 1 ist (fast) leer"
