"""The shape of an add-in request, checked before the expensive work: parsing, xlwings' conversion, calculating.

Two steps. On the raw bytes, before any parser sees them: nesting depth (``json.loads`` recurses — a body of
100.000 ``[`` raises RecursionError) and the number of cells, both in one linear scan vectorised with numpy (no
Python loop per byte, a few MB of memory), so an oversized call costs less than a second and no parse. On the
parsed JSON: arguments are what Office.js sends — a single value, or a range as a rectangular list of rows of
single values (Excel sends nothing else: a ragged or empty range, an object, a list three deep is no call from
Excel). Over a limit: :class:`ZuGross` (HTTP 413); malformed: ``XlwingsError`` (HTTP 400); both with a German text.
"""

from __future__ import annotations

import numpy as np

from pyxl.excel import xw
from pyxl.functions import REGISTER
from pyxl.functions.zahlen import deutsch
from pyxl.validators.grenzen import AnfrageGrenzen


class ZuGross(Exception):
    """The request exceeds a limit of :class:`AnfrageGrenzen`: HTTP 413 with this German text."""


BLOCK = 1 << 20  # bytes per step of the scan: its arrays stay a few MB whatever the body
_ZEICHEN = {z: ord(z) for z in '[]{},:" \t\r\n'}
SKALAR = (str, int, float, bool)


def vorpruefen(inhalt: bytes, grenzen: AnfrageGrenzen) -> int:
    """Refuse a body nested deeper than the limit (400); else the number of single values in its lists.

    For valid JSON the count is exact: every list element that is no list or object (the cells of ranges,
    single-value arguments, ``null`` for an omitted one). Vectorised over blocks of the body: strings are masked
    by the parity of their quotes, what remains are the structural characters and the first one of each value.
    """
    z = _ZEICHEN
    # "\\" and "\"" inside strings are neither quotes nor escapes of the next character; same length
    roh = np.frombuffer(inhalt.replace(b"\\\\", b"__").replace(b'\\"', b"__"), dtype=np.uint8)
    im_text, tiefe, hoechste, zellen = 0, 0, 0, 0
    rest = np.zeros(0, dtype=np.uint8)  # the last two structural characters of the previous block
    for start in range(0, len(roh), BLOCK):
        block = roh[start : start + BLOCK]
        anfuehrung = block == z['"']
        innen = np.bitwise_xor.accumulate(anfuehrung.view(np.uint8)) ^ im_text  # 1 from opening quote to closing
        im_text = int(innen[-1])
        leer = (block == z[" "]) | (block == z["\t"]) | (block == z["\r"]) | (block == z["\n"])
        # kept: structure outside strings, and each string once (its opening quote)
        gerippe = np.concatenate((rest, block[((innen == 0) & ~anfuehrung & ~leer) | ((innen == 1) & anfuehrung)]))
        neu = gerippe[len(rest) :]
        schritt = (
            (neu == z["["]).astype(np.int32) + (neu == z["{"]) - (neu == z["]"]) - (neu == z["}"])
        ).cumsum() + tiefe
        if len(schritt):
            if schritt.min() < 0:
                raise xw.XlwingsError("Anfrage fehlerhaft: JSON mit Klammern ohne Gegenstück")
            hoechste, tiefe = max(hoechste, int(schritt.max())), int(schritt[-1])
        if hoechste > grenzen.tiefe:
            raise xw.XlwingsError(f"Anfrage fehlerhaft: JSON tiefer als {grenzen.tiefe} Ebenen verschachtelt")
        # a value in a list follows "[" or ","; a key follows "," as well, but ":" follows it
        vor, jetzt = gerippe[:-1], gerippe[1:]
        paare = ((vor == z["["]) | (vor == z[","])) & (jetzt != z["["]) & (jetzt != z["{"]) & (jetzt != z["]"])
        schluessel = (gerippe[:-2] == z[","]) & (gerippe[1:-1] == z['"']) & (gerippe[2:] == z[":"])
        # each pair counted at its second, each key at its third character: none twice across blocks
        zellen += int(paare[max(len(rest) - 1, 0) :].sum()) - int(schluessel[max(len(rest) - 2, 0) :].sum())
        rest = gerippe[-2:]
    return zellen


def pruefe_zellen_des_aufrufs(zellen: int, grenzen: AnfrageGrenzen) -> None:
    if zellen > grenzen.zellen_je_aufruf:
        raise ZuGross(
            f"Funktionsaufruf zu groß: {deutsch(zellen)} Zellen (höchstens {deutsch(grenzen.zellen_je_aufruf)} je "
            "Aufruf) – bitte nur den benutzten Bereich übergeben, keine ganzen Spalten"
        )


def _ist_bereich(wert: list) -> bool:
    """A range as Office.js sends it: at least one row, all rows lists of single values, all equally long."""
    return (
        bool(wert)
        and all(isinstance(zeile, list) and zeile and len(zeile) == len(wert[0]) for zeile in wert)
        and all(z is None or isinstance(z, SKALAR) for zeile in wert for z in zeile)
    )


def pruefe_argumente(func_name: str, args: list) -> None:
    """Each argument a single value (or ``null``) or a rectangular range; else a German 400 naming the argument."""
    namen = [a.name for a in REGISTER[func_name].argumente] if func_name in REGISTER else []
    for nummer, wert in enumerate(args, 1):
        if wert is None or isinstance(wert, SKALAR):
            continue
        if isinstance(wert, list) and _ist_bereich(wert):
            continue
        name = f" ({namen[nummer - 1]})" if nummer <= len(namen) else ""
        art = "ein Objekt" if isinstance(wert, dict) else "kein Bereich aus gleich langen Zeilen einzelner Werte"
        raise xw.XlwingsError(
            f"{func_name}: Argument {nummer}{name} ist {art} – erwartet: ein Wert oder ein Zellbereich"
        )


MAPPE_UNLESBAR = "Arbeitsmappe nicht lesbar: die Anfrage ist kein Arbeitsmappen-JSON"


def pruefe_mappe(daten: object, grenzen: AnfrageGrenzen) -> None:
    """The task pane's workbook JSON: its shape where scripts read it, and the sheet and cell limits."""
    unlesbar = xw.XlwingsError(MAPPE_UNLESBAR)
    if not isinstance(daten, dict) or not isinstance(daten.get("book"), dict):
        raise unlesbar
    blaetter = daten.get("sheets")
    if not isinstance(blaetter, list) or not all(isinstance(b, dict) for b in blaetter):
        raise unlesbar
    if len(blaetter) > grenzen.mappe_blaetter:
        raise ZuGross(
            f"Arbeitsmappe zu groß für das Add-in: {deutsch(len(blaetter))} Blätter (höchstens "
            f"{deutsch(grenzen.mappe_blaetter)}) – {_SPEICHERN}"
        )
    for blatt in blaetter:
        if not isinstance(blatt.get("name"), str):
            raise unlesbar
        for schluessel in ("values", "formulas"):
            zeilen = blatt.get(schluessel, [])
            if not isinstance(zeilen, list) or not all(
                isinstance(zeile, list) and all(z is None or isinstance(z, SKALAR) for z in zeile) for zeile in zeilen
            ):
                raise xw.XlwingsError(
                    f"Arbeitsmappe nicht lesbar: Blatt „{blatt['name']}“, {schluessel}: Zeilen aus einzelnen Werten "
                    "erwartet"
                )
    for schluessel, typ in (("names", list), ("properties", dict), ("args", list)):
        if daten.get(schluessel) is not None and not isinstance(daten[schluessel], typ):
            raise unlesbar
    if not all(isinstance(n, dict) for n in daten.get("names") or []):
        raise unlesbar
    if not all(a is None or isinstance(a, SKALAR) for a in daten.get("args") or []):
        raise unlesbar
    zellen = sum(len(zeile) for blatt in blaetter for zeile in blatt.get("values", []))
    if zellen > grenzen.mappe_zellen:
        raise _mappe_zu_gross(deutsch(zellen), grenzen)


def pruefe_werte_der_mappe(werte: int, grenzen: AnfrageGrenzen) -> None:
    """Before parsing: values and formulas are two values per cell, so twice the cell limit bounds the parse."""
    if werte > 2 * grenzen.mappe_zellen:
        raise ZuGross(
            f"Arbeitsmappe zu groß für das Add-in: {deutsch(werte)} Werte und Formeln, höchstens "
            f"{deutsch(grenzen.mappe_zellen)} Zellen – {_SPEICHERN}"
        )


_SPEICHERN = "bitte speichern und mit „pyxl pruefen“ prüfen"


def _mappe_zu_gross(zellen: str, grenzen: AnfrageGrenzen) -> ZuGross:
    return ZuGross(
        f"Arbeitsmappe zu groß für das Add-in: {zellen} Zellen (höchstens {deutsch(grenzen.mappe_zellen)}) – "
        f"{_SPEICHERN}"
    )
