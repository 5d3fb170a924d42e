"""NKF and the other states' Doppik: the row schemes of budget plans, one file per state."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pyxl.parameter._ausgaben import Regelwerk, reihen, waehle_benannt
from pyxl.parameter._daten import _Daten


class Summenzeile(_Daten):
    zeile: int
    aus: tuple[int, ...]


class Planschema(_Daten):
    """The row scheme of one budget plan (keys explained at the top of ``nkf_nrw.toml``)."""

    name: str
    ref: str  # the clause a finding cites
    art: str  # "ergebnis" | "finanz"
    ebene: str  # "teil" | "gesamt" | "beide"
    titel: tuple[str, ...]
    zeilen: int  # rows of the Muster
    bezeichnungen: tuple[str, ...]  # rows 1 … n, possibly past the Muster
    aufwand: frozenset[int]
    minderung: frozenset[int]
    frei: frozenset[int]
    saldo_frei: frozenset[int]
    summen: tuple[Summenzeile, ...]

    def __post_init__(self) -> None:
        letzte = len(self.bezeichnungen)
        if (
            self.zeilen > letzte
            or self.art not in ("ergebnis", "finanz")
            or self.ebene not in ("teil", "gesamt", "beide")
        ):
            raise ValueError(f"{self.name}: Zeilenzahl, Art oder Ebene passt nicht")
        for summe in self.summen:  # parts before their sum: the list order is an order of computation
            if not all(1 <= t < summe.zeile <= letzte for t in summe.aus):
                raise ValueError(f"{self.name}: Summenzeile {summe.zeile} nennt Zeilen außerhalb des Schemas")
        if not (self.aufwand | self.minderung | self.frei | self.saldo_frei) <= set(range(1, letzte + 1)):
            raise ValueError(f"{self.name}: Zeilenliste außerhalb des Schemas")


class NKFMeta(_Daten):
    kurz: str
    land: str
    ref: str
    rundung: Decimal


class NKFParameter(Regelwerk):
    """One state's plan schemes; ``spalten``: the column headings of pyxl's templates (NRW only)."""

    familie = "nkf"
    bezeichnung = "NKF-Zeilenschema"
    gruppiert = True  # one series per state
    standardgruppe = "nrw"

    meta: NKFMeta
    schemata: dict[str, Planschema]
    spalten: dict[str, tuple[str, ...]]

    @property
    def teilergebnisplan(self) -> Planschema:
        return self.schemata["teilergebnisplan"]

    @property
    def teilfinanzplan(self) -> Planschema:
        return self.schemata["teilfinanzplan"]


def nkf(land: str = "nrw", *, stand: dt.date | None = None) -> NKFParameter:
    """A state's plan schemes (``nkf_<land>.toml``), the edition valid at ``stand`` or today; a key that is no
    series (an edition ``nrw_2027`` with ``reihe = "nrw"``) names one file."""
    return waehle_benannt("nkf", land, stand)  # type: ignore[return-value]


def nkf_laender() -> tuple[str, ...]:
    """The states whose plan schemes are data here (``nkf_<land>.toml``), NRW first."""
    return tuple(sorted(reihen("nkf"), key=lambda land: land != "nrw"))
