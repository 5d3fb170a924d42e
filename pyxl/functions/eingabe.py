"""Input checks shared by the calculators. Each raises :class:`Eingabefehler` naming field, value and clause."""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Mapping
from decimal import Decimal
from typing import TypeVar

from pyxl.functions.fehler import Eingabefehler

T = TypeVar("T")

# Excel carries 15 significant digits; a larger number is no amount or quantity of any rule here, and Decimal's
# 28 digits of precision would overflow when it is rounded to the cent or multiplied (decimal.InvalidOperation)
STELLEN_VOR_DEM_KOMMA = 15


def zahl(wert: object, feld: str, regel: str) -> Decimal:
    """Any number a caller may hand over, as an exact Decimal (a float via its shortest repr, as Excel shows it)."""
    if isinstance(wert, bool) or wert is None:
        raise Eingabefehler(feld, wert, "eine Zahl ist erforderlich", regel)
    if isinstance(wert, Decimal):
        ergebnis = wert
    elif isinstance(wert, int):
        ergebnis = Decimal(wert)
    elif isinstance(wert, float):
        if not math.isfinite(wert):
            raise Eingabefehler(feld, wert, "keine endliche Zahl", regel)
        ergebnis = Decimal(repr(wert))
    else:
        raise Eingabefehler(feld, wert, "keine Zahl", regel)
    if not ergebnis.is_finite():
        raise Eingabefehler(feld, wert, "keine endliche Zahl", regel)
    if abs(ergebnis) >= 10**STELLEN_VOR_DEM_KOMMA:
        raise Eingabefehler(feld, wert, f"zu groß: höchstens {STELLEN_VOR_DEM_KOMMA} Stellen vor dem Komma", regel)
    return ergebnis


def positiv(wert: object, feld: str, regel: str) -> Decimal:
    ergebnis = zahl(wert, feld, regel)
    if ergebnis <= 0:
        raise Eingabefehler(feld, wert, "muss größer als 0 sein", regel)
    return ergebnis


def nicht_negativ(wert: object, feld: str, regel: str) -> Decimal:
    ergebnis = zahl(wert, feld, regel)
    if ergebnis < 0:
        raise Eingabefehler(feld, wert, "darf nicht negativ sein", regel)
    return ergebnis


def ganzzahl(wert: object, feld: str, regel: str, *, mindestens: int = 0) -> int:
    """A whole number ≥ ``mindestens``; ``5.0`` from an Excel cell counts as whole, ``5.5`` does not."""
    ergebnis = zahl(wert, feld, regel)
    if ergebnis != ergebnis.to_integral_value():
        raise Eingabefehler(feld, wert, "muss ganzzahlig angegeben werden", regel)
    if ergebnis < mindestens:
        grund = "muss größer als 0 sein" if mindestens == 1 else f"muss mindestens {mindestens} sein"
        raise Eingabefehler(feld, wert, grund, regel)
    return int(ergebnis)


def menge(wert: object, feld: str, regel: str) -> int:
    """A quantity (l/s, m, m³, EW, EZ): whole and positive, as Anl. 2a/2b Nr. 2 demands."""
    ergebnis = zahl(wert, feld, regel)
    if ergebnis <= 0:
        raise Eingabefehler(feld, wert, "Mengen müssen größer als 0 sein", regel)
    if ergebnis != ergebnis.to_integral_value():
        raise Eingabefehler(feld, wert, "Mengen sind ganzzahlig anzugeben", regel)
    return int(ergebnis)


def _schluessel(text: str) -> str:
    """Compare choices the way clerks type them: case, umlauts and ß folded ("Gefräst" = "gefraest")."""
    text = text.strip().casefold()
    for umlaut, ersatz in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(umlaut, ersatz)
    return unicodedata.normalize("NFKC", text)


def auswahl(wert: object, feld: str, erlaubt: Mapping[str, T], regel: str) -> T:
    """One of the named choices; an unknown one lists what is allowed."""
    if isinstance(wert, str):
        gefunden = {_schluessel(k): v for k, v in erlaubt.items()}.get(_schluessel(wert))
        if gefunden is not None:
            return gefunden
    liste = ", ".join(f"„{k}“" for k in erlaubt)
    raise Eingabefehler(feld, wert, f"zulässig sind {liste}", regel)


_EXCEL_NULL = dt.date(1899, 12, 30)


def datum(wert: object, feld: str, regel: str) -> dt.date | None:
    """A date as it comes from a cell or the command line: date, Excel serial, ISO or German text; empty: None."""
    if wert is None or (isinstance(wert, str) and not wert.strip()):
        return None
    if isinstance(wert, dt.datetime):
        return wert.date()
    if isinstance(wert, dt.date):
        return wert
    if isinstance(wert, int | float | Decimal) and not isinstance(wert, bool):
        return _seriennummer(wert, feld, regel)
    if isinstance(wert, str):
        text = wert.strip()
        # [0-9]: Python's \d also takes other scripts' digits, which no spreadsheet reads as a date
        treffer = re.fullmatch(r"([0-9]{4})-([0-9]{2})-([0-9]{2})", text)
        jahr_monat_tag = treffer.groups() if treffer else None
        treffer = re.fullmatch(r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})", text)
        if treffer:
            jahr_monat_tag = treffer.group(3), treffer.group(2), treffer.group(1)
        if jahr_monat_tag:
            try:
                return dt.date(*map(int, jahr_monat_tag))
            except ValueError:  # 30.02.2024
                raise Eingabefehler(feld, wert, "kein Datum (diesen Tag gibt es nicht)", regel) from None
    raise Eingabefehler(feld, wert, "kein Datum (TT.MM.JJJJ oder JJJJ-MM-TT)", regel)


def _seriennummer(wert: int | float | Decimal, feld: str, regel: str) -> dt.date:
    """Excel's serial date: 1 = 01.01.1900; Excel counts a 29.02.1900 that never was (serial 60), so serials
    before it are one day later than a plain count from 30.12.1899 would say."""
    try:
        tage = int(wert)
        datum = _EXCEL_NULL + dt.timedelta(days=tage + (1 if tage < 60 else 0))
    except (ArithmeticError, ValueError):  # inf, NaN, a serial past 31.12.9999
        tage, datum = 0, None
    if tage == 60:
        raise Eingabefehler(feld, wert, "kein Datum (Excels 29.02.1900 gibt es nicht)", regel)
    if datum is None or tage < 1:
        raise Eingabefehler(feld, wert, "kein Datum (Seriennummer außerhalb des Kalenders)", regel)
    return datum
