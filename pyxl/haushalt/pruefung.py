"""Checks of NKF plan tables: every sum row in every column, sign convention, "+"/"−" markers.

Each sum row is checked against its own printed parts, so one wrong figure yields one finding at the sum that
contains it — nothing cascades. Printed plans are rounded to whole euros: up to 1 € off is a Rundungsdifferenz
(Hinweis), more is a Fehler (spec/haushalt.md).
"""

from __future__ import annotations

from decimal import Decimal

from pydantic import Field

from pyxl import parameter
from pyxl.functions.zahlen import deutsch
from pyxl.haushalt.plaene import Plantabelle
from pyxl.parameter import Planschema
from pyxl.validators.befund import Befund, Schwere

P = parameter.nkf()
NEGATIV, POSITIV = "negativ", "positiv"


class HaushaltsBefund(Befund):
    produkt: str | None = Field(default=None, serialization_alias="product")
    plan: str | None = Field(default=None, serialization_alias="plan")
    zeile: str | None = Field(default=None, serialization_alias="row")
    bezeichnung: str | None = Field(default=None, serialization_alias="label")
    spalte: str | None = Field(default=None, serialization_alias="column")


def schema(tabelle: Plantabelle) -> Planschema:
    return P.teilergebnisplan if tabelle.plan == "Teilergebnisplan" else P.teilfinanzplan


def vorzeichen(tabelle: Plantabelle, plan: Planschema) -> str:
    """How the plan prints expenses: negative with plain sums (Düren), or positive and subtracted."""
    werte = [w for n in plan.aufwand if n in tabelle.zeilen for w in tabelle.zeilen[n].werte if w]
    return POSITIV if werte and sum(w > 0 for w in werte) > sum(w < 0 for w in werte) else NEGATIV


def _faktor(teil: int, summe: int, plan: Planschema, konvention: str) -> int:
    if konvention == POSITIV and teil in plan.aufwand and summe not in plan.aufwand:
        return -1  # e.g. 18 = 10 − 17 when expenses are printed positive
    return 1


def pruefe_tabelle(tabelle: Plantabelle) -> list[HaushaltsBefund]:
    plan = schema(tabelle)
    konvention = vorzeichen(tabelle, plan)
    befunde: list[HaushaltsBefund] = []

    def befund(
        regel: str, schwere: Schwere, meldung: str, zeile: int | None = None, spalte: str | None = None, **weiter: str
    ) -> None:
        bezeichnung = tabelle.zeilen[zeile].bezeichnung if zeile in tabelle.zeilen else ""
        befunde.append(
            HaushaltsBefund(
                regel=regel,
                schwere=schwere,
                meldung=meldung,
                fundstelle=P.meta.ref,
                produkt=tabelle.produkt,
                plan=plan.name,
                zeile=None if zeile is None else f"{zeile:02d}",
                bezeichnung=bezeichnung or None,
                spalte=spalte,
                **weiter,
            )
        )

    art = (
        "Aufwendungen/Auszahlungen negativ gedruckt, Summen als einfache Summen"
        if konvention == NEGATIV
        else ("Aufwendungen/Auszahlungen positiv gedruckt und abgezogen")
    )
    befund("vorzeichenkonvention", Schwere.HINWEIS, f"Vorzeichen: {art}")
    for nummer in range(1, plan.zeilen + 1):
        if nummer not in tabelle.zeilen:
            befund("zeile_fehlt", Schwere.HINWEIS, f"Zeile {nummer:02d} fehlt und wird als 0 gerechnet", nummer)
    for summe in plan.summen:
        if summe.zeile not in tabelle.zeilen:
            continue
        for spalte, name in enumerate(tabelle.spalten):
            berechnet = sum(
                (_faktor(t, summe.zeile, plan, konvention) * tabelle.wert(t, spalte) for t in summe.aus), Decimal(0)
            )
            gedruckt = tabelle.wert(summe.zeile, spalte)
            abweichung = abs(gedruckt - berechnet)
            if abweichung == 0:
                continue
            teile = ", ".join(f"{t:02d}" for t in summe.aus)
            if abweichung <= P.meta.rundung:
                befund(
                    "rundungsdifferenz",
                    Schwere.HINWEIS,
                    f"Rundungsdifferenz von {deutsch(abweichung)} € (Summe der Zeilen {teile})",
                    summe.zeile,
                    name,
                    erwartet=deutsch(berechnet),
                    gefunden=deutsch(gedruckt),
                )
            else:
                befund(
                    "summe_falsch",
                    Schwere.FEHLER,
                    f"Summenzeile stimmt nicht: Zeilen {teile} ergeben "
                    f"{deutsch(berechnet)}, gedruckt {deutsch(gedruckt)} (Abweichung {deutsch(gedruckt - berechnet)})",
                    summe.zeile,
                    name,
                    erwartet=deutsch(berechnet),
                    gefunden=deutsch(gedruckt),
                )
    summenzeilen = {s.zeile for s in plan.summen}
    for nummer, zeile in tabelle.zeilen.items():
        if nummer in summenzeilen or zeile.marke not in ("+", "-"):
            continue
        for spalte, wert in enumerate(zeile.werte):
            falsch = wert < 0 if (zeile.marke == "+" or konvention == POSITIV) else wert > 0
            if falsch:
                befund(
                    "vorzeichen_marke",
                    Schwere.WARNUNG,
                    f"Vorzeichen widerspricht der Kennzeichnung „{zeile.marke}“",
                    nummer,
                    tabelle.spalten[spalte],
                    gefunden=deutsch(wert),
                )
    return befunde
