"""Which parameter sets a submitted form was built from — so it is checked against exactly those.

The builder records them in the workbook's metadata (``pyxl_regeln``: family, key, fingerprint, edition of each set).
Each fingerprint is looked up among the known sets (package folder and ``PYXL_PARAMETER``), or compared with a set
the checking authority names (``pyxl pruefen --satzung kreis.toml``). A form built from a set that is unknown or
changed since, or a named set that is not the form's, cannot be checked: the recomputation would follow other rules
than the form and report wrong findings.

A continued table (``fortgeschrieben``: the Basiszinssatz, a new value every half-year, none changed) is the
exception: a form built from an earlier state, unknown today, is checked with the current table's values up to that
state (found by its fingerprint: :meth:`~pyxl.parameter.Regelwerk.frueherer_stand`), one missing from the record
with the current table; a note says so (``regelwerk_fortgeschrieben``).

A record that is present but lacks a set the form needs (cut short by an office program, or edited) does not say
what the form was built from: that set is unknown (``regelwerk_unbekannt``), never today's by assumption.

A form from before the record (no ``pyxl_regeln``) was built from the sets of its time (:data:`VOR_DER_ANGABE`) —
it is checked against exactly those, whatever editions have appeared since.
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
# The sets every form was built from before forms recorded theirs (pyxl_regeln, commit dd2c48f): family → key of
# the parameter file. Such a form is checked against these, not against the edition in force when it is checked.
# A continued table (Basiszinssatz) is absent: its current state holds every earlier value.
VOR_DER_ANGABE = {"rzwas": "2005", "oepnv": "rotenburg", "nkf": "nrw"}
# a property an office program cut short: the entries before the cut, the hash before the edition's name — the
# last one's hash perhaps cut itself (12 digits or more still name a set, as the short sum shown to people does)
_EINTRAG = re.compile(
    r'"family":"(?P<familie>[^"]+)","key":"(?P<schluessel>[^"]*)","hash":"(?P<summe>[0-9a-f]{12,64})(?:"|$)'
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
    """The form built from the sets found and notes on them (``regelwerk_fortgeschrieben``), or ``None`` and the
    errors why not."""

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
    hinweise = []
    for familie, heute in familien.items():
        klasse = Regelwerk.klassen[familie]
        eintrag = erfasst.get(familie)
        if eintrag is None and eintraege is None:  # a form from before the record: the sets of its time
            damals = heute if klasse.fortgeschrieben else parameter.lade(familie, VOR_DER_ANGABE[familie])
            eintrag = Eintrag(familie, damals.schluessel, damals.pruefsumme, damals.ausgabe.name)
        if eintrag is not None and familie in vorgegeben:
            angegeben = vorgegeben[familie]
            if parameter.stimmt(angegeben.pruefsumme, eintrag.summe):
                gewaehlt[familie] = angegeben
            else:
                befunde.append(_abweichend(klasse, eintrag, angegeben))
        elif eintrag is not None and (gefunden := parameter.finde(familie, eintrag.summe)) is not None:
            gewaehlt[familie] = gefunden
        elif klasse.fortgeschrieben and eintrag is None:  # not recorded: the current table, said so
            gewaehlt[familie] = vorgegeben.get(familie, heute)
            hinweise.append(_fortgeschrieben(klasse, None, gewaehlt[familie]))
        elif klasse.fortgeschrieben and (frueher := heute.frueherer_stand(eintrag.summe)) is not None:
            gewaehlt[familie] = frueher  # the current table's values up to the form's state: its rows
            hinweise.append(_fortgeschrieben(klasse, eintrag, heute))
        else:
            befunde.append(_unbekannt(klasse, eintrag))
    if befunde:
        return Wahl(None, befunde)
    return Wahl(formulare(**{ARGUMENT[f]: r for f, r in gewaehlt.items()})[kennung], hinweise)


def _name(eintrag: Eintrag) -> str:
    return eintrag.ausgabe or eintrag.schluessel


def _abweichend(klasse: type[Regelwerk], eintrag: Eintrag, angegeben: Regelwerk) -> Befund:
    return _befund(
        "regelwerk_abweichend",
        f"Der Vordruck wurde aus anderen Parametern erzeugt als den angegebenen ({klasse.bezeichnung}: Vordruck "
        f"„{_name(eintrag)}“, Prüfsumme {eintrag.summe[:12] or 'leer'}; angegeben „{angegeben.ausgabe.name}“, "
        f"Prüfsumme {angegeben.kurzsumme}) – gegen andere Parameter geprüft, wären die Befunde falsch; bitte die "
        "Datei angeben, aus der der Vordruck erzeugt wurde",
        erwartet=eintrag.summe,
        gefunden=angegeben.pruefsumme,
    )


def _unbekannt(klasse: type[Regelwerk], eintrag: Eintrag | None) -> Befund:
    if eintrag is None:
        return _befund(
            "regelwerk_unbekannt",
            f"Die Angabe der Parameter, aus denen der Vordruck erzeugt wurde ({META_REGELN}), nennt den "
            f"Parametersatz {klasse.bezeichnung} nicht (unvollständig oder gekürzt) – gegen angenommene Parameter "
            "geprüft, wären die Befunde womöglich falsch; bitte den Vordruck neu erzeugen",
        )
    return _befund(
        "regelwerk_unbekannt",
        f"Der Vordruck wurde aus unbekannten oder geänderten Parametern erzeugt ({klasse.bezeichnung} "
        f"„{_name(eintrag)}“, Prüfsumme {eintrag.summe[:12] or 'leer'}; keine bekannte Parameterdatei hat diese "
        f"Prüfsumme) – {_abhilfe(klasse.familie)}",
        gefunden=eintrag.summe,
    )


def _fortgeschrieben(klasse: type[Regelwerk], eintrag: Eintrag | None, aktuell: Regelwerk) -> Befund:
    if eintrag is None:
        meldung = (f"Die Angabe der Parameter ({META_REGELN}) nennt die Tabelle {klasse.bezeichnung} nicht "
                   f"(unvollständig oder gekürzt); geprüft wird mit ihrem aktuellen Stand „{aktuell.ausgabe.name}“ "
                   f"(Prüfsumme {aktuell.kurzsumme})")  # fmt: skip
    else:
        meldung = (f"Der Vordruck wurde mit einem früheren Stand der Tabelle {klasse.bezeichnung} erzeugt "
                   f"(„{_name(eintrag)}“, Prüfsumme {eintrag.summe[:12]}); geprüft wird mit den Werten bis zu diesem "
                   f"Stand aus dem aktuellen „{aktuell.ausgabe.name}“ (Prüfsumme {aktuell.kurzsumme}), der sie "
                   "unverändert enthält")  # fmt: skip
    return _befund("regelwerk_fortgeschrieben", meldung, erwartet=aktuell.pruefsumme,
                   gefunden=eintrag.summe if eintrag else None)  # fmt: skip
