"""How a form prints: text widths, line breaks and the row heights they need — estimated without a font engine.

The builder sets the height of every row whose text needs more than the standard row (wrapped column headings,
large titles); the tests check the built workbook with the same measures, so no text is cut off on paper.

The estimate is deliberately on the safe side: character widths are those of Arial/Helvetica (Liberation Sans is
metric-compatible), a column is taken as wide as Excel draws it with Calibri 11 as the workbook's standard font
(LibreOffice without Calibri draws it wider), and lines are broken where LibreOffice and Excel may break them.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

from openpyxl.cell.cell import MergedCell
from openpyxl.utils import column_index_from_string, get_column_letter, range_boundaries
from openpyxl.worksheet.worksheet import Worksheet

STANDARDHOEHE = 15.0  # points: Excel's row height for the standard font (Calibri 11), what a row without height gets
STANDARDBREITE = 8.43  # characters: a column without a width
PUNKT_JE_ZEICHEN = 5.25  # one unit of column width: Calibri 11's digit, 7 px at 96 dpi
INNENABSTAND = 6.0  # points a cell keeps free left and right of its text (both sides together)
ZEILENABSTAND = 1.17  # line height as a multiple of the font size (Liberation Sans: 1.149)
HOEHENZUSCHLAG = 2.0  # points above and below the lines of a cell

# Advance widths in 1/1000 em (Helvetica AFM; Arial and Liberation Sans have the same), regular and bold.
_NORMAL = dict(
    zip(
        " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~",
        (278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, *[556] * 10, 278, 278,
         584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667,
         778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556,
         278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500,
         334, 260, 334, 584),
        strict=True,
    )
) | {"ä": 556, "ö": 556, "ü": 556, "Ä": 667, "Ö": 778, "Ü": 722, "ß": 611, "€": 556, "–": 556, "—": 1000,
     "−": 584, "×": 584, "±": 584, "·": 278, "²": 333, "³": 333, "§": 556, "°": 400, "„": 333, "“": 333, "”": 333,
     "‚": 222, "‘": 222, "’": 222, "→": 1000, "≤": 549, "≥": 549, "…": 1000, "é": 556, "\u00a0": 278}  # fmt: skip
_FETT = dict(
    zip(
        " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~",
        (278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, *[556] * 10, 333, 333,
         584, 584, 584, 611, 975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778, 667,
         778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556, 333, 556, 611, 556, 611, 556,
         333, 611, 611, 278, 278, 556, 278, 889, 611, 611, 611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500,
         389, 280, 389, 584),
        strict=True,
    )
) | {"ä": 556, "ö": 611, "ü": 611, "Ä": 722, "Ö": 778, "Ü": 722, "ß": 611, "€": 556, "–": 556, "—": 1000,
     "−": 584, "×": 584, "±": 584, "·": 278, "²": 333, "³": 333, "§": 556, "°": 400, "„": 500, "“": 500, "”": 500,
     "‚": 278, "‘": 278, "’": 278, "→": 1000, "≤": 549, "≥": 549, "…": 1000, "é": 556, "\u00a0": 278}  # fmt: skip
_UNBEKANNT = 1000  # a character not in the tables: as wide as an em, on the safe side
WEICHES_TRENNZEICHEN = "\u00ad"  # shown (as "-") only where the line breaks


def textbreite(text: str, groesse: float, fett: bool = False) -> float:
    """Width of ``text`` in points (soft hyphens take no room)."""
    tabelle = _FETT if fett else _NORMAL
    return sum(tabelle.get(z, _UNBEKANNT) for z in text if z != WEICHES_TRENNZEICHEN) * groesse / 1000


def spaltenbreite_pt(breite: float | None) -> float:
    """Width of a column in points, from its width in characters (``None``: the standard width)."""
    return (STANDARDBREITE if breite is None else breite) * PUNKT_JE_ZEICHEN


def _stuecke(absatz: str) -> list[str]:
    """The pieces a line may break after: a space, a hyphen, a slash or a soft hyphen ends a piece."""
    stuecke, teil = [], ""
    for zeichen in absatz:
        teil += zeichen
        if zeichen in " -/" + WEICHES_TRENNZEICHEN:
            stuecke.append(teil)
            teil = ""
    if teil:
        stuecke.append(teil)
    return stuecke


def _zeilenbreite(zeile: str, groesse: float, fett: bool) -> float:
    """A line as printed: trailing spaces hang out, a soft hyphen at its end shows as a hyphen."""
    ohne = zeile.rstrip(" ")
    if ohne.endswith(WEICHES_TRENNZEICHEN):
        return textbreite(ohne, groesse, fett) + textbreite("-", groesse, fett)
    return textbreite(ohne, groesse, fett)


def umbrechen(text: str, breite: float, groesse: float, fett: bool = False) -> list[str]:
    """``text`` broken into lines of at most ``breite`` points, as a cell with "wrap text" does: greedy at the
    break points, a piece longer than a line broken between characters."""
    zeilen: list[str] = []
    for absatz in text.split("\n"):
        zeile = ""
        for stueck in _stuecke(absatz):
            if not zeile or _zeilenbreite(zeile + stueck, groesse, fett) <= breite:
                zeile += stueck
                continue
            zeilen.append(zeile)
            zeile = stueck
            while len(zeile) > 1 and _zeilenbreite(zeile, groesse, fett) > breite:  # no break point: characters
                teil = zeile
                while len(teil) > 1 and _zeilenbreite(teil, groesse, fett) > breite:
                    teil = teil[:-1]
                zeilen.append(teil)
                zeile = zeile[len(teil) :]
        zeilen.append(zeile)
    return zeilen


def zeilenhoehe(zeilen: int, groesse: float) -> float:
    """Row height in points that ``zeilen`` lines of a ``groesse``-point font need."""
    return zeilen * ZEILENABSTAND * groesse + HOEHENZUSCHLAG


@dataclass(frozen=True)
class Platzbedarf:
    """What one text cell needs on paper: the row height, and the stretch of the row its text covers."""

    zelle: str
    text: str
    hoehe: float  # points the row must have
    von: float  # points from the sheet's left edge where the text begins …
    bis: float  # … and ends (a wrapped text: its cell; an unwrapped one may run on into empty cells)
    eigen: tuple[int, int]  # the columns of its own cell (merged: first and last)


def _schrift(zelle) -> tuple[float, bool]:
    return float(zelle.font.sz or 11), bool(zelle.font.b)


def _verbunde(ws: Worksheet) -> dict[str, tuple[int, int]]:
    """Top-left cell of each merged range -> its first and last column."""
    verbunde = {}
    for bereich in ws.merged_cells.ranges:
        erste, zeile, letzte, _ = range_boundaries(str(bereich))
        verbunde[f"{get_column_letter(erste)}{zeile}"] = (erste, letzte)
    return verbunde


def _kanten(ws: Worksheet, bis: int) -> list[float]:
    """x of each column's left edge in points (index 1 = column A), and of the right edge of column ``bis``."""
    kanten = [0.0, 0.0]
    for spalte in range(1, bis + 1):
        kanten.append(kanten[-1] + spaltenbreite_pt(ws.column_dimensions[get_column_letter(spalte)].width or None))
    return kanten


def platzbedarf(ws: Worksheet, letzte_spalte: int | None = None) -> list[Platzbedarf]:
    """Every text cell of ``ws`` (not formulas: their numbers fit their formats) with the height and the stretch
    of its row it needs. ``letzte_spalte``: the print area's last column."""
    verbunde = _verbunde(ws)
    kanten = _kanten(ws, max(ws.max_column, letzte_spalte or 0))
    bedarf = []
    for (_, spalte), zelle in sorted(ws._cells.items()):
        if isinstance(zelle, MergedCell) or not isinstance(zelle.value, str) or zelle.value[:1] in ("", "="):
            continue
        groesse, fett = _schrift(zelle)
        von, bis = verbunde.get(zelle.coordinate, (spalte, spalte))
        links, rechts = kanten[von], kanten[bis + 1]
        if zelle.alignment.wrap_text:
            zeilen = umbrechen(zelle.value, rechts - links - INNENABSTAND, groesse, fett)
        else:
            zeilen = zelle.value.split("\n")
        breite = max(_zeilenbreite(z, groesse, fett) for z in zeilen) + INNENABSTAND
        if zelle.alignment.horizontal == "right":
            links = min(links, rechts - breite)
        elif zelle.alignment.horizontal == "center":
            mitte = (links + rechts) / 2
            links, rechts = min(links, mitte - breite / 2), max(rechts, mitte + breite / 2)
        else:
            rechts = max(rechts, links + breite)
        bedarf.append(Platzbedarf(zelle.coordinate, zelle.value, zeilenhoehe(len(zeilen), groesse), links, rechts,
                                  (von, bis)))  # fmt: skip
    return bedarf


def hoehen_setzen(ws: Worksheet, letzte_spalte: int | None = None) -> None:
    """Give every row whose text needs more than the standard height that height (rounded up to ¼ point)."""
    noetig: dict[int, float] = {}
    for bedarf in platzbedarf(ws, letzte_spalte):
        zeile = int(bedarf.zelle.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
        noetig[zeile] = max(noetig.get(zeile, 0.0), bedarf.hoehe)
    for zeile, hoehe in sorted(noetig.items()):
        vorhanden = ws.row_dimensions[zeile].height or STANDARDHOEHE
        if hoehe > vorhanden:
            ws.row_dimensions[zeile].height = math.ceil(hoehe * 4) / 4


def abgeschnitten(ws: Worksheet, letzte_spalte: int | None = None) -> list[str]:
    """The texts of ``ws`` that would be cut off in print: a row too low for their lines, or a text running into
    another cell of the form, another text, or beyond the print area."""
    kanten = _kanten(ws, max(ws.max_column, letzte_spalte or 0))
    rand = kanten[(letzte_spalte or ws.max_column) + 1]
    bedarf = platzbedarf(ws, letzte_spalte)
    zellen_je_zeile: dict[int, list[int]] = {}
    for zeile, spalte in ws._cells:
        zellen_je_zeile.setdefault(zeile, []).append(spalte)
    befunde = []
    for b in bedarf:
        zeile = int(b.zelle.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
        hoehe = ws.row_dimensions[zeile].height or STANDARDHOEHE
        if b.hoehe > hoehe:
            befunde.append(f"{ws.title}!{b.zelle} „{b.text}“: braucht {b.hoehe:.1f} pt Höhe, Zeile hat {hoehe} pt")
        im_weg = [s for s in zellen_je_zeile[zeile] if not b.eigen[0] <= s <= b.eigen[1]
                  and kanten[s] < b.bis - 0.01 and kanten[s + 1] > b.von + 0.01]  # fmt: skip
        andere = [a.zelle for a in bedarf if a is not b and a.zelle.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ") == str(zeile)
                  and a.von < b.bis - 0.01 and a.bis > b.von + 0.01]  # fmt: skip
        if im_weg or andere or b.von < -0.01 or b.bis > rand + 0.01:
            grund = (f"läuft in {get_column_letter(im_weg[0])}{zeile}" if im_weg else f"überlappt {andere[0]}"
                     if andere else "reicht über den Druckbereich")  # fmt: skip
            befunde.append(f"{ws.title}!{b.zelle} „{b.text}“: {grund} ({b.bis - b.von:.0f} pt breit)")
    return befunde


def letzte_spalte(druckbereich: str | None) -> int | None:
    """The last column of a print area such as ``A1:I62`` (``None`` without one)."""
    if not druckbereich:
        return None
    return column_index_from_string(druckbereich.split(":")[-1].rstrip("0123456789").lstrip("$").replace("$", ""))


A4 = (595.3, 841.9)  # points, portrait


def _druckzeilen(druckbereich: str) -> tuple[int, int, int]:
    """Last column, first and last row of a print area such as ``A1:I62``."""
    _, oben, letzte, unten = range_boundaries(druckbereich.replace("$", ""))
    return letzte, oben, unten


def seitenplatz(ws: Worksheet, druckbereich: str, querformat: bool) -> float:
    """How much of the sheet (points of row height) one printed page holds: the printable height divided by the
    fit-to-width scale, with columns as wide as Excel draws them (LibreOffice here draws them wider and so fits
    more rows: this is the tighter of the two)."""
    breite, hoehe = (A4[1], A4[0]) if querformat else A4
    rand = ws.page_margins
    letzte, _, _ = _druckzeilen(druckbereich)
    spalten = _kanten(ws, letzte)[letzte + 1]
    massstab = min(1.0, (breite - (rand.left + rand.right) * 72) / spalten)
    return (hoehe - (rand.top + rand.bottom) * 72) / massstab


def seitenteile(ws: Worksheet, druckbereich: str, umbrueche: tuple[int, ...], titelzeilen: str | None) -> list[float]:
    """Height in points of each stretch between manual page breaks, the repeated heading rows included."""
    _, oben, unten = _druckzeilen(druckbereich)
    titel = 0.0
    if titelzeilen:
        von, bis = (int(z) for z in titelzeilen.split(":"))
        titel = sum(ws.row_dimensions[z].height or STANDARDHOEHE for z in range(von, bis + 1))
    grenzen = [oben - 1, *sorted(umbrueche), unten]
    teile = []
    for nummer, (anfang, ende) in enumerate(itertools.pairwise(grenzen)):
        zeilen = sum(ws.row_dimensions[z].height or STANDARDHOEHE for z in range(anfang + 1, ende + 1))
        teile.append(zeilen + (titel if nummer else 0.0))
    return teile
