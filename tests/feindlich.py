"""Hostile and broken workbooks, made on the spot for the gate's tests (never committed, never opened by Excel)."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

VORLAGE = Path(__file__).parents[1] / "xlsx_templates" / "beispiele" / "RZWAS-3B_richtig.xlsx"


MAPPENBEZUEGE = "xl/_rels/workbook.xml.rels"
BEZUGSARTEN = {  # relationship types of parts the tests add, as Excel connects them
    "xl/vbaProject.bin": "http://schemas.microsoft.com/office/2006/relationships/vbaProject",
    "xl/externalLinks/": "http://schemas.openxmlformats.org/officeDocument/2006/relationships/externalLink",
    "xl/embeddings/": "http://schemas.openxmlformats.org/officeDocument/2006/relationships/oleObject",
    "xl/activeX/": "http://schemas.openxmlformats.org/officeDocument/2006/relationships/control",
}


def umbauen(
    ziel: Path,
    *,
    ersetzen: dict[str, bytes] | None = None,
    hinzu: dict[str, bytes] | None = None,
    quelle: Path = VORLAGE,
    verbinden: bool = True,
    weglassen: tuple[str, ...] = (),
) -> Path:
    """A copy of a real submission with parts replaced or added at the zip level. Added parts are connected to
    the workbook by a relationship (as Excel would), unless ``verbinden`` is false."""
    ersetzen, hinzu = dict(ersetzen or {}), hinzu or {}
    if verbinden and hinzu:
        bezuege = ersetzen.get(MAPPENBEZUEGE) or teil(MAPPENBEZUEGE, quelle)
        for nummer, name in enumerate(hinzu, 100):
            typ = next((t for praefix, t in BEZUGSARTEN.items() if name.startswith(praefix)), None)
            if typ:
                eintrag = f'<Relationship Id="rId{nummer}" Type="{typ}" Target="/{name}"/>'
                bezuege = bezuege.replace(b"</Relationships>", eintrag.encode() + b"</Relationships>")
        ersetzen[MAPPENBEZUEGE] = bezuege
    with zipfile.ZipFile(quelle) as alt, zipfile.ZipFile(ziel, "w", zipfile.ZIP_DEFLATED) as neu:
        for info in alt.infolist():
            if info.filename not in weglassen:
                neu.writestr(info.filename, ersetzen.get(info.filename, alt.read(info.filename)))
        for name, daten in hinzu.items():
            neu.writestr(name, daten)
    return ziel


def teil(name: str, quelle: Path = VORLAGE) -> bytes:
    with zipfile.ZipFile(quelle) as archiv:
        return archiv.read(name)


def abgeschnitten(ziel: Path) -> Path:
    daten = VORLAGE.read_bytes()
    ziel.write_bytes(daten[: len(daten) // 2])
    return ziel


def umbenannt(ziel: Path) -> Path:
    ziel.write_text("Dies ist keine Arbeitsmappe, nur Text mit der Endung .xlsx\n", encoding="utf-8")
    return ziel


def zip_bombe(ziel: Path) -> Path:
    """A worksheet of 1 GiB of zeros, deflated to about 1 MB."""
    with zipfile.ZipFile(VORLAGE) as alt, zipfile.ZipFile(ziel, "w", zipfile.ZIP_DEFLATED) as neu:
        for info in alt.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                neu.writestr(info.filename, alt.read(info.filename))
        info = zipfile.ZipInfo("xl/worksheets/sheet1.xml")
        info.compress_type = zipfile.ZIP_DEFLATED
        with neu.open(info, "w", force_zip64=True) as bombe:
            block = b"\0" * (1 << 20)
            for _ in range(1024):
                bombe.write(block)
    return ziel


def viele_zellen(ziel: Path, zeilen: int) -> Path:
    """A worksheet with ``zeilen`` rows of nine cells: big for memory, small on disk."""
    zeilen_xml = b"".join(
        b'<row r="%d">' % r
        + b"".join(
            b'<c r="%s%d"><v>%d</v></c>' % (s, r, r) for s in (b"A", b"B", b"C", b"D", b"E", b"F", b"G", b"H", b"I")
        )
        + b"</row>"
        for r in range(1, zeilen + 1)
    )
    blatt = (
        b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main"><sheetData>' + zeilen_xml + b"</sheetData></worksheet>"
    )
    return umbauen(ziel, ersetzen={"xl/worksheets/sheet2.xml": blatt})


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>&lol9;</t></si></sst>
"""
EXTERNE_ENTITAET = b"""<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>&xxe;</t></si></sst>
"""
EXTERNER_LINK = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><externalBook
 xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:id="rId1"/></externalLink>"""
DDE_LINK = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><ddeLink ddeService="cmd"
 ddeTopic="/c calc"/></externalLink>"""


def mit_dde_formel(ziel: Path) -> Path:
    blatt = teil("xl/worksheets/sheet1.xml")
    blatt = blatt.replace(
        b"</sheetData>", b'<row r="200"><c r="A200"><f>cmd|\' /C calc\'!A0</f><v>0</v></c></row></sheetData>', 1
    )
    return umbauen(ziel, ersetzen={"xl/worksheets/sheet1.xml": blatt})


def mit_blattzustand(ziel: Path, zustand: str) -> Path:
    mappe = re.sub(rb'(<sheet name="Parameter"[^>]*?) state="visible"', rb"\1", teil("xl/workbook.xml"))
    mappe = mappe.replace(b'name="Parameter"', f'name="Parameter" state="{zustand}"'.encode(), 1)
    return umbauen(ziel, ersetzen={"xl/workbook.xml": mappe})


def riesiger_bereich(ziel: Path) -> Path:
    """The 6-KB trap: cells at A1 and XFD1048576, dimension declared over the whole grid."""
    blatt = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:XFD1048576"/>
<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row><row r="1048576"><c r="XFD1048576">
<v>1</v></c></row></sheetData></worksheet>"""
    return umbauen(ziel, ersetzen={"xl/worksheets/sheet2.xml": blatt})


def zelle_ausserhalb(ziel: Path, adresse: str) -> Path:
    """A cell beyond Excel's grid (row 0, row 1048577, column XFE): no spreadsheet program writes it."""
    blatt = teil("xl/worksheets/sheet1.xml").replace(
        b"</sheetData>", f'<row r="{adresse.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")}"><c r="{adresse}"><v>1</v></c></row>'
        "</sheetData>".encode(), 1)  # fmt: skip
    return umbauen(ziel, ersetzen={"xl/worksheets/sheet1.xml": blatt})


def negativer_textindex(ziel: Path) -> Path:
    """A shared-string cell pointing at index −1 (Python would quietly read the last string)."""
    blatt = teil("xl/worksheets/sheet1.xml").replace(
        b"</sheetData>", b'<row r="300"><c r="A300" t="s"><v>-1</v></c></row></sheetData>', 1)  # fmt: skip
    return umbauen(ziel, ersetzen={"xl/worksheets/sheet1.xml": blatt})


# -- second round: what Excel opens must be what pyxl checks

HAUPTTEIL_TYP = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"


def zelle_ersetzen(blatt: bytes, adresse: str, neu: bytes) -> bytes:
    """Replace the whole <c r="adresse" …>…</c> element of a sheet."""
    muster = re.compile(rb'<c r="' + adresse.encode() + rb'"[^>]*?(?:/>|>.*?</c>)', re.S)
    ergebnis, anzahl = muster.subn(neu, blatt, count=1)
    assert anzahl == 1, adresse
    return ergebnis


def anderer_hauptteil(ziel: Path, adresse: str, wert: str) -> Path:
    """The attack of issue 11.1: ``_rels/.rels`` names ``xl/main.xml`` as the workbook, whose first sheet is a
    manipulated copy (``adresse`` of "Anlage 3b" overwritten by the constant ``wert``). The untouched
    ``xl/workbook.xml`` stays in the file for readers that take the fixed name."""
    blatt = zelle_ersetzen(teil("xl/worksheets/sheet1.xml"), adresse, f'<c r="{adresse}"><v>{wert}</v></c>'.encode())
    bezuege = teil("xl/_rels/workbook.xml.rels").replace(
        b'Target="worksheets/sheet1.xml"', b'Target="worksheets/x.xml"'
    )
    paket = teil("_rels/.rels").replace(b'Target="xl/workbook.xml"', b'Target="xl/main.xml"')
    typen = teil("[Content_Types].xml").replace(b'PartName="/xl/workbook.xml"', b'PartName="/xl/main.xml"')
    typen = typen.replace(
        b"</Types>",
        b'<Override PartName="/xl/worksheets/x.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
    )
    return umbauen(
        ziel,
        ersetzen={"_rels/.rels": paket, "[Content_Types].xml": typen},
        hinzu={"xl/main.xml": teil("xl/workbook.xml"), "xl/_rels/main.xml.rels": bezuege, "xl/worksheets/x.xml": blatt},
        verbinden=False,
    )


def _zeilen_verschieben(zeilen_xml: str, abstand: int, blattname: str) -> str:
    """Rows moved ``abstand`` down as a copy: row numbers, cell addresses and same-sheet formula rows."""
    from html import escape, unescape

    from pyxl.validators.ausrichten import Zuordnung, erwartete_formel

    zuordnung = Zuordnung({blattname: {r: r + abstand for r in range(1, 2000)}})
    text = re.sub(r'(<row r=")(\d+)"', lambda t: f'{t.group(1)}{int(t.group(2)) + abstand}"', zeilen_xml)
    text = re.sub(r'(<c r="[A-Z]+)(\d+)"', lambda t: f'{t.group(1)}{int(t.group(2)) + abstand}"', text)
    return re.sub(
        r"(<f[^>]*>)([^<]*)(</f>)",
        lambda t: (
            t.group(1)
            + escape(erwartete_formel("=" + unescape(t.group(2)), blattname, zuordnung)[1:], quote=False)
            + t.group(3)
        ),
        text,
    )


def schattenkopie(
    ziel: Path,
    adresse: str | None,
    wert: str = "",
    *,
    abstand: int = 500,
    verstecken: bool = True,
    anker_verschieben: bool = True,
) -> Path:
    """The attack of issue 11.2: all rows of "Anlage 3b" copied ``abstand`` rows down (hidden), the row anchors
    moved onto the copy, and the visible form manipulated (``adresse`` overwritten by the constant ``wert``)."""
    blatt = teil("xl/worksheets/sheet1.xml").decode()
    kopf, rest = blatt.split("<sheetData>", 1)
    zeilen, fuss = rest.split("</sheetData>", 1)
    kopie = _zeilen_verschieben(zeilen, abstand, "Anlage 3b")
    if verstecken:
        kopie = kopie.replace('hidden="false"', 'hidden="true"')
    sichtbar = zeilen
    if adresse is not None:
        sichtbar = zelle_ersetzen(zeilen.encode(), adresse, f'<c r="{adresse}"><v>{wert}</v></c>'.encode()).decode()
    neu = f"{kopf}<sheetData>{sichtbar}{kopie}</sheetData>{fuss}".encode()
    mappe = re.sub(
        rb"(<definedName[^>]*name=\"_pyxl_z0_\d+\"[^>]*>[^<]*\$A\$)(\d+)",
        lambda t: t.group(1) + str(int(t.group(2)) + (abstand if anker_verschieben else 0)).encode(),
        teil("xl/workbook.xml"),
    )
    return umbauen(ziel, ersetzen={"xl/worksheets/sheet1.xml": neu, "xl/workbook.xml": mappe})


def zahl_in_zelle(ziel: Path, adresse: str, roh: str) -> Path:
    """A stored number ``roh`` in the input cell ``adresse`` of "Anlage 3b", exactly as written into <v>."""
    blatt = zelle_ersetzen(teil("xl/worksheets/sheet1.xml"), adresse, f'<c r="{adresse}"><v>{roh}</v></c>'.encode())
    return umbauen(ziel, ersetzen={"xl/worksheets/sheet1.xml": blatt})


# -- what the official sees (review of the second round): formats, names, columns, look-alike sheets


def _stil_von(blatt: bytes, adresse: str) -> int:
    treffer = re.search(rb'<c r="' + adresse.encode() + rb'"[^>]*?\ss="(\d+)"', blatt)
    return int(treffer.group(1)) if treffer else 0


def mit_zahlenformat(ziel: Path, adresse: str, format_code: str) -> Path:
    """Cell ``adresse`` of "Anlage 3b" shown with its own number format (a new cell format, otherwise the same)."""
    from html import escape

    stile, blatt = teil("xl/styles.xml"), teil("xl/worksheets/sheet1.xml")
    code = escape(format_code, quote=True).encode()
    if b"<numFmts" in stile:
        stile = re.sub(rb"(<numFmts[^>]*>)", rb'\1<numFmt numFmtId="171" formatCode="' + code + rb'"/>', stile, count=1)
    else:
        stile = re.sub(rb"(<styleSheet[^>]*>)", rb'\1<numFmts><numFmt numFmtId="171" formatCode="' + code
                       + rb'"/></numFmts>', stile, count=1)  # fmt: skip
    xfs = re.findall(rb"<xf [^>]*?(?:/>|>.*?</xf>)", stile.split(b"<cellXfs", 1)[1].split(b"</cellXfs>", 1)[0], re.S)
    neu = re.sub(rb'numFmtId="\d+"', b'numFmtId="171"', xfs[_stil_von(blatt, adresse)], count=1)
    stile = stile.replace(b"</cellXfs>", neu + b"</cellXfs>", 1)
    blatt = re.sub(rb'(<c r="' + adresse.encode() + rb'")(?: s="\d+")?', rb'\1 s="%d"' % len(xfs), blatt, count=1)
    return umbauen(ziel, ersetzen={"xl/styles.xml": stile, "xl/worksheets/sheet1.xml": blatt})


def zelle_dazu(blatt: bytes, adresse: str, xml: bytes) -> bytes:
    """``xml`` (a <c> element) appended to the row of ``adresse``."""
    zeile = adresse.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ").encode()
    return re.sub(rb'(<row r="' + zeile + rb'"[^>]*>.*?)(</row>)', lambda t: t.group(1) + xml + t.group(2), blatt,
                  count=1, flags=re.S)  # fmt: skip


def name_umgeleitet(ziel: Path, name: str, neu: str, *, lokal: bool = False) -> Path:
    """The defined name ``name`` pointed at ``neu`` (a cell of the Parameter sheet holding 25), or, ``lokal``,
    shadowed by a sheet-scoped name of the same name on the first sheet."""
    parameter = zelle_dazu(teil("xl/worksheets/sheet2.xml"), neu.split("!")[1].replace("$", ""),
                           f'<c r="{neu.split("!")[1].replace("$", "")}"><v>25</v></c>'.encode())  # fmt: skip
    mappe = teil("xl/workbook.xml")
    if lokal:
        eintrag = f'<definedName localSheetId="0" name="{name}">{neu}</definedName>'.encode()
        mappe = mappe.replace(b"</definedNames>", eintrag + b"</definedNames>", 1)
    else:
        mappe = re.sub(rb'(name="' + name.encode() + rb'"[^>]*>)[^<]*', lambda t: t.group(1) + neu.encode(), mappe)
    return umbauen(ziel, ersetzen={"xl/workbook.xml": mappe, "xl/worksheets/sheet2.xml": parameter})


def spalte_versteckt(ziel: Path, spalte: int) -> Path:
    """Column ``spalte`` (1 = A) of "Anlage 3b" hidden."""
    blatt = re.sub(rb'(<col [^>]*?)hidden="false"([^>]*?max="%d" min="%d")' % (spalte, spalte), rb'\1hidden="true"\2',
                   teil("xl/worksheets/sheet1.xml"), count=1)  # fmt: skip
    return umbauen(ziel, ersetzen={"xl/worksheets/sheet1.xml": blatt})


def verwechselbare_kopie(ziel: Path, name: str = "\u0410nlage 3b") -> Path:
    """A copy of "Anlage 3b" as the first tab, named like it (Cyrillic А), each label with an invisible U+200B
    appended, so that it differs from the form for a naive comparison."""
    from html import escape

    from openpyxl.reader.strings import read_string_table

    texte = read_string_table(io.BytesIO(teil("xl/sharedStrings.xml")))
    kopie = re.sub(
        rb'<c r="([A-Z]+\d+)"((?: s="\d+")?) t="s"><v>(\d+)</v></c>',
        lambda t: (
            b'<c r="'
            + t.group(1)
            + b'"'
            + t.group(2)
            + b' t="inlineStr"><is><t>'
            + escape(str(texte[int(t.group(3))]) + "\u200b").encode()
            + b"</t></is></c>"
        ),
        teil("xl/worksheets/sheet1.xml"),
    )
    bezuege = teil("xl/_rels/workbook.xml.rels").replace(b"</Relationships>", b'<Relationship Id="rId9" Type="http://'
        b'schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet3.xml"/>'
        b"</Relationships>")  # fmt: skip
    mappe = teil("xl/workbook.xml").replace(b"<sheets>", f'<sheets><sheet name="{name}" sheetId="3" r:id="rId9"/>'
                                            .encode(), 1)  # fmt: skip
    mappe = re.sub(rb"<definedName [^>]*localSheetId=\"\d\"[^>]*>.*?</definedName>", b"", mappe)  # indexes moved
    return umbauen(ziel, ersetzen={"xl/workbook.xml": mappe, "xl/_rels/workbook.xml.rels": bezuege},
                   hinzu={"xl/worksheets/sheet3.xml": kopie}, verbinden=False)  # fmt: skip
