"""Report statistics (KRM report): how percentages are printed."""

from __future__ import annotations

import datetime as dt

from pyxl.parameter._ausgaben import Regelwerk, waehle


class Berichtsstatistik(Regelwerk):
    familie = "berichtsstatistik"
    bezeichnung = "Berichtsstatistik"

    ref: str
    stellen: int


def berichtsstatistik(*, stand: dt.date | None = None) -> Berichtsstatistik:
    return waehle("berichtsstatistik", None, stand)  # type: ignore[return-value]
