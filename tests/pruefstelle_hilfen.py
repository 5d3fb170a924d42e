"""Helpers of the web desk's tests: the app in-process with a private folder, and the CSRF token of a page."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient

from pyxl.excel.server import Einstellungen, erstelle_app

CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def client(tmp_path: Path, **angaben) -> TestClient:
    """The real app (``pyxl serve``'s) in-process, its web desk folder under ``tmp_path/ablage``."""
    einstellungen = Einstellungen(basis_url="http://testserver", ablage=tmp_path / "ablage", **angaben)
    return TestClient(erstelle_app(einstellungen))


def csrf(seite: str) -> str:
    """The CSRF token of a page's form."""
    return CSRF.search(seite).group(1)
