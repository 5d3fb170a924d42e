"""LibreOffice headless as a real spreadsheet engine: recalculate xlsx files and export PDFs.

LibreOffice keeps cached values of an xlsx unless told otherwise, so every call runs with a private profile whose
``OOXMLRecalcMode`` is 0 ("always recalculate"). Many files go through one ``soffice`` start.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

_PROFIL = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
  <prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
  <prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


class LibreOfficeFehlt(RuntimeError):
    """soffice is not installed (Debian: ``apt-get install --no-install-recommends libreoffice-calc``)."""


def soffice() -> str:
    programm = shutil.which("soffice") or shutil.which("libreoffice")
    if not programm:
        raise LibreOfficeFehlt(
            "LibreOffice (soffice) nicht gefunden – bitte installieren: "
            "apt-get install --no-install-recommends libreoffice-calc"
        )
    return programm


# One soffice start converts at most this many files: LibreOffice silently stops after a few hundred documents.
STAPEL = 40


def _stapel(dateien: Sequence[Path], ziel: Path, format_: str, zeitlimit: float) -> str:
    with tempfile.TemporaryDirectory(prefix="pyxl-lo-") as profil:
        benutzer = Path(profil) / "user"
        benutzer.mkdir()
        (benutzer / "registrymodifications.xcu").write_text(_PROFIL, encoding="utf-8")
        befehl = [
            soffice(), f"-env:UserInstallation={Path(profil).as_uri()}", "--headless", "--norestore",
            "--nolockcheck", "--convert-to", format_, "--outdir", str(ziel), *map(str, dateien),
        ]  # fmt: skip
        lauf = subprocess.run(befehl, capture_output=True, text=True, timeout=zeitlimit, check=False)
    return lauf.stderr


def konvertieren(
    dateien: Sequence[Path], ziel: Path, format_: str, *, zeitlimit: float = 600, parallel: int | None = None
) -> list[Path]:
    """Convert ``dateien`` into ``ziel`` (recalculating on load): batches of :data:`STAPEL` files per LibreOffice
    start, one start per core at a time, and one more try for any file a start left out."""
    ziel.mkdir(parents=True, exist_ok=True)
    endung = format_.split(":")[0]
    ergebnisse = [ziel / f"{Path(d).stem}.{endung}" for d in dateien]
    for alt in ergebnisse:  # an old result must not pass for a new one
        alt.unlink(missing_ok=True)
    meldungen: list[str] = []
    for _versuch in range(2):
        offen = [d for d, e in zip(dateien, ergebnisse, strict=True) if not e.exists()]
        if not offen:
            break
        stapel = [offen[i : i + STAPEL] for i in range(0, len(offen), STAPEL)]
        with ThreadPoolExecutor(max_workers=parallel or os.cpu_count() or 1) as pool:
            meldungen = list(pool.map(lambda teil: _stapel(teil, ziel, format_, zeitlimit), stapel))
    fehlend = [e.name for e in ergebnisse if not e.exists()]
    if fehlend:
        raise RuntimeError(f"LibreOffice hat {len(fehlend)} Dateien nicht umgewandelt: {fehlend[:5]} "
                           f"{''.join(meldungen)[-500:]}")  # fmt: skip
    return ergebnisse


def neu_berechnen(dateien: Sequence[Path], ziel: Path) -> list[Path]:
    """Recalculated copies of xlsx files in ``ziel`` (same names), with cached values as Excel would store them."""
    return konvertieren(dateien, ziel, "xlsx:Calc MS Excel 2007 XML")


def als_pdf(dateien: Sequence[Path], ziel: Path) -> list[Path]:
    return konvertieren(dateien, ziel, "pdf:calc_pdf_Export")
