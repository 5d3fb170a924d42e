"""What the official sees must be what is checked: a cell's number format, a hidden column or a number beside
the form can show a different amount than the one stored and checked.

A number format may round and decorate ("#,##0.00 €"), but must not write digits of its own ("1.824.261,65 €" as
literal text), choose by condition ("[=1250]2000"), hide a value (an empty section, ";;;"), scale it (a trailing
","), or show a percentage where the form has none. A column that holds form fields must be visible. A number in
a form row outside the form's fields could be taken for a result.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pyxl.pruefregeln import Befund, befund
from pyxl.templates.modell import Feld, Formular
from pyxl.validators.ausrichten import Zuordnung
from pyxl.validators.lesen import Mappe, Tabellenblatt

_PLATZHALTER = re.compile(r"[0#?@]|general|[dmyhs]", re.IGNORECASE)  # digits, text, date and time parts
_SKALIERUNG = re.compile(r"[0#?],+(?![0#?])")


def _zerlegen(code: str) -> tuple[list[str], str | None]:
    """The format's sections with literal text removed, or the reason it writes digits or decides by condition."""
    abschnitte, teil, i = [], [], 0
    while i < len(code):
        zeichen = code[i]
        if zeichen == '"':
            ende = code.find('"', i + 1)
            literal = code[i + 1 :] if ende < 0 else code[i + 1 : ende]
            if any(z.isdigit() for z in literal):
                return [], "schreibt Ziffern als Text"
            i = len(code) if ende < 0 else ende + 1
            continue
        if zeichen in "\\_*":  # escaped character, space the width of it, fill with it
            if i + 1 < len(code) and code[i + 1].isdigit():
                return [], "schreibt Ziffern als Text"
            i += 2
            continue
        if zeichen == "[":
            ende = code.find("]", i)
            inhalt = code[i + 1 : ende if ende >= 0 else len(code)]
            if inhalt[:1] in ("<", ">", "="):
                return [], "wählt die Anzeige nach einer Bedingung"
            i = len(code) if ende < 0 else ende + 1
            continue
        if zeichen == ";":
            abschnitte.append("".join(teil))
            teil = []
        else:
            teil.append(zeichen)
        i += 1
    abschnitte.append("".join(teil))
    return abschnitte, None


@lru_cache(maxsize=4096)  # a workbook has few formats, used by many cells
def verfaelschung(code: str, vorlage: str | None) -> str | None:
    """Why number format ``code`` would show something else than the stored number; None if it shows it."""
    abschnitte, grund = _zerlegen(code)
    if grund:
        return grund
    zahlen = abschnitte[:2]  # positive and negative numbers (zero and text sections may show "–" or nothing)
    if any(not _PLATZHALTER.search(a) for a in zahlen):
        return "blendet Zahlen aus"
    if any(_SKALIERUNG.search(a) for a in zahlen):
        return "zeigt die Zahl verkleinert (Tausender-Skalierung)"
    if any("%" in a for a in zahlen) and "%" not in (vorlage or ""):
        return "zeigt die Zahl als Prozent (× 100)"
    return None


def _felder_je_zeile(formular: Formular, blatt: str) -> dict[int, set[str]]:
    zeilen: dict[int, set[str]] = {}
    for feld in formular.felder:
        if feld.blatt == blatt:
            spalte = feld.zelle.rstrip("0123456789")
            zeilen.setdefault(int(feld.zelle[len(spalte) :]), set()).add(spalte)
            if feld.bis_spalte:  # a merged header field covers the columns to its right
                zeilen[int(feld.zelle[len(spalte) :])].add(feld.bis_spalte)
    return zeilen


def pruefe_darstellung(formular: Formular, mappe: Mappe, zuordnung: Zuordnung) -> list[Befund]:
    befunde: list[Befund] = []
    for vorlage_blatt in formular.blaetter:
        blatt = mappe.blaetter.get(vorlage_blatt.name)
        if blatt is None:
            continue
        felder = [f for f in formular.felder if f.blatt == blatt.name]
        befunde.extend(_formate(felder, blatt, mappe, zuordnung))
        befunde.extend(_spalten(felder, blatt))
        befunde.extend(_daneben(formular, blatt, zuordnung))
    return befunde


def _formate(felder: list[Feld], blatt: Tabellenblatt, mappe: Mappe, zuordnung: Zuordnung) -> list[Befund]:
    befunde = []
    for feld in felder:
        adresse = zuordnung.adresse(blatt.name, feld.zelle)
        zelle = blatt.zellen.get(adresse) if adresse else None
        if zelle is None or zelle.wert is None or not 0 <= zelle.stil < len(mappe.zahlenformate):
            continue
        code = mappe.zahlenformate[zelle.stil]
        grund = verfaelschung(code, feld.zahlenformat)
        if grund:
            befunde.append(
                befund(
                    "zahlenformat_verfaelscht",
                    blatt=blatt.name,
                    zelle=adresse,
                    meldung=f"Das Zahlenformat der Zelle {grund} – angezeigt wird nicht der gespeicherte Wert",
                    erwartet=feld.zahlenformat or "Standard",
                    gefunden=code,
                    schluessel=feld.schluessel,
                )
            )
    return befunde


def _spalten(felder: list[Feld], blatt: Tabellenblatt) -> list[Befund]:
    versteckt = {f.zelle.rstrip("0123456789") for f in felder}
    spalten = sorted((s for s in versteckt if blatt.spalte_versteckt(s)), key=lambda s: (len(s), s))
    if not spalten:
        return []
    return [
        befund(
            "spalte_ausgeblendet",
            blatt=blatt.name,
            zelle=f"{spalten[0]}1",
            meldung=f"Spalten mit Feldern des Vordrucks sind ausgeblendet oder zu schmal ({', '.join(spalten)}) – "
            "geprüft wird, was die Prüferin nicht sieht; bitte einblenden",
            gefunden=", ".join(spalten),
        )
    ]


def _daneben(formular: Formular, blatt: Tabellenblatt, zuordnung: Zuordnung) -> list[Befund]:
    """Numbers in a form row outside its fields: beside a total, they could be taken for it."""
    spalten_je_zeile = _felder_je_zeile(formular, blatt.name)
    zeile_der_vorlage = {}
    for vorlage, ziel in zuordnung.zeilen.get(blatt.name, {v: v for v in spalten_je_zeile}).items():
        if ziel is not None:
            zeile_der_vorlage[ziel] = vorlage
    gefunden = []
    for adresse, zelle in blatt.zellen.items():
        spalte = adresse.rstrip("0123456789")
        vorlage = zeile_der_vorlage.get(int(adresse[len(spalte) :]))
        if vorlage is None or spalte in spalten_je_zeile.get(vorlage, ()):
            continue
        wert = zelle.wert
        if zelle.formel is not None or (isinstance(wert, int | float) and not isinstance(wert, bool)):
            gefunden.append(adresse)
    if not gefunden:
        return []
    return [
        befund(
            "zahl_neben_dem_vordruck",
            blatt=blatt.name,
            zelle=gefunden[0],
            meldung=f"Zahlen oder Formeln in Zeilen des Vordrucks außerhalb seiner Felder ({', '.join(gefunden[:5])})"
            " – sie sind nicht Teil des Vordrucks und könnten für Ergebnisse gehalten werden",
            gefunden=", ".join(gefunden[:10]),
        )
    ]
