"""Pure calculators: Decimal in, Decimal out, no I/O, no Excel — the law as code.

``REGISTER`` here is the complete register of Excel functions (every calculator module imported on first use);
:func:`funktion` imports only the module of the function asked for, so ``pyxl fn`` starts quickly.
"""

from pyxl.functions.fehler import Eingabefehler, KeinRichtwert, RegelHinweis
from pyxl.functions.registry import Aufruffehler, Ergebnis, Funktion, alle, funktion


def __getattr__(name: str) -> object:
    if name == "REGISTER":  # the whole register only where it is used (lists, docs, Excel)
        return alle()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "REGISTER",  # provided by __getattr__
    "Aufruffehler",
    "Eingabefehler",
    "Ergebnis",
    "Funktion",
    "KeinRichtwert",
    "RegelHinweis",
    "funktion",
]
