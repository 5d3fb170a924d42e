"""The command line as a clerk runs it: ``python -m pyxl …`` in a process of its own, with the umask of a usual
account (so the modes of written files are known)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

WURZEL = Path(__file__).parents[1]


def pyxl(*argumente: str | Path) -> subprocess.CompletedProcess[str]:
    """The command from the checkout (its pyxl, not an installed one); German output as text."""
    return subprocess.run(
        [sys.executable, "-m", "pyxl", *map(str, argumente)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=WURZEL,
        umask=0o022,
    )
