"""Which parameter sets a submitted form was built from — so it is checked against exactly those.

The builder records them in the workbook's metadata (``pyxl_regeln``: family, key, fingerprint, edition of each set).
Each fingerprint is looked up among the known sets (package folder and ``PYXL_PARAMETER``), or compared with a set
the checking authority names (``pyxl pruefen --satzung kreis.toml``). A form built from a set that is unknown or
changed since, or a named set that is not the form's, cannot be checked: the recomputation would follow other rules
than the form and report wrong findings.

A form from before the record (no ``pyxl_regeln``) was built from the sets of its time: Rotenburg's Satzung, the
package's defaults — it is checked against them as before.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from pyxl import parameter
from pyxl.parameter import Regelwerk
from pyxl.pruefregeln import Befund, befund
from pyxl.templates import Formular, formulare
from pyxl.templates.builder import META_REGELN

# family → keyword of templates.formulare()
ARGUMENT = {"rzwas": "rzwas", "oepnv": "satzung", "nkf": "nkf", "basiszinssatz": "basiszins"}
# a property an office program cut short: the complete entries before the cut, the hash before the edition's name
_EINTRAG = re.compile(
    r'"family":"(?P<familie>[^"]+)","key":"(?P<schluessel>[^"]*)","hash":"(?P<summe>[0-9a-f]{12,64})"'
)


@dataclass(frozen=True)
class Eintrag:
    familie: str
    schluessel: str
    summe: str
    ausgabe: str = ""


def lies(text: str | None) -> list[Eintrag] | None:
    """The sets ``pyxl_regeln`` names; ``None`` without the property (a form from before it). Raises
    ``ValueError`` when it names none readably."""
    if text is None:
        return None
    try:
        daten = json.loads(text)
        return [Eintrag(str(d["family"]), str(d.get("key", "")), str(d["hash"]), str(d.get("edition", "")))
                for d in daten]  # fmt: skip
    except (ValueError, TypeError, KeyError, AttributeError):
        gerettet = [Eintrag(m["familie"], m["schluessel"], m["summe"]) for m in _EINTRAG.finditer(text)]
        if not gerettet:
            raise ValueError(text) from None
        return gerettet


@dataclass
class Wahl:
    """The form built from the sets found (``None`` if one is missing) and what the search reported."""

    formular: Formular | None
    befunde: list[Befund] = field(default_factory=list)


def _befund(regel: str, meldung: str, erwartet: str | None = None, gefunden: str | None = None) -> Befund:
    return befund(regel, meldung=meldung, erwartet=erwartet, gefunden=gefunden)


def _abhilfe(familie: str) -> str:
    if familie == "oepnv":
        return ("bitte mit --satzung datei.toml die Satzung angeben, aus der er erzeugt wurde (oder ihre Datei in "
                f"einem Ordner aus {parameter.UMGEBUNG} ablegen)")  # fmt: skip
    return f"bitte die Parameterdatei, aus der er erzeugt wurde, in einem Ordner aus {parameter.UMGEBUNG} ablegen"


def formular_der_mappe(
    kennung: str, eigenschaften: Mapping[str, str], vorgegeben: Mapping[str, Regelwerk] | None = None
) -> Wahl:
    """The form ``kennung`` built from the sets the submission records (see the module's text); ``vorgegeben``:
    sets by family the checking authority names (``{"oepnv": satzung}``)."""
    vorgegeben = vorgegeben or {}
    standard = formulare()[kennung]
    # what this form is built from, today's defaults (a family formulare() cannot take stays at its default)
    familien = {r.familie: r for r in standard.regelwerke if r.familie in ARGUMENT}
    try:
        eintraege = lies(eigenschaften.get(META_REGELN))
    except ValueError:
        return Wahl(None, [_befund("regelwerk_unbekannt", "Die Angabe der Parameter, aus denen der Vordruck erzeugt "
                                   f"wurde ({META_REGELN}), ist unlesbar – bitte den Vordruck neu erzeugen",
                                   gefunden=eigenschaften.get(META_REGELN))])  # fmt: skip
    erfasst = {e.familie: e for e in eintraege or ()}
    gewaehlt: dict[str, Regelwerk] = {}
    befunde = []
    for familie, heute in familien.items():
        eintrag = erfasst.get(familie)
        # a form from before the record: built from the defaults of its time (Rotenburg)
        summe = eintrag.summe if eintrag else heute.pruefsumme
        name = (eintrag.ausgabe if eintrag else "") or (eintrag.schluessel if eintrag else heute.ausgabe.name)
        bezeichnung = Regelwerk.klassen[familie].bezeichnung
        if familie in vorgegeben:
            angegeben = vorgegeben[familie]
            if not angegeben.pruefsumme.startswith(summe):
                befunde.append(_befund(
                    "regelwerk_abweichend",
                    f"Der Vordruck wurde aus anderen Parametern erzeugt als den angegebenen ({bezeichnung}: Vordruck "
                    f"„{name}“, Prüfsumme {summe[:12]}; angegeben „{angegeben.ausgabe.name}“, Prüfsumme "
                    f"{angegeben.kurzsumme}) – gegen andere Parameter geprüft, wären die Befunde falsch; bitte die "
                    "Datei angeben, aus der der Vordruck erzeugt wurde", erwartet=summe,
                    gefunden=angegeben.pruefsumme))  # fmt: skip
                continue
            gewaehlt[familie] = angegeben
        elif eintrag is None:
            gewaehlt[familie] = heute
        elif (gefunden := parameter.finde(familie, summe)) is not None:
            gewaehlt[familie] = gefunden
        else:
            befunde.append(_befund(
                "regelwerk_unbekannt",
                f"Der Vordruck wurde aus unbekannten oder geänderten Parametern erzeugt ({bezeichnung} „{name}“, "
                f"Prüfsumme {summe[:12]}; keine bekannte Parameterdatei hat diese Prüfsumme) – {_abhilfe(familie)}",
                gefunden=summe))  # fmt: skip
    if befunde:
        return Wahl(None, befunde)
    return Wahl(formulare(**{ARGUMENT[f]: r for f, r in gewaehlt.items()})[kennung])
