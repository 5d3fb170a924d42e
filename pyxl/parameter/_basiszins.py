"""Basiszinssatz nach § 247 BGB: dated half-year values (Deutsche Bundesbank)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pyxl.parameter._ausgaben import Regelwerk, waehle
from pyxl.parameter._daten import _Daten


class Basiszins(Regelwerk):
    """The table; its edition is valid from the first value to the end of the last value's half-year."""

    familie = "basiszinssatz"
    bezeichnung = "Basiszinssatz"

    class Eintrag(_Daten):
        ab: dt.date
        satz: Decimal

    ref: str
    werte: tuple[Eintrag, ...]

    def __post_init__(self) -> None:
        tage = [e.ab for e in self.werte]
        if tage != sorted(set(tage)) or not tage or tage[0] != self.ausgabe.gueltig_ab:
            raise ValueError("Basiszinssatz: Werte nicht aufsteigend oder Beginn ≠ gueltig_ab")
        ende = self.ausgabe.gueltig_bis
        if ende is not None and not (tage[-1] <= ende < _halbjahr_danach(tage[-1])):
            raise ValueError("Basiszinssatz: gueltig_bis liegt nicht im Halbjahr des letzten Werts")


def _halbjahr_danach(tag: dt.date) -> dt.date:
    return dt.date(tag.year, 7, 1) if tag.month < 7 else dt.date(tag.year + 1, 1, 1)


def basiszinssatz(*, stand: dt.date | None = None) -> Basiszins:
    """The table; with ``stand`` only if that date lies within it (else a German error naming the date)."""
    return waehle("basiszinssatz", None, stand)  # type: ignore[return-value]
