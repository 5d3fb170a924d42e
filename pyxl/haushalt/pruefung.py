"""Checks of budget plan tables: every sum row in every column, each row's sign, "+"/"−" markers.

Each sum row is checked against its own parts, so one wrong figure yields one finding at the sum that contains it —
nothing cascades. Printed plans are rounded to whole euros: up to 1 € off is a Rundungsdifferenz (Hinweis), more is
a Fehler (spec/haushalt.md).

Readings a Rechnungsprüfer can follow (each stated in the report):

* **Scheme**: recognised from the row labels (:mod:`pyxl.haushalt.schemata`), named in a note.
* **Signs per row** (spec: "detect the convention from the expense rows"): an expense row printed positive in most
  of its columns is subtracted, one printed negative is added as printed (Düren prints all expenses negative,
  Münster all positive, Schleswig-Holstein positive except row 20). A globaler Minderaufwand improves the result by
  its amount whichever sign it is printed with (Münster +180.000 added, Ostbevern −564.600 subtracted). Difference
  columns ("Vergleich Ansatz/Ist") do not vote: their signs say nothing about the row's.
* **Rows not printed**: a row left out counts 0; a sum row left out (or a sum cell left blank) is computed from its
  parts, so the sums that use it are checked against the printed figures beneath. A sum none of whose parts is
  printed at any depth cannot be verified from the table (a page continued from another: Münster prints its
  Gesamtfinanzplan rows 32–41 on a page of their own); it is not counted as an error but reported as a Warnung.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from pydantic import Field

from pyxl.functions.zahlen import deutsch
from pyxl.haushalt import schemata
from pyxl.haushalt.plaene import Plantabelle
from pyxl.parameter import Planschema
from pyxl.pruefregeln import Befund, befund

NEGATIV, POSITIV = "negativ", "positiv"
OHNE_STIMME = frozenset({"vergleich"})  # column kinds whose signs do not tell a row's convention


class HaushaltsBefund(Befund):
    produkt: str | None = Field(default=None, serialization_alias="product")
    plan: str | None = Field(default=None, serialization_alias="plan")
    zeile: str | None = Field(default=None, serialization_alias="row")
    bezeichnung: str | None = Field(default=None, serialization_alias="label")
    spalte: str | None = Field(default=None, serialization_alias="column")


def schema(tabelle: Plantabelle) -> Planschema | None:
    erkennung = erkenne(tabelle)
    return erkennung.schema if erkennung else None


def erkenne(tabelle: Plantabelle) -> schemata.Erkennung | None:
    return schemata.erkenne({n: z.bezeichnung for n, z in tabelle.zeilen.items()}, tabelle.plan, tabelle.ebene)


def _stimmen(tabelle: Plantabelle, nummer: int) -> int:
    """Positive minus negative printed values of a row, over the columns that tell its convention."""
    zeile = tabelle.zeilen[nummer]
    return sum(
        (w > 0) - (w < 0)
        for w, art in zip(zeile.werte, tabelle.arten, strict=False)
        if w is not None and art not in OHNE_STIMME
    )


def vorzeichen(tabelle: Plantabelle, plan: Planschema) -> str:
    """How the table prints most of its expenses: negative (plain sums, Düren), or positive and subtracted."""
    stimmen = sum(_stimmen(tabelle, n) for n in plan.aufwand if n in tabelle.zeilen)
    return POSITIV if stimmen > 0 else NEGATIV


@dataclass
class _Rechnung:
    """The table in economic signs (income +, expense −): printed value × the row's factor."""

    tabelle: Plantabelle
    plan: Planschema
    faktor: dict[int, int]

    def wert(self, nummer: int, spalte: int) -> Decimal | None:
        zeile = self.tabelle.zeilen.get(nummer)
        if zeile is None or zeile.werte[spalte] is None:
            return None
        return self.faktor.get(nummer, 1) * zeile.werte[spalte]  # type: ignore[operator]


def _faktoren(tabelle: Plantabelle, plan: Planschema, konvention: str) -> dict[int, int]:
    faktor: dict[int, int] = {}
    for nummer in tabelle.zeilen:
        if nummer in plan.aufwand or nummer in plan.minderung:
            stimmen = _stimmen(tabelle, nummer)
            positiv = stimmen > 0 or (stimmen == 0 and konvention == POSITIV)
            if nummer in plan.aufwand:
                faktor[nummer] = -1 if positiv else 1
            else:  # a reduction of expenses improves the result by its amount
                faktor[nummer] = 1 if positiv else -1
    return faktor


def _konventionstext(tabelle: Plantabelle, plan: Planschema, konvention: str, faktor: dict[int, int]) -> str:
    if not any(_stimmen(tabelle, n) for n in plan.aufwand if n in tabelle.zeilen):
        art = "keine Aufwands- oder Auszahlungszeile mit Beträgen in der Tabelle"
    elif konvention == NEGATIV:
        art = "Aufwendungen/Auszahlungen negativ gedruckt, Summen als einfache Summen"
    else:
        art = "Aufwendungen/Auszahlungen positiv gedruckt und abgezogen"
    regel = -1 if konvention == POSITIV else 1
    abweichend = [
        n for n in sorted(tabelle.zeilen) if n in plan.aufwand and faktor[n] != regel and _stimmen(tabelle, n)
    ]
    if abweichend:
        liste = ", ".join(f"{n:02d}" for n in abweichend)
        anders = "negativ gedruckt und addiert" if regel == -1 else "positiv gedruckt und abgezogen"
        art += f"; abweichend {anders}: Zeile {liste}"
    for n in sorted(plan.minderung & tabelle.zeilen.keys()):
        if _stimmen(tabelle, n):
            druck = "positiv" if faktor[n] == 1 else "negativ"
            art += f"; Zeile {n:02d} (Minderaufwand) {druck} gedruckt, verbessert das Ergebnis"
    return f"Vorzeichen: {art}"


def pruefe_tabelle(tabelle: Plantabelle, erkennung: schemata.Erkennung | None = None) -> list[HaushaltsBefund]:
    """Every check of one table; ``erkennung``: its scheme where the caller recognised it already."""
    erkennung = erkennung or erkenne(tabelle)
    befunde: list[HaushaltsBefund] = []
    if erkennung is None:
        befunde.append(
            befund(
                "schema_unbekannt",
                art=HaushaltsBefund,
                meldung="Tabelle nicht prüfbar: die Zeilenbezeichnungen passen zu keinem bekannten Zeilenschema ("
                + "; ".join(sorted({f"{land.meta.kurz}: {s.name}" for land, s in schemata.alle()}))
                + ")",
                produkt=tabelle.produkt or None,
                plan=tabelle.plan or None,
                blatt=tabelle.blatt,
            )
        )
        return befunde
    plan, land = erkennung.schema, erkennung.land

    def melde(regel: str, meldung: str, zeile: int | None = None, spalte: int | None = None, **weiter: str) -> None:
        eintrag = tabelle.zeilen.get(zeile) if zeile is not None else None
        zelle = eintrag.zellen[spalte] if eintrag and eintrag.zellen and spalte is not None else None
        befunde.append(
            befund(
                regel,
                art=HaushaltsBefund,
                meldung=meldung,
                fundstelle=plan.ref,
                produkt=tabelle.produkt or None,
                plan=plan.name,
                zeile=None if zeile is None else f"{zeile:02d}",
                bezeichnung=(eintrag.bezeichnung if eintrag else "") or None,
                spalte=None if spalte is None else tabelle.spalten[spalte],
                blatt=tabelle.blatt if zelle else None,
                zelle=zelle or None,
                **weiter,
            )
        )

    konvention = vorzeichen(tabelle, plan)
    faktor = _faktoren(tabelle, plan, konvention)
    melde("schema_erkannt", erkennung.beschreibung)
    melde("vorzeichenkonvention", _konventionstext(tabelle, plan, konvention, faktor))
    for lese in tabelle.lesebefunde:
        melde(lese.regel, lese.meldung, lese.zeile, lese.spalte, gefunden=lese.gefunden or "")
    fehlend = [n for n in range(1, plan.zeilen + 1) if n not in tabelle.zeilen]
    if fehlend:
        liste = _bereiche(fehlend)
        melde("zeile_fehlt", f"Nicht gedruckt (als 0 gerechnet, Summenzeilen aus ihren Teilen): Zeile {liste}")
    _summen(tabelle, plan, land.meta.rundung, faktor, melde)
    _marken(tabelle, plan, faktor, melde)
    return befunde


def _bereiche(nummern: list[int]) -> str:
    """01, 03, 05–09: runs of three or more as a range."""
    teile: list[str] = []
    anfang = ende = nummern[0]
    for n in [*nummern[1:], None]:
        if n is not None and n == ende + 1:
            ende = n
            continue
        teile.append(
            f"{anfang:02d}–{ende:02d}" if ende - anfang >= 2 else ", ".join(f"{k:02d}" for k in range(anfang, ende + 1))
        )
        if n is not None:
            anfang = ende = n
    return ", ".join(teile)


def _summen(tabelle: Plantabelle, plan: Planschema, rundung: Decimal, faktor: dict[int, int], melde) -> None:
    rechnung = _Rechnung(tabelle, plan, faktor)
    abgeleitet: dict[tuple[int, int], tuple[Decimal, bool]] = {}  # (row, column) → (value, rests on printed parts)
    ungeprueft: list[str] = []
    # cells that are no number ("abc": zahl_unlesbar) and sums derived from them: unknown, not 0
    unbekannt = {(lese.zeile, lese.spalte) for lese in tabelle.lesebefunde if lese.regel == "zahl_unlesbar"}
    for summe in plan.summen:
        teile = ", ".join(f"{t:02d}" for t in summe.aus)
        spalten = range(len(tabelle.spalten))
        berechnet: list[tuple[Decimal, bool]] = []
        for spalte in spalten:
            total, gestuetzt = Decimal(0), False
            for teil in summe.aus:
                wert = rechnung.wert(teil, spalte)
                if wert is not None:
                    total, gestuetzt = total + wert, True
                elif (teil, spalte) in abgeleitet:
                    w, g = abgeleitet[(teil, spalte)]
                    total, gestuetzt = total + w, gestuetzt or g
            berechnet.append((total, gestuetzt))
        offen = [any((teil, spalte) in unbekannt for teil in summe.aus) for spalte in spalten]
        # a saldo printed with either sign: the sign that fits most columns (expense sums have theirs in faktor)
        eigen = 1
        if summe.zeile in plan.saldo_frei and summe.zeile in tabelle.zeilen:
            passt = {f: sum(1 for s in spalten if (w := rechnung.wert(summe.zeile, s)) is not None and berechnet[s][1]
                            and not offen[s] and abs(f * w - berechnet[s][0]) <= rundung) for f in (1, -1)}  # fmt: skip
            eigen = -1 if passt[-1] > passt[1] else 1
        for spalte in spalten:
            total, gestuetzt = berechnet[spalte]
            gedruckt = rechnung.wert(summe.zeile, spalte)
            if offen[spalte]:  # a part is unreadable (its own finding): this sum cannot be checked
                if gedruckt is None:
                    unbekannt.add((summe.zeile, spalte))
                continue
            if gedruckt is None:
                abgeleitet[(summe.zeile, spalte)] = (total, gestuetzt)
                continue
            gedruckt = gedruckt * eigen  # economic sign of the printed sum
            if not gestuetzt:
                if gedruckt:
                    ungeprueft.append(f"{summe.zeile:02d}")
                continue
            abweichung = abs(gedruckt - total)
            if abweichung == 0:
                continue
            druck = faktor.get(summe.zeile, 1) * eigen  # back from economic to printed sign
            erwartet, gefunden = deutsch(total * druck), deutsch(gedruckt * druck)
            if abweichung <= rundung:
                melde("rundungsdifferenz", f"Rundungsdifferenz von {deutsch(abweichung)} € (Summe der Zeilen {teile})",
                      summe.zeile, spalte, erwartet=erwartet, gefunden=gefunden)  # fmt: skip
            else:
                melde("summe_falsch",
                      f"Summenzeile stimmt nicht: Zeilen {teile} ergeben {erwartet}, gedruckt {gefunden} "
                      f"(Abweichung {deutsch((gedruckt - total) * druck)})",
                      summe.zeile, spalte, erwartet=erwartet, gefunden=gefunden)  # fmt: skip
    if ungeprueft:
        liste = ", ".join(dict.fromkeys(ungeprueft))
        melde("summe_ungeprueft",
              f"Summenzeile {liste} nicht geprüft: keiner ihrer Teile steht in dieser Tabelle (Fortsetzung einer "
              "anderen Seite?)")  # fmt: skip


def _marken(tabelle: Plantabelle, plan: Planschema, faktor: dict[int, int], melde) -> None:
    """A "+" income row printed negative; an expense row with one value against the sign of the rest."""
    summenzeilen = {s.zeile for s in plan.summen}
    for nummer, zeile in tabelle.zeilen.items():
        if nummer in summenzeilen or nummer in plan.frei or nummer in plan.minderung or zeile.marke not in ("+", "-"):
            continue
        for spalte, wert in enumerate(zeile.werte):
            if wert is None or tabelle.arten[spalte] in OHNE_STIMME:
                continue
            if nummer in plan.aufwand:
                falsch = wert < 0 if faktor[nummer] == -1 else wert > 0
            else:
                falsch = zeile.marke == "+" and wert < 0
            if falsch:
                melde("vorzeichen_marke",
                      f"Vorzeichen widerspricht der Kennzeichnung „{zeile.marke}“ bzw. den übrigen Spalten der Zeile",
                      nummer, spalte, gefunden=deutsch(wert))  # fmt: skip
