"""Words of published budget tables: plan titles, column headings, row-number headings — as data, matched on a
normal form that survives how exports mangle text ("Teilfinanzplan Ein-undAuszahlungsarten", "Verpfl.-Erm.(€)",
"Spalte 5 (Fortgeschriebener Ansatz des Haushaltsjahres in EUR)")."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Column words → kind of column, longest first where one contains another ("Vergleich Ansatz/Ist" is no Ansatz).
# Kinds: ergebnis (results of past years), ansatz (budget), plan (later years), ve (Verpflichtungsermächtigungen),
# vergleich (a difference of two columns: its signs say nothing about the row's), uebertragen (carried over).
SPALTENWOERTER: tuple[tuple[str, str], ...] = (
    ("vergleichansatzist", "vergleich"),
    ("vergleich", "vergleich"),
    ("abweichung", "vergleich"),
    ("ubertrageneermachtigungen", "uebertragen"),
    ("ermachtigungsubertragung", "uebertragen"),
    ("verpflichtungsermachtigung", "ve"),
    ("verpflerm", "ve"),
    ("vedeshhj", "ve"),
    ("fortgeschriebeneransatz", "ansatz"),
    ("haushaltsansatz", "ansatz"),
    ("ansatz", "ansatz"),
    ("ergebnisdesvorjahres", "ergebnis"),
    ("istergebnis", "ergebnis"),
    ("rechnungsergebnis", "ergebnis"),
    ("ergebnis", "ergebnis"),
    ("finanzplanung", "plan"),
    ("planung", "plan"),
    ("plan", "plan"),
)
_VE = re.compile(r"(?<![A-Za-zÄÖÜäöü])VE(?![A-Za-zÄÖÜäöü])")  # "VE 2026", "VE des HHJ": the letters alone
_IST = re.compile(r"^\s*Ist\b")
_JAHR = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})(?![0-9])")
# words of a heading that name a plan (normal form) → art; "teil"/"gesamt" in front say the level
PLANWOERTER: tuple[tuple[str, str], ...] = (
    ("ergebnisplan", "ergebnis"),
    ("ergebnishaushalt", "ergebnis"),
    ("ergebnisrechnung", "ergebnis"),
    ("finanzplan", "finanz"),
    ("finanzhaushalt", "finanz"),
    ("finanzrechnung", "finanz"),
)
NUMMERWOERTER = ("lfdnr", "zeilennr", "zeile", "nr", "pos", "position")  # headings of the row-number column
_PRODUKT = re.compile(
    r"(?:(?i:Produkt(?:bereich|gruppe)?|Teilplan)|(?<![A-Za-z])(PB|PG|P))[ _.:-]*([0-9]{1,2}(?:[.0-9]*[0-9])?)"
)


def normal(text: str) -> str:
    """Lower-case letters only, accents folded, ß as ss: "Verpfl.-Erm.(€)" → "verpflerm"."""
    zerlegt = unicodedata.normalize("NFKD", text.replace("ß", "ss").replace("ẞ", "ss"))
    return "".join(z for z in zerlegt.lower() if "a" <= z <= "z")


@dataclass(frozen=True)
class Spalte:
    art: str  # a kind of SPALTENWOERTER, or "" for a year alone
    jahr: str
    name: str  # as the report names it: "Haushaltsansatz 2026"


def spaltenart(text: str) -> str:
    """The kind of column a heading names, or ""."""
    if _VE.search(text):
        return "ve"
    if _IST.match(text):
        return "ergebnis"
    kern = normal(text)
    return next((art for wort, art in SPALTENWOERTER if wort in kern), "")


def jahr(text: str) -> str:
    treffer = _JAHR.search(text)
    return treffer.group(1) if treffer else ""


@lru_cache(maxsize=4096)
def ueberschrift(text: str) -> str:
    """A heading cleaned for the report: units, "Spalte N" and "in EUR" removed."""
    text = re.sub(r"^\s*Spalte\s+[0-9]+\s*\((.*)\)\s*$", r"\1", text)
    text = re.sub(r"\((?:€|EUR|Euro|T€|TEUR)\)|\bin\s+(?:EUR|Euro|€)\b", "", text, flags=re.IGNORECASE)
    return " ".join(text.split())


def planart(text: str) -> tuple[str, str] | None:
    """(art, ebene) of a plan heading — ("ergebnis", "teil") for "Teilergebnisplan" — or ``None``."""
    kern = normal(text)
    for wort, art in PLANWOERTER:
        stelle = kern.find(wort)
        if stelle >= 0:
            davor = kern[:stelle]
            # "Ergebnisplan" without "Teil" is the whole budget's (NRW); SH's one scheme serves both levels
            return art, "teil" if davor.endswith("teil") else "gesamt"
    return None


def produkt(text: str) -> str:
    """A product / product group / area number named in a heading or file name ("Produkt 14.561.01", "PB01")."""
    treffer = _PRODUKT.search(text)
    if not treffer:
        return ""
    return f"{treffer.group(1)} {treffer.group(2)}" if treffer.group(1) else treffer.group(2)


def ist_nummernkopf(text: str) -> bool:
    kern = normal(text)
    return kern in NUMMERWOERTER or kern.endswith(("lfdnr", "zeilennr")) or kern == "nummer"
