"""An annotated copy of a submission: findings as cell comments and fills, plus a sheet "Prüfbericht".

The submitted file is only read, and the copy never replaces anything (see :mod:`.schreiben`). Text that came
from the submission and starts with = + - @ is written as text, never as a live formula (CSV/formula injection,
CWE-1236).
"""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.properties import PageSetupProperties

from pyxl import pruefregeln
from pyxl.validators.ausgabe.formel import anzeige as formel_anzeige
from pyxl.validators.ausgabe.schreiben import kandidaten, neue_datei
from pyxl.validators.ausgabe.text import sichtbar
from pyxl.validators.ausgabe.vermerk import vermerk
from pyxl.validators.befund import Befund, Bericht, Schwere, Status

FARBE = {Schwere.FEHLER: "F4CCCC", Schwere.WARNUNG: "FCE5CD", Schwere.HINWEIS: "CFE2F3"}
FUELLUNG = {schwere: PatternFill("solid", fgColor=farbe) for schwere, farbe in FARBE.items()}
KOPF = ("Schwere", "Blatt", "Zelle", "Meldung", "Erwartet", "Gefunden", "Regel", "Fundstelle")
# landscape A4 fit to the page width: about 200 characters; the message and the values wrap, place and rule do not
BREITEN = (10, 14, 9, 55, 32, 32, 22, 28)
UMBRUCH = Alignment(wrap_text=True, vertical="top")
OBEN = Alignment(vertical="top")
# A thick border marks a finding without relying on the fill colour.
RAHMEN = Border(*(Side(style="thick", color="000000"),) * 4)
GEFAEHRLICH = ("=", "+", "-", "@", "\t", "\r")


def schreibe_text(zelle, text: str | None) -> None:
    """Write ``text`` as plain text, even if it looks like a formula; control characters shown as escapes
    (a worksheet cannot hold them, and a file name or cell may bring them)."""
    text = sichtbar(text) if isinstance(text, str) else text
    zelle.value = text
    if isinstance(text, str) and text.startswith(GEFAEHRLICH):
        zelle.data_type = "s"
        zelle.quotePrefix = True


def befundtext(befund: Befund) -> str:
    """A finding as the note on its cell: severity, message, expected, found, clause."""
    text = f"{befund.schwere.deutsch}: {sichtbar(befund.meldung)}"
    if befund.erwartet:
        text += f"\nErwartet: {sichtbar(formel_anzeige(befund.regel, befund.erwartet))}"
    if befund.gefunden:
        text += f"\nGefunden: {sichtbar(formel_anzeige(befund.regel, befund.gefunden))}"
    if befund.fundstelle:
        text += f"\n({sichtbar(befund.fundstelle)})"
    return text


def berichtskopf(bericht: Bericht) -> str:
    return (
        f"Datei: {Path(bericht.datei).name} – Formular {bericht.formular or 'unbekannt'} "
        f"(Version {bericht.version or '–'})"
    )


def berichtszeile(befund: Befund) -> list[str | None]:
    """One row of the sheet "Prüfbericht", in the order of :data:`KOPF`."""
    return [
        befund.schwere.deutsch,
        befund.blatt,
        befund.zelle,
        befund.meldung,
        formel_anzeige(befund.regel, befund.erwartet),  # a formula as German Excel shows it; JSON keeps English
        formel_anzeige(befund.regel, befund.gefunden),
        befund.regel,
        befund.fundstelle,
    ]


def zellbezug(befund: Befund, blaetter: list[str]) -> bool:
    """Whether a finding names one cell of a sheet that exists (not "B7 (Zeile gelöscht)", not a whole sheet)."""
    return bool(befund.blatt in blaetter and befund.zelle and " " not in befund.zelle)


def markierte_kopie(daten: bytes, pfad: Path, bericht: Bericht, ordner: Path) -> Path:
    """The copy of ``daten`` (the checked bytes of ``pfad``) with the findings marked, written into ``ordner``.

    The copy is a new file ``<name>_geprueft.xlsx`` or, if that name is taken (by another applicant's copy, by
    the submission itself, by a link), the next free one — :mod:`.schreiben`; a free name is noted in the
    report. Nothing that exists is overwritten."""
    ordner.mkdir(parents=True, exist_ok=True)
    with neue_datei(ordner, kopie_stamm(pfad), ".xlsx") as (ziel, datei):
        inhalt, hinweis = markierte_bytes(daten, pfad, bericht, ziel.name)
        datei.write(inhalt)
    if hinweis:
        bericht.befunde.append(hinweis)
    return ziel


def kopie_stamm(pfad: Path) -> str:
    return f"{pfad.stem}_geprueft"


def markierte_bytes(daten: bytes, pfad: Path, bericht: Bericht, name: str) -> tuple[bytes, Befund | None]:
    """The marked copy's bytes, to be saved as ``name``, and the note for the report if that is not the wished
    name (the copy's own sheet "Prüfbericht" carries the note already). Nothing is written here: a cluster
    worker makes the copy in memory, the client saves it."""
    wunsch = next(kandidaten(kopie_stamm(pfad), ".xlsx"))
    hinweis = None
    if name != wunsch:
        hinweis = pruefregeln.befund(
            "markierte_kopie_umbenannt",
            meldung=f"Markierte Kopie gespeichert als „{name}“ – „{wunsch}“ gab es schon",
        )
    mit_hinweis = bericht.model_copy(update={"befunde": [*bericht.befunde, *([hinweis] if hinweis else [])]})
    wb = _markiert(daten, mit_hinweis)
    puffer = io.BytesIO()  # saved in memory first: the file gets bytes only once they are complete
    wb.save(puffer)
    return puffer.getvalue(), hinweis


def _markiert(daten: bytes, bericht: Bericht) -> openpyxl.Workbook:
    wb = openpyxl.load_workbook(io.BytesIO(daten), keep_links=False, keep_vba=False, rich_text=False)
    for befund in bericht.befunde:
        if not zellbezug(befund, wb.sheetnames):
            continue
        zelle = wb[befund.blatt][befund.zelle]
        vorher = zelle.comment.text + "\n\n" if zelle.comment else ""
        zelle.comment = Comment(vorher + befundtext(befund), "pyxl", width=320, height=140)
        zelle.fill = FUELLUNG[befund.schwere]
        zelle.border = RAHMEN
    _berichtsblatt(wb, bericht)
    return wb


def ergebnis(bericht: Bericht) -> str:
    """``geprüft – 1 Fehler, 0 Warnungen, 2 Hinweise``: the verdict in one line."""
    mehrzahl = {Schwere.FEHLER: "Fehler", Schwere.WARNUNG: "Warnungen", Schwere.HINWEIS: "Hinweise"}
    zaehlung = ", ".join(f"{bericht.anzahl(s)} {s.deutsch if bericht.anzahl(s) == 1 else mehrzahl[s]}" for s in Schwere)
    return f"{'geprüft' if bericht.status is Status.GEPRUEFT else 'nicht prüfbar'} – {zaehlung}"


def blattkopf(bericht: Bericht, im_excel: bool = False) -> list[list[str]]:
    """The rows above the findings of the sheet "Prüfbericht", the same in the annotated copy and in the add-in:
    title, file and form, rule sets, the record of the check (label, value), the verdict, one empty row. The
    findings' header row follows (row ``len(blattkopf(…)) + 1``). ``im_excel``: see :func:`.vermerk.vermerk`."""
    return [
        ["Prüfbericht"],
        [berichtskopf(bericht)],
        [bericht.regeln_text()],
        *([beschriftung, wert] for beschriftung, wert in vermerk(bericht, im_excel)),
        ["Ergebnis", ergebnis(bericht)],
        [],
    ]


def _berichtsblatt(wb: openpyxl.Workbook, bericht: Bericht) -> None:
    if "Prüfbericht" in wb.sheetnames:
        del wb["Prüfbericht"]
    ws = wb.create_sheet("Prüfbericht", 0)
    kopf = blattkopf(bericht)
    for zeile, werte in enumerate(kopf, 1):
        for spalte, wert in enumerate(werte, 1):
            schreibe_text(ws.cell(zeile, spalte), wert)
        if len(werte) == 2:  # record rows: the label bold
            ws.cell(zeile, 1).font = Font(bold=True)
    ws["A1"].font = Font(bold=True, size=14)
    kopfzeile = len(kopf) + 1
    for spalte, text in enumerate(KOPF, 1):
        zelle = ws.cell(kopfzeile, spalte, text)
        zelle.font, zelle.alignment = Font(bold=True), UMBRUCH
    for zeile, befund in enumerate(bericht.befunde, kopfzeile + 1):
        for spalte, wert in enumerate(berichtszeile(befund), 1):
            zelle = ws.cell(zeile, spalte)
            schreibe_text(zelle, wert)
            zelle.alignment = UMBRUCH if KOPF[spalte - 1] in UMBRECHEN else OBEN
        if zellbezug(befund, wb.sheetnames):
            ws.cell(zeile, 3).hyperlink = f"#'{befund.blatt}'!{befund.zelle}"
    for spalte, breite in zip("ABCDEFGH", BREITEN, strict=True):
        ws.column_dimensions[spalte].width = breite
    ws.freeze_panes = f"A{kopfzeile + 1}"
    _druck(ws, kopfzeile)


# columns whose text may run long; place, cell and rule stay on one line (a reference is never broken)
UMBRECHEN = frozenset({"Blatt", "Meldung", "Erwartet", "Gefunden", "Fundstelle"})


def _druck(ws, kopfzeile: int) -> None:
    """Print setup: A4 landscape, all columns on one page width (as many pages down as needed), the header row
    on every page — two findings no longer spread over four portrait pages."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_title_rows = f"{kopfzeile}:{kopfzeile}"
    ws.print_options.gridLines = True  # the findings' cells framed on paper too
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
