"""The actions of a script's answer (xlwings' and pyxl's own), applied to a Calc document — as the Excel task pane
applies them (macros/static/pyxl-addin.js). The server is not trusted blindly: text stays text, only the report
sheet is cleared, links only jump inside the document, a form with macros or links is not opened.
"""

from __future__ import annotations

import os
import tempfile

import pyxl_lo_kern as kern
import uno
from com.sun.star.beans import PropertyValue

# both as the server's scripts write them (pyxl.excel.skripte), carried in by the build: the report sheet, and the
# first words of the notes "Vorlage prüfen" writes (only notes that begin so are removed again)
BERICHTSBLATT = kern.beschreibung()["berichtsblatt"]
NOTIZ = kern.beschreibung()["notiz"]


def eigenschaft(name: str, wert: object) -> PropertyValue:
    return PropertyValue(Name=name, Value=wert)


class Aktionen:
    """The actions of xlwings' answer (and pyxl's own), applied to a Calc document."""

    def __init__(self, ctx, dokument):
        self.ctx, self.dokument = ctx, dokument
        self.geoeffnet = []  # sheets whose protection (without password) is lifted while marking
        self.gesperrt = []  # sheets protected with a password: marked in the report only

    def ausfuehren(self, aktionen: list) -> None:
        """Apply the actions; a form's protected sheets are opened for the marks and protected again after."""
        try:
            for nummer, aktion in enumerate(aktionen, 1):
                func = aktion.get("func") if isinstance(aktion, dict) else None
                methode = getattr(self, "a_" + func, None) if isinstance(func, str) else None
                if methode is None:
                    raise kern.PyxlFehler(f"Unbekannte Aktion vom Server: {str(func)[:60]}")
                try:
                    methode(aktion)
                except kern.PyxlFehler:
                    raise
                except Exception:  # a missing or wrong field, a cell beyond the sheet (UNO's IndexOutOfBounds)
                    raise kern.PyxlFehler(
                        f"Antwort des pyxl-Servers nicht anwendbar: Aktion {nummer} ({func}) mit ungültigen Angaben – "
                        "passt der Server zu dieser Erweiterung? Bitte die IT fragen"
                    ) from None
        finally:
            self.wieder_schuetzen()

    def wieder_schuetzen(self) -> None:
        """The sheets opened for the marks protected again."""
        for blatt in self.geoeffnet:
            blatt.protect("")  # Calc keeps the protection's options (rows, columns) across this
        self.geoeffnet = []

    def bearbeitbar(self, blatt) -> bool:
        """Calc ignores changes to locked cells of a protected sheet silently: lift a protection without password
        for the marks (protected again afterwards); with a password the sheet stays as it is."""
        if not blatt.isProtected() or blatt in self.geoeffnet:
            return True
        try:
            blatt.unprotect("")
        except Exception:  # IllegalArgumentException: protected with a password of the clerk's office
            if blatt.Name not in self.gesperrt:
                self.gesperrt.append(blatt.Name)
            return False
        self.geoeffnet.append(blatt)
        return True

    def _blatt(self, aktion):
        blatt = self.dokument.Sheets.getByIndex(aktion["sheet_position"])
        self.bearbeitbar(blatt)
        return blatt

    def _bereich(self, aktion):
        zeile, spalte = aktion["start_row"], aktion["start_column"]
        for zahl in (zeile, spalte, aktion["row_count"] - 1, aktion["column_count"] - 1):
            if not isinstance(zahl, int) or zahl < 0:
                raise ValueError(zahl)
        return self._blatt(aktion).getCellRangeByPosition(
            spalte, zeile, spalte + aktion["column_count"] - 1, zeile + aktion["row_count"] - 1
        )

    def a_addSheet(self, aktion):
        position, name = aktion["args"][0], aktion["args"][1]
        if not isinstance(name, str) or not isinstance(position, int) or position < 0:
            raise ValueError(name)
        self.dokument.Sheets.insertNewByName(name, min(position, self.dokument.Sheets.Count))

    def a_sheetClear(self, aktion):
        blatt = self._blatt(aktion)
        if blatt.Name != BERICHTSBLATT:  # the commands clear only their report: never the clerk's own sheets
            raise kern.PyxlFehler(
                f"Antwort des pyxl-Servers abgelehnt: Blatt „{blatt.Name}“ leeren – pyxl leert nur das Blatt "
                f"„{BERICHTSBLATT}“"
            )
        blatt.clearContents(1023)  # values, texts, formulas, notes, formats, objects
        blatt.getColumns().OptimalWidth = True

    def a_setValues(self, aktion):
        zeilen = tuple(tuple(_zellinhalt(w) for w in zeile) for zeile in aktion["values"])
        if len(zeilen) != aktion["row_count"] or any(len(z) != aktion["column_count"] for z in zeilen):
            raise ValueError("Werte passen nicht zum Bereich")
        self._bereich(aktion).setDataArray(zeilen)

    def a_setRangeColor(self, aktion):
        bereich, farbe = self._bereich(aktion), aktion["args"][0]
        if farbe is None:  # no fill: the form's own look of a formula cell
            bereich.IsCellBackgroundTransparent = True
        else:
            bereich.CellBackColor = int(farbe.lstrip("#"), 16)

    def a_setFontProperty(self, aktion):
        eigenschaft, wert = aktion["args"]
        if eigenschaft != "bold":
            raise kern.PyxlFehler(f"Schrifteigenschaft „{eigenschaft}“ wird in LibreOffice nicht gesetzt")
        self._bereich(aktion).CharWeight = 150.0 if wert else 100.0  # com.sun.star.awt.FontWeight BOLD/NORMAL

    def a_addHyperlink(self, aktion):
        ziel, text, _tipp = aktion["args"]
        zelle = self._bereich(aktion).getCellByPosition(0, 0)
        if not (isinstance(ziel, str) and ziel.startswith("#") and "!" in ziel):
            # only a jump inside the document: a link may also start a macro (vnd.sun.star.script:) or a program
            raise kern.PyxlFehler(
                f"Verweis „{kern.lesbar(str(ziel), 80)}“ vom Server abgelehnt: nur Verweise auf Zellen des Dokuments"
            )
        blatt, adresse = ziel[1:].rsplit("!", 1)  # Excel's "#'Blatt'!H36" is Calc's "#Blatt.H36"
        blatt = blatt[1:-1].replace("''", "'") if blatt.startswith("'") else blatt
        ziel = f"#{blatt}.{adresse}"
        feld = self.dokument.createInstance("com.sun.star.text.TextField.URL")
        feld.URL, feld.Representation = ziel, text
        zelle.setString("")
        inhalt = zelle.getText()
        inhalt.insertTextContent(inhalt.createTextCursor(), feld, False)

    def a_setSheetAutofit(self, aktion):
        blatt = self._blatt(aktion)
        (blatt.getRows() if aktion["args"][0] == "rows" else blatt.getColumns()).OptimalHeight = True

    def a_activateSheet(self, aktion):
        steuerung = self.dokument.CurrentController
        if steuerung is not None:
            steuerung.setActiveSheet(self.dokument.Sheets.getByIndex(aktion["args"][0]))

    def a_pyxlDruckbild(self, aktion):
        """The report sheet on paper as in the marked copy: widths, wrapped messages, A4 landscape, one page wide,
        the header row on every page, grid lines — on a page style of its own, the form's sheets keep theirs."""
        kopfzeile, breiten, umbrechen, zeilen = aktion["args"]
        blatt = self._blatt(aktion)
        spalten = blatt.getColumns()
        for nummer, zeichen in enumerate(breiten):
            spalten.getByIndex(nummer).Width = int(zeichen * 220)  # 1/100 mm per character of the default font
        for spalte in umbrechen:
            blatt.getCellRangeByPosition(spalte, kopfzeile - 1, spalte, kopfzeile - 2 + zeilen).IsTextWrapped = True
        stile = self.dokument.StyleFamilies.getByName("PageStyles")
        name = "pyxl Prüfbericht"
        if not stile.hasByName(name):
            stile.insertByName(name, self.dokument.createInstance("com.sun.star.style.PageStyle"))
        stil = stile.getByName(name)
        stil.IsLandscape, stil.Width, stil.Height = True, 29700, 21000  # A4 landscape, 1/100 mm
        stil.ScaleToPagesX, stil.ScaleToPagesY, stil.PrintGrid = 1, 0, True
        blatt.PageStyle = name
        titel = uno.createUnoStruct("com.sun.star.table.CellRangeAddress")
        titel.Sheet, titel.StartRow, titel.EndRow, titel.EndColumn = (
            aktion["sheet_position"],
            kopfzeile - 1,
            kopfzeile - 1,
            len(breiten) - 1,
        )
        blatt.setTitleRows(titel)
        blatt.setPrintTitleRows(True)

    def a_pyxlNotizen(self, aktion):
        """Annotations at the findings' cells; those an earlier check wrote (beginning with "pyxl-Prüfung") go."""
        frueher, neu = aktion["args"]
        namen = set(self.dokument.Sheets.getElementNames())
        for blatt, adresse in frueher:
            if blatt in namen and self.bearbeitbar(self.dokument.Sheets.getByName(blatt)):
                self._notiz_entfernen(self.dokument.Sheets.getByName(blatt), adresse)
        for blatt, adresse, text in neu:
            if blatt not in namen or not self.bearbeitbar(self.dokument.Sheets.getByName(blatt)):
                continue
            tabelle = self.dokument.Sheets.getByName(blatt)
            zelle = tabelle.getCellRangeByName(adresse)
            alt = zelle.getAnnotation().getString()
            if alt and not alt.startswith(NOTIZ):
                text = alt + "\n\n" + text  # the clerk's own note stays, the finding is added below it
            self._notiz_entfernen(tabelle, adresse)
            tabelle.getAnnotations().insertNew(zelle.getCellAddress(), text)

    @staticmethod
    def _notiz_entfernen(tabelle, adresse):
        zelle = tabelle.getCellRangeByName(adresse)
        text = zelle.getAnnotation().getString()
        if not text or NOTIZ not in text:
            return
        ort = zelle.getCellAddress()
        notizen = tabelle.getAnnotations()
        for nummer in range(notizen.Count):
            notiz = notizen.getByIndex(nummer)
            if notiz.Position.Column == ort.Column and notiz.Position.Row == ort.Row:
                eigene = notiz.getString()
                notizen.removeByIndex(nummer)
                davor = eigene.split("\n\n" + NOTIZ)[0] if not eigene.startswith(NOTIZ) else ""
                if davor:
                    notizen.insertNew(ort, davor)
                return

    def a_pyxlInsertWorksheets(self, aktion):
        """The form (xlsx) opened as a new, untitled document — in Calc the way to start from a form; its names,
        protection and document properties come with it. The following actions apply to that document."""
        daten = kern.vorlage_lesen(aktion["args"][0])
        ordner = tempfile.mkdtemp(prefix="pyxl-vorlage-")
        pfad = os.path.join(ordner, "Vorlage.xlsx")
        try:
            with open(pfad, "wb") as datei:
                datei.write(daten)
            desktop = self.ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", self.ctx)
            # a form has no macros and no links: none run, none update, whatever the file holds
            self.dokument = desktop.loadComponentFromURL(
                uno.systemPathToFileUrl(pfad),
                "_blank",
                0,
                (
                    eigenschaft("AsTemplate", True),
                    eigenschaft("MacroExecutionMode", 0),  # com.sun.star.document.MacroExecMode.NEVER_EXECUTE
                    eigenschaft("UpdateDocMode", 0),  # com.sun.star.document.UpdateDocMode.NO_UPDATE
                ),
            )
        finally:
            if os.path.exists(pfad):
                os.remove(pfad)
            os.rmdir(ordner)

    def a_pyxlAddNames(self, aktion):
        namen = self.dokument.NamedRanges
        fehlend = [n for n in aktion["args"] if not namen.hasByName(n[0])]
        if fehlend:
            raise kern.PyxlFehler(f"Name „{fehlend[0][0]}“ fehlt in der Vorlage")

    def a_pyxlSetProperties(self, aktion):
        eigene = self.dokument.DocumentProperties.UserDefinedProperties
        werte = aktion["args"]
        for name, wert in zip(werte[::2], werte[1::2]):
            if not eigene.getPropertySetInfo().hasPropertyByName(name):
                eigene.addProperty(name, 128, wert)  # REMOVABLE


def _zellinhalt(wert):
    """A value for setDataArray: text stays text (Calc never reads it as a formula here, so Excel's protective
    apostrophe before "=" is not needed and would show)."""
    if wert is None:
        return ""
    if isinstance(wert, str) and wert[:1] == "'" and wert[1:2] in ("=", "+", "-", "@", "\t", "\r"):
        return wert[1:]
    if isinstance(wert, bool):
        return "WAHR" if wert else "FALSCH"
    if not isinstance(wert, (str, int, float)):
        raise ValueError("kein Zellwert")
    return wert
