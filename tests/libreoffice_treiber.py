"""Drives a running LibreOffice with the pyxl extension installed, for tests/test_libreoffice_erweiterung.py.

Runs in Debian's /usr/bin/python3 (the only Python with ``uno``), never imports pyxl: it does in LibreOffice what a
clerk does — settings on the options page, formulas typed into cells, the menu's commands — and prints what the
clerk then sees as JSON. Usage: ``python3 libreoffice_treiber.py PORT BEFEHL`` with the command's JSON on stdin.
"""

import json
import os
import sys
import time

import uno
import unohelper
from com.sun.star.awt import XControl, XControlContainer, XTextComponent, XWindow
from com.sun.star.beans import NamedValue, PropertyValue

EINSTELLUNGEN = "/org.pyxl.libreoffice.Einstellungen/Server"


def _pv(name, wert):
    return PropertyValue(Name=name, Value=wert)


def verbinden(port):
    lokal = uno.getComponentContext()
    aufloeser = lokal.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", lokal)
    ende = time.monotonic() + 30
    while True:
        try:
            return aufloeser.resolve(f"uno:socket,host=127.0.0.1,port={port};urp;StarOffice.ComponentContext")
        except Exception:
            if time.monotonic() > ende:
                raise
            time.sleep(0.2)


def _konfiguration(ctx, pfad, schreiben=False):
    anbieter = ctx.ServiceManager.createInstanceWithContext("com.sun.star.configuration.ConfigurationProvider", ctx)
    art = "ConfigurationUpdateAccess" if schreiben else "ConfigurationAccess"
    return anbieter.createInstanceWithArguments(f"com.sun.star.configuration.{art}", (_pv("nodepath", pfad),))


class Textfeld(unohelper.Base, XControl, XTextComponent):
    def __init__(self, text=""):
        self.text = text

    def getText(self):
        return self.text

    def setText(self, text):
        self.text = text


class Fenster(unohelper.Base, XControlContainer, XWindow):
    """The options page as the handler sees it (a window holding controls): its three text fields."""

    def __init__(self, werte):
        self.felder = {name: Textfeld(text) for name, text in werte.items()}

    def getControl(self, name):
        return self.felder[name]


def optionen(ctx, auftrag):
    """Type into the options page and press OK; then open it again: what it shows and what is stored."""
    behandler = ctx.ServiceManager.createInstanceWithContext("org.pyxl.libreoffice.Optionen", ctx)
    fenster = Fenster(auftrag["eingabe"])
    behandler.callHandlerMethod(fenster, "ok", "external_event")
    neu = Fenster({"Adresse": "", "Token": "", "Zeitlimit": ""})
    behandler.callHandlerMethod(neu, "initialize", "external_event")
    knoten = _konfiguration(ctx, EINSTELLUNGEN)
    return {
        "gezeigt": {name: feld.text for name, feld in neu.felder.items()},
        "gespeichert": {"Adresse": knoten.Adresse, "Token": knoten.Token, "Zeitlimit": knoten.Zeitlimit},
    }


def gebietsschema(ctx, auftrag):
    """The profile's locale (a German clerk's LibreOffice: 63,57, not 63.57)."""
    knoten = _konfiguration(ctx, "/org.openoffice.Setup/L10N", schreiben=True)
    knoten.ooSetupSystemLocale = auftrag["locale"]
    knoten.commitChanges()
    return {}


def _desktop(ctx):
    return ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)


def formeln(ctx, auftrag):
    """A new sheet: the given cell values, then the formulas typed in; recalculated; each cell as shown."""
    dokument = _desktop(ctx).loadComponentFromURL("private:factory/scalc", "_blank", 0, ())
    try:
        blatt = dokument.Sheets.getByIndex(0)
        for adresse, wert in auftrag["werte"].items():
            zelle = blatt.getCellRangeByName(adresse)
            if isinstance(wert, str):
                zelle.setString(wert)
            else:
                zelle.setValue(wert)
        start = time.monotonic()
        for adresse, formel in auftrag["formeln"].items():
            blatt.getCellRangeByName(adresse).setFormula(formel)
        dokument.calculateAll()
        dauer = time.monotonic() - start
        ergebnis = {}
        for adresse in auftrag["formeln"]:
            zelle = blatt.getCellRangeByName(adresse)
            ergebnis[adresse] = {
                "wert": zelle.getValue(),
                "text": zelle.getString(),
                "fehler": zelle.getError(),
                "formel": zelle.getFormula(),
            }
        for bereich in auftrag.get("matrix", []):  # an array formula: every cell of the result
            zellen = blatt.getCellRangeByName(bereich["ziel"])
            zellen.setArrayFormula(bereich["formel"])
            dokument.calculateAll()
            ergebnis[bereich["ziel"]] = {"werte": [list(z) for z in zellen.getDataArray()]}
        return {"zellen": ergebnis, "dauer": dauer}
    finally:
        dokument.close(True)


def _befehl(ctx, dokument, name, argument=""):
    befehle = ctx.ServiceManager.createInstanceWithContext("org.pyxl.libreoffice.Befehle", ctx)
    werte = (NamedValue("Befehl", name), NamedValue("Dokument", dokument), NamedValue("Argument", argument))
    return befehle.execute(werte)


def _bild(dokument):
    """What the clerk sees of the document: sheets, the report's rows, notes, fills, protection."""
    blaetter = {}
    for nummer in range(dokument.Sheets.Count):
        blatt = dokument.Sheets.getByIndex(nummer)
        notizen = blatt.getAnnotations()
        eintrag = {
            "geschuetzt": blatt.isProtected(),
            "notizen": {},
            "seitenvorlage": blatt.PageStyle,
        }
        for k in range(notizen.Count):
            notiz = notizen.getByIndex(k)
            adresse = blatt.getCellByPosition(notiz.Position.Column, notiz.Position.Row).AbsoluteName
            eintrag["notizen"][adresse.split(".")[-1].replace("$", "")] = notiz.getString()
        if blatt.Name == "Prüfbericht":
            zeiger = blatt.createCursor()
            zeiger.gotoEndOfUsedArea(False)
            ende = zeiger.getRangeAddress()
            bereich = blatt.getCellRangeByPosition(0, 0, ende.EndColumn, ende.EndRow)
            eintrag["zeilen"] = [list(z) for z in bereich.getDataArray()]
            titel = blatt.getTitleRows()
            eintrag["titelzeile"] = titel.StartRow + 1 if blatt.getPrintTitleRows() else None
            stil = dokument.StyleFamilies.getByName("PageStyles").getByName(blatt.PageStyle)
            eintrag["quer"], eintrag["seiten_breit"] = stil.IsLandscape, stil.ScaleToPagesX
            verweis = blatt.getCellByPosition(2, ende.EndRow)
            felder = verweis.getTextFields().createEnumeration()
            eintrag["verweis"] = felder.nextElement().URL if felder.hasMoreElements() else None
        blaetter[blatt.Name] = eintrag
    return blaetter


def _fuellung(dokument, blatt, adresse):
    zelle = dokument.Sheets.getByName(blatt).getCellRangeByName(adresse)
    return None if zelle.IsCellBackgroundTransparent else f"{zelle.CellBackColor & 0xFFFFFF:06X}"


def pruefen(ctx, auftrag):
    """Open a form, "Vorlage prüfen"; then the clerk's corrections and "Vorlage prüfen" again."""
    dokument = _desktop(ctx).loadComponentFromURL(uno.systemPathToFileUrl(auftrag["datei"]), "_blank", 0, ())
    try:
        runden = []
        for runde, korrekturen in enumerate([{}, *auftrag.get("korrekturen", [])]):
            for ziel, formel in korrekturen.items():
                blatt, adresse = ziel.split("!")
                dokument.Sheets.getByName(blatt).getCellRangeByName(adresse).setFormula(formel)
            text = _befehl(ctx, dokument, "vorlage_pruefen")
            runden.append(
                {
                    "runde": runde,
                    "meldung": text,
                    "blaetter": _bild(dokument),
                    "fuellungen": {z: _fuellung(dokument, *z.split("!")) for z in auftrag.get("zellen", [])},
                    "geaendert": dokument.isModified(),
                }
            )
        return {"runden": runden}
    finally:
        dokument.close(True)


def vorlage(ctx, auftrag):
    """ "Neue Vorlage" (a form as a new document), then "Beispiel laden" in it."""
    leer = _desktop(ctx).loadComponentFromURL("private:factory/scalc", "_blank", 0, ())
    text = _befehl(ctx, leer, "neue_vorlage", auftrag["kennung"])
    dokumente = _desktop(ctx).getComponents().createEnumeration()
    neu = None
    while dokumente.hasMoreElements():
        kandidat = dokumente.nextElement()
        if kandidat != leer and hasattr(kandidat, "Sheets"):
            neu = kandidat
    try:
        if neu is None:
            return {"meldung": text, "neu": None}
        beispiel = _befehl(ctx, neu, "beispiel_laden")
        eigene = neu.DocumentProperties.UserDefinedProperties
        eigenschaften = {
            p.Name: str(eigene.getPropertyValue(p.Name)) for p in eigene.getPropertySetInfo().getProperties()
        }
        neu.calculateAll()
        werte = {}
        for ziel in auftrag.get("zellen", []):
            blatt, adresse = ziel.split("!")
            werte[ziel] = neu.Sheets.getByName(blatt).getCellRangeByName(adresse).getValue()
        return {
            "meldung": text,
            "beispiel": beispiel,
            "blaetter": list(neu.Sheets.getElementNames()),
            "titel": neu.getTitle(),
            "url": neu.getURL(),
            "eigenschaften": eigenschaften,
            "werte": werte,
        }
    finally:
        leer.close(True)
        if neu is not None:
            neu.close(True)


def _verweise(zelle):
    felder = zelle.getTextFields().createEnumeration()
    urls = []
    while felder.hasMoreElements():
        urls.append(felder.nextElement().URL)
    return urls


def befehl(ctx, auftrag):
    """A new sheet with the given cells (a sheet protected on request), one menu command on it; what the clerk then
    sees: the message, the sheets, each asked-for cell (its kind, text, formula, links), documents opened."""
    desktop = _desktop(ctx)
    dokument = desktop.loadComponentFromURL("private:factory/scalc", "_blank", 0, ())
    vorher = desktop.getComponents().createEnumeration()
    alte = []
    while vorher.hasMoreElements():
        alte.append(vorher.nextElement())
    neue = []
    try:
        blatt = dokument.Sheets.getByIndex(0)
        for adresse, wert in auftrag.get("werte", {}).items():
            zelle = blatt.getCellRangeByName(adresse)
            if isinstance(wert, str):
                zelle.setString(wert)
            else:
                zelle.setValue(wert)
        if auftrag.get("schutz") is not None:
            blatt.protect(auftrag["schutz"])
        text = _befehl(ctx, dokument, auftrag["befehl"], auftrag.get("argument", ""))
        danach = desktop.getComponents().createEnumeration()
        while danach.hasMoreElements():
            kandidat = danach.nextElement()
            if not any(kandidat == alt for alt in alte):
                neue.append(kandidat)
        zellen = {}
        for adresse in auftrag.get("zellen", []):  # on the first sheet
            zelle = blatt.getCellRangeByName(adresse)
            zellen[adresse] = {"art": zelle.getType().value, "text": zelle.getString(), "formel": zelle.getFormula(),
                            "verweise": _verweise(zelle)}  # fmt: skip
        return {"meldung": text, "blaetter": list(dokument.Sheets.getElementNames()), "zellen": zellen,
                "neue_dokumente": len(neue), "geschuetzt": blatt.isProtected()}  # fmt: skip
    finally:
        dokument.close(True)
        for anderes in neue:
            anderes.close(True)


BEFEHLE = {"optionen": optionen, "gebietsschema": gebietsschema, "formeln": formeln, "pruefen": pruefen,
           "vorlage": vorlage, "befehl": befehl}  # fmt: skip


if __name__ == "__main__":
    kontext = verbinden(int(sys.argv[1]))
    ergebnis = BEFEHLE[sys.argv[2]](kontext, json.loads(sys.stdin.read() or "{}"))
    sys.stdout.write(json.dumps(ergebnis, ensure_ascii=False))
    sys.stdout.flush()
    os._exit(0)  # past the UNO bridge's teardown at interpreter exit, which now and then crashes (SIGSEGV)
