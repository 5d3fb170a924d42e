"""Numbers as users type and read them: German notation out, German notation (or a plain decimal point) in.

One place for number text, so the CLI, the add-in, the templates and the validators agree on what "7.850" means.
"""

from __future__ import annotations

import re
from decimal import Decimal

# The number forms, after sign, currency and spaces are removed:
# [0-9], not \d: Python's \d and Decimal() also take fullwidth and other scripts' digits, no spreadsheet does
_GRUPPIERT = re.compile(r"^[1-9][0-9]{0,2}(\.[0-9]{3})+(,[0-9]+)?$")  # German with thousands points: 1.060.000,50
_KOMMA = re.compile(r"^([0-9]+(,[0-9]*)?|,[0-9]+)$")  # German without grouping: 1060, 1060,50, ,5
_PUNKT = re.compile(r"^([0-9]+\.[0-9]*|\.[0-9]+)$")  # a decimal point: 5000.5, 1277.99, 0.125
_MEHRDEUTIG = re.compile(r"^[1-9][0-9]{0,2}\.[0-9]{3}$")  # 7.850: 7850 to a German, 7,85 to an English reader
_BEIWERK = re.compile(r"(€|EUR|Euro|\s|\u00a0|\u202f)", re.IGNORECASE)
MINUS = ("-", "−")  # hyphen-minus and the typographic minus of printed tables


class Zahlfehler(ValueError):
    """Text that is no number, or one that two readers would read differently; the message is German."""


def lies_zahl(text: str, *, dezimalpunkt: bool) -> Decimal:
    """The one reader of numbers written as text — command line, text in an Excel cell, CSV, budget print.

    German forms are read as Germans mean them: ``1.060.000``, ``1.060,50``, ``1.060,50 €``, ``-9.162``, the
    trailing minus of printed budgets (``9.162-``). A lone point with other than three digits after it is a
    decimal point (``5000.5``, ``1277.99``, ``0.125``).

    ``dezimalpunkt``: where a decimal point is allowed as well (command line, cells of the add-in), ``7.850`` is
    ambiguous — 7.850 to a German, 7,85 to an English reader — and is refused, naming both readings, never
    guessed. In German documents (budgets, CSV, numbers typed as text into a submitted form) a point followed by
    three digits always groups thousands.
    """
    bereinigt = _BEIWERK.sub("", text)
    negativ = False
    if bereinigt.endswith(MINUS) and len(bereinigt) > 1:  # trailing minus of printed budgets
        negativ, bereinigt = True, bereinigt[:-1]
    if bereinigt.startswith((*MINUS, "+")) and not negativ:
        negativ, bereinigt = bereinigt[0] in MINUS, bereinigt[1:]
    if dezimalpunkt and _MEHRDEUTIG.match(bereinigt):
        tausender, dezimal = bereinigt.replace(".", ""), deutsch(Decimal(bereinigt).normalize(), tausender=False)
        raise Zahlfehler(
            f"mehrdeutig: {tausender} (Punkt trennt Tausender) oder {dezimal} (Dezimalpunkt) – bitte eindeutig "
            f"schreiben: {tausender} oder {dezimal}"
        )
    if _GRUPPIERT.match(bereinigt) or _KOMMA.match(bereinigt):
        zahl = Decimal(bereinigt.replace(".", "").replace(",", "."))
    elif _PUNKT.match(bereinigt):
        zahl = Decimal(bereinigt)
    else:
        raise Zahlfehler("keine Zahl (z. B. 1.060,50 oder 1060,5)")
    return -zahl if negativ else zahl


def lies_deutsch(text: str) -> Decimal | None:
    """A number of a German document (:func:`lies_zahl` without decimal point ambiguity), or ``None``."""
    try:
        return lies_zahl(text, dezimalpunkt=False)
    except Zahlfehler:
        return None


def deutsch(wert: Decimal | int, *, tausender: bool = True) -> str:
    """``Decimal('1406250.00')`` → ``1.406.250,00``; keeps the number's own decimal places."""
    if isinstance(wert, int):
        wert = Decimal(wert)
    text = f"{wert:,f}" if tausender else f"{wert:f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")
