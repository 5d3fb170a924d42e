"""Prototype (not wired in): what a reader built for ``pyxl pruefen`` would gain over openpyxl's sheet parser.

pyxl reads each sheet with openpyxl's WorkSheetParser through defusedxml, whose parser is ElementTree's pure-Python
one (it must hook the DTD handlers): every element becomes a Python object and openpyxl builds descriptor objects
for parts the check never looks at (data validations, views, page setup). Here expat calls back directly on the
gated bytes for what the check keeps — each cell's formula, cached value and style, hidden rows and columns, the
shared strings — and refuses any DTD itself, as defusedxml does (the gate refuses them already: ``tor.hat_dtd``).

Run: .venv/bin/python bench/leser_prototyp.py [--runden 7] [--dateien 1000]
It checks that the prototype reads the same cells as :func:`pyxl.validators.lesen.lies_mappe` for every example
and that the reports with it have the same findings, then times both readers on the same bytes, the whole check
and openpyxl's read_only load, alternately; and a batch of ``--dateien`` through the worker pool with either reader.
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import statistics
import sys
import tempfile
import time
import zipfile
from contextlib import contextmanager
from pathlib import Path
from xml.parsers import expat

from openpyxl.formula.translate import Translator
from openpyxl.reader.strings import read_string_table
from openpyxl.worksheet._reader import _cast_number

sys.path.insert(0, str(Path(__file__).parents[1]))  # this checkout's pyxl and bench

from bench.pruefen_bench import BEISPIELE, abwechselnd, einreichungen, openpyxl_read_only, zahl
from pyxl.validators import lesen
from pyxl.validators.grenzen import Grenzen
from pyxl.validators.lesen import (
    GANZZAHL,
    KOORDINATE,
    UNLESBAR_PT,
    UNLESBAR_ZEICHEN,
    WAHRHEIT,
    ZAHL,
    Mappe,
    Tabellenblatt,
    Zelle,
    _lies_blatt,
    _spalte,
    _spaltennummer,
    lies_mappe,
)
from pyxl.validators.pruefen import pruefe_datei, pruefe_dateien
from pyxl.validators.tor import Abgelehnt, lies_datei, oeffne_container

_SPALTENNUMMER = {_spalte(n): n for n in range(1, 703)}  # A … ZZ
M = "http://schemas.openxmlformats.org/spreadsheetml/2006/main "
C, V, F, IS, T, ROW, COL, SI, RPH = (M + n for n in ("c", "v", "f", "is", "t", "row", "col", "si", "rPh"))


def _parser() -> expat.XMLParserType:
    """An expat parser with namespaces that refuses a DTD, like defusedxml (the gate refuses them already)."""
    parser = expat.ParserCreate(namespace_separator=" ")

    def verboten(*_args: object) -> None:
        raise Abgelehnt("xml_entitaeten", "XML mit DTD/Entitäten abgelehnt")

    parser.StartDoctypeDeclHandler = verboten
    parser.EntityDeclHandler = verboten
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.buffer_text = True
    return parser


def geteilte_texte(daten: bytes) -> list[str]:
    """The shared strings as openpyxl's read_string_table reads them: plain and run text, phonetic runs left out."""
    texte: list[str] = []
    teile: list[str] = []
    zustand = {"text": False, "phonetisch": 0}

    def start(name: str, _attrs: dict) -> None:
        if name == SI:
            teile.clear()
        elif name == RPH:
            zustand["phonetisch"] += 1
        elif name == T and not zustand["phonetisch"]:
            zustand["text"] = True

    def ende(name: str) -> None:
        if name == SI:
            texte.append("".join(teile).replace("x005F_", ""))
        elif name == RPH:
            zustand["phonetisch"] -= 1
        elif name == T:
            zustand["text"] = False

    def zeichen(text: str) -> None:
        if zustand["text"]:
            teile.append(text)

    parser = _parser()
    parser.StartElementHandler, parser.EndElementHandler, parser.CharacterDataHandler = start, ende, zeichen
    parser.Parse(daten, True)
    return texte


class _Blatt:
    """Callbacks for one sheet: the cells (as :class:`Zelle`), hidden rows and columns."""

    def __init__(self, texte: list[str], blatt: Tabellenblatt) -> None:
        self.texte, self.blatt = texte, blatt
        self.zeile = self.spalte = 0
        self.zelle: dict | None = None
        self.puffer: list[str] | None = None
        self.geteilt: dict[str, Translator] = {}

    def start(self, name: str, attrs: dict) -> None:
        if name == C:
            r = attrs.get("r")
            if r is not None:
                if not KOORDINATE.match(r):
                    raise Abgelehnt("beschaedigt", "Zelladresse, die Excel nicht liest (manipulierte Datei)")
                buchstaben = r.rstrip("0123456789")
                self.spalte = _SPALTENNUMMER.get(buchstaben) or _spaltennummer(buchstaben)
                self.zeile = int(r[len(buchstaben) :])  # the cell's own row counts, as in openpyxl
            else:
                self.spalte += 1
            self.zelle = {"t": attrs.get("t", "n"), "s": attrs.get("s"), "v": None, "f": None, "fa": None, "is": None}
        elif name in (V, F, T) and self.zelle is not None:
            self.puffer = []
            if name == F:
                self.zelle["fa"] = attrs
        elif name == ROW:
            r = attrs.get("r")
            if r is not None and not GANZZAHL.match(r):
                raise Abgelehnt("beschaedigt", "Zeilennummer, die Excel nicht liest (manipulierte Datei)")
            self.zeile = int(r) if r is not None else self.zeile + 1
            self.spalte = 0
            hoehe = attrs.get("ht")
            flach = hoehe is not None and ZAHL.match(hoehe) is not None and float(hoehe) < UNLESBAR_PT
            if attrs.get("hidden") in ("1", "true") or flach:
                self.blatt.versteckte_zeilen.add(self.zeile)
            elif hoehe is not None:
                self.blatt.sichtbare_zeilen.add(self.zeile)
        elif name == COL:
            von, bis, breite = attrs.get("min", ""), attrs.get("max", ""), attrs.get("width")
            schmal = breite is not None and ZAHL.match(breite) is not None and float(breite) < UNLESBAR_ZEICHEN
            if (attrs.get("hidden") in ("1", "true") or schmal) and GANZZAHL.match(von) and GANZZAHL.match(bis):
                self.blatt.versteckte_spalten.append((int(von), int(bis)))

    def zeichen(self, text: str) -> None:
        if self.puffer is not None:
            self.puffer.append(text)

    def ende(self, name: str) -> None:
        zelle = self.zelle
        if zelle is None:
            return
        if name in (V, F):
            zelle["v" if name == V else "f"] = "".join(self.puffer or ())
            self.puffer = None
        elif name == T:
            zelle["is"] = (zelle["is"] or "") + "".join(self.puffer or ())
            self.puffer = None
        elif name == C:
            self._zelle(zelle)
            self.zelle = None

    def _zelle(self, z: dict) -> None:
        art, roh = z["t"], z["v"] or None
        if roh and art in ("n", "s", "b") and not {"n": ZAHL, "s": GANZZAHL, "b": WAHRHEIT}[art].match(roh):
            roh = None  # the real reader adds a finding here
        stil = int(z["s"]) if z["s"] and GANZZAHL.match(z["s"]) else 0
        adresse = f"{_spalte(self.spalte)}{self.zeile}"
        if z["fa"] is not None:
            formel = self._formel(z["f"], z["fa"], adresse)
            wert = None if not roh else _cast_number(roh) if art == "n" else bool(int(roh)) if art == "b" else roh
            self.blatt.zellen[adresse] = Zelle(formel, wert, stil)
        elif art == "inlineStr":
            if z["is"] is not None:
                self.blatt.zellen[adresse] = Zelle(None, z["is"], stil)
        elif roh is not None:
            if art == "n":
                wert = _cast_number(roh)
            elif art == "s":
                wert = str(self.texte[int(roh)])
            elif art == "b":
                wert = bool(int(roh))
            else:
                wert = roh
            self.blatt.zellen[adresse] = Zelle(None, wert, stil)

    def _formel(self, text: str | None, attrs: dict, adresse: str) -> str:
        formel = "=" + (text or "")
        if attrs.get("t") == "shared":
            kennung = attrs.get("si")
            if kennung in self.geteilt:
                return self.geteilt[kennung].translate_formula(adresse)
            if formel != "=":
                self.geteilt[kennung] = Translator(formel, adresse)
        return formel


def lies_blatt(daten: bytes, texte: list[str], name: str) -> Tabellenblatt:
    blatt = Tabellenblatt(name, "visible")
    rueckruf = _Blatt(texte, blatt)
    parser = _parser()
    parser.StartElementHandler, parser.EndElementHandler = rueckruf.start, rueckruf.ende
    parser.CharacterDataHandler = rueckruf.zeichen
    parser.Parse(daten, True)
    return blatt


def _teile(datei: Path) -> tuple[bytes, list[tuple[str, bytes]]]:
    """Shared strings and sheets of an example, in the order of the workbook (the examples are plain Excel)."""
    with zipfile.ZipFile(datei) as z:
        namen = sorted((n for n in z.namelist() if n.startswith("xl/worksheets/sheet")), key=lambda n: int(n[19:-4]))
        texte = z.read("xl/sharedStrings.xml") if "xl/sharedStrings.xml" in z.namelist() else b""
        return texte, [(n, z.read(n)) for n in namen]


def heute(teile: tuple[bytes, list[tuple[str, bytes]]]) -> None:
    texte_xml, blaetter = teile
    texte = read_string_table(io.BytesIO(texte_xml)) if texte_xml else []
    mappe = Mappe({}, {}, {})
    for name, daten in blaetter:
        _lies_blatt(daten, texte, Tabellenblatt(name, "visible"), mappe)


def prototyp(teile: tuple[bytes, list[tuple[str, bytes]]]) -> list[Tabellenblatt]:
    texte_xml, blaetter = teile
    texte = geteilte_texte(texte_xml) if texte_xml else []
    return [lies_blatt(daten, texte, name) for name, daten in blaetter]


def gleich(datei: Path) -> None:
    """The prototype reads every cell of the example as lies_mappe does (formula, cached value, style)."""
    grenzen = Grenzen()
    container = oeffne_container(lies_datei(datei, grenzen), grenzen)
    with container.zip:
        echt = lies_mappe(container)
    echte_zellen = [b.zellen for b in echt.blaetter.values()]
    eigene = [b.zellen for b in prototyp(_teile(datei))]
    if sorted(map(repr, echte_zellen)) != sorted(map(repr, eigene)):
        raise SystemExit(f"{datei.name}: der Prototyp liest andere Zellen")


@contextmanager
def eingesetzt():
    """The prototype in place of openpyxl's sheet and string readers, for a measurement (workers fork with it).
    Left out here, as they cost little: the DDE scan and the findings on invalid numbers."""
    alt_blatt, alt_texte = lesen._lies_blatt, lesen.read_string_table

    def blatt_lesen(daten: bytes, texte: list, blatt: Tabellenblatt, _mappe: Mappe) -> None:
        rueckruf = _Blatt(texte, blatt)
        parser = _parser()
        parser.StartElementHandler, parser.EndElementHandler = rueckruf.start, rueckruf.ende
        parser.CharacterDataHandler = rueckruf.zeichen
        parser.Parse(daten, True)
        blatt.erklaerter_bereich = lesen._bereich(daten[:4096])

    lesen._lies_blatt, lesen.read_string_table = blatt_lesen, lambda quelle: geteilte_texte(quelle.read())
    try:
        yield
    finally:
        lesen._lies_blatt, lesen.read_string_table = alt_blatt, alt_texte


def gleiche_befunde() -> None:
    for datei in BEISPIELE:
        erwartet = [b.model_dump() for b in pruefe_datei(datei).befunde]
        with eingesetzt():
            eigene = [b.model_dump() for b in pruefe_datei(datei).befunde]
        if eigene != erwartet:
            raise SystemExit(f"{datei.name}: mit dem Prototyp andere Befunde")


def stapel(anzahl: int, runden: int) -> None:
    """``anzahl`` submissions through the worker pool (no outputs), with either reader in turn."""
    zeiten: dict[str, list[tuple[float, float]]] = {"heute": [], "prototyp": []}
    with tempfile.TemporaryDirectory(prefix="pyxl-bench-") as ordner:
        dateien = einreichungen(anzahl, Path(ordner))
        for _ in range(runden):
            for name in zeiten:
                start, cpu = time.perf_counter(), _cpu()
                if name == "prototyp":
                    with eingesetzt():
                        list(pruefe_dateien(dateien, jobs=os.cpu_count() or 1))
                else:
                    list(pruefe_dateien(dateien, jobs=os.cpu_count() or 1))
                zeiten[name].append((time.perf_counter() - start, _cpu() - cpu))
    m = {k: (statistics.median(w for w, _ in v), statistics.median(c for _, c in v)) for k, v in zeiten.items()}
    print(f"  Stapel von {anzahl} Dateien durch den Prozesspool (Median aus {runden}): heute {zahl(m['heute'][0])} s "
          f"(Prozessorzeit {zahl(m['heute'][1])} s), mit dem Prototyp {zahl(m['prototyp'][0])} s "
          f"({zahl(m['prototyp'][1])} s)")  # fmt: skip


def _cpu() -> float:
    eigen, kinder = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return eigen.ru_utime + eigen.ru_stime + kinder.ru_utime + kinder.ru_stime


def main() -> None:
    argumente = argparse.ArgumentParser(description=__doc__)
    argumente.add_argument("--runden", type=int, default=7)
    argumente.add_argument("--dateien", type=int, default=1000, help="Stapel durch den Prozesspool (0: ohne)")
    optionen = argumente.parse_args()
    runden = optionen.runden
    for datei in BEISPIELE:
        gleich(datei)
    gleiche_befunde()
    teile = [_teile(d) for d in BEISPIELE]
    m = abwechselnd(
        {
            "heute": lambda: [heute(t) for t in teile],
            "prototyp": lambda: [prototyp(t) for t in teile],
            "pruefung": lambda: [pruefe_datei(d) for d in BEISPIELE],
            "openpyxl": lambda: [openpyxl_read_only(d) for d in BEISPIELE],
        },
        runden,
    )
    n = len(BEISPIELE)
    ms = {k: v / n * 1000 for k, v in m.items()}
    neu = ms["pruefung"] - ms["heute"] + ms["prototyp"]
    print(f"Gleiche Zellen und Befunde in allen {n} Beispielen. Je Datei (Median aus {runden} Runden, Prozesszeit):")
    print(f"  Blätter und geteilte Texte lesen: heute {zahl(ms['heute'], 2)} ms, Prototyp {zahl(ms['prototyp'], 2)} ms "
          f"(Faktor {zahl(ms['heute'] / ms['prototyp'])})")  # fmt: skip
    print(f"  ganze Prüfung: heute {zahl(ms['pruefung'], 2)} ms, mit dem Prototyp {zahl(neu, 2)} ms "
          f"({zahl((1 - neu / ms['pruefung']) * 100, 0)} % weniger)")  # fmt: skip
    print(f"  Prüfung / openpyxl read_only: heute {zahl(ms['pruefung'] / ms['openpyxl'], 2)}, "
          f"mit dem Prototyp {zahl(neu / ms['openpyxl'], 2)}")  # fmt: skip
    if optionen.dateien:
        stapel(optionen.dateien, max(3, runden // 2))


if __name__ == "__main__":
    main()
