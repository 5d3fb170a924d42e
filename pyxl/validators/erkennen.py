"""Which form a submission is: by the metadata record the builder wrote, else a best guess by title."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass

from pyxl.parameter import Regelwerk
from pyxl.pruefregeln import Befund, befund
from pyxl.templates import Formular, formulare
from pyxl.templates.builder import META_FORMULAR, META_HASH, META_PYXL, META_VERSION
from pyxl.validators.lesen import Mappe
from pyxl.validators.regelwerke import formular_der_mappe


@dataclass
class Erkennung:
    formular: Formular | None
    kennung: str | None
    version: str | None
    befunde: list[Befund]


def _titel(mappe: Mappe) -> str:
    """The first texts of the first sheet: where a form states what it is."""
    if not mappe.blaetter:
        return ""
    zellen = next(iter(mappe.blaetter.values())).zellen
    return " ".join(str(zellen[a].wert) for a in ("A1", "A2", "A3") if a in zellen and isinstance(zellen[a].wert, str))


def formularversion(eigenschaften: Mapping[str, str]) -> str | None:
    """The form's version: its own key, or — in a workbook from before that key — the one that held it then."""
    if META_VERSION in eigenschaften:
        return eigenschaften[META_VERSION]
    return eigenschaften.get(META_PYXL)


def erkenne(mappe: Mappe, regelwerke: Mapping[str, Regelwerk] | None = None) -> Erkennung:
    """The form and the parameter sets it was built from (:mod:`pyxl.validators.regelwerke`); ``regelwerke``: sets
    by family the checking authority names (``--satzung``)."""
    bekannt = formulare()
    kennung = mappe.eigenschaften.get(META_FORMULAR)
    version = formularversion(mappe.eigenschaften)
    if kennung in bekannt:
        formular = bekannt[kennung]
        hinweise: list[Befund] = []  # on the sets found (a continued table checked with its current state)
        if version == formular.version:  # the sets only where the version is one we can check
            wahl = formular_der_mappe(kennung, mappe.eigenschaften, regelwerke)
            if wahl.formular is None:
                return Erkennung(None, kennung, version, wahl.befunde)
            formular, hinweise = wahl.formular, wahl.befunde
        if version != formular.version:
            return Erkennung(
                None,
                kennung,
                version,
                [
                    befund(
                        "formularversion",
                        meldung=f"Formular {kennung} in Version {version or '?'} eingereicht; geprüft werden "
                        f"kann Version {formular.version} – bitte den aktuellen Vordruck verwenden",
                        erwartet=formular.version,
                        gefunden=version,
                    )
                ],
            )
        befunde = list(hinweise)
        if mappe.eigenschaften.get(META_HASH) != formular.spec_hash:
            befunde.append(
                befund(
                    "vordruck_abweichend",
                    meldung="Der Vordruck wurde mit einem anderen Stand von pyxl erzeugt",
                    erwartet=formular.spec_hash,
                    gefunden=mappe.eigenschaften.get(META_HASH),
                )
            )
        return Erkennung(formular, kennung, version, befunde)
    titel = _titel(mappe)
    kandidaten = {f"{f.untertitel} {f.titel}": f for f in bekannt.values()}
    aehnlich = difflib.get_close_matches(titel, list(kandidaten), n=1, cutoff=0.5) if titel else []
    vermutung = f"; ähnlich: {aehnlich[0]} ({kandidaten[aehnlich[0]].kennung})" if aehnlich else ""
    art = f"unbekannte Formularkennung „{kennung}“" if kennung else "keine pyxl-Formularkennung"
    return Erkennung(
        None,
        kennung,
        version,
        [
            befund(
                "unbekanntes_formular",
                gefunden=titel or None,  # cut by the Befund itself
                meldung=f"Unbekannte Arbeitsmappe ({art}){vermutung} – bitte den Vordruck aus xlsx_templates verwenden",
            )
        ],
    )
