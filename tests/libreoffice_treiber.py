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


OPTIONSSEITE = "vnd.sun.star.extension://org.pyxl.libreoffice/dialog/Einstellungen.xdl"


def _optionsseite(ctx, behandler):
    """The page "pyxl › Server" as Extras › Optionen builds it: the extension's dialog, filled by its handler."""
    dokument = _desktop(ctx).loadComponentFromURL("private:factory/scalc", "_blank", 0, ())
    anbieter = ctx.ServiceManager.createInstanceWithContext("com.sun.star.awt.ContainerWindowProvider", ctx)
    eltern = dokument.CurrentController.Frame.getContainerWindow()
    fenster = anbieter.createContainerWindow(OPTIONSSEITE, "", eltern, behandler)
    behandler.callHandlerMethod(fenster, "initialize", "external_event")
    return dokument, fenster


def optionen(ctx, auftrag):
    """Open the options page, type into it, press OK; open it again: what it shows and what is stored."""
    behandler = ctx.ServiceManager.createInstanceWithContext("org.pyxl.libreoffice.Optionen", ctx)
    dokument, fenster = _optionsseite(ctx, behandler)
    try:
        for name, text in auftrag["eingabe"].items():
            fenster.getControl(name).setText(text)
        behandler.callHandlerMethod(fenster, "ok", "external_event")
    finally:
        fenster.dispose()
        dokument.close(True)
    dokument, neu = _optionsseite(ctx, behandler)
    try:
        gezeigt = {name: neu.getControl(name).getText() for name in ("Adresse", "Token", "Zeitlimit")}
    finally:
        neu.dispose()
        dokument.close(True)
    knoten = _konfiguration(ctx, EINSTELLUNGEN)
    return {
        "gezeigt": gezeigt,
        "gespeichert": {"Adresse": knoten.Adresse, "Token": knoten.Token, "Zeitlimit": knoten.Zeitlimit},
    }


def menue(ctx, auftrag):
    """The menu and toolbar LibreOffice merged from the extension; then "Vorlage prüfen" chosen from the menu
    (its command URL dispatched to the document's frame, as a click does)."""
    leisten = _konfiguration(ctx, "/org.openoffice.Office.Addons/AddonUI/OfficeToolBar")
    menues = _konfiguration(ctx, "/org.openoffice.Office.Addons/AddonUI/OfficeMenuBar")
    menue = menues.getByName("org.pyxl.libreoffice.menue")
    eintraege = [menue.Submenu.getByName(n).Title for n in sorted(menue.Submenu.getElementNames())]
    vorlagen = menue.Submenu.getByName("m2").Submenu
    formulare = {}  # rule → [(title, command)] of "Neue Vorlage"
    for gruppe in sorted(vorlagen.getElementNames()):
        knoten = vorlagen.getByName(gruppe)
        formulare[knoten.Title] = [
            (knoten.Submenu.getByName(n).Title, knoten.Submenu.getByName(n).URL)
            for n in sorted(knoten.Submenu.getElementNames())
        ]
    dokument = _desktop(ctx).loadComponentFromURL(uno.systemPathToFileUrl(auftrag["datei"]), "_blank", 0, ())
    try:
        helfer = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.DispatchHelper", ctx)
        rahmen = dokument.CurrentController.Frame
        helfer.executeDispatch(rahmen, "service:org.pyxl.libreoffice.Befehle?vorlage_pruefen", "", 0, ())
        bild = _bild(dokument)
    finally:
        dokument.close(True)
    # pyxl › Meldung zur Zelle on the selected cell
    dokument = _desktop(ctx).loadComponentFromURL("private:factory/scalc", "_blank", 0, ())
    try:
        zelle = dokument.Sheets.getByIndex(0).getCellRangeByName("A1")
        zelle.setFormula(auftrag["formel"])
        dokument.calculateAll()
        dokument.CurrentController.select(zelle)
        meldung = _befehl(ctx, dokument, "meldung")
    finally:
        dokument.close(True)
    knoepfe = {
        name: [leisten.getByName(name).getByName(k).Title for k in sorted(leisten.getByName(name).getElementNames())]
        for name in leisten.getElementNames()
    }
    return {"leisten": knoepfe, "menue": eintraege, "formulare": formulare, "blaetter": bild,
            "meldung": meldung}  # fmt: skip


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
        if auftrag.get("ods"):  # saved as .ods, opened again, recalculated: the cells as then shown
            url = uno.systemPathToFileUrl(auftrag["ods"])
            dokument.storeToURL(url, (_pv("FilterName", "calc8"),))
            wieder = _desktop(ctx).loadComponentFromURL(url, "_blank", 0, ())
            try:
                wieder.calculateAll()
                blatt = wieder.Sheets.getByIndex(0)
                gelesen = {a: blatt.getCellRangeByName(a).getValue() for a in auftrag["formeln"]}
            finally:
                wieder.close(True)
            return {"zellen": ergebnis, "dauer": dauer, "ods": gelesen}
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
            start = time.monotonic()
            text = _befehl(ctx, dokument, "vorlage_pruefen")
            dauer = time.monotonic() - start
            if auftrag.get("pdf") and runde == 0:  # the report as it prints
                bericht = dokument.Sheets.getByName("Prüfbericht")
                zeiger = bericht.createCursor()
                zeiger.gotoEndOfUsedArea(False)
                ende = zeiger.getRangeAddress()
                auswahl = bericht.getCellRangeByPosition(0, 0, ende.EndColumn, ende.EndRow)
                filter_daten = uno.Any("[]com.sun.star.beans.PropertyValue", (_pv("Selection", auswahl),))
                argumente = (_pv("FilterName", "calc_pdf_Export"), _pv("FilterData", filter_daten))
                # uno.invoke: the filter wants its data typed as a sequence of PropertyValue
                uno.invoke(dokument, "storeToURL", (uno.systemPathToFileUrl(auftrag["pdf"]), argumente))
            runden.append(
                {
                    "runde": runde,
                    "meldung": text,
                    "dauer": dauer,
                    "blaetter": _bild(dokument),
                    "fuellungen": {z: _fuellung(dokument, *z.split("!")) for z in auftrag.get("zellen", [])},
                    "geaendert": dokument.isModified(),
                }
            )
        return {"runden": runden}
    finally:
        dokument.close(True)


def vorlage(ctx, auftrag):
    """ "Neue Vorlage" (a form as a new document), then "Beispiel laden" in it, then "Neue Vorlage" from the form."""
    vorher = _dokumente(ctx)
    leer = _desktop(ctx).loadComponentFromURL("private:factory/scalc", "_blank", 0, ())
    text = _befehl(ctx, leer, "neue_vorlage", auftrag["kennung"])
    neu = next((d for d in _dokumente(ctx) if d != leer and d not in vorher and hasattr(d, "Sheets")), None)
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
        # "Neue Vorlage" chosen again with the form in front: another new document, the open form untouched
        aus_vorlage = _befehl(ctx, neu, "neue_vorlage", auftrag["kennung"])
        return {
            "meldung": text,
            "beispiel": beispiel,
            "aus_vorlage": aus_vorlage,
            "blaetter": list(neu.Sheets.getElementNames()),
            "titel": neu.getTitle(),
            "url": neu.getURL(),
            "eigenschaften": eigenschaften,
            "werte": werte,
        }
    finally:
        for dokument in _dokumente(ctx):  # the empty one, the form and the second form
            if dokument not in vorher:
                dokument.close(True)


def kennwort(ctx, auftrag):
    """A form whose sheet the clerk's office protected with a password: Vorlage prüfen and Beispiel laden on it."""
    vorher = _dokumente(ctx)
    leer = _desktop(ctx).loadComponentFromURL("private:factory/scalc", "_blank", 0, ())
    try:
        _befehl(ctx, leer, "neue_vorlage", auftrag["kennung"])
        neu = next(d for d in _dokumente(ctx) if d != leer and d not in vorher and hasattr(d, "Sheets"))
        blatt = neu.Sheets.getByName(auftrag["blatt"])
        blatt.unprotect("")
        blatt.getCellRangeByName(auftrag["zelle"]).setValue(auftrag["wert"])  # a formula overwritten: a finding
        blatt.protect("geheim")
        pruefen = _befehl(ctx, neu, "vorlage_pruefen")
        zelle = blatt.getCellRangeByName(auftrag["zelle"])
        return {"pruefen": pruefen, "notiz": zelle.getAnnotation().getString(), "farbe": zelle.CellBackColor,
                "geschuetzt": blatt.isProtected(), "beispiel": _befehl(ctx, neu, "beispiel_laden")}  # fmt: skip
    finally:
        for dokument in _dokumente(ctx):
            if dokument not in vorher:
                dokument.close(True)


def _dokumente(ctx):
    dokumente = _desktop(ctx).getComponents().createEnumeration()
    alle = []
    while dokumente.hasMoreElements():
        alle.append(dokumente.nextElement())
    return alle


def excel_namen(ctx, auftrag):
    """An .xlsx from Excel with pyxl functions opened; pyxl › Excel-Formeln übernehmen; each cell as shown."""
    dokument = _desktop(ctx).loadComponentFromURL(uno.systemPathToFileUrl(auftrag["datei"]), "_blank", 0, ())
    try:
        blatt = dokument.Sheets.getByIndex(0)
        vorher = {a: blatt.getCellRangeByName(a).getError() for a in auftrag["zellen"]}
        meldung = _befehl(ctx, dokument, "excel_namen")
        dokument.calculateAll()
        nachher = {a: blatt.getCellRangeByName(a).getString() for a in auftrag["zellen"]}
        zweimal = _befehl(ctx, dokument, "excel_namen")
        return {"vorher": vorher, "meldung": meldung, "nachher": nachher, "zweimal": zweimal}
    finally:
        dokument.close(True)


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


def ohne_dokument(ctx, auftrag):
    """Commands with no spreadsheet in front (the Start Center, a text document): what the clerk is told."""
    return {name: _befehl(ctx, None, name) for name in auftrag["befehle"]}


BEFEHLE = {"optionen": optionen, "gebietsschema": gebietsschema, "formeln": formeln, "pruefen": pruefen,
           "vorlage": vorlage, "menue": menue, "excel_namen": excel_namen, "befehl": befehl,
           "ohne_dokument": ohne_dokument, "kennwort": kennwort}  # fmt: skip


if __name__ == "__main__":
    kontext = verbinden(int(sys.argv[1]))
    ergebnis = BEFEHLE[sys.argv[2]](kontext, json.loads(sys.stdin.read() or "{}"))
    sys.stdout.write(json.dumps(ergebnis, ensure_ascii=False))
    sys.stdout.flush()
    # pyuno may crash while tearing down the bridge at interpreter exit (SIGSEGV seen in 1 of ~10 runs): the answer
    # is complete, so leave without the teardown
    os._exit(0)
