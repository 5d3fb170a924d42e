"""The official look: fonts, borders, fills and number formats, by style name (used by the builder only).

Input cells carry a dashed border *and* a pale fill, so they are recognisable without colour (BITV); formula
cells are plain and locked.
"""

from __future__ import annotations

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

SCHRIFT = "Liberation Sans"  # metric-compatible with Arial; Excel substitutes Arial where it is missing

# Number format codes as stored in xlsx (Excel and LibreOffice show them with German separators: 1.234,56 €)
EURO = '#,##0.00 "€"'
BETRAG = "#,##0.00"
GANZ = "#,##0"
PROZENT = '0.00" %"'
DEZIMAL3 = "0.000"
JAHR = "0"
DATUM = "DD.MM.YYYY"

_DUENN = Side(style="thin", color="808080")
_GESTRICHELT = Side(style="dashed", color="1F4E79")
_DOPPELT = Side(style="double", color="000000")

STILE: dict[str, dict[str, object]] = {
    "normal": {"font": Font(name=SCHRIFT, size=10)},
    "titel": {"font": Font(name=SCHRIFT, size=14, bold=True)},
    "untertitel": {"font": Font(name=SCHRIFT, size=11, bold=True)},
    "kennung": {"font": Font(name=SCHRIFT, size=8), "alignment": Alignment(horizontal="right")},
    "hinweis": {"font": Font(name=SCHRIFT, size=8, italic=True), "alignment": Alignment(wrap_text=False)},
    "abschnitt": {"font": Font(name=SCHRIFT, size=11, bold=True)},
    "beschriftung": {"font": Font(name=SCHRIFT, size=10)},
    "tabellenkopf": {
        "font": Font(name=SCHRIFT, size=9, bold=True),
        "fill": PatternFill("solid", fgColor="D9D9D9"),
        "border": Border(top=_DUENN, bottom=_DUENN, left=_DUENN, right=_DUENN),
        "alignment": Alignment(wrap_text=True, vertical="center"),
    },
    "zelle": {
        "font": Font(name=SCHRIFT, size=10),
        "border": Border(top=_DUENN, bottom=_DUENN, left=_DUENN, right=_DUENN),
    },
    "zelle_umbruch": {  # a long text in a bordered cell (an edition's source): wrapped, its row as high as needed
        "font": Font(name=SCHRIFT, size=10),
        "border": Border(top=_DUENN, bottom=_DUENN, left=_DUENN, right=_DUENN),
        "alignment": Alignment(wrap_text=True, vertical="top"),
    },
    "eingabe": {
        "font": Font(name=SCHRIFT, size=10),
        "fill": PatternFill("solid", fgColor="FFF8DC"),
        "border": Border(top=_GESTRICHELT, bottom=_GESTRICHELT, left=_GESTRICHELT, right=_GESTRICHELT),
    },
    "formel": {
        "font": Font(name=SCHRIFT, size=10),
        "border": Border(top=_DUENN, bottom=_DUENN, left=_DUENN, right=_DUENN),
    },
    "unterschrift": {  # the line a signature goes on (printed only)
        "font": Font(name=SCHRIFT, size=10),
        "border": Border(bottom=Side(style="thin", color="000000")),
    },
    "kennung_umbruch": {  # the form id where the title leaves no room beside it: wrapped in its own cell
        "font": Font(name=SCHRIFT, size=8),
        "alignment": Alignment(horizontal="right", wrap_text=True),
    },
    "summe": {
        "font": Font(name=SCHRIFT, size=10, bold=True),
        "border": Border(top=_DUENN, bottom=_DOPPELT, left=_DUENN, right=_DUENN),
    },
}
