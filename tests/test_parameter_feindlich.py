"""Hostile or broken parameter files (``--satzung``, ``PYXL_PARAMETER``): each is refused before anything is read
from it that could hang or exhaust the process, with one German line naming the file and the reason, exit code 2 —
in ``pyxl fn``, ``pyxl vorlagen erzeugen`` and ``pyxl pruefen`` alike. Values out of range are refused at load time,
naming the key, instead of blaming a user's input later."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from pyxl import parameter
from tests.befehl import pyxl

DATEN = Path(__file__).parent / "daten"
KREIS = DATEN / "oepnv_beispielkreis.toml"
BEISPIEL = Path(__file__).parents[1] / "xlsx_templates" / "beispiele" / "OEPNV-EA_richtig.xlsx"
ENGLISCH = re.compile(r"Errno|codec|decode|line \d|column|Traceback|Invalid|Expected|interner Fehler", re.I)


def _feindlich(art: str, ordner: Path) -> tuple[Path, str]:
    """A hostile file built on the spot, and the German reason the message must give."""
    datei = ordner / "oepnv_feind.toml"
    if art == "geraet":
        return Path("/dev/zero"), "keine reguläre Datei (Verzeichnis, Gerät oder FIFO)"
    if art == "fifo":
        os.mkfifo(datei)  # no writer: reading it would block forever
        return datei, "keine reguläre Datei (Verzeichnis, Gerät oder FIFO)"
    if art == "gross":  # a valid Satzung followed by comments up to 1 MB + 1 byte
        text = KREIS.read_bytes()
        datei.write_bytes(text + b"#" * (1024 * 1024 + 1 - len(text)))
        return datei, "größer als 1 MB"
    if art == "kein_utf8":  # "Wümme" in Latin-1 on line 3
        datei.write_bytes(b'# Satzung\n[ausgabe]\nname = "W\xfcmme"\n')
        return datei, "kein UTF-8-Text (Zeile 3)"
    if art == "kein_toml":  # line 2: `wagnis = = 3`, the second "=" at column 10
        datei.write_text('titel = "x"\nwagnis = = 3\n', encoding="utf-8")
        return datei, "kein gültiges TOML (Zeile 2, Spalte 10)"
    if art == "verschachtelt":
        datei.write_text("a = " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
        return datei, "kein gültiges TOML (zu tief verschachtelt)"
    raise AssertionError(art)


ARTEN = ["geraet", "fifo", "gross", "kein_utf8", "kein_toml", "verschachtelt"]


def _befehle(datei: Path, ziel: Path) -> dict[str, tuple[object, ...]]:
    return {
        "fn": ("fn", "OEPNV_WAGNIS", "1000", "--satzung", datei),
        "vorlagen": ("vorlagen", "erzeugen", "--satzung", datei, "--ziel", ziel),
        "pruefen": ("pruefen", "--satzung", datei, BEISPIEL),
    }


@pytest.mark.parametrize("befehl", ["fn", "vorlagen", "pruefen"])
@pytest.mark.parametrize("art", ARTEN)
def test_a_hostile_satzung_file_is_refused_in_german(tmp_path, art, befehl):
    datei, grund = _feindlich(art, tmp_path)
    lauf = pyxl(*_befehle(datei, tmp_path / "ziel")[befehl])
    assert lauf.returncode == 2, lauf.stderr
    assert lauf.stderr == f"Fehler: Satzungsdatei {datei} nicht lesbar: {grund}\n"
    assert not ENGLISCH.search(lauf.stderr) and lauf.stdout == ""
    assert not (tmp_path / "ziel").exists()  # no form built


def test_a_missing_satzung_file_is_named_in_german(tmp_path):
    lauf = pyxl("fn", "OEPNV_WAGNIS", "1000", "--satzung", tmp_path / "fehlt.toml")
    assert lauf.returncode == 2
    assert lauf.stderr == f"Fehler: Satzungsdatei {tmp_path / 'fehlt.toml'} nicht lesbar: Datei nicht gefunden\n"


@pytest.mark.parametrize("art", ["fifo", "kein_toml", "verschachtelt"])
def test_a_hostile_file_in_the_search_path_is_refused_by_every_command(tmp_path, art):
    ordner = tmp_path / "parameter"
    ordner.mkdir()
    datei, grund = _feindlich(art, ordner)
    umgebung = {**os.environ, "PYXL_PARAMETER": str(ordner)}
    for befehl in (("fn", "OEPNV_WAGNIS", "1000"), ("vorlagen", "erzeugen", "--ziel", tmp_path / "ziel"),
                   ("pruefen", BEISPIEL)):  # fmt: skip
        lauf = _mit_umgebung(umgebung, *befehl)
        assert lauf.returncode == 2, (befehl, lauf.stdout, lauf.stderr)
        assert lauf.stderr == f"Fehler: Parameterdatei {datei} nicht lesbar: {grund}\n", befehl
    assert not (tmp_path / "ziel").exists()


def _mit_umgebung(umgebung: dict[str, str], *argumente: object):
    import subprocess
    import sys

    from tests.befehl import WURZEL

    return subprocess.run([sys.executable, "-m", "pyxl", *map(str, argumente)], capture_output=True, text=True,
                          timeout=300, check=False, cwd=WURZEL, env=umgebung)  # fmt: skip


# ------------------------------------------------------------------------------------------ values out of range

WERTE = [
    # gewinn.satz is used as 1 − r: A = (K − P − E + r·U) / (1 − r)
    ("satz = 4.75\nref = \"Ziffer 5.7\"", "satz = 100\nref = \"Ziffer 5.7\"",
     "Schlüssel gewinn.satz = 100: muss ein Prozentsatz von mindestens 0 und kleiner als 100 sein"),
    ("satz = 3.5\n", "satz = -1\n",
     "Schlüssel wagnis.satz = -1: muss ein Prozentsatz von mindestens 0 und höchstens 100 sein"),
    ("anteil = 50", "anteil = 100.5",
     "Schlüssel bonus.anteil = 100,5: muss ein Prozentsatz von mindestens 0 und höchstens 100 sein"),
    ("raten = 12", "raten = 0", "Schlüssel abschlaege.raten = 0: mindestens 1 Rate"),
    ("tage_im_jahr = 365", "tage_im_jahr = 364", "Schlüssel zins.tage_im_jahr = 364: erlaubt sind 360, 365 oder 366"),
    ("landkreis = 70", "landkreis = 60",
     "Schlüssel finanzierung.landkreis und finanzierung.land: die Anteile müssen zusammen 100 ergeben"),
    ('teilnetze = ["Nord", "Süd"]', 'teilnetze = ["Nord", "Nord"]',
     "Schlüssel trennungsrechnung.teilnetze: „Nord“ steht mehrfach in der Liste"),
    ('teilnetze = ["Nord", "Süd"]', "teilnetze = []", "Schlüssel trennungsrechnung.teilnetze ist eine leere Liste"),
]  # fmt: skip


def _kreis_mit(tmp_path: Path, alt: str, neu: str) -> Path:
    text = KREIS.read_text(encoding="utf-8")
    assert text.count(alt) == 1, alt
    datei = tmp_path / "oepnv_kreis.toml"
    datei.write_text(text.replace(alt, neu), encoding="utf-8")
    return datei


@pytest.mark.parametrize(("alt", "neu", "grund"), WERTE)
def test_a_value_out_of_range_is_refused_naming_the_key(tmp_path, alt, neu, grund):
    datei = _kreis_mit(tmp_path, alt, neu)
    with pytest.raises(parameter.UnbekannteAusgabe) as fehler:
        parameter.oepnv_aus_datei(datei)
    assert str(fehler.value) == f"Satzungsdatei {datei} hat nicht den erwarteten Aufbau: {grund}"


def test_no_form_is_built_from_a_satzung_with_a_value_out_of_range(tmp_path):
    datei = _kreis_mit(tmp_path, "raten = 12", "raten = 0")
    erzeugt = pyxl("vorlagen", "erzeugen", "--satzung", datei, "--ziel", tmp_path / "ziel")
    assert erzeugt.returncode == 2 and not (tmp_path / "ziel").exists()
    assert erzeugt.stderr.endswith(
        "hat nicht den erwarteten Aufbau: Schlüssel abschlaege.raten = 0: mindestens 1 Rate\n"
    )
    # the user's input is not blamed: the Satzung is
    gerechnet = pyxl("fn", "OEPNV_ABSCHLAEGE", "120000", "--satzung", datei)
    assert gerechnet.returncode == 2 and "ExAnte" not in gerechnet.stderr
    assert "Schlüssel abschlaege.raten = 0" in gerechnet.stderr


def test_a_wrong_rzwas_value_is_named_with_its_place(tmp_path):
    text = (DATEN / "parameter" / "rzwas_test.toml").read_text(encoding="utf-8")
    assert text.count("je_weiterem_buero = 1.5") == 2
    datei = tmp_path / "rzwas_test.toml"
    datei.write_text(text.replace("je_weiterem_buero = 1.5", "je_weiterem_buero = 150", 1), encoding="utf-8")
    with pytest.raises(parameter.UnbekannteAusgabe) as fehler:
        parameter.aus_datei(parameter.RZWasParameter, datei)
    assert str(fehler.value) == (
        f"Parameterdatei {datei} hat nicht den erwarteten Aufbau: Schlüssel anl2a.ingenieurzuschlag: "
        "je_weiterem_buero = 150: muss ein Prozentsatz von mindestens 0 und höchstens 100 sein"
    )
