"""Rounding as the rules say it: half-up (kaufmännisch), on Decimal."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def runde(wert: Decimal, stellen: int = 2) -> Decimal:
    """Round half-up to ``stellen`` decimal places (Excel's ROUND)."""
    return wert.quantize(Decimal(1).scaleb(-stellen), rounding=ROUND_HALF_UP)


def cent(wert: Decimal) -> Decimal:
    """Round half-up to cents."""
    return runde(wert, 2)


def potenz(a: Decimal, x: Decimal, exponent: Decimal) -> Decimal:
    """a · x^exponent evaluated in binary floating point, as Excel and LibreOffice do, kept to 15 digits.

    Spreadsheets carry 15 significant digits; taking the same 15 here makes the cent rounding of the templates'
    native formulas and of Python agree even where the exact value lies near a half cent.
    """
    return Decimal(f"{float(a) * float(x) ** float(exponent):.15g}")
