"""Numbers as users type and read them: German notation out, point or comma in.

One place for number text, so the CLI, the templates and the validators agree on what "5000,5" means.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

# One optional sign, digits, at most one decimal separator (point or comma); no thousands separators.
_EINGABE = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")


def lies_eingabe(text: str) -> Decimal | None:
    """Read a number typed as an argument: ``5000.5`` or ``5000,5``; ``None`` if it is no such number.

    Thousands separators are refused on purpose: "1.060" would otherwise mean 1,06 to one reader and 1060 to
    another.
    """
    bereinigt = text.strip()
    if not _EINGABE.match(bereinigt):
        return None
    try:
        return Decimal(bereinigt.replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid literals
        return None


def deutsch(wert: Decimal | int, *, tausender: bool = True) -> str:
    """``Decimal('1406250.00')`` → ``1.406.250,00``; keeps the number's own decimal places."""
    if isinstance(wert, int):
        wert = Decimal(wert)
    text = f"{wert:,f}" if tausender else f"{wert:f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


_TAUSENDER_PUNKTE = re.compile(r"^\d{1,3}(\.\d{3})+$")
_DEUTSCH = re.compile(r"^\d{1,3}(\.\d{3})*(,\d+)?$|^\d+(,\d+)?$")


def lies_deutsch(text: str) -> Decimal | None:
    """Read a number as printed in German documents: ``1.060``, ``-9.162``, ``1.060,50 €``, ``9.359.415,97-``.

    A lone point followed by exactly three digits groups thousands ("1.060" = 1060), as in printed German tables;
    any other lone point is a decimal point ("5000.5"). ``None`` if the text is no number.
    """
    bereinigt = re.sub(r"(€|EUR|Euro|\s|\u00a0)", "", text.strip(), flags=re.IGNORECASE)
    negativ = False
    if bereinigt.endswith("-"):  # trailing minus of printed budgets
        negativ, bereinigt = True, bereinigt[:-1]
    if bereinigt.startswith(("-", "+", "−")):
        negativ, bereinigt = bereinigt[0] in "-−", bereinigt[1:]
    if "," not in bereinigt and "." in bereinigt and not _TAUSENDER_PUNKTE.match(bereinigt):
        zahl = lies_eingabe(bereinigt)  # a decimal point
    elif _DEUTSCH.match(bereinigt):
        zahl = Decimal(bereinigt.replace(".", "").replace(",", "."))
    else:
        return None
    if zahl is None:
        return None
    return -zahl if negativ else zahl
