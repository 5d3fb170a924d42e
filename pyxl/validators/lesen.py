"""Read a gated xlsx container into a :class:`Mappe`: every cell's formula *and* cached value in one pass.

openpyxl reads either formulas or cached values per load; a check needs both, so the sheet parser is openpyxl's
own, extended to keep the cached value of formula cells. XML is parsed by defusedxml (openpyxl uses it when
installed). Sheets are read sparsely: a declared dimension of A1:XFD1048576 allocates nothing.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass, field

from defusedxml import DefusedXmlException, ElementTree
from openpyxl.reader.strings import read_string_table
from openpyxl.worksheet._reader import VALUE_TAG, WorkSheetParser, _cast_number

from pyxl.validators.befund import Befund, Schwere
from pyxl.validators.tor import REGEL, Abgelehnt, Container

NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
    "cp": "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties",
}
R_ID = f"{{{NS['r']}}}id"
# app|topic: a DDE call hidden in a formula (e.g. =cmd|' /C calc'!A0). Bounded repetition keeps the scan linear.
DDE = re.compile(r"(?<![A-Za-z0-9_.\-])[A-Za-z0-9_.\-]{1,255}\|")
FORMEL_MAX = 8192  # Excel's own limit on formula length
BEREICH = re.compile(r"^([A-Z]{1,3})(\d+)(?::([A-Z]{1,3})(\d+))?$")
ZEILEN_MAX, SPALTEN_MAX = 1_048_576, 16_384  # Excel's grid: a cell beyond it exists in no spreadsheet program


class _Texte(list):
    """The shared strings; a negative index is damage, not "count from the end" as in a Python list."""

    def __getitem__(self, index):
        if isinstance(index, int) and index < 0:
            raise IndexError(index)
        return super().__getitem__(index)


@dataclass(slots=True)
class Zelle:
    formel: str | None  # "=…" when the cell holds a formula
    wert: object  # the constant, or the cached result of the formula (None if never calculated)


@dataclass
class Tabellenblatt:
    name: str
    zustand: str  # visible, hidden, veryHidden
    zellen: dict[str, Zelle] = field(default_factory=dict)
    erklaerter_bereich: str | None = None


@dataclass
class Mappe:
    blaetter: dict[str, Tabellenblatt]
    namen: dict[str, str]  # defined name -> reference text as stored
    eigenschaften: dict[str, str]  # custom document properties
    befunde: list[Befund] = field(default_factory=list)


class _Parser(WorkSheetParser):
    """openpyxl's sheet parser, keeping a formula cell's cached value next to its formula."""

    def parse_cell(self, element):
        zelle = super().parse_cell(element)
        if zelle["data_type"] == "f":
            roh = element.findtext(VALUE_TAG, None)
            art = element.get("t", "n")
            if not roh:  # never calculated (e.g. written by a program)
                zelle["cached"] = None
            elif art == "n":
                zelle["cached"] = _cast_number(roh)
            elif art == "b":
                zelle["cached"] = bool(int(roh))
            else:  # str, e (error text like "#N/A")
                zelle["cached"] = roh
        return zelle


def _text(element: object | None) -> str:
    return "" if element is None else (element.text or "")  # type: ignore[attr-defined]


def lies_mappe(container: Container) -> Mappe:
    """The workbook's sheets, names, properties and cells; raises :class:`Abgelehnt` for unreadable XML."""
    try:
        return _lies(container)
    except Abgelehnt:
        raise
    except DefusedXmlException as fehler:
        raise Abgelehnt("xml_entitaeten", f"XML mit DTD/Entitäten abgelehnt ({type(fehler).__name__})") from None
    except (ElementTree.ParseError, KeyError, ValueError, TypeError, IndexError, zipfile.BadZipFile, EOFError):
        # the Python detail stays out of the report: users read German, and it would only echo the file's bytes
        raise Abgelehnt("beschaedigt", "Arbeitsmappe beschädigt oder nicht lesbar (fehlerhafter Aufbau)") from None


def _lies(container: Container) -> Mappe:
    mappe_xml = ElementTree.fromstring(container.lies("xl/workbook.xml"))
    ziele = _beziehungen(container, "xl/_rels/workbook.xml.rels", "xl")
    namen = {
        d.get("name", ""): _text(d)
        for d in mappe_xml.iterfind("m:definedNames/m:definedName", NS)
        if d.get("localSheetId") is None
    }
    texte = _Texte(
        read_string_table(container.oeffne("xl/sharedStrings.xml"))
        if "xl/sharedStrings.xml" in container.namen()
        else []
    )
    mappe = Mappe({}, namen, _eigenschaften(container), list(container.befunde))
    dde_namen = [n for n, bezug in namen.items() if len(bezug) > FORMEL_MAX or DDE.search(bezug[:FORMEL_MAX])]
    if dde_namen:
        mappe.befunde.append(
            Befund(
                regel="dde",
                schwere=Schwere.FEHLER,
                meldung=f"DDE-Aufruf in einem Namen ({', '.join(dde_namen[:5])}) – kann Programme starten",
                fundstelle=REGEL,
            )
        )
    for eintrag in mappe_xml.iterfind("m:sheets/m:sheet", NS):
        name, zustand = eintrag.get("name", "?"), eintrag.get("state", "visible")
        if name in mappe.blaetter:
            raise Abgelehnt("beschaedigt", f"Tabellenblatt „{name[:40]}“ ist doppelt vorhanden")
        blatt = Tabellenblatt(name, zustand)
        mappe.blaetter[name] = blatt
        if zustand != "visible":
            schwere = Schwere.FEHLER if zustand == "veryHidden" else Schwere.WARNUNG
            art = "sehr versteckt (nur per Makro sichtbar)" if zustand == "veryHidden" else "ausgeblendet"
            mappe.befunde.append(
                Befund(
                    regel="verstecktes_blatt",
                    schwere=schwere,
                    blatt=name,
                    meldung=f"Tabellenblatt „{name}“ ist {art}",
                    fundstelle=REGEL,
                )
            )
        ziel = ziele.get(eintrag.get(R_ID, ""))
        if not ziel or ziel not in container.namen() or not ziel.startswith("xl/"):
            raise Abgelehnt("beschaedigt", f"Der Inhalt des Tabellenblatts „{name[:40]}“ fehlt im Container")
        _lies_blatt(container, ziel, texte, blatt, mappe)
    return mappe


def _beziehungen(container: Container, teil: str, basis: str) -> dict[str, str]:
    if teil not in container.namen():
        return {}
    ziele = {}
    for beziehung in ElementTree.fromstring(container.lies(teil)).iterfind("rel:Relationship", NS):
        ziel = beziehung.get("Target", "")
        if beziehung.get("TargetMode") == "External":
            continue
        ziele[beziehung.get("Id", "")] = (
            ziel.lstrip("/") if ziel.startswith("/") else posixpath.normpath(posixpath.join(basis, ziel))
        )
    return ziele


def _eigenschaften(container: Container) -> dict[str, str]:
    if "docProps/custom.xml" not in container.namen():
        return {}
    wurzel = ElementTree.fromstring(container.lies("docProps/custom.xml"))
    return {p.get("name", ""): "".join(p.itertext()).strip() for p in wurzel.iterfind("cp:property", NS)}


def _lies_blatt(container: Container, teil: str, texte: list, blatt: Tabellenblatt, mappe: Mappe) -> None:
    daten = container.lies(teil)
    parser = _Parser(io.BytesIO(daten), texte)
    dde: list[str] = []
    for _zeile, zellen in parser.parse():
        for zelle in zellen:
            wert = zelle["value"]
            if wert is None and zelle.get("cached") is None:
                continue
            if not (1 <= zelle["row"] <= ZEILEN_MAX and 1 <= zelle["column"] <= SPALTEN_MAX):
                raise Abgelehnt("beschaedigt", f"Zelle außerhalb des Tabellenrasters in {blatt.name[:40]} "
                                f"(Zeile {zelle['row']}, Spalte {zelle['column']})")  # fmt: skip
            adresse = f"{_spalte(zelle['column'])}{zelle['row']}"
            if zelle["data_type"] == "f":
                formel = wert if isinstance(wert, str) else getattr(wert, "text", str(wert))
                if len(formel) > FORMEL_MAX:
                    raise Abgelehnt("beschaedigt", f"Formel in {blatt.name[:40]}!{adresse} länger als Excel erlaubt")
                if "|" in formel and DDE.search(formel):
                    dde.append(adresse)
                blatt.zellen[adresse] = Zelle(formel, zelle.get("cached"))
            else:
                blatt.zellen[adresse] = Zelle(None, str(wert) if zelle["data_type"] == "s" else wert)
    blatt.erklaerter_bereich = _bereich(daten[:4096])
    if dde:
        mappe.befunde.append(
            Befund(
                regel="dde",
                schwere=Schwere.FEHLER,
                blatt=blatt.name,
                zelle=dde[0],
                meldung=f"DDE-Formel (kann Programme starten) in {', '.join(dde[:5])}",
                fundstelle=REGEL,
            )
        )


_SPALTEN: dict[int, str] = {}


def _spalte(nummer: int) -> str:
    if nummer not in _SPALTEN:
        text, n = "", nummer
        while n:
            n, rest = divmod(n - 1, 26)
            text = chr(65 + rest) + text
        _SPALTEN[nummer] = text
    return _SPALTEN[nummer]


def _bereich(kopf: bytes) -> str | None:
    """The sheet's declared dimension, from the first bytes of its XML."""
    treffer = re.search(rb'<(?:\w+:)?dimension ref="([^"]+)"', kopf)
    return treffer.group(1).decode("ascii", "replace") if treffer else None


def flaeche(bereich: str) -> int:
    """Rows × columns of a declared range like A1:XFD1048576."""
    treffer = BEREICH.match(bereich.replace("$", ""))
    if not treffer or not treffer.group(3):
        return 1
    von_s, von_z, bis_s, bis_z = treffer.groups()
    spalten = _spaltennummer(bis_s) - _spaltennummer(von_s) + 1
    return spalten * (int(bis_z) - int(von_z) + 1)


def _spaltennummer(text: str) -> int:
    nummer = 0
    for zeichen in text:
        nummer = nummer * 26 + ord(zeichen) - 64
    return nummer
