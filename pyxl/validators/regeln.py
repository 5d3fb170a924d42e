"""The rules a filled form must meet, all read from its spec: inputs, formulas, results.

Each formula cell is recomputed in Python from the values the submission itself shows for its inputs and
precedent cells, so one wrong cell yields one finding — nothing cascades down the sheet.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from decimal import ROUND_HALF_UP, Decimal

from pyxl.functions.eingabe import STELLEN_VOR_DEM_KOMMA, datum
from pyxl.functions.fehler import Eingabefehler, zeige
from pyxl.functions.zahlen import als_decimal, deutsch, lies_deutsch
from pyxl.templates.modell import Fehlerwert, Feld, Formular, Pruefung, Rolle, Werte
from pyxl.validators.anker import pruefe_anker
from pyxl.validators.ausrichten import Zuordnung, erwartete_formel, normalisiert, zuordnen
from pyxl.validators.befund import Befund, Schwere
from pyxl.validators.darstellung import pruefe_darstellung
from pyxl.validators.lesen import Mappe, Zelle, flaeche
from pyxl.validators.namen import pruefe_namen
from pyxl.validators.zeichen import kenntlich, vergleichbar

CENT = Decimal("0.01")
# Spreadsheets hold 15 significant digits: from 10^15 on a number is no amount a form can state to the cent (and
# 1e26 or 1e308 would overflow the cent rounding) — the calculators' own bound. Such a number is a finding at its cell.
GRENZE_ZAHL = Decimal(10) ** STELLEN_VOR_DEM_KOMMA


def zu_gross(wert: object) -> bool:
    if isinstance(wert, bool) or not isinstance(wert, int | float | Decimal):
        return False
    if isinstance(wert, float):
        return not (abs(wert) < float(GRENZE_ZAHL))  # also inf
    return abs(wert) >= GRENZE_ZAHL


_NACHKOMMA = re.compile(r"\.(0+)")
FEHLERWERTE_DEUTSCH = {"#VALUE!": "#WERT!", "#N/A": "#NV", "#REF!": "#BEZUG!", "#NUM!": "#ZAHL!", "#NAME?": "#NAME?",
                       "#DIV/0!": "#DIV/0!", "#NULL!": "#NULL!"}  # fmt: skip


def nachkommastellen(zahlenformat: str | None) -> int:
    """Decimal places a field's number format shows ("#,##0.00 €" → 2): amounts in a report are shown alike."""
    erster = re.sub(r'"[^"]*"', "", (zahlenformat or "").split(";")[0])
    treffer = _NACHKOMMA.search(erster)
    return len(treffer.group(1)) if treffer else 0


def _zeige(wert: object, stellen: int = 0) -> str:
    """A value for a report: numbers German, with at least the ``stellen`` decimal places of the field's format
    (1.100.000,00 next to 1.094.900,00, never 1.100.000) — padded, never rounded."""
    if wert is None:
        return "leer"
    if zu_gross(wert):
        zahl = float(wert)  # type: ignore[arg-type]
        return (
            ("-" if zahl < 0 else "") + "unendlich"
            if zahl in (float("inf"), float("-inf"))
            else (f"{zahl:.6g}".replace(".", ","))
        )
    if isinstance(wert, int | float | Decimal) and not isinstance(wert, bool):
        zahl = als_decimal(wert)
        if stellen and zahl.as_tuple().exponent > -stellen:  # type: ignore[operator]
            zahl = zahl.quantize(Decimal(1).scaleb(-stellen))
        return deutsch(zahl)
    if isinstance(wert, Fehlerwert):
        return "Fehlerwert (#NV)"
    if isinstance(wert, str) and wert in FEHLERWERTE_DEUTSCH:  # as German Excel shows the stored error value
        return FEHLERWERTE_DEUTSCH[wert]
    return str(wert)


class Pruefer:
    """Checks one submission against one form."""

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

    # -- helpers
    def _befund(
        self,
        regel: str,
        schwere: Schwere,
        feld: Feld | None,
        meldung: str,
        *,
        erwartet: object = None,
        gefunden: object = None,
        fundstelle: str | None = None,
        zelle: str | None = None,
    ) -> None:
        self.befunde.append(
            Befund(
                regel=regel,
                schwere=schwere,
                blatt=feld.blatt if feld else None,
                zelle=zelle or (self._adresse(feld) if feld else None),
                meldung=meldung,
                erwartet=None if erwartet is None else str(erwartet),
                gefunden=None if gefunden is None else str(gefunden),
                fundstelle=fundstelle,
                schluessel=feld.schluessel if feld else None,
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

    # -- the checks
    def pruefe(self) -> list[Befund]:
        self._struktur()
        for feld in self.formular.felder:
            if feld.blatt not in self.mappe.blaetter:
                continue
            if feld.rolle is Rolle.EINGABE:
                self._eingabe(feld)
            elif feld.rolle is Rolle.TEXT:
                self._text(feld)
            else:
                zelle = self._zelle(feld)
                wert = zelle.wert if zelle else None
                if isinstance(wert, str) and wert.startswith("#"):  # the sheet shows an error value (#NV, #WERT!)
                    wert = Fehlerwert(f"Tabelle zeigt {wert}")
                elif zu_gross(wert):  # its own cell reports it (result differs); cells reading it get no number
                    wert = Fehlerwert("Zahl außerhalb des Rechenbereichs")
                self.werte[feld.schluessel] = wert
        self._formeln()
        self._kreuzregeln()
        return self.befunde

    def _kreuzregeln(self) -> None:
        werte = Werte(self.werte, self.vorgaben)
        for regel in self.formular.kreuzregeln:
            for kreuz in regel(werte):
                feld = self.formular.feld(kreuz.schluessel)
                self._befund(
                    kreuz.regel_id,
                    Schwere(kreuz.schwere),
                    feld,
                    kreuz.meldung,
                    erwartet=kreuz.erwartet,
                    gefunden=kreuz.gefunden,
                    fundstelle=kreuz.fundstelle,
                )

    def _struktur(self) -> None:
        self.befunde.extend(pruefe_anker(self.formular, self.mappe, self.zuordnung))  # before any cell is read
        self.befunde.extend(pruefe_namen(self.formular, self.mappe, self.zuordnung))
        self.befunde.extend(pruefe_darstellung(self.formular, self.mappe, self.zuordnung))
        erwartet = [b.name for b in self.formular.blaetter]
        for name in erwartet:
            if name not in self.mappe.blaetter:
                self._befund("blatt_fehlt", Schwere.FEHLER, None, f"Tabellenblatt „{name}“ fehlt", erwartet=name)
        aehnlich = {vergleichbar(n): n for n in erwartet}
        stelle = {name: nummer for nummer, name in enumerate(self.mappe.blaetter)}
        erstes = min((stelle[n] for n in erwartet if n in stelle), default=0)
        for name, blatt in self.mappe.blaetter.items():
            if name in erwartet:
                pass
            elif vergleichbar(name) in aehnlich:  # "Аnlage 3b" with a Cyrillic А beside the real sheet
                vordruck = aehnlich[vergleichbar(name)]
                self._befund("blatt_verwechselbar", Schwere.FEHLER, None,
                             f"Zusätzliches Tabellenblatt „{name}“ ist vom Vordruckblatt „{vordruck}“ kaum zu "
                             "unterscheiden (manipulierte Datei?) – nicht geprüft",
                             gefunden=kenntlich(name))  # fmt: skip
            elif stelle[name] < erstes and blatt.zustand == "visible":
                self._befund("blatt_vor_dem_vordruck", Schwere.WARNUNG, None,
                             f"Zusätzliches Tabellenblatt „{name}“ steht vor dem Vordruck – wer die Datei öffnet, "
                             "sieht es zuerst; es ist nicht Teil des Vordrucks und wird nicht geprüft")  # fmt: skip
            else:
                self._befund(
                    "zusaetzliches_blatt",
                    Schwere.HINWEIS,
                    None,
                    f"Zusätzliches Tabellenblatt „{name}“ (nicht Teil des Vordrucks, nicht geprüft)",
                )
            if blatt.erklaerter_bereich and flaeche(blatt.erklaerter_bereich) > self.zellbereich:
                self._befund(
                    "riesiger_bereich",
                    Schwere.WARNUNG,
                    None,
                    f"Blatt „{name}“ erklärt den Bereich {blatt.erklaerter_bereich} (ungewöhnlich groß)",
                    gefunden=blatt.erklaerter_bereich,
                )
        if not self.zuordnung.anker_gefunden:
            self._befund(
                "zeilenanker_fehlen",
                Schwere.WARNUNG,
                None,
                "Die Zeilenanker des Vordrucks fehlen; Zeilen werden an ihrer ursprünglichen Stelle erwartet",
            )
        for blatt, zeilen in self.zuordnung.zeilen.items():
            geloescht = sorted(z for z, neu in zeilen.items() if neu is None)
            if geloescht:
                self._befund(
                    "zeile_geloescht",
                    Schwere.FEHLER,
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
            self._befund(
                "zeile_eingefuegt",
                Schwere.HINWEIS,
                None,
                f"Zeile {zeile} wurde eingefügt; ihr Inhalt ist nicht Teil des Vordrucks und wird nicht mitgerechnet",
                zelle=f"A{zeile}",
            )

    def _eingabe(self, feld: Feld) -> None:
        zelle = self._zelle(feld)
        wert = None if zelle is None else zelle.wert
        if isinstance(wert, str) and not wert.strip():
            wert = None
        pruefung = feld.pruefung
        if pruefung is None:
            self.werte[feld.schluessel] = wert
            return
        if wert is None:
            if pruefung.pflicht:
                self._befund(
                    "pflichtangabe",
                    Schwere.FEHLER,
                    feld,
                    f"Pflichtangabe fehlt: {pruefung.hinweis}",
                    fundstelle=pruefung.regel,
                )
            self.werte[feld.schluessel] = None
            return
        if pruefung.art in ("ganzzahl", "dezimal"):
            wert = self._zahl(feld, pruefung, wert)
            if wert is not None and zu_gross(wert):
                self._befund("zahl_zu_gross", Schwere.FEHLER, feld,
                             "Zahl zu groß – Tabellenkalkulationen rechnen nur unter 10^15 auf den Cent genau; "
                             "als leer gewertet", erwartet=f"< {deutsch(GRENZE_ZAHL)}", gefunden=_zeige(wert),
                             fundstelle=pruefung.regel)  # fmt: skip
                wert = None
            if wert is not None:
                self._zahlbereich(feld, pruefung, wert)
        elif pruefung.art == "datum":
            wert = self._datum(feld, pruefung, wert)
        elif pruefung.art == "liste":
            text = deutsch(wert, tausender=False) if isinstance(wert, int | float | Decimal) else str(wert)
            if text not in pruefung.liste and not (
                isinstance(wert, float) and wert.is_integer() and str(int(wert)) in pruefung.liste
            ):
                self._befund(
                    "liste",
                    Schwere.FEHLER,
                    feld,
                    f"Wert nicht zulässig; {pruefung.hinweis}",
                    erwartet=" | ".join(pruefung.liste),
                    gefunden=zeige(wert),
                    fundstelle=pruefung.regel,
                )
        self.werte[feld.schluessel] = wert

    def _datum(self, feld: Feld, pruefung: Pruefung, wert: object) -> object:
        """A date cell holds a serial number (Excel stores dates so); typed text is read but reported."""
        if isinstance(wert, int | float | dt.date) and not isinstance(wert, bool):
            return wert
        try:
            gelesen = datum(wert, feld.schluessel, pruefung.regel)
        except Eingabefehler:
            gelesen = None
        if gelesen is None:
            self._befund("kein_datum", Schwere.FEHLER, feld, f"Datum erwartet; {pruefung.hinweis}",
                         gefunden=zeige(wert), fundstelle=pruefung.regel)  # fmt: skip
            return None
        self._befund("datum_als_text", Schwere.WARNUNG, feld,
                     f"Datum als Text eingegeben – gelesen als {gelesen:%d.%m.%Y}; Excel rechnet mit Text nicht",
                     erwartet=f"{gelesen:%d.%m.%Y}", gefunden=zeige(wert), fundstelle=pruefung.regel)  # fmt: skip
        return gelesen

    def _zahl(self, feld: Feld, pruefung: Pruefung, wert: object) -> Decimal | None:
        if isinstance(wert, bool) or not isinstance(wert, int | float | Decimal | str):
            self._befund(
                "keine_zahl", Schwere.FEHLER, feld, "Zahl erwartet", gefunden=zeige(wert), fundstelle=pruefung.regel
            )
            return None
        if isinstance(wert, str):
            zahl = lies_deutsch(wert)
            if zahl is None:
                self._befund(
                    "keine_zahl",
                    Schwere.FEHLER,
                    feld,
                    f"Zahl erwartet; {pruefung.hinweis}",
                    gefunden=zeige(wert),
                    fundstelle=pruefung.regel,
                )
                return None
            self.als_text.add(feld.schluessel)
            self._befund(
                "zahl_als_text",
                Schwere.WARNUNG,
                feld,
                f"Zahl als Text eingegeben – gelesen als {deutsch(zahl)}; Excel rechnet mit Text nicht",
                erwartet=deutsch(zahl),
                gefunden=zeige(wert),
                fundstelle=pruefung.regel,
            )
            return zahl
        return als_decimal(wert)

    def _zahlbereich(self, feld: Feld, pruefung: Pruefung, zahl: Decimal) -> None:
        if pruefung.art == "ganzzahl" and zahl != zahl.to_integral_value():
            regel = "menge_ganzzahlig" if feld.schluessel.endswith(".menge") else "ganzzahl"
            text = "Mengen sind ganzzahlig anzugeben" if regel == "menge_ganzzahlig" else "Ganze Zahl erwartet"
            self._befund(
                regel,
                Schwere.FEHLER,
                feld,
                text,
                erwartet="ganze Zahl",
                gefunden=deutsch(zahl),
                fundstelle=pruefung.regel,
            )
        unten = pruefung.minimum
        if unten is not None and (zahl < unten or (pruefung.minimum_ausgeschlossen and zahl == unten)):
            zeichen = ">" if pruefung.minimum_ausgeschlossen else "≥"
            self._befund(
                "bereich",
                Schwere.FEHLER,
                feld,
                f"Wert zu klein; {pruefung.hinweis}",
                erwartet=f"{zeichen} {deutsch(unten)}",
                gefunden=deutsch(zahl),
                fundstelle=pruefung.regel,
            )
        if pruefung.maximum is not None and zahl > pruefung.maximum:
            self._befund(
                "bereich",
                Schwere.FEHLER,
                feld,
                f"Wert zu groß; {pruefung.hinweis}",
                erwartet=f"≤ {deutsch(pruefung.maximum)}",
                gefunden=deutsch(zahl),
                fundstelle=pruefung.regel,
            )

    def _text(self, feld: Feld) -> None:
        stellen = nachkommastellen(feld.zahlenformat)
        if feld.wert in (None, ""):
            return
        zelle = self._zelle(feld)
        gefunden = None if zelle is None else zelle.wert
        if zelle is not None and zelle.formel:
            gefunden = zelle.formel
        soll = feld.wert
        gleich = gefunden == soll or (
            isinstance(soll, int | Decimal)
            and isinstance(gefunden, int | float)
            and not isinstance(gefunden, bool)
            and als_decimal(gefunden) == Decimal(soll)
        )
        if gleich:
            return
        if (feld.name and feld.name.startswith("P_")) or feld.schluessel.startswith("param."):
            self._befund(
                "parameter_geaendert",
                Schwere.FEHLER,
                feld,
                "Parameter der Regel geändert – die Formeln rechnen dann nicht mehr nach der Regel",
                erwartet=_zeige(soll, stellen),
                gefunden=_zeige(gefunden, stellen),
                fundstelle=feld.regel,
            )
        else:
            self._befund(
                "beschriftung_geaendert",
                Schwere.WARNUNG,
                feld,
                "Beschriftung des Vordrucks geändert",
                erwartet=_zeige(soll, stellen),
                gefunden=_zeige(gefunden, stellen),
            )

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
            self._befund(
                "nicht_berechnet",
                Schwere.WARNUNG,
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
                self._befund("regelhinweis", Schwere.HINWEIS, feld, hinweis.text, fundstelle=hinweis.regel)

    def _text_nicht_mitgerechnet(self, ohne_gerechnet: dict[str, tuple[Feld, object, object]]) -> None:
        """The sheet's results left the text out: each such input's finding says what it cost (its last result
        computed without it, the form's total) and becomes an error — one fault, one finding, at its cause."""
        folgen = {}
        for eingabe, (feld, ist, mit_text) in ohne_gerechnet.items():
            stellen = nachkommastellen(feld.zahlenformat)
            folgen[eingabe] = (
                f" – die Ergebnisse der Tabelle rechnen ohne diesen Wert (z. B. {self._adresse(feld)}: "
                f"{_zeige(ist, stellen)} statt {_zeige(mit_text, stellen)}); bitte als Zahl eingeben"
            )
        self.befunde = [
            b.model_copy(update={"schwere": Schwere.FEHLER, "meldung": b.meldung + folgen[b.schluessel]})
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
            self._befund(
                "formel_ueberschrieben",
                Schwere.FEHLER,
                feld,
                "Formel überschrieben"
                + ("" if gefunden is None else " – durch einen festen Wert")
                + f"; richtig wäre {_zeige(soll, stellen)}",
                erwartet=erwartet,
                gefunden=_zeige(gefunden, stellen),
                fundstelle=feld.regel,
            )
            return
        if erwartet is None or normalisiert(zelle.formel) != normalisiert(erwartet):
            self._befund(
                "formel_geaendert",
                Schwere.FEHLER,
                feld,
                "Formel gegenüber dem Vordruck geändert",
                erwartet=erwartet,
                gefunden=zelle.formel,
                fundstelle=feld.regel,
            )
            return
        if berechnet and not gleich_auf_cent(soll, zelle.wert):
            self._befund(
                "ergebnis_abweichend",
                Schwere.FEHLER,
                feld,
                "Gespeichertes Ergebnis weicht von der Nachrechnung ab",
                erwartet=_zeige(soll, stellen),
                gefunden=_zeige(zelle.wert, stellen),
                fundstelle=feld.regel,
            )


def gleich_auf_cent(soll: object, ist: object) -> bool:
    """Python's value and the sheet's cached one agree: both empty, both an error, or equal to the cent."""
    if isinstance(soll, Fehlerwert):
        return isinstance(ist, str) and ist.startswith("#")
    if soll is None:
        return ist in (None, "")
    if isinstance(soll, str):  # a formula's text answer ("ja"/"nein")
        return ist == soll
    if isinstance(ist, bool) or not isinstance(ist, int | float) or zu_gross(ist) or zu_gross(soll):
        return False
    zahl = als_decimal(ist)
    return zahl.quantize(CENT, ROUND_HALF_UP) == Decimal(soll).quantize(CENT, ROUND_HALF_UP)


def pruefe_formular(
    formular: Formular, mappe: Mappe, zellbereich: int, vorgaben: Mapping[str, object] | None = None
) -> Iterator[Befund]:
    yield from Pruefer(formular, mappe, zellbereich, vorgaben).pruefe()
