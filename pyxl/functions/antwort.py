"""A function's result as data: the one JSON shape of ``pyxl fn --json`` and the add-in's "Rechenweg".

Both adapters print the same keys, so a script that reads one reads the other: ``function``, ``value`` (Decimals
as text, a column as a list), ``unit``, ``clause``, ``notes``, ``pyxl_version``, ``rules`` (the parameter sets with
edition and fingerprint) and, when the trace was recorded, ``trace`` and ``parameters``.
"""

from __future__ import annotations

from pyxl import __version__
from pyxl.functions.registry import Ergebnis, Funktion


def ergebnis_json(funktion: Funktion, ergebnis: Ergebnis) -> dict[str, object]:
    """The result of one call of ``funktion`` as a JSON-ready dict (texts as the editions used state them)."""
    daten: dict[str, object] = {
        "function": funktion.name,
        "value": [str(w) for w in ergebnis.wert] if isinstance(ergebnis.wert, list) else str(ergebnis.wert),
        "unit": funktion.text("einheit", ergebnis.regelwerke),
        "clause": funktion.text("regel", ergebnis.regelwerke),
        "notes": [str(h) for h in ergebnis.hinweise],
        "pyxl_version": __version__,
        "rules": ergebnis.regeln_json(),
    }
    if ergebnis.spur is not None:
        daten |= ergebnis.spur.als_json()
    return daten


def regeln_text(regeln: list[dict[str, object]], version: str = __version__) -> str:
    """``Regeln: RZWas 2005 (Prüfsumme 35d820917fc6) · pyxl 0.1.0`` — what a result or a report was computed with,
    in one line: the footer of ``pyxl fn --erklaeren``, of text and HTML reports and of the Prüfbericht sheet."""
    ausgaben = "; ".join(f"{r['edition']} (Prüfsumme {str(r['hash'])[:12]})" for r in regeln)
    return f"Regeln: {ausgaben or 'keine Regelparameter verwendet'} · pyxl {version}"
