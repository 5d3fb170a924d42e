"""Zielvorgaben and Kennzahlen of a printed product plan, and the Stellenplan's sums.

Targets such as "≤ 20 Tage", "100%", "ca. 7% aller Anlagen" are read as (operator, number, unit) and compared with
the Ist value of the Kennzahl that belongs to them (matched by label). Readings (spec/haushalt.md): a bare number
must be reached exactly; "ca." allows 10 % of the target either way; an Ist stated as a target ("≤ 20 Tage") is a
statement, not a measurement, and is not compared; a percentage target is not compared with a count.
"""

from __future__ import annotations

import bisect
import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from pyxl.functions.zahlen import deutsch, lies_deutsch
from pyxl.haushalt.pruefung import HaushaltsBefund
from pyxl.pruefregeln import befund

_WERT = r"(?:(?:≤|≥|<|>|=|ca\.)\s*)?[0-9][0-9.]*(?:,[0-9]+)?\s*(?:%|Tage|Wochen|Monate|€)?(?:\s+aller\s+\w+)?"
_LAUF = re.compile(rf"(?:{_WERT}\s+){{3}}{_WERT}(?=\s|$)")  # four values: Ist and three Plan years
_EINZELWERT = re.compile(
    r"(?:(?P<op>≤|≥|<|>|=|ca\.)\s*)?(?P<zahl>[0-9][0-9.]*(?:,[0-9]+)?)\s*(?P<einheit>%|Tage|Wochen|Monate|€)?"
)
# "Produktgruppe <Name> Bezifferung 14.562", read by a state machine over these marks (see _gruppen)
_GRUPPE = re.compile(r"Produktgruppe\s+|(?<=\s)Bezifferung\s+([0-9]{1,2}\.[0-9]{3})|\n")
_BLOCK = re.compile(
    r"(Zielvorgaben|Kennzahlen)\s+Ist\s+Plan\s+Plan\s+Plan\s+([0-9]{4})\s+[0-9]{4}\s+[0-9]{4}\s+[0-9]{4}\s+(.*?)"
    r"(?=Zielvorgaben\s+Ist|Kennzahlen\s+Ist|Nachrichtlich|Erläuterungen|Teilergebnis|$)",
    re.S,
)
# a Stellenplan extract runs to the next one; its parts are searched one after the other within it
_STELLENPLAN = "Auszug aus dem Stellenplan"
_STELLEN_PRODUKT = re.compile(r"Produkt\s+Bezeichnung\s+\S+\s+([0-9]{1,2}\.[0-9]{3}\.[0-9]{2})")
_STELLEN_JAHRE = re.compile(r"Beamte\s+(\S+)\s+(\S+)\s+Beschäftigte")
_STELLEN_SUMME = re.compile(r"Summe\s+" + r"\s+".join([r"([0-9]+,[0-9])"] * 6))
KANDIDATEN = 10  # Zielvorgaben compared by similarity with one Kennzahl when no label is equal
HAEUFIG = 50  # a word in more Zielvorgaben of a group than this does not tell them apart
VERGLEICHSLAENGE = 200  # characters of a label compared by similarity (printed labels are shorter)
CA_TOLERANZ = Decimal("0.10")


@dataclass(frozen=True)
class Wert:
    operator: str  # "≤", "≥", "<", ">", "=", "ca." or "" (reach exactly)
    zahl: Decimal
    einheit: str

    @classmethod
    def lies(cls, text: str) -> Wert:
        treffer = _EINZELWERT.match(text.strip())
        if not treffer:
            raise ValueError(text)
        zahl = lies_deutsch(treffer.group("zahl"))
        if zahl is None:  # "1.2.3 Tage": no number for the one reader, never a silent 0
            raise ValueError(text)
        return cls(treffer.group("op") or "", zahl, treffer.group("einheit") or "")

    def __str__(self) -> str:
        return " ".join(t for t in (self.operator, deutsch(self.zahl), self.einheit) if t)

    def erfuellt(self, ist: Decimal) -> bool:
        z = self.zahl
        return {
            "≤": ist <= z,
            "≥": ist >= z,
            "<": ist < z,
            ">": ist > z,
            "ca.": abs(ist - z) <= z * CA_TOLERANZ,
        }.get(self.operator, ist == z)


@dataclass(frozen=True)
class Kennzeile:
    art: str  # "Zielvorgaben" | "Kennzahlen"
    gruppe: str
    text: str
    werte: tuple[Wert, ...]
    jahr: int  # the year of the first (Ist) column


def _gruppen(text: str) -> tuple[list[int], list[str]]:
    """Where each "Produktgruppe <Name> Bezifferung 14.562" ends, and its number — in one pass.

    Read as before: the name stays on one line (line breaks only in the spaces around it), and the first
    "Bezifferung" with a number after "Produktgruppe" gives the group."""
    enden: list[int] = []
    nummern: list[str] = []
    offen, umbruch = False, -1  # an open "Produktgruppe"; where a line break after its name began
    wort_ende = name_anfang = 0
    for marke in _GRUPPE.finditer(text):
        if marke.group(0) == "\n":
            if offen and umbruch < 0:
                umbruch = marke.end()
        elif marke.group(1) is None:
            if not offen or umbruch >= 0:  # an earlier one on this line stays: its name may hold this one
                offen, umbruch = True, -1
                wort_ende, name_anfang = marke.start() + len("Produktgruppe"), marke.end()
        elif offen:
            if umbruch >= 0 and text[umbruch : marke.start()].strip():
                offen = False  # the name would run over a line break
            elif marke.start() > name_anfang or name_anfang - wort_ende >= 2:  # a space before and after the name
                enden.append(marke.end())
                nummern.append(marke.group(1))
                offen = False
    return enden, nummern


def _eintraege(koerper: str) -> Iterator[tuple[str, str]]:
    """(label, its four values) from a block's single-spaced text, left to right.

    Reads what ``(?P<text>\\S.*?)\\s+(?P<werte>four values)`` found, in linear time: the label runs from the next
    word to the first later word at which four values begin; values are tried once per word, not once per word
    and label start."""
    anfaenge = [wort.start() for wort in re.finditer(r"\S+", koerper)]
    erstes, kandidat = 0, 1  # first word of the label; word where the values may begin
    while kandidat < len(anfaenge):
        lauf = _LAUF.match(koerper, anfaenge[kandidat])
        if lauf is None:
            kandidat += 1
            continue
        yield koerper[anfaenge[erstes] : anfaenge[kandidat]].strip(), lauf.group(0)
        erstes = bisect.bisect_left(anfaenge, lauf.end())
        kandidat = erstes + 1


def lies_kennzeilen(text: str) -> list[Kennzeile]:
    zeilen: list[Kennzeile] = []
    enden, nummern = _gruppen(text)
    for block in _BLOCK.finditer(text):
        davor = bisect.bisect_right(enden, block.start())  # the last group named before the block
        gruppe = nummern[davor - 1] if davor else ""
        for beschriftung, werte_text in _eintraege(" ".join(block.group(3).split())):
            try:
                werte = tuple(Wert.lies(w.group(0)) for w in re.finditer(_WERT, werte_text))
            except ValueError:  # a value the one number reader does not read: the line is not compared at all
                continue
            zeilen.append(Kennzeile(block.group(1), gruppe, beschriftung, werte, int(block.group(2))))
    return zeilen


def _schluessel(text: str) -> str:
    text = re.sub(r"(\w)-\s*(\w)", r"\1\2", text.lower())  # hyphenation of the PDF ("Genehmi-gungsverfahren")
    text = re.sub(r"\btatsächliche[n]?\b", "", text)
    return " ".join(text.split())


def _aehnlichkeit(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a[:VERGLEICHSLAENGE], b[:VERGLEICHSLAENGE]).ratio()


class _Ziele:
    """The Zielvorgaben of one product group, looked up by a Kennzahl's label.

    An equal label (after _schluessel) is taken at once; otherwise the most similar label (difflib ratio ≥ 0.75,
    the first of equals), compared with every target of a small group — as printed plans have — and in a large
    group only with the KANDIDATEN targets sharing most words with the Kennzahl, so the work per Kennzahl is
    bounded instead of growing with the group."""

    def __init__(self) -> None:
        self.ziele: list[Kennzeile] = []
        self.schluessel: list[str] = []
        self.gleich: dict[str, int] = {}
        self.woerter: dict[str, list[int] | None] = {}  # word → targets with it; None: too common to tell apart

    def hinzu(self, ziel: Kennzeile) -> None:
        nummer, schluessel = len(self.ziele), _schluessel(ziel.text)
        self.ziele.append(ziel)
        self.schluessel.append(schluessel)
        self.gleich.setdefault(schluessel, nummer)
        for wort in set(schluessel.split()):
            liste = self.woerter.setdefault(wort, [])
            if liste is not None:
                liste.append(nummer)
                if len(liste) > HAEUFIG:
                    self.woerter[wort] = None

    def passend(self, kennzahl: Kennzeile) -> Kennzeile | None:
        schluessel = _schluessel(kennzahl.text)
        if schluessel in self.gleich:
            return self.ziele[self.gleich[schluessel]]
        if len(self.ziele) <= KANDIDATEN:
            kandidaten = list(range(len(self.ziele)))
        else:
            gemeinsam: dict[int, int] = {}
            for wort in set(schluessel.split()):
                for nummer in self.woerter.get(wort) or ():
                    gemeinsam[nummer] = gemeinsam.get(nummer, 0) + 1
            kandidaten = sorted(sorted(gemeinsam, key=lambda n: (-gemeinsam[n], n))[:KANDIDATEN])
        bester, beste = None, -1.0
        for nummer in kandidaten:
            aehnlichkeit = _aehnlichkeit(self.schluessel[nummer], schluessel)
            if aehnlichkeit > beste:
                bester, beste = nummer, aehnlichkeit
        return self.ziele[bester] if bester is not None and beste >= 0.75 else None


def pruefe_kennzahlen(text: str) -> list[HaushaltsBefund]:
    zeilen = lies_kennzeilen(text)
    ziele: dict[str, _Ziele] = {}
    for ziel in (z for z in zeilen if z.art == "Zielvorgaben"):
        ziele.setdefault(ziel.gruppe, _Ziele()).hinzu(ziel)
    befunde: list[HaushaltsBefund] = []
    for kennzahl in (z for z in zeilen if z.art == "Kennzahlen"):
        gruppe = ziele.get(kennzahl.gruppe)
        passend = gruppe.passend(kennzahl) if gruppe else None
        if passend is None:
            continue
        ziel, ist = passend.werte[0], kennzahl.werte[0]
        if ist.operator or (ziel.einheit == "%") != (ist.einheit == "%"):
            continue  # a stated target, or a count against a percentage: nothing to compare
        if not ziel.erfuellt(ist.zahl):
            einheit = f" {ziel.einheit}" if ziel.einheit and not ist.einheit else ""
            befunde.append(
                befund(
                    "ziel_verfehlt",
                    art=HaushaltsBefund,
                    meldung=f"Zielvorgabe verfehlt: „{kennzahl.text}“ Ist {kennzahl.jahr} = {ist}{einheit}, "
                    f"Ziel {ziel}",
                    erwartet=str(ziel),
                    gefunden=f"{ist}{einheit}",
                    produkt=kennzahl.gruppe,
                    plan="Kennzahlen",
                    bezeichnung=kennzahl.text,
                    spalte=f"Ist {kennzahl.jahr}",
                )
            )
    return befunde


def _stellenplaene(text: str) -> Iterator[tuple[str, str, str, tuple[str, ...]]]:
    """(Produkt, first year, second year, the six numbers of "Summe") of each Stellenplan extract.

    Each extract runs to the next "Auszug aus dem Stellenplan", and its parts are searched in order within it, each
    from where the one before ended — linear, where one pattern with three lazy gaps tried every later extract."""
    anfaenge = [treffer.start() for treffer in re.finditer(_STELLENPLAN, text)]
    for i, anfang in enumerate(anfaenge):
        ende = anfaenge[i + 1] if i + 1 < len(anfaenge) else len(text)
        produkt = _STELLEN_PRODUKT.search(text, anfang + len(_STELLENPLAN), ende)
        jahre = produkt and _STELLEN_JAHRE.search(text, produkt.end(), ende)
        summe = jahre and _STELLEN_SUMME.search(text, jahre.end(), ende)
        if produkt and jahre and summe:
            yield produkt.group(1), jahre.group(1), jahre.group(2), summe.groups()


def pruefe_stellenplan(text: str) -> list[HaushaltsBefund]:
    """Stellenplan extract: Beamte + Beschäftigte = Summe, for each of its two years."""
    befunde: list[HaushaltsBefund] = []
    for produkt, jahr1, jahr2, zahlen in _stellenplaene(text):
        b1, b2, e1, e2, s1, s2 = (lies_deutsch(z) or Decimal(0) for z in zahlen)
        for jahr, beamte, beschaeftigte, summe in ((jahr1, b1, e1, s1), (jahr2, b2, e2, s2)):
            if beamte + beschaeftigte != summe:
                befunde.append(
                    befund(
                        "stellenplan_summe",
                        art=HaushaltsBefund,  # its clause: the catalogue's (any state's Stellenplan, not NRW's)
                        meldung=f"Stellenplan: Beamte {deutsch(beamte)} + Beschäftigte {deutsch(beschaeftigte)} "
                        f"ergeben {deutsch(beamte + beschaeftigte)}, gedruckt {deutsch(summe)}",
                        erwartet=deutsch(beamte + beschaeftigte),
                        gefunden=deutsch(summe),
                        produkt=produkt,
                        plan="Stellenplan",
                        spalte=jahr,
                    )
                )
    return befunde
