"""Labels: the form's locked texts and the rule's parameters, as the template wrote them."""

from __future__ import annotations

from decimal import Decimal

from pyxl.functions.zahlen import als_decimal
from pyxl.templates.modell import Feld
from pyxl.validators.regeln.grundlage import Grundlage
from pyxl.validators.regeln.werte import nachkommastellen, zeige_wert


class Beschriftungen(Grundlage):
    """Each locked text or constant against the template: a changed parameter breaks the rule, a changed label
    only its wording."""

    def _text(self, feld: Feld) -> None:
        stellen = nachkommastellen(feld.zahlenformat)
        if feld.wert in (None, ""):
            return
        zelle = self._zelle(feld)
        gefunden = None if zelle is None else zelle.wert
        if zelle is not None and zelle.formel:
            gefunden = zelle.formel
        soll = feld.wert
        gleich = gefunden == soll or (
            isinstance(soll, int | Decimal)
            and isinstance(gefunden, int | float)
            and not isinstance(gefunden, bool)
            and als_decimal(gefunden) == Decimal(soll)
        )
        if gleich:
            return
        if (feld.name and feld.name.startswith("P_")) or feld.schluessel.startswith("param."):
            self.melde(
                "parameter_geaendert",
                feld,
                "Parameter der Regel geändert – die Formeln rechnen dann nicht mehr nach der Regel",
                erwartet=zeige_wert(soll, stellen),
                gefunden=zeige_wert(gefunden, stellen),
                fundstelle=feld.regel,
            )
        else:
            self.melde(
                "beschriftung_geaendert",
                feld,
                "Beschriftung des Vordrucks geändert",
                erwartet=zeige_wert(soll, stellen),
                gefunden=zeige_wert(gefunden, stellen),
            )
