"""The "Parameter" sheet of the VO 1370 forms: the county's Satzung numbers as named cells, from its TOML data.

The native formulas of the ex ante, ex post and overview forms read these names (``OEP_Wagnis`` …), so each number
still lives once — in the county's ``oepnv_<kreis>.toml`` — and the auditor sees it with its Ziffer. Below them the
sheet names the editions the form was built from, with their fingerprints (the same ones as in the workbook's
metadata, ``pyxl_regeln``): the validator checks a submission against exactly those sets.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from pyxl.parameter import Gueltigkeit, OEPNVParameter, Regelwerk
from pyxl.templates import stil
from pyxl.templates.bauplan import Bauplan
from pyxl.templates.gemeinsam import ganzzahl_pruefung, konstante, text_pruefung
from pyxl.templates.modell import Blatt

BLATT = "Parameter"


def parameterblatt(s: OEPNVParameter, regelwerke: Sequence[Regelwerk] = ()) -> tuple[Blatt, Bauplan]:
    """The sheet for Satzung ``s``; ``regelwerke``: every set the form is built from (default: ``s`` alone)."""
    b = Bauplan(BLATT)
    b.text("A", f"Parameter der {s.meta.kurz}", stil="titel", schluessel="param.titel")
    b.weiter()
    b.text("A", "Erzeugt aus den Parameterdaten von pyxl. Die Formeln rechnen mit diesen Werten; bitte nicht ändern.",
           stil="hinweis")  # fmt: skip
    b.weiter(2)
    b.kopfzeile([("A", "Bezeichnung"), ("B", "Wert"), ("C", "Einheit"), ("D", "Fundstelle")])
    b.weiter()
    for name, text, wert, einheit, ref in (
        ("OEP_Wagnis", "Wagnisaufschlag auf die indizierten Kosten", s.wagnis.satz, "%", s.wagnis.ref),
        ("OEP_Begruendung", "Stellungnahme bei Abweichung vom Vorjahr über", s.begruendung.satz, "%",
         s.begruendung.ref),
        ("OEP_Deckelung", "Deckelung: Anstieg zum Vorjahr höchstens", s.deckelung.satz, "%", s.deckelung.ref),
        ("OEP_Leistungsaenderung", "Leistungsänderung: Fahrplan-km ändern sich um mehr als ±",
         s.leistungsaenderung.satz, "%", s.leistungsaenderung.ref),
        ("OEP_Bagatell", "Bagatellgrenze je Unternehmen und Jahr", s.bagatell.betrag, "€", s.bagatell.ref),
        ("OEP_Abschlag", "Abschlagszahlungen: Anteil des ex ante-Ausgleichs", s.abschlaege.anteil, "%",
         s.abschlaege.ref),
        ("OEP_Raten", "Abschlagszahlungen: Monatsraten", s.abschlaege.raten, "", s.abschlaege.ref),
        ("OEP_Gewinn", "Angemessene Umsatzrendite (ex post)", s.gewinn.satz, "%", s.gewinn.ref),
        ("OEP_Bonus_Anteil", "Bonus: Anteil an Kostenunterschreitung / Mehreinnahmen", s.bonus.anteil, "%",
         s.bonus.ref),
        ("OEP_Bonus_max", "Bonus: höchstens, bezogen auf den Ausgleich", s.bonus.hoechstens, "%", s.bonus.ref),
        ("OEP_Ereignis", "Außergewöhnliche Ereignisse: Abweichung über", s.ereignis.satz, "%", s.ereignis.ref),
        ("OEP_Zinsaufschlag", "Rückzahlungszins: Aufschlag auf den Basiszinssatz", s.zins.aufschlag,
         "Prozentpunkte", s.zins.ref),
        ("OEP_Zinstage", "Rückzahlungszins: Tage je Jahr", s.zins.tage_im_jahr, "", s.zins.ref),
        ("OEP_Unterdeckung", "Unterdeckung: Gesamtausgleich unter der Summe um mehr als", s.unterdeckung.satz, "%",
         s.unterdeckung.ref),
        ("OEP_Anteil_Landkreis", "Finanzierung: Anteil Landkreis", s.finanzierung.landkreis, "%",
         s.finanzierung.ref),
    ):  # fmt: skip
        konstante(b, name, text, wert, einheit, s.regel(ref))
    ausgaben(b, regelwerke or (s,))
    return Blatt(BLATT, f"Parameter der {s.meta.kurz}", {"A": 56, "B": 12, "C": 14, "D": 50},
                 zusatzfelder=tuple(b.zusatzfelder), zeilenhoehen=b.zeilenhoehen), b  # fmt: skip


def ausgaben(b: Bauplan, regelwerke: Sequence[Regelwerk]) -> None:
    """Below the numbers: each parameter set's edition, validity, source and fingerprint (short, then in full).

    Cells outside what is checked (``Bauplan.zusatz``): a submission on the form before them is checked as before;
    the validator reads the sets from the metadata, where the same fingerprints stand."""
    b.weiter()
    b.zusatz("A", "Ausgaben der Parameter, aus denen dieser Vordruck erzeugt wurde", stil="abschnitt")
    b.weiter()
    for regelwerk in regelwerke:
        a = regelwerk.ausgabe
        for text, wert in (
            (regelwerk.bezeichnung, a.name),
            ("Gültig", Gueltigkeit(a.gueltig_ab, a.gueltig_bis).deutsch()),
            ("Quelle", a.quelle),
            ("Prüfsumme (kurz)", regelwerk.kurzsumme),
            ("Prüfsumme (SHA-256, vollständig)", regelwerk.pruefsumme),
        ):
            b.zusatz("A", text, stil="zelle")
            b.zusatz("B", wert, stil="zelle_umbruch", bis_spalte="D")
            b.weiter()
    b.zusatz("A", "pyxl pruefen erkennt die Parameter an der Prüfsumme in den Dokumenteigenschaften (pyxl_regeln).",
             stil="hinweis")  # fmt: skip
    b.weiter()


def unternehmen_feld(b: Bauplan) -> None:
    """The company, as every VO 1370 form asks for it (label in B, input C to F)."""
    b.text("B", "Verkehrsunternehmen *", stil="beschriftung")
    b.eingabe("C", "kopf.unternehmen", text_pruefung("Verkehrsunternehmen", pflicht=True), bis_spalte="F")
    b.weiter()


def ausgleichsjahr_feld(b: Bauplan, s: OEPNVParameter, ziffer: str, beschriftung: str = "Ausgleichsjahr") -> None:
    """The Ausgleichsjahr (required), from the Satzung's first year on."""
    b.text("B", f"{beschriftung} *", stil="beschriftung")
    jahr = ganzzahl_pruefung("Ausgleichsjahr", s.regel(ziffer), minimum=s.meta.erstes_ausgleichsjahr, maximum=2100)
    b.eingabe("C", "kopf.jahr", replace(jahr, pflicht=True), zahlenformat=stil.JAHR)
    b.weiter()


_UMLAUTE = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def dateiname(name: str, s: OEPNVParameter) -> str:
    """A form's file name for another county: the county as its last part (``OEPNV_ExAnte_Kalkulation_kreis.xlsx``),
    from the Satzung's file name, else its short title."""
    text = (s.schluessel or s.meta.kurz.removeprefix("Satzung ")).lower().translate(_UMLAUTE)
    kreis = "_".join(t for t in re.split(r"[^a-z0-9]+", text) if t) or "satzung"
    stamm, punkt, endung = name.rpartition(".")
    return f"{stamm}_{kreis}{punkt}{endung}"
