"""Report statistics as Excel functions: change and share in percent, deadline quota from two date ranges."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pyxl import parameter
from pyxl.functions.eingabe import datum, ganzzahl, nicht_negativ, positiv, zahl
from pyxl.functions.fehler import Eingabefehler
from pyxl.functions.geld import runde
from pyxl.functions.registry import Arg, excel_funktion

S = parameter.berichtsstatistik()
BEREICH = "Berichtsstatistik"
REGEL = S.ref


@excel_funktion(
    "KZ_VERAENDERUNG",
    hilfe=f"Veränderung in % gegenüber dem Vergleichswert: (neu / alt − 1) × 100, auf {S.stellen} Nachkommastelle "
    "kaufmännisch gerundet.",
    einheit="%",
    regel=REGEL,
    bereich=BEREICH,
)
def veraenderung(
    alt: Annotated[Decimal, Arg("alt", "Vergleichswert (z. B. Vorjahr), größer als 0")],
    neu: Annotated[Decimal, Arg("neu", "neuer Wert")],
) -> Decimal:
    basis = positiv(alt, "alt", REGEL)
    return runde((zahl(neu, "neu", REGEL) / basis - 1) * 100, S.stellen)


@excel_funktion(
    "KZ_ANTEIL",
    hilfe=f"Anteil in %: Teil / Gesamt × 100, auf {S.stellen} Nachkommastelle kaufmännisch gerundet.",
    einheit="%",
    regel=REGEL,
    bereich=BEREICH,
)
def anteil(
    teil: Annotated[Decimal, Arg("Teil", "Anzahl des Teils (≥ 0)")],
    gesamt: Annotated[Decimal, Arg("Gesamt", "Gesamtzahl (> 0)")],
) -> Decimal:
    basis = positiv(gesamt, "Gesamt", REGEL)
    menge = nicht_negativ(teil, "Teil", REGEL)
    if menge > basis:
        raise Eingabefehler("Teil", teil, "größer als Gesamt – ein Anteil kann 100 % nicht übersteigen", REGEL)
    return runde(menge / basis * 100, S.stellen)


@excel_funktion(
    "KZ_FRISTQUOTE",
    hilfe=f"Anteil in % der Fälle, die innerhalb von N Tagen nach Eingang erledigt wurden; offene Fälle (kein "
    f"Erledigungsdatum) zählen als nicht erledigt. Auf {S.stellen} Nachkommastelle gerundet.",
    einheit="%",
    regel=REGEL,
    bereich=BEREICH,
)
def fristquote(
    eingang: Annotated[list, Arg("Eingang", "Bereich mit den Eingangsdaten")],
    erledigt: Annotated[list, Arg("Erledigt", "gleich großer Bereich mit den Erledigungsdaten (leer = offen)")],
    tage: Annotated[Decimal, Arg("Tage", "Frist in Tagen (ganze Zahl ≥ 0)")],
) -> Decimal:
    frist = ganzzahl(tage, "Tage", REGEL)
    if len(eingang) != len(erledigt):
        raise Eingabefehler(
            "Erledigt", f"{len(erledigt)} Werte", f"gleich viele Werte wie Eingang ({len(eingang)})", REGEL
        )
    faelle = fristgerecht = 0
    for nummer, (rein, raus) in enumerate(zip(eingang, erledigt, strict=True), 1):
        beginn, ende = datum(rein, f"Eingang[{nummer}]", REGEL), datum(raus, f"Erledigt[{nummer}]", REGEL)
        if beginn is None:
            if ende is not None:
                raise Eingabefehler(f"Eingang[{nummer}]", rein, "fehlt, obwohl ein Erledigungsdatum steht", REGEL)
            continue  # an empty row of the range
        if ende is not None and ende < beginn:
            raise Eingabefehler(f"Erledigt[{nummer}]", raus, "liegt vor dem Eingang", REGEL)
        faelle += 1
        fristgerecht += ende is not None and (ende - beginn).days <= frist
    if not faelle:
        raise Eingabefehler("Eingang", "leer", "keine Fälle im Bereich", REGEL)
    return runde(Decimal(fristgerecht) / faelle * 100, S.stellen)
