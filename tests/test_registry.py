"""One declaration per Excel function: names, help, arguments, clause — and the generated reference."""

from decimal import Decimal as D
from pathlib import Path

import pytest

from pyxl.doku import funktionsreferenz
from pyxl.functions import REGISTER, Aufruffehler, Eingabefehler, KeinRichtwert, funktion

ERWARTET = {
    "RZW_ZUWENDUNGSSATZ(AK; [Vertrauensschutz])",
    "RZW_ZUWENDUNG(zwf_Kosten; AK; [Vertrauensschutz])",
    "RZW_AUSBAUKOSTEN(Investitionskosten; Anteile)",
    "RZW_INGENIEURZUSCHLAG(Summe; [weitere_Bueros]; [Sparte])",
    "RZW_KOSTENPAUSCHALE(KRW; Menge)",
    "RZW_KRW_WASSERLEITUNG(DN)",
    "RZW_KRW_GEBAEUDE(V)",
    "RZW_KRW_ORTSENTWAESSERUNG(x)",
    "RZW_KRW_FREISPIEGELLEITUNG(DN; [Flaeche_m2])",
    "RZW_KRW_DRUCKLEITUNG(Verfahren)",
    "RZW_KRW_PUMPSTATION(ls)",
    "RZW_KRW_REGENBECKEN(m3; [Bauweise])",
    "RZW_KRW_REGENUEBERLAUF(m3)",
    "RZW_KRW_BODENFILTER(m3)",
    "RZW_KRW_KLAERANLAGE(EW)",
    "RZW_KRW_NACHRUESTUNG(EW; Baujahr_Biologie)",
    "RZW_KRW_SANIERUNG(KRW)",
}


def test_every_rzwas_function_registered_with_its_excel_signature():
    assert {f.signatur for f in REGISTER.values() if f.name.startswith("RZW_")} == ERWARTET


@pytest.mark.parametrize("eintrag", list(REGISTER.values()), ids=lambda f: f.name)
def test_every_function_declares_help_unit_clause_and_argument_help(eintrag):
    assert eintrag.hilfe and eintrag.einheit
    assert eintrag.regel.startswith(eintrag.bereich)
    assert all(a.hilfe for a in eintrag.argumente)


def test_function_reference_in_docs_is_current():
    datei = Path(__file__).parents[1] / "docs" / "funktionen.md"
    assert datei.read_text(encoding="utf-8") == funktionsreferenz(), "docs/funktionen.md veraltet: pyxl doku"


def test_call_by_name_with_comma_or_point_and_defaults():
    zh = funktion("rzw_zuwendungssatz")  # Excel names are case-insensitive
    assert zh.auswerten(["5000,5"]).wert == D("63.57")
    assert zh.auswerten(["5000.5", ""]).wert == D("63.57")  # an empty optional takes its default
    assert zh.auswerten([5000.5]).wert == D("63.57")  # a double from an Excel cell
    assert funktion("RZW_KRW_FREISPIEGELLEITUNG").auswerten(["", "0,5"]).wert == D("445.00")


@pytest.mark.parametrize("text", ["1.060,5", "5.000.5", "1e3", "abc", "5 000"])
def test_call_refuses_thousands_separators_and_non_numbers(text):
    with pytest.raises(Eingabefehler, match=r"AK = „.*“: keine Zahl.*\(RZWas 2005 Anl\. 2a Nr\. 3\.1"):
        funktion("RZW_ZUWENDUNGSSATZ").auswerten([text])


def test_call_with_wrong_number_of_arguments():
    with pytest.raises(Aufruffehler, match=r"erwartet 1 bis 2 Argumente, erhalten: 3"):
        funktion("RZW_ZUWENDUNGSSATZ").auswerten(["5000", "0", "1"])
    with pytest.raises(Eingabefehler, match="Pflichtangabe fehlt"):
        funktion("RZW_KOSTENPAUSCHALE").auswerten(["", "5"])


def test_unknown_function_name():
    with pytest.raises(Aufruffehler, match="Unbekannte Funktion „RZW_GIBTSNICHT“"):
        funktion("RZW_GIBTSNICHT")


def test_note_travels_with_the_result():
    ergebnis = funktion("RZW_KRW_GEBAEUDE").auswerten(["7000"])
    assert ergebnis.wert == D("198.00")  # 450 - 0.036 · 7000 = 450 - 252
    assert [h.regel for h in ergebnis.hinweise] == ["RZWas 2005 Anl. 2a Nr. 2.7"]


def test_no_krw_is_its_own_error_kind():
    with pytest.raises(KeinRichtwert):
        funktion("RZW_KRW_WASSERLEITUNG").auswerten(["400"])
