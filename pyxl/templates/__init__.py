"""Official forms, one declarative spec each (:class:`~pyxl.templates.modell.Formular`).

The builder writes ``xlsx_templates/`` from these specs, the validator reads submissions with them.
"""

from __future__ import annotations

from pyxl import parameter
from pyxl.parameter import Basiszins, NKFParameter, OEPNVParameter, RZWasParameter
from pyxl.templates.modell import Fehlerwert, Feld, Formular, Pruefung, Rolle
from pyxl.templates.nkf import teilergebnisplan, teilfinanzplan
from pyxl.templates.oepnv_exante import exante_kalkulation
from pyxl.templates.oepnv_expost import expost_nachweis
from pyxl.templates.oepnv_uebersicht import uebersicht
from pyxl.templates.rzwas_ausbaukosten import anlage_4
from pyxl.templates.rzwas_zwf import anlage_3a, anlage_3b
from pyxl.templates.trennungsrechnung import trennungsrechnung


def formulare(
    *,
    rzwas: RZWasParameter | None = None,
    satzung: OEPNVParameter | None = None,
    nkf: NKFParameter | None = None,
    basiszins: Basiszins | None = None,
) -> dict[str, Formular]:
    """Every form by its id (``RZWAS-3A`` …), built from the given parameter sets (default: the current ones).
    The same sets give the same (cached) forms."""
    sets = (rzwas or parameter.rzwas(), satzung or parameter.oepnv(), nkf or parameter.nkf(),
            basiszins or parameter.basiszinssatz())  # fmt: skip
    schluessel = tuple(s.pruefsumme for s in sets)  # the data decide, not the object
    if schluessel not in _GEBAUT:
        _GEBAUT[schluessel] = _formulare(*sets)
    return _GEBAUT[schluessel]


_GEBAUT: dict[tuple[str, ...], dict[str, Formular]] = {}


def _formulare(
    rzwas: RZWasParameter, satzung: OEPNVParameter, nkf: NKFParameter, basiszins: Basiszins
) -> dict[str, Formular]:
    alle = (
        anlage_3a(rzwas),
        anlage_3b(rzwas),
        anlage_4(rzwas),
        teilergebnisplan(nkf),
        teilfinanzplan(nkf),
        *oepnv_formulare(satzung, basiszins),
    )
    return {f.kennung: f for f in alle}


def oepnv_formulare(satzung: OEPNVParameter, basiszins: Basiszins) -> tuple[Formular, ...]:
    """The four VO 1370 forms of one county's Satzung (the ex post form's interest periods from ``basiszins``)."""
    return (
        trennungsrechnung(satzung),
        exante_kalkulation(satzung),
        expost_nachweis(satzung, basiszins),
        uebersicht(satzung),
    )


__all__ = ["Fehlerwert", "Feld", "Formular", "Pruefung", "Rolle", "formulare", "oepnv_formulare"]
