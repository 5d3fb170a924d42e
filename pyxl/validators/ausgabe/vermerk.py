"""The record of a check ("Prüfvermerk") as every report shows it: when, which file (name, size, SHA-256), which
form and version. One formatter, so text, HTML and the sheet "Prüfbericht" say the same."""

from __future__ import annotations

import datetime as dt
from pathlib import PurePath

from pyxl.functions.zahlen import deutsch
from pyxl.validators.befund import Bericht


def zeitpunkt(iso: str) -> str:
    """``2026-12-02T06:31:07+00:00`` → ``02.12.2026, 06:31 Uhr (UTC+00:00)``; the offset is kept, so a report
    read in another time zone still names the moment."""
    try:
        zeit = dt.datetime.fromisoformat(iso)
    except ValueError:
        return iso  # not ours to guess: shown as recorded
    text = f"{zeit:%d.%m.%Y, %H:%M} Uhr"
    versatz = zeit.utcoffset()
    if versatz is not None:
        minuten = int(versatz.total_seconds()) // 60
        vorzeichen = "-" if minuten < 0 else "+"
        text += f" (UTC{vorzeichen}{abs(minuten) // 60:02d}:{abs(minuten) % 60:02d})"
    return text


def groesse(anzahl: int | None) -> str:
    """``14002`` → ``14.002 Bytes`` (German thousands, exact: an auditor compares it with the file)."""
    if anzahl is None:
        return "nicht lesbar"
    return f"{deutsch(anzahl)} {'Byte' if anzahl == 1 else 'Bytes'}"


def formular(bericht: Bericht) -> str:
    name = bericht.formular or "unbekannt"
    return f"{name}, Version {bericht.version}" if bericht.version else name


IM_EXCEL = "– (geprüft wurde der Stand in Excel, keine gespeicherte Datei)"


def vermerk(bericht: Bericht, im_excel: bool = False) -> list[tuple[str, str]]:
    """The record as (label, value) rows, in the order all reports show them. ``im_excel``: the add-in checked
    the open workbook, so there are no file bytes to name by size and hash (not "unreadable")."""
    return [
        ("Geprüft am", zeitpunkt(bericht.geprueft_am)),
        ("Datei", PurePath(bericht.datei).name or bericht.datei),
        ("Größe", IM_EXCEL if im_excel else groesse(bericht.groesse)),
        ("SHA-256", "–" if im_excel else bericht.sha256 or "–"),
        ("Formular und Version", formular(bericht)),
    ]
