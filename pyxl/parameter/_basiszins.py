"""Basiszinssatz nach § 247 BGB: dated half-year values (Deutsche Bundesbank).

A continued table (``fortgeschrieben``): every half-year a value is appended, none changes. A form recorded with an
earlier state is checked with the current one; an administration appends new values in its own copy of
``basiszinssatz.toml`` in a folder of ``PYXL_PARAMETER``, which replaces the package's file if it keeps all its
values."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

from pyxl.parameter._ausgaben import Ausgabe, Regelwerk, aus_daten, pruefsumme, stimmt, waehle
from pyxl.parameter._daten import _Daten


class Basiszins(Regelwerk):
    """The table; its edition is valid from the first value to the end of the last value's half-year."""

    familie = "basiszinssatz"
    bezeichnung = "Basiszinssatz"
    fortgeschrieben = True  # a new value every half-year, none changed

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

    def setzt_fort(self, frueher: Regelwerk) -> bool:
        """Every earlier value unchanged, new ones only after them."""
        alt = getattr(frueher, "werte", ())
        return self.werte[: len(alt)] == alt and self.ausgabe.gueltig_ab == frueher.ausgabe.gueltig_ab

    def frueherer_stand(self, summe: str) -> Basiszins | None:
        """The table as it was with only its first values (a form built then has one row per value), if its
        fingerprint — over the values as the file has them, ``ref`` and ``werte`` — is ``summe``."""
        for anzahl in range(len(self.werte) - 1, 0, -1):
            werte = [{"ab": e.ab, "satz": e.satz} for e in self.werte[:anzahl]]
            if stimmt(pruefsumme({"ref": self.ref, "werte": werte}), summe):
                letzter = self.werte[anzahl - 1].ab
                ausgabe = replace(self.ausgabe, name=f"{self.ausgabe.name}, Werte bis {letzter:%d.%m.%Y}",
                                  gueltig_bis=_halbjahr_danach(letzter) - dt.timedelta(days=1))  # fmt: skip
                return aus_daten(Basiszins, {"ref": self.ref, "werte": werte, "ausgabe": _als_daten(ausgabe)},
                                 self.schluessel, self.datei)  # type: ignore[return-value]  # fmt: skip
        return None


def _als_daten(ausgabe: Ausgabe) -> dict[str, object]:
    return {name: wert for name in ausgabe._namen if (wert := getattr(ausgabe, name)) not in (None, "")}


def _halbjahr_danach(tag: dt.date) -> dt.date:
    return dt.date(tag.year, 7, 1) if tag.month < 7 else dt.date(tag.year + 1, 1, 1)


def basiszinssatz(*, stand: dt.date | None = None) -> Basiszins:
    """The table; with ``stand`` only if that date lies within it (else a German error naming the date)."""
    return waehle("basiszinssatz", None, stand)  # type: ignore[return-value]
