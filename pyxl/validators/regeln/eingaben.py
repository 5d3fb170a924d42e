"""Inputs: required, numbers (also typed as text), whole numbers, ranges, lists, dates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pyxl.functions.eingabe import datum
from pyxl.functions.fehler import Eingabefehler, zeige
from pyxl.functions.zahlen import als_decimal, deutsch, lies_deutsch
from pyxl.templates.modell import Feld, Pruefung
from pyxl.validators.regeln.grundlage import Grundlage
from pyxl.validators.regeln.werte import GRENZE_ZAHL, zeige_wert, zu_gross


class Eingaben(Grundlage):
    """Each input cell against its field's check (Excel's data validation and this rule, from one place)."""

    def _eingabe(self, feld: Feld) -> None:
        zelle = self._zelle(feld)
        wert = None if zelle is None else zelle.wert
        if isinstance(wert, str) and not wert.strip():
            wert = None
        pruefung = feld.pruefung
        if pruefung is None:
            self.werte[feld.schluessel] = wert
            return
        if wert is None:
            if pruefung.pflicht:
                self.melde(
                    "pflichtangabe",
                    feld,
                    f"Pflichtangabe fehlt: {pruefung.hinweis}",
                    fundstelle=pruefung.regel,
                )
            self.werte[feld.schluessel] = None
            return
        if pruefung.art in ("ganzzahl", "dezimal"):
            wert = self._zahl(feld, pruefung, wert)
            if wert is not None and zu_gross(wert):
                self.melde("zahl_zu_gross", feld,
                           "Zahl zu groß – Tabellenkalkulationen rechnen nur unter 10^15 auf den Cent genau; "
                           "als leer gewertet", erwartet=f"< {deutsch(GRENZE_ZAHL)}", gefunden=zeige_wert(wert),
                           fundstelle=pruefung.regel)  # fmt: skip
                wert = None
            if wert is not None:
                self._zahlbereich(feld, pruefung, wert)
        elif pruefung.art == "datum":
            wert = self._datum(feld, pruefung, wert)
        elif pruefung.art == "liste":
            text = deutsch(wert, tausender=False) if isinstance(wert, int | float | Decimal) else str(wert)
            if text not in pruefung.liste and not (
                isinstance(wert, float) and wert.is_integer() and str(int(wert)) in pruefung.liste
            ):
                self.melde(
                    "liste",
                    feld,
                    f"Wert nicht zulässig; {pruefung.hinweis}",
                    erwartet=" | ".join(pruefung.liste),
                    gefunden=zeige(wert),
                    fundstelle=pruefung.regel,
                )
        self.werte[feld.schluessel] = wert

    def _datum(self, feld: Feld, pruefung: Pruefung, wert: object) -> object:
        """A date cell holds a serial number (Excel stores dates so); typed text is read but reported."""
        if isinstance(wert, int | float | dt.date) and not isinstance(wert, bool):
            return wert
        try:
            gelesen = datum(wert, feld.schluessel, pruefung.regel)
        except Eingabefehler:
            gelesen = None
        if gelesen is None:
            self.melde("kein_datum", feld, f"Datum erwartet; {pruefung.hinweis}",
                       gefunden=zeige(wert), fundstelle=pruefung.regel)  # fmt: skip
            return None
        self.melde("datum_als_text", feld,
                   f"Datum als Text eingegeben – gelesen als {gelesen:%d.%m.%Y}; Excel rechnet mit Text nicht",
                   erwartet=f"{gelesen:%d.%m.%Y}", gefunden=zeige(wert), fundstelle=pruefung.regel)  # fmt: skip
        return gelesen

    def _zahl(self, feld: Feld, pruefung: Pruefung, wert: object) -> Decimal | None:
        if isinstance(wert, bool) or not isinstance(wert, int | float | Decimal | str):
            self.melde("keine_zahl", feld, "Zahl erwartet", gefunden=zeige(wert), fundstelle=pruefung.regel)
            return None
        if isinstance(wert, str):
            zahl = lies_deutsch(wert)
            if zahl is None:
                self.melde(
                    "keine_zahl",
                    feld,
                    f"Zahl erwartet; {pruefung.hinweis}",
                    gefunden=zeige(wert),
                    fundstelle=pruefung.regel,
                )
                return None
            self.als_text.add(feld.schluessel)
            self.melde(
                "zahl_als_text",
                feld,
                f"Zahl als Text eingegeben – gelesen als {deutsch(zahl)}; Excel rechnet mit Text nicht",
                erwartet=deutsch(zahl),
                gefunden=zeige(wert),
                fundstelle=pruefung.regel,
            )
            return zahl
        return als_decimal(wert)

    def _zahlbereich(self, feld: Feld, pruefung: Pruefung, zahl: Decimal) -> None:
        if pruefung.art == "ganzzahl" and zahl != zahl.to_integral_value():
            menge = feld.schluessel.endswith(".menge")
            self.melde(
                "menge_ganzzahlig" if menge else "ganzzahl",
                feld,
                "Mengen sind ganzzahlig anzugeben" if menge else "Ganze Zahl erwartet",
                erwartet="ganze Zahl",
                gefunden=deutsch(zahl),
                fundstelle=pruefung.regel,
            )
        unten = pruefung.minimum
        if unten is not None and (zahl < unten or (pruefung.minimum_ausgeschlossen and zahl == unten)):
            zeichen = ">" if pruefung.minimum_ausgeschlossen else "≥"
            self.melde(
                "bereich",
                feld,
                f"Wert zu klein; {pruefung.hinweis}",
                erwartet=f"{zeichen} {deutsch(unten)}",
                gefunden=deutsch(zahl),
                fundstelle=pruefung.regel,
            )
        if pruefung.maximum is not None and zahl > pruefung.maximum:
            self.melde(
                "bereich",
                feld,
                f"Wert zu groß; {pruefung.hinweis}",
                erwartet=f"≤ {deutsch(pruefung.maximum)}",
                gefunden=deutsch(zahl),
                fundstelle=pruefung.regel,
            )
