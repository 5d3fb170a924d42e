"""One submission checked against one form: every group of rules, in the order their findings are reported."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from pyxl.pruefregeln import Befund
from pyxl.templates.modell import Fehlerwert, Formular, Rolle
from pyxl.validators.lesen import Mappe
from pyxl.validators.regeln.beschriftungen import Beschriftungen
from pyxl.validators.regeln.eingaben import Eingaben
from pyxl.validators.regeln.formeln import Formeln
from pyxl.validators.regeln.kreuzregeln import Kreuzregeln
from pyxl.validators.regeln.struktur import Struktur
from pyxl.validators.regeln.werte import zu_gross


class Pruefer(Struktur, Eingaben, Beschriftungen, Formeln, Kreuzregeln):
    """Checks one submission against one form."""

    def pruefe(self) -> list[Befund]:
        self._struktur()
        for feld in self.formular.felder:
            if feld.blatt not in self.mappe.blaetter:
                continue
            if feld.rolle is Rolle.EINGABE:
                self._eingabe(feld)
            elif feld.rolle is Rolle.TEXT:
                self._text(feld)
            else:
                zelle = self._zelle(feld)
                wert = zelle.wert if zelle else None
                if isinstance(wert, str) and wert.startswith("#"):  # the sheet shows an error value (#NV, #WERT!)
                    wert = Fehlerwert(f"Tabelle zeigt {wert}")
                elif zu_gross(wert):  # its own cell reports it (result differs); cells reading it get no number
                    wert = Fehlerwert("Zahl außerhalb des Rechenbereichs")
                self.werte[feld.schluessel] = wert
        self._formeln()
        self._kreuzregeln()
        return self.befunde


def pruefe_formular(
    formular: Formular, mappe: Mappe, zellbereich: int, vorgaben: Mapping[str, object] | None = None
) -> Iterator[Befund]:
    yield from Pruefer(formular, mappe, zellbereich, vorgaben).pruefe()
