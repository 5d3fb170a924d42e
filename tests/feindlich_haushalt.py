"""Hostile budget inputs (issue 11, item 6): each builder makes an input of about ``groesse`` bytes that drove the old
parser into super-linear time. Every text input ends with the same small real part (``ECHT``) whose findings are
known, so a test can tell that the input was read to its end and not skipped.

Made on the spot for tests and ``bench/haushalt_bench.py``; never committed as files.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import openpyxl

from tests.test_haushalt import POSITIV_PLAN

# a plan with one wrong sum (18 = 10 − 17: 160 − 175 = −15, printed −25), a missed target, a wrong Stellenplan sum
ECHT = (
    "\n"
    + POSITIV_PLAN.replace("-10 -15", "-10 -25")
    + """Erläuterungen
Produktgruppe Immissionsschutz Bezifferung 14.562 Produktbereich Umweltschutz
Zielvorgaben Ist Plan Plan Plan 2019 2020 2021 2022 Durchlaufzeit von Stellungnahmen in externen Genehmi-gungsverfahren
≤ 15 Tage ≤ 15 Tage ≤ 15 Tage ≤ 15 Tage
Kennzahlen Ist Plan Plan Plan 2019 2020 2021 2022 Tatsächliche Durchlaufzeit Stellungnahmen in externen
Genehmigungsverfahren 24 15 15 15
Nachrichtlich Leistungsumfang
Auszug aus dem Stellenplan  Organisati- onseinheit Produkt Bezeichnung 66 14.562.01 Betrieblicher Umweltschutz
Beamte 2019/20 2021 Beschäftigte 2019/20 2021 Summe 2019/20 Summe 2021   A 12 1,0 1,0 12 1,0 1,0
Summe   5,0 5,0   3,0 3,0 8,0 9,0 Bemerkung:
"""
)

# what ECHT yields: the scheme and convention notes, one note naming the 22 missing rows of the Teilergebnisplan
# (01–29 without the 7 printed), and one finding each for the sum, the target and the Stellenplan
ECHT_REGELN = {
    "schema_erkannt": 1,
    "vorzeichenkonvention": 1,
    "zeile_fehlt": 1,
    "summe_falsch": 1,
    "ziel_verfehlt": 1,
    "stellenplan_summe": 1,
}

XLSX_REGELN = {"schema_erkannt": 1, "vorzeichenkonvention": 1, "zeile_fehlt": 1, "summe_falsch": 1}


def _auffuellen(
    kopf: str, einheit: Callable[[int], str], groesse: int, fuss: str = "", echt_vorn: bool = False
) -> bytes:
    """``kopf`` + units until about ``groesse`` bytes + ``fuss`` + ECHT (or ECHT first)."""
    teile, laenge, i = [kopf], len(kopf.encode()) + len(fuss.encode()) + len(ECHT.encode()), 0
    while laenge < groesse:
        stueck = einheit(i)
        teile.append(stueck)
        laenge += len(stueck.encode())
        i += 1
    text = "".join(teile) + fuss
    return (ECHT + text if echt_vorn else text + ECHT).encode()


def _wort(i: int) -> str:
    """A distinct word of letters for unit i (digits in labels would be read as values)."""
    buchstaben = "abcdefghijklmnopqrstuvwxyz"
    wort = ""
    while True:
        wort += buchstaben[i % 26]
        i //= 26
        if not i:
            return wort


def stellenplan(groesse: int) -> bytes:
    """Stellenplan extracts without their "Summe" line (ECHT first, so no later extract completes one): the nested
    lazy ``.*?`` tried every later "Produkt", "Beamte" and "Summe" from every extract."""
    return _auffuellen(
        "",
        lambda i: (
            "Auszug aus dem Stellenplan Produkt Bezeichnung 66 14.561.01 Beamte 2019/20 2021 Beschäftigte "
            "2019/20 2021 Summe 1,0\n"
        ),
        groesse,
        echt_vorn=True,
    )


def kennzahlen_ohne_viererlauf(groesse: int) -> bytes:
    """A Kennzahlen block whose lines carry three values, never four: the lazy label was retried from every word."""
    return _auffuellen(
        "Kennzahlen Ist Plan Plan Plan 2019 2020 2021 2022\n", lambda i: f"Anzahl {_wort(i)} 1 2 3\n", groesse
    )


def produktgruppen(groesse: int) -> bytes:
    """One line of "Produktgruppe " without "Bezifferung": each occurrence scanned the rest of the line."""
    return _auffuellen("", lambda i: "Produktgruppe ", groesse, "\n")


def fortgesetzte_bezeichnung(groesse: int) -> bytes:
    """One row label continued over tens of thousands of lines: the label was re-joined and re-split per line."""
    kopf = "Teilfinanzplan Produkt 02.100.01 Beispiel\nNr. Bezeichnung Ergebnis 2020 Ansatz 2021\n01 Steuern\n"
    return _auffuellen(kopf, lambda i: "und ähnliche Abgaben\n", groesse)


def _ziele_und_kennzahlen(ziele: str, kennzahlen: str) -> bytes:
    kopf = "Ist Plan Plan Plan 2019 2020 2021 2022\n"
    return (f"Zielvorgaben {kopf}{ziele}Kennzahlen {kopf}{kennzahlen}" + ECHT).encode()


def ziele_mal_kennzahlen(groesse: int) -> bytes:
    """Thousands of Zielvorgaben and Kennzahlen lines (all targets met): difflib compared every pair."""
    anzahl = max(1, groesse // 2 // 70)
    ziele = "".join(f"Durchlaufzeit Vorgang {_wort(i)} ≤ 5 Tage ≤ 5 Tage ≤ 5 Tage ≤ 5 Tage\n" for i in range(anzahl))
    kennzahlen = "".join(f"Tatsächliche Durchlaufzeit Vorgang {_wort(i)} 3 5 5 5\n" for i in range(anzahl))
    return _ziele_und_kennzahlen(ziele, kennzahlen)


def aehnliche_ziele(groesse: int) -> bytes:
    """Thousands of Zielvorgaben and Kennzahlen, none with an equal label, each word shared by up to 50 of them:
    the similarity fallback, bounded to a few candidates per Kennzahl (all targets met)."""
    anzahl = max(1, groesse // 2 // 60)

    def bezeichnung(i: int) -> str:
        return f"x{_wort(i % 47)} y{_wort(i // 47 % 53)} z{_wort(i // 2491)}"

    ziele = "".join(f"Zeit {bezeichnung(i)} ≤ 5 Tage ≤ 5 Tage ≤ 5 Tage ≤ 5 Tage\n" for i in range(anzahl))
    kennzahlen = "".join(f"Dauer {bezeichnung(i + 7)} 3 5 5 5\n" for i in range(anzahl))
    return _ziele_und_kennzahlen(ziele, kennzahlen)


def viele_kennzahlenbloecke(groesse: int) -> bytes:
    """Thousands of short Nachrichtlich-terminated blocks: the product group was searched from the start per block."""
    return _auffuellen(
        "Produktgruppe Allgemeines Bezifferung 14.561\n",
        lambda i: "Kennzahlen Ist Plan Plan Plan 2019 2020 2021 2022 Anzahl 1 2 3 4 Nachrichtlich\n",
        groesse,
    )


def tabellen_ohne_spalten(groesse: int) -> bytes:
    """Half tables, half headings without columns: each dropped heading was searched for in the list of tables."""
    halb = groesse // 2
    tabellen = _auffuellen(
        "", lambda i: f"Teilergebnisplan Produkt 01.{i % 1000:03d}.01 Ergebnis 2022\n01 Steuern 1\n", halb
    )
    tabellen = tabellen[: -len(ECHT.encode())].decode()
    ohne = _auffuellen("", lambda i: "Teilfinanzplan ohne Spalten\n01 Steuern 1\n", groesse - halb)
    return tabellen.encode() + ohne


def xlsx_diagonale(groesse: int) -> bytes:
    """A sheet with one cell per row and column on the diagonal (about ``groesse`` bytes of sheet XML), ECHT's lines
    below: the rows were laid out as a full rows × columns grid. Only the plan is checked in a workbook (not the
    Kennzahlen and Stellenplan), see ``XLSX_REGELN``."""
    anzahl = min(16_384, max(1, groesse // 40))  # ~40 bytes of XML per cell; Excel's last column is XFD (16.384)
    mappe = openpyxl.Workbook()
    blatt = mappe.active
    for i in range(1, anzahl + 1):
        blatt.cell(row=i, column=i, value=i)
    for zeile in ECHT.splitlines():  # the plan below the diagonal, one printed line per row
        blatt.append([zeile])
    ausgabe = io.BytesIO()
    mappe.save(ausgabe)
    return ausgabe.getvalue()


# name → (builder, file suffix); the first five are the patterns named in the issue
MUSTER: dict[str, tuple[Callable[[int], bytes], str]] = {
    "stellenplan": (stellenplan, ".txt"),
    "kennzahlen_ohne_viererlauf": (kennzahlen_ohne_viererlauf, ".txt"),
    "produktgruppen": (produktgruppen, ".txt"),
    "fortgesetzte_bezeichnung": (fortgesetzte_bezeichnung, ".txt"),
    "ziele_mal_kennzahlen": (ziele_mal_kennzahlen, ".txt"),
    "aehnliche_ziele": (aehnliche_ziele, ".txt"),
    "viele_kennzahlenbloecke": (viele_kennzahlenbloecke, ".txt"),
    "tabellen_ohne_spalten": (tabellen_ohne_spalten, ".txt"),
    "xlsx_diagonale": (xlsx_diagonale, ".xlsx"),
}


def schreiben(name: str, groesse: int, ordner: Path) -> Path:
    bauen, endung = MUSTER[name]
    ziel = ordner / f"{name}_{groesse}{endung}"
    ziel.write_bytes(bauen(groesse))
    return ziel
