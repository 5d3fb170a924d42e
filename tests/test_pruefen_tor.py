"""The gate: every hostile or broken file ends as a clear German finding within seconds, never a crash or hang."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import warnings
import zipfile
from pathlib import Path

import openpyxl
import pytest

from pyxl.validators.befund import Schwere, Status
from pyxl.validators.grenzen import Grenzen
from pyxl.validators.pruefen import pruefe_dateien
from tests import feindlich

SCHNELL = 10.0  # seconds: "finishes within a few seconds"


def pruefe(pfad: Path, grenzen: Grenzen | None = None):
    start = time.monotonic()
    bericht = next(pruefe_dateien([pfad], grenzen=grenzen))  # in a limited worker process, as in production
    assert time.monotonic() - start < SCHNELL
    return bericht


def regeln(bericht) -> set[str]:
    return {b.regel for b in bericht.befunde}


@pytest.mark.langsam
def test_legacy_xls_named_clearly(tmp_path):
    from pyxl.templates.libreoffice import konvertieren

    xls = konvertieren([feindlich.VORLAGE], tmp_path, "xls:MS Excel 97")[0]
    bericht = pruefe(xls)
    assert bericht.status is Status.NICHT_PRUEFBAR and regeln(bericht) == {"altes_format"}
    assert "als .xlsx speichern" in bericht.befunde[0].meldung


def test_password_encrypted_workbook(tmp_path):
    from msoffcrypto.format.ooxml import OOXMLFile

    ziel = tmp_path / "verschluesselt.xlsx"
    with feindlich.VORLAGE.open("rb") as klar, ziel.open("wb") as geheim:
        OOXMLFile(klar).encrypt("geheim", geheim)
    bericht = pruefe(ziel)
    assert regeln(bericht) == {"verschluesselt"}
    assert "bitte ohne Kennwort einreichen" in bericht.befunde[0].meldung


@pytest.mark.parametrize(
    ("bauen", "regel"),
    [(feindlich.umbenannt, "kein_xlsx"), (feindlich.abgeschnitten, "beschaedigt"), (feindlich.zip_bombe, "zip_bombe")],
)
def test_not_a_workbook_truncated_or_bomb(tmp_path, bauen, regel):
    bericht = pruefe(bauen(tmp_path / "datei.xlsx"))
    assert bericht.status is Status.NICHT_PRUEFBAR
    assert regeln(bericht) == {regel}


@pytest.mark.parametrize("xml", [feindlich.BILLION_LAUGHS, feindlich.EXTERNE_ENTITAET], ids=["expansion", "extern"])
def test_xml_entities_refused(tmp_path, xml):
    datei = feindlich.umbauen(tmp_path / "xml.xlsx", ersetzen={"xl/sharedStrings.xml": xml})
    bericht = pruefe(datei)
    assert bericht.status is Status.NICHT_PRUEFBAR and regeln(bericht) == {"xml_entitaeten"}


@pytest.mark.parametrize(
    ("hinzu", "regel", "schwere"),
    [
        ({"xl/vbaProject.bin": b"\0" * 512}, "makros", Schwere.FEHLER),
        ({"xl/externalLinks/externalLink1.xml": feindlich.EXTERNER_LINK}, "externe_verknuepfung", Schwere.WARNUNG),
        ({"xl/externalLinks/externalLink1.xml": feindlich.DDE_LINK}, "dde", Schwere.FEHLER),
        ({"xl/embeddings/oleObject1.bin": b"\0" * 64}, "ole_objekt", Schwere.WARNUNG),
        ({"xl/activeX/activeX1.xml": b"<ax/>"}, "activex", Schwere.FEHLER),
    ],
)
def test_features_reported_and_the_form_still_checked(tmp_path, hinzu, regel, schwere):
    bericht = pruefe(feindlich.umbauen(tmp_path / "merkmal.xlsx", hinzu=hinzu))
    assert bericht.status is Status.GEPRUEFT and bericht.formular == "RZWAS-3B"
    assert [(b.regel, b.schwere) for b in bericht.befunde] == [(regel, schwere)]


def test_dde_formula_in_a_cell(tmp_path):
    bericht = pruefe(feindlich.mit_dde_formel(tmp_path / "dde.xlsx"))
    treffer = [b for b in bericht.befunde if b.regel == "dde"]
    assert treffer and treffer[0].zelle == "A200" and treffer[0].schwere is Schwere.FEHLER


@pytest.mark.parametrize(("zustand", "schwere"), [("hidden", Schwere.WARNUNG), ("veryHidden", Schwere.FEHLER)])
def test_hidden_sheets_reported(tmp_path, zustand, schwere):
    bericht = pruefe(feindlich.mit_blattzustand(tmp_path / "versteckt.xlsx", zustand))
    treffer = [b for b in bericht.befunde if b.regel == "verstecktes_blatt"]
    assert [(b.blatt, b.schwere) for b in treffer] == [("Parameter", schwere)]


def test_cells_at_a1_and_xfd1048576_do_not_allocate_the_grid(tmp_path):
    datei = feindlich.riesiger_bereich(tmp_path / "gitter.xlsx")
    assert datei.stat().st_size < 20_000
    bericht = pruefe(datei)
    assert "riesiger_bereich" in regeln(bericht)


def test_time_limit_yields_a_report(tmp_path):
    bericht = pruefe(feindlich.VORLAGE, Grenzen(zeit_s=0.001))
    assert bericht.status is Status.NICHT_PRUEFBAR and regeln(bericht) == {"zeitgrenze"}


# Run in a fresh interpreter, as the CLI runs: the test process has threads of earlier tests (servers, event loops),
# and a worker forked from it inherits their stacks and malloc arenas — its address space at the fork is then
# already past a limit measured a moment before, and it dies before it starts instead of meeting the limit.
SPEICHERPROBE = """
import json, sys, time
from pathlib import Path
from pyxl.validators.grenzen import Grenzen
from pyxl.validators.pruefen import pruefe_dateien

def adressraum():
    zeile = next(z for z in Path("/proc/self/status").read_text().splitlines() if z.startswith("VmSize:"))
    return int(zeile.split()[1]) * 1024

start = time.monotonic()
bericht = next(pruefe_dateien([Path(sys.argv[1])], grenzen=Grenzen(speicher=adressraum() + 40 * 2**20)))
print(json.dumps({"status": bericht.status.value, "regeln": sorted({b.regel for b in bericht.befunde}),
                  "sekunden": time.monotonic() - start}))
"""


def test_memory_limit_yields_a_report_not_a_crash(tmp_path):
    # The worker is forked: 40 MB above its address space cannot hold 200.000 parsed rows of nine cells.
    datei = feindlich.viele_zellen(tmp_path / "gross.xlsx", 200_000)
    lauf = subprocess.run(
        [sys.executable, "-c", SPEICHERPROBE, str(datei)], capture_output=True, text=True, timeout=120, check=True
    )
    ergebnis = json.loads(lauf.stdout)
    assert ergebnis["status"] == Status.NICHT_PRUEFBAR.value
    assert set(ergebnis["regeln"]) <= {"speichergrenze", "pruefprozess_abgebrochen", "nicht_lesbar"}
    assert ergebnis["sekunden"] < SCHNELL


def test_oversized_file_refused_without_reading(tmp_path):
    bericht = pruefe(feindlich.VORLAGE, Grenzen(dateigroesse=1000))
    assert regeln(bericht) == {"dateigroesse"}


def test_missing_file_is_not_checkable(tmp_path):
    bericht = pruefe(tmp_path / "gibt_es_nicht.xlsx")
    assert bericht.status is Status.NICHT_PRUEFBAR and regeln(bericht) == {"nicht_lesbar"}


def test_openpyxl_never_loads_a_link_file_we_reported(tmp_path):
    """Annotated copies load with keep_links=False: a workbook with external links still yields a copy."""
    datei = feindlich.umbauen(
        tmp_path / "link.xlsx", hinzu={"xl/externalLinks/externalLink1.xml": feindlich.EXTERNER_LINK}
    )
    bericht = next(pruefe_dateien([datei], markieren=tmp_path / "aus"))
    assert bericht.status is Status.GEPRUEFT
    assert "Prüfbericht" in openpyxl.load_workbook(tmp_path / "aus" / "link_geprueft.xlsx").sheetnames


def test_long_formula_with_a_pipe_is_no_regex_trap(tmp_path):
    """100.000 characters, a pipe, 100.000 spaces: refused at once as longer than Excel allows (no ReDoS)."""
    formel = b"a" * 100_000 + b"|" + b" " * 100_000
    blatt = feindlich.teil("xl/worksheets/sheet1.xml").replace(
        b"</sheetData>", b'<row r="300"><c r="A300"><f>' + formel + b"</f></c></row></sheetData>", 1
    )
    bericht = pruefe(feindlich.umbauen(tmp_path / "lang.xlsx", ersetzen={"xl/worksheets/sheet1.xml": blatt}))
    assert regeln(bericht) == {"beschaedigt"} and "länger als Excel erlaubt" in bericht.befunde[0].meldung


def test_dde_in_a_defined_name(tmp_path):
    mappe = feindlich.teil("xl/workbook.xml").replace(
        b"<definedNames>", b"<definedNames><definedName name=\"zz\">cmd|' /C calc'!A0</definedName>", 1
    )
    bericht = pruefe(feindlich.umbauen(tmp_path / "name.xlsx", ersetzen={"xl/workbook.xml": mappe}))
    assert "dde" in regeln(bericht)


def test_doubled_zip_member_refused(tmp_path):
    ziel = feindlich.umbauen(tmp_path / "doppelt.xlsx")
    with zipfile.ZipFile(ziel, "a") as archiv, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate name we add on purpose
        archiv.writestr("xl/worksheets/sheet1.xml", feindlich.teil("xl/worksheets/sheet1.xml"))
    assert regeln(pruefe(ziel)) == {"beschaedigt"}


def test_dtd_in_a_part_no_later_step_reads(tmp_path):
    stile = feindlich.teil("xl/styles.xml").replace(b"?>", b'?><!DOCTYPE x [<!ENTITY a "b">]>', 1)
    bericht = pruefe(feindlich.umbauen(tmp_path / "stil.xlsx", ersetzen={"xl/styles.xml": stile}))
    assert regeln(bericht) == {"xml_entitaeten"}


def test_no_annotated_copy_of_a_file_with_dde_but_a_complete_report(tmp_path):
    datei = feindlich.mit_dde_formel(tmp_path / "dde.xlsx")
    bericht = next(pruefe_dateien([datei], markieren=tmp_path / "aus"))
    assert {"dde", "keine_markierte_kopie"} <= regeln(bericht) and bericht.status is Status.GEPRUEFT
    assert not list((tmp_path / "aus").glob("*.xlsx")) if (tmp_path / "aus").exists() else True


@pytest.mark.parametrize("adresse", ["A1048577", "XFE1"])
def test_cell_outside_the_grid_is_damage(tmp_path, adresse):
    bericht = pruefe(feindlich.zelle_ausserhalb(tmp_path / "raster.xlsx", adresse))
    assert [(b.regel, "außerhalb des Tabellenrasters" in b.meldung) for b in bericht.befunde] == [("beschaedigt", True)]


def test_negative_shared_string_index_is_a_finding_at_its_cell(tmp_path):
    """Python would quietly read the last string for index −1; the OOXML grammar has no sign there."""
    bericht = pruefe(feindlich.negativer_textindex(tmp_path / "text.xlsx"))
    assert [(b.regel, b.zelle, b.gefunden) for b in bericht.befunde] == [("zahl_ungueltig", "A300", "-1")]
