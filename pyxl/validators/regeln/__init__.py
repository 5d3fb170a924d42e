"""The rules a filled form must meet, all read from its spec — split along the catalogue of findings
(:mod:`pyxl.pruefregeln`, ``docs/pruefregeln.md``)::

    regeln/
      pruefer.py         Pruefer: one submission against one form, every group below in report order
      grundlage.py       what the groups share: workbook, form, row mapping, placing a finding (melde)
      struktur.py        sheets, rows deleted or inserted, anchors, names, display
      eingaben.py        required, numbers (also as text), whole numbers, ranges, lists, dates
      beschriftungen.py  locked labels and the rule's parameters
      formeln.py         formulas overwritten or changed, results recomputed, the rule's notes
      kreuzregeln.py     the form's own cross rules, placed on their cells
      werte.py           values as reports show and checks compare them (cent, range, German numbers)

Each formula cell is recomputed in Python from the values the submission itself shows for its inputs and
precedent cells, so one wrong cell yields one finding — nothing cascades down the sheet.
"""

from pyxl.validators.regeln.pruefer import Pruefer, pruefe_formular
from pyxl.validators.regeln.werte import (
    CENT,
    FEHLERWERTE_DEUTSCH,
    GRENZE_ZAHL,
    gleich_auf_cent,
    nachkommastellen,
    zeige_wert,
    zu_gross,
)

__all__ = [
    "CENT",
    "FEHLERWERTE_DEUTSCH",
    "GRENZE_ZAHL",
    "Pruefer",
    "gleich_auf_cent",
    "nachkommastellen",
    "pruefe_formular",
    "zeige_wert",
    "zu_gross",
]
