"""Numbers as users type and read them: German notation out, German notation (or a plain decimal point) in.

One place for number text, so the CLI, the add-in, the templates and the validators agree on what "7.850" means.
"""

from __future__ import annotations

import re
from decimal import Decimal

# The number forms, after sign and currency are removed:
# [0-9], not \d: Python's \d and Decimal() also take fullwidth and other scripts' digits, no spreadsheet does
_GRUPPIERT = re.compile(r"^[1-9][0-9]{0,2}(\.[0-9]{3})+(,[0-9]*)?$")  # German with thousands points: 1.060.000,50
_LUECKE = "[ \u00a0\u202f\u2009]"  # a space, no-break, narrow no-break or thin space between thousands (DIN 5008)
_LUECKENGRUPPIERT = re.compile(rf"^[1-9][0-9]{{0,2}}({_LUECKE}[0-9]{{3}})+(,[0-9]*)?$")  # 1 060 000,50
_KOMMA = re.compile(r"^([0-9]+(,[0-9]*)?|,[0-9]+)$")  # German without grouping: 1060, 1060,50, ,5
_PUNKT = re.compile(r"^([0-9]+\.[0-9]*|\.[0-9]+)$")  # a decimal point: 5000.5, 1277.99, 0.125
_PUNKT_MEHRDEUTIG = re.compile(r"^[1-9][0-9]{0,2}\.[0-9]{3}$")  # 7.850: 7850 to a German, 7,85 to an English reader
_KOMMA_MEHRDEUTIG = re.compile(r"^[1-9][0-9]{0,2},[0-9]{3}$")  # 1,000: 1 to a German, 1000 to an English reader
_WAEHRUNG = re.compile(r"€|Euro|EUR", re.IGNORECASE)  # the longer word first: "Euro" is no "EUR" + "o"
MINUS = ("-", "−")  # hyphen-minus and the typographic minus of printed tables
OHNE_CENT = (",-", ",−", ",–")  # "5,-": five euros, no cents (not a trailing minus)


class Zahlfehler(ValueError):
    """Text that is no number, or one that two readers would read differently; the message is German."""


class Mehrdeutig(Zahlfehler):
    """A number two readers would read differently (7.850, 1,000): refused, never guessed."""


def lies_zahl(text: str, *, dezimalpunkt: bool) -> Decimal:
    """The one reader of numbers written as text — command line, text in an Excel cell, CSV, budget print.

    German forms are read as Germans mean them: ``1.060.000``, ``1.060,50``, ``1.060,50 €``, ``1 060 000``,
    ``5,-``, ``-9.162``, the trailing minus of printed budgets (``9.162-``). A lone point with other than three
    digits after it is a decimal point (``5000.5``, ``1277.99``, ``0.125``).

    ``dezimalpunkt``: where a decimal point is allowed as well (command line, cells of the add-in), ``7.850`` and
    ``1,000`` are ambiguous — 7850 or 7,85; 1 or 1000 — and are refused, naming both readings, never guessed. In
    German documents (budgets, CSV, numbers typed as text into a submitted form) a point followed by three digits
    always groups thousands and a comma is always the decimal comma.
    """
    kern = _WAEHRUNG.sub("", text).strip()
    if kern.endswith(OHNE_CENT):
        kern = kern[:-1]
    negativ = False
    if kern.endswith(MINUS) and len(kern) > 1:  # trailing minus of printed budgets
        negativ, kern = True, kern[:-1].rstrip()
    elif kern.startswith((*MINUS, "+")):
        negativ, kern = kern[0] in MINUS, kern[1:].lstrip()
    if _LUECKENGRUPPIERT.match(kern):  # spaces group thousands: never ambiguous
        kern = re.sub(_LUECKE, "", kern)
    if dezimalpunkt and (_PUNKT_MEHRDEUTIG.match(kern) or _KOMMA_MEHRDEUTIG.match(kern)):
        raise Mehrdeutig(_mehrdeutig(kern))
    if _GRUPPIERT.match(kern) or _KOMMA.match(kern):
        zahl = Decimal(kern.replace(".", "").replace(",", "."))
    elif _PUNKT.match(kern):
        zahl = Decimal(kern)
    else:
        raise Zahlfehler("keine Zahl (z. B. 1.060,50 oder 1060,5)")
    return -zahl if negativ else zahl


def _mehrdeutig(kern: str) -> str:
    if "." in kern:
        tausender, dezimal = kern.replace(".", ""), deutsch(Decimal(kern).normalize(), tausender=False)
        return (f"mehrdeutig: {tausender} (Punkt trennt Tausender) oder {dezimal} (Dezimalpunkt) – bitte eindeutig "
                f"schreiben: {tausender} oder {dezimal}")  # fmt: skip
    dezimal, tausender = deutsch(Decimal(kern.replace(",", ".")).normalize(), tausender=False), kern.replace(",", "")
    return (f"mehrdeutig: {dezimal} (Dezimalkomma) oder {tausender} (Komma trennt Tausender) – bitte eindeutig "
            f"schreiben: {dezimal} oder {tausender}")  # fmt: skip


def lies_deutsch(text: str) -> Decimal | None:
    """A number of a German document (:func:`lies_zahl` without decimal point ambiguity), or ``None``."""
    try:
        return lies_zahl(text, dezimalpunkt=False)
    except Zahlfehler:
        return None


LEER = frozenset(("", "-", "−", "–", "—"))  # a table cell with nothing printed: blank, or a dash for "no value"


def lies_betrag(text: str) -> Decimal | None:
    """An amount in a cell of a published table (budget CSV, sheet): ``None`` where the table prints nothing (blank
    or a lone dash), else the number as :func:`lies_zahl` reads German documents. Text that is no number raises
    :class:`Zahlfehler` — a cell is never silently 0."""
    kern = text.strip()
    if kern in LEER:
        return None
    return lies_zahl(kern, dezimalpunkt=False)


def als_decimal(wert: int | float | Decimal) -> Decimal:
    """A number exactly as Excel shows it: a float through its shortest repr (0.1 is 0.1, not 0.1000000000000000055)."""
    return Decimal(repr(wert)) if isinstance(wert, float) else Decimal(wert)


def deutsch(wert: Decimal | int, *, tausender: bool = True) -> str:
    """``Decimal('1406250.00')`` → ``1.406.250,00``; keeps the number's own decimal places. Zero is never
    negative (``Decimal('-0.00')``, e.g. a tiny negative amount rounded to cents, shows as ``0,00``)."""
    if isinstance(wert, int):
        wert = Decimal(wert)
    if isinstance(wert, Decimal) and wert.is_zero():
        wert = wert.copy_abs()
    text = f"{wert:,f}" if tausender else f"{wert:f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")
