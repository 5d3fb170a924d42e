"""Formulas as German Excel shows them: ``=WENN(A1>0,5;SUMME(B1:B3);"")`` for ``=IF(A1>0.5,SUM(B1:B3),"")``.

Only for reading (text, HTML, the sheet "Prüfbericht"); the JSON report keeps the form stored in the file. The
function names are data (``formelnamen.toml``); a name not listed stays as stored.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from importlib.resources import files

# the rules whose expected/found values are formulas (formel_ueberschrieben: found is a fixed value, no formula)
FORMELREGELN = frozenset({"formel_ueberschrieben", "formel_geaendert"})

_NAME = re.compile(r"[A-Za-z_\\][A-Za-z0-9_.\\]*")
_ZAHL = re.compile(r"[0-9]+(\.[0-9]*)?([Ee][+-]?[0-9]+)?|\.[0-9]+([Ee][+-]?[0-9]+)?")
_PRAEFIX = ("_xlfn.", "_xlws.")  # newer functions are stored with a prefix Excel never shows


@cache
def namen() -> tuple[dict[str, str], dict[str, str]]:
    """(functions, constants): English → German, from ``formelnamen.toml``."""
    daten = tomllib.loads(files(__package__).joinpath("formelnamen.toml").read_text(encoding="utf-8"))
    return daten["funktionen"], daten["konstanten"]


def _bis(text: str, start: int, ende: str) -> int:
    """The index after the quote closing the one at ``start`` (a doubled quote is part of the text)."""
    i = start + 1
    while i < len(text):
        if text[i] == ende:
            if text[i + 1 : i + 2] == ende:
                i += 2
                continue
            return i + 1
        i += 1
    return len(text)  # unclosed: the rest is taken as it is


def deutsche_formel(englisch: str) -> str:
    """``englisch`` (a formula as stored, e.g. ``=ROUND(G36*E36,2)``) as German Excel shows it: function names
    and TRUE/FALSE translated, ``;`` between arguments, decimal comma. Strings and quoted sheet names stay as
    they are; so do cell references, defined names and unquoted sheet names."""
    funktionen, konstanten = namen()
    aus: list[str] = []
    i, matrix = 0, 0  # matrix: inside an array constant {1,2;3,4} (German: {1.2;3.4})
    while i < len(englisch):
        zeichen = englisch[i]
        if zeichen in "\"'":
            ende = _bis(englisch, i, zeichen)
            aus.append(englisch[i:ende])
            i = ende
        elif zeichen == "[":  # structured reference or external workbook: as stored
            ende = englisch.find("]", i)
            ende = len(englisch) if ende < 0 else ende + 1
            aus.append(englisch[i:ende])
            i = ende
        elif zeichen == "{":
            matrix += 1
            aus.append(zeichen)
            i += 1
        elif zeichen == "}":
            matrix = max(0, matrix - 1)
            aus.append(zeichen)
            i += 1
        elif zeichen == ",":
            aus.append("." if matrix else ";")
            i += 1
        elif (zahl := _ZAHL.match(englisch, i)) and not _haengt_an(englisch, i):
            aus.append(zahl.group().replace(".", ","))
            i = zahl.end()
        elif name := _NAME.match(englisch, i):
            wort = name.group()
            i = name.end()
            if englisch[i : i + 1] == "(":
                for praefix in _PRAEFIX:
                    wort = wort.removeprefix(praefix) if wort.upper().startswith(praefix.upper()) else wort
                wort = funktionen.get(wort.upper(), konstanten.get(wort.upper(), wort))
            elif wort.upper() in konstanten and englisch[i : i + 1] != "!":  # not a sheet named TRUE
                wort = konstanten[wort.upper()]
            aus.append(wort)
        else:
            aus.append(zeichen)
            i += 1
    return "".join(aus)


def _haengt_an(text: str, i: int) -> bool:
    """Whether the digits at ``i`` continue a name or reference (the 16 of H16, the 2 of $H$2, R1C1)."""
    return i > 0 and (text[i - 1].isalnum() or text[i - 1] in "_.$\\")


def anzeige(regel: str, wert: str | None) -> str | None:
    """``wert`` of a finding as shown to readers: a formula of a formula rule in German, anything else as is."""
    if wert and regel in FORMELREGELN and wert.startswith("="):
        return deutsche_formel(wert)
    return wert
