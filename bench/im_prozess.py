"""One measurement in a process of its own, for the benchmarks: a short script gets the file as its argument and
prints its figures on one line; the run ends after ``grenze`` seconds."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

WURZEL = Path(__file__).parents[1]


def ausgabe(skript: str, pfad: Path, grenze: float) -> list[str] | None:
    """The words the script printed, or ``None`` when it ran past ``grenze`` seconds."""
    try:
        lauf = subprocess.run(
            [sys.executable, "-c", skript, str(pfad)],
            capture_output=True,
            text=True,
            timeout=grenze,
            check=True,
            cwd=WURZEL,
        )
    except subprocess.TimeoutExpired:
        return None
    return lauf.stdout.split()
