"""The open workbook as the add-in sends it (xlwings Book JSON), read into the validator's :class:`Mappe`.

xlwings' own task-pane code sends each sheet's *values* only. A check needs formulas too (an overwritten formula is
the commonest mistake) and the form id the builder stored as a custom document property. pyxl's task pane
(``macros/pyxl-addin.js``) therefore adds to the same payload, per sheet, ``formulas`` (Office.js
``Range.formulas``) and, for the workbook, ``properties`` (``workbook.properties.custom``). With them the open
workbook is checked by the same rules as a saved file — except the container gate (zip limits, macros, external
links), which concerns files and has no counterpart in cell data.
"""

from __future__ import annotations

from collections.abc import Mapping

from openpyxl.utils import get_column_letter

from pyxl.excel import xw
from pyxl.templates import Formular, formulare
from pyxl.templates.builder import META_FORMULAR
from pyxl.validators.lesen import Mappe, Tabellenblatt, Zelle
from pyxl.validators.regelwerke import formular_der_mappe


def _blatt(eintrag: Mapping) -> Tabellenblatt:
    blatt = Tabellenblatt(str(eintrag.get("name", "?")), "visible")
    werte = eintrag.get("values") or []
    formeln = eintrag.get("formulas") or []
    for z, zeile in enumerate(werte):
        formelzeile = formeln[z] if z < len(formeln) else []
        for s, wert in enumerate(zeile):
            formel = formelzeile[s] if s < len(formelzeile) else None
            formel = formel if isinstance(formel, str) and formel.startswith("=") else None
            if formel is None and wert in ("", None):
                continue
            blatt.zellen[f"{get_column_letter(s + 1)}{z + 1}"] = Zelle(formel, None if wert == "" else wert)
    return blatt


def mappe_aus_json(daten: Mapping) -> Mappe:
    """A :class:`Mappe` from the add-in's payload; German ``XlwingsError`` if it cannot be checked.

    Shape and size (cells, sheets) the server has checked before: :func:`pyxl.excel.anfrage.pruefe_mappe`.
    """
    blaetter = daten.get("sheets") or []
    if not any("formulas" in b for b in blaetter):
        raise xw.XlwingsError(
            "Die Arbeitsmappe kam ohne Formeln an: Prüfen geht nur über den Aufgabenbereich des pyxl-Add-ins "
            "(„Vorlage prüfen“), nicht über ein anderes xlwings-Add-in"
        )
    mappe = Mappe({}, {}, {k: str(v) for k, v in (daten.get("properties") or {}).items()})
    for eintrag in blaetter:
        blatt = _blatt(eintrag)
        mappe.blaetter[blatt.name] = blatt
    namen = [b.name for b in mappe.blaetter.values()]
    for name in daten.get("names") or []:
        nummer = name.get("sheet_index")
        if name.get("book_scope") and isinstance(nummer, int) and 0 <= nummer < len(namen):
            mappe.namen[str(name.get("name"))] = f"'{namen[nummer]}'!{name.get('address')}"
    return mappe


def formular_in(eigenschaften: Mapping[str, str], blaetter: list[str]) -> Formular | None:
    """The form a workbook holds: by the id the builder stored — built from the parameter sets it records (another
    county's Satzung) —, else by the name of the form's first sheet. A form of unknown sets: the German finding as
    the add-in's error."""
    alle = formulare()
    if eigenschaften.get(META_FORMULAR) in alle:
        wahl = formular_der_mappe(eigenschaften[META_FORMULAR], eigenschaften)
        if wahl.formular is None:
            raise xw.XlwingsError(wahl.befunde[0].meldung if wahl.befunde else "Vordruck nicht erkannt")
        return wahl.formular
    return next((f for f in alle.values() if f.blaetter[0].name in blaetter), None)
