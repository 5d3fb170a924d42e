"""Structure: the form's sheets, sheets beside it, rows deleted or inserted, anchors, names and display."""

from __future__ import annotations

from pyxl.validators.anker import pruefe_anker
from pyxl.validators.darstellung import pruefe_darstellung
from pyxl.validators.lesen import flaeche
from pyxl.validators.namen import pruefe_namen
from pyxl.validators.regeln.grundlage import Grundlage
from pyxl.validators.zeichen import kenntlich, vergleichbar


class Struktur(Grundlage):
    """Is the submission still the form: anchors, names and display first (before any cell is read), then sheets
    and rows."""

    def _struktur(self) -> None:
        self.befunde.extend(pruefe_anker(self.formular, self.mappe, self.zuordnung))  # before any cell is read
        self.befunde.extend(pruefe_namen(self.formular, self.mappe, self.zuordnung))
        self.befunde.extend(pruefe_darstellung(self.formular, self.mappe, self.zuordnung))
        erwartet = [b.name for b in self.formular.blaetter]
        for name in erwartet:
            if name not in self.mappe.blaetter:
                self.melde("blatt_fehlt", None, f"Tabellenblatt „{name}“ fehlt", erwartet=name)
        aehnlich = {vergleichbar(n): n for n in erwartet}
        stelle = {name: nummer for nummer, name in enumerate(self.mappe.blaetter)}
        erstes = min((stelle[n] for n in erwartet if n in stelle), default=0)
        for name, blatt in self.mappe.blaetter.items():
            if name in erwartet:
                pass
            elif vergleichbar(name) in aehnlich:  # "Аnlage 3b" with a Cyrillic А beside the real sheet
                vordruck = aehnlich[vergleichbar(name)]
                self.melde("blatt_verwechselbar", None,
                           f"Zusätzliches Tabellenblatt „{name}“ ist vom Vordruckblatt „{vordruck}“ kaum zu "
                           "unterscheiden (manipulierte Datei?) – nicht geprüft",
                           gefunden=kenntlich(name))  # fmt: skip
            elif stelle[name] < erstes and blatt.zustand == "visible":
                self.melde("blatt_vor_dem_vordruck", None,
                           f"Zusätzliches Tabellenblatt „{name}“ steht vor dem Vordruck – wer die Datei öffnet, "
                           "sieht es zuerst; es ist nicht Teil des Vordrucks und wird nicht geprüft")  # fmt: skip
            else:
                self.melde(
                    "zusaetzliches_blatt",
                    None,
                    f"Zusätzliches Tabellenblatt „{name}“ (nicht Teil des Vordrucks, nicht geprüft)",
                )
            if blatt.erklaerter_bereich and flaeche(blatt.erklaerter_bereich) > self.zellbereich:
                self.melde(
                    "riesiger_bereich",
                    None,
                    f"Blatt „{name}“ erklärt den Bereich {blatt.erklaerter_bereich} (ungewöhnlich groß)",
                    gefunden=blatt.erklaerter_bereich,
                )
        if not self.zuordnung.anker_gefunden:
            self.melde(
                "zeilenanker_fehlen",
                None,
                "Die Zeilenanker des Vordrucks fehlen; Zeilen werden an ihrer ursprünglichen Stelle erwartet",
            )
        for blatt, zeilen in self.zuordnung.zeilen.items():
            geloescht = sorted(z for z, neu in zeilen.items() if neu is None)
            if geloescht:
                self.melde(
                    "zeile_geloescht",
                    None,
                    f"Zeilen des Vordrucks gelöscht ({blatt}: Zeile {', '.join(map(str, geloescht[:10]))})",
                )
            self._eingefuegte_zeilen(blatt, zeilen)

    def _eingefuegte_zeilen(self, blatt: str, zeilen: dict[int, int | None]) -> None:
        belegt = sorted(z for z in zeilen.values() if z is not None)
        if not belegt or self.zuordnung.ist_identisch(blatt) or blatt not in self.mappe.blaetter:
            return
        bekannt = set(belegt)
        inhalt = {int(a.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")) for a in self.mappe.blaetter[blatt].zellen}
        for zeile in sorted(z for z in inhalt if belegt[0] < z < belegt[-1] and z not in bekannt):
            self.melde(
                "zeile_eingefuegt",
                None,
                f"Zeile {zeile} wurde eingefügt; ihr Inhalt ist nicht Teil des Vordrucks und wird nicht mitgerechnet",
                zelle=f"A{zeile}",
            )
