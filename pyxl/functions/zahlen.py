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
