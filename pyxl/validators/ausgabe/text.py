"""The report as German terminal text (rich), readable without colour: severity is a word, not a hue."""

from __future__ import annotations

import re
from collections.abc import Iterator

from rich.console import Console
from rich.text import Text

from pyxl.functions.spur import zeilen as spur_zeilen
from pyxl.validators.ausgabe.formel import anzeige as formel_anzeige
from pyxl.validators.ausgabe.vermerk import vermerk
from pyxl.validators.befund import Befund, Bericht, Schwere, Status, Teil

FARBE = {Schwere.FEHLER: "red", Schwere.WARNUNG: "yellow", Schwere.HINWEIS: "cyan"}

# Control characters (C0, DEL, C1) and bidi/line controls: from a file name or a cell they could clear the
# screen, plant a terminal hyperlink, overwrite a line or reverse the text shown. rich passes ESC through.
# Lone surrogates (undecodable bytes of a file name) could not even be printed.
STEUERZEICHEN = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def sichtbar(text: str) -> str:
    """``text`` with every control character shown as an escape (``\\x1b``, ``\\u202e``), never sent raw."""
    return STEUERZEICHEN.sub(lambda m: _maskiert(m.group()), text)


def _maskiert(zeichen: str) -> str:
    nummer = ord(zeichen)
    return f"\\x{nummer:02x}" if nummer < 0x100 else f"\\u{nummer:04x}"


PLURAL = {Schwere.FEHLER: "Fehler", Schwere.WARNUNG: "Warnungen", Schwere.HINWEIS: "Hinweise"}


def zusammenfassung(bericht: Bericht) -> str:
    if bericht.status is Status.NICHT_PRUEFBAR:
        return "nicht prüfbar"
    return anzahlen({s: bericht.anzahl(s) for s in Schwere})


def anzahlen(anzahl: dict[Schwere, int]) -> str:
    return ", ".join(f"{n} {s.deutsch if n == 1 else PLURAL[s]}" for s in Schwere for n in [anzahl.get(s, 0)])


def uebersicht(bericht: Bericht) -> str:
    """The overview's heading: how many tables, how many of them with errors and with warnings."""
    tabellen = len(bericht.teile)
    fehler = sum(1 for t in bericht.teile if t.anzahl.get(Schwere.FEHLER))
    warnungen = sum(1 for t in bericht.teile if t.anzahl.get(Schwere.WARNUNG))
    return (f"Übersicht je Produkt und Plan: {tabellen} Plantabellen, {fehler} davon mit Fehlern, "
            f"{warnungen} mit Warnungen")  # fmt: skip


def teilort(teil: Teil) -> str:
    """Product and plan of an overview row (and its sheet, where the file has sheets)."""
    teile = [f"Produkt {teil.produkt}" if teil.produkt else "ohne Produktnummer", teil.plan]
    if teil.blatt:
        teile.append(f"Blatt {teil.blatt}")
    return " · ".join(t for t in teile if t)


def ort(befund: Befund) -> str:
    """Where a finding is: sheet and cell, or product, plan, row and column of a budget table."""
    teile = [
        getattr(befund, "produkt", None) and f"Produkt {befund.produkt}",
        getattr(befund, "plan", None),
        getattr(befund, "zeile", None) and f"Zeile {befund.zeile} {befund.bezeichnung or ''}".strip(),
        getattr(befund, "spalte", None),
    ]
    if befund.blatt and befund.zelle:
        teile.append(f"{befund.blatt}!{befund.zelle}")
    else:
        teile.extend([befund.zelle, befund.blatt])
    return " · ".join(t for t in teile if t)


def drucke(bericht: Bericht, console: Console, erklaeren: bool = False) -> None:
    """One block per file, one paragraph per finding: fits a narrow terminal and greps well. ``erklaeren``: under
    a finding about a result, the way pyxl's expected value came about (values read, steps, parameters)."""
    for zeile in zeilen(bericht, erklaeren):
        console.print(zeile)


def klartext(bericht: Bericht, erklaeren: bool = False) -> str:
    """The report as :func:`drucke` prints it to a file: no colour, no hard breaks. Joined here, because rich
    would spend more time on a thousand reports than the checks of a batch leave for them."""
    return "".join(f"{zeile.plain}\n" for zeile in zeilen(bericht, erklaeren))


def zeilen(bericht: Bericht, erklaeren: bool = False) -> Iterator[Text]:
    """The report's lines; every text from the file or its name made :func:`sichtbar` (no control character)."""
    kopf = Text(sichtbar(bericht.datei), style="bold")
    kopf.append(sichtbar(f" – {bericht.titel or bericht.formular or 'unbekanntes Formular'}"))
    if bericht.version:
        kopf.append(sichtbar(f" (Version {bericht.version})"))
    yield kopf
    yield Text(f"  Ergebnis: {zusammenfassung(bericht)}")
    if bericht.teile:
        yield Text(f"  {uebersicht(bericht)}")
        for teil in bericht.teile:
            schema = f"Schema {teil.zeilenschema}" if teil.zeilenschema else "Schema nicht erkannt"
            yield Text(sichtbar(f"    {teilort(teil)} · {schema}: {anzahlen(teil.anzahl)}"))
    for befund in bericht.befunde:
        stelle = ort(befund)
        zeile = Text("  ")
        zeile.append(f"{befund.schwere.deutsch}:", style=f"bold {FARBE[befund.schwere]}")
        zeile.append(sichtbar(f" {stelle + ' – ' if stelle else ''}{befund.meldung} [{befund.regel}]"))
        yield zeile
        for beschriftung, wert in (
            ("erwartet", formel_anzeige(befund.regel, befund.erwartet)),
            ("gefunden", formel_anzeige(befund.regel, befund.gefunden)),
            ("Regel", befund.fundstelle),
        ):
            if wert:
                yield Text(sichtbar(f"      {beschriftung}: {wert}"))
        if erklaeren and befund.erklaerung:
            for spur in spur_zeilen(befund.erklaerung, einzug="      "):
                yield Text(sichtbar(spur))
    # the record of the check at the end, beside the rule editions: the overview and findings come first
    yield Text("  Prüfvermerk:")
    for beschriftung, wert in vermerk(bericht):
        yield Text(sichtbar(f"    {beschriftung}: {wert}"))
    yield Text(sichtbar(f"  {bericht.regeln_text()}"), style="dim")
    yield Text("")
