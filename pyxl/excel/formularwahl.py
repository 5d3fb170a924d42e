"""The form choice of the task pane: short names that tell the forms apart at its real width (320–350 px).

A form's full name ("Anlage 4 Anhang 3 zur Satzung über Höchsttarife (…) – Trennungsrechnung …") is cut after
about 30 characters in a closed list box, and the three ÖPNV forms all begin alike. So each option shows what sets
it apart ("Anlage 4 Anhang 3: Trennungsrechnung …"), grouped under the rule they share (the words all subtitles of a
family end with: "RZWas 2005", "Satzung über Höchsttarife (…)"); the full name stays in the tooltip and in the line
under the list box (macros/static/pyxl-addin.js keeps it in step with the choice).
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from itertools import groupby

# words that join a form's own name to the rule it belongs to ("Anlage 3a zu den RZWas 2005")
BINDEWOERTER = ("zu den", "zum", "zur", "der", "des", "nach dem", "nach der", "nach")


def _gemeinsames_ende(texte: list[str]) -> str:
    """The words every text ends with; "" when there is only one text (it has no family to share with)."""
    if len(texte) < 2:
        return ""
    woerter = [t.split() for t in texte]
    n = 0
    while n < min(map(len, woerter)) and len({w[-1 - n] for w in woerter}) == 1:
        n += 1
    return " ".join(woerter[0][len(woerter[0]) - n :])


def _ohne_bindewort(text: str) -> str:
    """``text`` without a joining word at its end ("Anlage 3a zu den" → "Anlage 3a")."""
    for wort in BINDEWOERTER:
        if text.endswith(" " + wort):
            return text[: -len(wort) - 1]
    return text


def _regelwerk(ende: str) -> str:
    """The shared ending without a joining word at its start ("zu den RZWas 2005" → "RZWas 2005")."""
    for wort in BINDEWOERTER:
        if ende.startswith(wort + " "):
            return ende[len(wort) + 1 :]
    return ende


def kurzname(untertitel: str, titel: str, regelwerk: str) -> str:
    """What the option shows: the form's own part of its subtitle and its title, without the shared rule."""
    eigen = _ohne_bindewort(untertitel.removesuffix(regelwerk).strip()) if regelwerk else ""
    if not eigen or titel.startswith(eigen.split()[0]):  # "Teilergebnisplan" … "Teilergebnisplan eines Produkts"
        return titel
    return f"{eigen}: {titel}"


def vollname(untertitel: str, titel: str) -> str:
    return f"{untertitel} – {titel}"


def gruppen(formulare: Mapping[str, object] | None = None) -> list[tuple[str, list[tuple[str, str, str]]]]:
    """The forms by family (RZWAS, NKF, OEPNV): (shared rule or "", [(id, short name, full name)]) — the task pane's
    list box and the LibreOffice extension's menu "Neue Vorlage" alike."""
    if formulare is None:
        from pyxl.templates import formulare as alle

        formulare = alle()
    ergebnis = []
    for _familie, gruppe in groupby(formulare.items(), key=lambda eintrag: eintrag[0].split("-")[0]):
        gruppe = list(gruppe)
        regelwerk = _regelwerk(_gemeinsames_ende([f.untertitel for _k, f in gruppe]))
        ergebnis.append(
            (
                regelwerk,
                [
                    (kennung, kurzname(f.untertitel, f.titel, regelwerk), vollname(f.untertitel, f.titel))
                    for kennung, f in gruppe
                ],
            )
        )
    return ergebnis


def optionen(formulare: Mapping[str, object]) -> str:
    """The ``<optgroup>``/``<option>`` lines of the form list box, one group per family."""
    zeilen = []
    for regelwerk, eintraege in gruppen(formulare):
        if regelwerk:
            zeilen.append(f'          <optgroup label="{html.escape(regelwerk)}">')
        for kennung, kurz, voll in eintraege:
            zeilen.append(
                f'            <option value="{html.escape(kennung)}" title="{html.escape(voll)}">'
                f"{html.escape(kurz)}</option>"
            )
        if regelwerk:
            zeilen.append("          </optgroup>")
    return "\n".join(zeilen)
