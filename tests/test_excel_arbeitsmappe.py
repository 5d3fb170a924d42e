"""Issue #6 clause 2: "Vorlage prüfen" checks the open workbook (the task pane's JSON) by the same rules as a file."""

from __future__ import annotations

from pathlib import Path

import pytest

from pyxl.excel.arbeitsmappe import formular_in, mappe_aus_json
from pyxl.validators.pruefen import pruefe_datei, pruefe_mappe
from tests.excel_hilfen import nutzlast

BEISPIELE = sorted((Path(__file__).parents[1] / "xlsx_templates" / "beispiele").glob("*.xlsx"))


def _befunde(bericht) -> list[tuple[str, str, str, str]]:
    return sorted((b.regel, b.blatt or "", b.zelle or "", b.meldung) for b in bericht.befunde)


@pytest.mark.parametrize("datei", BEISPIELE, ids=lambda p: p.stem)
def test_open_workbook_check_finds_exactly_what_the_file_check_finds(datei):
    im_addin = pruefe_mappe(mappe_aus_json(nutzlast(datei)), datei.name)
    als_datei = pruefe_datei(datei)
    assert (im_addin.formular, im_addin.status) == (als_datei.formular, als_datei.status)
    assert _befunde(im_addin) == _befunde(als_datei)


def test_without_form_id_the_form_is_still_found_by_its_first_sheet():
    assert formular_in({}, ["Tabelle1", "Anlage 3b", "Parameter"]).kennung == "RZWAS-3B"
    assert formular_in({"pyxl_formular": "RZWAS-4"}, ["Anlage 3b"]).kennung == "RZWAS-4"
    assert formular_in({}, ["Tabelle1"]) is None
