"""The one browser harness of the test suite: headless Chromium (Debian's ``chromium`` and ``chromium-driver``)
through selenium, with axe-core (npm, pinned in ``tests/browser/package.json``) for the accessibility check.

The web desk and the task-pane tests reuse it: the fixture ``browser`` (session scope, registered in
``tests/conftest.py``), ``axe_pruefen`` and ``bildschirmfoto``. No network: pages are ``file://`` paths.
``bash scripts/test.sh`` installs the packages and runs ``npm ci`` here, so in CI nothing is skipped."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

HIER = Path(__file__).parent
AXE = HIER / "node_modules" / "axe-core" / "axe.min.js"
CHROMEDRIVER = "/usr/bin/chromedriver"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _fehlt() -> str | None:
    """Why the browser cannot start here (German, for the skip), or None."""
    if shutil.which("chromium") is None:
        return "Chromium fehlt (Debian-Paket chromium; bash scripts/test.sh installiert es)"
    if not Path(CHROMEDRIVER).exists():
        return "chromedriver fehlt (Debian-Paket chromium-driver; bash scripts/test.sh installiert es)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium fehlt (pip install -e '.[dev]'; scripts/einrichten.sh installiert es)"
    return None


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Headless Chromium, one per test session, with a temporary profile."""
    grund = _fehlt()
    if grund:
        pytest.skip(grund)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    with tempfile.TemporaryDirectory(prefix="pyxl-chromium-") as profil:
        optionen = webdriver.ChromeOptions()
        optionen.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
        for argument in (
            "--headless=new",
            "--no-sandbox",
            "--disable-dev-shm-usage",
            "--window-size=1280,1024",
            f"--user-data-dir={profil}",
        ):
            optionen.add_argument(argument)
        treiber = webdriver.Chrome(service=Service(CHROMEDRIVER), options=optionen)
        treiber.set_script_timeout(60)
        try:
            yield treiber
        finally:
            treiber.quit()


def url(pfad: Path) -> str:
    """The ``file://`` address of a local page."""
    return Path(pfad).resolve().as_uri()


def axe_pruefen(treiber, adresse: str) -> list[dict]:
    """Load the page, run axe-core on it (WCAG 2.0/2.1 A and AA), return the violations."""
    if not AXE.exists():
        pytest.fail(f"{AXE} fehlt: npm ci --prefix tests/browser --no-audit --no-fund (macht bash scripts/test.sh)")
    treiber.get(adresse)
    treiber.execute_script(AXE.read_text(encoding="utf-8"))
    ergebnis = treiber.execute_async_script(
        """
        const fertig = arguments[arguments.length - 1];
        axe.run(document, {runOnly: {type: "tag", values: arguments[0]}})
          .then(r => fertig(r.violations))
          .catch(e => fertig([{id: "axe-fehler", help: String(e), nodes: []}]));
        """,
        WCAG_TAGS,
    )
    return list(ergebnis)


def verstoesse_lesbar(verstoesse: list[dict]) -> str:
    """The violations for an assertion message: rule, impact, help and the first offending elements."""
    zeilen = []
    for v in verstoesse:
        zeilen.append(f"{v.get('id')} ({v.get('impact')}): {v.get('help')}")
        for knoten in v.get("nodes", [])[:5]:
            zeilen.append(f"    {knoten.get('target')}: {knoten.get('failureSummary', '').strip()}")
    return "\n".join(zeilen)


def bildschirmfoto(treiber, ziel: Path, adresse: str | None = None) -> Path:
    """Save a PNG of the page (optionally loading ``adresse`` first), for humans looking at it."""
    if adresse is not None:
        treiber.get(adresse)
    ziel = Path(ziel)
    ziel.parent.mkdir(parents=True, exist_ok=True)
    treiber.save_screenshot(str(ziel))
    return ziel
