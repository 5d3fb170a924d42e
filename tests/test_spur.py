"""The tracer itself (pyxl/functions/spur.py): values keep their kind into the JSON and the German display, the
parameter view is a safe stand-in, step texts cost nothing while no trace is open, a nested trace hands its steps to
the enclosing one, whole ÖPNV cases record what they were computed with."""

from __future__ import annotations

import ast
import copy
import datetime as dt
import json
import pickle
from decimal import Decimal as D
from pathlib import Path

import pytest

from pyxl import __version__, parameter
from pyxl.excel.beispielaufrufe import BEISPIELAUFRUFE
from pyxl.functions import REGISTER, funktion, oepnv, spur
from pyxl.functions.oepnv_fall import ExPostFall, Unternehmen, berechne_ex_ante, berechne_ex_post
from pyxl.functions.spur import anzeige, beobachtet, schritt, verfolgen, wert_text, zeilen
from pyxl.functions.zahlen import deutsch
from pyxl.parameter import OEPNVParameter
from pyxl.templates import formulare
from pyxl.templates.modell import Werte

# ------------------------------------------------------------------------------------------ 1. kinds


def _eintraege(*werte: object) -> list[dict[str, object]]:
    with verfolgen() as s:
        for wert in werte:
            schritt("Klausel", "Wert", wert)
    return s.als_json()["trace"]


def test_each_value_keeps_its_kind_and_is_shown_german_by_it():
    eintraege = _eintraege(
        D("1060.5"), 1977, 1060.5, dt.date(2024, 1, 5), dt.datetime(2024, 1, 5), dt.datetime(2024, 1, 5, 13, 45),
        "1.060", True, False, D("-0.00"), D("-0.01"), None, [D("1.5"), 2], frozenset({D(1000), D(3)}),
    )  # fmt: skip
    # value stays what it was (Decimals as text, never float; dates ISO); kind is added
    assert [(e["value"], e["kind"]) for e in eintraege] == [
        ("1060.5", "zahl"), ("1977", "ganzzahl"), ("1060.5", "zahl"), ("2024-01-05", "datum"),
        ("2024-01-05 00:00:00", "datum"), ("2024-01-05 13:45:00", "datum"), ("1.060", "text"), (True, "ja_nein"),
        (False, "ja_nein"), ("-0.00", "zahl"), ("-0.01", "zahl"), (None, "leer"), (["1.5", "2"], "liste"),
        (["3", "1000"], "liste"),
    ]  # fmt: skip
    assert eintraege[12]["kinds"] == ["zahl", "ganzzahl"] and eintraege[13]["kinds"] == ["zahl", "zahl"]
    assert all("kinds" not in e for e in eintraege[:12])
    assert [anzeige(e) for e in eintraege] == [
        "1.060,5", "1977", "1.060,5", "05.01.2024", "05.01.2024", "05.01.2024 13:45", "1.060", "ja", "nein",
        "0,00", "-0,01", "leer", "1,5; 2", "3; 1.000",
    ]  # fmt: skip
    assert json.loads(json.dumps(eintraege)) == eintraege  # JSON as it is


def test_text_is_never_read_as_a_number():
    # without a kind (not written by pyxl) a value shows as it is: "1.060" is no 1,060 and 2024-01-05 stays
    assert wert_text("1.060") == "1.060" and wert_text("1060.5") == "1060.5" and wert_text("2024-01-05") == "2024-01-05"
    assert wert_text("1.060", "text") == "1.060" and wert_text("1977", "ganzzahl") == "1977"
    assert wert_text("kein Datum", "datum") == "kein Datum"  # not ours: shown, never guessed


def test_zero_is_never_negative():
    assert deutsch(D("-0.00")) == "0,00" and deutsch(D("-0")) == "0" and deutsch(D("-0.000100")) == "-0,000100"
    assert deutsch(D("-0.01")) == "-0,01" and deutsch(D("-1E-30")) == "-0,000000000000000000000000000001"


def test_a_cells_text_and_a_year_cell_read_by_a_form_are_shown_as_the_form_shows_them():
    """Anl. 2b Nr. 2.9: a form's explanation lists the values read; the Baujahr cell (number format "0") shows
    plain digits, a text typed into it stays that text."""
    formular = formulare()["RZWAS-3B"]
    for eingabe, gezeigt in ((D(1970), "1970"), ("1.060", "1.060"), (D("1970.0"), "1970")):
        daten = formular.erklaeren("pos.nr.1.krw", {"pos.nr.1.groesse": eingabe, "pos.nr.1.menge": D(5000)})
        text = "\n".join(zeilen(daten.als_json()))
        assert f"Wert pos.nr.1.groesse (Anlage 3b!C43 im Vordruck) = {gezeigt}  [" in text
        assert "Wert pos.nr.1.menge (Anlage 3b!E43 im Vordruck) = 5.000  [" in text  # #,##0: grouped
    # a value read by a recomputation outside a form's explanation keeps its type
    werte = Werte({"a": "1.060", "b": dt.date(2024, 1, 5)})
    werte.klausel = "Klausel"
    with verfolgen() as s:
        assert werte.roh("a") == "1.060" and werte.roh("b") == dt.date(2024, 1, 5)
    assert [anzeige(e) for e in s.als_json()["trace"]] == ["1.060", "05.01.2024"]


# ------------------------------------------------------------------------------------------ 2. the parameter view


def _gesehen(regelwerk: object) -> object:
    with verfolgen():
        return beobachtet(regelwerk)


def test_parameter_view_copied_or_pickled_is_the_plain_set():
    satz = parameter.oepnv()
    sicht = _gesehen(satz)
    assert type(sicht) is spur._Beobachter
    for kopie in (copy.copy(sicht), copy.deepcopy(sicht), pickle.loads(pickle.dumps(sicht))):
        assert type(kopie) is OEPNVParameter and kopie == satz and kopie.pruefsumme == satz.pruefsumme
    tabelle = sicht.wagnis  # a nested table's view degrades to the table
    assert type(tabelle) is spur._Beobachter
    assert copy.copy(tabelle) == satz.wagnis and pickle.loads(pickle.dumps(tabelle)) == satz.wagnis


def test_parameter_view_never_forwards_private_names_nor_recurses():
    sicht = _gesehen(parameter.rzwas())
    for name in ("_werte", "_namen", "__deepcopy__", "__setstate__", "_knoten_nicht"):
        with pytest.raises(AttributeError):
            getattr(sicht, name)
    leer = object.__new__(spur._Beobachter)  # as copy and pickle create one: slots unset
    assert not hasattr(leer, "anl2b") and not hasattr(leer, "_knoten")
    # documented: no instance of the set's class; calculators never check the type of their set
    assert not isinstance(sicht, type(parameter.rzwas()))


def test_every_example_has_its_function():
    assert set(BEISPIELAUFRUFE) == set(REGISTER)


@pytest.mark.parametrize("name", sorted(BEISPIELAUFRUFE))
def test_every_function_computes_the_same_with_and_without_trace(name):
    eintrag = funktion(name)
    ohne = eintrag.auswerten(list(BEISPIELAUFRUFE[name]))
    mit = eintrag.auswerten(list(BEISPIELAUFRUFE[name]), erklaeren=True)
    assert (mit.wert, type(mit.wert)) == (ohne.wert, type(ohne.wert))
    assert [str(h) for h in mit.hinweise] == [str(h) for h in ohne.hinweise]
    assert ohne.spur is None and mit.spur.schritte[-1].text == f"Ergebnis {name}"
    assert json.loads(json.dumps(mit.spur.als_json())) == mit.spur.als_json()


# ------------------------------------------------------------------------------------------ 3. lazy step texts


def test_a_step_text_given_as_a_function_is_built_only_when_a_trace_records_it():
    gebaut: list[int] = []

    def text() -> str:
        gebaut.append(1)
        return "Text"

    assert schritt("K", text, D(5)) == D(5) and gebaut == []
    with verfolgen() as s:
        assert schritt("K", text, D(5)) == D(5)
    assert gebaut == [1] and [(x.klausel, x.text, x.wert) for x in s.schritte] == [("K", "Text", D(5))]


def test_interest_segments_are_worded_only_when_explained(monkeypatch):
    """Ziffer 9.4: 10.000 € from 01.12.2022 to 01.03.2023 — two segments, each a step with dates and rate."""

    def verboten(*_: object) -> str:
        raise AssertionError("Schritttext ohne Spur gebaut")

    echt = oepnv._zinsabschnitt
    monkeypatch.setattr(oepnv, "_zinsabschnitt", verboten)
    wert = funktion("OEPNV_RUECKZAHLUNGSZINS").auswerten(["10000", "01.12.2022", "01.03.2023"]).wert
    monkeypatch.setattr(oepnv, "_zinsabschnitt", echt)
    erklaert = funktion("OEPNV_RUECKZAHLUNGSZINS").auswerten(["10000", "01.12.2022", "01.03.2023"], erklaeren=True)
    assert erklaert.wert == wert
    assert erklaert.spur.schritte[0].text.startswith("Zinsen 01.12.2022 bis 01.01.2023 (ausschließlich): 31 Tage")


def _text_arbeitet(knoten: ast.expr) -> bool:
    """A text argument that does work before the call: an f-string with a placeholder, a call, an operation."""
    if isinstance(knoten, ast.JoinedStr):
        return any(isinstance(teil, ast.FormattedValue) for teil in knoten.values)
    return isinstance(knoten, ast.Call | ast.BinOp)


def test_no_calculator_builds_a_step_text_before_the_call():
    """Every ``schritt(klausel, text, wert)`` (and the whole case's ``_wert``) of the calculators gets its text as a
    literal or as a function: formatting numbers or dates for a trace that is off would cost every call."""
    module = {Path(__import__(f.berechnung.__module__, fromlist=["_"]).__file__) for f in REGISTER.values()}
    module.add(Path(oepnv.__file__).with_name("oepnv_fall.py"))
    arbeit = []
    for datei in sorted(module):
        for knoten in ast.walk(ast.parse(datei.read_text(encoding="utf-8"))):
            if isinstance(knoten, ast.Call) and getattr(knoten.func, "id", None) in ("schritt", "_wert"):
                if len(knoten.args) >= 2 and _text_arbeitet(knoten.args[1]):
                    arbeit.append(f"{datei.name}:{knoten.lineno}")
    assert len(module) >= 5 and arbeit == []


# ------------------------------------------------------------------------------------------ 5. nested traces


def test_a_nested_trace_hands_its_steps_and_reads_to_the_enclosing_one():
    with verfolgen() as aussen:
        schritt("K", "vorher", D(1))
        with verfolgen() as innen:
            schritt("K", "innen", D(2))
            assert beobachtet(parameter.oepnv()).wagnis.satz == D("4.75")
            with verfolgen():
                schritt("K", "ganz innen", D(3))
        schritt("K", "nachher", D(4))
    assert [(s.text, s.tiefe) for s in aussen.schritte] == [("vorher", 0), ("innen", 1), ("ganz innen", 2),
                                                            ("nachher", 0)]  # fmt: skip
    assert [s.text for s in aussen.eigene()] == ["vorher", "nachher"]
    assert [(s.text, s.tiefe) for s in innen.schritte] == [("innen", 0), ("ganz innen", 1)]
    assert [g.name for g in aussen.gelesen] == [g.name for g in innen.gelesen] == ["wagnis.satz"]
    assert spur.aktiv() is None


def test_an_inner_trace_that_fails_still_hands_over_what_it_recorded():
    with verfolgen() as aussen:
        with pytest.raises(ZeroDivisionError), verfolgen():
            schritt("K", "bis hierher", D(1))
            _ = D(1) / 0
    assert [s.text for s in aussen.schritte] == ["bis hierher"]


UNTERNEHMEN = [
    # A: W = 4,75 % · 884.000 = 41.990; ex ante 41.990 − 34.000 + 0 = 7.990; Vorjahr 7.000 → Deckelung 7.350;
    #    +1 % Fahrplan-km → +73,50 = 7.423,50
    Unternehmen(name="A", be_basis=D(50000), be_indiziert=D(34000), kosten_indiziert=D(884000),
                ex_ante_vorjahr=D(7000), fplkm=D(100000), fplkm_aenderung=D(1000)),
    # C: W 475 − 0 = 475 < 1.000 → Bagatellgrenze, 0
    Unternehmen(name="C", be_basis=D(0), be_indiziert=D(0), kosten_indiziert=D(10000)),
]  # fmt: skip


def test_a_whole_ex_ante_case_under_an_open_trace_shows_there_with_every_calculator_step():
    schlicht = berechne_ex_ante(UNTERNEHMEN, D(60000))
    with verfolgen() as aussen:
        fall = berechne_ex_ante(UNTERNEHMEN, D(60000))
    assert fall == schlicht  # the case itself does not change
    # the case's own steps, company by company, one level below the auditor's trace
    fallschritte = [(s.ziffer, s.bezeichnung, s.wert) for u in fall.unternehmen for s in u.schritte]
    assert [(s.klausel, s.text, s.wert) for s in aussen.schritte if s.tiefe == 1] == fallschritte
    assert ("nach Deckelung", D("7350.00")) in [(t, w) for _, t, w in fallschritte]
    # the calculators' own steps one level further down, before the case's step that takes their value
    texte = [(s.text, s.tiefe) for s in aussen.schritte]
    wagnis = texte.index(("Wagnisaufschlag W = 4,75 % der Kosten", 2))
    assert texte[wagnis + 1] == ("Wagnisaufschlag", 1)
    # C's Bagatellgrenze: recorded once by the calculator, once as the case's step
    assert sum(t.startswith("unter der Bagatellgrenze") for t, _ in texte) == 2
    # the county's steps (Ziffer 1.8) in the auditor's trace itself: 7.423,50 + 0 ≤ 60.000, 64 % of 7.423,50
    assert ("Gesamtausgleich reicht: keine Abschmelzung", 0) in texte
    assert [s.wert for s in aussen.schritte if s.text == "Anteil Landkreis (64 %)"] == [D("4751.04")]
    assert {"wagnis.satz", "deckelung.satz", "bagatell.betrag", "finanzierung.landkreis"} <= {
        g.name for g in aussen.gelesen
    }


def test_a_whole_ex_post_case_under_an_open_trace_shows_there():
    fall = ExPostFall(name="X", k_soll=D(1000000), e_soll=D(500000), ex_ante=D(500000), k_ist=D(1000000),
                      e_ist=D(500000), umsatz=D(500000))  # fmt: skip
    with verfolgen() as aussen:
        (ergebnis,) = berechne_ex_post([fall])
    assert [(s.klausel, s.text, s.wert) for s in aussen.schritte if s.tiefe == 1] == [
        (s.ziffer, s.bezeichnung, s.wert) for s in ergebnis.schritte
    ]
    assert any(s.tiefe == 2 for s in aussen.schritte) and aussen.gelesen


# ------------------------------------------------------------------------------------------ 6. what a case used


def test_whole_cases_record_version_and_parameter_sets():
    fall = berechne_ex_ante(UNTERNEHMEN, D(60000))
    assert fall.pyxl_version == __version__ and fall.rules == [parameter.oepnv().herkunft()]
    daten = json.loads(fall.model_dump_json())
    assert daten["rules"][0]["edition"] == parameter.oepnv().ausgabe.name
    assert daten["rules"][0]["hash"] == parameter.oepnv().pruefsumme and daten["pyxl_version"] == __version__
    anderer = parameter.oepnv_aus_datei(Path(__file__).parent / "daten" / "oepnv_beispielkreis.toml")
    (eintrag,) = berechne_ex_ante(UNTERNEHMEN[:1], D(60000), satzung=anderer).rules
    assert eintrag["hash"] == anderer.pruefsumme and "Beispielkreis" in str(eintrag["edition"])

    (ep,) = berechne_ex_post([ExPostFall(name="X", k_soll=D(1), e_soll=D(1), ex_ante=D(1), k_ist=D(1), e_ist=D(1),
                                         umsatz=D(1))])  # fmt: skip
    assert ep.pyxl_version == __version__
    assert ep.rules == [parameter.oepnv().herkunft(), parameter.basiszinssatz().herkunft()]
    assert json.loads(ep.model_dump_json())["rules"][1]["family"] == "basiszinssatz"
