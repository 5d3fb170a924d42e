"""An annotated copy of a submission: findings as cell comments and fills, plus a sheet "Prüfbericht".

The submitted file is only read. Text that came from the submission and starts with = + - @ is written as text,
never as a live formula (CSV/formula injection, CWE-1236).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import openpyxl
from openpyxl.comments import Comment
from openpyxl.styles import Border, Font, PatternFill, Side

from pyxl.validators.befund import Bericht, Schwere

FUELLUNG = {
    Schwere.FEHLER: PatternFill("solid", fgColor="F4CCCC"),
    Schwere.WARNUNG: PatternFill("solid", fgColor="FCE5CD"),
    Schwere.HINWEIS: PatternFill("solid", fgColor="CFE2F3"),
}
# A thick border marks a finding without relying on the fill colour.
RAHMEN = Border(*(Side(style="thick", color="000000"),) * 4)
GEFAEHRLICH = ("=", "+", "-", "@", "\t", "\r")


def schreibe_text(zelle, text: str | None) -> None:
    """Write ``text`` as plain text, even if it looks like a formula."""
    zelle.value = text
    if isinstance(text, str) and text.startswith(GEFAEHRLICH):
        zelle.data_type = "s"
        zelle.quotePrefix = True


def ziel_fuer(pfad: Path, ordner: Path) -> Path:
    """``<name>_geprueft.xlsx`` in ``ordner`` — never the submission itself, not even through a link."""
    ziel = ordner / f"{pfad.stem}_geprueft.xlsx"
    if ziel.resolve() == pfad.resolve() or (ziel.exists() and os.path.samefile(ziel, pfad)):
        raise ValueError("Die markierte Kopie darf die eingereichte Datei nicht überschreiben")
    return ziel


def markierte_kopie(pfad: Path, bericht: Bericht, ordner: Path) -> Path:
    ziel = ziel_fuer(pfad, ordner)
    ordner.mkdir(parents=True, exist_ok=True)
    wb = openpyxl.load_workbook(pfad, keep_links=False, keep_vba=False, rich_text=False)
    for befund in bericht.befunde:
        if not (befund.blatt in wb.sheetnames and befund.zelle) or " " in befund.zelle:
            continue
        zelle = wb[befund.blatt][befund.zelle]
        text = f"{befund.schwere.deutsch}: {befund.meldung}"
        if befund.erwartet:
            text += f"\nErwartet: {befund.erwartet}"
        if befund.gefunden:
            text += f"\nGefunden: {befund.gefunden}"
        if befund.fundstelle:
            text += f"\n({befund.fundstelle})"
        vorher = zelle.comment.text + "\n\n" if zelle.comment else ""
        zelle.comment = Comment(vorher + text, "pyxl", width=320, height=140)
        zelle.fill = FUELLUNG[befund.schwere]
        zelle.border = RAHMEN
    _berichtsblatt(wb, bericht)
    # write beside, then rename: a link or a second writer never sees (or truncates) a half-written file
    with tempfile.NamedTemporaryFile(dir=ordner, suffix=".xlsx", delete=False) as tmp:
        wb.save(tmp.name)
    os.replace(tmp.name, ziel)
    return ziel


def _berichtsblatt(wb: openpyxl.Workbook, bericht: Bericht) -> None:
    if "Prüfbericht" in wb.sheetnames:
        del wb["Prüfbericht"]
    ws = wb.create_sheet("Prüfbericht", 0)
    ws["A1"] = "Prüfbericht"
    ws["A1"].font = Font(bold=True, size=14)
    schreibe_text(
        ws["A2"],
        f"Datei: {Path(bericht.datei).name} – Formular {bericht.formular or 'unbekannt'} "
        f"(Version {bericht.version or '–'})",
    )
    kopf = ["Schwere", "Blatt", "Zelle", "Meldung", "Erwartet", "Gefunden", "Regel", "Fundstelle"]
    for spalte, text in enumerate(kopf, 1):
        ws.cell(4, spalte, text).font = Font(bold=True)
    for zeile, befund in enumerate(bericht.befunde, 5):
        werte = [
            befund.schwere.deutsch,
            befund.blatt,
            befund.zelle,
            befund.meldung,
            befund.erwartet,
            befund.gefunden,
            befund.regel,
            befund.fundstelle,
        ]
        for spalte, wert in enumerate(werte, 1):
            schreibe_text(ws.cell(zeile, spalte), wert)
        if befund.blatt in wb.sheetnames and befund.zelle and " " not in befund.zelle:
            ws.cell(zeile, 3).hyperlink = f"#'{befund.blatt}'!{befund.zelle}"
    for spalte, breite in zip("ABCDEFGH", (10, 14, 8, 60, 30, 30, 22, 30), strict=True):
        ws.column_dimensions[spalte].width = breite
    ws.freeze_panes = "A5"
