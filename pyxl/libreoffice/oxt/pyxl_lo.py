"""pyxl in LibreOffice Calc: the registry's functions as Calc add-in functions, the add-in's commands in a menu.

Three UNO components in the Python that LibreOffice ships (standard library only, see ``pyxl_lo_kern``):

- ``Funktionen`` (``com.sun.star.sheet.AddIn``): one method per registry function, named as in Excel; the texts of
  the function wizard come from ``pyxl_lo_funktionen.json``, which ``pyxl libreoffice erweiterung`` writes from the
  registry. Each call goes to the organisation's ``pyxl serve`` (or, where pyxl is importable here and no address is
  set, to pyxl in this process). Bad input: the cell shows #WERT!; ``PYXL_MELDUNG(Zelle)`` gives the German message.
- ``Befehle`` (``XJobExecutor`` for the menu and toolbar, ``XJob`` for scripts and tests): "Vorlage prüfen",
  "Neue Vorlage", "Beispiel laden" (the add-in's own scripts on the server; ``pyxl_lo_aktionen`` applies the actions
  they answer with, as the Excel task pane does), "Meldung zur Zelle", "Excel-Formeln übernehmen" (here).
- ``Optionen``: the page "pyxl › Server" under Extras › Optionen (address, token, time limit), stored per user in
  LibreOffice's configuration.
"""

from __future__ import annotations

import json
import os
import re
import tempfile

import pyxl_lo_kern as kern
import uno
import unohelper
from com.sun.star.awt import XContainerWindowEventHandler
from com.sun.star.lang import Locale, XLocalizable, XServiceInfo, XServiceName
from com.sun.star.sheet import LocalizedName, XAddIn, XCompatibilityNames
from com.sun.star.task import XJob, XJobExecutor
from com.sun.star.uno import RuntimeException
from org.pyxl.libreoffice import XFunktionen
from pyxl_lo_aktionen import BERICHTSBLATT, Aktionen, eigenschaft

FUNKTIONEN_DIENST = "org.pyxl.libreoffice.Funktionen"
BEFEHLE_DIENST = "org.pyxl.libreoffice.Befehle"
OPTIONEN_DIENST = "org.pyxl.libreoffice.Optionen"
EINSTELLUNGEN = "/org.pyxl.libreoffice.Einstellungen/Server"

BESCHREIBUNG = kern.beschreibung()
FUNKTIONEN = {f["name"]: f for f in BESCHREIBUNG["funktionen"]}


def einstellungen(ctx) -> kern.Einstellungen:
    """The user's settings (Extras › Optionen › pyxl › Server)."""
    anbieter = ctx.ServiceManager.createInstanceWithContext("com.sun.star.configuration.ConfigurationProvider", ctx)
    knoten = anbieter.createInstanceWithArguments(
        "com.sun.star.configuration.ConfigurationAccess", (eigenschaft("nodepath", EINSTELLUNGEN),)
    )
    return kern.Einstellungen(knoten.Adresse, knoten.Token, knoten.Zeitlimit)


def _lokal():
    """pyxl itself, where LibreOffice's Python can import it (Linux with pyxl installed for that Python)."""
    try:
        from pyxl.excel import server
    except ImportError:
        return None
    return server


def sender(ctx):
    """Where a request goes: the configured server — or, with no address set and pyxl importable here, the same
    functions the server runs, in this process."""
    stand = einstellungen(ctx)
    server = None if stand.url else _lokal()
    if server is None:
        return lambda pfad, daten: kern.anfrage(stand, pfad, daten)

    def im_prozess(pfad, daten):
        inhalt = json.dumps(daten).encode()
        try:
            if pfad == kern.FUNKTION:
                return json.loads(server.funktion_berechnen(inhalt))
            if pfad == kern.ERKLAEREN:
                return json.loads(server.funktion_erklaeren(inhalt))
            return json.loads(server.skript_ausfuehren(pfad[len(kern.SKRIPT) :], inhalt))
        except Exception as fehler:  # XlwingsError, ZuGross: the German message the server would answer
            raise kern.PyxlFehler(str(fehler)) from None

    return im_prozess


# -- the add-in functions


class Funktionen(unohelper.Base, XFunktionen, XAddIn, XCompatibilityNames, XServiceName, XServiceInfo, XLocalizable):
    def __init__(self, ctx, *_argumente):
        self.ctx = ctx
        self.locale = Locale("de", "DE", "")

    # XServiceName / XServiceInfo: the service name is part of the function's name in an .ods file
    def getServiceName(self):
        return FUNKTIONEN_DIENST

    def getImplementationName(self):
        return FUNKTIONEN_DIENST

    def supportsService(self, name):
        return name in self.getSupportedServiceNames()

    def getSupportedServiceNames(self):
        return ("com.sun.star.sheet.AddIn", FUNKTIONEN_DIENST)

    # XLocalizable: the texts are German whatever the interface language (the rules are German law)
    def setLocale(self, locale):
        self.locale = locale

    def getLocale(self):
        return self.locale

    # XAddIn: names and texts of the function wizard, from the registry (pyxl_lo_funktionen.json)
    def getProgrammaticFuntionName(self, anzeige):  # sic: the UNO method is spelt so
        return anzeige.upper() if anzeige.upper() in FUNKTIONEN else ""

    def getDisplayFunctionName(self, name):
        return name

    def getFunctionDescription(self, name):
        return FUNKTIONEN[name]["beschreibung"] if name in FUNKTIONEN else ""

    def _argument(self, name, nummer):
        argumente = FUNKTIONEN[name]["argumente"] if name in FUNKTIONEN else []
        return argumente[nummer] if 0 <= nummer < len(argumente) else None

    def getDisplayArgumentName(self, name, nummer):
        argument = self._argument(name, nummer)
        return argument["name"] if argument else ""

    def getArgumentDescription(self, name, nummer):
        argument = self._argument(name, nummer)
        return argument["hilfe"] if argument else ""

    def getProgrammaticCategoryName(self, _name):
        return "Add-In"

    def getDisplayCategoryName(self, _name):
        return "pyxl"

    # XCompatibilityNames: the Excel name, so that .xlsx files with =RZW_ZUWENDUNGSSATZ(…) find the function
    def getCompatibilityNames(self, name):
        if name not in FUNKTIONEN:
            return ()
        return tuple(LocalizedName(Locale(sprache, land, ""), name) for sprache, land in (("en", "US"), ("de", "DE")))

    def _aufruf(self, name, werte):
        try:
            wert = kern.funktion(sender(self.ctx), name, werte, BESCHREIBUNG["zellen_je_aufruf"])
        except kern.PyxlFehler as fehler:  # the cell shows #WERT!; PYXL_MELDUNG gives the text
            raise RuntimeException(str(fehler), self) from None
        if FUNKTIONEN[name]["spalte"] and not isinstance(wert, tuple):
            return ((wert,),)  # one value where the interface declares a column
        return wert

    def PYXL_MELDUNG(self, dokument, zelle):  # the name Calc shows
        return meldung_zur_zelle(self.ctx, dokument, zelle)


def _funktion(name):
    def aufruf(self, *werte):
        return self._aufruf(name, werte)

    aufruf.__name__ = name
    return aufruf


for _name in FUNKTIONEN:
    if _name != "PYXL_MELDUNG":
        setattr(Funktionen, _name, _funktion(_name))


def _zellwerte(dokument, blatt_name, von, bis, eigenes_blatt):
    """A reference's values as Calc passes them to an ``any`` argument: a range as rows (an empty cell as ""), a
    single cell as its value — an empty one as 0, as Calc's own functions read it. Second: that cell was empty."""
    blatt = dokument.Sheets.getByName(blatt_name) if blatt_name else eigenes_blatt
    bereich = blatt.getCellRangeByName(f"{von}:{bis}" if bis else von)
    zeilen = bereich.getDataArray()
    if bis:
        return zeilen, False
    leer = bereich.getCellByPosition(0, 0).getType().value == "EMPTY"
    return (0.0 if leer else zeilen[0][0]), leer


def meldung_zur_zelle(ctx, dokument, zelle) -> str:
    """The German message for the cell's pyxl function, "" when it computes.

    Calc does not tell a function which cell calls it, so the message is found again: the cell's formula is read,
    its arguments (values and cell references) are looked up, and the same call goes to the server once more.
    A single empty cell Calc passes as 0 (the add-in cannot tell it from a 0): that is said too."""
    eine = zelle.getCellByPosition(0, 0)
    formel = eine.getFormula()
    aufruf = kern.zerlege_aufruf(formel)
    if aufruf is None or aufruf[0] not in FUNKTIONEN or aufruf[0] == "PYXL_MELDUNG":
        innen = PYXL_AUFRUF.search(formel)
        if innen and eine.getError():  # =RUNDEN(RZW_ZUWENDUNGSSATZ(A2);0) shows #WERT!: say why no message comes
            return (
                f"{innen.group(1).upper()} steht in einem Ausdruck – PYXL_MELDUNG liest nur eine Formel, die als "
                "Ganzes eine pyxl-Funktion ist; bitte den pyxl-Aufruf in eine eigene Zelle schreiben"
            )
        return ""
    name, texte = aufruf
    werte, leere = [], []
    for nummer, text in enumerate(texte, 1):
        try:
            art, inhalt = kern.argument_lesen(text)
        except kern.GanzeSpalte:
            return (
                f"{name}: Argument {nummer} („{text}“) ist eine ganze Spalte oder Zeile – bitte nur den benutzten "
                "Bereich übergeben, z. B. C2:C200"
            )
        except kern.Ausdruck:
            return (
                f"{name}: Argument {nummer} („{text}“) ist ein Rechenausdruck – PYXL_MELDUNG liest nur Werte und "
                "Zellbezüge; bitte den Ausdruck in eine eigene Zelle schreiben"
            )
        if art != "bezug":
            werte.append(inhalt)
            continue
        try:
            wert, leer = _zellwerte(dokument, *inhalt, eine.getSpreadsheet())
        except Exception:  # a sheet renamed meanwhile, a name instead of a cell
            return f"{name}: Argument {nummer} („{text}“) nicht lesbar"
        werte.append(wert)
        if leer:
            leere.append(text.replace("$", ""))
    hinweis = ""
    if leere:
        hinweis = (
            f"Hinweis: {', '.join(leere)} {'ist' if len(leere) == 1 else 'sind'} leer – LibreOffice übergibt eine "
            "leere Zelle als 0, gerechnet wurde mit 0"
        )
    senden = sender(ctx)
    try:
        wert = kern.funktion(senden, name, tuple(werte), BESCHREIBUNG["zellen_je_aufruf"])
    except kern.PyxlFehler as fehler:
        return f"{fehler} ({hinweis})" if hinweis else str(fehler)
    if wert is None:  # #NV: the rule has no value here, and says why
        grund = kern.warum_nv(senden, name, tuple(werte))
        return f"{grund} ({hinweis})" if hinweis and grund else grund or hinweis
    return hinweis


# -- the commands: scripts of the add-in on the server, their actions applied here


def mappe_lesen(dokument, name: str) -> dict:
    """The document as the add-in's task pane sends it (xlwings Book JSON): sheet names, the values of an earlier
    report sheet (to reset its marks), the custom document properties."""
    blaetter = dokument.Sheets
    eintraege = []
    for nummer in range(blaetter.Count):
        blatt = blaetter.getByIndex(nummer)
        werte = [[""]]
        if blatt.Name == BERICHTSBLATT:
            zeiger = blatt.createCursor()
            zeiger.gotoEndOfUsedArea(False)
            ende = zeiger.getRangeAddress()
            werte = [list(z) for z in blatt.getCellRangeByPosition(0, 0, ende.EndColumn, ende.EndRow).getDataArray()]
        eintraege.append({"name": blatt.Name, "values": werte, "pictures": [], "tables": []})
    eigene = dokument.DocumentProperties.UserDefinedProperties
    eigenschaften = {p.Name: str(eigene.getPropertyValue(p.Name)) for p in eigene.getPropertySetInfo().getProperties()}
    aktiv = dokument.CurrentController.ActiveSheet.Name if dokument.CurrentController else eintraege[0]["name"]
    return {
        "client": "Office.js",
        "version": BESCHREIBUNG["xlwings"],
        "book": {"name": name, "active_sheet_index": [e["name"] for e in eintraege].index(aktiv), "selection": "A1"},
        "names": [],
        "sheets": eintraege,
        "properties": eigenschaften,
        "pyxl_notizen": True,
    }


def _dokumentname(dokument) -> str:
    titel = dokument.getTitle() if hasattr(dokument, "getTitle") else ""
    url = dokument.getURL()
    return (os.path.basename(uno.fileUrlToSystemPath(url)) if url.startswith("file:") else titel) or "Arbeitsmappe"


def als_xlsx(ctx, dokument) -> str:
    """The open state as .xlsx bytes (base64), unsaved edits included; the document itself is not saved."""
    ordner = tempfile.mkdtemp(prefix="pyxl-pruefen-")
    pfad = os.path.join(ordner, "Arbeitsmappe.xlsx")
    try:
        dokument.storeToURL(uno.systemPathToFileUrl(pfad), (eigenschaft("FilterName", "Calc MS Excel 2007 XML"),))
        return kern.datei_base64(pfad)
    finally:
        if os.path.exists(pfad):
            os.remove(pfad)
        os.rmdir(ordner)


# any call of a pyxl function in a formula as Calc's API prints it (the service's name and a dot before it)
PYXL_AUFRUF = re.compile(
    r"(?<![A-Za-z0-9_])(" + "|".join(map(re.escape, FUNKTIONEN)) + r")(?=\s*\()",
    re.IGNORECASE,
)
# a pyxl function as an .xlsx from Excel names it (classic xlwings: bare; Office.js: PYXL. or _xldudf_PYXL_), which
# LibreOffice 7.4 reads as an unknown name (#NAME?, Err:525) — not after a "." (then it is already the add-in's name)
EXCEL_AUFRUF = re.compile(
    r"(?<![A-Za-z0-9_.])(?:_xldudf_PYXL_|PYXL\.|_xll\.)?(" + "|".join(map(re.escape, FUNKTIONEN)) + r")(?=\s*\()",
    re.IGNORECASE,
)
NAME_UNBEKANNT = 525  # Calc's error code of #NAME?


def excel_namen_uebernehmen(ctx, dokument) -> str:
    """pyxl functions written by Excel (#NAME? in LibreOffice 7.4) rewritten as this extension's functions — only
    cells that show #NAME? and call a pyxl function; every other formula stays as it is."""
    from com.sun.star.sheet.CellFlags import FORMULA

    aktionen = Aktionen(ctx, dokument)  # protected sheets (without password) opened and protected again
    anzahl = 0
    try:
        for nummer in range(dokument.Sheets.Count):
            blatt = dokument.Sheets.getByIndex(nummer)
            for bereich in blatt.queryContentCells(FORMULA).getRangeAddresses():
                for zeile in range(bereich.StartRow, bereich.EndRow + 1):
                    for spalte in range(bereich.StartColumn, bereich.EndColumn + 1):
                        zelle = blatt.getCellByPosition(spalte, zeile)
                        if zelle.getError() != NAME_UNBEKANNT:
                            continue
                        formel = zelle.getFormula()
                        neu = EXCEL_AUFRUF.sub(lambda treffer: treffer.group(1).upper(), formel)
                        if neu != formel and aktionen.bearbeitbar(blatt):
                            zelle.setFormula(neu)
                            anzahl += 1
    finally:
        aktionen.wieder_schuetzen()
    if not anzahl:
        text = "Keine Formel mit einer pyxl-Funktion aus Excel gefunden (nichts geändert)."
    else:
        text = f"{anzahl} {'Formel' if anzahl == 1 else 'Formeln'} mit pyxl-Funktionen aus Excel übernommen."
    return text + _mit_kennwort(aktionen.gesperrt, "excel_namen")


FERTIG = {
    "vorlage_pruefen": f"Prüfung abgeschlossen: siehe Blatt „{BERICHTSBLATT}“ und die Notizen an den Zellen.",
    "neue_vorlage": "Vorlage als neues Dokument geöffnet.",
    "beispiel_laden": "Beispiel eingetragen.",
}
# what a sheet protected with a password kept from a command (pyxl lifts only a protection without password)
UNBERUEHRT = {
    "vorlage_pruefen": "dort keine Notizen und an gesperrten Zellen keine Füllfarbe, die Befunde stehen im Blatt "
    f"„{BERICHTSBLATT}“",
    "beispiel_laden": "gesperrte Zellen dort sind unverändert",
    "excel_namen": "Formeln dort nicht übernommen",
}


def _mit_kennwort(blaetter: list, befehl: str) -> str:
    """The sentence added to a command's message for sheets protected with a password, "" for none."""
    if not blaetter:
        return ""
    namen = ", ".join(f"„{n}“" for n in blaetter)
    satz = f"Blatt {namen} ist" if len(blaetter) == 1 else f"Die Blätter {namen} sind"
    return f" {satz} mit Kennwort geschützt: {UNBERUEHRT.get(befehl, 'dort nichts geändert')}."


def befehl(ctx, name: str, dokument, argument: str = "") -> tuple[str, bool]:
    """Run one command on ``dokument``: the German text for the clerk, and whether it is an error."""
    try:
        return _befehl(ctx, name, dokument, argument)
    except kern.PyxlFehler as fehler:
        return str(fehler), True
    except Exception as fehler:  # a document that went away, a file that could not be written: never a traceback
        return f"Interner Fehler der pyxl-Erweiterung ({type(fehler).__name__}) – bitte der IT melden", True


def _befehl(ctx, name: str, dokument, argument: str) -> tuple[str, bool]:
    if name == "meldung":
        steuerung = getattr(dokument, "CurrentController", None)
        auswahl = steuerung.getSelection() if steuerung is not None else None
        if auswahl is None or not hasattr(auswahl, "getCellByPosition"):
            return "Bitte zuerst eine Zelle mit einer pyxl-Funktion auswählen", True
        text = meldung_zur_zelle(ctx, dokument, auswahl)
        if text:
            return text, True
        if auswahl.getCellByPosition(0, 0).getError():
            return "Die Zelle zeigt einen Fehler, der nicht aus einer pyxl-Funktion kommt", True
        return "Die Zelle rechnet ohne Fehler.", False
    if name not in FERTIG and name != "excel_namen":
        return f"Unbekannter Befehl „{name}“", True
    if not hasattr(dokument, "Sheets"):
        return "pyxl wirkt nur in einem Tabellendokument (LibreOffice Calc)", True
    if name == "excel_namen":
        return excel_namen_uebernehmen(ctx, dokument), False
    mappe = mappe_lesen(dokument, _dokumentname(dokument))
    if name == "neue_vorlage":  # the form opens as a new document: the open one's sheets are in no one's way
        mappe["sheets"] = [{"name": "Tabelle1", "values": [[""]], "pictures": [], "tables": []}]
        mappe["properties"], mappe["book"]["active_sheet_index"] = {}, 0
    if name == "vorlage_pruefen":
        mappe["pyxl_datei"] = als_xlsx(ctx, dokument)
    if argument:
        mappe["args"] = [argument]
    aktionen = kern.skript(sender(ctx), name, mappe)
    ausgefuehrt = Aktionen(ctx, dokument)
    ausgefuehrt.ausfuehren(aktionen)
    return FERTIG[name] + _mit_kennwort(ausgefuehrt.gesperrt, name), False


def _zeigen(ctx, text: str, fehler: bool) -> None:
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    rahmen = desktop.getCurrentFrame()
    if rahmen is None:
        return
    werkzeug = ctx.ServiceManager.createInstanceWithContext("com.sun.star.awt.Toolkit", ctx)
    from com.sun.star.awt.MessageBoxType import ERRORBOX, INFOBOX

    kasten = werkzeug.createMessageBox(rahmen.getContainerWindow(), ERRORBOX if fehler else INFOBOX, 1, "pyxl", text)
    kasten.execute()
    kasten.dispose()


class Befehle(unohelper.Base, XJobExecutor, XJob, XServiceInfo):
    """The menu and toolbar commands (``service:org.pyxl.libreoffice.Befehle?vorlage_pruefen``)."""

    def __init__(self, ctx, *_argumente):
        self.ctx = ctx

    def trigger(self, was):
        name, _, argument = str(was).partition(":")
        desktop = self.ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", self.ctx)
        text, fehler = befehl(self.ctx, name, desktop.getCurrentComponent(), argument)
        _zeigen(self.ctx, text, fehler)

    def execute(self, argumente):
        """The same without a message box: NamedValues Befehl, Dokument, Argument; the text as the result."""
        werte = {a.Name: a.Value for a in argumente}
        return befehl(self.ctx, werte.get("Befehl", ""), werte.get("Dokument"), werte.get("Argument", ""))[0]

    def getImplementationName(self):
        return BEFEHLE_DIENST

    def supportsService(self, name):
        return name == BEFEHLE_DIENST

    def getSupportedServiceNames(self):
        return (BEFEHLE_DIENST,)


# -- the options page


class Optionen(unohelper.Base, XContainerWindowEventHandler, XServiceInfo):
    """Extras › Optionen › pyxl › Server: fills the page from the configuration, stores it on OK."""

    def __init__(self, ctx, *_argumente):
        self.ctx = ctx

    def getSupportedMethodNames(self):
        return ("external_event",)

    def callHandlerMethod(self, fenster, ereignis, methode):
        if methode != "external_event":
            return False
        if ereignis in ("initialize", "back"):
            stand = einstellungen(self.ctx)
            fenster.getControl("Adresse").setText(stand.url)
            fenster.getControl("Token").setText(stand.token)
            fenster.getControl("Zeitlimit").setText(f"{stand.zeitlimit_s:g}")
        elif ereignis == "ok":
            self._speichern(fenster)
        return True

    def _speichern(self, fenster):
        adresse = fenster.getControl("Adresse").getText().strip()
        try:
            if adresse:
                kern.adresse_pruefen(adresse)
            zeitlimit = int(fenster.getControl("Zeitlimit").getText().strip() or kern.STANDARD_ZEITLIMIT_S)
            if not 1 <= zeitlimit <= 600:
                raise ValueError
        except kern.PyxlFehler as fehler:
            _zeigen(self.ctx, f"{fehler} – nicht gespeichert", True)
            return
        except ValueError:
            eingabe = kern.lesbar(fenster.getControl("Zeitlimit").getText(), 40)
            _zeigen(
                self.ctx, f"Zeitlimit = „{eingabe}“: ganze Sekunden von 1 bis 600 erwartet – nicht gespeichert", True
            )
            return
        anbieter = self.ctx.ServiceManager.createInstanceWithContext(
            "com.sun.star.configuration.ConfigurationProvider", self.ctx
        )
        knoten = anbieter.createInstanceWithArguments(
            "com.sun.star.configuration.ConfigurationUpdateAccess", (eigenschaft("nodepath", EINSTELLUNGEN),)
        )
        knoten.Adresse = adresse
        knoten.Token = fenster.getControl("Token").getText().strip()
        knoten.Zeitlimit = zeitlimit
        knoten.commitChanges()

    def getImplementationName(self):
        return OPTIONEN_DIENST

    def supportsService(self, name):
        return name == OPTIONEN_DIENST

    def getSupportedServiceNames(self):
        return (OPTIONEN_DIENST,)


g_ImplementationHelper = unohelper.ImplementationHelper()
g_ImplementationHelper.addImplementation(Funktionen, FUNKTIONEN_DIENST, ("com.sun.star.sheet.AddIn", FUNKTIONEN_DIENST))
g_ImplementationHelper.addImplementation(Befehle, BEFEHLE_DIENST, (BEFEHLE_DIENST,))
g_ImplementationHelper.addImplementation(Optionen, OPTIONEN_DIENST, (OPTIONEN_DIENST,))
