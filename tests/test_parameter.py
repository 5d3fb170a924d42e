"""The 2005 edition's numbers live once, as data; a broken edition fails at load time."""

from decimal import Decimal as D

import pytest
from pydantic import ValidationError

from pyxl import parameter
from pyxl.parameter import RZWasParameter


def test_rzwas_2005_numbers_are_decimal_data_with_clause():
    p = parameter.rzwas("2005")
    assert p.anl2b.klaeranlage.a == D("3661")
    assert p.anl2b.klaeranlage.exponent == D("-0.25")
    assert p.anl2b.klaeranlage.ref == "Anl. 2b Nr. 2.7"
    assert p.zuwendungssatz.b1 == D("85215.31")
    assert isinstance(p.anl2a.gebaeude.b, D)  # read as Decimal, never binary float
    assert p.regel(p.anl2b.klaeranlage.ref) == "RZWas 2005 Anl. 2b Nr. 2.7"


def test_edition_with_mismatched_table_is_refused():
    daten = parameter.lade_toml("rzwas_2005")
    daten["anl2a"]["wasserleitung"]["krw"] = daten["anl2a"]["wasserleitung"]["krw"][:-1]
    with pytest.raises(ValidationError, match="passen nicht zusammen"):
        RZWasParameter.model_validate(daten)


def test_edition_with_unknown_key_is_refused():
    daten = parameter.lade_toml("rzwas_2005")
    daten["anl2b"]["klaeranlage"]["maximum"] = 1380  # a typo must not silently drop the cap
    with pytest.raises(ValidationError):
        RZWasParameter.model_validate(daten)


def test_unknown_edition_is_a_clear_error():
    with pytest.raises(parameter.UnbekannteAusgabe, match=r"„rzwas_1999“ \(vorhanden: rzwas_2005\)"):
        parameter.rzwas("1999")
