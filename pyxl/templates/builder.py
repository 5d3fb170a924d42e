"""Write a :class:`Formular` as an xlsx workbook (openpyxl): official look, protected formulas, validations."""

from __future__ import annotations

import io
import json
import zipfile
from collections import defaultdict
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Protection
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from pyxl import __version__
from pyxl.templates.druckbild import hoehen_setzen, letzte_spalte
from pyxl.templates.modell import Blatt, Feld, Formular, Pruefung, Rolle
from pyxl.templates.stil import STILE

META_FORMULAR, META_VERSION, META_HASH = "pyxl_formular", "pyxl_formularversion", "pyxl_spec_hash"
# pyxl's own version, as `pyxl --version` prints it and every report names it. Until 2026-12 this key held the form's
# version: a workbook without META_VERSION is from then, and its "pyxl_version" is its form version.
META_PYXL = "pyxl_version"
META_REGELN = "pyxl_regeln"  # the parameter sets the form was built from: JSON, see regeln_json()


def regeln_json(formular: Formular) -> str:
    """``pyxl_regeln``: a JSON list of ``{"family", "key", "hash", "edition"}``, one per parameter set of the form.

    Compact, and the hash before the edition's name: should an office program cut a long property (Office keeps 255
    characters in some places), the first sets' fingerprints survive (:func:`pyxl.validators.regelwerke.lies`)."""
    return json.dumps(
        [{"family": r.familie, "key": r.schluessel, "hash": r.pruefsumme, "edition": r.ausgabe.name}
         for r in formular.regelwerke],
        ensure_ascii=False, separators=(",", ":"),
    )  # fmt: skip


def _datenpruefung(pruefung: Pruefung) -> DataValidation:
    """Excel's data validation for an input, with German prompt and error text from the same Pruefung."""
    angaben: dict[str, object] = {}
    if pruefung.art == "ganzzahl" or pruefung.art == "dezimal":
        angaben["type"] = "whole" if pruefung.art == "ganzzahl" else "decimal"
        untere = str(pruefung.minimum if pruefung.minimum is not None else 0)
        if pruefung.maximum is not None:
            angaben |= {"operator": "between", "formula1": untere, "formula2": str(pruefung.maximum)}
        else:
            operator = "greaterThan" if pruefung.minimum_ausgeschlossen else "greaterThanOrEqual"
            angaben |= {"operator": operator, "formula1": untere}
    elif pruefung.art == "liste":
        angaben |= {"type": "list", "formula1": '"' + ",".join(pruefung.liste) + '"'}
    elif pruefung.art == "datum":  # any real date (serial 1 = 01.01.1900)
        angaben |= {"type": "date", "operator": "greaterThanOrEqual", "formula1": "1"}
    return DataValidation(
        **angaben,
        allow_blank=True,
        showInputMessage=True,
        showErrorMessage=pruefung.art != "text",
        promptTitle="Eingabe",
        prompt=pruefung.hinweis[:255],
        errorTitle="Ungültige Eingabe",
        error=f"Nicht zulässig. {pruefung.hinweis}"[:225],
    )


def _blatt_einrichten(ws: Worksheet, blatt: Blatt, formular: Formular) -> None:
    for spalte, breite in blatt.spaltenbreiten.items():
        ws.column_dimensions[spalte].width = breite
    ws.sheet_view.showGridLines = False
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if blatt.querformat else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top, ws.page_margins.bottom = 0.6, 0.8
    if blatt.druck_titelzeilen:
        ws.print_title_rows = blatt.druck_titelzeilen
    if blatt.druckbereich:
        ws.print_area = blatt.druckbereich
    ws.oddFooter.left.text = f"Formular {formular.kennung} · Version {formular.version}"
    ws.oddFooter.center.text = "Seite &P von &N"
    ws.oddFooter.right.text = formular.fussnote
    for teil in (ws.oddFooter.left, ws.oddFooter.center, ws.oddFooter.right):
        teil.size = 8
    for zeile in blatt.seitenumbrueche:
        ws.row_breaks.append(Break(id=zeile))
    if blatt.geschuetzt:
        ws.protection.sheet = True
        ws.protection.insertRows = not blatt.zeilen_einfuegen  # True means "forbidden" in OOXML
        ws.protection.formatColumns = False  # widening a column is harmless and often needed


def _zelle_schreiben(ws: Worksheet, feld: Feld):
    """Value, style, number format and merge of one cell (a field or a printed caption)."""
    zelle = ws[feld.zelle]
    if feld.rolle is Rolle.FORMEL:
        zelle.value = feld.formel
    elif feld.rolle is Rolle.TEXT:
        zelle.value = feld.wert
    for attribut, wert in STILE[feld.stil].items():
        setattr(zelle, attribut, wert)
    if feld.zahlenformat:
        zelle.number_format = feld.zahlenformat
    if feld.bis_spalte:
        ws.merge_cells(f"{feld.zelle}:{feld.bis_spalte}{zelle.row}")
        for nachbar in ws[f"{feld.zelle}:{feld.bis_spalte}{zelle.row}"][0]:
            nachbar.border = STILE[feld.stil]["border"]  # a merged cell draws the border of every part
    return zelle


def _zeitpunkt(formular: Formular) -> datetime:
    """The workbook's fixed creation and change date: the Stand of the form's rule edition, so a rebuild from the
    same spec gives the same bytes."""
    return datetime(formular.stand.year, formular.stand.month, formular.stand.day)


def baue(formular: Formular) -> Workbook:
    """The workbook of one form, ready to save."""
    wb = Workbook()
    wb.remove(wb.active)
    blaetter = {blatt.name: wb.create_sheet(blatt.name) for blatt in formular.blaetter}
    for blatt in formular.blaetter:
        _blatt_einrichten(blaetter[blatt.name], blatt, formular)

    pruefungen: dict[tuple[str, Pruefung], list[str]] = defaultdict(list)
    zusatz = [feld for blatt in formular.blaetter for feld in blatt.zusatzfelder]
    for feld in (*formular.felder, *zusatz):
        zelle = _zelle_schreiben(blaetter[feld.blatt], feld)
        if feld.rolle is Rolle.EINGABE:
            zelle.protection = Protection(locked=False)
            if feld.pruefung:
                pruefungen[(feld.blatt, feld.pruefung)].append(feld.zelle)
        if feld.name:
            spalte = feld.zelle.rstrip("0123456789")
            bezug = f"'{feld.blatt}'!${spalte}${feld.zelle[len(spalte) :]}"
            wb.defined_names[feld.name] = DefinedName(feld.name, attr_text=bezug)
    for (blattname, pruefung), zellen in pruefungen.items():
        validierung = _datenpruefung(pruefung)
        for zelle in zellen:
            validierung.add(zelle)
        blaetter[blattname].add_data_validation(validierung)
    for name, bezug in formular.bereiche.items():
        wb.defined_names[name] = DefinedName(name, attr_text=bezug)
    for name, (blattname, zeile) in formular.zeilenanker().items():
        wb.defined_names[name] = DefinedName(name, attr_text=f"'{blattname}'!$A${zeile}", hidden=True)
    for blatt in formular.blaetter:
        ws = blaetter[blatt.name]
        for zeile, hoehe in blatt.zeilenhoehen.items():
            ws.row_dimensions[zeile].height = hoehe
        hoehen_setzen(ws, letzte_spalte(blatt.druckbereich))  # no wrapped heading or title cut off in print

    wb.properties.title = f"{formular.untertitel}: {formular.titel}"
    wb.properties.subject = formular.kennung
    wb.properties.creator = "pyxl"
    wb.properties.lastModifiedBy = "pyxl"
    wb.properties.keywords = f"{formular.kennung} {formular.version}"
    wb.properties.description = formular.fussnote
    wb.properties.language = "de-DE"
    wb.properties.created = wb.properties.modified = _zeitpunkt(formular)
    for name, wert in metadaten(formular):
        wb.custom_doc_props.append(StringProperty(name=name, value=wert))
    return wb


def metadaten(formular: Formular) -> list[tuple[str, str]]:
    """The custom properties a form carries — the builder's file and the add-in's "Neue Vorlage" alike: form id,
    version, fingerprint of the spec, the pyxl that built it, and the parameter sets it was built from."""
    return [
        (META_FORMULAR, formular.kennung),
        (META_VERSION, formular.version),
        (META_HASH, formular.spec_hash),
        (META_PYXL, __version__),
        (META_REGELN, regeln_json(formular)),
    ]


def als_bytes(wb: Workbook, zeitpunkt: datetime) -> bytes:
    """The xlsx file of ``wb``, the same bytes on every run: openpyxl's ``save`` stamps the change date and every
    zip entry with the current time, so the parts are written here and stored with ``zeitpunkt``."""
    roh = io.BytesIO()
    with zipfile.ZipFile(roh, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archiv:
        ExcelWriter(wb, archiv).write_data()  # what save() does, without setting "modified" to now
    fest = io.BytesIO()
    with zipfile.ZipFile(roh) as quelle, zipfile.ZipFile(fest, "w", zipfile.ZIP_DEFLATED) as archiv:
        for eintrag in quelle.infolist():
            info = zipfile.ZipInfo(eintrag.filename, date_time=zeitpunkt.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            archiv.writestr(info, quelle.read(eintrag))
    return fest.getvalue()


def schreibe(formular: Formular, ziel: Path) -> Path:
    ziel.mkdir(parents=True, exist_ok=True)
    datei = ziel / formular.dateiname
    datei.write_bytes(als_bytes(baue(formular), _zeitpunkt(formular)))
    return datei
