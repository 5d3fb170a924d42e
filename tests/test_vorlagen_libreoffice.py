"""Proof in a real spreadsheet engine: the templates' native formulas give the Python calculators' results.
Each form is filled with FAELLE generated cases (100 in the test command, to keep it within its time budget;
the full proof: ``PYXL_FAELLE=200 .venv/bin/python -m pytest tests/test_vorlagen_libreoffice.py``), all
recalculated by LibreOffice headless in one start, read back and compared with :meth:`Formular.nachrechnen` to the
cent; where Python refuses an input, the sheet must show an error.
"""

from __future__ import annotations

import os
import random
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from pyxl.templates import Fehlerwert, formulare
from pyxl.templates.beispiele import ausfuellen
from pyxl.templates.libreoffice import neu_berechnen
from pyxl.validators.regeln import gleich_auf_cent
from tests.fuellungen import (
    ausbaukosten_fuellen,
    exante_fuellen,
    expost_fuellen,
    nkf_fuellen,
    positionen_fuellen,
    trennungsrechnung_fuellen,
    uebersicht_fuellen,
)

FAELLE = int(os.environ.get("PYXL_FAELLE", "100"))
CENT = Decimal("0.01")


def _fuellung(kennung: str, zufall: random.Random) -> dict[str, object]:
    formular = formulare()[kennung]
    if kennung.startswith("NKF"):
        return nkf_fuellen(formular, zufall)
    besondere = {"OEPNV-TR": trennungsrechnung_fuellen, "OEPNV-EA": exante_fuellen, "OEPNV-EP": expost_fuellen,
                 "OEPNV-UE": uebersicht_fuellen}  # fmt: skip
    if kennung in besondere:
        return besondere[kennung](formular, zufall)
    return ausbaukosten_fuellen(zufall) if kennung == "RZWAS-4" else positionen_fuellen(formular, zufall)


@pytest.fixture(scope="module")
def berechnet(tmp_path_factory) -> dict[str, list[tuple[dict[str, object], Path]]]:
    """All cases of all forms, recalculated by LibreOffice in one run: kennung -> [(inputs, recalculated file)]."""
    roh = tmp_path_factory.mktemp("faelle")
    faelle: dict[str, list[tuple[dict[str, object], Path]]] = {}
    for kennung, formular in formulare().items():
        zufall = random.Random(f"pyxl-{kennung}")  # fixed seed: a failure is reproducible
        for nummer in range(FAELLE):
            eingaben = _fuellung(kennung, zufall)
            datei = roh / f"{kennung}_{nummer:03d}.xlsx"
            ausfuellen(formular, eingaben).save(datei)
            faelle.setdefault(kennung, []).append((eingaben, datei))
    alle = [datei for liste in faelle.values() for _, datei in liste]
    ergebnisse = neu_berechnen(alle, tmp_path_factory.mktemp("berechnet"))
    umbenannt = dict(zip(alle, ergebnisse, strict=True))
    return {k: [(e, umbenannt[d]) for e, d in liste] for k, liste in faelle.items()}


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
    assert len(berechnet[kennung]) >= FAELLE
    assert geprueft >= FAELLE * 5
    if kennung in {"RZWAS-3A", "RZWAS-3B"}:
        assert fehlerfaelle > 0  # the error paths (#NV) were exercised too


# Where a rule changes its mind: each must be reached from both sides by the generated cases.
KANTEN = {
    "RZWAS-3A": [("summe.basis", Decimal(5_000_000)), ("pos.geb.1.menge", Decimal(6250))],
    "RZWAS-3B": [("summe.kp", Decimal(5_000_000)), ("pos.ka.1.krw", Decimal(1380) - CENT),
                 ("pos.pw.1.krw", Decimal(8200) - CENT), ("pos.rb.1.krw", Decimal(1280) - CENT)],
    "RZWAS-4": [("ak.ak", Decimal(1278)), ("ak.ak", Decimal(4090)), ("ak.zh", Decimal(70) - CENT)],
    "OEPNV-EA": [("ea.exante", Decimal(1000)), ("ea.be_basis", Decimal(0)), ("ea.exante", Decimal("0.01"))],
    "OEPNV-EP": [("ep.a_max", Decimal(0)), ("ep.ueberzahlung", CENT), ("ep.zins", CENT)],
    "OEPNV-UE": [("ue.restcent", Decimal(1))],
}  # fmt: skip
# Flags of the Satzung (Ziffer 3.11, 7.2, 3.13, 1.8): each must come out "ja" and "nein" in the generated cases.
FLAGGEN = {"OEPNV-EA": ["ea.flag_311", "ea.flag_72"], "OEPNV-EP": ["ep.flag_313"],
           "OEPNV-UE": ["ue.abschmelzung", "ue.unterdeckung"]}  # fmt: skip


@pytest.mark.parametrize("kennung", list(FLAGGEN))
def test_cases_raise_every_flag_both_ways(berechnet, kennung):
    formular = formulare()[kennung]
    for schluessel in FLAGGEN[kennung]:
        gesehen = {formular.nachrechnen(eingaben).werte[schluessel] for eingaben, _ in berechnet[kennung]}
        assert {"ja", "nein"} <= gesehen, (schluessel, gesehen)


@pytest.mark.parametrize("kennung", list(KANTEN))
def test_cases_reach_both_sides_of_every_edge(berechnet, kennung):
    """Caps, the 5-Mio cliff, the Förderschwelle and the branch change are each crossed (else the proof proves
    little)."""
    formular = formulare()[kennung]
    for schluessel, kante in KANTEN[kennung]:
        werte = []
        for eingaben, _ in berechnet[kennung]:
            wert = eingaben.get(schluessel, formular.nachrechnen(eingaben).werte.get(schluessel))
            if isinstance(wert, int | float | Decimal):
                werte.append(Decimal(str(wert)))
        assert any(w < kante for w in werte) and any(w >= kante for w in werte), (schluessel, kante)


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
