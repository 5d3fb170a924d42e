"""Zielvorgaben and Kennzahlen of a printed product plan, and the Stellenplan's sums.

Targets such as "≤ 20 Tage", "100%", "ca. 7% aller Anlagen" are read as (operator, number, unit) and compared with
the Ist value of the Kennzahl that belongs to them (matched by label). Readings (spec/haushalt.md): a bare number
must be reached exactly; "ca." allows 10 % of the target either way; an Ist stated as a target ("≤ 20 Tage") is a
statement, not a measurement, and is not compared; a percentage target is not compared with a count.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from decimal import Decimal

from pyxl.functions.zahlen import deutsch, lies_deutsch
from pyxl.haushalt.pruefung import HaushaltsBefund, P
from pyxl.validators.befund import Schwere

_WERT = r"(?:(?:≤|≥|<|>|=|ca\.)\s*)?\d[\d.]*(?:,\d+)?\s*(?:%|Tage|Wochen|Monate|€)?(?:\s+aller\s+\w+)?"
_VIER = re.compile(rf"(?P<text>\S.*?)\s+(?P<werte>(?:{_WERT}\s+){{3}}{_WERT})(?=\s|$)")
_EINZELWERT = re.compile(
    r"(?:(?P<op>≤|≥|<|>|=|ca\.)\s*)?(?P<zahl>\d[\d.]*(?:,\d+)?)\s*(?P<einheit>%|Tage|Wochen|Monate|€)?"
)
_GRUPPE = re.compile(r"Produktgruppe\s+(.*?)\s+Bezifferung\s+(\d{1,2}\.\d{3})")
_BLOCK = re.compile(
    r"(Zielvorgaben|Kennzahlen)\s+Ist\s+Plan\s+Plan\s+Plan\s+(\d{4})\s+\d{4}\s+\d{4}\s+\d{4}\s+(.*?)"
    r"(?=Zielvorgaben\s+Ist|Kennzahlen\s+Ist|Nachrichtlich|Erläuterungen|Teilergebnis|$)",
    re.S,
)
_STELLEN = re.compile(
    r"Auszug aus dem Stellenplan.*?Produkt\s+Bezeichnung\s+\S+\s+(\d{1,2}\.\d{3}\.\d{2}).*?"
    r"Beamte\s+(\S+)\s+(\S+)\s+Beschäftigte.*?Summe\s+"
    r"(\d+,\d)\s+(\d+,\d)\s+(\d+,\d)\s+(\d+,\d)\s+(\d+,\d)\s+(\d+,\d)",
    re.S,
)
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
        return cls(
            treffer.group("op") or "", lies_deutsch(treffer.group("zahl")) or Decimal(0), treffer.group("einheit") or ""
        )

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


def lies_kennzeilen(text: str) -> list[Kennzeile]:
    zeilen: list[Kennzeile] = []
    for block in _BLOCK.finditer(text):
        davor = list(_GRUPPE.finditer(text, 0, block.start()))
        gruppe = davor[-1].group(2) if davor else ""
        for eintrag in _VIER.finditer(" ".join(block.group(3).split())):
            werte = tuple(Wert.lies(w.group(0)) for w in re.finditer(_WERT, eintrag.group("werte")))
            zeilen.append(Kennzeile(block.group(1), gruppe, eintrag.group("text").strip(), werte, int(block.group(2))))
    return zeilen


def _schluessel(text: str) -> str:
    text = re.sub(r"(\w)-\s*(\w)", r"\1\2", text.lower())  # hyphenation of the PDF ("Genehmi-gungsverfahren")
    text = re.sub(r"\btatsächliche[n]?\b", "", text)
    return " ".join(text.split())


def pruefe_kennzahlen(text: str) -> list[HaushaltsBefund]:
    zeilen = lies_kennzeilen(text)
    ziele = [z for z in zeilen if z.art == "Zielvorgaben"]
    befunde: list[HaushaltsBefund] = []
    for kennzahl in (z for z in zeilen if z.art == "Kennzahlen"):
        kandidaten = [z for z in ziele if z.gruppe == kennzahl.gruppe]
        passend = max(
            kandidaten,
            default=None,
            key=lambda z: difflib.SequenceMatcher(None, _schluessel(z.text), _schluessel(kennzahl.text)).ratio(),
        )
        if (
            passend is None
            or difflib.SequenceMatcher(None, _schluessel(passend.text), _schluessel(kennzahl.text)).ratio() < 0.75
        ):
            continue
        ziel, ist = passend.werte[0], kennzahl.werte[0]
        if ist.operator or (ziel.einheit == "%") != (ist.einheit == "%"):
            continue  # a stated target, or a count against a percentage: nothing to compare
        if not ziel.erfuellt(ist.zahl):
            einheit = f" {ziel.einheit}" if ziel.einheit and not ist.einheit else ""
            befunde.append(
                HaushaltsBefund(
                    regel="ziel_verfehlt",
                    schwere=Schwere.WARNUNG,
                    fundstelle="Zielvorgaben des Produktplans",
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


def pruefe_stellenplan(text: str) -> list[HaushaltsBefund]:
    """Stellenplan extract: Beamte + Beschäftigte = Summe, for each of its two years."""
    befunde: list[HaushaltsBefund] = []
    for treffer in _STELLEN.finditer(text):
        produkt, jahr1, jahr2 = treffer.group(1), treffer.group(2), treffer.group(3)
        b1, b2, e1, e2, s1, s2 = (lies_deutsch(treffer.group(i)) or Decimal(0) for i in range(4, 10))
        for jahr, beamte, beschaeftigte, summe in ((jahr1, b1, e1, s1), (jahr2, b2, e2, s2)):
            if beamte + beschaeftigte != summe:
                befunde.append(
                    HaushaltsBefund(
                        regel="stellenplan_summe",
                        schwere=Schwere.FEHLER,
                        fundstelle=P.meta.ref,
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
