"""Versioned rule parameters: every number of a rule, once, as data with its clause — one face over:

```
_daten.py      frozen models built from TOML (quick path, pydantic for the rest)
_ausgaben.py   editions: files, validity dates, choice by name or date, fingerprints (Regelwerk, Ausgabe)
_rzwas.py      RZWas Anlagen 2a/2b                 rzwas(ausgabe, stand=)
_oepnv.py      VO 1370 Satzung of a county         oepnv(kreis, stand=), oepnv_aus_datei(pfad)
_basiszins.py  Basiszinssatz § 247 BGB             basiszinssatz(stand=)
_nkf.py        budget plan schemes per state       nkf(land, stand=), nkf_laender()
_statistik.py  report statistics                   berichtsstatistik(stand=)
```

Every model class of the family modules is part of this face (``from pyxl.parameter import Meta``: RZWas's).

No module of pyxl chooses an edition at import: calculators and form builders receive their parameter set as an
argument, and the adapters (command line, add-in, validator) choose it by name, by date or from a form's metadata.
"""

from __future__ import annotations

from pyxl.parameter._ausgaben import (
    ORDNER,
    UMGEBUNG,
    Ausgabe,
    Gueltigkeit,
    KeineAusgabeZumStand,
    Regelwerk,
    UnbekannteAusgabe,
    aktuell,
    alle_pruefen,
    aus_datei,
    dateien,
    finde,
    lade,
    lade_toml,
    pruefsumme,
    reihe,
    reihen,
    stimmt,
    suchordner,
    waehle,
    waehle_benannt,
    zum_stand,
)
from pyxl.parameter._basiszins import Basiszins, basiszinssatz
from pyxl.parameter._daten import _bauen, _Daten
from pyxl.parameter._nkf import NKFMeta, NKFParameter, Planschema, Summenzeile, nkf, nkf_laender
from pyxl.parameter._oepnv import NurRef, OEPNVParameter, Satz, oepnv, oepnv_aus_datei
from pyxl.parameter._rzwas import (
    Anlage2a,
    Anlage2b,
    Ausbaukosten,
    Druckleitung,
    Gebaeudeformel,
    Ingenieurzuschlag,
    Mengen,
    Meta,
    NachruestungAlt,
    Potenzformel,
    Referenz,
    Regenbecken,
    RZWasParameter,
    Sanierung,
    Stufentabelle,
    Verfahren,
    Vertrauensschutz,
    Zuwendungssatz,
    Zuwendungssatzstelle,
    rzwas,
)
from pyxl.parameter._statistik import Berichtsstatistik, berichtsstatistik

__all__ = [
    "ORDNER",
    "UMGEBUNG",
    "Anlage2a",
    "Anlage2b",
    "Ausbaukosten",
    "Ausgabe",
    "Basiszins",
    "Berichtsstatistik",
    "Druckleitung",
    "Gebaeudeformel",
    "Gueltigkeit",
    "Ingenieurzuschlag",
    "KeineAusgabeZumStand",
    "Mengen",
    "Meta",
    "NKFMeta",
    "NKFParameter",
    "NachruestungAlt",
    "NurRef",
    "OEPNVParameter",
    "Planschema",
    "Potenzformel",
    "RZWasParameter",
    "Referenz",
    "Regelwerk",
    "Regenbecken",
    "Sanierung",
    "Satz",
    "Stufentabelle",
    "Summenzeile",
    "UnbekannteAusgabe",
    "Verfahren",
    "Vertrauensschutz",
    "Zuwendungssatz",
    "Zuwendungssatzstelle",
    "_Daten",
    "_bauen",
    "aktuell",
    "alle_pruefen",
    "aus_datei",
    "basiszinssatz",
    "berichtsstatistik",
    "dateien",
    "finde",
    "lade",
    "lade_toml",
    "nkf",
    "nkf_laender",
    "oepnv",
    "oepnv_aus_datei",
    "pruefsumme",
    "reihe",
    "reihen",
    "rzwas",
    "stimmt",
    "suchordner",
    "waehle",
    "waehle_benannt",
    "zum_stand",
]
