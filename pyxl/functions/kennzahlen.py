"""Report statistics as Excel functions: change and share in percent, deadline quota from two date ranges."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pyxl import parameter
from pyxl.functions.eingabe import datum, ganzzahl, nicht_negativ, positiv, zahl
from pyxl.functions.fehler import Eingabefehler
from pyxl.functions.geld import runde
from pyxl.functions.registry import Arg, excel_funktion
from pyxl.functions.spur import beobachtet, schritt
from pyxl.parameter import Berichtsstatistik

BEREICH = "Berichtsstatistik"


def _regel(s: Berichtsstatistik) -> str:
    return s.ref


@excel_funktion(
    "KZ_VERAENDERUNG",
    hilfe=lambda s: (
        "Veränderung in % gegenüber dem Vergleichswert: (neu / alt − 1) × 100, auf "
        f"{s.stellen} Nachkommastelle kaufmännisch gerundet."
    ),
    einheit="%",
    regel=_regel,
    bereich=BEREICH,
)
def veraenderung(
    alt: Annotated[Decimal, Arg("alt", "Vergleichswert (z. B. Vorjahr), größer als 0")],
    neu: Annotated[Decimal, Arg("neu", "neuer Wert")],
    *,
    statistik: Berichtsstatistik | None = None,
) -> Decimal:
    s = beobachtet(statistik or parameter.berichtsstatistik())
    basis = positiv(alt, "alt", s.ref)
    roh = schritt(s.ref, "(neu / alt − 1) × 100", (zahl(neu, "neu", s.ref) / basis - 1) * 100)
    return runde(roh, s.stellen)


@excel_funktion(
    "KZ_ANTEIL",
    hilfe=lambda s: f"Anteil in %: Teil / Gesamt × 100, auf {s.stellen} Nachkommastelle kaufmännisch gerundet.",
    einheit="%",
    regel=_regel,
    bereich=BEREICH,
)
def anteil(
    teil: Annotated[Decimal, Arg("Teil", "Anzahl des Teils (≥ 0)")],
    gesamt: Annotated[Decimal, Arg("Gesamt", "Gesamtzahl (> 0)")],
    *,
    statistik: Berichtsstatistik | None = None,
) -> Decimal:
    s = beobachtet(statistik or parameter.berichtsstatistik())
    basis = positiv(gesamt, "Gesamt", s.ref)
    menge = nicht_negativ(teil, "Teil", s.ref)
    if menge > basis:
        raise Eingabefehler("Teil", teil, "größer als Gesamt – ein Anteil kann 100 % nicht übersteigen", s.ref)
    return runde(schritt(s.ref, "Teil / Gesamt × 100", menge / basis * 100), s.stellen)


@excel_funktion(
    "KZ_FRISTQUOTE",
    hilfe=lambda s: (
        "Anteil in % der Fälle, die innerhalb von N Tagen nach Eingang erledigt wurden; offene Fälle "
        f"(kein Erledigungsdatum) zählen als nicht erledigt. Auf {s.stellen} Nachkommastelle gerundet."
    ),
    einheit="%",
    regel=_regel,
    bereich=BEREICH,
)
def fristquote(
    eingang: Annotated[list, Arg("Eingang", "Bereich mit den Eingangsdaten")],
    erledigt: Annotated[list, Arg("Erledigt", "gleich großer Bereich mit den Erledigungsdaten (leer = offen)")],
    tage: Annotated[Decimal, Arg("Tage", "Frist in Tagen (ganze Zahl ≥ 0)")],
    *,
    statistik: Berichtsstatistik | None = None,
) -> Decimal:
    s = beobachtet(statistik or parameter.berichtsstatistik())
    regel = s.ref
    frist = ganzzahl(tage, "Tage", regel)
    if len(eingang) != len(erledigt):
        raise Eingabefehler(
            "Erledigt", f"{len(erledigt)} Werte", f"gleich viele Werte wie Eingang ({len(eingang)})", regel
        )
    faelle = fristgerecht = 0
    for nummer, (rein, raus) in enumerate(zip(eingang, erledigt, strict=True), 1):
        beginn, ende = datum(rein, f"Eingang[{nummer}]", regel), datum(raus, f"Erledigt[{nummer}]", regel)
        if beginn is None:
            if ende is not None:
                raise Eingabefehler(f"Eingang[{nummer}]", rein, "fehlt, obwohl ein Erledigungsdatum steht", regel)
            continue  # an empty row of the range
        if ende is not None and ende < beginn:
            raise Eingabefehler(f"Erledigt[{nummer}]", raus, "liegt vor dem Eingang", regel)
        faelle += 1
        fristgerecht += ende is not None and (ende - beginn).days <= frist
    if not faelle:
        raise Eingabefehler("Eingang", "leer", "keine Fälle im Bereich", regel)
    schritt(regel, "Fälle im Bereich", Decimal(faelle))
    schritt(regel, lambda: f"davon erledigt innerhalb von {frist} Tagen", Decimal(fristgerecht))
    return runde(schritt(regel, "fristgerecht / Fälle × 100", Decimal(fristgerecht) / faelle * 100), s.stellen)
