"""Values as a report shows them and as the checks compare them: numbers German, to the cent, within range."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from pyxl.functions.eingabe import STELLEN_VOR_DEM_KOMMA
from pyxl.functions.zahlen import als_decimal, deutsch
from pyxl.templates.modell import Fehlerwert

CENT = Decimal("0.01")
# Spreadsheets hold 15 significant digits: from 10^15 on a number is no amount a form can state to the cent (and
# 1e26 or 1e308 would overflow the cent rounding) — the calculators' own bound. Such a number is a finding at its cell.
GRENZE_ZAHL = Decimal(10) ** STELLEN_VOR_DEM_KOMMA


def zu_gross(wert: object) -> bool:
    if isinstance(wert, bool) or not isinstance(wert, int | float | Decimal):
        return False
    if isinstance(wert, float):
        return not (abs(wert) < float(GRENZE_ZAHL))  # also inf
    return abs(wert) >= GRENZE_ZAHL


_NACHKOMMA = re.compile(r"\.(0+)")
_TEXT_IM_FORMAT = re.compile(r'"[^"]*"')
FEHLERWERTE_DEUTSCH = {"#VALUE!": "#WERT!", "#N/A": "#NV", "#REF!": "#BEZUG!", "#NUM!": "#ZAHL!", "#NAME?": "#NAME?",
                       "#DIV/0!": "#DIV/0!", "#NULL!": "#NULL!"}  # fmt: skip


@lru_cache(maxsize=1024)  # a template's formats, asked for by every text and formula field of every submission
def nachkommastellen(zahlenformat: str | None) -> int:
    """Decimal places a field's number format shows ("#,##0.00 €" → 2): amounts in a report are shown alike."""
    erster = _TEXT_IM_FORMAT.sub("", (zahlenformat or "").split(";")[0])
    treffer = _NACHKOMMA.search(erster)
    return len(treffer.group(1)) if treffer else 0


def zeige_wert(wert: object, stellen: int = 0) -> str:
    """A value for a report: numbers German, with at least the ``stellen`` decimal places of the field's format
    (1.100.000,00 next to 1.094.900,00, never 1.100.000) — padded, never rounded."""
    if wert is None:
        return "leer"
    if zu_gross(wert):
        zahl = float(wert)  # type: ignore[arg-type]
        return (
            ("-" if zahl < 0 else "") + "unendlich"
            if zahl in (float("inf"), float("-inf"))
            else (f"{zahl:.6g}".replace(".", ","))
        )
    if isinstance(wert, int | float | Decimal) and not isinstance(wert, bool):
        zahl = als_decimal(wert)
        if stellen and zahl.as_tuple().exponent > -stellen:  # type: ignore[operator]
            zahl = zahl.quantize(Decimal(1).scaleb(-stellen))
        return deutsch(zahl)
    if isinstance(wert, Fehlerwert):
        return "Fehlerwert (#NV)"
    if isinstance(wert, str) and wert in FEHLERWERTE_DEUTSCH:  # as German Excel shows the stored error value
        return FEHLERWERTE_DEUTSCH[wert]
    return str(wert)


def gleich_auf_cent(soll: object, ist: object) -> bool:
    """Python's value and the sheet's cached one agree: both empty, both an error, or equal to the cent."""
    if isinstance(soll, Fehlerwert):
        return isinstance(ist, str) and ist.startswith("#")
    if soll is None:
        return ist in (None, "")
    if isinstance(soll, str):  # a formula's text answer ("ja"/"nein")
        return ist == soll
    if isinstance(ist, bool) or not isinstance(ist, int | float) or zu_gross(ist) or zu_gross(soll):
        return False
    zahl = als_decimal(ist)
    return zahl.quantize(CENT, ROUND_HALF_UP) == Decimal(soll).quantize(CENT, ROUND_HALF_UP)
