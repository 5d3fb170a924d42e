"""Plan tables in the rows of a sheet or CSV, as municipalities export them.

Seen in published data and read here: one or two header rows (a column group with its unit over the first column of
the group, "Haushaltsansatz(€)", and the years in the row below; or "Plan 2019" in one cell; or "Spalte 5
(Fortgeschriebener Ansatz des Haushaltsjahres in EUR)"); two columns of the same year told apart by their group;
the row number in any of the first columns (after an account range "441, 442, 446"), zero-padded or not; one label
over a block of rows; rows left out; "-" for an empty cell; the trailing minus. Rows are sparse (column → value), so
a sheet with one cell per row and column costs what its cells cost.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from pyxl.functions.zahlen import Zahlfehler, als_decimal, lies_betrag
from pyxl.haushalt.plaene import Lesebefund, Plantabelle, Planzeile
from pyxl.haushalt.woerter import Spalte, ist_nummernkopf, jahr, planart, produkt, spaltenart, ueberschrift

Zeile = dict[int, object]  # column index (from 0) → cell value
KOPFZEILEN = 4  # header rows kept above a table: title, group, years, and one more
NUMMERSPALTEN = 4  # the row number stands in one of the first four columns
VORSCHAU = 60  # rows looked at to choose the row-number column
_NUMMER = re.compile(r"^0?[1-9][0-9]?$")
_MARKEN = ("+/-", "+ / -", "+", "-", "−", "=")


def spaltenname(spalte: int) -> str:
    name = ""
    spalte += 1
    while spalte:
        spalte, rest = divmod(spalte - 1, 26)
        name = chr(65 + rest) + name
    return name


def _text(wert: object) -> str:
    if wert is None:
        return ""
    if isinstance(wert, float) and wert.is_integer():
        wert = int(wert)
    return str(wert).strip()


def _nummer(wert: object) -> int | None:
    """A row number: 1 … 99 as a number or as text ("01", "1")."""
    if isinstance(wert, bool):
        return None
    if isinstance(wert, int | float | Decimal):
        return int(wert) if wert == int(wert) and 1 <= wert <= 99 else None
    text = _text(wert)
    return int(text) if _NUMMER.match(text) else None


def _ist_jahr(wert: object) -> bool:
    if isinstance(wert, int | float | Decimal) and not isinstance(wert, bool):
        return wert == int(wert) and 1990 <= wert <= 2100
    return bool(re.fullmatch(r"(?:19|20)[0-9]{2}", _text(wert)))


def _ist_zahl(wert: object) -> bool:
    if isinstance(wert, int | float | Decimal) and not isinstance(wert, bool):
        return True
    try:
        return lies_betrag(_text(wert)) is not None
    except Zahlfehler:
        return False


def _titel(zeile: Zeile) -> str:
    for wert in zeile.values():
        if isinstance(wert, str) and planart(wert):
            return wert.strip()
    return ""


def _ist_kopf(zeile: Zeile) -> bool:
    """A header row: at least two column words or years, and no number that is not a year."""
    kopf = 0
    for wert in zeile.values():
        if _ist_jahr(wert) or (isinstance(wert, str) and (spaltenart(wert) or jahr(wert)) and not planart(wert)):
            kopf += 1
        elif _ist_zahl(wert):
            return False
    return kopf >= 2


def _spalten(kopf: Sequence[Zeile]) -> dict[int, Spalte]:
    """The value columns the header rows name: a group word covers the columns to its right up to the next heading
    of its row; a year names its own column."""
    gruppen: list[list[tuple[int, int, str, str]]] = []  # per header row, sorted: from, to (excl.), kind, heading
    eigene: dict[int, list[str]] = {}
    for zeile in kopf:
        gruppen.append([])
        besetzt = sorted(c for c, w in zeile.items() if _text(w))
        for i, c in enumerate(besetzt):
            text = _text(zeile[c])
            if planart(text):
                continue  # the plan's heading over the number column
            art, j = spaltenart(text), jahr(text) if not _ist_jahr(zeile[c]) else text
            if art and not j:
                bis = besetzt[i + 1] if i + 1 < len(besetzt) else 1 << 30
                gruppen[-1].append((c, bis, art, ueberschrift(text)))
            if art or j:
                eigene.setdefault(c, []).append(text)
    spalten: dict[int, Spalte] = {}
    for c, texte in eigene.items():
        eigen = " ".join(texte)
        art, j = spaltenart(eigen), jahr(eigen)
        gruppe = _gruppe(gruppen, c)
        if art and j:
            name = ueberschrift(eigen)
        elif art:
            name = ueberschrift(eigen)
            if gruppe and gruppe[1] != name:
                name = f"{gruppe[1]} {name}"
        elif gruppe:
            art, name = gruppe[0], f"{gruppe[1]} {j}"
        else:
            name = j
        spalten[c] = Spalte(art, j, name)
    return spalten


def _gruppe(gruppen: list[list[tuple[int, int, str, str]]], spalte: int) -> tuple[str, str] | None:
    """The group heading over a column (the first header row that has one): a binary search per row, so a header
    thousands of columns wide costs no more than its cells."""
    for reihe in gruppen:
        i = bisect.bisect_right(reihe, (spalte, 1 << 31)) - 1
        if i >= 0 and reihe[i][0] <= spalte < reihe[i][1]:
            return reihe[i][2], reihe[i][3]
    return None


@dataclass
class Gesehen:
    """What the reader saw, for the message when no table could be read."""

    koepfe: list[str] = field(default_factory=list)
    nummern: list[str] = field(default_factory=list)

    def text(self) -> str:
        if self.koepfe and not self.nummern:
            return (f"Kopfzeile mit Spalten gefunden ({self.koepfe[0]}), aber keine Zeilennummern (01, 02 … oder "
                    f"1, 2 …) in Spalte 1–{NUMMERSPALTEN} darunter")  # fmt: skip
        if self.nummern and not self.koepfe:
            return (f"Nummerierte Zeilen gefunden ({self.nummern[0]}), aber keine Kopfzeile mit Spaltenart oder Jahr "
                    "darüber (z. B. „Ergebnis 2024“, „Haushaltsansatz(€)“ über „2025“)")  # fmt: skip
        if self.koepfe:
            return f"Kopfzeile ({self.koepfe[0]}) und nummerierte Zeilen gefunden, aber nicht als Tabelle zusammen"
        return "Weder eine Kopfzeile mit Spaltenart oder Jahr noch nummerierte Zeilen gefunden"


def _nummernspalte(zeilen: Sequence[Zeile], ab: int, vor: int, kopf: Sequence[Zeile]) -> int | None:
    """The column whose small integers rise row after row (an account range "40, 41, 441" does not)."""
    beste: tuple[tuple[int, int, int], int] | None = None
    for c in range(min(vor, NUMMERSPALTEN)):
        steigend, letzte = 0, 0
        for zeile in zeilen[ab : ab + VORSCHAU]:
            if _ist_kopf(zeile):
                break
            n = _nummer(zeile.get(c))
            if n is not None:
                steigend += n > letzte
                letzte = n
        benannt = any(ist_nummernkopf(ueberschrift(_text(z.get(c)))) for z in kopf)
        rang = (steigend, int(benannt), -c)
        if steigend and (beste is None or rang > beste[0]):
            beste = (rang, c)
    return beste[1] if beste else None


class _Tabellenleser:
    def __init__(self, zeilen: Sequence[Zeile], nummern: Sequence[int], blatt: str | None, quelle: str) -> None:
        self.zeilen, self.nummern, self.blatt, self.quelle = zeilen, nummern, blatt, quelle
        self.tabellen: list[Plantabelle] = []
        self.gesehen = Gesehen()

    def lies(self) -> None:
        kopf: list[Zeile] = []
        titel = ""
        i = 0
        while i < len(self.zeilen):
            zeile = self.zeilen[i]
            neuer_titel = _titel(zeile)
            if neuer_titel and not any(_nummer(zeile.get(c)) for c in range(NUMMERSPALTEN)):
                titel, kopf = neuer_titel, []
            if _ist_kopf(zeile) or neuer_titel:
                kopf = [*kopf, zeile][-KOPFZEILEN:]
                if not self.gesehen.koepfe:  # for the message if no numbered rows follow any header
                    self._kopf_gesehen(kopf)
                i += 1
                continue
            if kopf and any(_nummer(zeile.get(c)) is not None for c in range(NUMMERSPALTEN)):
                i = self._tabelle(i, kopf, titel)
                kopf = []
                continue
            if zeile and not kopf and any(_nummer(zeile.get(c)) is not None for c in range(NUMMERSPALTEN)):
                self.gesehen.nummern.append(f"Zeile {self.nummern[i]}")
            i += 1

    def _kopf_gesehen(self, kopf: list[Zeile]) -> dict[int, Spalte]:
        spalten = _spalten(kopf)
        if spalten:
            self.gesehen.koepfe.append(", ".join(s.name for s in list(spalten.values())[:3]) + " …")
        return spalten

    def _tabelle(self, ab: int, kopf: list[Zeile], titel: str) -> int:
        """Rows from ``ab`` to the next header; returns the index after them."""
        spalten = self._kopf_gesehen(kopf)
        nummer = _nummernspalte(self.zeilen, ab, min(spalten, default=NUMMERSPALTEN), kopf)
        if nummer is None or not spalten:
            return ab + 1
        spalten = {c: s for c, s in sorted(spalten.items()) if c > nummer}
        erste = min(spalten, default=nummer + 1)
        beschriftung = [c for c in range(nummer + 1, erste)]
        tabelle: Plantabelle | None = None
        letzte = 0
        i = ab
        while i < len(self.zeilen):
            zeile = self.zeilen[i]
            if _ist_kopf(zeile) or (_titel(zeile) and _nummer(zeile.get(nummer)) is None):
                break
            n = _nummer(zeile.get(nummer))
            if n is not None:
                if tabelle is None:
                    tabelle = self._fortsetzung(titel, spalten, n) or self._neu(titel, spalten)
                elif n < letzte:  # numbers start again: the next product's table
                    tabelle = self._neu(titel, spalten)
                self._zeile(tabelle, i, n, zeile, beschriftung, spalten)
                letzte = n
            i += 1
        return i

    def _fortsetzung(self, titel: str, spalten: dict[int, Spalte], n: int) -> Plantabelle | None:
        """The table before, if this one continues it after a repeated header (a page break): same heading, same
        columns, numbers going on. Read apart, its sums would lose their parts and go unchecked."""
        if not self.tabellen:
            return None
        vorige = self.tabellen[-1]
        namen = [s.name for s in spalten.values()]
        gleich = vorige.plan == (titel.split()[0] if titel else "") and vorige.spalten == namen
        return vorige if gleich and vorige.zeilen and n > max(vorige.zeilen) else None

    def _neu(self, titel: str, spalten: dict[int, Spalte]) -> Plantabelle:
        art_ebene = planart(titel) if titel else None
        tabelle = Plantabelle(
            plan=titel.split()[0] if titel else "",
            produkt=produkt(titel) or produkt(self.blatt or "") or produkt(self.quelle),
            produktname="",
            spalten=[s.name for s in spalten.values()],
            arten=[s.art for s in spalten.values()],
            ebene=art_ebene[1] if art_ebene else "",
            blatt=self.blatt,
        )
        self.tabellen.append(tabelle)
        return tabelle

    def _zeile(
        self, tabelle: Plantabelle, i: int, n: int, zeile: Zeile, beschriftung: list[int], spalten: dict[int, Spalte]
    ) -> None:
        text = " ".join(t for t in (_text(zeile.get(c)) for c in beschriftung) if t)
        marke = next((m for m in _MARKEN if text.startswith(m)), "")
        bezeichnung = text[len(marke) :].strip()
        marke = {"−": "-", "+ / -": "+/-"}.get(marke, marke)
        werte: list[Decimal | None] = []
        for k, c in enumerate(spalten):
            wert = zeile.get(c)
            try:
                if isinstance(wert, int | float | Decimal) and not isinstance(wert, bool):
                    werte.append(als_decimal(wert))
                else:
                    werte.append(lies_betrag(_text(wert)))
            except Zahlfehler as fehler:
                werte.append(None)
                tabelle.lesebefunde.append(Lesebefund("zahl_unlesbar", str(fehler), n, k, _text(wert)))
        zellen = [f"{spaltenname(c)}{self.nummern[i]}" for c in spalten]
        neu = Planzeile(n, bezeichnung, marke, werte, zellen)
        alt = tabelle.zeilen.get(n)
        if alt is None:
            tabelle.zeilen[n] = neu
            return
        for k, wert in enumerate(werte):  # a row printed twice (a time series' footnote): one value per cell
            if wert is None:
                continue
            if alt.werte[k] is None:
                alt.werte[k] = wert
                if alt.zellen is not None:
                    alt.zellen[k] = zellen[k]
            elif alt.werte[k] != wert:
                tabelle.lesebefunde.append(
                    Lesebefund("zeile_doppelt", f"Zeile {n:02d} zweimal mit verschiedenen Werten", n, k, str(wert))
                )


def lies_raster(
    zeilen: Sequence[Zeile], nummern: Sequence[int] | None = None, blatt: str | None = None, quelle: str = ""
) -> tuple[list[Plantabelle], Gesehen]:
    """All plan tables in the rows of one sheet or CSV (``nummern``: each row's number in the sheet, default 1, 2 …;
    ``quelle``: the file name, which may name the product); and what was seen, for a message when there is none."""
    leser = _Tabellenleser(zeilen, nummern or range(1, len(zeilen) + 1), blatt, quelle)
    leser.lies()
    return [t for t in leser.tabellen if t.zeilen], leser.gesehen
