"""Issue 12, point 6: ``pyxl fn`` loads what its call needs — one family of functions, its parameters, no pydantic —
and still answers, lists and validates exactly as before."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from pydantic import ValidationError

from pyxl import parameter
from pyxl.functions import REGISTER
from pyxl.functions.registry import FAMILIEN, MODULE

FUNKTIONEN = Path(__file__).parents[1] / "pyxl" / "functions"
GELADEN = """
import json, sys
from pyxl.cli import main
sys.argv = ["pyxl", *json.loads(sys.argv[1])]
try:
    main()
finally:
    print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""


def _module_nach(*argumente: str) -> tuple[str, set[str]]:
    lauf = subprocess.run(
        [sys.executable, "-c", GELADEN, json.dumps(argumente)], capture_output=True, text=True, check=True
    )
    return lauf.stdout, set(json.loads(lauf.stderr.splitlines()[-1]))


def test_pyxl_fn_imports_one_family_and_no_pydantic():
    ausgabe, module = _module_nach("fn", "RZW_ZUWENDUNGSSATZ", "5000,5")
    assert ausgabe.strip() == "63,57"
    assert "pyxl.functions.rzwas_zuwendung" in module
    unnoetig = {"pydantic", "pyxl.functions.oepnv", "pyxl.functions.kennzahlen", "pyxl.functions.rzwas_krw"}
    unnoetig |= {"xlwings", "openpyxl", "pandas", "numpy", "rich", "pyxl.templates", "pyxl.validators", "pyxl.excel"}
    assert not unnoetig & module


def test_every_function_is_declared_in_the_module_its_prefix_names():
    for eintrag in REGISTER.values():
        modul = next(m for praefix, m in FAMILIEN if eintrag.name.startswith(praefix))
        assert eintrag.berechnung.__module__ == f"pyxl.functions.{modul}", eintrag.name


def test_every_module_declaring_functions_is_listed():
    deklarierend = {
        datei.stem
        for datei in FUNKTIONEN.glob("*.py")
        if any(
            isinstance(knoten, ast.Call) and getattr(knoten.func, "id", None) == "excel_funktion"
            for knoten in ast.walk(ast.parse(datei.read_text(encoding="utf-8")))
        )
    }
    assert deklarierend == set(MODULE)


def test_register_order_does_not_depend_on_which_function_was_called_first():
    liste, _ = _module_nach("fn", "--list")
    skript = "from pyxl.functions import funktion, REGISTER; funktion('RZW_ZUWENDUNG'); funktion('oepnv_wagnis'); "
    skript += "print(list(REGISTER))"
    nach_einzelnen = subprocess.run([sys.executable, "-c", skript], capture_output=True, text=True, check=True)
    assert ast.literal_eval(nach_einzelnen.stdout) == list(REGISTER)
    assert [z.split("(")[0] for z in liste.splitlines() if not z.startswith(" ")] == list(REGISTER)


@pytest.mark.parametrize(
    ("klasse", "name"),
    [
        (parameter.RZWasParameter, "rzwas_2005"),
        (parameter.NKFParameter, "nkf_nrw"),
        (parameter.Berichtsstatistik, "berichtsstatistik"),
        (parameter.OEPNVParameter, "oepnv_rotenburg"),
        (parameter.Basiszins, "basiszinssatz"),
    ],
)
def test_quick_loading_gives_what_pydantic_gives(klasse, name):
    daten = parameter.lade_toml(name)
    schnell, geprueft = parameter._bauen(klasse, daten), klasse.model_validate(daten)
    assert schnell == geprueft and repr(schnell) == repr(geprueft)  # repr: also Decimal('1') against Decimal('1.0')


def test_data_off_the_plain_reading_go_to_pydantic():
    daten = parameter.lade_toml("rzwas_2005")
    daten["anl2b"]["klaeranlage"]["a"] = "3661"  # text: pydantic's conversion, as before
    assert parameter._bauen(parameter.RZWasParameter, daten).anl2b.klaeranlage.a == Decimal("3661")
    daten["anl2b"]["klaeranlage"]["a"] = "viel"
    with pytest.raises(ValidationError, match=r"anl2b\.klaeranlage\.a"):
        parameter._bauen(parameter.RZWasParameter, daten)
    daten = parameter.lade_toml("rzwas_2005")
    daten["anl2a"]["wasserleitung"]["dn"] = daten["anl2a"]["wasserleitung"]["dn"][::-1]
    with pytest.raises(ValidationError, match="passen nicht zusammen"):
        parameter._bauen(parameter.RZWasParameter, daten)


def test_a_countys_own_satzung_file_is_checked_as_before(tmp_path):
    datei = tmp_path / "satzung.toml"
    text = (Path(parameter.__file__).parent / "oepnv_rotenburg.toml").read_text(encoding="utf-8")
    datei.write_text(text, encoding="utf-8")
    assert parameter.oepnv_aus_datei(datei) == parameter.oepnv()
    datei.write_text(text + "\n[unbekannt]\nx = 1\n", encoding="utf-8")
    with pytest.raises(parameter.UnbekannteAusgabe, match="Schlüssel unbekannt ist unbekannt"):  # German
        parameter.oepnv_aus_datei(datei)
    datei.write_text(text.replace("satz = 4.75", 'satz = "viel"', 1), encoding="utf-8")
    with pytest.raises(parameter.UnbekannteAusgabe, match=r"Schlüssel wagnis\.satz ist keine Zahl"):
        parameter.oepnv_aus_datei(datei)
