"""The "Parameter" sheet of the VO 1370 forms: the county's Satzung numbers as named cells, from its TOML data.

The native formulas of the ex ante, ex post and overview forms read these names (``OEP_Wagnis`` …), so each number
still lives once — in ``pyxl/parameter/oepnv_<kreis>.toml`` — and the auditor sees it with its Ziffer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from pyxl import parameter
from pyxl.templates import stil
from pyxl.templates.bauplan import Bauplan
from pyxl.templates.gemeinsam import ganzzahl_pruefung, konstante, text_pruefung
from pyxl.templates.modell import Blatt

P = parameter.oepnv()
BLATT = "Parameter"
# Stand of the VO 1370 forms: the Satzung as amended by its second Änderungssatzung of 28.09.2023 (seed)
STAND = dt.date(2023, 9, 28)


def parameterblatt() -> tuple[Blatt, Bauplan]:
    b = Bauplan(BLATT)
    b.text("A", f"Parameter der {P.meta.kurz}", stil="titel", schluessel="param.titel")
    b.weiter()
    b.text("A", "Erzeugt aus den Parameterdaten von pyxl. Die Formeln rechnen mit diesen Werten; bitte nicht ändern.",
           stil="hinweis")  # fmt: skip
    b.weiter(2)
    b.kopfzeile([("A", "Bezeichnung"), ("B", "Wert"), ("C", "Einheit"), ("D", "Fundstelle")])
    b.weiter()
    for name, text, wert, einheit, ref in (
        ("OEP_Wagnis", "Wagnisaufschlag auf die indizierten Kosten", P.wagnis.satz, "%", P.wagnis.ref),
        ("OEP_Begruendung", "Stellungnahme bei Abweichung vom Vorjahr über", P.begruendung.satz, "%",
         P.begruendung.ref),
        ("OEP_Deckelung", "Deckelung: Anstieg zum Vorjahr höchstens", P.deckelung.satz, "%", P.deckelung.ref),
        ("OEP_Leistungsaenderung", "Leistungsänderung: Fahrplan-km ändern sich um mehr als ±",
         P.leistungsaenderung.satz, "%", P.leistungsaenderung.ref),
        ("OEP_Bagatell", "Bagatellgrenze je Unternehmen und Jahr", P.bagatell.betrag, "€", P.bagatell.ref),
        ("OEP_Abschlag", "Abschlagszahlungen: Anteil des ex ante-Ausgleichs", P.abschlaege.anteil, "%",
         P.abschlaege.ref),
        ("OEP_Raten", "Abschlagszahlungen: Monatsraten", P.abschlaege.raten, "", P.abschlaege.ref),
        ("OEP_Gewinn", "Angemessene Umsatzrendite (ex post)", P.gewinn.satz, "%", P.gewinn.ref),
        ("OEP_Bonus_Anteil", "Bonus: Anteil an Kostenunterschreitung / Mehreinnahmen", P.bonus.anteil, "%",
         P.bonus.ref),
        ("OEP_Bonus_max", "Bonus: höchstens, bezogen auf den Ausgleich", P.bonus.hoechstens, "%", P.bonus.ref),
        ("OEP_Ereignis", "Außergewöhnliche Ereignisse: Abweichung über", P.ereignis.satz, "%", P.ereignis.ref),
        ("OEP_Zinsaufschlag", "Rückzahlungszins: Aufschlag auf den Basiszinssatz", P.zins.aufschlag,
         "Prozentpunkte", P.zins.ref),
        ("OEP_Zinstage", "Rückzahlungszins: Tage je Jahr", P.zins.tage_im_jahr, "", P.zins.ref),
        ("OEP_Unterdeckung", "Unterdeckung: Gesamtausgleich unter der Summe um mehr als", P.unterdeckung.satz, "%",
         P.unterdeckung.ref),
        ("OEP_Anteil_Landkreis", "Finanzierung: Anteil Landkreis", P.finanzierung.landkreis, "%",
         P.finanzierung.ref),
    ):  # fmt: skip
        konstante(b, name, text, wert, einheit, P.regel(ref))
    return Blatt(BLATT, f"Parameter der {P.meta.kurz}", {"A": 56, "B": 12, "C": 14, "D": 50}), b


def unternehmen_feld(b: Bauplan) -> None:
    """The company, as every VO 1370 form asks for it (label in B, input C to F)."""
    b.text("B", "Verkehrsunternehmen *", stil="beschriftung")
    b.eingabe("C", "kopf.unternehmen", text_pruefung("Verkehrsunternehmen", pflicht=True), bis_spalte="F")
    b.weiter()


def ausgleichsjahr_feld(b: Bauplan, ziffer: str, beschriftung: str = "Ausgleichsjahr") -> None:
    """The Ausgleichsjahr (required), from the Satzung's first year on."""
    b.text("B", f"{beschriftung} *", stil="beschriftung")
    jahr = ganzzahl_pruefung("Ausgleichsjahr", P.regel(ziffer), minimum=P.meta.erstes_ausgleichsjahr, maximum=2100)
    b.eingabe("C", "kopf.jahr", replace(jahr, pflicht=True), zahlenformat=stil.JAHR)
    b.weiter()
