"""`pyxl demo`: an Anlage 3b/4 mini case computed with the registered Excel functions, shown as a table.

The README's first command runs this until the validator can check the bundled example workbooks.
"""

from __future__ import annotations

import tomllib
from decimal import Decimal
from importlib import resources

from rich.console import Console
from rich.table import Table

from pyxl import parameter
from pyxl.functions import funktion
from pyxl.functions.zahlen import deutsch
from pyxl.parameter import RZWasParameter


def _rechne(tabelle: Table, r: RZWasParameter, text: str, name: str, *argumente: object) -> Decimal:
    eintrag = funktion(name)
    ergebnis = eintrag.auswerten([str(a) for a in argumente], regelwerke={"rzwas": r})
    texte = [deutsch(a, tausender=False) if isinstance(a, Decimal | int) else f'"{a}"' for a in argumente]
    tabelle.add_row(
        text,
        f"={eintrag.name}({'; '.join(texte)})",
        _betrag(ergebnis.wert, eintrag.text("einheit", (r,))),
        _kurz(r, eintrag.text("regel", (r,))),
    )
    return ergebnis.wert


def _betrag(wert: Decimal, einheit: str) -> str:
    return f"{deutsch(wert)} {einheit.split(' bzw. ')[-1]}"


def _kurz(r: RZWasParameter, regel: str) -> str:
    """The caption names the RZWas edition once; the Abwasser example cites the Anl. 2b clause."""
    teile = [t for t in regel.removeprefix(f"{r.meta.kurz} ").split(", ") if "2a" not in t]
    return ", ".join(teile)


def zeige_demo(console: Console | None = None, *, regeln: RZWasParameter | None = None) -> dict[str, Decimal]:
    """Compute and print the example with the edition ``regeln`` (default: the one in force today); returns the key
    results (for tests and the README)."""
    r = regeln or parameter.rzwas()
    daten = tomllib.loads(resources.files("pyxl.beispiele").joinpath("rzwas_demo.toml").read_text("utf-8"))
    tabelle = Table(title=daten["titel"], caption=f"Beträge kaufmännisch auf Cent gerundet; Regeln: {r.meta.kurz}")
    tabelle.add_column("Schritt", ratio=2)
    tabelle.add_column("Excel-Formel", ratio=3, overflow="fold")
    tabelle.add_column("Ergebnis", justify="right", no_wrap=True)
    tabelle.add_column("Regel", ratio=2)

    krw_ka = _rechne(tabelle, r, "KRW Kläranlage", "RZW_KRW_KLAERANLAGE", daten["klaeranlage_ew"])
    kp_ka = _rechne(tabelle, r, "KP Kläranlage", "RZW_KOSTENPAUSCHALE", krw_ka, daten["klaeranlage_ew"])
    krw_vl = _rechne(tabelle, r, "KRW Freispiegelleitung", "RZW_KRW_FREISPIEGELLEITUNG", daten["leitung_dn"])
    kp_vl = _rechne(tabelle, r, "KP Freispiegelleitung", "RZW_KOSTENPAUSCHALE", krw_vl, daten["leitung_m"])
    krw_pw = _rechne(tabelle, r, "KRW Pumpstation", "RZW_KRW_PUMPSTATION", daten["pumpstation_ls"])
    kp_pw = _rechne(tabelle, r, "KP Pumpstation", "RZW_KOSTENPAUSCHALE", krw_pw, daten["pumpstation_menge"])
    summe_kp = kp_ka + kp_vl + kp_pw
    tabelle.add_row("Summe der Kostenpauschalen", "=SUMME(KP)", _betrag(summe_kp, "€"), r.anl2b.ingenieurzuschlag.ref)
    zuschlag = _rechne(
        tabelle, r, "Ingenieur-Zuschlag", "RZW_INGENIEURZUSCHLAG", summe_kp, daten["weitere_bueros"], "abwasser"
    )
    zwf = summe_kp + zuschlag
    tabelle.add_row("zuwendungsfähige Kosten", "=Summe KP + Zuschlag", _betrag(zwf, "€"), "Anlage 3b")
    anteile = daten["einwohner"] + daten["einwohnergleichwerte"]
    ak = _rechne(tabelle, r, "Ausbaukosten AK", "RZW_AUSBAUKOSTEN", daten["investitionskosten"], anteile)
    zh = _rechne(tabelle, r, "Zuwendungssatz ZH", "RZW_ZUWENDUNGSSATZ", ak, daten["vertrauensschutz"])
    zuwendung = _rechne(tabelle, r, "Zuwendung", "RZW_ZUWENDUNG", zwf, ak, daten["vertrauensschutz"])

    (console or Console()).print(tabelle)
    return {"summe_kp": summe_kp, "zuschlag": zuschlag, "zwf": zwf, "ak": ak, "zh": zh, "zuwendung": zuwendung}
