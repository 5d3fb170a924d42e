"""The one gate every submitted file passes: container checks before anything parses it.

Checks, in order: size; what the bytes really are (legacy .xls, password-encrypted, no zip at all); a readable zip
within the member count, total size and per-member compression ratio; no DTD in any XML part (entity expansion,
external entities); then the features a reviewer must know of: macros, external links, DDE, embedded OLE/ActiveX
objects. Nothing here runs, renders or follows anything inside the file.
"""

from __future__ import annotations

import codecs
import io
import os
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from pyxl.pruefregeln import Befund, befund
from pyxl.validators.grenzen import MB, Grenzen
from pyxl.validators.paket import Paket, Paketfehler

OLE_KENNUNG = bytes.fromhex("D0CF11E0A1B11AE1")
# Parts that are not XML (images, binaries): not scanned for a DTD, nobody parses them as XML
BINAER = (".bin", ".png", ".jpeg", ".jpg", ".gif", ".emf", ".wmf", ".svg", ".tif", ".tiff", ".bmp", ".wdp", ".ico")
# A DTD in any encoding an XML parser autodetects: UTF-8 and 8-bit (ASCII-compatible), UTF-16 and UTF-32
DTD_MUSTER = tuple(
    zeichen.encode(kodierung)
    for zeichen in ("<!DOCTYPE", "<!ENTITY")
    for kodierung in ("ascii", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")
)


def hat_dtd(daten: bytes) -> bool:
    return any(muster in daten for muster in DTD_MUSTER)


class Abgelehnt(Exception):
    """The file cannot be checked; the finding says why, in German."""

    def __init__(self, regel: str, meldung: str, gefunden: str | None = None) -> None:
        super().__init__(meldung)
        self.befund = befund(regel, meldung=meldung, gefunden=gefunden)


@dataclass
class Container:
    """An opened, size-checked xlsx container and what the gate noticed on the way."""

    zip: zipfile.ZipFile
    grenzen: Grenzen
    befunde: list[Befund] = field(default_factory=list)
    paket: Paket = field(init=False)

    def lies(self, name: str) -> bytes:
        """A part's bytes, read with a hard cap (a header may lie about the size) and refused if it has a DTD."""
        info = self.zip.getinfo(name)
        grenze = min(self.grenzen.entpackt_gesamt, int(max(info.compress_size, 1) * self.grenzen.kompression) + MB)
        with self.zip.open(info) as teil:
            daten = teil.read(grenze + 1)
        if len(daten) > grenze:
            raise Abgelehnt("zip_bombe", f"Teil „{name}“ entpackt sich größer als erlaubt (mögliche ZIP-Bombe)")
        if not name.lower().endswith(BINAER) and hat_dtd(daten):
            raise Abgelehnt(
                "xml_entitaeten", f"Teil „{name}“ enthält eine DTD/Entitäten (XML-Angriff möglich) – nicht geöffnet"
            )
        return daten

    def oeffne(self, name: str) -> io.BytesIO:
        return io.BytesIO(self.lies(name))

    def namen(self) -> list[str]:
        return self.zip.namelist()


def _ole_art(daten: bytes) -> str:
    """What an OLE2 compound file is: a password-encrypted OOXML workbook, a legacy .xls, or something else."""
    import olefile

    try:
        with olefile.OleFileIO(io.BytesIO(daten)) as ole:
            stroeme = {"/".join(e).lower() for e in ole.listdir()}
    except Exception:
        return "unbekannt"
    if {"encryptioninfo", "encryptedpackage"} <= stroeme:
        return "verschluesselt"
    if stroeme & {"workbook", "book"}:
        return "xls"
    return "unbekannt"


def lies_datei(pfad: Path, grenzen: Grenzen) -> bytes:
    """The file's bytes, read once: the gate, the reader and the annotated copy all work on these, so a file
    swapped on disk during the check changes nothing. A FIFO, device or directory is refused before any read
    (opened non-blocking, so a FIFO without a writer cannot hang the check)."""
    deskriptor = os.open(pfad, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(deskriptor, "rb") as datei:
        info = os.fstat(datei.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise Abgelehnt(
                "keine_regulaere_datei", "Keine reguläre Datei (Verzeichnis, Gerät oder FIFO) – nicht gelesen"
            )
        if info.st_size > grenzen.dateigroesse:
            raise Abgelehnt("dateigroesse", _zu_gross(info.st_size, grenzen))
        daten = datei.read(grenzen.dateigroesse + 1)
    if len(daten) > grenzen.dateigroesse:  # grew while being read
        raise Abgelehnt("dateigroesse", _zu_gross(len(daten), grenzen))
    return daten


def _zu_gross(groesse: int, grenzen: Grenzen) -> str:
    return f"Datei größer als erlaubt ({groesse // MB} MB > {grenzen.dateigroesse // MB} MB)"


# What a file that is no xlsx often is instead, by its first bytes
ANDERE_ARTEN = (
    (b"%PDF", "PDF-Dokument"),
    (b"\x89PNG", "PNG-Bild"),
    (b"\xff\xd8\xff", "JPEG-Bild"),
    (b"GIF8", "GIF-Bild"),
    (b"{\\rtf", "RTF-Dokument"),
    (b"Rar!", "RAR-Archiv"),
    (b"7z\xbc\xaf", "7-Zip-Archiv"),
    (b"\x1f\x8b", "gzip-Archiv"),
)


def dateianfang(kopf: bytes) -> str:
    """What the first bytes of a file say to a clerk: its kind, its text, or the bytes in hex (never b'…')."""
    if not kopf:
        return "leere Datei"
    hex_ = " ".join(f"{b:02X}" for b in kopf[:4])
    for kennung, art in ANDERE_ARTEN:
        if kopf.startswith(kennung):
            return f"{art} (Dateianfang hex {hex_})"
    try:  # a character cut at the end of the 8 bytes is left out; a BOM (CSV from Excel) is no text
        text = codecs.getincrementaldecoder("utf-8")().decode(kopf).lstrip("\ufeff")
    except UnicodeDecodeError:
        text = ""
    if text.isprintable() and text.strip():
        return f"Textdatei, beginnt mit „{text}“"
    return f"Dateianfang hex {hex_}"


def oeffne_container(daten: bytes, grenzen: Grenzen) -> Container:
    """Open the bytes of a submission as an xlsx container or raise :class:`Abgelehnt` with a German reason."""
    if len(daten) > grenzen.dateigroesse:
        raise Abgelehnt("dateigroesse", _zu_gross(len(daten), grenzen))
    kopf = daten[:8]
    if kopf.startswith(OLE_KENNUNG):
        art = _ole_art(daten)
        if art == "verschluesselt":
            raise Abgelehnt(
                "verschluesselt",
                "Die Arbeitsmappe ist mit einem Kennwort verschlüsselt – bitte ohne Kennwort einreichen",
            )
        if art == "xls":
            raise Abgelehnt(
                "altes_format", "Altes Excel-Format (.xls) – bitte als .xlsx speichern und erneut einreichen"
            )
        raise Abgelehnt("kein_xlsx", "Keine Excel-Arbeitsmappe (OLE-Datei unbekannter Art)")
    if not kopf.startswith(b"PK"):
        raise Abgelehnt(
            "kein_xlsx",
            "Keine Excel-Arbeitsmappe (.xlsx): die Datei ist kein ZIP-Container",
            gefunden=dateianfang(kopf),
        )
    try:
        archiv = zipfile.ZipFile(io.BytesIO(daten))
        teile = archiv.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise Abgelehnt("beschaedigt", "Datei beschädigt oder unvollständig (ZIP-Container nicht lesbar)") from None
    try:
        _pruefe_teile(teile, grenzen)
    except Abgelehnt:
        archiv.close()
        raise
    container = Container(archiv, grenzen)
    try:
        container.paket = Paket.aufloesen(container.namen(), container.lies)
        container.befunde.extend(_merkmale(container))
    except Paketfehler as fehler:
        archiv.close()
        raise Abgelehnt(fehler.regel, str(fehler)) from None
    except Abgelehnt:
        archiv.close()
        raise
    return container


def _pruefe_teile(teile: list[zipfile.ZipInfo], grenzen: Grenzen) -> None:
    if len(teile) > grenzen.zip_eintraege:
        raise Abgelehnt("zip_eintraege", f"Zu viele Teile im Container ({len(teile)} > {grenzen.zip_eintraege})")
    gesamt = sum(t.file_size for t in teile)
    if gesamt > grenzen.entpackt_gesamt:
        raise Abgelehnt("zip_bombe", f"Entpackt zu groß ({gesamt // MB} MB > {grenzen.entpackt_gesamt // MB} MB)")
    for teil in teile:
        if teil.flag_bits & 0x1:
            raise Abgelehnt(
                "verschluesselt", "Teile des Containers sind verschlüsselt – bitte ohne Kennwort einreichen"
            )
        verhaeltnis = teil.file_size / max(teil.compress_size, 1)
        if teil.file_size > MB and verhaeltnis > grenzen.kompression:
            raise Abgelehnt(
                "zip_bombe",
                f"Teil „{teil.filename}“ ist {verhaeltnis:.0f}-fach komprimiert (erlaubt: {grenzen.kompression:.0f}) "
                "– mögliche ZIP-Bombe, nicht entpackt",
            )
    namen = {t.filename for t in teile}
    if len(namen) != len(teile):  # readers disagree on which copy of a doubled part counts
        raise Abgelehnt("beschaedigt", "Teile des Containers sind doppelt vorhanden (manipulierte Datei)")


def _merkmale(container: Container) -> list[Befund]:
    """Features a reviewer must know of; none of them is opened or followed. Every part that no later step
    parses is still scanned for a DTD here (in every encoding), so no part of the file is left unchecked."""
    namen = container.namen()
    paket = container.paket
    blaetter = {b.ziel for b in paket.beziehungen(paket.hauptteil) if b.art == "worksheet"}
    for name in namen:
        if name not in blaetter and not name.endswith("/"):  # worksheets: parsed by defusedxml, which refuses DTDs
            container.lies(name)
    befunde = []

    def melde(regel: str, meldung: str, teile: list[str]) -> None:
        befunde.append(befund(regel, meldung=meldung, gefunden=", ".join(teile[:5])))

    unverbunden = paket.unverbunden()
    if unverbunden:
        melde(
            "nicht_verbundene_teile",
            "Datei enthält nicht verbundene Teile: Excel zeigt sie nicht an, andere Programme womöglich schon "
            "(manipulierte Datei?)",
            unverbunden,
        )
    makros = [n for n in namen if n.lower().endswith("vbaproject.bin")]
    if makros:
        melde(
            "makros",
            "Die Datei enthält Makros (VBA); sie werden nicht ausgeführt – bitte als .xlsx ohne Makros einreichen",
            makros,
        )
    links = [n for n in namen if n.startswith("xl/externalLinks/") and n.endswith(".xml")]
    if links:
        dde = [n for n in links if b"ddeLink" in container.lies(n)]
        if dde:
            melde("dde", "Die Datei enthält DDE-Verknüpfungen (können Programme starten)", dde)
        if len(dde) < len(links):
            melde(
                "externe_verknuepfung",
                "Die Datei verweist auf andere Dateien (externe Verknüpfungen); deren Werte werden nicht nachgeladen",
                sorted(set(links) - set(dde)),
            )
    ole = [n for n in namen if n.startswith("xl/embeddings/")]
    if ole:
        melde("ole_objekt", "Die Datei enthält eingebettete Objekte (OLE)", ole)
    activex = [n for n in namen if n.startswith("xl/activeX/") or n.startswith("xl/ctrlProps/")]
    if activex:
        melde("activex", "Die Datei enthält ActiveX-/Formular-Steuerelemente", activex)
    return befunde
