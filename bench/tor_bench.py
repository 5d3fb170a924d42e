"""Benchmark of the gate and reader on hostile files (not a test): the cost grows linearly with the input.

Run: .venv/bin/python bench/tor_bench.py
For each kind of bulk an attacker can add (sheets, defined names, shared strings, cell formats, cells, parts no
relationship reaches) a file with n and with 10·n of it is checked in this
process, with limits raised so that the whole work is done; the time ratio should be ≈ 10 (linear), not ≈ 100.
"""

from __future__ import annotations

import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

WURZEL = Path(__file__).parents[1]
sys.path.insert(0, str(WURZEL))

from pyxl.validators.grenzen import Grenzen  # noqa: E402
from pyxl.validators.pruefen import pruefe_datei  # noqa: E402
from tests import feindlich  # noqa: E402

OFFEN = Grenzen(
    zip_eintraege=10**6, blaetter=10**6, namen=10**7, geteilte_texte=10**8, stile=10**8, zellen=10**9, zeit_s=600
)


def blaetter(ziel: Path, n: int) -> Path:
    """n sheets, each with its own (empty) part."""
    eintraege = b"".join(b'<sheet name="B%d" sheetId="%d" r:id="rIdB%d"/>' % (i, i + 10, i) for i in range(n))
    bezuege = b"".join(
        b'<Relationship Id="rIdB%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        b'worksheet" Target="worksheets/b%d.xml"/>' % (i, i)
        for i in range(n)
    )
    leer = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>'
    return feindlich.umbauen(
        ziel,
        ersetzen={
            "xl/workbook.xml": feindlich.teil("xl/workbook.xml").replace(b"</sheets>", eintraege + b"</sheets>", 1),
            "xl/_rels/workbook.xml.rels": feindlich.teil("xl/_rels/workbook.xml.rels").replace(
                b"</Relationships>", bezuege + b"</Relationships>"
            ),
        },
        hinzu={f"xl/worksheets/b{i}.xml": leer for i in range(n)},
        verbinden=False,
    )


def namen(ziel: Path, n: int) -> Path:
    eintraege = b"".join(
        b'<definedName name="zz%d">Parameter!$A$%d</definedName>' % (i, i % 1000 + 1) for i in range(n)
    )
    mappe = feindlich.teil("xl/workbook.xml").replace(b"<definedNames>", b"<definedNames>" + eintraege, 1)
    return feindlich.umbauen(ziel, ersetzen={"xl/workbook.xml": mappe})


def texte(ziel: Path, n: int) -> Path:
    sst = feindlich.teil("xl/sharedStrings.xml")
    zusatz = b"".join(b"<si><t>Text %d</t></si>" % i for i in range(n))
    return feindlich.umbauen(ziel, ersetzen={"xl/sharedStrings.xml": sst.replace(b"</sst>", zusatz + b"</sst>")})


def stile(ziel: Path, n: int) -> Path:
    zufall = random.Random(1)
    zusatz = b"".join(
        b'<xf numFmtId="%d" fontId="0" fillId="0" borderId="0" xfId="0"/>' % zufall.randrange(10**9) for _ in range(n)
    )
    teil = re.sub(rb"(<cellXfs[^>]*>)", lambda t: t.group(1) + zusatz, feindlich.teil("xl/styles.xml"), count=1)
    return feindlich.umbauen(ziel, ersetzen={"xl/styles.xml": teil})


def zellen(ziel: Path, n: int) -> Path:
    return feindlich.viele_zellen(ziel, n // 9)


def lose_teile(ziel: Path, n: int) -> Path:
    return feindlich.umbauen(ziel, hinzu={f"xl/los/t{i}.xml": b"<x/>" for i in range(n)}, verbinden=False)


MUSTER = {
    "Tabellenblätter": (blaetter, 200),
    "definierte Namen": (namen, 10_000),
    "geteilte Texte": (texte, 20_000),
    "Zellformate": (stile, 20_000),
    "Zellen": (zellen, 20_000),
    "nicht verbundene Teile": (lose_teile, 1_000),
}


def _zeit(datei: Path, wiederholungen: int = 3) -> float:
    zeiten = []
    for _ in range(wiederholungen):
        start = time.perf_counter()
        pruefe_datei(datei, OFFEN)
        zeiten.append(time.perf_counter() - start)
    return statistics.median(zeiten)


def main() -> None:
    basis = _zeit(feindlich.VORLAGE, 5)  # the form itself; the ratio compares what the bulk adds
    print(f"Grundlast (die Vorlage selbst): {basis * 1000:.0f} ms")
    print("Muster | n | 10·n | Mehrzeit n | Mehrzeit 10·n | Verhältnis (linear ≈ 10)")
    with tempfile.TemporaryDirectory() as ordner:
        for name, (bauen, n) in MUSTER.items():
            klein = _zeit(bauen(Path(ordner) / "klein.xlsx", n)) - basis
            gross = _zeit(bauen(Path(ordner) / "gross.xlsx", 10 * n)) - basis
            print(f"{name} | {n:,} | {10 * n:,} | {klein * 1000:.0f} ms | {gross * 1000:.0f} ms | {gross / klein:.1f}")


if __name__ == "__main__":
    main()
