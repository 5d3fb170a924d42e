"""Plan tables from long (tidy) data: one line per value, as open-data projects publish budgets.

Columns are found by their names (Ostbevern 2026: ``ebene, code, synthetisch, zeile, zeile_kanonisch, zeile_name,
operator, ist_summe, jahr, wertart, betrag, pdf_seite``; other projects name them alike). Required: the row number,
the year and the amount; the value type (ergebnis/ansatz/planung/ve) tells two columns of one year apart; level and
product code make one table per product.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from pyxl.functions.zahlen import Zahlfehler, als_decimal, lies_betrag
from pyxl.haushalt.plaene import Lesebefund, Plantabelle, Planzeile
from pyxl.haushalt.raster import Zeile, _nummer, _text, spaltenname
from pyxl.haushalt.woerter import normal, spaltenart

# column name (normal form) → role; the first name found for a role is taken
NAMEN: dict[str, tuple[str, ...]] = {
    "zeile": ("zeile", "zeilennr", "zeilennummer", "nr", "position", "pos"),
    "jahr": ("jahr", "haushaltsjahr", "hhj"),
    "betrag": ("betrag", "wert", "euro", "eur", "betrageur"),
    "wertart": ("wertart", "art", "spaltenart", "werttyp", "typ"),
    "ebene": ("ebene", "gliederungsebene"),
    "code": ("code", "produkt", "produktnummer", "nummer", "teilplan"),
    "bezeichnung": ("zeilename", "bezeichnung", "zeilenbezeichnung", "name", "position_name"),
    "marke": ("operator", "vorzeichen", "rechenzeichen"),
}
SPALTEN_MAX = 60  # columns (value type × year) of one table: a plan prints about ten
_WERTARTEN = {"ergebnis": "Ergebnis", "ist": "Ergebnis", "ansatz": "Ansatz", "planung": "Plan", "plan": "Plan",
              "ve": "VE", "verpflichtungsermaechtigung": "VE"}  # fmt: skip


def rollen(kopf: Zeile) -> dict[str, int] | None:
    """Which column holds what, if this header row is one of long data."""
    normale = {normal(_text(w)): c for c, w in sorted(kopf.items())}
    gefunden: dict[str, int] = {}
    for rolle, namen in NAMEN.items():
        spalte = next((normale[n] for n in namen if n in normale), None)
        if spalte is not None:
            gefunden[rolle] = spalte
    return gefunden if {"zeile", "jahr", "betrag"} <= gefunden.keys() else None


def lies_lang(
    zeilen: Sequence[Zeile], nummern: Sequence[int], rolle: dict[str, int], blatt: str | None = None
) -> list[Plantabelle]:
    """One table per (level, product), columns per (value type, year) in the order they first appear. ``zeilen``
    start with the header; ``nummern``: each row's number in the file or sheet."""
    tabellen: dict[tuple[str, str], Plantabelle] = {}
    spalten: dict[tuple[str, str], dict[tuple[str, str], int]] = {}
    uebervoll: set[tuple[str, str]] = set()

    def feld(zeile: Zeile, name: str) -> str:
        return _text(zeile.get(rolle[name])) if name in rolle else ""

    for zeile, i in zip(zeilen[1:], nummern[1:], strict=False):
        n = _nummer(zeile.get(rolle["zeile"]))
        if n is None:
            continue
        ebene, code = feld(zeile, "ebene"), feld(zeile, "code")
        schluessel = (ebene, code)
        tabelle = tabellen.get(schluessel)
        if tabelle is None:
            gesamt = ebene.lower().startswith("gesamt") or not (code or ebene)
            produkt = "Gesamt" if gesamt else " ".join(t for t in (ebene, code) if t)
            tabelle = tabellen[schluessel] = Plantabelle("", produkt, "", [], ebene="gesamt" if gesamt else "teil",
                                                         blatt=blatt)  # fmt: skip
            spalten[schluessel] = {}
        wertart = normal(feld(zeile, "wertart"))
        spalte_schluessel = (wertart, feld(zeile, "jahr"))
        eigene = spalten[schluessel]
        if spalte_schluessel not in eigene:
            if len(eigene) >= SPALTEN_MAX:
                if schluessel not in uebervoll:  # said once per table
                    uebervoll.add(schluessel)
                    tabelle.lesebefunde.append(Lesebefund(
                        "zu_viele_spalten", f"Mehr als {SPALTEN_MAX} Spalten (Wertart × Jahr) in einer Tabelle: "
                        "die weiteren Werte werden nicht gelesen", n, None, " ".join(spalte_schluessel)))  # fmt: skip
                continue
            eigene[spalte_schluessel] = len(tabelle.spalten)
            name = " ".join(t for t in (_WERTARTEN.get(wertart, feld(zeile, "wertart")), spalte_schluessel[1]) if t)
            tabelle.spalten.append(name)
            tabelle.arten.append(spaltenart(name))
            for eintrag in tabelle.zeilen.values():
                eintrag.werte.append(None)
                assert eintrag.zellen is not None
                eintrag.zellen.append("")
        k = eigene[spalte_schluessel]
        eintrag = tabelle.zeilen.get(n)
        if eintrag is None:
            marke = feld(zeile, "marke").replace("−", "-")
            eintrag = tabelle.zeilen[n] = Planzeile(
                n, feld(zeile, "bezeichnung"), marke if marke in ("+", "-", "=", "+/-") else "",
                [None] * len(tabelle.spalten), [""] * len(tabelle.spalten),
            )  # fmt: skip
        roh = zeile.get(rolle["betrag"])
        try:
            if isinstance(roh, int | float | Decimal) and not isinstance(roh, bool):
                wert: Decimal | None = als_decimal(roh)
            else:
                wert = lies_betrag(_text(roh))
        except Zahlfehler as fehler:
            tabelle.lesebefunde.append(Lesebefund("zahl_unlesbar", str(fehler), n, k, _text(roh)))
            continue
        assert eintrag.zellen is not None
        if eintrag.werte[k] is not None and wert is not None and eintrag.werte[k] != wert:
            tabelle.lesebefunde.append(
                Lesebefund("zeile_doppelt", f"Zeile {n:02d} zweimal mit verschiedenen Werten", n, k, str(wert))
            )
            continue
        eintrag.werte[k] = wert
        eintrag.zellen[k] = f"{spaltenname(rolle['betrag'])}{i}"
    return [t for t in tabellen.values() if t.zeilen]
