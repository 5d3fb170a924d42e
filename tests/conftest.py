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
