"""Issue 12, point 6: the add-in reads and writes whole ranges itself (``funktionen.excel_aufruf``) instead of
xlwings' pipeline per cell — and answers exactly as ``xlwings.server.custom_functions_call`` does, value for value,
error text for error text, #NV for #NV. In-process, both paths on the same requests."""

from __future__ import annotations

import asyncio

import pytest
import xlwings
import xlwings.main

from pyxl.excel import funktionen  # sets the noncommercial licence key xlwings.server asks for at its import
from pyxl.excel.beispielaufrufe import BEISPIELAUFRUFE
from tests.excel_hilfen import officejs_argument

if not xlwings.__pro__:  # pragma: no cover - xlwings was imported before pyxl.excel set the key
    from xlwings.pro import _xlofficejs

    xlwings.engines.add(xlwings.main.Engine(impl=_xlofficejs.engine))

NV_ZELLE = {"type": "Error", "errorType": "NotAvailable", "basicValue": "#N/A"}


def _daten(name: str, args: list, runtime: str = "1.4") -> dict:
    return {
        "client": "Office.js",
        "func_name": name,
        "args": args,
        "caller_address": "[Mappe1.xlsx]Tabelle1!B2",
        "culture_info_name": "de-DE",
        "date_format": "TT.MM.JJJJ",
        "version": xlwings.__version__,
        "runtime": runtime,
    }


def _ergebnis(koroutine) -> tuple[str, object]:
    try:
        return "wert", asyncio.run(koroutine)
    except Exception as fehler:  # the same exception class and German text on both paths
        return type(fehler).__name__, str(fehler)


def _beide(name: str, args: list, runtime: str = "1.4") -> tuple[tuple[str, object], tuple[str, object]]:
    import xlwings.server  # after pyxl.excel (see above)

    xlwings_weg = _ergebnis(xlwings.server.custom_functions_call(_daten(name, args, runtime), funktionen))
    eigener_weg = _ergebnis(funktionen.excel_aufruf(name, _daten(name, args, runtime)))
    return xlwings_weg, eigener_weg


@pytest.mark.parametrize("runtime", ["1.3", "1.4"])
@pytest.mark.parametrize("name", sorted(BEISPIELAUFRUFE))
def test_every_example_call_answers_as_xlwings_does(name, runtime):
    xlwings_weg, eigener_weg = _beide(name, [officejs_argument(a) for a in BEISPIELAUFRUFE[name]], runtime)
    assert eigener_weg == xlwings_weg


# numbers, empty cells, an error cell; then what the rule refuses (text, even a text number, in this range)
GEMISCHT = [[1000.5], [""], [None], [0], [3], [NV_ZELLE], [2500], ["1234,5"], ["abc"], [True], [" "]]


@pytest.mark.parametrize(
    ("name", "args"),
    [
        # a range of numbers, empty cells, text numbers, text, a truth value and an error cell
        ("OEPNV_ABSCHMELZUNG", [GEMISCHT, [[4000]]]),
        *(("OEPNV_ABSCHMELZUNG", [GEMISCHT[:ende], [[4000]]]) for ende in range(1, len(GEMISCHT))),
        ("OEPNV_ABSCHMELZUNG", [[[1000.5, 200], [300, ""]], [["3.000,5"]]]),  # a 2×2 range
        ("OEPNV_ABSCHMELZUNG", [[[1000.5, 200, 300]], [[1000]]]),  # one row
        ("OEPNV_ABSCHMELZUNG", [[[1000.5]], [[1000]]]),  # one cell
        ("OEPNV_ABSCHMELZUNG", [[[""]], [[1000]]]),
        ("OEPNV_ABSCHMELZUNG", [None, [[1000]]]),
        ("OEPNV_ABSCHMELZUNG", [[[NV_ZELLE]], [[1000]]]),
        ("OEPNV_ABSCHMELZUNG", [[[1000.5], [200]], [[1000], [2]]]),  # a range where one value belongs
        ("OEPNV_ABSCHMELZUNG", [[[1000.5], [200]], [[1000, 2]]]),
        ("OEPNV_ABSCHMELZUNG", [[[1000.5], [200]], [["1000"]], [[1]]]),  # one argument too many
        ("OEPNV_ABSCHMELZUNG", [[[1e308], [1e308]], [[1e308]]]),
        ("RZW_ZUWENDUNGSSATZ", [[[5000.5]], None]),
        ("RZW_ZUWENDUNGSSATZ", [[["5000,5"]], [[""]]]),
        ("RZW_ZUWENDUNGSSATZ", [[[""]]]),
        ("RZW_ZUWENDUNGSSATZ", [[[NV_ZELLE]]]),
        ("RZW_ZUWENDUNGSSATZ", [[["1.060,5"]]]),
        ("RZW_ZUWENDUNGSSATZ", [5000.5, 1]),  # single values without the rows around them
        ("RZW_ZUWENDUNGSSATZ", [[5000.5], [1]]),
        ("RZW_ZUWENDUNGSSATZ", [[[5000.5, 1]]]),
        ("RZW_KRW_WASSERLEITUNG", [[[400]]]),  # no Kostenrichtwert: #NV
        ("RZW_KRW_WASSERLEITUNG", [[["400"]]]),
        ("RZW_KRW_DRUCKLEITUNG", [[["gebaggert"]]]),
        ("RZW_KRW_FREISPIEGELLEITUNG", [[[280]], [[""]]]),
        ("KZ_FRISTQUOTE", [[[45658], [""], ["07.01.2025"]], [[45677], [45717], [""]], [[30]]]),
        ("KZ_FRISTQUOTE", [[[45658], [45659]], [[45677]], [[30]]]),
    ],
)
@pytest.mark.parametrize("runtime", ["1.3", "1.4"])
def test_mixed_ranges_answer_as_xlwings_does(name, args, runtime):
    xlwings_weg, eigener_weg = _beide(name, args, runtime)
    assert eigener_weg == xlwings_weg


def test_a_large_array_call_equals_the_per_cell_call():
    ansprueche = [[1000 + (i % 97) * 13.37] if i % 50 else [""] for i in range(10_000)]
    ansprueche[7] = [NV_ZELLE]
    args = [ansprueche, [[sum(z[0] for z in ansprueche if isinstance(z[0], float)) * 0.9]]]
    xlwings_weg, eigener_weg = _beide("OEPNV_ABSCHMELZUNG", args)
    assert eigener_weg == xlwings_weg and eigener_weg[0] == "wert" and len(eigener_weg[1]) == 10_000
