"""What every group of checks shares: the submission, the form, the row mapping and how a finding is placed."""

from __future__ import annotations

from collections.abc import Mapping

from pyxl.pruefregeln import Befund, befund
from pyxl.templates.modell import Feld, Formular
from pyxl.validators.ausrichten import Zuordnung, zuordnen
from pyxl.validators.lesen import Mappe, Zelle


class Grundlage:
    """One submission against one form: its values as read, and the findings so far."""

    def __init__(
        self, formular: Formular, mappe: Mappe, zellbereich: int, vorgaben: Mapping[str, object] | None = None
    ) -> None:
        self.formular = formular
        self.mappe = mappe
        self.zellbereich = zellbereich
        self.vorgaben = vorgaben or {}
        self.zuordnung: Zuordnung = zuordnen(formular, mappe)
        self.befunde: list[Befund] = []
        self.werte: dict[str, object] = {}
        self.als_text: set[str] = set()  # inputs holding a number as text (read, with a warning)

    def melde(
        self,
        regel: str,
        feld: Feld | None,
        meldung: str,
        *,
        erwartet: object = None,
        gefunden: object = None,
        fundstelle: str | None = None,
        zelle: str | None = None,
        erklaerung: dict[str, list[dict[str, object]]] | None = None,
    ) -> None:
        """A finding of catalogue rule ``regel`` at the cell that holds ``feld`` in the submission."""
        self.befunde.append(
            befund(
                regel,
                blatt=feld.blatt if feld else None,
                zelle=zelle or (self._adresse(feld) if feld else None),
                meldung=meldung,
                erwartet=erwartet,
                gefunden=gefunden,
                fundstelle=fundstelle,
                schluessel=feld.schluessel if feld else None,
                erklaerung=erklaerung,
            )
        )

    def _adresse(self, feld: Feld) -> str:
        return self.zuordnung.adresse(feld.blatt, feld.zelle) or f"{feld.zelle} (Zeile gelöscht)"

    def _zelle(self, feld: Feld) -> Zelle | None:
        blatt = self.mappe.blaetter.get(feld.blatt)
        adresse = self.zuordnung.adresse(feld.blatt, feld.zelle)
        if blatt is None or adresse is None:
            return None
        return blatt.zellen.get(adresse)
