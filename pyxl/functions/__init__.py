"""Pure calculators: Decimal in, Decimal out, no I/O, no Excel — the law as code.

Importing this package registers every Excel function in :data:`pyxl.functions.registry.REGISTER`.
"""

from pyxl.functions import kennzahlen, oepnv, rzwas_krw, rzwas_zuwendung  # noqa: F401  (registers the functions)
from pyxl.functions.fehler import Eingabefehler, KeinRichtwert, RegelHinweis
from pyxl.functions.registry import REGISTER, Aufruffehler, Ergebnis, Funktion, funktion

__all__ = [
    "REGISTER",
    "Aufruffehler",
    "Eingabefehler",
    "Ergebnis",
    "Funktion",
    "KeinRichtwert",
    "RegelHinweis",
    "funktion",
]
