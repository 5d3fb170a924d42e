"""Budget plan tables as data, and the reader of a printed plan's text (the seed's form).

In the text, a table is found by its heading ("Teilergebnishaushalt/-plan", "Teilfinanzhaushalt/-plan",
"Ergebnisplan", "Gesamtfinanzplan" …, with "Produkt 14.561.01 …"), its columns by "Ergebnis 2019", "Ansatz 2020",
"VE des HHJ 2021", "Plan 2022" …, its rows by their two-digit number. Labels may wrap over lines; numbers are German
("1.060", "-9.162", "9.359.415,97-"). Sheets and CSV files are read by :mod:`pyxl.haushalt.raster`, long-format
data by :mod:`pyxl.haushalt.lang`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from pyxl import pruefregeln
from pyxl.functions.zahlen import lies_deutsch
from pyxl.haushalt.woerter import spaltenart

_PLAN = re.compile(
    r"Teil(ergebnis|finanz)(haushalt|plan)|^\s*(?:Gesamt)?(ergebnis|finanz)(haushalt|plan)", re.IGNORECASE
)
_PRODUKT = re.compile(r"Produkt\s+([0-9]{1,2}(?:\.[0-9]{2,3}){1,3})\s*(.*)")
_SPALTE = re.compile(
    r"(Ist-Ergebnis|Rechnungsergebnis|Ergebnis|Haushaltsansatz|Ansatz|VE des HHJ|VE|Verpflichtungsermächtigung(?:en)?"
    r"|Planung|Plan)\s+([0-9]{4})"
)
_ZEILE = re.compile(r"^\s*([0-9]{2})\s+(.*)$")
_ZAHL = re.compile(r"^[−-]?[0-9]{1,3}(\.[0-9]{3})*(,[0-9]+)?-?$|^[−-]?[0-9]+(,[0-9]+)?-?$")
_MARKEN = ("+/-", "+", "-", "−", "=")
FORTSETZUNGEN = 10  # a printed label wraps over two or three lines; more lines of words are not a label


@dataclass
class Planzeile:
    nummer: int
    bezeichnung: str
    marke: str  # "+", "-", "=", "+/-" or ""
    werte: list[Decimal | None]  # None: the cell prints nothing (blank, "-")
    zellen: list[str] | None = None  # where each value stands ("D12"), for sheets and CSV


@dataclass
class Lesebefund:
    """Something the reader saw in a table that is a finding by itself (a doubled row, a cell that is no number)."""

    regel: str
    meldung: str
    zeile: int | None = None
    spalte: int | None = None
    gefunden: str | None = None

    def __post_init__(self) -> None:
        pruefregeln.regel(self.regel)  # an id the catalogue lacks fails where it is made, not in a report


@dataclass
class Plantabelle:
    plan: str  # the heading's name of the plan ("Teilergebnisplan", "Finanzplan"), "" where none is printed
    produkt: str
    produktname: str
    spalten: list[str]
    zeilen: dict[int, Planzeile] = field(default_factory=dict)
    arten: list[str] = field(default_factory=list)  # kind of each column (woerter.SPALTENWOERTER), "" unknown
    ebene: str = ""  # "teil" | "gesamt" where the source says so
    blatt: str | None = None  # the sheet it stands on
    lesebefunde: list[Lesebefund] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.arten:
            self.arten = [spaltenart(s) for s in self.spalten]

    def wert(self, zeile: int, spalte: int) -> Decimal:
        """A printed value; a row or cell the plan leaves out counts 0 (spec/haushalt.md)."""
        eintrag = self.zeilen.get(zeile)
        wert = eintrag.werte[spalte] if eintrag else None
        return Decimal(0) if wert is None else wert


def _planname(treffer: re.Match[str]) -> str:
    art = (treffer.group(1) or treffer.group(3)).lower()
    if treffer.group(1):
        return "Teilergebnisplan" if art == "ergebnis" else "Teilfinanzplan"
    return "Ergebnisplan" if art == "ergebnis" else "Finanzplan"


class _Leser:
    """Line by line: headings open a table, numbered lines open a row, other lines continue a row's label."""

    def __init__(self) -> None:
        self.tabellen: list[Plantabelle] = []
        self.tabelle: Plantabelle | None = None
        self.kopf: list[str] = []  # text between heading and first row: holds the column names
        # the open row: number, its text in pieces (joined once, at its end), how many numbers end the text so far,
        # how many continuation lines held words (lines of numbers only are its values, however they wrap)
        self.zeile: tuple[int, list[str]] | None = None
        self.zahlen_am_ende = 0
        self.fortsetzungen = 0

    def lies(self, zeilen: Iterable[str]) -> list[Plantabelle]:
        for text in zeilen:
            self._zeile(text.rstrip())
        self._abschliessen()
        return [t for t in self.tabellen if t.zeilen]

    def _zeile(self, text: str) -> None:
        plan = _PLAN.search(text)
        if plan and not _ZEILE.match(text):
            self._abschliessen()
            produkt = _PRODUKT.search(text)
            self.tabelle = Plantabelle(
                _planname(plan),
                produkt.group(1) if produkt else "",
                produkt.group(2).strip() if produkt else "",
                [],
                ebene="teil" if plan.group(1) else "",
            )
            self.tabellen.append(self.tabelle)
            self.kopf = [text]
            return
        if self.tabelle is None:
            return
        if not self.tabelle.spalten:
            treffer = _ZEILE.match(text)
            if not treffer:
                self.kopf.append(text)
                return
            self.tabelle.spalten = [f"{a} {j}" for a, j in _SPALTE.findall(" ".join(self.kopf))]
            self.tabelle.arten = [spaltenart(s) for s in self.tabelle.spalten]
            if not self.tabelle.spalten:  # a heading without columns was mere text
                self.tabellen.pop()  # it is the last one; remove() would compare it with every table before
                self.tabelle = None
                return
        treffer = _ZEILE.match(text)
        if treffer and int(treffer.group(1)) >= 1:
            self._zeile_abschliessen()
            self.zeile = (int(treffer.group(1)), [treffer.group(2)])
            self.zahlen_am_ende = len(self._zahlen(treffer.group(2)))
            self.fortsetzungen = 0
        elif self.zeile is not None and text.strip():
            if self.zahlen_am_ende >= len(self.tabelle.spalten):  # a complete row followed by prose: table ended
                self._abschliessen()
                return
            zahlen, woerter = len(self._zahlen(text)), len(text.split())
            if zahlen < woerter:
                self.fortsetzungen += 1
                if self.fortsetzungen > FORTSETZUNGEN:  # no label wraps this often: not a row (dropped, like a row
                    self.zeile = None  # without values); its further lines are skipped up to the next row
                    return
            self.zeile[1].append(text.strip())
            # the numbers ending the text so far: this line's, plus the earlier ones if the line holds only numbers
            self.zahlen_am_ende = zahlen + self.zahlen_am_ende if zahlen == woerter else zahlen

    @staticmethod
    def _zahlen(text: str) -> list[str]:
        teile = text.split()
        zahlen: list[str] = []
        for teil in reversed(teile):  # the printed shape, and then a number for the one reader (no silent 0)
            if not _ZAHL.match(teil) or lies_deutsch(teil) is None:
                break
            zahlen.append(teil)
        return list(reversed(zahlen))

    def _zeile_abschliessen(self) -> None:
        if self.zeile is None or self.tabelle is None:
            return
        nummer, teile = self.zeile
        text = " ".join(teile)
        self.zeile = None
        anzahl = len(self.tabelle.spalten)
        zahlen = self._zahlen(text)
        if len(zahlen) < anzahl:
            return  # not a plan row (e.g. a numbered note); checked rows always carry all columns
        werte: list[Decimal | None] = [lies_deutsch(z) or Decimal(0) for z in zahlen[-anzahl:]]  # read in _zahlen
        bezeichnung = " ".join(text.split()[: len(text.split()) - anzahl])
        marke = next((m for m in _MARKEN if bezeichnung.startswith(m + " ") or bezeichnung == m), "")
        bezeichnung = bezeichnung[len(marke) :].strip()
        self.tabelle.zeilen[nummer] = Planzeile(nummer, bezeichnung, "-" if marke == "−" else marke, werte)

    def _abschliessen(self) -> None:
        self._zeile_abschliessen()
        self.tabelle = None


def lies_text(text: str) -> list[Plantabelle]:
    """All plan tables in the text of a printed budget (several products and plans, prose in between)."""
    return _Leser().lies(text.splitlines())
