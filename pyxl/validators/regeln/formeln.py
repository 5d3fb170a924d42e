"""Formulas and results: each formula cell recomputed from the values the submission itself shows, so one wrong
cell yields one finding — nothing cascades down the sheet; and the notes of the rule met on the way."""

from __future__ import annotations

from pyxl.pruefregeln import Schwere, regel
from pyxl.templates.modell import Fehlerwert, Feld, Rolle
from pyxl.validators.ausrichten import erwartete_formel, normalisiert
from pyxl.validators.regeln.grundlage import Grundlage
from pyxl.validators.regeln.werte import gleich_auf_cent, nachkommastellen, zeige_wert


class Formeln(Grundlage):
    """Formula cells: present, as in the template, and their stored results equal to the recomputation."""

    def _formeln(self) -> None:
        nachrechnung = self.formular.nachrechnen(self.werte, lokal=True)
        # One fault, one finding: a number typed as text is reported at its cell. The sheet's own formulas saw
        # text — Excel's SUM skips it, arithmetic with it gives #WERT! — so a result is also consistent if it
        # matches the inputs with that text left out or as an error; recomputed per text input, so each result
        # is laid to the input it depends on.
        ohne_text = {
            (schluessel, art): self.formular.nachrechnen({**self.werte, schluessel: ersatz}, lokal=True).werte
            for schluessel in sorted(self.als_text)
            for art, ersatz in (("leer", None), ("fehler", Fehlerwert("Text in einer Rechnung")))
        }
        formelfelder = [f for f in self.formular.felder_mit(Rolle.FORMEL) if f.blatt in self.mappe.blaetter]
        berechnet = any((z := self._zelle(f)) is not None and z.formel and z.wert is not None for f in formelfelder)
        erwartet_werte = [v for v in nachrechnung.werte.values() if v is not None]
        if not berechnet and erwartet_werte:
            self.melde(
                "nicht_berechnet",
                None,
                "Die Datei enthält keine berechneten Ergebnisse "
                "(nie in Excel gespeichert); Ergebnisse werden nicht verglichen",
            )
        ohne_gerechnet: dict[str, tuple[Feld, object, object]] = {}  # text input -> a result computed without it
        for feld in formelfelder:
            soll = nachrechnung.werte.get(feld.schluessel)
            zelle = self._zelle(feld)
            if berechnet and zelle is not None and not gleich_auf_cent(soll, zelle.wert):
                for (eingabe, _art), werte in ohne_text.items():
                    if gleich_auf_cent(werte.get(feld.schluessel), zelle.wert):
                        ohne_gerechnet[eingabe] = (feld, zelle.wert, soll)
                        soll = werte.get(feld.schluessel)
                        break
            self._formel(feld, soll, berechnet)
        if ohne_gerechnet:
            self._text_nicht_mitgerechnet(ohne_gerechnet)
        for schluessel, hinweise in nachrechnung.hinweise.items():
            feld = self.formular.feld(schluessel)
            for hinweis in hinweise:
                self.melde("regelhinweis", feld, hinweis.text, fundstelle=hinweis.regel)

    def _text_nicht_mitgerechnet(self, ohne_gerechnet: dict[str, tuple[Feld, object, object]]) -> None:
        """The sheet's results left the text out: each such input's finding says what it cost (its last result
        computed without it, the form's total) and becomes an error — one fault, one finding, at its cause."""
        folgen = {}
        for eingabe, (feld, ist, mit_text) in ohne_gerechnet.items():
            stellen = nachkommastellen(feld.zahlenformat)
            folgen[eingabe] = (
                f" – die Ergebnisse der Tabelle rechnen ohne diesen Wert (z. B. {self._adresse(feld)}: "
                f"{zeige_wert(ist, stellen)} statt {zeige_wert(mit_text, stellen)}); bitte als Zahl eingeben"
            )
        fehler = regel("zahl_als_text").pruefe_schwere(Schwere.FEHLER)  # the catalogue allows this step up
        self.befunde = [
            b.model_copy(update={"schwere": fehler, "meldung": b.meldung + folgen[b.schluessel]})
            if b.regel == "zahl_als_text" and b.schluessel in folgen
            else b
            for b in self.befunde
        ]

    def _formel(self, feld: Feld, soll: object, berechnet: bool) -> None:
        stellen = nachkommastellen(feld.zahlenformat)
        zelle = self._zelle(feld)
        vorlage = feld.formel or ""
        erwartet = erwartete_formel(vorlage, feld.blatt, self.zuordnung)
        if zelle is None or zelle.formel is None:
            gefunden = None if zelle is None else zelle.wert
            self.melde(
                "formel_ueberschrieben",
                feld,
                "Formel überschrieben"
                + ("" if gefunden is None else " – durch einen festen Wert")
                + f"; richtig wäre {zeige_wert(soll, stellen)}",
                erwartet=erwartet,
                gefunden=zeige_wert(gefunden, stellen),
                fundstelle=feld.regel,
                erklaerung=self._erklaerung(feld),
            )
            return
        if erwartet is None or normalisiert(zelle.formel) != normalisiert(erwartet):
            self.melde(
                "formel_geaendert",
                feld,
                "Formel gegenüber dem Vordruck geändert",
                erwartet=erwartet,
                gefunden=zelle.formel,
                fundstelle=feld.regel,
            )
            return
        if berechnet and not gleich_auf_cent(soll, zelle.wert):
            self.melde(
                "ergebnis_abweichend",
                feld,
                "Gespeichertes Ergebnis weicht von der Nachrechnung ab",
                erwartet=zeige_wert(soll, stellen),
                gefunden=zeige_wert(zelle.wert, stellen),
                fundstelle=feld.regel,
                erklaerung=self._erklaerung(feld),
            )

    def _erklaerung(self, feld: Feld) -> dict[str, list[dict[str, object]]]:
        """How the value pyxl expects came about (values read, steps, parameters): the auditor's way to follow
        a finding about a result to its clause."""
        return self.formular.erklaeren(feld.schluessel, self.werte).als_json()
