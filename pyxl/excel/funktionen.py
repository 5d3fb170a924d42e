"""Every function of the registry as an Excel custom function — the one decorated module.

xlwings Server reads it with ``custom_functions_meta``/``custom_functions_call``; classic xlwings on Windows imports
it as ``UDF_MODULES = pyxl.excel.funktionen``. Each function is generated from its registry entry (name, German
help, argument help), so a new calculator appears in Excel without a line here.

At the Excel boundary: a range argument arrives as rows of cells (``ndim=2``), a date as a serial number (Office.js)
or a ``datetime`` (classic) — the registry reads both. Decimal results leave as ``float``; a list leaves as one
column (``[[v], …]``), which Excel spills as a dynamic array. Bad input raises ``xlwings.XlwingsError`` with the
registry's German message (the cell shows #WERT!/#VALUE! with that text); no Kostenrichtwert gives ``#N/A`` (#NV).
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from pyxl.excel import xw
from pyxl.functions import REGISTER, Aufruffehler, Eingabefehler, Funktion, KeinRichtwert
from pyxl.functions.antwort import ergebnis_json

log = logging.getLogger(__name__)

NV = "#N/A"  # written as the error #NV/#N/A by xlwings Server (Office.js custom functions runtime >= 1.4)
# #NV as COM carries a cell error (VT_ERROR, 0x800A07FA: FACILITY_CONTROL + xlErrNA 2042); classic xlwings reads cells
# with the same code (xlwings._xlwindows.cell_errors)
COM_NV = -2146826246


def nv(klassisch: bool | None = None) -> object:
    """The value that makes the cell show the error #NV (not the text "#N/A").

    xlwings Server writes the text ``#N/A`` as the error itself. Classic xlwings hands the value through its VBA
    wrapper unchanged, and a text stays a text there — as in VBA, where only ``CVErr(xlErrNA)`` is an error. So
    classic Excel gets a COM error value: pywin32 turns ``win32com.client.VARIANT(VT_ERROR, …)`` into exactly that
    (``PyCom_VariantFromPyObject``, also inside the result array). Manual check in Windows Excel: docs/excel.md."""
    if not (xw.KLASSISCH if klassisch is None else klassisch):
        return NV
    import pythoncom
    from win32com.client import VARIANT

    return VARIANT(pythoncom.VT_ERROR, COM_NV)


KATEGORIE = "pyxl"  # the function category in classic Excel's function wizard


def beschreibung(eintrag: Funktion) -> str:
    """The description Excel shows for a function: what it computes, the unit and the clause."""
    return f"{eintrag.hilfe} Ergebnis in {eintrag.einheit}. ({eintrag.regel})"


def excel_wert(wert: Decimal | list[Decimal]) -> float | list[list[float]]:
    """Decimal to Excel's number; a list becomes one column (a dynamic array)."""
    if isinstance(wert, list):
        return [[float(w)] for w in wert]
    return float(wert)


def _zellen(wert: object) -> list[object]:
    if isinstance(wert, list | tuple):
        return [z for zeile in wert for z in (zeile if isinstance(zeile, list | tuple) else [zeile])]
    return [wert]


def _einzelwerte(eintrag: Funktion, werte: Sequence[object]) -> list[object]:
    """The arguments as the calculator takes them: a one-cell range where the rule takes one value is that value."""
    aufruf = list(werte)
    for nummer, (argument, wert) in enumerate(zip(eintrag.argumente, aufruf, strict=False)):
        if argument.typ is list or not isinstance(wert, list | tuple):
            continue
        zellen = _zellen(wert)
        if len(zellen) != 1:  # a range where the rule takes one value: say so rather than guess a cell
            raise xw.XlwingsError(
                f"{eintrag.name}: {argument.name} = Bereich mit {len(zellen)} Zellen: "
                f"ein einzelner Wert erwartet ({eintrag.regel})"
            )
        aufruf[nummer] = zellen[0]
    return aufruf


def berechne(eintrag: Funktion, werte: Sequence[object]) -> object:
    """One call as Excel makes it; German ``XlwingsError`` for bad input, ``#N/A`` where the rule has no value."""
    aufruf = _einzelwerte(eintrag, werte)
    try:
        ergebnis = eintrag.auswerten(aufruf)
    except KeinRichtwert as fehler:  # the log names field and clause, never the clerk's value (docs/excel.md)
        log.info("%s: kein Wert (#NV) für %s nach %s", eintrag.name, fehler.feld, fehler.regel)
        return nv()
    except (Eingabefehler, Aufruffehler) as fehler:
        raise xw.XlwingsError(f"{eintrag.name}: {fehler}") from None
    for hinweis in ergebnis.hinweise:  # a cell holds one value; pyxl fn and the task pane's Rechenweg show the notes
        log.info("%s: Hinweis nach %s", eintrag.name, hinweis.regel)  # the clause only: amounts stay out of the log
    return excel_wert(ergebnis.wert)


def _excel_funktion(eintrag: Funktion) -> Callable[..., object]:
    def aufruf(*werte: object) -> object:
        return berechne(eintrag, werte)

    aufruf.__name__ = aufruf.__qualname__ = eintrag.name
    aufruf.__module__ = __name__
    aufruf.__doc__ = beschreibung(eintrag)
    aufruf.__annotations__ = {}  # no type hints: xlwings would take them as converters (``object`` has none)
    # xlwings reads the Excel arguments from the signature: one named parameter per registry argument
    aufruf.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [
            inspect.Parameter(
                a.name,
                inspect.Parameter.POSITIONAL_OR_KEYWORD,
                default=None if a.optional else inspect.Parameter.empty,
            )
            for a in eintrag.argumente
        ]
    )
    for argument in eintrag.argumente:
        optionen = {"ndim": 2} if argument.typ is list else {}
        aufruf = xw.arg(argument.name, doc=argument.hilfe, **optionen)(aufruf)
    return xw.func(category=KATEGORIE)(aufruf)


def _zelle(wert: object) -> object:
    """A cell as xlwings' Office.js engine cleans it (``_clean_value_data_element``): empty text is an empty cell,
    an error cell nothing, a data type its basic value."""
    if wert == "":
        return None
    if isinstance(wert, dict):
        return None if wert["type"] == "Error" else wert["basicValue"]
    return wert


def lies_argument(wert: object, bereich: bool) -> object:
    """One argument as ``xlwings.server.custom_functions_call`` reads it — ``to_scalar``, then the value converter
    (``ndim=2`` for a range argument, else squeezed) — in one pass over the range.

    xlwings runs its conversion pipeline per cell (a Pyodide check, an import attempt, several branches): about
    10 ms per 1.000 cells. Numbers, by far the most cells, pass unchanged; only the others take xlwings' rule.
    """
    if isinstance(wert, list | tuple) and len(wert) == 1:  # to_scalar: a 1×1 range is its value
        wert = wert[0][0] if isinstance(wert[0], list | tuple) and len(wert[0]) == 1 else wert[0]
    if wert is None:
        return None  # xlwings: the argument's "optional" default, None for every function here
    if not isinstance(wert, list | tuple):
        zeilen: Any = [[wert]]
    elif wert and not isinstance(wert[0], list | tuple):
        zeilen = [wert]
    else:
        zeilen = wert
    zeilen = [[z if type(z) is float or type(z) is int else _zelle(z) for z in zeile] for zeile in zeilen]
    if bereich:
        return zeilen
    if len(zeilen) == 1:  # xlwings' "squeeze": a row or a single cell
        return zeilen[0][0] if len(zeilen[0]) == 1 else zeilen[0]
    if len(zeilen[0]) == 1:
        return [z[0] for z in zeilen]
    return zeilen


def _argumente_lesen(eintrag: Funktion, args: Sequence[object]) -> list[object]:
    return [
        lies_argument(wert, eintrag.argumente[min(i, len(eintrag.argumente) - 1)].typ is list)
        for i, wert in enumerate(args)
    ]


async def excel_aufruf(name: str, daten: dict) -> object:
    """One custom-function call of the add-in (``func_name``, ``args``, ``runtime`` …) as xlwings Server answers it,
    with the arguments read and a column of numbers written as whole ranges.

    Same result as ``xlwings.server.custom_functions_call(daten, funktionen)`` for every function here (no varargs,
    no injected arguments, no roles): tests/test_excel_server.py compares both. Anything but a number or a column of
    numbers (``#N/A``) still goes through xlwings' own writer.
    """
    argumente = _argumente_lesen(REGISTER[name], daten["args"])
    ergebnis = globals()[name](*argumente)
    if type(ergebnis) is float and ergebnis == ergebnis:
        return [[ergebnis]]
    if isinstance(ergebnis, list) and all(len(z) == 1 and type(z[0]) is float and z[0] == z[0] for z in ergebnis):
        return ergebnis  # xlwings' writer leaves finite floats as they are; NaN would become #NUM!
    from xlwings.pro.udfs_officejs import convert

    return await convert(ergebnis, globals()[name].__xlfunc__["ret"], daten)


def erklaere(name: str, args: Sequence[object]) -> dict[str, object]:
    """One cell's call with its trace (the task pane's "Rechenweg"): the arguments as Office.js sends them, read
    as for the custom function; the answer is the dict ``pyxl fn --json --erklaeren`` prints.

    Bad input raises ``XlwingsError`` with the registry's German message, as the cell's #WERT! shows it; where the
    rule has no value (the cell shows #NV) the message says why.
    """
    eintrag = REGISTER[name]
    aufruf = _einzelwerte(eintrag, _argumente_lesen(eintrag, args))
    try:
        ergebnis = eintrag.auswerten(aufruf, erklaeren=True)
    except KeinRichtwert as fehler:
        raise xw.XlwingsError(f"{eintrag.name}: {fehler} – die Zelle zeigt #NV") from None
    except (Eingabefehler, Aufruffehler) as fehler:
        raise xw.XlwingsError(f"{eintrag.name}: {fehler}") from None
    return ergebnis_json(eintrag, ergebnis)


globals().update({name: _excel_funktion(eintrag) for name, eintrag in REGISTER.items()})
__all__ = sorted(REGISTER)  # `from pyxl.excel.funktionen import *` in macros/ takes every function
