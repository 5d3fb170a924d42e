"""Trennungsrechnung (Anlage 4 Anhang 3) of the allgemeine Vorschrift: the company's GuV split into segments.

Columns: Gesamtunternehmen (per audited GuV) = allgemeine Vorschrift (one column per Teilnetz and their sum) +
sonstiger ÖPNV + sonstige Geschäftsbereiche; a Kontrolle column shows the difference, a key column names how a split
position was allocated. The official Anhang is not in the seed: the form follows spec/oepnv.md and says so.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from pyxl import parameter
from pyxl.functions import oepnv
from pyxl.functions.geld import cent
from pyxl.functions.zahlen import deutsch
from pyxl.pruefregeln import Befund, Schwere, befund
from pyxl.templates import stil
from pyxl.templates.bauplan import Bauplan
from pyxl.templates.gemeinsam import formularkopf, legende, listen_pruefung, text_pruefung, unterschriftenblock
from pyxl.templates.modell import Blatt, Formular, Pruefung, Werte
from pyxl.templates.oepnv_parameter import STAND

P = parameter.oepnv()
T = P.trennungsrechnung
REGEL = P.regel(T.ref)
VERSION = "2023.1"
BLATT = "Trennungsrechnung"
GESAMT, SUMME_AV, SONST_OEPNV, SONST_GB, KONTROLLE, SCHLUESSEL = "C", "G", "H", "I", "J", "K"
TEILNETZ_SPALTEN = "DEF"[: len(T.teilnetze)]
BETRAGSSPALTEN = (GESAMT, *TEILNETZ_SPALTEN, SONST_OEPNV, SONST_GB)
AUSGLEICH = f"tr.E{T.ertraege.index(P.exante.ohne_ausgleich) + 1:02d}"  # the compensation under this Satzung
FAHRPLAN_KM = f"tr.L{T.leistungsdaten.index('Fahrplan-km') + 1:02d}"


def _pruefung(was: str) -> Pruefung:
    return Pruefung("dezimal", regel=REGEL, hinweis=f"{was}: Betrag bzw. Menge, nicht negativ ({REGEL}).",
                    minimum=Decimal(0))  # fmt: skip


def _zeile(b: Bauplan, kurz: str, text: str, *, mit_schluessel: bool) -> None:
    """One position: inputs per segment, the Teilnetz sum and the Kontrolle as formulas."""
    b.text("B", text, stil="zelle")
    for spalte in BETRAGSSPALTEN:
        b.eingabe(spalte, f"{kurz}.{spalte}", _pruefung(text), zahlenformat=stil.GANZ)
    teile = [f"{kurz}.{s}" for s in TEILNETZ_SPALTEN]
    b.formel(SUMME_AV, f"{kurz}.{SUMME_AV}", f"=SUM({{{teile[0]}}}:{{{teile[-1]}}})",
             lambda w, t=teile: w.summe(t), regel=REGEL, zahlenformat=stil.GANZ)  # fmt: skip
    b.formel(KONTROLLE, f"{kurz}.{KONTROLLE}",
             f"=ROUND(SUM({{{kurz}.{GESAMT}}})-SUM({{{kurz}.{SUMME_AV}}}:{{{kurz}.{SONST_GB}}}),2)",
             lambda w, k=kurz: w.summe([f"{k}.{GESAMT}"]) - w.summe([f"{k}.{s}" for s in (SUMME_AV, SONST_OEPNV,
                                                                                          SONST_GB)]),
             regel=REGEL, zahlenformat=stil.GANZ)  # fmt: skip
    if mit_schluessel:
        b.eingabe(SCHLUESSEL, f"{kurz}.{SCHLUESSEL}", listen_pruefung("Verteilungsschlüssel", REGEL, T.schluessel))
    b.weiter()


def _summenzeile(b: Bauplan, kurz: str, text: str, teile: list[str]) -> None:
    b.text("B", text, stil="summe")
    for spalte in (*BETRAGSSPALTEN, SUMME_AV, KONTROLLE):
        schluessel = [f"{t}.{spalte}" for t in teile]
        b.formel(spalte, f"{kurz}.{spalte}", f"=SUM({{{schluessel[0]}}}:{{{schluessel[-1]}}})",
                 lambda w, s=schluessel: w.summe(s), regel=REGEL, zahlenformat=stil.GANZ, stil="summe")  # fmt: skip
    b.weiter()


def _name(text: str) -> str:
    """A company name as typed by different people: case and runs of spaces don't matter."""
    return " ".join(text.split()).casefold()


def _kreuzregeln(positionen: list[str]) -> tuple[Callable[[Werte], list[Befund]], ...]:
    def summe_der_segmente(w: Werte) -> list[Befund]:
        """Gesamtunternehmen = Σ segments; up to T.rundung € is a rounding note (spec/oepnv.md)."""
        befunde = []
        for kurz in positionen:
            if w.leer(f"{kurz}.{GESAMT}"):
                continue
            segmente = w.summe([f"{kurz}.{s}" for s in (*TEILNETZ_SPALTEN, SONST_OEPNV, SONST_GB)])
            gesamt = w.summe([f"{kurz}.{GESAMT}"])
            if abs(gesamt - segmente) > T.rundung:
                befunde.append(befund("segmente_summe", schluessel=f"{kurz}.{GESAMT}",
                                      meldung="Gesamtunternehmen ≠ Summe der Segmente", erwartet=deutsch(segmente),
                                      gefunden=deutsch(gesamt), fundstelle=REGEL))  # fmt: skip
            elif gesamt != segmente:
                befunde.append(befund("rundungsdifferenz", schluessel=f"{kurz}.{GESAMT}",
                                      meldung=f"Rundungsdifferenz von {deutsch(abs(gesamt - segmente))} €",
                                      erwartet=deutsch(segmente), gefunden=deutsch(gesamt),
                                      fundstelle=REGEL))  # fmt: skip
        return befunde

    def schluessel_bei_aufteilung(w: Werte) -> list[Befund]:
        """A position booked in more than one segment was split: the key that split it must be named."""
        befunde = []
        for kurz in (p for p in positionen if not p.startswith("tr.L")):  # Leistungsdaten carry no key
            belegt = [s for s in (*TEILNETZ_SPALTEN, SONST_OEPNV, SONST_GB) if w.summe([f"{kurz}.{s}"]) != 0]
            if len(belegt) > 1 and w.leer(f"{kurz}.{SCHLUESSEL}"):
                befunde.append(befund("schluessel_fehlt", schluessel=f"{kurz}.{SCHLUESSEL}",
                                      meldung="Aufgeteilte Position ohne Verteilungsschlüssel",
                                      erwartet=" | ".join(T.schluessel), gefunden="leer",
                                      fundstelle=REGEL))  # fmt: skip
        return befunde

    def ausgleich_ab_bagatellgrenze(w: Werte) -> list[Befund]:
        """Ziffer 2.3: no compensation below the threshold per company and year — a smaller amount booked as
        "Ausgleich nach dieser Satzung" needs explaining (a warning, not an error: a GuV year may hold only the 5 %
        rest or a repayment of another year)."""
        betrag = w.summe([f"{AUSGLEICH}.{s}" for s in TEILNETZ_SPALTEN])
        if 0 < betrag < P.bagatell.betrag:
            return [befund("bagatellgrenze_2_3", schwere=Schwere.WARNUNG, schluessel=f"{AUSGLEICH}.{SUMME_AV}",
                           meldung=f"Ausgleich nach dieser Satzung unter {deutsch(P.bagatell.betrag)} € je Unternehmen "
                           "und Jahr wird nicht gewährt", erwartet=f"0 oder ≥ {deutsch(P.bagatell.betrag)}",
                           gefunden=deutsch(betrag), fundstelle=P.regel(P.bagatell.ref))]  # fmt: skip
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
                           fundstelle=P.regel("Anlage 1"))]  # fmt: skip
        befunde = []
        for spalte, teilnetz in zip(TEILNETZ_SPALTEN, T.teilnetze, strict=True):
            ist = w.summe([f"{FAHRPLAN_KM}.{spalte}"])
            if teilnetz not in soll:
                if ist:  # service in a Teilnetz the county has not listed for this company (Ziffer 1.6, 7.3)
                    befunde.append(befund("fahrplan_km_ohne_anlage1", schluessel=f"{FAHRPLAN_KM}.{spalte}",
                                          meldung=f"Fahrplan-km im Teilnetz {teilnetz}, für das Anlage 1 dem "
                                          "Unternehmen keine Verkehrsleistung zuweist", erwartet="0",
                                          gefunden=deutsch(ist),
                                          fundstelle=P.regel("Anlage 1, Ziffer 1.6, 7.3")))  # fmt: skip
                continue
            abweichung = ist - soll[teilnetz]
            if abweichung == 0:
                continue
            ueber = soll[teilnetz] == 0 or oepnv.neubestimmung_noetig(soll[teilnetz], abweichung)
            prozent = "" if soll[teilnetz] == 0 else f" ({deutsch(cent(abweichung * 100 / soll[teilnetz]))} %)"
            befunde.append(befund("fahrplan_km_7_2" if ueber else "fahrplan_km_abweichung",
                                  schluessel=f"{FAHRPLAN_KM}.{spalte}",
                                  meldung=f"Fahrplan-km im Teilnetz {teilnetz} weichen von Anlage 1 ab{prozent}"
                                  + (": Neubestimmung des Ausgleichs" if ueber else ""),
                                  erwartet=deutsch(soll[teilnetz]), gefunden=deutsch(ist),
                                  fundstelle=P.regel("Anlage 1, Ziffer 7.2")))  # fmt: skip
        return befunde

    return summe_der_segmente, schluessel_bei_aufteilung, ausgleich_ab_bagatellgrenze, fahrplan_km_nach_anlage_1


def trennungsrechnung() -> Formular:
    kennung, titel = "OEPNV-TR", "Trennungsrechnung nach Geschäftsbereichen und Teilnetzen"
    untertitel = "Anlage 4 Anhang 3 zur Satzung über Höchsttarife (allgemeine Vorschrift nach VO (EG) 1370/2007)"
    b = Bauplan(BLATT)
    formularkopf(b, kennung=kennung, version=VERSION, titel=titel, untertitel=untertitel, rechts=SCHLUESSEL)
    for schluessel, text, pflicht in (("kopf.unternehmen", "Verkehrsunternehmen", True),
                                      ("kopf.jahr", "Geschäftsjahr", True),
                                      ("kopf.pruefer", "Wirtschaftsprüfer (Bescheinigung)", False)):  # fmt: skip
        b.text("B", text + (" *" if pflicht else ""), stil="beschriftung")
        b.eingabe("C", schluessel, text_pruefung(text, pflicht=pflicht), bis_spalte="G")
        b.weiter()
    b.weiter()
    legende(b, "B")
    kopf = b.zeile
    b.kopfzeile([("A", "Nr."), ("B", "Position"), (GESAMT, "Gesamtunternehmen (lt. GuV)"),
                 *zip(TEILNETZ_SPALTEN, (f"Teilnetz {t}" for t in T.teilnetze), strict=True),
                 (SUMME_AV, "allgemeine Vorschrift gesamt"), (SONST_OEPNV, "sonstiger ÖPNV"),
                 (SONST_GB, "sonstige Geschäftsbereiche"), (KONTROLLE, "Kontrolle (soll 0)"),
                 (SCHLUESSEL, "Verteilungsschlüssel")])  # fmt: skip
    b.weiter()
    positionen: list[str] = []
    for gruppe, namen, summe in (("E", T.ertraege, "Summe Erträge"), ("A", T.aufwendungen, "Summe Aufwendungen")):
        teile = []
        for nummer, name in enumerate(namen, 1):
            kurz = f"tr.{gruppe}{nummer:02d}"
            b.text("A", f"{gruppe}{nummer:02d}", stil="zelle")
            _zeile(b, kurz, name, mit_schluessel=True)
            teile.append(kurz)
        positionen += teile
        b.text("A", f"{gruppe}", stil="summe")
        _summenzeile(b, f"tr.{gruppe}S", summe, teile)
    b.text("A", "ER", stil="summe")
    b.text("B", "Ergebnis (Erträge − Aufwendungen)", stil="summe")
    for spalte in (*BETRAGSSPALTEN, SUMME_AV, KONTROLLE):
        b.formel(spalte, f"tr.ER.{spalte}", f"={{tr.ES.{spalte}}}-{{tr.AS.{spalte}}}",
                 lambda w, s=spalte: w.summe([f"tr.ES.{s}"]) - w.summe([f"tr.AS.{s}"]), regel=REGEL,
                 zahlenformat=stil.GANZ, stil="summe")  # fmt: skip
    b.weiter(2)
    b.text("B", "Leistungsdaten", stil="abschnitt")
    b.weiter()
    for nummer, name in enumerate(T.leistungsdaten, 1):
        kurz = f"tr.L{nummer:02d}"
        b.text("A", f"L{nummer:02d}", stil="zelle")
        _zeile(b, kurz, name, mit_schluessel=False)
        positionen.append(kurz)
    unterschriftenblock(b, spalte_text="B", spalte_eingabe="C", bis_spalte="E")
    blatt = Blatt(BLATT, titel, {"A": 6, "B": 44, "C": 19, **dict.fromkeys("DEFGHIJ", 14), "K": 20}, querformat=True,
                  druck_titelzeilen=f"{kopf}:{kopf}", druckbereich=f"A1:K{b.zeile - 1}",
                  zusatzfelder=tuple(b.zusatzfelder), zeilenhoehen=b.zeilenhoehen)  # fmt: skip
    return Formular(kennung=kennung, version=VERSION, titel=titel, untertitel=untertitel,
                    dateiname="OEPNV_Trennungsrechnung.xlsx", blaetter=(blatt,), felder=tuple(b.felder),
                    fussnote=f"Aufbau nach {P.meta.kurz} {T.ref}; amtlicher Vordruck maßgeblich", stand=STAND,
                    bereiche=b.bereiche, kreuzregeln=_kreuzregeln(positionen))  # fmt: skip
