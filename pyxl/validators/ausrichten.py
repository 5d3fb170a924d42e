"""Where the template's rows are in a submission, and what a template formula must read there.

Every template row with a field carries a hidden defined name (its *Zeilenanker*); Excel moves names with their
rows, so after the applicant inserted or deleted rows each anchor still names the row it belongs to. A template
formula is then expected with its row references moved the same way — the relative (R1C1) comparison, robust to
inserted rows: a SUM over a table that grew by one row is still the template's SUM.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from openpyxl.formula.tokenizer import Token, Tokenizer

from pyxl.templates.modell import Formular
from pyxl.validators.lesen import Mappe

_ZELLE = re.compile(r"^(\$?)([A-Z]{1,3})(\$?)(\d+)$")
_BEZUG = re.compile(
    r"^(?:'((?:[^']|'')+)'|([^'!]+))!\$?([A-Za-z]{1,3})\$?(\d{1,7})(?::\$?([A-Za-z]{1,3})\$?(\d{1,7}))?$"
)


@dataclass(frozen=True)
class Bezug:
    """A defined name's reference, as Excel means it: sheet, first and last cell (quotes and $ do not matter)."""

    blatt: str
    von: tuple[str, int]
    bis: tuple[str, int]


def bezug_lesen(text: str) -> Bezug | None:
    treffer = _BEZUG.match(text.strip())
    if not treffer:
        return None
    gequotet, schlicht, s1, z1, s2, z2 = treffer.groups()
    blatt = gequotet.replace("''", "'") if gequotet is not None else schlicht
    von = (s1.upper(), int(z1))
    return Bezug(blatt, von, (s2.upper(), int(z2)) if s2 else von)


@dataclass
class Zuordnung:
    """Template row -> submission row, per sheet (``None``: the row was deleted)."""

    zeilen: dict[str, dict[int, int | None]] = field(default_factory=dict)
    anker_gefunden: bool = True

    def zeile(self, blatt: str, zeile: int) -> int | None:
        return self.zeilen.get(blatt, {}).get(zeile, zeile)

    def adresse(self, blatt: str, zelle: str) -> str | None:
        spalte = zelle.rstrip("0123456789")
        neu = self.zeile(blatt, int(zelle[len(spalte) :]))
        return None if neu is None else f"{spalte}{neu}"

    def ist_identisch(self, blatt: str) -> bool:
        return all(alt == neu for alt, neu in self.zeilen.get(blatt, {}).items())


def zuordnen(formular: Formular, mappe: Mappe) -> Zuordnung:
    """Read the anchors back; without them (a form copied into another workbook) rows are taken as they are."""
    zuordnung = Zuordnung()
    gefunden = 0
    for name, (blatt, zeile) in formular.zeilenanker().items():
        bezug = mappe.namen.get(name)
        ziel: int | None = zeile
        if bezug is not None:
            gefunden += 1
            gelesen = bezug_lesen(bezug)
            ziel = gelesen.von[1] if gelesen and "#REF" not in bezug else None
        zuordnung.zeilen.setdefault(blatt, {})[zeile] = ziel
    zuordnung.anker_gefunden = gefunden > 0
    return zuordnung


@lru_cache(maxsize=4096)
def _tokens(formel: str) -> tuple[Token, ...]:
    return tuple(Tokenizer(formel).items)


def erwartete_formel(formel: str, blatt: str, zuordnung: Zuordnung) -> str | None:
    """The template formula with its same-sheet row references moved like the rows they name.
    ``None`` if it refers to a deleted row."""
    if zuordnung.ist_identisch(blatt):
        return formel
    teile = ["="]
    for token in _tokens(formel):
        wert = token.value
        if token.type == Token.OPERAND and token.subtype == Token.RANGE and "!" not in wert:
            bezuege = []
            for teil in wert.split(":"):
                treffer = _ZELLE.match(teil)
                if treffer:
                    neu = zuordnung.zeile(blatt, int(treffer.group(4)))
                    if neu is None:
                        return None
                    teil = f"{treffer.group(1)}{treffer.group(2)}{treffer.group(3)}{neu}"
                bezuege.append(teil)
            wert = ":".join(bezuege)
        teile.append(wert)
    return "".join(teile)


_LEER = re.compile(r"\s+")
_TEXT = re.compile(r'("[^"]*")')


def normalisiert(formel: str) -> str:
    """Compare formulas as Excel means them: case and spaces outside strings do not matter, nor the prefixes
    and spellings different writers use (``_xlfn.``, ``FALSE()``)."""
    teile = _TEXT.split(formel)
    for i in range(0, len(teile), 2):
        teile[i] = (
            _LEER.sub("", teile[i]).upper().replace("_XLFN.", "").replace("FALSE()", "FALSE").replace("TRUE()", "TRUE")
        )
    return "".join(teile)
