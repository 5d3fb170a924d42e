"""Checks as a catalogue: every finding pyxl reports is declared once and created from that declaration.

::

    pruefregeln/
      katalog.toml  the data: per area (Datei-Tor, Aufbau, Eingaben, …) each rule's id, severity, German title,
                    meaning and clause — the source of docs/pruefregeln.md
      katalog.py    loads it; befund("formel_ueberschrieben", meldung=…, zelle=…) makes a finding of it
      befund.py     the finding (Befund) and its severity (Schwere), one type for every check

It imports nothing else of pyxl, so templates (their cross rules), validators and budget checks all use it.
A new rule: an entry in ``katalog.toml``, then ``befund("neue_regel", …)`` where it is found, then ``pyxl doku``.
"""

from pyxl.pruefregeln.befund import KURZ, MELDUNG_MAX, Befund, Schwere, gekuerzt
from pyxl.pruefregeln.katalog import Bereich, Regel, UnbekannteRegel, befund, katalog, regel

__all__ = [
    "KURZ",
    "MELDUNG_MAX",
    "Befund",
    "Bereich",
    "Regel",
    "Schwere",
    "UnbekannteRegel",
    "befund",
    "gekuerzt",
    "katalog",
    "regel",
]
