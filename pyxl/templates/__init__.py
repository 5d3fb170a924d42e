"""Official forms, one declarative spec each (:class:`~pyxl.templates.modell.Formular`).

The builder writes ``xlsx_templates/`` from these specs, the validator reads submissions with them.
"""

from __future__ import annotations

from functools import cache

from pyxl.templates.modell import Fehlerwert, Feld, Formular, Pruefung, Rolle
from pyxl.templates.nkf import teilergebnisplan, teilfinanzplan
from pyxl.templates.oepnv_exante import exante_kalkulation
from pyxl.templates.oepnv_expost import expost_nachweis
from pyxl.templates.oepnv_uebersicht import uebersicht
from pyxl.templates.rzwas_ausbaukosten import anlage_4
from pyxl.templates.rzwas_zwf import anlage_3a, anlage_3b
from pyxl.templates.trennungsrechnung import trennungsrechnung


@cache
def formulare() -> dict[str, Formular]:
    """Every form by its id (``RZWAS-3A`` …)."""
    alle = (
        anlage_3a(),
        anlage_3b(),
        anlage_4(),
        teilergebnisplan(),
        teilfinanzplan(),
        trennungsrechnung(),
        exante_kalkulation(),
        expost_nachweis(),
        uebersicht(),
    )
    return {f.kennung: f for f in alle}


__all__ = ["Fehlerwert", "Feld", "Formular", "Pruefung", "Rolle", "formulare"]
