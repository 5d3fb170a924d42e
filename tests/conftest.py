"""Shared helpers for the tests: Decimal literals and the registered functions by their Excel names."""

import os
from decimal import Decimal

# In-process, the Excel adapters run as under xlwings Server: xlwings picks its decorators on first import
os.environ.setdefault("XLWINGS_ON_SERVER", "true")
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")  # PolyForm Noncommercial 1.0.0 (see README)

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
