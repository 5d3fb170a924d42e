"""The ribbon and task-pane scripts: "Vorlage prüfen", "Neue Vorlage", "Beispiel laden".

Each script takes the workbook as ``xw.Book``. Under xlwings Server it is the book the task pane sent (its
changes travel back as actions the task pane applies); under classic xlwings it is the open workbook itself
(``RunPython`` from the VBA module in ``macros/`` calls :func:`klassisch`). Where the two differ — reading the
workbook for a check, inserting a form — the script says so in one branch; everything else is xlwings' common API.
"""

from __future__ import annotations

import base64
import io
import re
import tempfile
from decimal import Decimal
from functools import lru_cache, partial
from pathlib import Path

from pyxl.excel import xw
from pyxl.excel.arbeitsmappe import formular_in, mappe_aus_json
from pyxl.templates import Formular, formulare
from pyxl.templates.beispiele import BEISPIELE
from pyxl.templates.builder import baue, metadaten
from pyxl.validators.ausgabe.markieren import (
    BREITEN,
    FARBE,
    GEFAEHRLICH,
    KOPF,
    UMBRECHEN,
    befundtext,
    berichtszeile,
    blattkopf,
    zellbezug,
)
from pyxl.validators.ausgabe.text import sichtbar
from pyxl.validators.befund import Bericht, Schwere
from pyxl.validators.grenzen import Grenzen
from pyxl.validators.pruefen import pruefe_bytes, pruefe_datei, pruefe_dateien, pruefe_mappe
from pyxl.validators.vorgaben import VorgabenFehler, vorgaben_der_installation

BERICHTSBLATT = "Prüfbericht"
# Custom actions of pyxl's task pane (macros/pyxl-addin.js), beside xlwings' own (setValues, addSheet, …)
AKTION_BLAETTER = "pyxlInsertWorksheets"  # Office.js workbook.insertWorksheetsFromBase64
AKTION_NAMEN = "pyxlAddNames"  # defined names of the form that the inserted sheets need
AKTION_EIGENSCHAFTEN = "pyxlSetProperties"  # custom document properties: the form id for the validator
AKTION_DRUCKBILD = "pyxlDruckbild"  # widths, wrapped text and page layout of the sheet "Prüfbericht"
# The LibreOffice extension (pyxl/libreoffice/) sends the open document itself as .xlsx ("pyxl_datei", base64) and
# asks for the findings as cell notes ("pyxl_notizen"), which it applies itself
AKTION_NOTIZEN = "pyxlNotizen"
NOTIZ = "pyxl-Prüfung"  # the first words of such a note: the extension removes only notes that begin so
EINZELZELLE = re.compile(r"[A-Z]{1,3}[1-9][0-9]{0,6}")  # one cell as a report names it (H36)


def _im_addin(book: xw.Book) -> bool:
    """xlwings Server: the book is the task pane's JSON (``book.api`` is that dict); classic: a COM workbook."""
    return isinstance(book.api, dict)


def _eigenschaften(book: xw.Book) -> dict[str, str]:
    if _im_addin(book):
        return {k: str(v) for k, v in (book.api.get("properties") or {}).items()}
    return {p.Name: str(p.Value) for p in book.api.CustomDocumentProperties}  # pragma: no cover - Windows only


def _text(wert: object) -> object:
    """A cell value for the report: text that looks like a formula stays text (CSV/formula injection, CWE-1236)."""
    if wert is None:
        return ""
    if isinstance(wert, str):
        wert = sichtbar(wert)  # a file name or a cell may bring control characters
        if wert.startswith(GEFAEHRLICH):
            return "'" + wert
    return wert


# -- Vorlage prüfen


@xw.script
def vorlage_pruefen(book: xw.Book) -> None:
    """Vorlage prüfen: check the open workbook, write the sheet "Prüfbericht" with links, mark the cells."""
    try:  # the county's Anlage 1 (pyxl serve --anlage1), as pyxl pruefen --anlage1 takes it
        vorgaben = vorgaben_der_installation()
    except VorgabenFehler as fehler:
        raise xw.XlwingsError(str(fehler)) from None
    if _im_addin(book) and book.api.get("pyxl_datei") is not None:
        bericht = _pruefe_gesendete_datei(book, vorgaben)
    elif _im_addin(book):
        bericht = pruefe_mappe(mappe_aus_json(book.api), book.name, vorgaben=vorgaben)
    else:  # pragma: no cover - Windows only: the full check of a saved copy (gate included)
        bericht = _pruefe_kopie(book, vorgaben)
    schreibe_bericht(book, bericht)


def _pruefe_gesendete_datei(book: xw.Book, vorgaben: dict[str, object]) -> Bericht:
    """The full check (gate included) of the document the LibreOffice extension sent as .xlsx — its open state,
    as classic Excel checks a saved copy."""
    try:
        daten = base64.b64decode(book.api["pyxl_datei"], validate=True)
    except (TypeError, ValueError):
        text = "Arbeitsmappe nicht lesbar: „pyxl_datei“ ist kein Base64-Text einer .xlsx-Datei"
        raise xw.XlwingsError(text) from None
    name = book.api["book"].get("name")
    if not isinstance(name, str):
        raise xw.XlwingsError(f"Arbeitsmappe nicht lesbar: „book.name“ = {str(name)[:40]} ist kein Dateiname")
    grenzen = Grenzen()
    if len(daten) > grenzen.dateigroesse:  # not even written to disk
        return pruefe_bytes(daten, Path(name), grenzen)
    # as every submitted file: in a worker process with its memory and time capped (pyxl.validators.pruefen), so a
    # hostile document costs its own worker, never the server; a fork server, as this server runs threads
    with tempfile.TemporaryDirectory(prefix="pyxl-lo-pruefen-") as ordner:
        pfad = Path(ordner) / "Arbeitsmappe.xlsx"
        pfad.write_bytes(daten)
        pruefung = partial(pruefe_datei, vorgaben=vorgaben)
        (bericht,) = pruefe_dateien([pfad], grenzen=grenzen, pruefung=pruefung, start="forkserver")
    bericht.datei = name
    return bericht


def _pruefe_kopie(book: xw.Book, vorgaben: dict[str, object]) -> Bericht:  # pragma: no cover - Windows only
    with tempfile.TemporaryDirectory(prefix="pyxl-pruefen-") as ordner:
        kopie = Path(ordner) / "Arbeitsmappe.xlsx"
        book.api.SaveCopyAs(str(kopie))  # the open state, unsaved edits included; the book itself is not saved
        bericht = pruefe_datei(kopie, vorgaben=vorgaben)
    bericht.datei = book.name
    return bericht


def schreibe_bericht(book: xw.Book, bericht: Bericht) -> None:
    """The sheet "Prüfbericht" (text first, so no meaning rests on colour) and a fill on every named cell.

    Its rows are those of the annotated copy's sheet (:func:`~pyxl.validators.ausgabe.markieren.blattkopf`: the
    record of the check, then the findings), and it prints the same way: A4 landscape, one page wide."""
    blaetter = [blatt.name for blatt in book.sheets]
    frueher: list[tuple[str, str]] = []
    if BERICHTSBLATT in blaetter:
        blatt = book.sheets[BERICHTSBLATT]
        frueher = _fruehere_markierungen_entfernen(book, blatt, blaetter, bericht.formular)
        blatt.clear()
    else:
        blatt = book.sheets.add(BERICHTSBLATT, after=book.sheets[len(blaetter) - 1])
    kopf = blattkopf(bericht, im_excel=bericht.sha256 is None)  # classic Excel checks a saved copy: it has bytes
    kopfzeile = len(kopf) + 1
    zeilen = [*kopf, list(KOPF), *(berichtszeile(b) for b in bericht.befunde)]
    blatt["A1"].value = [[_text(w) for w in z] + [""] * (len(KOPF) - len(z)) for z in zeilen]
    blatt["A1"].font.bold = True
    vermerk_zeilen = [nr for nr, z in enumerate(kopf, 1) if len(z) == 2]
    blatt[f"A{vermerk_zeilen[0]}:A{vermerk_zeilen[-1]}"].font.bold = True
    blatt[f"A{kopfzeile}:H{kopfzeile}"].font.bold = True
    for zeile, befund in enumerate(bericht.befunde, kopfzeile + 1):
        if zellbezug(befund, blaetter):
            blatt[f"C{zeile}"].add_hyperlink(
                f"#'{befund.blatt}'!{befund.zelle}", befund.zelle, f"Zur Zelle {befund.blatt}!{befund.zelle}"
            )
    # the most severe finding of a cell decides its fill: paint the milder ones first
    for schwere in (Schwere.HINWEIS, Schwere.WARNUNG, Schwere.FEHLER):
        for befund in bericht.befunde:
            if befund.schwere is schwere and zellbezug(befund, blaetter):
                book.sheets[befund.blatt][befund.zelle].color = f"#{FARBE[schwere]}"
    if _im_addin(book) and book.api.get("pyxl_notizen") is True:
        _notizen(book, bericht, blaetter, frueher)
    _druckbild(book, blatt, kopfzeile, len(bericht.befunde))
    blatt.activate()


def _notizen(book: xw.Book, bericht: Bericht, blaetter: list[str], frueher: list[tuple[str, str]]) -> None:
    """The findings as notes at their cells, as in the marked copy (one note per cell, the findings one below the
    other), and the cells of the earlier report whose pyxl notes are to go."""
    texte: dict[tuple[str, str], list[str]] = {}
    for befund in bericht.befunde:
        if zellbezug(befund, blaetter):
            texte.setdefault((befund.blatt, befund.zelle), []).append(befundtext(befund))
    neu = [[name, zelle, f"{NOTIZ} – " + "\n\n".join(teile)] for (name, zelle), teile in texte.items()]
    book.impl.append_json_action(func=AKTION_NOTIZEN, args=[[list(z) for z in frueher], neu])


def _fruehere_markierungen_entfernen(
    book: xw.Book, blatt, blaetter: list[str], kennung: str | None
) -> list[tuple[str, str]]:
    """The fills an earlier "Vorlage prüfen" put on the cells its report names go back to the form's own (an input
    cell's pale yellow, none for a formula), so a corrected cell no longer looks faulty. Only cells that report
    names are touched; anything else the clerk coloured stays. Returns those cells."""
    zurueckgesetzt = []
    for name, zelle in fruehere_befundzellen(blatt.used_range.value):
        if name in blaetter and EINZELZELLE.fullmatch(zelle):  # the clerk may have typed a range or a word there
            book.sheets[name][zelle].color = vorlagenfuellung(kennung, name, zelle)
            zurueckgesetzt.append((name, zelle))
    return zurueckgesetzt


def fruehere_befundzellen(werte: object) -> list[tuple[str, str]]:
    """(sheet, cell) of each finding in an earlier report sheet's values (rows below its header row)."""
    zeilen = [z if isinstance(z, list) else [z] for z in werte] if isinstance(werte, list) else []
    kopf = next((i for i, z in enumerate(zeilen) if [str(w) for w in z[: len(KOPF)]] == list(KOPF)), None)
    if kopf is None:
        return []
    gefunden = []
    for zeile in zeilen[kopf + 1 :]:
        name, zelle = [*zeile, None, None][1:3]
        if isinstance(name, str) and isinstance(zelle, str) and name and zelle:
            gefunden.append((name, zelle))
    return list(dict.fromkeys(gefunden))


@lru_cache(maxsize=16)
def _vorlage(kennung: str):
    formular = formulare().get(kennung)
    return baue(formular) if formular else None


def vorlagenfuellung(kennung: str | None, blatt: str, zelle: str) -> str | None:
    """The fill the form gives ``blatt!zelle`` (``#FFF8DC`` for an input cell), ``None`` for none."""
    mappe = _vorlage(kennung) if kennung else None
    if mappe is None or blatt not in mappe.sheetnames:
        return None
    try:
        fuellung = mappe[blatt][zelle].fill
    except (ValueError, KeyError):
        return None
    farbe = fuellung.fgColor.rgb if fuellung is not None and fuellung.fill_type == "solid" else None
    return f"#{farbe[-6:]}" if isinstance(farbe, str) else None


def _druckbild(book: xw.Book, blatt, kopfzeile: int, befunde: int) -> None:
    """Column widths, wrapped text and the print setup of the copy's sheet (:data:`BREITEN`, :data:`UMBRECHEN`):
    A4 landscape, one page wide, the findings' header row on every page, grid lines printed."""
    umbrechen = [i for i, name in enumerate(KOPF) if name in UMBRECHEN]
    if _im_addin(book):  # xlwings Server has no page setup: pyxl's task pane applies it (ExcelApi 1.9)
        blatt.impl.append_json_action(func=AKTION_DRUCKBILD, args=[kopfzeile, list(BREITEN), umbrechen, befunde + 1])
        return
    _druckbild_klassisch(blatt, kopfzeile, umbrechen, befunde)


def _druckbild_klassisch(blatt, kopfzeile: int, umbrechen: list[int], befunde: int) -> None:  # pragma: no cover
    """The same through COM (Windows only): widths in characters, as in the copy."""
    for spalte, breite in enumerate(BREITEN, 1):
        blatt.api.Columns(spalte).ColumnWidth = breite
    for spalte in umbrechen:
        blatt.range((kopfzeile, spalte + 1), (kopfzeile + befunde, spalte + 1)).api.WrapText = True
    seite = blatt.api.PageSetup
    seite.Orientation, seite.PaperSize = 2, 9  # xlLandscape, xlPaperA4
    seite.Zoom, seite.FitToPagesWide, seite.FitToPagesTall = False, 1, False  # one page wide, as many down
    seite.PrintTitleRows, seite.PrintGridlines = f"${kopfzeile}:${kopfzeile}", True


# -- Neue Vorlage


def _formular(kennung: str) -> Formular:
    alle = formulare()
    gefunden = alle.get(kennung.strip().upper())
    if gefunden is None:
        raise xw.XlwingsError(
            f"Formular = „{kennung}“: unbekannt – verfügbar: {', '.join(alle)} (Vorlagen in xlsx_templates/)"
        )
    return gefunden


@xw.script
def neue_vorlage(book: xw.Book, kennung: str = "") -> None:
    """Neue Vorlage: insert the form ``kennung`` (sheets, formulas, names, protection) into the open workbook."""
    formular = _formular(kennung)
    vorhanden = {blatt.name for blatt in book.sheets} & {b.name for b in formular.blaetter}
    if vorhanden:
        raise xw.XlwingsError(
            f"Blatt „{sorted(vorhanden)[0]}“ ist schon vorhanden: eine Vorlage je Arbeitsmappe – "
            "bitte eine neue, leere Arbeitsmappe öffnen"
        )
    mappe = baue(formular)
    eigenschaften = [teil for paar in metadaten(formular) for teil in paar]  # name, value, name, value …
    if _im_addin(book):
        puffer = io.BytesIO()
        mappe.save(puffer)
        book.impl.append_json_action(func=AKTION_BLAETTER, args=[base64.b64encode(puffer.getvalue()).decode("ascii")])
        namen = [[n, d.attr_text, bool(d.hidden)] for n, d in mappe.defined_names.items()]
        book.impl.append_json_action(func=AKTION_NAMEN, args=namen)
        book.impl.append_json_action(func=AKTION_EIGENSCHAFTEN, args=eigenschaften)
    else:  # pragma: no cover - Windows only
        _vorlage_klassisch(book, mappe, eigenschaften)


def _vorlage_klassisch(book: xw.Book, mappe, eigenschaften: list[str]) -> None:  # pragma: no cover - Windows only
    with tempfile.TemporaryDirectory(prefix="pyxl-vorlage-") as ordner:
        datei = Path(ordner) / "Vorlage.xlsx"
        mappe.save(datei)
        quelle = book.app.books.open(str(datei))
        try:
            for blatt in reversed(quelle.sheets):  # Copy brings the sheet's names, formats and protection along
                blatt.api.Copy(After=book.sheets[-1].api)
        finally:
            quelle.close()
    for name, wert in zip(eigenschaften[::2], eigenschaften[1::2], strict=True):
        book.api.CustomDocumentProperties.Add(Name=name, LinkToContent=False, Type=4, Value=wert)


# -- Beispiel laden


@xw.script
def beispiel_laden(book: xw.Book) -> None:
    """Beispiel laden: fill the form in the open workbook with its worked example (inputs only, by key)."""
    formular = formular_in(_eigenschaften(book), [blatt.name for blatt in book.sheets])
    if formular is None:
        raise xw.XlwingsError("Keine pyxl-Vorlage in dieser Arbeitsmappe gefunden – zuerst „Neue Vorlage“ einfügen")
    mitgeliefert = formulare()[formular.kennung]
    if [r.pruefsumme for r in formular.regelwerke] != [r.pruefsumme for r in mitgeliefert.regelwerke]:
        eigene = ", ".join(r.ausgabe.name for r in formular.regelwerke)
        raise xw.XlwingsError(
            f"Formular {formular.kennung} nach {eigene}: Rechenbeispiele gibt es nur für die mitgelieferten Regeln "
            f"({', '.join(r.ausgabe.name for r in mitgeliefert.regelwerke)})"
        )
    richtig = (b for b in BEISPIELE if b.kennung == formular.kennung and not (b.fehler or b.ueberschreiben))
    beispiel = next(richtig, None)
    if beispiel is None:
        raise xw.XlwingsError(f"Formular {formular.kennung}: kein Rechenbeispiel hinterlegt")
    # the form id survives a renamed or deleted sheet: say which one, rather than fail inside xlwings
    fehlend = [b.name for b in formular.blaetter if b.name not in {blatt.name for blatt in book.sheets}]
    if fehlend:
        raise xw.XlwingsError(
            f"Formular {formular.kennung}: Blatt „{fehlend[0]}“ fehlt in dieser Arbeitsmappe – "
            "bitte eine neue Vorlage einfügen"
        )
    for schluessel, wert in beispiel.eingaben.items():
        feld = formular.feld(schluessel)
        book.sheets[feld.blatt][feld.zelle].value = float(wert) if isinstance(wert, Decimal) else wert
    book.sheets[formular.blaetter[0].name].activate()


# -- classic xlwings (Windows): RunPython from macros/pyxl.bas


def klassisch(name: str, *argumente: str) -> None:  # pragma: no cover - Windows only
    """Run a script on the calling workbook; errors appear as Excel's message box with the German text."""
    skript = {"vorlage_pruefen": vorlage_pruefen, "neue_vorlage": neue_vorlage, "beispiel_laden": beispiel_laden}
    skript[name](xw.Book.caller(), *argumente)


__all__ = ["beispiel_laden", "neue_vorlage", "vorlage_pruefen"]
