"""The ``pyxl`` command line, run as a real process."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from pyxl.functions import REGISTER


def pyxl(*argumente: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pyxl", *argumente], capture_output=True, text=True, timeout=60, check=False
    )


def test_fn_prints_german_value():
    lauf = pyxl("fn", "RZW_ZUWENDUNGSSATZ", "5000,5")
    assert (lauf.returncode, lauf.stdout, lauf.stderr) == (0, "63,57\n", "")


def test_fn_decimal_point_and_thousands_in_output():
    lauf = pyxl("fn", "RZW_KOSTENPAUSCHALE", "547.45", "2000")
    assert (lauf.returncode, lauf.stdout) == (0, "1.094.900,00\n")


def test_fn_json_decimals_as_strings():
    lauf = pyxl("fn", "RZW_ZUWENDUNGSSATZ", "5000,5", "--json")
    daten = json.loads(lauf.stdout)
    assert lauf.returncode == 0
    assert {k: daten[k] for k in ("function", "value", "unit")} == {
        "function": "RZW_ZUWENDUNGSSATZ",
        "value": "63.57",
        "unit": "%",
    }
    assert daten["clause"] == "RZWas 2005 Anl. 2a Nr. 3.1, Anl. 2b Nr. 3.1"


def test_fn_bad_argument_exits_2_with_one_german_line():
    lauf = pyxl("fn", "RZW_KRW_KLAERANLAGE", "2,5")
    assert lauf.returncode == 2
    assert lauf.stdout == ""
    assert lauf.stderr == (
        "Fehler: RZW_KRW_KLAERANLAGE: EW = 2,5: Mengen sind ganzzahlig anzugeben (RZWas 2005 Anl. 2b Nr. 2)\n"
    )


def test_fn_negative_number_is_an_argument_not_an_option():
    lauf = pyxl("fn", "RZW_ZUWENDUNGSSATZ", "-5")
    assert lauf.returncode == 2
    assert "AK = -5: muss größer als 0 sein" in lauf.stderr


def test_fn_dn_above_table_exits_2_naming_kostenanschlag():
    lauf = pyxl("fn", "RZW_KRW_WASSERLEITUNG", "400")
    assert lauf.returncode == 2
    assert "Kostenanschlag/Kostenfeststellung (RZWas 2005 Anl. 2a Nr. 2.6)" in lauf.stderr
    assert len(lauf.stderr.splitlines()) == 1


def test_fn_note_on_stderr_value_on_stdout():
    lauf = pyxl("fn", "RZW_KRW_GEBAEUDE", "7000")
    assert (lauf.returncode, lauf.stdout) == (0, "198,00\n")
    assert lauf.stderr.startswith("Hinweis: V über 6.250 m³")


@pytest.mark.parametrize(
    ("argumente", "meldung"),
    [
        (("fn", "RZW_NICHTS", "1"), "Unbekannte Funktion"),
        (("fn",), "Funktionsname fehlt"),
        (("fn", "RZW_ZUWENDUNGSSATZ"), "erwartet 1 bis 2 Argumente, erhalten: 0"),
        (("gibtsnicht",), "Unbekannter Befehl „gibtsnicht“"),
        (("--gibtsnicht",), "Unbekannte Option --gibtsnicht"),
        (("pruefn",), "Unbekannter Befehl „pruefn“. Meinten Sie 'pruefen'? – Hilfe: pyxl --help"),
        (("pruefen", "--grenz", "a.xlsx"), "Meinten Sie '--grenzen'?"),
        (("pruefen", "--format", "x", "a.xlsx"), "Ungültige Angabe für '--format': „x“ ist keiner der erlaubten"),
        (("pruefen", "--grenzen", ".", "a.xlsx"), "Datei „.“ ist ein Ordner, keine Datei – Hilfe: pyxl pruefen"),
        (("pruefen", "--anlage1", ".", "a.xlsx"), "Datei „.“ ist ein Ordner, keine Datei"),
        (("pruefen", "--anlage1", "fehlt.csv", "a.xlsx"), "Datei „fehlt.csv“ gibt es nicht"),
        (("pruefen", "--jobs", "0", "a.xlsx"), "0 liegt nicht im erlaubten Bereich (1 bis 64)"),
        (("serve", "--port", "x"), "„x“ ist keine gültige Zahl"),
        (("pruefen",), "Fehlendes Argument 'DATEIEN...'"),
        (("pruefen", "--jobs"), "Option --jobs braucht einen Wert"),
        (("demo", "x"), "Überzähliges Argument (x)"),
    ],
)
def test_call_errors_exit_2_in_german(argumente, meldung):
    lauf = pyxl(*argumente)
    assert lauf.returncode == 2
    assert meldung in lauf.stderr
    assert "Traceback" not in lauf.stderr


def test_group_without_command_shows_its_help_exit_2():
    lauf = pyxl("vorlagen")
    assert lauf.returncode == 2
    assert lauf.stderr.startswith("Aufruf: pyxl vorlagen [OPTIONEN] BEFEHL")
    assert "Fehler:" not in lauf.stderr


@pytest.mark.parametrize(
    ("argumente", "erwartet"),
    [
        (("RZW_NICHTS", "1"), {"message": "Unbekannte Funktion „RZW_NICHTS“ – Liste: pyxl fn --list"}),
        ((), {"function": None}),
        (("RZW_ZUWENDUNGSSATZ",), {"function": "RZW_ZUWENDUNGSSATZ", "clause": REGISTER["RZW_ZUWENDUNGSSATZ"].regel}),
        (("RZW_KRW_KLAERANLAGE", "2,5"), {
            "message": "EW = 2,5: Mengen sind ganzzahlig anzugeben (RZWas 2005 Anl. 2b Nr. 2)",
            "function": "RZW_KRW_KLAERANLAGE",
        }),
    ],
)  # fmt: skip
def test_fn_json_errors_as_json_object_on_stdout_exit_2(argumente, erwartet):
    lauf = pyxl("fn", *argumente, "--json")
    assert (lauf.returncode, lauf.stderr) == (2, "")
    daten = json.loads(lauf.stdout)
    assert daten["message"] and {k: daten[k] for k in erwartet} == erwartet


def test_fn_list_shows_every_function_with_help():
    lauf = pyxl("fn", "--list")
    assert lauf.returncode == 0
    for eintrag in REGISTER.values():
        assert eintrag.signatur in lauf.stdout
        assert eintrag.hilfe in lauf.stdout


def test_console_script_installed():
    skript = Path(sys.executable).parent / "pyxl"
    lauf = subprocess.run([skript, "--version"], capture_output=True, text=True, timeout=60, check=False)
    assert (lauf.returncode, lauf.stdout.strip()) == (0, "pyxl 0.1.0")


def test_demo_computes_the_bundled_example():
    lauf = pyxl("demo")
    assert lauf.returncode == 0
    # Anl. 2b: KP 1.094.900,00 + 306.250,00 + 73.519,68 = 1.474.669,68; +10 % = 147.466,97 -> 1.622.136,65;
    # AK 7.850.000 / 1.480 = 5.304,05; ZH 98,333 - 173.839/5.304,05 = 65,56; 1.622.136,65 · 0,6556 = 1.063.472,79
    for betrag in ("1.474.669,68", "147.466,97", "1.622.136,65", "5.304,05", "65,56 %", "1.063.472,79"):
        assert betrag in lauf.stdout


@pytest.mark.parametrize("aufruf", [["--help"], ["pruefen", "--help"], ["vorlagen", "--help"], ["fn", "--help"]])
def test_help_is_german_including_clicks_own_words(aufruf):
    ergebnis = pyxl(*aufruf)
    assert ergebnis.returncode == 0 and ergebnis.stdout.startswith("Aufruf: pyxl")
    for englisch in ("Usage", "Options:", "Commands:", "Show this message", "[OPTIONS]", "DIRECTORY", "FILE"):
        assert englisch not in ergebnis.stdout
