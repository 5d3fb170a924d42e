"""Shared helpers for the tests: Decimal literals and the registered functions by their Excel names."""

from decimal import Decimal

import pytest

from pyxl.functions import funktion


def D(text: str) -> Decimal:
    return Decimal(text)


@pytest.fixture
def excel():
    """Call a registered function the way Excel or the CLI does: by name, with raw values."""

    def aufrufen(name: str, *werte: object) -> Decimal:
        return funktion(name).auswerten(list(werte)).wert

    return aufrufen


@pytest.fixture(scope="session")
def vorlagen_pdf(tmp_path_factory):
    """Every template as LibreOffice prints it: built, exported to PDF once per test run (one soffice start for all
    forms), by id: kennung -> PDF file."""
    from pyxl.templates import formulare
    from pyxl.templates.builder import schreibe
    from pyxl.templates.libreoffice import als_pdf

    ordner = tmp_path_factory.mktemp("vorlagen_pdf")
    dateien = {kennung: schreibe(formular, ordner / "xlsx") for kennung, formular in formulare().items()}
    pdfs = als_pdf(list(dateien.values()), ordner / "pdf")
    return dict(zip(dateien, pdfs, strict=True))


# the one browser harness (tests/browser): headless Chromium for accessibility checks, web desk and task pane
from tests.browser import browser  # noqa: E402, F401
