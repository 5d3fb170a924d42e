"""Formulas as German Excel shows them: ``=WENN(A1>0,5;SUMME(B1:B3);"")`` for ``=IF(A1>0.5,SUM(B1:B3),"")``.

Only for reading (text, HTML, the sheet "Prüfbericht"); the JSON report keeps the form stored in the file. The
function names are data (``formelnamen.toml``); a name not listed stays as stored.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib.resources import files

from openpyxl.formula.tokenizer import Token, Tokenizer, TokenizerError

# the rules whose expected/found values are formulas (formel_ueberschrieben: found is a fixed value, no formula)
FORMELREGELN = frozenset({"formel_ueberschrieben", "formel_geaendert"})

_PRAEFIX = ("_xlfn.", "_xlws.")  # newer functions are stored with a prefix Excel never shows


@cache
def namen() -> tuple[dict[str, str], dict[str, str]]:
    """(functions, constants): English → German, from ``formelnamen.toml``."""
    daten = tomllib.loads(files(__package__).joinpath("formelnamen.toml").read_text(encoding="utf-8"))
    return daten["funktionen"], daten["konstanten"]


def deutsche_formel(englisch: str) -> str:
    """``englisch`` (a formula as stored, e.g. ``=ROUND(G36*E36,2)``) as German Excel shows it: function names
    and TRUE/FALSE translated, ``;`` between arguments, decimal comma. Read with openpyxl's formula tokenizer (the
    one the validator's row alignment uses): strings, quoted sheet names and references stay as they are."""
    funktionen, konstanten = namen()
    try:
        teile = Tokenizer(englisch).items
    except (TokenizerError, IndexError, ValueError):  # unreadable (e.g. a ")" too many): shown as stored
        return englisch
    aus: list[str] = ["="] if englisch.startswith("=") else []
    offen: list[str] = []  # FUNC or ARRAY per open bracket: a comma inside {1,2} becomes a point
    for teil in teile:
        wert = teil.value
        if teil.type in (Token.FUNC, Token.ARRAY) and teil.subtype == Token.OPEN:
            offen.append(teil.type)
            if teil.type == Token.FUNC:
                name = wert[:-1]
                for praefix in _PRAEFIX:
                    if name.upper().startswith(praefix.upper()):
                        name = name[len(praefix) :]
                wert = funktionen.get(name.upper(), konstanten.get(name.upper(), name)) + "("  # also TRUE()
        elif teil.subtype == Token.CLOSE and offen:
            offen.pop()
        elif teil.type == Token.SEP and teil.subtype == Token.ARG:
            wert = "." if offen and offen[-1] == Token.ARRAY else ";"
        elif teil.type == Token.OPERAND and teil.subtype == Token.NUMBER:
            wert = wert.replace(".", ",")
        elif teil.type == Token.OPERAND and teil.subtype == Token.LOGICAL:
            wert = konstanten.get(wert.upper(), wert)
        aus.append(wert)
    return "".join(aus)


def anzeige(regel: str, wert: str | None) -> str | None:
    """``wert`` of a finding as shown to readers: a formula of a formula rule in German, anything else as is."""
    if wert and regel in FORMELREGELN and wert.startswith("="):
        return deutsche_formel(wert)
    return wert
