"""Trennungsrechnung (Anlage 4 Anhang 3) of the allgemeine Vorschrift: the company's GuV split into segments.

Columns: Gesamtunternehmen (per audited GuV) = allgemeine Vorschrift (one column per Teilnetz and their sum) +
sonstiger ÖPNV + sonstige Geschäftsbereiche; a Kontrolle column shows the difference, a key column names how a split
position was allocated. The official Anhang is not in the seed: the form follows spec/oepnv.md and says so.

One column per Teilnetz of the county's Satzung; the columns after them move with their number (Rotenburg's three
Teilnetze: D–F, then G–K).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from openpyxl.utils import get_column_letter

from pyxl.functions import oepnv
from pyxl.functions.geld import cent
from pyxl.functions.zahlen import deutsch
from pyxl.parameter import OEPNVParameter
from pyxl.pruefregeln import Befund, Schwere, befund
from pyxl.templates import stil
from pyxl.templates.bauplan import Bauplan
from pyxl.templates.gemeinsam import formularkopf, legende, listen_pruefung, text_pruefung, unterschriftenblock
from pyxl.templates.modell import Blatt, Formular, Pruefung, Werte

VERSION = "2023.1"
BLATT = "Trennungsrechnung"
GESAMT = "C"


@dataclass(frozen=True)
class Spalten:
    """The columns of a county's form: its Teilnetze from D on, then the fixed segments, Kontrolle and key."""

    teilnetze: tuple[str, ...]
    summe_av: str
    sonst_oepnv: str
    sonst_gb: str
    kontrolle: str
    schluessel: str

    @property
    def betraege(self) -> tuple[str, ...]:
        """The input columns: Gesamtunternehmen, each Teilnetz, sonstiger ÖPNV, sonstige Geschäftsbereiche."""
        return (GESAMT, *self.teilnetze, self.sonst_oepnv, self.sonst_gb)

    @property
    def segmente(self) -> tuple[str, ...]:
        return (*self.teilnetze, self.sonst_oepnv, self.sonst_gb)


def spalten(s: OEPNVParameter) -> Spalten:
    n = len(s.trennungsrechnung.teilnetze)
    buchstaben = [get_column_letter(4 + i) for i in range(n + 5)]  # D …
    return Spalten(tuple(buchstaben[:n]), *buchstaben[n:])


def _pruefung(was: str, regel: str) -> Pruefung:
    return Pruefung("dezimal", regel=regel, hinweis=f"{was}: Betrag bzw. Menge, nicht negativ ({regel}).",
                    minimum=Decimal(0))  # fmt: skip


def _zeile(b: Bauplan, s: OEPNVParameter, sp: Spalten, kurz: str, text: str, *, mit_schluessel: bool) -> None:
    """One position: inputs per segment, the Teilnetz sum and the Kontrolle as formulas."""
    regel = s.regel(s.trennungsrechnung.ref)
    b.text("B", text, stil="zelle")
    for spalte in sp.betraege:
        b.eingabe(spalte, f"{kurz}.{spalte}", _pruefung(text, regel), zahlenformat=stil.GANZ)
    teile = [f"{kurz}.{t}" for t in sp.teilnetze]
    b.formel(sp.summe_av, f"{kurz}.{sp.summe_av}", f"=SUM({{{teile[0]}}}:{{{teile[-1]}}})",
             lambda w, t=teile: w.summe(t), regel=regel, zahlenformat=stil.GANZ)  # fmt: skip
    rest = [f"{kurz}.{x}" for x in (sp.summe_av, sp.sonst_oepnv, sp.sonst_gb)]
    b.formel(sp.kontrolle, f"{kurz}.{sp.kontrolle}",
             f"=ROUND(SUM({{{kurz}.{GESAMT}}})-SUM({{{kurz}.{sp.summe_av}}}:{{{kurz}.{sp.sonst_gb}}}),2)",
             lambda w, k=kurz, r=rest: w.summe([f"{k}.{GESAMT}"]) - w.summe(r),
             regel=regel, zahlenformat=stil.GANZ)  # fmt: skip
    if mit_schluessel:
        b.eingabe(sp.schluessel, f"{kurz}.{sp.schluessel}",
                  listen_pruefung("Verteilungsschlüssel", regel, s.trennungsrechnung.schluessel))  # fmt: skip
    b.weiter()


def _summenzeile(b: Bauplan, regel: str, sp: Spalten, kurz: str, text: str, teile: list[str]) -> None:
    b.text("B", text, stil="summe")
    for spalte in (*sp.betraege, sp.summe_av, sp.kontrolle):
        schluessel = [f"{t}.{spalte}" for t in teile]
        b.formel(spalte, f"{kurz}.{spalte}", f"=SUM({{{schluessel[0]}}}:{{{schluessel[-1]}}})",
                 lambda w, x=schluessel: w.summe(x), regel=regel, zahlenformat=stil.GANZ, stil="summe")  # fmt: skip
    b.weiter()


def _name(text: str) -> str:
    """A company name as typed by different people: case and runs of spaces don't matter."""
    return " ".join(text.split()).casefold()


Kreuzregel = Callable[[Werte], list[Befund]]


def _kreuzregeln(s: OEPNVParameter, sp: Spalten, positionen: list[str]) -> tuple[Kreuzregel, ...]:
    t = s.trennungsrechnung
    regel = s.regel(t.ref)
    ausgleich = f"tr.E{t.ertraege.index(s.exante.ohne_ausgleich) + 1:02d}"  # the compensation under this Satzung
    fahrplan_km = f"tr.L{t.leistungsdaten.index('Fahrplan-km') + 1:02d}"

    def summe_der_segmente(w: Werte) -> list[Befund]:
        """Gesamtunternehmen = Σ segments; up to t.rundung € is a rounding note (spec/oepnv.md)."""
        befunde = []
        for kurz in positionen:
            if w.leer(f"{kurz}.{GESAMT}"):
                continue
            segmente = w.summe([f"{kurz}.{x}" for x in sp.segmente])
            gesamt = w.summe([f"{kurz}.{GESAMT}"])
            if abs(gesamt - segmente) > t.rundung:
                befunde.append(befund("segmente_summe", schluessel=f"{kurz}.{GESAMT}",
                                      meldung="Gesamtunternehmen ≠ Summe der Segmente", erwartet=deutsch(segmente),
                                      gefunden=deutsch(gesamt), fundstelle=regel))  # fmt: skip
            elif gesamt != segmente:
                befunde.append(befund("rundungsdifferenz", schluessel=f"{kurz}.{GESAMT}",
                                      meldung=f"Rundungsdifferenz von {deutsch(abs(gesamt - segmente))} €",
                                      erwartet=deutsch(segmente), gefunden=deutsch(gesamt),
                                      fundstelle=regel))  # fmt: skip
        return befunde

    def schluessel_bei_aufteilung(w: Werte) -> list[Befund]:
        """A position booked in more than one segment was split: the key that split it must be named."""
        befunde = []
        for kurz in (p for p in positionen if not p.startswith("tr.L")):  # Leistungsdaten carry no key
            belegt = [x for x in sp.segmente if w.summe([f"{kurz}.{x}"]) != 0]
            if len(belegt) > 1 and w.leer(f"{kurz}.{sp.schluessel}"):
                befunde.append(befund("schluessel_fehlt", schluessel=f"{kurz}.{sp.schluessel}",
                                      meldung="Aufgeteilte Position ohne Verteilungsschlüssel",
                                      erwartet=" | ".join(t.schluessel), gefunden="leer",
                                      fundstelle=regel))  # fmt: skip
        return befunde

    def ausgleich_ab_bagatellgrenze(w: Werte) -> list[Befund]:
        """Ziffer 2.3: no compensation below the threshold per company and year — a smaller amount booked as
        "Ausgleich nach dieser Satzung" needs explaining (a warning, not an error: a GuV year may hold only the 5 %
        rest or a repayment of another year)."""
        betrag = w.summe([f"{ausgleich}.{x}" for x in sp.teilnetze])
        if 0 < betrag < s.bagatell.betrag:
            return [befund("bagatellgrenze_2_3", schwere=Schwere.WARNUNG, schluessel=f"{ausgleich}.{sp.summe_av}",
                           meldung=f"Ausgleich nach dieser Satzung unter {deutsch(s.bagatell.betrag)} € je Unternehmen "
                           "und Jahr wird nicht gewährt", erwartet=f"0 oder ≥ {deutsch(s.bagatell.betrag)}",
                           gefunden=deutsch(betrag), fundstelle=s.regel(s.bagatell.ref))]  # fmt: skip
        return []

    def fahrplan_km_nach_anlage_1(w: Werte) -> list[Befund]:
        """Ziffer 1.6, 7.2: the Teilnetz Fahrplan-km against the county's Anlage 1 (given to the validator as
        ``vorgaben["anlage1"]``: company → Teilnetz → km). A difference is a note, beyond ± 2 % a warning."""
        anlage1 = w.vorgaben.get("anlage1")
        if not anlage1:
            return []
        unternehmen = str(w.roh("kopf.unternehmen") or "").strip()
        soll = {_name(n): km for n, km in anlage1.items()}.get(_name(unternehmen))
        if soll is None:
            return [befund("anlage1_unbekannt", schluessel="kopf.unternehmen",
                           meldung="Unternehmen nicht in den Anlage-1-Werten des Landkreises",
                           erwartet=" | ".join(anlage1), gefunden=unternehmen or "leer",
                           fundstelle=s.regel(s.ziffern.anlage1))]  # fmt: skip
        befunde = []
        for spalte, teilnetz in zip(sp.teilnetze, t.teilnetze, strict=True):
            ist = w.summe([f"{fahrplan_km}.{spalte}"])
            if teilnetz not in soll:
                if ist:  # service in a Teilnetz the county has not listed for this company (Ziffer 1.6, 7.3)
                    befunde.append(befund("fahrplan_km_ohne_anlage1", schluessel=f"{fahrplan_km}.{spalte}",
                                          meldung=f"Fahrplan-km im Teilnetz {teilnetz}, für das Anlage 1 dem "
                                          "Unternehmen keine Verkehrsleistung zuweist", erwartet="0",
                                          gefunden=deutsch(ist),
                                          fundstelle=s.regel(s.ziffern.anlage1_ohne_leistung)))  # fmt: skip
                continue
            abweichung = ist - soll[teilnetz]
            if abweichung == 0:
                continue
            ueber = soll[teilnetz] == 0 or oepnv.neubestimmung_noetig(soll[teilnetz], abweichung, satzung=s)
            prozent = "" if soll[teilnetz] == 0 else f" ({deutsch(cent(abweichung * 100 / soll[teilnetz]))} %)"
            befunde.append(befund("fahrplan_km_7_2" if ueber else "fahrplan_km_abweichung",
                                  schluessel=f"{fahrplan_km}.{spalte}",
                                  meldung=f"Fahrplan-km im Teilnetz {teilnetz} weichen von Anlage 1 ab{prozent}"
                                  + (": Neubestimmung des Ausgleichs" if ueber else ""),
                                  erwartet=deutsch(soll[teilnetz]), gefunden=deutsch(ist),
                                  fundstelle=s.regel(s.ziffern.anlage1_abweichung)))  # fmt: skip
        return befunde

    return summe_der_segmente, schluessel_bei_aufteilung, ausgleich_ab_bagatellgrenze, fahrplan_km_nach_anlage_1


def trennungsrechnung(s: OEPNVParameter) -> Formular:
    """The form for Satzung ``s``: its Teilnetze as columns, its positions as rows."""
    kennung, titel = "OEPNV-TR", "Trennungsrechnung nach Geschäftsbereichen und Teilnetzen"
    untertitel = s.formulare.trennungsrechnung
    t, sp = s.trennungsrechnung, spalten(s)
    regel = s.regel(t.ref)
    b = Bauplan(BLATT)
    formularkopf(b, kennung=kennung, version=VERSION, titel=titel, untertitel=untertitel, rechts=sp.schluessel)
    for schluessel, text, pflicht in (("kopf.unternehmen", "Verkehrsunternehmen", True),
                                      ("kopf.jahr", "Geschäftsjahr", True),
                                      ("kopf.pruefer", "Wirtschaftsprüfer (Bescheinigung)", False)):  # fmt: skip
        b.text("B", text + (" *" if pflicht else ""), stil="beschriftung")
        b.eingabe("C", schluessel, text_pruefung(text, pflicht=pflicht), bis_spalte=sp.summe_av)
        b.weiter()
    b.weiter()
    legende(b, "B")
    kopf = b.zeile
    b.kopfzeile([("A", "Nr."), ("B", "Position"), (GESAMT, "Gesamtunternehmen (lt. GuV)"),
                 *zip(sp.teilnetze, (f"Teilnetz {n}" for n in t.teilnetze), strict=True),
                 (sp.summe_av, "allgemeine Vorschrift gesamt"), (sp.sonst_oepnv, "sonstiger ÖPNV"),
                 (sp.sonst_gb, "sonstige Geschäftsbereiche"), (sp.kontrolle, "Kontrolle (soll 0)"),
                 (sp.schluessel, "Verteilungsschlüssel")])  # fmt: skip
    b.weiter()
    positionen: list[str] = []
    for gruppe, namen, summe in (("E", t.ertraege, "Summe Erträge"), ("A", t.aufwendungen, "Summe Aufwendungen")):
        teile = []
        for nummer, name in enumerate(namen, 1):
            kurz = f"tr.{gruppe}{nummer:02d}"
            b.text("A", f"{gruppe}{nummer:02d}", stil="zelle")
            _zeile(b, s, sp, kurz, name, mit_schluessel=True)
            teile.append(kurz)
        positionen += teile
        b.text("A", f"{gruppe}", stil="summe")
        _summenzeile(b, regel, sp, f"tr.{gruppe}S", summe, teile)
    b.text("A", "ER", stil="summe")
    b.text("B", "Ergebnis (Erträge − Aufwendungen)", stil="summe")
    for spalte in (*sp.betraege, sp.summe_av, sp.kontrolle):
        b.formel(spalte, f"tr.ER.{spalte}", f"={{tr.ES.{spalte}}}-{{tr.AS.{spalte}}}",
                 lambda w, x=spalte: w.summe([f"tr.ES.{x}"]) - w.summe([f"tr.AS.{x}"]), regel=regel,
                 zahlenformat=stil.GANZ, stil="summe")  # fmt: skip
    b.weiter(2)
    b.text("B", "Leistungsdaten", stil="abschnitt")
    b.weiter()
    for nummer, name in enumerate(t.leistungsdaten, 1):
        kurz = f"tr.L{nummer:02d}"
        b.text("A", f"L{nummer:02d}", stil="zelle")
        _zeile(b, s, sp, kurz, name, mit_schluessel=False)
        positionen.append(kurz)
    unterschriftenblock(b, spalte_text="B", spalte_eingabe="C", bis_spalte="E")
    breiten = {"A": 6, "B": 44, "C": 19, **dict.fromkeys((*sp.teilnetze, sp.summe_av, sp.sonst_oepnv, sp.sonst_gb,
                                                          sp.kontrolle), 14), sp.schluessel: 20}  # fmt: skip
    blatt = Blatt(BLATT, titel, breiten, querformat=True, druck_titelzeilen=f"{kopf}:{kopf}",
                  druckbereich=f"A1:{sp.schluessel}{b.zeile - 1}", zusatzfelder=tuple(b.zusatzfelder),
                  zeilenhoehen=b.zeilenhoehen)  # fmt: skip
    return Formular(kennung=kennung, version=VERSION, titel=titel, untertitel=untertitel,
                    dateiname="OEPNV_Trennungsrechnung.xlsx", blaetter=(blatt,), felder=tuple(b.felder),
                    fussnote=f"Aufbau nach {s.meta.kurz} {t.ref}; amtlicher Vordruck maßgeblich", stand=s.meta.stand,
                    bereiche=b.bereiche, kreuzregeln=_kreuzregeln(s, sp, positionen), regelwerke=(s,))  # fmt: skip
