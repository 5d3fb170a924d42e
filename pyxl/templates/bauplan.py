"""A row cursor for writing form specs: place labels, inputs and formulas without counting addresses by hand.

Formulas name other cells by key in braces (``=ROUND({pos.ka.1.krw}*{pos.ka.1.menge},2)``); the plan resolves
them to the addresses it assigned, so a row moved in the spec moves every reference with it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from decimal import Decimal

from pyxl.templates.modell import Feld, Pruefung, Rolle, Werte

VERWEIS = re.compile(r"\{([^{}]+)\}")


class Bauplan:
    def __init__(self, blatt: str) -> None:
        self.blatt = blatt
        self.zeile = 1
        self.felder: list[Feld] = []
        self.bereiche: dict[str, str] = {}  # defined names over several cells (tables, columns)
        self.zusatzfelder: list[Feld] = []  # cells below the form that are not checked (see Blatt.zusatzfelder)
        self.zeilenhoehen: dict[int, float] = {}
        self._adressen: dict[str, str] = {}

    # -- cursor
    def weiter(self, zeilen: int = 1) -> int:
        self.zeile += zeilen
        return self.zeile

    def adresse(self, schluessel: str, *, absolut: bool = False) -> str:
        zelle = self._adressen[schluessel]
        if not absolut:
            return zelle
        spalte = zelle.rstrip("0123456789")
        return f"${spalte}${zelle[len(spalte) :]}"

    def bereich(self, name: str, erster: str, letzter: str) -> str:
        """Name the range from key ``erster`` to key ``letzter`` (absolute, on this sheet)."""
        bezug = f"'{self.blatt}'!{self.adresse(erster, absolut=True)}:{self.adresse(letzter, absolut=True)}"
        self.bereiche[name] = bezug
        return bezug

    def bereich_zeilen(self, name: str, erste: int, letzte: int, von: str, bis: str) -> str:
        """Name a block of whole rows, e.g. a positions table from column A to I."""
        bezug = f"'{self.blatt}'!${von}${erste}:${bis}${letzte}"
        self.bereiche[name] = bezug
        return bezug

    def spalte_zwischen(self, erster: str, letzter: str) -> list[str]:
        """Keys of the cells in one column between two keys (what a SUM over that range covers)."""
        spalte = self.adresse(erster).rstrip("0123456789")
        von, bis = int(self.adresse(erster)[len(spalte) :]), int(self.adresse(letzter)[len(spalte) :])
        return [
            f.schluessel
            for f in self.felder
            if f.zelle.rstrip("0123456789") == spalte and von <= int(f.zelle[len(spalte) :]) <= bis
        ]

    def formeltext(self, vorlage: str) -> str:
        """Resolve ``{key}`` to the address the key was placed at (an unknown key is a spec error)."""
        return VERWEIS.sub(lambda m: self.adresse(m.group(1)), vorlage)

    # -- cells
    def _neu(self, spalte: str, schluessel: str | None, rolle: Rolle, **angaben: object) -> Feld:
        zelle = f"{spalte}{self.zeile}"
        schluessel = schluessel or f"{self.blatt}!{zelle}"
        feld = Feld(schluessel=schluessel, blatt=self.blatt, zelle=zelle, rolle=rolle, **angaben)  # type: ignore[arg-type]
        self.felder.append(feld)
        self._adressen[schluessel] = zelle
        return feld

    def text(
        self,
        spalte: str,
        wert: str | int | Decimal,
        *,
        stil: str = "normal",
        schluessel: str | None = None,
        name: str | None = None,
        zahlenformat: str | None = None,
        regel: str | None = None,
    ) -> Feld:
        return self._neu(
            spalte, schluessel, Rolle.TEXT, wert=wert, stil=stil, name=name, zahlenformat=zahlenformat, regel=regel
        )

    def eingabe(
        self,
        spalte: str,
        schluessel: str,
        pruefung: Pruefung,
        *,
        zahlenformat: str | None = None,
        name: str | None = None,
        bis_spalte: str | None = None,
    ) -> Feld:
        return self._neu(
            spalte, schluessel, Rolle.EINGABE, pruefung=pruefung, zahlenformat=zahlenformat, name=name,
            stil="eingabe", bis_spalte=bis_spalte,
        )  # fmt: skip

    def formel(
        self,
        spalte: str,
        schluessel: str,
        vorlage: str,
        berechnung: Callable[[Werte], Decimal | None],
        *,
        regel: str,
        zahlenformat: str | None = None,
        name: str | None = None,
        stil: str = "formel",
    ) -> Feld:
        return self._neu(
            spalte,
            schluessel,
            Rolle.FORMEL,
            formel=self.formeltext(vorlage),
            berechnung=berechnung,
            regel=regel,
            zahlenformat=zahlenformat,
            name=name,
            stil=stil,
        )

    def zusatz(self, spalte: str, wert: str | None = None, *, stil: str = "beschriftung", bis_spalte: str | None = None,
               pruefung: Pruefung | None = None) -> Feld:  # fmt: skip
        """A cell below the form that is no field of it (the signature block): no row anchor, never checked. With a
        ``pruefung`` it is an input (unlocked, marked, with its prompt), else a caption or line."""
        zelle = f"{spalte}{self.zeile}"
        rolle = Rolle.EINGABE if pruefung else Rolle.TEXT
        feld = Feld(schluessel=f"zusatz.{self.blatt}!{zelle}", blatt=self.blatt, zelle=zelle, rolle=rolle,
                    wert=None if pruefung else wert, stil="eingabe" if pruefung else stil, pruefung=pruefung,
                    bis_spalte=bis_spalte)  # fmt: skip
        self.zusatzfelder.append(feld)
        return feld

    def kopfzeile(self, spalten: Sequence[tuple[str, str]]) -> None:
        """A table's column headings (one row, no merged cells: screen readers read them as headers)."""
        for spalte, text in spalten:
            self.text(spalte, text, stil="tabellenkopf")
