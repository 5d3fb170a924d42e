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


@pytest.mark.parametrize("text", ["5.000.5", "1e3", "abc", "1,060.50", "0x10", "1_060", "--5"])
def test_call_refuses_non_numbers(text):
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


# -- issue 11: numbers beyond what a rule can compute are input errors in German, never a crash


@pytest.mark.parametrize(
    ("name", "werte", "meldung"),
    [
        (
            "OEPNV_ABSCHMELZUNG",
            [[[1e300], [1.0]], 5],
            "Ansprueche[1] = 1E+300: zu groß: höchstens 15 Stellen vor dem Komma",
        ),
        ("OEPNV_ABSCHMELZUNG", [[[1.0]], 1e300], "Gesamtausgleich = 1E+300: zu groß: höchstens 15 Stellen"),
        ("OEPNV_ABSCHMELZUNG", [[[float("inf")]], 5], "Ansprueche[1] = Infinity: keine endliche Zahl"),
        ("OEPNV_WAGNIS", [10**400], "Kosten = 1E+400: zu groß"),
        ("OEPNV_RUECKZAHLUNGSZINS", [1000, float("nan"), 45657], "Von = NaN: kein Datum (Seriennummer außerhalb"),
        ("OEPNV_RUECKZAHLUNGSZINS", [1000, 45000, 1e300], "Bis = 1E+300: kein Datum (Seriennummer außerhalb"),
        # each input within 15 digits, the product beyond Decimal's 28: the larger factor is named
        ("RZW_KOSTENPAUSCHALE", [9e14, 9e14], "KRW = 900000000000000,0: mit diesem Wert nicht berechenbar"),
    ],
)
def test_extreme_numbers_are_german_input_errors(name, werte, meldung):
    with pytest.raises(Eingabefehler) as fehler:
        REGISTER[name].auswerten(werte)
    assert str(fehler.value).startswith(meldung)
    assert str(fehler.value).endswith(f"({REGISTER[name].regel})")


EXTREM = (1e300, -1e300, 1e-300, 9.99e14, 1e15, 10**400, float("inf"), float("nan"), 5e6)


def _gewoehnlich(argument, beispiel: object) -> object:
    if argument.typ is str:
        return beispiel  # a choice ("abwasser", "massiv"): stays as in the worked example
    return [[1.0], [2.0]] if argument.typ is list else 45000 if argument.typ.__name__ == "date" else 1


@pytest.mark.parametrize("eintrag", list(REGISTER.values()), ids=lambda f: f.name)
def test_no_extreme_number_crashes_any_function(eintrag):
    """Every number argument, and its neighbour with it, set to extremes: only the German input errors escape."""
    from pyxl.excel.beispielaufrufe import BEISPIELAUFRUFE

    beispiel = BEISPIELAUFRUFE[eintrag.name]
    basis = [_gewoehnlich(a, w) for a, w in zip(eintrag.argumente, beispiel, strict=False)]
    zahlen = [i for i, a in enumerate(eintrag.argumente[: len(basis)]) if a.typ is not str]
    for stelle in zahlen:
        nachbar = zahlen[(zahlen.index(stelle) + 1) % len(zahlen)]
        for x in EXTREM:
            for y in EXTREM:
                werte = list(basis)
                werte[nachbar] = [[y]] if isinstance(basis[nachbar], list) else y
                werte[stelle] = [[x], [1.0]] if isinstance(basis[stelle], list) else x
                try:
                    eintrag.auswerten(werte)
                except (Eingabefehler, Aufruffehler):
                    pass


@pytest.mark.parametrize(
    ("argumente", "meldung"),
    [
        (["1e300;1", "5"], "Ansprueche[1] = „1e300“: keine Zahl"),
        (["1" + "0" * 33 + ";1", "5"], "Ansprueche[1] = 1E+33: zu groß: höchstens 15 Stellen vor dem Komma"),
    ],
)
def test_cli_gives_the_german_error_and_exit_2_for_huge_numbers(argumente, meldung):
    import subprocess
    import sys

    ergebnis = subprocess.run(
        [sys.executable, "-m", "pyxl", "fn", "OEPNV_ABSCHMELZUNG", *argumente],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert ergebnis.returncode == 2
    assert ergebnis.stderr.startswith(f"Fehler: OEPNV_ABSCHMELZUNG: {meldung}")
    assert "Traceback" not in ergebnis.stderr and "interner Fehler" not in ergebnis.stderr
