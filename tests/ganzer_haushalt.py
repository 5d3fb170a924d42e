"""A whole budget as one file, built on the spot: per product a Teilergebnisplan and an investive Teilfinanzplan
in Münster's layout (comma CSV, CRLF; two header rows — the column group with its unit over the first column of
the group, the years below; the Ergebnis column with cents, the others whole euros; trailing minus; labels with
their "+ "/"- "/"= " marker; zero rows left out, sum row 25 among them while 26 is printed).

Used by ``tests/test_haushalt_ganz.py`` and ``bench/haushalt_ganz_bench.py``.
"""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

import openpyxl

from pyxl import parameter
from pyxl.functions.zahlen import deutsch

JAHRE_TEP = ("2024", "2025", "2026", "2027", "2028", "2029", "2030")
JAHRE_TFP = ("2024", "2025", "2026", "2027", "2026", "2027", "2028", "2029", "2030")
KOPF_TEP = ("Ergebnis(€)", "Haushaltsansatz(€)", "", "", "Planung(€)", "", "")
KOPF_TFP = ("Ergebnis(€)", "Haushaltsansatz(€)", "", "", "Verpfl.-Erm.(€)", "", "Planung(€)", "", "")
VE = (4, 5)  # the Verpfl.-Erm. columns of the Teilfinanzplan: empty in the Einzahlungen rows
OHNE_TEP = (1, 3, 9, 23, 24, 25)  # zero rows a municipality leaves out (25 is a sum row; 26 is printed)
OHNE_TFP = (3, 4, 10)


Zelle = str | Decimal | None
Reihe = list[Zelle]  # one printed row: number, label, values (None: blank)


def _betrag(wert: Decimal, cent: bool) -> str:
    """German, negative with a trailing minus: "166.558.460,69-"."""
    text = deutsch(abs(wert).quantize(Decimal("0.01") if cent else Decimal(1)))
    return text + "-" if wert < 0 else text


def _csv(reihe: Reihe) -> str:
    zellen = []
    for spalte, wert in enumerate(reihe):
        text = "" if wert is None else wert if isinstance(wert, str) else _betrag(wert, cent=spalte == 2)
        zellen.append(f'"{text}"' if "," in text else text)
    return ",".join(zellen)


def _plan(
    titel: str,
    kopf: tuple[str, ...],
    jahre: tuple[str, ...],
    schema,
    ohne: tuple[int, ...],
    zufall: random.Random,
    falsch: int | None,
    leer: tuple[int, ...] = (),
) -> list[Reihe]:
    """One plan table: parts drawn at random (0 in the rows left out), sums computed as printed — expenses
    positive and subtracted, results with their sign; ``falsch``: a row whose first column is printed 1.000 € off
    (a final sum row, or a part: one error either way, at that sum or at the sum of the part)."""
    spalten = len(jahre)
    summenzeilen = {s.zeile: s.aus for s in schema.summen}
    werte: dict[int, list[Decimal]] = {}
    for nummer in range(1, schema.zeilen + 1):
        if nummer in summenzeilen:
            aus = summenzeilen[nummer]
            werte[nummer] = [
                sum((_wirtschaftlich(schema, t, werte[t][s]) for t in aus if t in werte), Decimal(0))
                * (-1 if nummer in schema.aufwand else 1)
                for s in range(spalten)
            ]
        elif nummer in ohne or nummer > len(schema.bezeichnungen):
            werte[nummer] = [Decimal(0)] * spalten
        else:
            werte[nummer] = [
                Decimal(zufall.randrange(0, 5_000_000_00)) / 100 if s == 0 else Decimal(zufall.randrange(0, 5_000_000))
                for s in range(spalten)
            ]
    if falsch is not None:
        werte[falsch][0] += 1000
    reihen: list[Reihe] = [[titel, "", *kopf], ["", "", *jahre]]
    for nummer in range(1, schema.zeilen + 1):
        if nummer in ohne:
            continue
        marke = "=" if nummer in summenzeilen else "-" if nummer in schema.aufwand else "+"
        gedruckt: list[Decimal | None] = list(werte[nummer])
        if nummer in leer:
            for s in VE:
                gedruckt[s] = None
        reihen.append([f"{nummer:02d}", f"{marke} {schema.bezeichnungen[nummer - 1].replace(' ', '')}", *gedruckt])
    return reihen


def _wirtschaftlich(schema, nummer: int, wert: Decimal) -> Decimal:
    return -wert if nummer in schema.aufwand else wert


def produktnummer(i: int) -> str:
    return f"{1 + i // 100:02d}.{100 + (i // 10) % 10 * 10 + 1:03d}.{i % 10 + 1:02d}"


def reihen(produkte: int, falsch: dict[int, tuple[str, int]] | None = None, saat: int = 2026) -> list[Reihe]:
    """The rows of a whole budget: ``produkte`` products, each with its Teilergebnisplan and investive
    Teilfinanzplan. ``falsch``: product index → ("tep" or "tfp", row) printed 1.000 € off in its first column."""
    nrw = parameter.nkf("nrw")
    tep, tfp = nrw.schemata["teilergebnisplan"], nrw.schemata["teilfinanzplan_investiv"]
    tep_zeilen = 29  # the product plans print rows 01–29 (no Minderaufwand)
    zufall = random.Random(saat)
    falsch = falsch or {}
    zeilen: list[Reihe] = []
    for i in range(produkte):
        nummer = produktnummer(i)
        art, zeile = falsch.get(i, ("", None))
        zeilen += _plan(
            f"Teilergebnisplan Produkt {nummer} Ertrags-undAufwandsarten",
            KOPF_TEP, JAHRE_TEP, _gekuerzt(tep, tep_zeilen), OHNE_TEP, zufall, zeile if art == "tep" else None,
        )  # fmt: skip
        zeilen += _plan(
            f"Teilfinanzplan Produkt {nummer} Ein-undAuszahlungsarten",
            KOPF_TFP, JAHRE_TFP, tfp, OHNE_TFP, zufall, zeile if art == "tfp" else None, leer=(1, 2, 3, 4, 5, 6, 14),
        )  # fmt: skip
    return zeilen


def ganzer_haushalt(produkte: int, falsch: dict[int, tuple[str, int]] | None = None, saat: int = 2026) -> str:
    """The whole budget as Münster's CSV export: comma, CRLF, German numbers with a trailing minus."""
    return "".join(_csv(r) + "\r\n" for r in reihen(produkte, falsch, saat))


def als_xlsx(ziel: Path, produkte: int, falsch: dict[int, tuple[str, int]] | None = None, saat: int = 2026) -> Path:
    """The same on one sheet of an xlsx: numbers as number cells (negative with their sign), years as numbers."""
    mappe = openpyxl.Workbook(write_only=True)
    blatt = mappe.create_sheet("Haushaltsplan")
    for reihe in reihen(produkte, falsch, saat):
        blatt.append([int(w) if isinstance(w, str) and w.isdigit() and len(w) == 4 else w for w in reihe])
    mappe.save(ziel)
    return ziel


LANG_KOPF = "ebene,code,synthetisch,zeile,zeile_kanonisch,zeile_name,operator,ist_summe,jahr,wertart,betrag,pdf_seite"
WERTARTEN = {
    "Ergebnis(€)": "ergebnis",
    "Haushaltsansatz(€)": "ansatz",
    "Verpfl.-Erm.(€)": "ve",
    "Planung(€)": "planung",
}


def als_lang(produkte: int, falsch: dict[int, tuple[str, int]] | None = None, saat: int = 2026) -> str:
    """The same in Ostbevern's long format: one line per value (a plan's Teilfinanzplan as ebene "TFP")."""
    zeilen = [LANG_KOPF]
    kopf: list[Zelle] = []
    jahre: list[Zelle] = []
    ebene = code = ""
    for reihe in reihen(produkte, falsch, saat):
        nummer, bezeichnung, *werte = reihe
        if isinstance(nummer, str) and nummer.startswith("Teil"):
            ebene = "TEP" if nummer.startswith("Teilergebnis") else "TFP"
            code = nummer.split()[2]
            kopf, gruppe = [], ""
            for k in werte:
                gruppe = k or gruppe
                kopf.append(WERTARTEN[str(gruppe)])
            continue
        if nummer == "":
            jahre = werte
            continue
        marke, name = str(bezeichnung).split(" ", 1)
        for art, jahr, wert in zip(kopf, jahre, werte, strict=True):
            if wert is not None:
                summe = "true" if marke == "=" else "false"
                zeilen.append(
                    f'{ebene},{code},false,{int(str(nummer))},,"{name}",{marke},{summe},{jahr},{art},{wert},1'
                )
    return "\n".join(zeilen) + "\n"


class _Gekuerzt:
    """A scheme up to row ``zeilen``: its sums that stay within."""

    def __init__(self, schema, zeilen: int) -> None:
        self.zeilen, self.bezeichnungen, self.aufwand = zeilen, schema.bezeichnungen, set(schema.aufwand)
        self.summen = [s for s in schema.summen if s.zeile <= zeilen]


def _gekuerzt(schema, zeilen: int) -> _Gekuerzt:
    return _Gekuerzt(schema, zeilen)


def schreiben(ordner: Path, form: str, produkte: int, falsch: dict[int, tuple[str, int]] | None = None) -> Path:
    """The whole budget as a file in ``ordner``: ``form`` "csv" (Münster's export), "xlsx" or "lang" (long format)."""
    if form == "xlsx":
        return als_xlsx(ordner / "haushaltsplan.xlsx", produkte, falsch)
    ziel = ordner / f"haushaltsplan_{form}.csv"
    text = als_lang(produkte, falsch) if form == "lang" else ganzer_haushalt(produkte, falsch)
    ziel.write_text(text, encoding="utf-8", newline="")
    return ziel
