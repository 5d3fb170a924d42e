"""Which row scheme a printed plan follows — recognised from its row labels, not from its row count or title.

The schemes are data (``pyxl/parameter/nkf_<land>.toml``). A plan's printed labels are compared with each scheme's
label of the same row number; the scheme with the most agreeing rows wins. The heading ("Teilergebnisplan",
"Finanzplan") only breaks ties and narrows the choice to Ergebnis- or Finanzpläne; a plan without labels (pyxl's own
template, a bare sheet) falls back to the heading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from rapidfuzz import fuzz

from pyxl import parameter
from pyxl.haushalt.woerter import normal, planart
from pyxl.parameter import NKFParameter, Planschema

AEHNLICH = 85  # rapidfuzz ratio (0–100) from which two labels count as the same row name
MINDESTENS = 0.4  # share of a plan's labelled rows that must agree with the scheme
KURZWORT = 6  # a label at least this long that starts the other counts ("Steuern" for "Steuern und ähnliche Abgaben")
_KLAMMER = re.compile(r"\(.*?\)|\(.*$")  # "(= Zeilen 10 und 17)", "(Einzahlungen ./. Auszahlungen)"
_MARKE = re.compile(r"^\s*(?:\+\s*/\s*-|[+=\-−–])\s*")


@dataclass(frozen=True)
class Erkennung:
    land: NKFParameter
    schema: Planschema
    treffer: int  # rows whose label agrees
    beschriftet: int  # rows with a label at all

    @property
    def beschreibung(self) -> str:
        grund = (
            f"erkannt an {self.treffer} von {self.beschriftet} Zeilenbezeichnungen"
            if self.beschriftet
            else "nach der Überschrift (keine Zeilenbezeichnungen)"
        )
        return f"Schema: {self.schema.name}, {self.land.meta.land} ({self.schema.ref}); {grund}"


@cache
def alle() -> tuple[tuple[NKFParameter, Planschema], ...]:
    """Every scheme of every state, NRW first and in file order (which breaks ties)."""
    return tuple((land, schema) for name in parameter.nkf_laender() for land in [parameter.nkf(name)]
                 for schema in land.schemata.values())  # fmt: skip


@lru_cache(maxsize=8192)
def kern(bezeichnung: str) -> str:
    """A row label reduced to its words: marker, parenthesised references and everything but letters removed."""
    return normal(_KLAMMER.sub("", _MARKE.sub("", bezeichnung)))


@lru_cache(maxsize=65536)
def gleich(gedruckt: str, muster: str) -> bool:
    """Whether a printed label names the scheme's row: same words, or one a clear start of the other (a label cut
    short, "Einzahlungen aus Zuwendungen für Investitionsmaßnahmen + aus der Veräußerung …" over a block of rows),
    or close enough (abbreviations: "Kostenerstattungen u. Kostenumlagen")."""
    a, b = kern(gedruckt), kern(muster)
    if not a or not b:
        return False
    if a == b or (len(b) >= KURZWORT and a.startswith(b)) or (len(a) >= KURZWORT and b.startswith(a)):
        return True
    return fuzz.ratio(a, b) >= AEHNLICH


def erkenne(bezeichnungen: dict[int, str], titel: str = "", ebene_hinweis: str = "") -> Erkennung | None:
    """The scheme the labelled rows follow best. ``titel``: the plan's heading; ``ebene_hinweis``: "teil" or
    "gesamt" where the source says so (a product table, a whole-budget plan)."""
    art_ebene = planart(titel) if titel else None
    art = art_ebene[0] if art_ebene else ""
    ebene = (art_ebene[1] if art_ebene else "") or ebene_hinweis
    beschriftet = {n: b for n, b in bezeichnungen.items() if kern(b)}
    beste: tuple[tuple[int, int, int], Erkennung] | None = None
    for reihenfolge, (land, schema) in enumerate(alle()):
        if art and schema.art != art:
            continue
        treffer = sum(
            1
            for n, b in beschriftet.items()
            if n <= len(schema.bezeichnungen) and gleich(b, schema.bezeichnungen[n - 1])
        )
        passend = int(not ebene or schema.ebene in (ebene, "beide"))
        rang = (treffer, passend, -reihenfolge)
        if beste is None or rang > beste[0]:
            beste = (rang, Erkennung(land, schema, treffer, len(beschriftet)))
    if beste is None:
        return None
    erkennung = beste[1]
    if erkennung.treffer >= max(2, MINDESTENS * len(beschriftet)):
        return erkennung
    # few labels (a small table, pyxl's template without them): the heading decides, if no label contradicts it
    return erkennung if art and erkennung.treffer == len(beschriftet) else None
