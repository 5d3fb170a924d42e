"""The catalogue: every finding pyxl can report, declared once in ``katalog.toml`` — id, severity, German title,
meaning and clause — and the one way to create a finding from it.

An id the catalogue does not list, or a severity it does not allow for that id, is a programming error and raises
at once; ``docs/pruefregeln.md`` is generated from the same data (``pyxl doku``).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TypeVar

from pyxl.pruefregeln.befund import Befund, Schwere

SCHWERE_DEUTSCH = {s.deutsch: s for s in Schwere}
B = TypeVar("B", bound=Befund)


class UnbekannteRegel(LookupError):
    """A finding with an id the catalogue does not declare."""


@dataclass(frozen=True)
class Bereich:
    """A group of rules as the documentation shows them (Datei-Tor, Eingaben, …)."""

    kennung: str
    titel: str
    text: str


@dataclass(frozen=True)
class Regel:
    """One entry: what a finding with this id means, how severe it is and where the rule comes from."""

    kennung: str
    bereich: Bereich
    schweren: tuple[Schwere, ...]  # the first is the default; the others only where a caller chooses them
    titel: str
    bedeutung: str
    fundstelle: str  # the clause a finding carries unless its own (a field's rule) is given

    @property
    def schwere(self) -> Schwere:
        return self.schweren[0]

    def pruefe_schwere(self, schwere: Schwere | str) -> Schwere:
        """``schwere`` if the catalogue allows it for this rule, else the programming error is raised."""
        gewaehlt = Schwere(schwere)
        if gewaehlt not in self.schweren:
            erlaubt = ", ".join(s.deutsch for s in self.schweren)
            raise ValueError(f"Regel {self.kennung}: Schwere {gewaehlt.deutsch} nicht im Katalog (erlaubt: {erlaubt})")
        return gewaehlt


def _lade() -> dict[str, Regel]:
    daten = tomllib.loads(resources.files(__package__).joinpath("katalog.toml").read_text(encoding="utf-8"))
    regeln: dict[str, Regel] = {}
    for kennung, eintraege in daten.items():
        bereich = Bereich(kennung, eintraege["titel"], eintraege["text"])
        for name, eintrag in eintraege.items():
            if not isinstance(eintrag, dict):
                continue
            if name in regeln:
                raise ValueError(f"Regel {name} doppelt im Katalog ({regeln[name].bereich.kennung}, {kennung})")
            schweren = eintrag["schwere"]
            regeln[name] = Regel(
                kennung=name,
                bereich=bereich,
                schweren=tuple(SCHWERE_DEUTSCH[s] for s in ([schweren] if isinstance(schweren, str) else schweren)),
                titel=eintrag["titel"],
                bedeutung=" ".join(eintrag["bedeutung"].split()),
                fundstelle=eintrag.get("fundstelle", eintraege.get("fundstelle", "")),
            )
    return regeln


@cache
def katalog() -> dict[str, Regel]:
    """Every rule by id, in the catalogue's order (areas as the documentation shows them)."""
    return _lade()


def regel(kennung: str) -> Regel:
    """The catalogue entry of ``kennung``; an unknown id raises :class:`UnbekannteRegel`."""
    try:
        return katalog()[kennung]
    except KeyError:
        raise UnbekannteRegel(f"Prüfregel „{kennung}“ steht nicht im Katalog (pyxl/pruefregeln/katalog.toml)") from None


def befund(
    kennung: str,
    /,
    *,
    meldung: str,
    schwere: Schwere | None = None,
    fundstelle: str | None = None,
    erwartet: object = None,
    gefunden: object = None,
    art: type[B] = Befund,  # type: ignore[assignment]
    **mehr: str | None,
) -> B:
    """A finding of rule ``kennung``: severity and clause from the catalogue unless given (a severity only if the
    catalogue allows it, a clause where the finding has a more precise one — the rule of its field). ``art``: a
    finding type with more fields (a budget row's); ``mehr``: place and those fields."""
    eintrag = regel(kennung)
    return art(
        regel=kennung,
        schwere=eintrag.schwere if schwere is None else eintrag.pruefe_schwere(schwere),
        meldung=meldung,
        fundstelle=fundstelle or eintrag.fundstelle,
        erwartet=None if erwartet is None else str(erwartet),
        gefunden=None if gefunden is None else str(gefunden),
        **mehr,
    )
