"""Text as a reader sees it: labels and sheet names that look alike compare equal.

A copy of the form whose labels carry an invisible character (U+200B), a fullwidth letter or a Cyrillic "А"
looks like the form to the official but differs for a naive comparison. The key folds compatibility forms
(NFKC), drops invisible format characters (category Cf), maps letters of other scripts to the Latin letter they
are confusable with (Unicode's confusables data, from ``confusable_homoglyphs``), and ignores case and spacing.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from confusable_homoglyphs import categories, confusables

_LEER = re.compile(r"\s+")
_SCHRIFT_OHNE_VERWECHSLUNG = {"LATIN", "COMMON", "INHERITED"}


@lru_cache(maxsize=4096)
def _lateinisch(zeichen: str) -> str:
    """The Latin letter ``zeichen`` is confusable with, or ``zeichen`` itself."""
    if zeichen.isascii() or categories.alias(zeichen) in _SCHRIFT_OHNE_VERWECHSLUNG:
        return zeichen
    for treffer in confusables.is_confusable(zeichen, preferred_aliases=["latin"], greedy=True) or []:
        for glyphe in treffer.get("homoglyphs", []):
            if glyphe["n"].startswith("LATIN") and len(glyphe["c"]) == 1:
                return glyphe["c"]
    return zeichen


@lru_cache(maxsize=65_536)  # the same labels come with every submission of a form
def vergleichbar(text: str) -> str:
    """The comparison key of ``text``: look-alikes get the same key."""
    gefaltet = unicodedata.normalize("NFKC", text)
    sichtbar = "".join(_lateinisch(z) for z in gefaltet if unicodedata.category(z) != "Cf")
    return _LEER.sub(" ", sichtbar).strip().casefold()


# the scripts look-alike letters come from, in German (others are named by Unicode's code point only)
SCHRIFTEN = {"CYRILLIC": "kyrillisch", "GREEK": "griechisch", "ARMENIAN": "armenisch", "CHEROKEE": "Cherokee"}


def kenntlich(text: str) -> str:
    """``text`` for a report, with each character that is not what it seems named by its code point:
    "Аnlage 3b (Zeichen 1: U+0410, kyrillisch)". A clerk sees the difference; no Python escapes ("\\u0410")."""
    auffaellig = []
    for stelle, zeichen in enumerate(text, 1):
        if unicodedata.category(zeichen) == "Cf":
            auffaellig.append(f"Zeichen {stelle}: U+{ord(zeichen):04X}, unsichtbar")
        elif not zeichen.isascii() and _lateinisch(zeichen) != zeichen:
            schrift = SCHRIFTEN.get(categories.alias(zeichen), "andere Schrift")
            auffaellig.append(f"Zeichen {stelle}: U+{ord(zeichen):04X}, {schrift}")
        elif not zeichen.isascii() and unicodedata.normalize("NFKC", zeichen) != zeichen:
            auffaellig.append(f"Zeichen {stelle}: U+{ord(zeichen):04X}, Sonderform")
    return f"{text} ({'; '.join(auffaellig)})" if auffaellig else text
