"""Read a gated xlsx container into a :class:`Mappe`: every cell's formula *and* cached value in one pass.

openpyxl reads either formulas or cached values per load; a check needs both, so the sheet parser is openpyxl's
own, extended to keep the cached value of formula cells. XML is parsed by defusedxml (openpyxl uses it when
installed). Sheets are read sparsely: a declared dimension of A1:XFD1048576 allocates nothing.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field

from defusedxml import DefusedXmlException, ElementTree
from openpyxl.formula.translate import TranslatorError
from openpyxl.reader.strings import read_string_table
from openpyxl.styles.numbers import BUILTIN_FORMATS
from openpyxl.worksheet._reader import FORMULA_TAG, VALUE_TAG, WorkSheetParser, _cast_number

from pyxl.functions.zahlen import deutsch
from pyxl.pruefregeln import Befund, Schwere, befund, gekuerzt
from pyxl.validators.tor import Abgelehnt, Container

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
# What Excel reads in <v>: xsd:double without INF/NaN, ASCII digits only (Python's float() also takes "1_0", "inf",
# " 5" and fullwidth digits); shared-string indexes and booleans likewise
ZAHL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?\Z")
GANZZAHL = re.compile(r"[0-9]{1,10}\Z")
WAHRHEIT = re.compile(r"[01]\Z")
KOORDINATE = re.compile(r"[A-Z]{1,3}[0-9]{1,7}\Z")
# Rows lower than this (points) and columns narrower than this (characters) show nothing legible: hidden
UNLESBAR_PT, UNLESBAR_ZEICHEN = 3.0, 0.5
# Counted in the raw XML before parsing: what the check would cost
ZELLE_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")
STIL_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?xf[\s/>]")


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
    stil: int = 0  # index into the workbook's cell formats (what the cell looks like)


@dataclass
class Tabellenblatt:
    name: str
    zustand: str  # visible, hidden, veryHidden
    zellen: dict[str, Zelle] = field(default_factory=dict)
    erklaerter_bereich: str | None = None
    versteckte_zeilen: set[int] = field(default_factory=set)
    versteckte_spalten: list[tuple[int, int]] = field(default_factory=list)  # hidden or too narrow: first, last
    zeilen_standard_versteckt: bool = False  # sheetFormatPr zeroHeight: rows without a height are hidden
    sichtbare_zeilen: set[int] = field(default_factory=set)  # rows with an explicit height (with the above)

    def spalte_versteckt(self, spalte: str) -> bool:
        nummer = _spaltennummer(spalte)
        return any(von <= nummer <= bis for von, bis in self.versteckte_spalten)

    def zeile_versteckt(self, zeile: int) -> bool:
        if zeile in self.versteckte_zeilen:
            return True
        return self.zeilen_standard_versteckt and zeile not in self.sichtbare_zeilen


@dataclass
class Mappe:
    blaetter: dict[str, Tabellenblatt]
    namen: dict[str, str]  # defined name -> reference text as stored
    eigenschaften: dict[str, str]  # custom document properties
    befunde: list[Befund] = field(default_factory=list)
    stile: int = 0  # cell formats (xf) in the styles part: what an annotated copy would have to load
    zahlenformate: list[str] = field(default_factory=list)  # cell format index -> number format code
    lokale_namen: dict[str, list[str]] = field(default_factory=dict)  # sheet-scoped names (lower case) -> refs


class _Parser(WorkSheetParser):
    """openpyxl's sheet parser, keeping a formula cell's cached value next to its formula, reading numbers,
    indexes and coordinates by the OOXML grammar only (Python's ``int("1_412")`` or fullwidth digits are no
    numbers to Excel), and noting which rows are hidden."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.versteckt: set[int] = set()
        self.versteckte_spalten: list[tuple[int, int]] = []
        self.sichtbar: set[int] = set()  # rows with an explicit height > 0 (matters when rows default to hidden)

    def parse_row(self, row):
        attrs = row.attrib
        if "r" in attrs and not GANZZAHL.match(attrs["r"]):
            raise Abgelehnt("beschaedigt", "Zeilennummer, die Excel nicht liest (manipulierte Datei)",
                            gefunden=attrs["r"])  # fmt: skip
        nummer, zellen = super().parse_row(row)
        hoehe = attrs.get("ht")
        flach = hoehe is not None and ZAHL.match(hoehe) is not None and float(hoehe) < UNLESBAR_PT
        if attrs.get("hidden") in ("1", "true") or flach:
            self.versteckt.add(nummer)
        elif hoehe is not None:
            self.sichtbar.add(nummer)
        return nummer, zellen

    def parse_column_dimensions(self, col):
        super().parse_column_dimensions(col)
        von, bis, breite = col.get("min", ""), col.get("max", ""), col.get("width")
        schmal = breite is not None and ZAHL.match(breite) is not None and float(breite) < UNLESBAR_ZEICHEN
        if (col.get("hidden") in ("1", "true") or schmal) and GANZZAHL.match(von) and GANZZAHL.match(bis):
            self.versteckte_spalten.append((int(von), int(bis)))  # a range, not its columns: max may be 16.384

    def parse_formula(self, element):
        formel = element.find(FORMULA_TAG)
        if formel.get("t") == "shared" and formel.text and not formel.get("ref"):
            # a shared formula's master without its range: LibreOffice shows no formula there at all
            raise Abgelehnt("beschaedigt", "Geteilte Formel ohne Bereich (ref) – manipulierte oder beschädigte Datei")
        return super().parse_formula(element)

    def parse_cell(self, element):
        koordinate = element.get("r")
        if koordinate is not None and not KOORDINATE.match(koordinate):
            raise Abgelehnt("beschaedigt", "Zelladresse, die Excel nicht liest (manipulierte Datei)",
                            gefunden=koordinate)  # fmt: skip
        art = element.get("t", "n")
        roh = element.findtext(VALUE_TAG, None)
        falsch = roh and art in ("n", "s", "b") and not {"n": ZAHL, "s": GANZZAHL, "b": WAHRHEIT}[art].match(roh)
        if falsch:  # read as an empty cell; the finding names the cell and the text
            element.find(VALUE_TAG).text = None
        zelle = super().parse_cell(element)
        if falsch:
            zelle["ungueltig"] = roh
        if zelle["data_type"] == "f":
            if not roh or falsch:  # never calculated (e.g. written by a program)
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
    except (ElementTree.ParseError, KeyError, ValueError, TypeError, IndexError, zipfile.BadZipFile, EOFError,
            TranslatorError):  # fmt: skip
        # the Python detail stays out of the report: users read German, and it would only echo the file's bytes
        raise Abgelehnt("beschaedigt", "Arbeitsmappe beschädigt oder nicht lesbar (fehlerhafter Aufbau)") from None


def _lies(container: Container) -> Mappe:
    paket, grenzen = container.paket, container.grenzen
    hauptteil = paket.hauptteil
    mappe_xml = ElementTree.fromstring(container.lies(hauptteil))
    ziele = {b.kennung: b for b in paket.beziehungen(hauptteil)}
    eintraege = mappe_xml.findall("m:sheets/m:sheet", NS)
    definiert = mappe_xml.findall("m:definedNames/m:definedName", NS)
    _zaehlen(len(eintraege), grenzen.blaetter, "Tabellenblätter")
    _zaehlen(len(definiert), grenzen.namen, "definierte Namen")
    namen: dict[str, str] = {}
    lokale: dict[str, list[str]] = {}
    gesehen: set[str] = set()
    for eintrag in definiert:
        name = eintrag.get("name", "")
        if eintrag.get("localSheetId") is not None:
            lokale.setdefault(name.lower(), []).append(_text(eintrag))
        elif name.lower() in gesehen:  # Excel's names ignore case: which of the two counts is unclear
            raise Abgelehnt(
                "beschaedigt", f"Der Name „{gekuerzt(name, 40)}“ ist doppelt definiert (manipulierte Datei)"
            )
        else:
            gesehen.add(name.lower())
            namen[name] = _text(eintrag)
    texte_teil = paket.eine(hauptteil, "sharedstrings")
    texte = _Texte()
    if texte_teil is not None:
        roh = container.lies(texte_teil)
        _zaehlen(roh.count(b"<si") + roh.count(b":si"), grenzen.geteilte_texte, "geteilte Texte")
        texte.extend(read_string_table(io.BytesIO(roh)))
    stile_teil = paket.eine(hauptteil, "styles")
    stile_xml = container.lies(stile_teil) if stile_teil else b""
    stile = len(STIL_TAG.findall(stile_xml))
    _zaehlen(stile, grenzen.stile, "Zellformate")
    mappe = Mappe({}, namen, _eigenschaften(container), list(container.befunde), stile)
    mappe.zahlenformate, mappe.lokale_namen = _zahlenformate(stile_xml), lokale
    dde_namen = [n for n, bezug in namen.items() if len(bezug) > FORMEL_MAX or DDE.search(bezug[:FORMEL_MAX])]
    if dde_namen:
        mappe.befunde.append(
            befund("dde", meldung=f"DDE-Aufruf in einem Namen ({', '.join(dde_namen[:5])}) – kann Programme starten")
        )
    gelesen: set[str] = set()
    zellen = 0
    for eintrag in eintraege:
        name, zustand = eintrag.get("name", "?"), eintrag.get("state", "visible")
        if name in mappe.blaetter:
            raise Abgelehnt("beschaedigt", f"Tabellenblatt „{name[:40]}“ ist doppelt vorhanden")
        beziehung = ziele.get(eintrag.get(R_ID, ""))
        if beziehung is None or beziehung.ziel is None:
            raise Abgelehnt("beschaedigt", f"Der Inhalt des Tabellenblatts „{name[:40]}“ fehlt im Container")
        if beziehung.ziel in gelesen:  # Excel refuses it; a reader would parse one part many times
            raise Abgelehnt("beschaedigt", f"Tabellenblatt „{name[:40]}“ teilt seinen Inhalt mit einem anderen")
        gelesen.add(beziehung.ziel)
        if beziehung.art in ("xlmacrosheet", "xlintlmacrosheet"):
            mappe.befunde.append(
                befund(
                    "makros",
                    blatt=name,
                    meldung=f"Tabellenblatt „{name}“ ist ein Excel-4.0-Makroblatt (XLM) – wird nicht ausgeführt",
                    gefunden=beziehung.ziel,
                )
            )
        blatt = Tabellenblatt(name, zustand)
        mappe.blaetter[name] = blatt
        if zustand != "visible":
            schwere = Schwere.FEHLER if zustand == "veryHidden" else Schwere.WARNUNG
            art = "sehr versteckt (nur per Makro sichtbar)" if zustand == "veryHidden" else "ausgeblendet"
            mappe.befunde.append(
                befund("verstecktes_blatt", schwere=schwere, blatt=name, meldung=f"Tabellenblatt „{name}“ ist {art}")
            )
        daten = container.lies(beziehung.ziel)
        zellen += len(ZELLE_TAG.findall(daten))
        _zaehlen(zellen, grenzen.zellen, "Zellen")
        _lies_blatt(daten, texte, blatt, mappe)
    for beziehung in ziele.values():  # sheets no <sheet> names: nobody parses them, so scan them here
        if beziehung.ziel and beziehung.ziel not in gelesen:
            container.lies(beziehung.ziel)
    return mappe


def _zahlenformate(stile_xml: bytes) -> list[str]:
    """The number format code of every cell format (cellXfs), as Excel shows the cell's value with it."""
    if not stile_xml:
        return []
    wurzel = ElementTree.fromstring(stile_xml)
    eigene = {f.get("numFmtId", ""): f.get("formatCode", "") for f in wurzel.iterfind("m:numFmts/m:numFmt", NS)}
    formate = []
    for xf in wurzel.iterfind("m:cellXfs/m:xf", NS):
        nummer = xf.get("numFmtId", "0")
        ganz = int(nummer) if GANZZAHL.match(nummer) else 0
        formate.append(eigene.get(nummer) or BUILTIN_FORMATS.get(ganz, "General"))
    return formate


def _zaehlen(anzahl: int, grenze: int, was: str) -> None:
    """Refuse a workbook whose size in ``was`` would make the check itself the attack (time, memory)."""
    if anzahl > grenze:
        raise Abgelehnt(
            "aufwandsgrenze",
            f"Die Arbeitsmappe enthält zu viele {was} ({deutsch(anzahl)} > {deutsch(grenze)}) – "
            "nicht geprüft (Grenze in grenzen.py)",
        )


def _eigenschaften(container: Container) -> dict[str, str]:
    teil = container.paket.eine("", "custom-properties")
    if teil is None:
        return {}
    wurzel = ElementTree.fromstring(container.lies(teil))
    return {p.get("name", ""): "".join(p.itertext()).strip() for p in wurzel.iterfind("cp:property", NS)}


def _lies_blatt(daten: bytes, texte: list, blatt: Tabellenblatt, mappe: Mappe) -> None:
    parser = _Parser(io.BytesIO(daten), texte)
    dde: list[str] = []
    for _zeile, zellen in parser.parse():
        for zelle in zellen:
            wert = zelle["value"]
            if not (1 <= zelle["row"] <= ZEILEN_MAX and 1 <= zelle["column"] <= SPALTEN_MAX):
                raise Abgelehnt("beschaedigt", f"Zelle außerhalb des Tabellenrasters in {blatt.name[:40]} "
                                f"(Zeile {zelle['row']}, Spalte {zelle['column']})")  # fmt: skip
            if "ungueltig" in zelle:
                mappe.befunde.append(_ungueltige_zahl(blatt.name, zelle))
            if wert is None and zelle.get("cached") is None:
                continue
            adresse = f"{_spalte(zelle['column'])}{zelle['row']}"
            if adresse in blatt.zellen:  # programs disagree on which copy they show
                raise Abgelehnt("beschaedigt", f"Zelle {blatt.name[:40]}!{adresse} ist doppelt vorhanden "
                                "(manipulierte Datei)")  # fmt: skip
            stil = zelle["style_id"] if isinstance(zelle["style_id"], int) else 0
            if zelle["data_type"] == "f":
                formel = wert if isinstance(wert, str) else getattr(wert, "text", str(wert))
                if len(formel) > FORMEL_MAX:
                    raise Abgelehnt("beschaedigt", f"Formel in {blatt.name[:40]}!{adresse} länger als Excel erlaubt")
                if "|" in formel and DDE.search(formel):
                    dde.append(adresse)
                blatt.zellen[adresse] = Zelle(formel, zelle.get("cached"), stil)
            else:
                blatt.zellen[adresse] = Zelle(None, str(wert) if zelle["data_type"] == "s" else wert, stil)
    blatt.erklaerter_bereich = _bereich(daten[:4096])
    blatt.versteckte_zeilen, blatt.sichtbare_zeilen = parser.versteckt, parser.sichtbar
    blatt.versteckte_spalten = parser.versteckte_spalten
    format_ = getattr(parser, "sheet_format", None)
    blatt.zeilen_standard_versteckt = bool(format_ is not None and format_.zeroHeight)
    if dde:
        mappe.befunde.append(
            befund(
                "dde",
                blatt=blatt.name,
                zelle=dde[0],
                meldung=f"DDE-Formel (kann Programme starten) in {', '.join(dde[:5])}",
            )
        )


def _ungueltige_zahl(blatt: str, zelle: dict) -> Befund:
    return befund(
        "zahl_ungueltig",
        blatt=blatt,
        zelle=f"{_spalte(zelle['column'])}{zelle['row']}",
        meldung="Gespeicherter Wert, den Excel nicht als Zahl liest (manipulierte Datei?) – als leer gewertet",
        gefunden=zelle["ungueltig"],
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
