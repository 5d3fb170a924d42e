"""Find a workbook's parts the way Excel does (Open Packaging Conventions, ECMA-376 Part 2).

Excel ignores fixed part names: it takes the main part from the package relationships (``_rels/.rels``, type
officeDocument), checks its content type in ``[Content_Types].xml``, and reaches every other part — sheets,
shared strings, styles, properties — through the relationships of the part that uses it. Part names are
case-insensitive and relationship targets are URIs relative to their source part. A file whose parts could be
read differently by another program (two main parts, parts no relationship reaches) is reported, never guessed.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import unquote

from defusedxml import ElementTree

from pyxl import pruefregeln

INHALTSTYPEN = "[Content_Types].xml"
PAKETBEZUEGE = "_rels/.rels"
NS_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
NS_TYP = "{http://schemas.openxmlformats.org/package/2006/content-types}"
# Content types of a SpreadsheetML main part (workbook, with macros, templates, add-in); xlsb is binary
MAPPENTYPEN = frozenset(
    {
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
        "application/vnd.ms-excel.sheet.macroenabled.main+xml",
        "application/vnd.ms-excel.template.macroenabled.main+xml",
        "application/vnd.ms-excel.addin.macroenabled.main+xml",
    }
)


class Paketfehler(Exception):
    """The package cannot be resolved unambiguously; ``regel`` and the German message say why."""

    def __init__(self, regel: str, meldung: str) -> None:
        super().__init__(meldung)
        self.regel = pruefregeln.regel(regel).kennung  # an id the catalogue lacks fails here, not in a report


@dataclass(frozen=True)
class Beziehung:
    art: str  # the relationship type's last segment, lower case: worksheet, sharedstrings, styles, …
    ziel: str | None  # the part's name in the zip, None if the target is missing or external
    kennung: str


def art(typ: str) -> str:
    """``…/relationships/worksheet`` (transitional or strict) → ``worksheet``."""
    return typ.rstrip("/").rsplit("/", 1)[-1].lower()


def bezugsteil(teil: str) -> str:
    """The relationships part of ``teil``: ``xl/workbook.xml`` → ``xl/_rels/workbook.xml.rels``."""
    ordner, name = posixpath.split(teil)
    return posixpath.join(ordner, "_rels", f"{name}.rels")


@dataclass
class Paket:
    """The parts of one package and how they are connected."""

    lies: Callable[[str], bytes]
    namen: dict[str, str]  # lower-case part name -> name in the zip
    hauptteil: str = ""
    _beziehungen: dict[str, list[Beziehung]] = field(default_factory=dict)

    @classmethod
    def aufloesen(cls, namen: list[str], lies: Callable[[str], bytes]) -> Paket:
        """Resolve the main part; raises :class:`Paketfehler` where Excel would refuse or readers could disagree."""
        kleine: dict[str, str] = {}
        for name in namen:
            if name.endswith("/"):
                continue  # a folder entry, no part
            if name.lower() in kleine:  # part names are case-insensitive: two readers could pick either
                raise Paketfehler("beschaedigt", "Teile des Containers sind doppelt vorhanden (manipulierte Datei)")
            kleine[name.lower()] = name
        paket = cls(lies, kleine)
        if INHALTSTYPEN.lower() not in kleine or PAKETBEZUEGE not in kleine:
            raise Paketfehler("kein_xlsx", "Keine Excel-Arbeitsmappe: [Content_Types].xml oder _rels/.rels fehlt")
        haupt = [b for b in paket.beziehungen("") if b.art == "officedocument"]
        if len(haupt) != 1 or haupt[0].ziel is None:
            raise Paketfehler(
                "kein_xlsx" if not haupt else "mehrdeutig",
                "Keine Excel-Arbeitsmappe: kein Hauptteil in _rels/.rels"
                if not haupt
                else "Die Datei nennt mehrere oder fehlende Hauptteile (_rels/.rels) – Programme könnten "
                "verschiedene Arbeitsmappen zeigen",
            )
        paket.hauptteil = haupt[0].ziel
        typen = paket._inhaltstypen()
        if paket._typ(typen, paket.hauptteil) not in MAPPENTYPEN:
            raise Paketfehler("kein_xlsx", "Keine Excel-Arbeitsmappe: der Hauptteil hat keinen Arbeitsmappen-Typ")
        # a reader that takes the main part from [Content_Types].xml (openpyxl does) must find the same one
        erklaert = [n for n in kleine.values() if paket._typ(typen, n) in MAPPENTYPEN]
        if erklaert != [paket.hauptteil]:
            raise Paketfehler(
                "mehrdeutig",
                f"Die Datei erklärt mehrere Arbeitsmappen-Hauptteile ({', '.join(sorted(erklaert)[:3])}) – "
                "Programme könnten verschiedene Arbeitsmappen zeigen",
            )
        return paket

    def _inhaltstypen(self) -> tuple[dict[str, str], dict[str, str]]:
        wurzel = ElementTree.fromstring(self.lies(self.namen[INHALTSTYPEN.lower()]))
        standard = {
            e.get("Extension", "").lower(): e.get("ContentType", "").lower() for e in wurzel.iter(f"{NS_TYP}Default")
        }
        einzeln = {
            unquote(e.get("PartName", "")).lstrip("/").lower(): e.get("ContentType", "").lower()
            for e in wurzel.iter(f"{NS_TYP}Override")
        }
        return standard, einzeln

    @staticmethod
    def _typ(typen: tuple[dict[str, str], dict[str, str]], teil: str) -> str | None:
        standard, einzeln = typen
        if teil.lower() in einzeln:
            return einzeln[teil.lower()]
        return standard.get(posixpath.splitext(teil)[1].lstrip(".").lower())

    def teil(self, name: str) -> str | None:
        """The zip name of part ``name`` (any case), or None."""
        return self.namen.get(name.lower())

    def beziehungen(self, teil: str) -> list[Beziehung]:
        """The internal relationships of ``teil`` ("" for the package), targets resolved to zip names."""
        if teil in self._beziehungen:
            return self._beziehungen[teil]
        quelle = self.teil(PAKETBEZUEGE if not teil else bezugsteil(teil))
        liste: list[Beziehung] = []
        if quelle is not None:
            basis = posixpath.dirname(teil)
            for element in ElementTree.fromstring(self.lies(quelle)).iter(f"{NS_REL}Relationship"):
                if element.get("TargetMode", "").lower() == "external":
                    continue
                ziel = unquote(element.get("Target", "").split("#", 1)[0])
                pfad = ziel.lstrip("/") if ziel.startswith("/") else posixpath.join(basis, ziel)
                normal = posixpath.normpath(pfad) if pfad else ""
                liste.append(Beziehung(art(element.get("Type", "")), self.teil(normal), element.get("Id", "")))
        self._beziehungen[teil] = liste
        return liste

    def eine(self, teil: str, beziehungsart: str) -> str | None:
        """The one part of ``beziehungsart`` that ``teil`` uses (None if none); two are ambiguous."""
        ziele = [b.ziel for b in self.beziehungen(teil) if b.art == beziehungsart and b.ziel]
        if len(ziele) > 1:
            raise Paketfehler("mehrdeutig", f"Die Datei nennt mehrere Teile der Art „{beziehungsart}“")
        return ziele[0] if ziele else None

    def unverbunden(self) -> list[str]:
        """Parts no relationship reaches from the package: Excel never shows them, another reader might."""
        erreicht, offen = {""}, [""]
        while offen:
            for beziehung in self.beziehungen(offen.pop()):
                if beziehung.ziel and beziehung.ziel not in erreicht:
                    erreicht.add(beziehung.ziel)
                    offen.append(beziehung.ziel)
        bekannt = {INHALTSTYPEN, PAKETBEZUEGE, *erreicht, *(bezugsteil(t) for t in erreicht if t)}
        bekannt = {n.lower() for n in bekannt}
        return sorted(name for klein, name in self.namen.items() if klein not in bekannt)
