"""What a calculator says when the input does not fit the rule: German, with field, value and clause."""

from __future__ import annotations

from decimal import Decimal

from pyxl.functions.zahlen import als_decimal, deutsch


def zeige(wert: object) -> str:
    """A value as the user typed it, in German notation where it is a number."""
    if isinstance(wert, bool) or wert is None:
        return "leer" if wert is None else str(wert)
    if isinstance(wert, Decimal | int | float):
        zahl = als_decimal(wert)
        if zahl.is_finite() and abs(zahl.adjusted()) > 15:  # 1e300 as "1E+300", not with 300 zeros
            return f"{zahl.normalize():.6G}".replace(".", ",")
        return deutsch(zahl, tausender=False)
    return f"„{wert}“"


class Eingabefehler(ValueError):
    """An input outside the rule's domain. Never clamped: the caller learns what, why and where it is written."""

    def __init__(self, feld: str, wert: object, grund: str, regel: str) -> None:
        self.feld = feld
        self.wert = wert
        self.grund = grund
        self.regel = regel
        super().__init__(f"{feld} = {zeige(wert)}: {grund} ({regel})")


class KeinRichtwert(Eingabefehler):
    """The rule sets no Kostenrichtwert for this case: the geprüfte costs of KA/KF are taken over instead.

    Excel adapters show it as #NV ("nicht verfügbar") rather than #WERT!: the input is legitimate, the table
    simply has no entry for it.
    """


class RegelHinweis(UserWarning):
    """A legal but noteworthy result (e.g. a rule's cap applied). Issued with ``warnings.warn``.

    Adapters collect these and show them next to the value; the value itself is already final.
    """

    def __init__(self, text: str, regel: str) -> None:
        self.text = text
        self.regel = regel
        super().__init__(f"{text} ({regel})")
