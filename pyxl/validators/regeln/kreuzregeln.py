"""The form's own cross rules (a split position needs a key, segments sum to the company): their findings come
keyed by field and are placed here on the cell the submission holds that field in."""

from __future__ import annotations

from pyxl.templates.modell import Werte
from pyxl.validators.regeln.grundlage import Grundlage


class Kreuzregeln(Grundlage):
    def _kreuzregeln(self) -> None:
        werte = Werte(self.werte, self.vorgaben)
        for regel in self.formular.kreuzregeln:
            for befund in regel(werte):
                feld = self.formular.feld(befund.schluessel or "")
                self.befunde.append(befund.model_copy(update={"blatt": feld.blatt, "zelle": self._adresse(feld)}))
